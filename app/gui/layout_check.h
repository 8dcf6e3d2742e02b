// What `kafkasim-gui FILE --check-layout` checks: the boxes the panels drew in one frame (text
// and the shapes that carry meaning: nodes, badges, legend glyphs), each with the rectangle it
// was drawn in. Two boxes that cover each other, or a box that does not fit the rectangle it is
// clipped to, are a layout a class cannot read. Free of ImGui, so tests can drive it.
#pragma once

#include <string>
#include <vector>

namespace kafkasim::gui {

struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float width() const { return x1 - x0; }
  float height() const { return y1 - y0; }
  bool empty() const { return x1 <= x0 || y1 <= y0; }
};

/// One thing drawn.
struct DrawnBox {
  std::string panel;  // "cluster", "time bar", "partitions", ...
  std::string what;   // what it shows, for the report ("caption of broker 101: orders-0 leader")
  Rect box;           // where it was drawn
  Rect clip;          // the area it must fit in (its window's, its table cell's, its region's)
  /// The area scrolls vertically: being cut at its top or bottom edge is scrolling, not
  /// clipping (a box wider than it still is).
  bool scrolls = false;
  bool scrolls_x = false;  // the same, sideways (a wide table)
  /// Boxes of one group may touch (a node, its badge and its id); 0: in no group.
  int group = 0;
};

/// What is wrong with one frame.
struct LayoutReport {
  std::vector<std::string> overlaps;  // "PANEL: WHAT overlaps PANEL: WHAT"
  std::vector<std::string> clipped;   // "PANEL: WHAT is clipped (needs WxH, has WxH)"
};

/// Boxes that overlap by more than `tolerance` pixels both ways, and boxes that reach more than
/// `tolerance` pixels outside their clip rectangle (a box in no visible area, scrolled away,
/// is not checked).
LayoutReport check_layout(const std::vector<DrawnBox>& boxes, float tolerance = 1.0f);

}  // namespace kafkasim::gui
