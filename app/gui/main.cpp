// kafkasim-gui: the studio. Parses options, opens the window, and runs the frame loop:
// real time x speed -> simulated time target -> World::run_until -> panels draw from const
// views -> user actions go back as Commands.
//   kafkasim-gui [demo] [--seed N] [--at T --screenshot FILE.png] [--size WxH]
//                [--frames N --bench] [--font-size PX] [--mouse X,Y]
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "app_state.h"
#include "metrics.h"
#include "panels/charts_panel.h"
#include "panels/cluster_panel.h"
#include "panels/partition_panel.h"
#include "panels/timeline_panel.h"
#include "panels/trace_panel.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "screenshot.h"
#include "theme.h"
#include "world/cluster.h"
#include "world/demo_worlds.h"

using namespace kafkasim;

namespace {

const char* const kUsage =
    "usage: kafkasim-gui [FILE|orders|orders-zk|demo] [--seed N] [--at T --screenshot FILE.png]\n"
    "                    [--size WxH] [--frames N --bench] [--font-size PX] [--mouse X,Y]\n"
    "  FILE       a scenario file (scenarios/*.toml): its cluster, workload, timeline and\n"
    "             narration\n"
    "  orders     the default lesson: a KRaft cluster, broker and controller failover\n"
    "  orders-zk  the same story on a ZooKeeper-mode (Kafka 3.x) cluster\n"
    "  demo       five nodes with a heartbeat failure detector (the engine's own demo)\n"
    "  --mouse    for screenshots: the mouse rests at X,Y (shows what hovering there shows)\n"
    "";

struct Options {
  std::string world = "orders";
  std::string file;  // a scenario file, when given
  std::optional<uint64_t> seed;
  std::optional<sim::Time> at;
  std::string screenshot;
  int width = 1600, height = 900;
  int frames = 0;
  bool bench = false;
  float font_px = 17.0f;
  std::optional<ImVec2> mouse;
};

int usage_error(const std::string& what) {
  std::fprintf(stderr, "kafkasim-gui: %s\n%s", what.c_str(), kUsage);
  return 2;
}

std::optional<std::string> parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (a == "demo" || a == "orders" || a == "orders-zk") {
      o.world = a;
      continue;
    }
    if (a == "-h" || a == "--help") return std::string("help");
    if (a.rfind("--", 0) != 0 &&
        (a.find('.') != std::string::npos || a.find('/') != std::string::npos)) {
      o.file = a;
      continue;
    }
    if (a == "--bench") {
      o.bench = true;
      continue;
    }
    if (a != "--seed" && a != "--at" && a != "--screenshot" && a != "--size" && a != "--frames" &&
        a != "--font-size" && a != "--mouse") {
      return a.rfind("--", 0) == 0
                 ? "unknown option " + a
                 : "unknown argument \"" + a + "\" (a world name or a scenario file path)";
    }
    if (!(v = value())) return a + " needs a value";
    try {
      if (a == "--seed") o.seed = std::stoull(*v);
      if (a == "--frames") o.frames = std::stoi(*v);
      if (a == "--font-size") o.font_px = std::stof(*v);
    } catch (const std::exception&) {
      return a + " expects a number, got \"" + *v + "\"";
    }
    if (a == "--screenshot") o.screenshot = *v;
    if (a == "--at") {
      auto t = sim::parse_duration(*v);
      if (!t) return "--at: " + t.error();
      o.at = *t;
    }
    ImVec2 m;
    if (a == "--mouse" && std::sscanf(v->c_str(), "%f,%f", &m.x, &m.y) != 2)
      return "--mouse expects X,Y, got \"" + *v + "\"";
    if (a == "--mouse") o.mouse = m;
    if (a == "--size" && std::sscanf(v->c_str(), "%dx%d", &o.width, &o.height) != 2) {
      return "--size expects WIDTHxHEIGHT, got \"" + *v + "\"";
    }
  }
  if (!o.screenshot.empty() && !o.at) return std::string("--screenshot needs --at T");
  if (o.bench && o.frames <= 0) return std::string("--bench needs --frames N");
  return std::nullopt;
}

