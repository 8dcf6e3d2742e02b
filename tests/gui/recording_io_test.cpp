// The studio's recordings: what is clicked is saved with the event and time it was made at, and
// the saved run re-executes exactly, headless (kafkasim replay) and in the studio.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "../record/record_builtin.h"
#include "record/recording.h"
#include "recording_io.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
namespace fs = std::filesystem;

namespace {
gui::LessonSource source(const std::string& name) {
  gui::LessonSource src;
  src.file = std::string(KAFKASIM_SCENARIO_DIR) + "/" + name;
  std::ifstream in(src.file, std::ios::binary);
  src.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return src;
}
gui::AppState lesson(const gui::LessonSource& src) {
  auto s = scenario::parse_scenario(src.text, src.file);
  REQUIRE(s.ok());
  auto w = scenario::build_world(*s, src.seed);
  REQUIRE(w.ok());
  gui::AppState app(std::move(*w), s->duration);
  app.set_lesson(std::move(*s));
  return app;
}
std::string fresh_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "kafkasim-studio-recording-test";
  fs::create_directories(dir);
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove_all((dir / name).string() + suffix);  // a file, or a directory of CSV files
  return (dir / name).string();
}
}  // namespace

TEST_CASE("a recording made by clicking in the studio replays identically", "[unit]") {
  gui::LessonSource src = source("03-leader-failover.toml");
  auto s = scenario::parse_scenario(src.text, src.file);
  REQUIRE(s.ok());
  src.seed = s->seed;
  gui::AppState app = lesson(src);
  // Clicks at a time boundary, between two events of one instant, and after going back.
  app.goto_time(4_s);
  REQUIRE(app.submit(world::Pause{102, 1500_ms}));
  app.step_event();
  app.step_event();
  REQUIRE(app.submit(world::SetLink{101, 103, 40_ms, std::nullopt, 0.2, std::nullopt}));
  app.goto_time(12_s);
  REQUIRE(app.submit(world::Crash{world::NodeRef::of_role("leader:orders-1")}));
  app.goto_time(9_s);                                          // back: the crash is ahead now
  REQUIRE(app.submit(world::Partition{{{101}, {102, 103}}}));  // a fork: the crash is dropped
  app.goto_time(15_s);
  REQUIRE(app.submit(world::Heal{}));
  app.goto_time(22_s);
  app.step_event();
  const uint64_t hash = app.world.trace_hash();
  const uint64_t events = app.events();
  REQUIRE(app.commands_applied() == 4);

  const std::string path = fresh_path("clicked.db");
  auto saved = gui::save_recording(app, src, path);
  if (!saved) FAIL(saved.error());
  CHECK(!gui::save_recording(app, src, path).ok());  // never over an existing file

  // Headless, as `kafkasim replay --verify` does.
  auto rec = record::open_recording(path);
  if (!rec) FAIL(rec.error());
  REQUIRE(rec->commands.size() == 4);
  auto r = scenario::run_scenario(*s, record::replay_options(*rec));
  REQUIRE(r.ok());
  CHECK(r->events == events);
  CHECK(r->trace_hash == hash);
  CHECK(rec->summary->trace_hash == hash);

  // In the studio: opened, played to the same event, the same state.
  gui::LessonSource again;
  auto opened = gui::open_recording(path, again);
  if (!opened) FAIL(opened.error());
  CHECK(again.seed == src.seed);
  opened->goto_event(events);
  CHECK(opened->world.trace_hash() == hash);
  CHECK(opened->commands_applied() == 4);
  CHECK(gui::next_recording_path(src, fs::path(path).parent_path().string()) != std::string(path));
}

