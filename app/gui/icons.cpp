#include "icons.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kafkasim::gui {

namespace {

/// A pen over the unit box: (0,0) top left, (1,1) bottom right.
struct Pen {
  ImDrawList* dl;
  ImVec2 min;
  float size;
  ImU32 col;
  float thick;

  ImVec2 p(float x, float y) const { return ImVec2(min.x + x * size, min.y + y * size); }
  void line(float x0, float y0, float x1, float y1, float w = 1.0f) const {
    dl->AddLine(p(x0, y0), p(x1, y1), col, thick * w);
  }
  void tri(float x0, float y0, float x1, float y1, float x2, float y2) const {
    dl->AddTriangleFilled(p(x0, y0), p(x1, y1), p(x2, y2), col);
  }
  void bar(float x0, float y0, float x1, float y1) const {
    dl->AddRectFilled(p(x0, y0), p(x1, y1), col);
  }
  void box(float x0, float y0, float x1, float y1, float rounding = 0.0f) const {
    dl->AddRect(p(x0, y0), p(x1, y1), col, rounding * size, 0, thick);
  }
  void circle(float x, float y, float r) const { dl->AddCircle(p(x, y), r * size, col, 0, thick); }
  void dot(float x, float y, float r) const { dl->AddCircleFilled(p(x, y), r * size, col); }
  /// An arc from angle A0 to A1 (radians, 0 = right, clockwise on screen).
  void arc(float x, float y, float r, float a0, float a1) const {
    dl->PathArcTo(p(x, y), r * size, a0, a1, 24);
    dl->PathStroke(col, 0, thick);
  }
};

constexpr float kPi = 3.14159265f;

void draw_time(const Pen& d, Icon icon) {
  switch (icon) {
    case Icon::to_start:
      d.bar(0.08f, 0.18f, 0.2f, 0.82f);
      d.tri(0.55f, 0.18f, 0.55f, 0.82f, 0.2f, 0.5f);
      d.tri(0.92f, 0.18f, 0.92f, 0.82f, 0.57f, 0.5f);
      break;
    case Icon::previous_interesting:
      d.tri(0.5f, 0.18f, 0.5f, 0.82f, 0.1f, 0.5f);
      d.tri(0.9f, 0.18f, 0.9f, 0.82f, 0.5f, 0.5f);
      break;
    case Icon::step_back:
      d.bar(0.2f, 0.18f, 0.32f, 0.82f);
      d.tri(0.8f, 0.18f, 0.8f, 0.82f, 0.34f, 0.5f);
      break;
    case Icon::play:
      d.tri(0.24f, 0.12f, 0.24f, 0.88f, 0.88f, 0.5f);
      break;
    case Icon::pause:
      d.bar(0.2f, 0.15f, 0.4f, 0.85f);
      d.bar(0.6f, 0.15f, 0.8f, 0.85f);
      break;
    case Icon::step_forward:
      d.tri(0.2f, 0.18f, 0.2f, 0.82f, 0.66f, 0.5f);
      d.bar(0.68f, 0.18f, 0.8f, 0.82f);
      break;
    case Icon::next_interesting:
      d.tri(0.1f, 0.18f, 0.1f, 0.82f, 0.5f, 0.5f);
      d.tri(0.5f, 0.18f, 0.5f, 0.82f, 0.9f, 0.5f);
      break;
    default:
      break;
  }
}

void draw_thing(const Pen& d, Icon icon) {
  switch (icon) {
    case Icon::broker:  // three servers in a rack, each with its light
      for (int i = 0; i < 3; ++i) {
        const float y = 0.1f + 0.28f * static_cast<float>(i);
        d.box(0.12f, y, 0.88f, y + 0.22f, 0.04f);
        d.dot(0.74f, y + 0.11f, 0.045f);
      }
      break;
    case Icon::controller: {  // a crown
      const ImVec2 pts[] = {d.p(0.1f, 0.78f), d.p(0.1f, 0.28f),  d.p(0.32f, 0.52f),
                            d.p(0.5f, 0.18f), d.p(0.68f, 0.52f), d.p(0.9f, 0.28f),
                            d.p(0.9f, 0.78f)};
      d.dl->AddPolyline(pts, 7, d.col, ImDrawFlags_Closed, d.thick);
      d.bar(0.1f, 0.8f, 0.9f, 0.9f);
      break;
    }
    case Icon::zookeeper:  // a root znode and its two children
      d.line(0.5f, 0.3f, 0.24f, 0.72f);
      d.line(0.5f, 0.3f, 0.76f, 0.72f);
      d.dot(0.5f, 0.24f, 0.14f);
      d.dot(0.22f, 0.76f, 0.13f);
      d.dot(0.78f, 0.76f, 0.13f);
      break;
    case Icon::producer:  // a box and an arrow leaving it
      d.box(0.08f, 0.22f, 0.44f, 0.78f, 0.05f);
      d.line(0.44f, 0.5f, 0.8f, 0.5f);
      d.tri(0.7f, 0.32f, 0.7f, 0.68f, 0.95f, 0.5f);
      break;
    case Icon::consumer:  // an arrow entering a box
      d.box(0.56f, 0.22f, 0.92f, 0.78f, 0.05f);
      d.line(0.05f, 0.5f, 0.4f, 0.5f);
      d.tri(0.34f, 0.32f, 0.34f, 0.68f, 0.58f, 0.5f);
      break;
    case Icon::crash:  // a lightning bolt, as two triangles
      d.tri(0.62f, 0.04f, 0.2f, 0.58f, 0.56f, 0.52f);
      d.tri(0.4f, 0.96f, 0.8f, 0.42f, 0.44f, 0.48f);
      break;
    case Icon::power:  // an open circle and a stroke through its gap
      d.arc(0.5f, 0.55f, 0.34f, -kPi * 0.5f + 0.6f, kPi * 1.5f - 0.6f);
      d.line(0.5f, 0.08f, 0.5f, 0.52f);
      break;
    case Icon::pause_node:
      d.circle(0.5f, 0.5f, 0.42f);
      d.bar(0.36f, 0.3f, 0.45f, 0.7f);
      d.bar(0.55f, 0.3f, 0.64f, 0.7f);
      break;
    case Icon::cut_link:  // two ends of a link and the cut between them
      d.dot(0.1f, 0.5f, 0.08f);
      d.dot(0.9f, 0.5f, 0.08f);
      d.line(0.1f, 0.5f, 0.32f, 0.5f);
      d.line(0.68f, 0.5f, 0.9f, 0.5f);
      d.line(0.4f, 0.3f, 0.6f, 0.7f);
      d.line(0.4f, 0.7f, 0.6f, 0.3f);
      break;
    case Icon::restart: {  // three quarters of a circle and its arrow head
      d.arc(0.5f, 0.52f, 0.34f, -kPi * 0.35f, kPi * 1.25f);
      const float a = -kPi * 0.35f;
      const ImVec2 end = d.p(0.5f + 0.34f * std::cos(a), 0.52f + 0.34f * std::sin(a));
      d.dl->AddTriangleFilled(ImVec2(end.x - 0.16f * d.size, end.y - 0.12f * d.size),
                              ImVec2(end.x + 0.14f * d.size, end.y - 0.16f * d.size),
                              ImVec2(end.x + 0.04f * d.size, end.y + 0.14f * d.size), d.col);
      break;
    }
    default:
      draw_time(d, icon);
  }
}

}  // namespace

