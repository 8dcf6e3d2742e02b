#include "panels/timeline_panel.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <utility>
#include <vector>

#include "icons.h"
#include "layout_probe.h"
#include "theme.h"

namespace kafkasim::gui {

namespace {

/// Which records become markers on the scrubber, and in which lane (0 top .. 2 bottom).
int marker_lane(sim::TraceKind k) {
  using K = sim::TraceKind;
  switch (k) {
    case K::narration:
      return 0;
    case K::node_crash:
    case K::node_power_loss:
    case K::node_pause:
    case K::node_restart:
    case K::link_cut:
    case K::link_restore:
    case K::broker_fenced:
    case K::admin_error:
      return 1;  // faults (and recoveries from them)
    case K::raft_leader:
    case K::controller_active:
    case K::leader_change:
      return 2;  // elections
    default:
      return -1;
  }
}

bool key(ImGuiKey k) {
  return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k));
}

void tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

/// Puts the next item, WIDTH pixels wide, on the current line when it fits, else below.
void same_line_if(float width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

bool button_flowing(const char* label) {
  same_line_if(ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f);
  return ImGui::Button(label);
}

}  // namespace

void TimelinePanel::keyboard(AppState& app) {
  if (ImGui::GetIO().WantTextInput) return;
  const bool shift = ImGui::GetIO().KeyShift;
  // ImGui 1.86: named keys through GetKeyIndex; letters are the backend's key codes (ASCII).
  if (key(ImGuiKey_Space)) app.playing = !app.playing;
  // Shift+arrows: the next / previous moment (of the followed record's journey, if any).
  if (key(ImGuiKey_RightArrow)) shift ? (void)app.next_moment() : app.step_event();
  if (key(ImGuiKey_LeftArrow)) shift ? (void)app.previous_moment() : app.step_back();
  if (key(ImGuiKey_Home)) {
    app.playing = false;
    app.goto_event(0);
  }
  if (ImGui::IsKeyPressed('H') || ImGui::IsKeyPressed(GLFW_KEY_F1)) app.show_help = !app.show_help;
  // The View menu's keys: every window comes back the way it went.
  if (ImGui::IsKeyPressed(GLFW_KEY_F2)) panels.cluster = !panels.cluster;
  if (ImGui::IsKeyPressed(GLFW_KEY_F3)) panels.details = !panels.details;
  if (ImGui::IsKeyPressed(GLFW_KEY_F4)) panels.side = !panels.side;
  if (ImGui::GetIO().KeyCtrl) return;  // Ctrl+= and Ctrl+- are the font size's
  if (ImGui::IsKeyPressed('S')) app.slow_motion_s = app.slow_motion_s > 0 ? 0.0 : slow_motion_;
  if (ImGui::IsKeyPressed('=') || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
    app.speed = std::min(1000.0, app.speed * 10.0);
  if (ImGui::IsKeyPressed('-') || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
    app.speed = std::max(0.01, app.speed / 10.0);
}

void TimelinePanel::scrubber(AppState& app) {
  const float h = scrubber_height();
  const float s = ui_scale();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = std::max(50.0f, ImGui::GetContentRegionAvail().x);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double end_ns = std::max<double>(1.0, static_cast<double>(app.end.ns()));
  auto x_of = [&](sim::Time t) {
    return p0.x + w * static_cast<float>(std::clamp(static_cast<double>(t.ns()) / end_ns, 0., 1.));
  };
  auto t_of = [&](float x) {
    const double f = std::clamp(static_cast<double>((x - p0.x) / w), 0.0, 1.0);
    return sim::Time::from_ns(static_cast<int64_t>(std::llround(f * end_ns)));
  };
  dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), theme().track, 3.0f * s);
  dl->AddRectFilled(p0, ImVec2(x_of(app.world.now()), p0.y + h), theme().track_done, 3.0f * s);

  // Markers, one per pixel column and lane (a busy lesson has thousands of records).
  const int cols = static_cast<int>(w) + 1;
  mark_.assign(static_cast<size_t>(cols) * 3, 0);
  const float lane_h = h / 3.0f;
  for (const sim::TraceRecord& r : app.log()) {
    const int lane = marker_lane(r.kind);
    if (lane < 0) continue;
    const int col = static_cast<int>(x_of(r.at) - p0.x);
    uint32_t& m = mark_[static_cast<size_t>(lane) * cols + std::clamp(col, 0, cols - 1)];
    if (m != 0) continue;
    m = 1;
    const float x = p0.x + static_cast<float>(col);
    const float y = p0.y + lane_h * static_cast<float>(lane);
    const float half = std::max(1.5f, line_w(1.5f));
    dl->AddRectFilled(ImVec2(x - half + 0.5f, y + 1), ImVec2(x + half + 0.5f, y + lane_h - 1),
                      trace_colour(r.kind));
  }
  // A recording's end: where the recorded run stopped (playing on past it runs live).
  if (recorded_end) {
    const float x = x_of(*recorded_end);
    dl->AddRectFilled(ImVec2(x - line_w(1.5f), p0.y - 3 * s), ImVec2(x + line_w(1.5f), p0.y + h),
                      IM_COL32(235, 90, 90, 255));
  }
  // The user's own commands: white ticks over the whole height.
  for (const UserCommand& u : app.commands()) {
    const float x = x_of(u.at);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p0.y + h), theme().command_tick, line_w(2.0f));
  }
  const float xn = x_of(app.world.now());
  dl->AddTriangleFilled(ImVec2(xn - 6 * s, p0.y - 2 * s), ImVec2(xn + 6 * s, p0.y - 2 * s),
                        ImVec2(xn, p0.y + 7 * s), theme().now_marker);
  dl->AddLine(ImVec2(xn, p0.y), ImVec2(xn, p0.y + h), theme().now_marker, line_w(2.0f));

  ImGui::InvisibleButton("scrubber", ImVec2(w, h));
  if (ImGui::IsItemActive()) {
    // Dragging scrubs live, backwards through snapshots and forwards by executing.
    const sim::Time t = t_of(ImGui::GetIO().MousePos.x);
    app.playing = false;
    if (t != app.world.now()) app.goto_time(t);
  }
  if (ImGui::IsItemHovered()) {
    const float mx = ImGui::GetIO().MousePos.x;
    const sim::Time t = t_of(mx);
    // Above the time bar, so it never hides the clock or the buttons.
    ImGui::SetNextWindowPos(ImVec2(mx, ImGui::GetWindowPos().y - 4), ImGuiCond_Always,
                            ImVec2(std::clamp((mx - p0.x) / w, 0.0f, 1.0f), 1.0f));
    // The nearest marker under the mouse, so a student can read the story off the bar.
    const sim::TraceRecord* best = nullptr;
    float best_d = 6.0f;
    for (const sim::TraceRecord& r : app.log()) {
      if (marker_lane(r.kind) < 0) continue;
      const float d = std::fabs(x_of(r.at) - mx);
      if (d < best_d) {
        best_d = d;
        best = &r;
      }
    }
    ImGui::BeginTooltip();
    ImGui::Text("%s  (click or drag to go there)", sim::format_clock(t).c_str());
    if (recorded_end)
      ImGui::TextColored(ImVec4(0.92f, 0.35f, 0.35f, 1), "the recording ends at %s (red mark)",
                         sim::format_clock(*recorded_end).c_str());
    if (best != nullptr) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(trace_colour(best->kind)), "%s  %s",
                         sim::format_clock(best->at).c_str(), best->reason.c_str());
    }
    ImGui::EndTooltip();
  }
}

