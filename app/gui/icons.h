// The studio's icons, drawn by us with ImDrawList in a unit box so that they stay sharp at
// every font size (assets/README.md lists them). Buttons and menu items size them from the
// current font.
#pragma once

#include <imgui.h>

namespace kafkasim::gui {

enum class Icon {
  to_start,              // |<<  back to the start
  previous_interesting,  // <<   back to the previous election, fence, fault...
  step_back,             // |<   back one event
  play,
  pause,
  step_forward,      // >|   one event
  next_interesting,  // >>   on to the next election, fence, fault...
  broker,            // a stack of servers
  controller,        // a crown
  zookeeper,         // a tree of znodes
  producer,          // an arrow leaving a box
  consumer,          // an arrow entering a box
  crash,             // a lightning bolt
  power,             // the power symbol
  pause_node,        // a pause sign in a circle
  cut_link,          // a link cut in two
  restart,           // a circular arrow
};

/// Draws ICON in the square of side SIZE whose top-left corner is MIN, in COL.
void draw_icon(ImDrawList* dl, Icon icon, ImVec2 min, float size, ImU32 col);

/// A button showing ICON, as high as a framed widget and WIDTH_FRAMES frame heights wide.
bool icon_button(const char* id, Icon icon, float width_frames = 1.5f);

/// A menu item with ICON before its label.
bool icon_menu_item(Icon icon, const char* label, bool enabled = true);

}  // namespace kafkasim::gui
