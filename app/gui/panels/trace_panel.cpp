#include "panels/trace_panel.h"

#include <imgui.h>

#include <algorithm>

#include <vector>

namespace kafkasim::gui {

namespace {
ImVec4 kind_colour(sim::TraceKind k) {
  switch (k) {
    case sim::TraceKind::node_crash:
    case sim::TraceKind::node_power_loss:
    case sim::TraceKind::link_cut:
    case sim::TraceKind::broker_fenced:
    case sim::TraceKind::controller_inactive:
    case sim::TraceKind::raft_resign:
    case sim::TraceKind::admin_error:
    case sim::TraceKind::demo_suspect:
      return ImVec4(0.95f, 0.45f, 0.45f, 1);
    case sim::TraceKind::node_restart:
    case sim::TraceKind::node_resume:
    case sim::TraceKind::link_restore:
    case sim::TraceKind::broker_registered:
    case sim::TraceKind::broker_unfenced:
    case sim::TraceKind::demo_recover:
      return ImVec4(0.45f, 0.85f, 0.55f, 1);
    case sim::TraceKind::controller_active:
    case sim::TraceKind::raft_leader:
    case sim::TraceKind::leader_change:
    case sim::TraceKind::isr_change:
    case sim::TraceKind::topic_created:
    case sim::TraceKind::partitions_added:
    case sim::TraceKind::reassignment:
    case sim::TraceKind::config_change:
      return ImVec4(0.96f, 0.77f, 0.27f, 1);
    case sim::TraceKind::narration:
      return ImVec4(0.55f, 0.75f, 1.0f, 1);
    default:
      return ImVec4(0.80f, 0.80f, 0.82f, 1);
  }
}
}  // namespace

void TracePanel::draw(AppState& app) {
  if (!show) return;
  ImGui::Begin("Event log", &show, ImGuiWindowFlags_NoCollapse);
  draw_contents(app);
  ImGui::End();
}

void TracePanel::draw_contents(AppState& app) {
  ImGui::SetNextItemWidth(-150);
  ImGui::InputTextWithHint("##filter", "filter (node, kind or words)", filter, sizeof filter);
  ImGui::SameLine();
  ImGui::Checkbox("follow", &follow);
  const auto& recs = app.world.trace().records();
  std::vector<int> shown;
  const std::string f = filter;
  if (!f.empty()) {
    for (size_t i = 0; i < recs.size(); ++i) {
      const auto& r = recs[i];
      if (r.reason.find(f) != std::string::npos ||
          std::string(sim::trace_kind_name(r.kind)).find(f) != std::string::npos ||
          (r.node >= 0 && std::to_string(r.node) == f)) {
        shown.push_back(static_cast<int>(i));
      }
    }
  }
  const int count = f.empty() ? static_cast<int>(recs.size()) : static_cast<int>(shown.size());
  ImGui::BeginChild("lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float name_x = ImGui::CalcTextSize("000.000000s  ").x;
  float widest = ImGui::CalcTextSize("controller 000").x;
  for (const auto& n : app.world.nodes())
    widest = std::max(widest, ImGui::CalcTextSize(app.world.name_of(n.id).c_str()).x);
  const float reason_x = name_x + widest + ImGui::CalcTextSize("  ").x;
  ImGuiListClipper clipper;
  clipper.Begin(count);
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const auto& r = recs[f.empty() ? row : shown[row]];
      ImGui::TextDisabled("%s", sim::format_clock(r.at).c_str());
      ImGui::SameLine(name_x);
      ImGui::TextColored(kind_colour(r.kind), "%-8s",
                         r.node < 0 ? "-" : app.world.name_of(r.node).c_str());
      ImGui::SameLine(reason_x);
      ImGui::TextUnformatted(r.reason.c_str());
    }
  }
  if (follow && recs.size() != seen) scroll_frames = 2;  // layout settles over two frames
  seen = recs.size();
  if (scroll_frames > 0) {
    ImGui::SetScrollHereY(1.0f);
    --scroll_frames;
  }
  ImGui::EndChild();
}

}  // namespace kafkasim::gui
