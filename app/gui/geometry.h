// Small screen geometry the views share for hit tests (a link, an arrow under the mouse).
#pragma once

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace kafkasim::gui {

/// Distance from `p` to the segment a-b.
inline float segment_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len2 = dx * dx + dy * dy;
  float t = len2 <= 0 ? 0.0f : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
  t = std::clamp(t, 0.0f, 1.0f);
  const float ex = a.x + dx * t - p.x, ey = a.y + dy * t - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

}  // namespace kafkasim::gui
