// kafkasim-gui: the studio. Parses options, opens the window, and runs the frame loop:
// real time x speed -> simulated time target -> World::run_until -> panels draw from const
// views -> user actions go back as Commands.
//   kafkasim-gui [FILE|orders|orders-zk|demo] [--seed N] [--until T]
//                [--at T --screenshot FILE.png] [--size WxH]
//                [--frames N --bench] [--font-size PX] [--tab T] [--select SEL]
//                [--draw-partition IDS] [--presenter] [--theme NAME] [--assets DIR]
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "app_state.h"
#include "layout.h"
#include "layout_probe.h"
#include "metrics.h"
#include "options.h"
#include "panels/charts_panel.h"
#include "panels/cluster_panel.h"
#include "panels/groups_panel.h"
#include "panels/inspector_panel.h"
#include "panels/lesson_panel.h"
#include "panels/partition_panel.h"
#include "panels/sequence_panel.h"
#include "panels/timeline_panel.h"
#include "panels/trace_panel.h"
#include "presenter.h"
#include "recording_io.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "screenshot.h"
#include "theme.h"
#include "world/cluster.h"
#include "world/demo_worlds.h"
#include "world_view.h"

using namespace kafkasim;
using gui::Options;

namespace {

/// The right-hand column's panels.
struct SidePanels {
  gui::TracePanel trace;
  gui::InspectorPanel inspector;
  gui::ChartsPanel charts;
  gui::LessonPanel lesson;
  gui::GroupsPanel groups;
};

/// The right-hand column: the lesson, the event log, the inspector, the charts and the groups as
/// tabs. A new selection (a click in the cluster view, --select) brings the inspector forward;
/// --tab charts the charts, --tab groups the groups.
void side_window(gui::AppState& app, SidePanels& side, const gui::MetricsRecorder& metrics,
                 gui::Selection& last, const std::string& open_tab) {
  ImGui::Begin("##side", nullptr, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar);
  const bool open_charts = open_tab == "charts" || open_tab == "groups";
  const bool changed = app.selected.node != last.node || app.selected.partition != last.partition;
  // Tabs keep their names and scroll when the column is narrow (presenter mode), rather than
  // being cut to "Insp...".
  if (ImGui::BeginTabBar("side", ImGuiTabBarFlags_FittingPolicyScroll)) {
    if (ImGui::BeginTabItem("Lesson", nullptr,
                            open_tab == "lesson" ? ImGuiTabItemFlags_SetSelected : 0)) {
      // In its own scrolling region: the tabs stay in view when the current step scrolls in.
      ImGui::BeginChild("lesson_tab");
      side.lesson.draw_contents(app);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Event log", nullptr,
                            open_tab == "log" ? ImGuiTabItemFlags_SetSelected : 0)) {
      side.trace.draw_contents(app);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Inspector", nullptr,
                            changed && !open_charts ? ImGuiTabItemFlags_SetSelected : 0)) {
      side.inspector.draw_contents(app);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Charts", nullptr,
                            open_tab == "charts" ? ImGuiTabItemFlags_SetSelected : 0)) {
      side.charts.draw_contents(app, metrics);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Groups", nullptr,
                            open_tab == "groups" ? ImGuiTabItemFlags_SetSelected : 0)) {
      side.groups.draw_contents(app);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  last = app.selected;
  ImGui::End();
}

/// The studio on a lesson file: its World for `seed` (default the file's) in lesson mode; every
/// error in the file, or why it cannot run, as text.
sim::Result<gui::AppState, std::string> open_lesson(const std::string& path,
                                                    std::optional<uint64_t> seed,
                                                    gui::LessonSource& src) {
  if (path.ends_with(".db")) {  // a recording: its lesson, seed and clicks
    auto app = gui::open_recording(path, src);
    if (!app) return sim::Err{app.error() + "\n"};
    return app;
  }
  auto s = scenario::load_scenario(path);
  if (!s) return sim::Err{scenario::format_diagnostics(s.error()) + path + ": nothing was run\n"};
  src.file = path;
  std::ifstream in(path, std::ios::binary);
  src.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  src.seed = seed.value_or(s->seed);
  auto w = scenario::build_world(*s, src.seed);
  if (!w) return sim::Err{path + ": " + w.error() + "\n"};
  gui::AppState app(std::move(*w), s->duration);
  app.set_lesson(std::move(*s));
  return app;
}

// [keys that come and go between two frames]
// A presentation clicker (and a quick tap) sends a key's press and release within one frame.
// ImGui 1.86 reads keys as held or not once per frame, so such a press was never seen. Keys
// released in the frame they were pressed in reach ImGui at the end of that frame instead:
// it sees them held for one frame, and IsKeyPressed() is true there.
std::vector<int> g_pressed_this_frame;
struct HeldRelease {
  int key, scancode, mods;
};
std::vector<HeldRelease> g_held_releases;

