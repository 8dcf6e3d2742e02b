#include "layout_check.h"

#include <algorithm>
#include <cstdio>

namespace kafkasim::gui {

namespace {

Rect intersection(const Rect& a, const Rect& b) {
  return Rect{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1),
              std::min(a.y1, b.y1)};
}

std::string name(const DrawnBox& b) {
  return b.panel + ": " + b.what;
}

std::string size(float w, float h) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.0fx%.0f", std::max(0.0f, w), std::max(0.0f, h));
  return buf;
}

}  // namespace

LayoutReport check_layout(const std::vector<DrawnBox>& boxes, float tolerance) {
  LayoutReport r;
  // What of each box is on screen; a box scrolled out of sight has none.
  std::vector<Rect> seen(boxes.size());
  for (size_t i = 0; i < boxes.size(); ++i) {
    const DrawnBox& b = boxes[i];
    seen[i] = intersection(b.box, b.clip);
    const bool out_x = b.box.x0 < b.clip.x0 - tolerance || b.box.x1 > b.clip.x1 + tolerance;
    const bool out_y = b.box.y0 < b.clip.y0 - tolerance || b.box.y1 > b.clip.y1 + tolerance;
    if ((b.scrolls && (b.box.y1 <= b.clip.y0 || b.box.y0 >= b.clip.y1)) ||
        (b.scrolls_x && (b.box.x1 <= b.clip.x0 || b.box.x0 >= b.clip.x1))) {
      seen[i] = Rect{};  // scrolled away
      continue;
    }
    if ((out_x && !b.scrolls_x) || (out_y && !b.scrolls)) {
      r.clipped.push_back(name(b) + " is clipped (needs " + size(b.box.width(), b.box.height()) +
                          ", has " + size(seen[i].width(), seen[i].height()) + ")");
    }
  }
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (seen[i].empty()) continue;
    for (size_t j = i + 1; j < boxes.size(); ++j) {
      if (seen[j].empty()) continue;
      if (boxes[i].group != 0 && boxes[i].group == boxes[j].group) continue;
      const Rect o = intersection(seen[i], seen[j]);
      if (o.width() > tolerance && o.height() > tolerance)
        r.overlaps.push_back(name(boxes[i]) + " overlaps " + name(boxes[j]));
    }
  }
  return r;
}

}  // namespace kafkasim::gui
