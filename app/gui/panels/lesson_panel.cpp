#include "panels/lesson_panel.h"

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "check/history.h"
#include "layout_probe.h"
#include "scenario/loader.h"

namespace kafkasim::gui {

namespace {

const ImVec4 kGreen(0.45f, 0.85f, 0.55f, 1), kRed(0.95f, 0.45f, 0.45f, 1),
    kAmber(0.96f, 0.77f, 0.27f, 1), kBlue(0.55f, 0.75f, 1.0f, 1), kGrey(0.6f, 0.62f, 0.66f, 1);

/// TOML multi-line text reflowed: single line breaks become spaces, blank lines stay.
std::string reflow(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' && i + 1 < text.size() && text[i + 1] != '\n' && (i == 0 || text[i - 1] != '\n'))
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string step_action(const scenario::Step& st) {
  std::string out;
  if (const auto* c = std::get_if<world::Command>(&st.what))
    out = world::describe(*c);
  else
    out = st.action;
  if (st.speed) {
    char speed[48];
    std::snprintf(speed, sizeof speed, "play at %gx", *st.speed);
    out += (out.empty() ? "" : "; ") + std::string(speed);
  }
  return out;
}

}  // namespace

std::vector<LessonEntry> list_lessons(const std::string& dir) {
  std::vector<LessonEntry> out;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
    if (f.path().extension() != ".toml") continue;
    LessonEntry e;
    e.path = f.path().string();
    auto s = scenario::load_scenario(e.path);
    if (s) {
      e.name = s->name;
      e.description = s->description;
    } else {
      e.name = f.path().filename().string();
      e.error = scenario::format_diagnostics(s.error());
    }
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(),
            [](const LessonEntry& a, const LessonEntry& b) { return a.path < b.path; });
  return out;
}

void LessonPanel::draw_library(const AppState& app) {
  if (!listed_) {
    lessons_ = list_lessons(library_dir);
    listed_ = true;
  }
  if (lessons_.empty()) {
    ImGui::TextDisabled("No lessons found in %s", library_dir.c_str());
    return;
  }
  const scenario::Scenario* current = app.lesson();
  for (size_t i = 0; i < lessons_.size(); ++i) {
    const LessonEntry& e = lessons_[i];
    ImGui::PushID(static_cast<int>(i));
    const std::string file = std::filesystem::path(e.path).filename().string();
    const bool here = current != nullptr && current->name == e.name;
    if (ImGui::Selectable(file.c_str(), here, ImGuiSelectableFlags_AllowDoubleClick) &&
        e.error.empty()) {
      open_request = e.path;
    }
    if (!e.error.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.error.c_str());
    ImGui::Indent();
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(e.error.empty() ? kBlue : kRed, "%s",
                       e.error.empty() ? e.name.c_str() : "does not load (hover for why)");
    if (!e.description.empty()) ImGui::TextDisabled("%s", reflow(e.description).c_str());
    ImGui::PopTextWrapPos();
    ImGui::Unindent();
    ImGui::PopID();
  }
}

void LessonPanel::draw_contents(AppState& app) {
  const scenario::Scenario* s = app.lesson();
  if (s == nullptr) {
    ImGui::TextWrapped(
        "This is a built-in world, not a lesson file. Pick a lesson from the library to open "
        "it (its story, pauses, expectations and invariants appear here).");
    ImGui::Separator();
    draw_library(app);
    return;
  }
  const sim::Time now = app.world.now();
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(kBlue, "%s", s->name.c_str());
  if (!s->description.empty()) ImGui::TextDisabled("%s", reflow(s->description).c_str());
  ImGui::PopTextWrapPos();

  // Paused at one of the lesson's pauses: say so, and how to go on.
  const bool at_pause =
      !app.playing && std::binary_search(app.pauses.begin(), app.pauses.end(), now);
  if (at_pause) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.40f, 0.65f, 1));
    // The longest label that fits the column.
    const char* label = "Paused for the class: continue (Space)";
    const float room = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().FramePadding.x * 2;
    if (ImGui::CalcTextSize(label).x > room) label = "Paused: continue (Space)";
    if (ImGui::CalcTextSize(label).x > room) label = "Continue (Space)";
    if (ImGui::Button(label, ImVec2(-1, 0))) app.playing = true;
    if (probe::recording()) probe::item("lesson", std::string("the button ") + label);
    ImGui::PopStyleColor();
  }

  // Invariants.
  ImGui::Spacing();
  if (const auto& v = app.violation()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(kRed, "Kafka broke a promise it makes: %s", v->invariant.c_str());
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "These settings promise this, and real Kafka keeps it: a simulator that breaks it has "
          "a bug in its model. Please report it with the recording.");
    ImGui::TextWrapped("%s", v->what.c_str());
    ImGui::TextDisabled("%s", v->event.c_str());
    ImGui::PopTextWrapPos();
    if (app.violation_event() && ImGui::Button("Go to the event that broke it")) {
      app.goto_event(*app.violation_event());
    }
  } else {
    const uint64_t events = app.events();
    if (events < lost_counted_at_ || events - lost_counted_at_ >= 2000) {
      lost_ = check::summarize(app.world).acked_records_lost;
      lost_counted_at_ = events;
    }
    if (lost_ > 0) {
      // No invariant is broken, yet records were lost: these settings do not promise them.
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4(0.93f, 0.70f, 0.18f, 1.0f),
                         "%lld acknowledged records lost: these settings give that promise up "
                         "(no invariant is broken)",
                         static_cast<long long>(lost_));
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Kafka keeps acknowledged records only with acks=all, min.insync.replicas of at "
            "least 2 and no unclean leader election (and, against power loss, writes on disk): "
            "this lesson's settings give one of them up.");
    }
    ImGui::TextColored(kGreen, "Every invariant holds so far");
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "Checked after every event: no acknowledged record lost where the settings promise "
          "it,\none leader per partition epoch, a leader's high watermark never decreases, "
          "per-partition order.");
    }
  }

  // The story.
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("Steps", ImGuiTreeNodeFlags_DefaultOpen)) {
    size_t current = s->timeline.size();
    for (size_t i = 0; i < s->timeline.size(); ++i)
      if (s->timeline[i].time <= now) current = i;
    if (ImGui::BeginTable("steps", 2,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                              ImGuiTableFlags_SizingStretchProp)) {
      // A narrow column (a projector's) puts "pause" under the time: the words get the room.
      const bool narrow = ImGui::GetContentRegionAvail().x < 24.0f * ImGui::GetFontSize();
      ImGui::TableSetupColumn("when", ImGuiTableColumnFlags_WidthFixed,
                              ImGui::CalcTextSize(narrow ? "000.0s" : "000.0s  pause").x);
      ImGui::TableSetupColumn("what");
      for (size_t i = 0; i < s->timeline.size(); ++i) {
        const scenario::Step& st = s->timeline[i];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(static_cast<int>(i));
        const bool ahead = st.time > now;
        char when[48];
        std::snprintf(when, sizeof when, "%s%s", sim::to_string(st.time).c_str(),
                      !st.pause ? ""
                      : narrow  ? "\npause"
                                : "  pause");
        if (ImGui::Selectable(when, i == current, ImGuiSelectableFlags_SpanAllColumns)) {
          app.playing = false;
          app.goto_time(st.time);
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Go to %s", sim::to_string(st.time).c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::PushTextWrapPos(0);
        const std::string action = step_action(st);
        if (!action.empty()) ImGui::TextColored(ahead ? kGrey : kAmber, "%s", action.c_str());
        if (!st.narrate.empty()) {
          if (ahead)
            ImGui::TextDisabled("%s", st.narrate.c_str());
          else
            ImGui::TextUnformatted(st.narrate.c_str());
        }
        ImGui::PopTextWrapPos();
        ImGui::PopID();
        // A new current step scrolls into view (a short panel on a projector).
        if (i == current && current != shown_step_) {
          shown_step_ = current;
          scroll_frames_ = 3;  // the first frame's wrapped rows are not their final height
        }
        if (i == current && scroll_frames_ > 0) {
          ImGui::SetScrollHereY(0.25f);
          --scroll_frames_;
        }
      }
      ImGui::EndTable();
    }
  }

  // Expectations, live.
  if (!app.expectation_order().empty() &&
      ImGui::CollapsingHeader("Expectations", ImGuiTreeNodeFlags_DefaultOpen)) {
    int passed = 0, failed = 0;
    for (size_t k = 0; k < app.judged(); ++k)
      (app.outcome(k).passed ? passed : failed)++;
    ImGui::TextWrapped("%d passed, %d failed, %zu still to come", passed, failed,
                       app.expectation_order().size() - app.judged());
    // A narrow column (a projector's) puts the result under the time: the words get the room.
    const bool narrow = ImGui::GetContentRegionAvail().x < 24.0f * ImGui::GetFontSize();
    if (ImGui::BeginTable("expect", narrow ? 2 : 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                              ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("at", ImGuiTableColumnFlags_WidthFixed,
                              ImGui::CalcTextSize(narrow ? "pending " : "000.0s ").x);
      ImGui::TableSetupColumn("expectation");
      if (!narrow)
        ImGui::TableSetupColumn("result", ImGuiTableColumnFlags_WidthFixed,
                                ImGui::CalcTextSize("pending ").x);
      auto result = [&](size_t k) {
        if (k >= app.judged())
          ImGui::TextDisabled("pending");
        else if (app.outcome(k).passed)
          ImGui::TextColored(kGreen, "PASS");
        else
          ImGui::TextColored(kRed, "FAIL");
      };
      for (size_t k = 0; k < app.expectation_order().size(); ++k) {
        const scenario::Expectation& e = s->expectations[app.expectation_order()[k]];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextDisabled("%s", e.at ? sim::to_string(*e.at).c_str() : "end");
        if (narrow) result(k);
        ImGui::TableSetColumnIndex(1);
        ImGui::PushTextWrapPos(0);
        if (k < app.judged()) {
          const scenario::Outcome& o = app.outcome(k);
          ImGui::TextUnformatted((o.subject + " " + o.expected).c_str());
          ImGui::TextDisabled("found %s", o.found.c_str());
        } else {
          ImGui::TextUnformatted(
              (scenario::subject_of(e) + " " + scenario::describe_expected(e)).c_str());
        }
        ImGui::PopTextWrapPos();
        if (!narrow) {
          ImGui::TableSetColumnIndex(2);
          result(k);
        }
      }
      ImGui::EndTable();
    }
  }

  if (ImGui::CollapsingHeader("Library: open another lesson")) draw_library(app);
}

void draw_violation_banner(AppState& app, float x, float y, float width) {
  const auto& v = app.violation();
  if (!v) return;
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.45f, 0.08f, 0.08f, 0.95f));
  ImGui::Begin("##violation", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
  ImGui::TextColored(ImVec4(1, 1, 1, 1), "Kafka broke a promise it makes (a bug in the model): %s",
                     v->invariant.c_str());
  ImGui::SameLine();
  if (app.violation_event() && ImGui::SmallButton("go to the event")) {
    app.goto_event(*app.violation_event());
  }
  ImGui::PushTextWrapPos(width - 16);
  ImGui::TextUnformatted(v->what.c_str());
  ImGui::PopTextWrapPos();
  ImGui::End();
  ImGui::PopStyleColor();
}

}  // namespace kafkasim::gui