void layout(float w, float h) {
  const float bar = 96.0f, side = std::max(420.0f, w * 0.38f);
  ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(w - side, h - bar), ImGuiCond_Always);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (auto err = parse(argc, argv, opt)) {
    if (*err == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    return usage_error(*err);
  }
  // A scenario file is loaded (and refused with every error in it) before any window opens.
  std::optional<world::World> from_file;
  sim::Time file_end;
  if (!opt.file.empty()) {
    auto s = scenario::load_scenario(opt.file);
    if (!s) {
      std::fputs(scenario::format_diagnostics(s.error()).c_str(), stderr);
      std::fprintf(stderr, "%s: nothing was run\n", opt.file.c_str());
      return 2;
    }
    auto w = scenario::build_world(*s, opt.seed.value_or(s->seed));
    if (!w) {
      std::fprintf(stderr, "%s: %s\n", opt.file.c_str(), w.error().c_str());
      return 2;
    }
    from_file.emplace(std::move(*w));
    file_end = s->duration;
  }
  const uint64_t seed = opt.seed.value_or(1);
  if (!glfwInit()) {
    std::fprintf(stderr, "kafkasim-gui: cannot open a window (no display?); try: kafkasim run\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  const bool offscreen = !opt.screenshot.empty() || opt.bench;
  if (offscreen) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  GLFWwindow* win = glfwCreateWindow(opt.width, opt.height, "kafkasim studio", nullptr, nullptr);
  if (win == nullptr) {
    std::fprintf(stderr, "kafkasim-gui: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(win);
  glfwSwapInterval(offscreen ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is ours, not a leftover file
  gui::apply_theme(opt.font_px);
  ImGui_ImplGlfw_InitForOpenGL(win, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  gui::AppState app =
      from_file ? gui::AppState(std::move(*from_file), file_end)
      : opt.world == "demo"
          ? gui::AppState(world::make_heartbeat_demo(seed), world::demo_duration())
      : opt.world == "orders-zk"
          ? gui::AppState(world::make_orders_lesson_zk(seed), world::orders_lesson_duration())
          : gui::AppState(world::make_orders_lesson(seed), world::orders_lesson_duration());
  gui::ClusterPanel cluster;
  gui::PartitionPanel partitions;
  gui::TimelinePanel timeline;
  gui::TracePanel trace;
  gui::ChartsPanel charts;
  gui::MetricsRecorder metrics;
  if (opt.at) {
    // In sample steps, so the charts see the lag as it was along the way (same World either way).
    const sim::Time at = std::min(*opt.at, app.end);
    for (sim::Time t = metrics.interval(); t < at; t += metrics.interval()) {
      app.world.run_until(t);
      metrics.sample(app.world);
    }
    app.world.run_until(at);
    metrics.sample(app.world);
    app.playing = false;
  }

  std::vector<double> frame_ms;
  auto last = std::chrono::steady_clock::now();
  for (int frame = 0; !glfwWindowShouldClose(win); ++frame) {
    glfwPollEvents();
    const auto t0 = std::chrono::steady_clock::now();
    app.advance(std::chrono::duration<double>(t0 - last).count());
    metrics.sample(app.world);  // every interval crossed, also by a step or a command
    last = t0;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (opt.mouse) ImGui::GetIO().MousePos = *opt.mouse;
    ImGui::NewFrame();
    int fw, fh;
    glfwGetFramebufferSize(win, &fw, &fh);
    const float W = static_cast<float>(fw), H = static_cast<float>(fh);
    const float bar = 96.0f, side = std::max(420.0f, W * 0.38f);
    const bool kafka = opt.world != "demo";
    const float table = kafka ? std::min(260.0f, (H - bar) * 0.34f) : 0.0f;
    layout(W, H - table);
    cluster.draw(app);
    if (kafka) {
      ImGui::SetNextWindowPos(ImVec2(0, H - bar - table), ImGuiCond_Always);
      ImGui::SetNextWindowSize(ImVec2(W - side, table), ImGuiCond_Always);
      partitions.draw(app);
    }
    // The right column: the event log, and the charts below it when shown.
    charts.show = kafka && app.show_charts;
    const float log_h = charts.show ? std::floor((H - bar) * 0.36f) : H - bar;
    ImGui::SetNextWindowPos(ImVec2(W - side, 0), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(side, log_h), ImGuiCond_Always);
    trace.draw(app);
    ImGui::SetNextWindowPos(ImVec2(W - side, log_h), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(side, H - bar - log_h), ImGuiCond_Always);
    charts.draw(app, metrics);
    if (kafka) app.show_charts = charts.show;
    ImGui::SetNextWindowPos(ImVec2(0, H - bar), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(W, bar), ImGuiCond_Always);
    timeline.draw(app);
    ImGui::Render();
    glViewport(0, 0, fw, fh);
    glClearColor(0.06f, 0.07f, 0.08f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glFinish();
    frame_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (!opt.screenshot.empty() && frame == 3) {  // a few frames for ImGui to settle its layout
      const std::string err = gui::write_screenshot(opt.screenshot, fw, fh);
      if (!err.empty())
        std::fprintf(stderr, "kafkasim-gui: %s\n", err.c_str());
      else
        std::printf("wrote %s (%dx%d) at t=%s\n", opt.screenshot.c_str(), fw, fh,
                    sim::to_string(app.world.now()).c_str());
      break;
    }
    if (opt.bench && frame + 1 >= opt.frames) break;
    glfwSwapBuffers(win);
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
  return 0;
}
