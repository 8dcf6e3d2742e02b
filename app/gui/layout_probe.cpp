#include "layout_probe.h"

#include <imgui_internal.h>

namespace kafkasim::gui::probe {

namespace {
bool g_on = false;
int g_group = 0;
std::vector<DrawnBox> g_boxes;

Rect rect(ImVec2 a, ImVec2 b) {
  return Rect{a.x, a.y, b.x, b.y};
}

/// The current window scrolls vertically (it shows a scroll bar): what is cut at its top or
/// bottom is scrolled away.
bool scrolls() {
  for (const ImGuiWindow* w = ImGui::GetCurrentWindowRead(); w != nullptr;
       w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr) {
    if (w->ScrollbarY) return true;
  }
  return false;
}
bool scrolls_x() {
  for (const ImGuiWindow* w = ImGui::GetCurrentWindowRead(); w != nullptr;
       w = (w->Flags & ImGuiWindowFlags_ChildWindow) ? w->ParentWindow : nullptr)
    if (w->ScrollbarX) return true;
  return false;
}
}  // namespace

bool recording() {
  return g_on;
}

void record(bool on) {
  g_on = on;
  g_boxes.clear();
  g_group = 0;
}

const std::vector<DrawnBox>& boxes() {
  return g_boxes;
}

int new_group() {
  return ++g_group;
}

void drawn(const char* panel, const std::string& what, ImVec2 min, ImVec2 max, int group) {
  if (!g_on) return;
  // What the window (or table cell) shows now: ImGui clips its items to it.
  const ImRect clip = ImGui::GetCurrentWindowRead()->ClipRect;
  drawn_in(panel, what, min, max, clip.Min, clip.Max, group);
}

void drawn_in(const char* panel, const std::string& what, ImVec2 min, ImVec2 max, ImVec2 clip_min,
              ImVec2 clip_max, int group) {
  if (!g_on) return;
  g_boxes.push_back(DrawnBox{panel, what, rect(min, max), rect(clip_min, clip_max), scrolls(),
                             scrolls_x(), group});
}

void item(const char* panel, const std::string& what) {
  if (!g_on) return;
  const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
  const ImRect clip = w->ClipRect;
  g_boxes.push_back(DrawnBox{panel, what, rect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()),
                             Rect{clip.Min.x, clip.Min.y, clip.Max.x, clip.Max.y}, scrolls(),
                             scrolls_x(), 0});
}

void text(const char* panel, const std::string& about, const std::string& shown, ImVec2 at,
          int group) {
  if (!g_on) return;
  const ImVec2 s = ImGui::CalcTextSize(shown.c_str());
  drawn(panel, about + shown, at, ImVec2(at.x + s.x, at.y + s.y), group);
}

}  // namespace kafkasim::gui::probe