TEST_CASE("a recording of the default lesson made by clicking in the studio replays identically",
          "[unit]") {
  gui::LessonSource src;
  src.world = "orders";
  src.seed = 2;
  auto built = world::make_builtin_world(src.world, src.seed);
  REQUIRE(built.ok());
  // Past the lesson's end, as `kafkasim-gui --until 100s` runs.
  gui::AppState app(std::move(built->world), 100_s);
  app.goto_time(4_s);
  REQUIRE(app.submit(world::Pause{102, 1500_ms}));
  app.step_event();
  REQUIRE(app.submit(world::SetLink{101, 103, 40_ms, std::nullopt, 0.2, std::nullopt}));
  app.goto_time(12_s);
  REQUIRE(app.submit(world::Crash{world::NodeRef::of_role("leader:orders-1")}));
  app.goto_time(9_s);                                          // back: the crash is ahead now
  REQUIRE(app.submit(world::Partition{{{101}, {102, 103}}}));  // a fork: the crash is dropped
  app.goto_time(15_s);
  REQUIRE(app.submit(world::Heal{}));
  app.goto_time(75_s);
  REQUIRE(app.submit(world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{3}}));
  app.goto_time(90_s);
  app.step_event();
  const uint64_t hash = app.world.trace_hash();
  const uint64_t events = app.events();
  REQUIRE(app.commands_applied() == 5);

  const std::string path = fresh_path("orders-clicked.db");
  auto saved = gui::save_recording(app, src, path);
  if (!saved) FAIL(saved.error());

  // Headless, as `kafkasim replay --verify` does.
  auto rec = record::open_recording(path);
  if (!rec) FAIL(rec.error());
  CHECK(rec->header.world == "orders");
  CHECK(rec->header.scenario_text.empty());
  REQUIRE(rec->commands.size() == 5);
  auto r = record::replay(*rec, record::replay_options(*rec));
  if (!r) FAIL(r.error());
  CHECK(r->events == events);
  CHECK(r->trace_hash == hash);
  CHECK(rec->summary->trace_hash == hash);
  // It holds what a `kafkasim run --record` holds: the studio's trace, and metrics per second.
  REQUIRE(rec->trace.size() == app.log_now());
  for (size_t i = 0; i < rec->trace.size(); ++i) {
    CHECK(rec->trace[i].at == app.log()[i].at);
    CHECK(rec->trace[i].reason == app.log()[i].reason);
  }
  const std::string csv = fresh_path("orders-clicked-csv");
  auto files = record::export_csv(path, csv);
  if (!files) FAIL(files.error());
  std::ifstream metrics(fs::path(csv) / "partition_metrics.csv");
  const auto rows =
      std::count(std::istreambuf_iterator<char>(metrics), std::istreambuf_iterator<char>(), '\n');
  CHECK(rows >= 2 * 89);  // orders-0 and orders-1, every second of 90

  // In the studio: the built-in world again, not a lesson file; its time bar reaches the save.
  gui::LessonSource again;
  auto opened = gui::open_recording(path, again);
  if (!opened) FAIL(opened.error());
  CHECK(again.world == "orders");
  CHECK(again.seed == 2);
  CHECK(again.recordable());
  CHECK(opened->lesson() == nullptr);
  CHECK(opened->end == app.world.now());
  opened->goto_event(events);
  CHECK(opened->world.trace_hash() == hash);
  CHECK(opened->commands_applied() == 5);
  // Saved again from the studio (a recording of a recording), it is the same run.
  const std::string path2 = fresh_path("orders-clicked-again.db");
  auto resaved = gui::save_recording(*opened, again, path2);
  if (!resaved) FAIL(resaved.error());
  auto rec2 = record::open_recording(path2);
  if (!rec2) FAIL(rec2.error());
  CHECK(rec2->summary->trace_hash == hash);
  CHECK(fs::path(gui::next_recording_path(src, fs::path(path).parent_path().string()))
            .filename()
            .string()
            .starts_with("orders-"));
}

TEST_CASE("a recording of a built-in world made by kafkasim run opens in the studio", "[unit]") {
  // As `kafkasim run orders-zk --until 80s --seed 6 --record OUT.db` writes it.
  const std::string path = fresh_path("orders-zk-run.db");
  const scenario::RunResult r = test::record_builtin("orders-zk", 6, 80_s, path);

  gui::LessonSource src;
  auto opened = gui::open_recording(path, src);
  if (!opened) FAIL(opened.error());
  CHECK(src.world == "orders-zk");
  CHECK(opened->end == 80_s);  // past the lesson's 60 s: where the run stopped
  // Scrubbing: to the end, back, forwards again; the end state is the recorded run's.
  opened->goto_time(80_s);
  CHECK(opened->world.trace_hash() == r.trace_hash);
  CHECK(opened->events() == r.events);
  opened->goto_time(30_s);
  CHECK(opened->world.now() == 30_s);
  opened->goto_time(80_s);
  CHECK(opened->world.trace_hash() == r.trace_hash);
}