void TimelinePanel::buttons(AppState& app, Presentation& look) {
  if (icon_button("##start", Icon::to_start)) {
    app.playing = false;
    app.goto_event(0);
  }
  probe::item("time bar", "the to-start button");
  tooltip("Back to the start (Home)");
  ImGui::SameLine();
  if (icon_button("##previous", Icon::previous_interesting)) app.previous_interesting();
  probe::item("time bar", "the previous-moment button");
  tooltip("Back to the previous election, fence, ISR change, fault or error (Shift+Left)");
  ImGui::SameLine();
  if (icon_button("##back", Icon::step_back)) app.step_back();
  probe::item("time bar", "the step-back button");
  tooltip("Back one event (Left)");
  ImGui::SameLine();
  if (icon_button("##play", app.playing ? Icon::pause : Icon::play, 2.2f))
    app.playing = !app.playing;
  probe::item("time bar", "the play button");
  tooltip(app.playing ? "Pause (Space)" : "Play (Space)");
  ImGui::SameLine();
  if (icon_button("##step", Icon::step_forward)) app.step_event();
  probe::item("time bar", "the step button");
  tooltip("Execute one event (Right)");
  ImGui::SameLine();
  if (icon_button("##next", Icon::next_interesting)) app.next_interesting();
  probe::item("time bar", "the next-moment button");
  tooltip("Run to the next election, fence, ISR change, fault or error (Shift+Right)");
  const float speed_w = (look.presenter ? 110.0f : 170.0f) * ui_scale();
  same_line_if(speed_w);
  ImGui::SetNextItemWidth(speed_w);
  float log_speed = static_cast<float>(std::log10(app.speed));
  char label[48];
  if (app.slow_motion_s > 0 && app.playing && app.effective_speed < app.speed * 0.9)
    std::snprintf(label, sizeof label, "%.3gx (slow)", app.speed);
  else
    std::snprintf(label, sizeof label, "%.3gx", app.speed);
  // The speed beside the slider, not under its handle.
  if (ImGui::SliderFloat("##speed", &log_speed, -2.0f, 3.0f, "")) {
    app.speed = std::pow(10.0, static_cast<double>(log_speed));
  }
  probe::item("time bar", "the speed slider");
  tooltip("Simulated seconds per real second, 0.01x to 1000x (- and +)");
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::TextUnformatted(label);
  probe::item("time bar", "the speed");
  tooltip("Simulated seconds per real second, 0.01x to 1000x (- and +)");
  char clock[96];
  std::snprintf(clock, sizeof clock, "t = %s / %s", sim::format_clock(app.world.now()).c_str(),
                sim::to_string(app.end).c_str());
  same_line_if(ImGui::CalcTextSize(clock).x);
  ImGui::TextUnformatted(clock);
  probe::item("time bar", "the clock");
  if (!look.presenter) {  // a presenter's screen shows the story, not the engine's counters
    ImGui::SameLine();
    ImGui::TextDisabled(" event %llu", static_cast<unsigned long long>(app.events()));
  }
  if (can_record && button_flowing("Save recording")) save_requested = true;
  if (can_record) probe::item("time bar", "the Save recording button");
  if (can_record)
    tooltip(
        "Write this run up to now (the lesson, its seed, your clicks, the trace) to a new "
        "SQLite file in the current folder; kafkasim replay FILE --verify re-runs it");
  view_menu(app, look);
  if (button_flowing("?")) app.show_help = !app.show_help;
  probe::item("time bar", "the help button");
  tooltip("Keys and help (H or F1)");
}

