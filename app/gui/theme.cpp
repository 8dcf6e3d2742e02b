#include "theme.h"

#include <cstdio>

namespace kafkasim::gui {

void apply_theme(float font_px) {
  ImGuiIO& io = ImGui::GetIO();
  const char* candidates[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
  bool loaded = false;
  for (const char* path : candidates) {
    if (FILE* f = std::fopen(path, "rb")) {
      std::fclose(f);
      loaded = io.Fonts->AddFontFromFileTTF(path, font_px) != nullptr;
      if (loaded) break;
    }
  }
  if (!loaded) {
    ImFontConfig cfg;
    cfg.SizePixels = font_px;
    io.Fonts->AddFontDefault(&cfg);
  }
  ImGui::StyleColorsDark();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6.0f;
  s.FrameRounding = 4.0f;
  s.GrabRounding = 4.0f;
  s.WindowBorderSize = 0.0f;
  s.WindowPadding = ImVec2(10, 8);
  s.ItemSpacing = ImVec2(8, 6);
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = ImVec4(0.10f, 0.11f, 0.13f, 1.0f);
  c[ImGuiCol_ChildBg] = ImVec4(0.08f, 0.09f, 0.10f, 1.0f);
  c[ImGuiCol_TitleBg] = ImVec4(0.13f, 0.15f, 0.18f, 1.0f);
  c[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.20f, 0.26f, 1.0f);
  c[ImGuiCol_Button] = ImVec4(0.20f, 0.30f, 0.42f, 1.0f);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.26f, 0.40f, 0.56f, 1.0f);
  c[ImGuiCol_ButtonActive] = ImVec4(0.30f, 0.48f, 0.66f, 1.0f);
  c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.18f, 0.22f, 1.0f);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.30f, 0.42f, 0.8f);
}

ImU32 status_colour(world::NodeStatus s) {
  switch (s) {
    case world::NodeStatus::running:
      return IM_COL32(72, 187, 120, 255);
    case world::NodeStatus::paused:
      return IM_COL32(236, 178, 46, 255);
    case world::NodeStatus::crashed:
      return IM_COL32(224, 82, 82, 255);
    case world::NodeStatus::powered_off:
      return IM_COL32(110, 110, 120, 255);
    case world::NodeStatus::stopped:
      return IM_COL32(90, 140, 200, 255);
  }
  return IM_COL32_WHITE;
}

ImU32 message_colour(net::MessageKind k) {
  switch (k) {
    case net::MessageKind::produce:
      return IM_COL32(99, 179, 237, 255);
    case net::MessageKind::fetch:
      return IM_COL32(129, 230, 217, 255);
    case net::MessageKind::metadata:
      return IM_COL32(183, 148, 244, 255);
    case net::MessageKind::vote:
      return IM_COL32(246, 135, 179, 255);
    case net::MessageKind::heartbeat:
      return IM_COL32(250, 240, 137, 255);
    case net::MessageKind::group:
      return IM_COL32(251, 182, 110, 255);
    case net::MessageKind::demo:
      return IM_COL32(226, 232, 240, 255);
    case net::MessageKind::other:
      return IM_COL32(160, 174, 192, 255);
  }
  return IM_COL32_WHITE;
}

ImU32 trace_colour(sim::TraceKind k) {
  switch (k) {
    case sim::TraceKind::node_crash:
    case sim::TraceKind::node_power_loss:
    case sim::TraceKind::link_cut:
    case sim::TraceKind::broker_fenced:
    case sim::TraceKind::controller_inactive:
    case sim::TraceKind::raft_resign:
    case sim::TraceKind::admin_error:
    case sim::TraceKind::demo_suspect:
      return IM_COL32(242, 115, 115, 255);
    case sim::TraceKind::node_restart:
    case sim::TraceKind::node_resume:
    case sim::TraceKind::link_restore:
    case sim::TraceKind::broker_registered:
    case sim::TraceKind::broker_unfenced:
    case sim::TraceKind::demo_recover:
      return IM_COL32(115, 217, 140, 255);
    case sim::TraceKind::controller_active:
    case sim::TraceKind::raft_leader:
    case sim::TraceKind::leader_change:
    case sim::TraceKind::isr_change:
    case sim::TraceKind::topic_created:
    case sim::TraceKind::partitions_added:
    case sim::TraceKind::reassignment:
    case sim::TraceKind::config_change:
      return IM_COL32(245, 196, 69, 255);
    case sim::TraceKind::narration:
      return IM_COL32(140, 191, 255, 255);
    default:
      return IM_COL32(204, 204, 209, 255);
  }
}

}  // namespace kafkasim::gui