void draw_icon(ImDrawList* dl, Icon icon, ImVec2 min, float size, ImU32 col) {
  const Pen d{dl, min, size, col, std::max(1.0f, size * 0.09f)};
  draw_thing(d, icon);
}

bool icon_button(const char* id, Icon icon, float width_frames) {
  const float h = ImGui::GetFrameHeight();
  const bool pressed = ImGui::Button(id, ImVec2(h * width_frames, h));
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float s = std::floor(std::min(b.x - a.x, b.y - a.y) * 0.62f);
  const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
  draw_icon(ImGui::GetWindowDrawList(), icon,
            ImVec2(std::floor((a.x + b.x - s) * 0.5f), std::floor((a.y + b.y - s) * 0.5f)), s, col);
  return pressed;
}

bool icon_menu_item(Icon icon, const char* label, bool enabled) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float s = ImGui::GetFontSize();
  ImGui::PushID(label);
  // The label starts after the icon: a run of spaces as wide as the icon and a gap.
  const float space = std::max(1.0f, ImGui::CalcTextSize(" ").x);
  const int pad = static_cast<int>(std::ceil((s * 1.35f) / space));
  char text[160];
  std::snprintf(text, sizeof text, "%*s%s", pad, "", label);
  const bool chosen = ImGui::MenuItem(text, nullptr, false, enabled);
  ImGui::PopID();
  ImU32 col = ImGui::GetColorU32(enabled ? ImGuiCol_Text : ImGuiCol_TextDisabled);
  draw_icon(ImGui::GetWindowDrawList(), icon, at, s, col);
  return chosen;
}

}  // namespace kafkasim::gui
