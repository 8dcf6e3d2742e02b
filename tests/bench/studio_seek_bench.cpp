// BM_studio_seek: issue 8's last target, "a 10-minute recording of the default lesson opens and
// is scrubbable in the studio within 1 s". Two recordings of the default lesson (`orders`, seed
// 1) are made first (not timed): one as `kafkasim run orders --until 600s --record` writes it,
// one as the studio's "Save recording" writes it after 600 s with clicks made along the way.
// Then, for the recording the benchmark's argument picks (0: kafkasim run, 1: the studio's), the
// time is that of the studio's own code path: gui::open_recording (what `kafkasim-gui FILE.db`
// calls), then the time bar's seeks, AppState::goto_time, to 10:00, back to 0:30 and to 5:00,
// each followed by the charts' MetricsRecorder::sample as the next frame does. Counters: open_ms,
// and to_10m_ms, step_back_ms (one event back from 10:00), to_30s_ms, to_5m_ms (wall time of
// each seek, the slowest of the iterations);
// the benchmark fails when the state reached at 10:00 is not the recorded run's (trace hash and
// event count).
//
// Drawing a frame is not included (it needs a window): `kafkasim-gui FILE.db --at 600s --bench
// --frames 60` measures it.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "app_state.h"
#include "metrics.h"
#include "record/recording.h"
#include "recording_io.h"
#include "scenario/runner.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

constexpr sim::Time kRecorded = 600_s;

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string fresh_path(const std::string& name) {
  const std::filesystem::path p = std::filesystem::temp_directory_path() / name;
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(p.string() + suffix);
  return p.string();
}

/// As `kafkasim run orders --until 600s --record PATH` writes it.
std::string record_headless(std::string& error) {
  const std::string path = fresh_path("kafkasim-bench-orders-run.db");
  record::Header h;
  h.world = "orders";
  h.until = kRecorded;
  auto rec = record::Recorder::create(path, h);
  auto built = world::make_builtin_world("orders", 1);
  if (!rec || !built) {
    error = rec ? built.error() : rec.error();
    return path;
  }
  scenario::RunOptions o;
  o.until = kRecorded;
  o.on_built = [&](const world::World& w) { rec->start(w); };
  o.on_event = [&](const world::World& w) { rec->observe(w); };
  world::World end;
  const scenario::RunResult r =
      scenario::run_world(std::move(built->world), built->duration, o, &end);
  if (auto ok = rec->finish(end, record::Summary{r.trace_hash, r.events, r.end}); !ok)
    error = ok.error();
  return path;
}

/// As the studio's "Save recording" writes it after 600 s of the default lesson (kafkasim-gui
/// --until 600s), with a partition, a crash and a configuration change clicked along the way.
std::string record_in_studio(std::string& error) {
  const std::string path = fresh_path("kafkasim-bench-orders-studio.db");
  gui::LessonSource src;
  src.world = "orders";
  auto built = world::make_builtin_world(src.world, src.seed);
  if (!built) {
    error = built.error();
    return path;
  }
  gui::AppState app(std::move(built->world), kRecorded);
  const std::vector<std::pair<sim::Time, world::Command>> clicks = {
      {90_s, world::Partition{{{101}, {102, 103}}}},
      {120_s, world::Heal{}},
      {200_s, world::Crash{world::NodeRef::of_role("leader:orders-1")}},
      {230_s, world::Restart{world::NodeRef::of_role("broker")}},
      {400_s, world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{2}}},
  };
  for (const auto& [at, command] : clicks) {
    app.goto_time(at);
    (void)app.submit(command);  // a refusal is recorded too, as the studio would
  }
  app.goto_time(kRecorded);
  if (auto ok = gui::save_recording(app, src, path); !ok) error = ok.error();
  return path;
}

/// The wall time of one seek as the studio does it: the time bar's goto_time, then the next
/// frame's charts sample.
double seek(gui::AppState& app, gui::MetricsRecorder& metrics, sim::Time t) {
  const double start = wall_seconds();
  app.goto_time(t);
  metrics.sample(app.world);
  return wall_seconds() - start;
}

}  // namespace

static void BM_studio_seek(benchmark::State& state) {
  std::string error;
  const std::string path = state.range(0) == 0 ? record_headless(error) : record_in_studio(error);
  if (!error.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  auto recorded = record::open_recording(path);
  if (!recorded || !recorded->summary) {
    state.SkipWithError(recorded ? "the recording has no summary" : recorded.error().c_str());
    return;
  }
  double open_s = 0, to_10m_s = 0, back_s = 0, to_30s_s = 0, to_5m_s = 0;
  for (auto _ : state) {
    const double start = wall_seconds();
    gui::LessonSource src;
    auto app = gui::open_recording(path, src);
    if (!app) {
      state.SkipWithError(app.error().c_str());
      return;
    }
    gui::MetricsRecorder metrics;
    metrics.sample(app->world);
    open_s = std::max(open_s, wall_seconds() - start);
    to_10m_s = std::max(to_10m_s, seek(*app, metrics, 600_s));
    if (app->world.trace_hash() != recorded->summary->trace_hash ||
        app->events() != recorded->summary->events) {
      state.SkipWithError("at 10:00 the studio is not where the recorded run was");
      return;
    }
    const double back = wall_seconds();  // the time bar's step back, one event
    app->step_back();
    metrics.sample(app->world);
    back_s = std::max(back_s, wall_seconds() - back);
    to_30s_s = std::max(to_30s_s, seek(*app, metrics, 30_s));
    to_5m_s = std::max(to_5m_s, seek(*app, metrics, 300_s));
    state.SetIterationTime(wall_seconds() - start);
  }
  state.counters["open_ms"] = open_s * 1e3;
  state.counters["to_10m_ms"] = to_10m_s * 1e3;
  state.counters["step_back_ms"] = back_s * 1e3;
  state.counters["to_30s_ms"] = to_30s_s * 1e3;
  state.counters["to_5m_ms"] = to_5m_s * 1e3;
  state.counters["events"] = static_cast<double>(recorded->summary->events);
  state.SetLabel(state.range(0) == 0 ? "kafkasim run orders --until 600s --record"
                                     : "studio save after 600 s, 5 clicks");
}
BENCHMARK(BM_studio_seek)
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