void TimelinePanel::view_menu(AppState& app, Presentation& look) {
  if (button_flowing("View")) ImGui::OpenPopup("view_menu");
  probe::item("time bar", "the View button");
  tooltip("Windows, slow motion and the messages drawn (F2-F4, S)");
  if (!ImGui::BeginPopup("view_menu")) return;
  ImGui::TextDisabled("Windows");
  ImGui::MenuItem("Cluster", "F2", &panels.cluster);
  ImGui::MenuItem("Partitions and Messages", "F3", &panels.details);
  ImGui::MenuItem("Lesson, Event log, Inspector, Charts, Groups", "F4", &panels.side);
  ImGui::MenuItem("Help", "H", &app.show_help);
  ImGui::MenuItem("Presenter mode", "F5", &look.presenter);
  ImGui::Separator();
  bool slow = app.slow_motion_s > 0;
  if (ImGui::MenuItem("Slow motion", "S", &slow))
    app.slow_motion_s = slow ? static_cast<double>(slow_motion_) : 0.0;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "While a message is on its way, time runs slowly enough that it takes this long to "
        "cross, whatever the speed: produce, replication, the HW and the ack can be followed "
        "one by one. Off: full speed.");
  ImGui::SetNextItemWidth(12.0f * ImGui::GetFontSize());
  if (ImGui::SliderFloat("##crossing", &slow_motion_, 0.1f, 2.0f, "each crossing %.1f s") && slow)
    app.slow_motion_s = slow_motion_;
  ImGui::Separator();
  ImGui::TextDisabled("Messages drawn (and waited for in slow motion)");
  for (net::MessageKind k : kKafkaMessageKinds) {
    const uint32_t bit = 1u << static_cast<unsigned>(k);
    bool on = (app.hidden_kinds & bit) == 0;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(message_colour(k)));
    if (ImGui::Checkbox(std::string(net::message_kind_name(k)).c_str(), &on))
      app.hidden_kinds = on ? app.hidden_kinds & ~bit : app.hidden_kinds | bit;
    ImGui::PopStyleColor();
  }
  ImGui::EndPopup();
}

