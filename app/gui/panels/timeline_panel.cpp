#include "panels/timeline_panel.h"

#include <imgui.h>

#include <cmath>

namespace kafkasim::gui {

void TimelinePanel::draw(AppState& app) {
  if (!show) return;
  ImGui::Begin("Time", &show, ImGuiWindowFlags_NoCollapse);
  if (!ImGui::GetIO().WantTextInput) {
    // ImGui 1.86: named keys through GetKeyIndex; letters are the backend's key codes (ASCII).
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space))) app.playing = !app.playing;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) app.step_event();
    if (ImGui::IsKeyPressed('H')) app.show_help = !app.show_help;
    if (ImGui::IsKeyPressed('C')) app.show_charts = !app.show_charts;
  }
  if (ImGui::Button(app.playing ? "Pause" : "Play", ImVec2(80, 0))) app.playing = !app.playing;
  ImGui::SameLine();
  if (ImGui::Button("Step event")) app.step_event();
  ImGui::SameLine();
  if (ImGui::Button("Heal network")) app.submit(world::Heal{});
  ImGui::SameLine();
  if (ImGui::Button("Elect preferred leaders")) app.submit(world::ElectPreferred{});
  ImGui::SameLine();
  ImGui::SetNextItemWidth(220);
  float log_speed = static_cast<float>(std::log10(app.speed));
  char label[32];
  std::snprintf(label, sizeof label, "%.3gx", app.speed);
  if (ImGui::SliderFloat("speed", &log_speed, -2.0f, 3.0f, label)) {
    app.speed = std::pow(10.0, static_cast<double>(log_speed));
  }
  ImGui::SameLine();
  ImGui::Checkbox("charts", &app.show_charts);
  ImGui::SameLine();
  ImGui::Text("t = %s", sim::format_clock(app.world.now()).c_str());
  const float frac =
      static_cast<float>(app.world.now().seconds() / std::max(1e-9, app.end.seconds()));
  ImGui::ProgressBar(frac, ImVec2(-1, 6), "");
  ImGui::TextDisabled("%llu events  |  %llu messages  |  %llu lost  |  trace %s",
                      static_cast<unsigned long long>(app.world.sim().events_executed()),
                      static_cast<unsigned long long>(app.world.network().sent_count()),
                      static_cast<unsigned long long>(app.world.network().lost_count()),
                      sim::hash_hex(app.world.trace_hash()).c_str());
  if (!app.status_line.empty()) {
    ImGui::SameLine();
    ImGui::Text("  %s", app.status_line.c_str());
  }
  ImGui::End();

  if (app.show_help) {
    ImGui::Begin("Help", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::Text("Space        play / pause");
    ImGui::Text("Right arrow  execute one event");
    ImGui::Text("C            show / hide the charts");
    ImGui::Text("H            this help");
    ImGui::Text("Click a node to crash, power off, pause, isolate or restart it.");
    ImGui::End();
  }
}

}  // namespace kafkasim::gui
