// TracePanel: the event log. Every trace record with its time, node, kind and reason; a text
// filter; a list clipper so 10^5 lines cost only the visible ones.
#pragma once

#include <string>

#include "app_state.h"

namespace kafkasim::gui {

struct TracePanel {
  bool show = true;
  bool follow = true;
  char filter[128] = "";
  size_t seen = 0;        // records seen at the last frame
  int scroll_frames = 0;  // frames left to pin the view to the newest line
  /// A window of its own ("Event log").
  void draw(AppState& app);
  /// The contents only, for a caller that places them (a tab of the side window).
  void draw_contents(AppState& app);
};

}  // namespace kafkasim::gui