void TimelinePanel::presenter_toggle(Presentation& look) {
  // At the right end of the status line, or below it when the line is full.
  const char* label = "Presenter";
  const ImGuiStyle& st = ImGui::GetStyle();
  const float w = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float x = ImGui::GetItemRectMax().x + st.ItemSpacing.x;
  if (x + w <= right) {
    ImGui::SameLine(right - w - ImGui::GetWindowPos().x);
    // A frame is taller than a line of text: keep the line's height as it was.
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - st.FramePadding.y);
  }
  ImGui::Checkbox(label, &look.presenter);
  probe::item("time bar", "the Presenter checkbox");
  tooltip(
      "Presenter mode for a classroom: large fonts, high contrast, more room for the cluster "
      "(F5 or P; Ctrl+= / Ctrl+- change the font size at any time, Ctrl+0 resets it)");
}

float TimelinePanel::scrubber_height() {
  return 26.0f * ui_scale();
}

void TimelinePanel::draw(AppState& app, Presentation& look) {
  // No close button: a closed window could not be brought back (the Time window also
  // reads the keyboard shortcuts).
  ImGui::Begin("Time", nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoScrollbar |
                   (look.layout().title_bars ? 0 : ImGuiWindowFlags_NoTitleBar));
  if (app.slow_motion_s > 0) slow_motion_ = static_cast<float>(app.slow_motion_s);
  keyboard(app);
  buttons(app, look);
  scrubber(app);
  // Messages the network dropped (to a dead node, over a cut or lossy link): not records.
  if (look.presenter) {
    ImGui::TextDisabled("%llu messages  |  %llu dropped by the network",
                        static_cast<unsigned long long>(app.world.network().sent_count()),
                        static_cast<unsigned long long>(app.world.network().lost_count()));
  } else {
    ImGui::TextDisabled("%llu messages  |  %llu dropped by the network  |  trace %s",
                        static_cast<unsigned long long>(app.world.network().sent_count()),
                        static_cast<unsigned long long>(app.world.network().lost_count()),
                        sim::hash_hex(app.world.trace_hash()).c_str());
  }
  probe::item("time bar", "the message counts");
  if (!recording.empty()) {
    ImGui::SameLine();
    const std::string name = std::filesystem::path(recording).filename().string();
    if (recorded_end)
      ImGui::TextColored(ImVec4(0.92f, 0.35f, 0.35f, 1), "  recording %s, recorded to %s",
                         name.c_str(), sim::format_clock(*recorded_end).c_str());
    else
      ImGui::TextColored(ImVec4(0.92f, 0.35f, 0.35f, 1), "  recording %s (cut off)", name.c_str());
    probe::item("time bar", "the recording's sign");
    tooltip(
        "A recording: its lesson, seed and clicks replay as it plays; past the red mark on the "
        "timeline the run goes on live");
  }
  if (!app.status_line.empty()) {
    ImGui::SameLine();
    ImGui::Text("  %s", app.status_line.c_str());
    probe::item("time bar", "the status line");
  }
  presenter_toggle(look);
  wanted_height = ImGui::GetCursorPosY() - ImGui::GetStyle().ItemSpacing.y +
                  ImGui::GetStyle().WindowPadding.y + 4.0f;
  ImGui::End();

  if (app.show_help) {
    ImGui::Begin("Help", &app.show_help, ImGuiWindowFlags_AlwaysAutoResize);
    // Two columns (key, what it does) in a table: aligned whatever the font.
    auto section = [](const char* title,
                      std::initializer_list<std::pair<const char*, const char*>> rows) {
      ImGui::TextUnformatted(title);
      ImGui::Separator();
      if (ImGui::BeginTable(title, 2, ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("key");
        ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::GetFontSize() * 26.0f);
        for (const auto& [key, what] : rows) {
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          ImGui::TextUnformatted(key);
          ImGui::TableSetColumnIndex(1);
          ImGui::TextWrapped("%s", what);
        }
        ImGui::EndTable();
      }
      ImGui::Spacing();
    };
    section("Time", {{"Space", "play / pause"},
                     {"Right / Left", "one event forward / back"},
                     {"Shift+Right / Shift+Left",
                      "next / previous election, fence, ISR change, fault or error; while "
                      "following a record (click it in the log strip, or follow in a producer's "
                      "inspector), the next / previous "
                      "moment of its journey"},
                     {"Home", "back to the start"},
                     {"+ / -", "ten times faster / slower (0.01x .. 1000x)"},
                     {"Time bar buttons",
                      "start, previous moment, step back, play, step, next "
                      "moment; the speed; Save recording"},
                     {"Timeline",
                      "click or drag to go to a time (backwards too); markers: "
                      "narration (top), faults (middle), elections (bottom), your "
                      "commands (white)"}});
    section("Faults", {{"Click a node",
                        "crash, power off, pause, isolate, shut down, restart, "
                        "elect preferred leaders, select"},
                       {"Click a link",
                        "cut it, slow it, make it lossy, reset it (hover first: "
                        "it lights up)"},
                       {"D", "draw a network partition: click nodes or drag a lasso for side A"},
                       {"Escape", "cancel the partition being drawn"},
                       {"Heal network", "bring back every cut link"},
                       {"Elect preferred leaders", "move leadership back to preferred replicas"},
                       {"",
                        "every action is a command stamped with the simulated time: going "
                        "back replays it where it was made"}});
    section("View", {{"F5 or P", "presenter mode: large fonts, high contrast, a clean layout"},
                     {"Ctrl+= / Ctrl+-", "larger / smaller text at any time (Ctrl+0: back)"},
                     {"Legend", "show or hide the legend (hover it when there is no room)"},
                     {"Event log",
                      "click a line to go to the moment it happened; hover it "
                      "for the whole reason"},
                     {"Partitions tab",
                      "click a partition for its replicas' logs; 'Every partition' shows "
                      "the topic's leaders side by side; drag the whole-log bar to move"},
                     {"K", "colour the log cells by key instead of leader epoch"},
                     {"View or F2 / F3 / F4",
                      "show or hide the cluster, the Partitions and Messages tabs, the right-hand "
                      "column (a hidden window leaves its room to the others)"},
                     {"S",
                      "slow motion: each message takes 0.4 s to cross, whatever the speed "
                      "(View: how long, and which kinds of message are drawn)"},
                     {"Links",
                      "coloured by their recent traffic, thicker when busier, the arrowhead "
                      "toward the side that answers (a follower's fetches point at its leader)"},
                     {"H or F1", "this help"}});
    ImGui::End();
  }
}

}  // namespace kafkasim::gui