void key_callback(GLFWwindow* w, int key, int scancode, int action, int mods) {
  if (action == GLFW_PRESS) g_pressed_this_frame.push_back(key);
  if (action == GLFW_RELEASE && std::find(g_pressed_this_frame.begin(), g_pressed_this_frame.end(),
                                          key) != g_pressed_this_frame.end()) {
    g_held_releases.push_back({key, scancode, mods});
    return;
  }
  ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
}

/// After a frame: the releases held back reach ImGui now.
void release_held_keys(GLFWwindow* w) {
  g_pressed_this_frame.clear();
  for (const HeldRelease& r : g_held_releases)
    ImGui_ImplGlfw_KeyCallback(w, r.key, r.scancode, GLFW_RELEASE, r.mods);
  g_held_releases.clear();
}

/// The lesson the studio opens when given neither a file nor a built-in world's name.
constexpr const char* kDefaultLesson = "00-first-look.toml";

void place_next(ImVec2 pos, ImVec2 size) {
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (auto err = gui::parse(argc, argv, opt)) {
    if (*err == "help") {
      std::fputs(gui::kUsage, stdout);
      return 0;
    }
    return gui::usage_error(*err);
  }
  // A scenario file is loaded (and refused with every error in it) before any window opens.
  std::optional<gui::AppState> opened;
  gui::LessonSource source;  // what a saved recording needs
  // Nothing named: the default lesson, a scenario file with steps, pauses and expectations.
  if (opt.file.empty() && !opt.world_named)
    opt.file = std::string(KAFKASIM_SCENARIO_DIR) + "/" + kDefaultLesson;
  if (!opt.file.empty()) {
    auto a = open_lesson(opt.file, opt.seed, source);
    if (!a) {
      std::fputs(a.error().c_str(), stderr);
      return 2;
    }
    opened.emplace(std::move(*a));
  } else {
    source.world = opt.world;
    source.seed = opt.seed.value_or(1);
    auto b = world::make_builtin_world(source.world, source.seed);
    if (!b) return gui::usage_error(b.error());
    opened.emplace(std::move(b->world), b->duration);
  }
  if (opt.until) opened->end = *opt.until;  // the time bar runs to --until instead
  if (!glfwInit()) {
    std::fprintf(stderr, "kafkasim-gui: cannot open a window (no display?); try: kafkasim run\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  const bool offscreen = !opt.screenshot.empty() || opt.bench || opt.check_layout;
  if (offscreen) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* win = glfwCreateWindow(opt.width, opt.height, "kafkasim studio", nullptr, nullptr);
  if (win == nullptr) {
    std::fprintf(stderr, "kafkasim-gui: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(win);
  glfwSwapInterval(offscreen ? 0 : 1);
  int exit_code = 0;  // 1 when the screenshot asked for could not be written
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is ours, not a leftover file
  gui::Presentation look;
  look.presenter = opt.presenter;
  look.theme = opt.theme;
  look.font_px = opt.font_px;
  look.set_zoom(opt.font_scale);
  look.load_assets(gui::assets_dir(opt));
  look.apply();
  ImGui_ImplGlfw_InitForOpenGL(win, true);
  glfwSetKeyCallback(win, key_callback);  // over ImGui's, which it calls
  ImGui_ImplOpenGL3_Init("#version 330");

  gui::AppState app = std::move(*opened);
  opened.reset();
  gui::ClusterPanel cluster;
  gui::PartitionPanel partitions;
  gui::TimelinePanel timeline;
  timeline.panels.cluster = !opt.hide_cluster;
  timeline.panels.details = !opt.hide_details;
  timeline.panels.side = !opt.hide_side;
  gui::SequencePanel sequence;
  gui::MetricsRecorder metrics;
  SidePanels side;
  side.lesson.library_dir = KAFKASIM_SCENARIO_DIR;
  gui::Selection last_selected;
  app.selected.partition = opt.select_partition;
  if (opt.select_node) {
    app.selected.node = app.world.index_of(*opt.select_node);
    if (app.selected.node < 0)
      std::fprintf(stderr, "kafkasim-gui: --select: there is no node %d\n", *opt.select_node);
  }
  app.show_help = opt.tab == "help";  // the keys and help window (H)
  app.slow_motion_s = opt.slow_motion;
  if (opt.draw_partition) {
    cluster.drawing = true;
    for (int32_t id : *opt.draw_partition) {
      if (app.world.index_of(id) < 0)
        std::fprintf(stderr, "kafkasim-gui: --draw-partition: there is no node %d\n", id);
      else
        cluster.side_a.push_back(id);
    }
  }
  if (opt.at) {
    // In sample steps, so the charts see the lag as it was along the way (same World either way).
    const sim::Time at = std::min(*opt.at, app.end);
    for (sim::Time t = metrics.interval(); t < at; t += metrics.interval()) {
      app.goto_time(t);
      metrics.sample(app.world);
    }
    app.goto_time(at);
    app.playing = opt.bench;  // a benchmark times frames that play on from there
  }
  if (!opt.follow_partition.empty()) {
    // The record at that offset, as the first replica holding it (the leader first) has it;
    // if none holds it yet, as one holds it at the end of the run (then back to --at).
    const auto split = world::split_partition_name(opt.follow_partition);
    auto find = [&] {
      if (!split) return false;
      const kafka::TopicPartitionName tp{split->first, split->second};
      const int32_t leader = world::partition_leader(app.world, opt.follow_partition);
      std::vector<int32_t> holders{leader};
      for (const auto& n : app.world.nodes())
        holders.push_back(n.id);
      for (int32_t b : holders) {
        const auto* h = gui::hosted_replica(app.world, b, tp);
        const kafka::Record* r = h ? gui::record_at(h->log, opt.follow_offset).record() : nullptr;
        if (r == nullptr) continue;
        app.followed = gui::FollowedRecord{tp, opt.follow_offset, r->origin};
        app.selected.partition = opt.follow_partition;
        return true;
      }
      return false;
    };
    bool found = find();
    if (!found && split) {
      const sim::Time at = app.world.now();
      const bool playing = app.playing;
      app.goto_time(app.end);
      found = find();
      app.goto_time(at);
      app.playing = playing;
    }
    if (!found)
      std::fprintf(stderr, "kafkasim-gui: --follow: no replica holds offset %lld of %s\n",
                   static_cast<long long>(opt.follow_offset), opt.follow_partition.c_str());
  }
  // Over the lesson's, wherever --at (and --follow's look-ahead) landed.
  if (opt.speed) app.speed = *opt.speed;

  std::vector<double> frame_ms;
  auto last = std::chrono::steady_clock::now();
  for (int frame = 0; !glfwWindowShouldClose(win); ++frame) {
    glfwPollEvents();
    look.apply();  // between frames: a new theme or font size takes effect here
    const auto t0 = std::chrono::steady_clock::now();
    app.advance(std::chrono::duration<double>(t0 - last).count());
    metrics.sample(app.world);  // every interval crossed, also by a step, a jump or a command
    last = t0;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // A screenshot is taken after a few fast frames: long steps let ImGui's animations (a tab
    // bar scrolling to the selected tab) finish first, whatever the machine's speed.
    if (!opt.screenshot.empty() || opt.check_layout) ImGui::GetIO().DeltaTime = 0.25f;
    // --check-layout: the boxes of the frame a screenshot would show.
    gui::probe::record(opt.check_layout && frame == 3);
    ImGui::NewFrame();
    int fw, fh;
    glfwGetFramebufferSize(win, &fw, &fh);
    const float W = static_cast<float>(fw), H = static_cast<float>(fh);
    look.keyboard();
    // The time bar: title, buttons, the timeline and its spacing, the status line (until it
    // has measured itself: it wraps its buttons on a narrow window).
    const ImGuiStyle& st = ImGui::GetStyle();
    const float bar = timeline.wanted_height > 0.0f
                          ? timeline.wanted_height
                          : ImGui::GetFrameHeight() + ImGui::GetFrameHeightWithSpacing() +
                                gui::TimelinePanel::scrubber_height() + st.ItemSpacing.y +
                                ImGui::GetTextLineHeight() + st.WindowPadding.y * 2 + 4.0f;
    const bool kafka = source.world != "demo";
    // Below the cluster, the tabs: the partitions (its table and the selected partition's
    // replica logs take the height they need, within bounds) and the sequence diagram.
    const float tabs = ImGui::GetFrameHeightWithSpacing() + st.WindowPadding.y;
    const gui::Placement at =
        gui::place(look.layout(), W, H, bar, partitions.wanted_height + tabs, gui::ui_scale(),
                   ImGui::GetTextLineHeightWithSpacing(), timeline.panels);
    if (timeline.panels.cluster) {
      place_next(at.cluster_pos, at.cluster_size);
      cluster.title_bar = look.layout().title_bars;
      cluster.draw(app);
    }
    // Below the cluster: the partitions and the message sequence diagram, as tabs.
    place_next(at.details_pos, at.details_size);
    if (timeline.panels.details)
      ImGui::Begin(
          "Details", nullptr,
          ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    if (timeline.panels.details && ImGui::BeginTabBar("details")) {
      auto tab_flags = [&](const char* name) {
        return frame < 2 && opt.tab == name ? ImGuiTabItemFlags_SetSelected : 0;
      };
      if (kafka && ImGui::BeginTabItem("Partitions", nullptr, tab_flags("partitions"))) {
        ImGui::BeginChild("partitions_tab");
        partitions.draw_contents(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem("Messages", nullptr, tab_flags("messages"))) {
        sequence.draw_contents(app);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
    if (timeline.panels.details) ImGui::End();
    place_next(at.side_pos, at.side_size);
    // The right-hand column opens on the lesson when there is one (unless asked otherwise).
    std::string open_tab;
    // With --select and no --tab, the inspector (side_window brings it forward on the new
    // selection); asking for the log here on the second frame used to hide it again.
    if (frame < 2) {
      const bool selected = opt.select_node || !opt.select_partition.empty();
      if (opt.tab == "charts" || opt.tab == "groups") {
        open_tab = opt.tab;
      } else if (opt.tab == "lesson" || (app.lesson() != nullptr && !selected)) {
        open_tab = "lesson";
      } else if (opt.tab == "log" || !selected) {
        open_tab = "log";
      }
    }
    if (timeline.panels.side) side_window(app, side, metrics, last_selected, open_tab);
    if (timeline.panels.cluster)
      gui::draw_violation_banner(app, at.cluster_pos.x + 8.0f,
                                 at.cluster_pos.y + ImGui::GetFrameHeight() + 4.0f,
                                 at.cluster_size.x - 16.0f);
    place_next(at.bar_pos, at.bar_size);
    timeline.can_record = source.recordable();
    timeline.recording = source.recording;
    timeline.recorded_end = source.recorded_end;
    timeline.draw(app, look);
    if (timeline.save_requested) {
      timeline.save_requested = false;
      const std::string path = gui::next_recording_path(source, ".");
      auto ok = gui::save_recording(app, source, path);
      app.status_line = ok ? "saved " + path + " (kafkasim replay " + path + " --verify)"
                           : "cannot save: " + ok.error();
    }
    ImGui::Render();
    glViewport(0, 0, fw, fh);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(gui::theme().background);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!opt.screenshot.empty() && frame == 3) {  // a few frames for ImGui to settle its layout
      const std::string err = gui::write_screenshot(opt.screenshot, fw, fh);
      if (!err.empty()) {
        std::fprintf(stderr, "kafkasim-gui: %s\n", err.c_str());
        exit_code = 1;
      } else
        std::printf("wrote %s (%dx%d) at t=%s\n", opt.screenshot.c_str(), fw, fh,
                    sim::to_string(app.world.now()).c_str());
      break;
    }
    if (opt.check_layout && frame == 3) {
      const gui::LayoutReport r = gui::check_layout(gui::probe::boxes());
      if (std::getenv("KAFKASIM_LAYOUT_BOXES") != nullptr) {
        // Every box checked, for whoever wonders what a panel reported.
        for (const gui::DrawnBox& b : gui::probe::boxes())
          std::printf("box: %s: %s [%.0f,%.0f %.0fx%.0f]\n", b.panel.c_str(), b.what.c_str(),
                      b.box.x0, b.box.y0, b.box.width(), b.box.height());
      }
      for (const std::string& o : r.overlaps)
        std::printf("overlap: %s\n", o.c_str());
      for (const std::string& c : r.clipped)
        std::printf("clipped: %s\n", c.c_str());
      std::printf("%zu overlaps, %zu clipped (%zu boxes, %dx%d at t=%s)\n", r.overlaps.size(),
                  r.clipped.size(), gui::probe::boxes().size(), fw, fh,
                  sim::to_string(app.world.now()).c_str());
      if (!r.overlaps.empty() || !r.clipped.empty()) exit_code = 1;
      break;
    }
    if (opt.bench && frame + 1 >= opt.frames) break;
    if (!side.lesson.open_request.empty()) {
      // Another lesson from the library: a new World and fresh panels, between frames.
      gui::LessonSource next_source;
      auto next = open_lesson(side.lesson.open_request, std::nullopt, next_source);
      side.lesson.open_request.clear();
      if (!next) {
        app.status_line = "cannot open: " + next.error();
      } else {
        app = std::move(*next);
        source = std::move(next_source);
        side.trace = gui::TracePanel{};
        side.groups = gui::GroupsPanel{};
        sequence = gui::SequencePanel{};
        metrics = gui::MetricsRecorder{};
        partitions = gui::PartitionPanel{};
      }
    }
    glfwSwapBuffers(win);
    release_held_keys(win);
  }
  if (opt.bench && !frame_ms.empty()) {
    std::vector<double> s = frame_ms;
    std::sort(s.begin(), s.end());
    double sum = 0;
    for (double v : s)
      sum += v;
    std::printf("frames=%zu mean_ms=%.2f p99_ms=%.2f\n", s.size(), sum / s.size(),
                s[(s.size() * 99) / 100 == s.size() ? s.size() - 1 : (s.size() * 99) / 100]);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(win);
  glfwTerminate();
  return exit_code;
}
