// The studio's command queue and time travel, driven without a window: commands change the
// World and are replayed where they were made; going back to an event gives exactly the state
// a straight run had there; a command made in the past forks history.
#include <catch2/catch.hpp>

#include <map>

#include "app_state.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

gui::AppState lesson() {
  return gui::AppState(world::make_orders_lesson(1), world::orders_lesson_duration());
}

world::NodeStatus status(const gui::AppState& app, int32_t id) {
  return app.world.node(static_cast<net::NodeIndex>(app.world.index_of(id))).status;
}

/// The trace hash of a plain World after exactly `n` events.
uint64_t straight_hash(uint64_t n) {
  world::World w = world::make_orders_lesson(1);
  while (w.sim().events_executed() < n && w.step()) {
  }
  return w.trace_hash();
}

}  // namespace

TEST_CASE("a command from the studio's queue changes the World and is logged") {
  auto app = lesson();
  app.goto_time(5_s);
  REQUIRE(status(app, 102) == world::NodeStatus::running);
  REQUIRE(app.submit(world::Crash{102}));
  CHECK(status(app, 102) == world::NodeStatus::crashed);
  REQUIRE(app.commands().size() == 1);
  CHECK(app.commands()[0].at == 5_s);
  CHECK(app.world.command_log().size() >= 1);
  CHECK(app.log()[app.log_now() - 1].kind == sim::TraceKind::node_crash);
  // A command that makes no sense now is refused and changes nothing.
  CHECK_FALSE(app.submit(world::Crash{102}));
  CHECK(app.commands().size() == 1);
  CHECK(app.status_line.rfind("refused", 0) == 0);
}

TEST_CASE("stepping back gives exactly the state a straight run had") {
  auto app = lesson();
  app.goto_time(15_s);
  const uint64_t n = app.events();
  const uint64_t hash_n = app.world.trace_hash();
  const size_t log_n = app.log_now();
  REQUIRE(n > 1000);
  app.goto_time(25_s);
  REQUIRE(app.events() > n);
  const size_t log_25 = app.log().size();
  app.goto_event(n);
  CHECK(app.events() == n);
  CHECK(app.world.trace_hash() == hash_n);
  CHECK(app.log_now() == log_n);
  // What lay ahead is still known (the event log shows it), and found again going forward.
  CHECK(app.log().size() == log_25);
  app.goto_time(25_s);
  CHECK(app.log_now() == log_25);
  CHECK(app.log().size() == log_25);
  app.goto_event(n);
  app.step_back();
  CHECK(app.events() == n - 1);
  CHECK(app.world.trace_hash() == straight_hash(n - 1));
  app.step_event();
  CHECK(app.world.trace_hash() == hash_n);
  // Back to the very start and forward again: the same run.
  app.goto_event(0);
  CHECK(app.events() == 0);
  app.goto_time(25_s);
  world::World straight = world::make_orders_lesson(1);
  straight.run_until(25_s);
  CHECK(app.world.trace_hash() == straight.trace_hash());
}

TEST_CASE("the user's commands are replayed where they were made") {
  auto app = lesson();
  app.goto_time(12_s);
  REQUIRE(app.submit(world::Crash{102}));
  app.goto_time(30_s);
  const uint64_t hash30 = app.world.trace_hash();
  const size_t log30 = app.log_now();
  app.goto_time(4_s);
  CHECK(status(app, 102) == world::NodeStatus::running);
  CHECK(app.commands_applied() == 0);
  app.goto_time(30_s);
  CHECK(status(app, 102) == world::NodeStatus::crashed);
  CHECK(app.world.trace_hash() == hash30);
  CHECK(app.log_now() == log30);
  // A command made by stepping event by event lands on its event, not on a time.
  app.goto_time(20_s);
  app.step_event();
  app.step_event();
  const uint64_t at = app.events();
  REQUIRE(app.submit(world::Pause{103, 2_s}));
  app.goto_time(24_s);
  const uint64_t hash24 = app.world.trace_hash();
  app.goto_event(at - 5);
  app.goto_time(24_s);
  CHECK(app.world.trace_hash() == hash24);
}

TEST_CASE("a command made in the past forks history") {
  auto app = lesson();
  app.goto_time(12_s);
  REQUIRE(app.submit(world::Crash{102}));
  app.goto_time(30_s);
  app.goto_time(11_s);
  REQUIRE(app.log().size() > app.log_now());
  REQUIRE(app.submit(world::Crash{103}));
  CHECK(app.commands().size() == 1);
  CHECK(app.log().size() == app.log_now());  // the old future is gone
  app.goto_time(30_s);
  CHECK(status(app, 102) == world::NodeStatus::running);
  CHECK(status(app, 103) == world::NodeStatus::crashed);
}

TEST_CASE("next and previous interesting events stop at elections, fences and faults") {
  auto app = lesson();
  app.goto_time(9_s);
  REQUIRE(app.next_interesting());
  // The crash of broker 101 at 10 s is the first interesting thing after 9 s.
  CHECK(app.world.now() == 10_s);
  CHECK(app.log()[app.log_now() - 1].kind == sim::TraceKind::node_crash);
  REQUIRE(app.next_interesting());
  CHECK(app.world.now() > 10_s);
  const uint64_t second = app.events();
  REQUIRE(app.previous_interesting());
  CHECK(app.events() < second);
  CHECK(app.world.now() == 10_s);
}

TEST_CASE("snapshots stay bounded and stepping back works after a long run") {
  gui::AppState app(world::make_orders_lesson(1), 600_s);
  app.goto_time(600_s);
  CHECK(app.snapshot_count() <= 64);
  const uint64_t n = app.events();
  const uint64_t hash = app.world.trace_hash();
  app.step_back();
  CHECK(app.events() == n - 1);
  app.step_event();
  CHECK(app.world.trace_hash() == hash);
}

TEST_CASE("lesson pauses stop playing exactly at their time") {
  auto app = lesson();
  app.pauses = {10_s, 20_s};
  app.speed = 1.0;
  app.frame_budget_s = 0;
  app.playing = true;
  for (int i = 0; i < 100 && app.playing; ++i)
    app.advance(0.25);
  CHECK_FALSE(app.playing);
  CHECK(app.world.now() == 10_s);
  app.playing = true;
  for (int i = 0; i < 100 && app.playing; ++i)
    app.advance(0.25);
  CHECK(app.world.now() == 20_s);
  // Going back before a pause and playing again stops there again.
  app.goto_time(5_s);
  app.playing = true;
  for (int i = 0; i < 100 && app.playing; ++i)
    app.advance(0.25);
  CHECK(app.world.now() == 10_s);
}

TEST_CASE("lesson mode judges expectations as the run reaches them, as the CLI does") {
  for (const char* file :
       {"/03-leader-failover.toml", "/05-acks-and-min-isr.toml", "/12-slow-follower.toml"}) {
    auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + file);
    REQUIRE(s);
    auto headless = scenario::run_scenario(*s, scenario::RunOptions{});
    REQUIRE(headless);
    auto w = scenario::build_world(*s, s->seed);
    REQUIRE(w);
    gui::AppState app(std::move(*w), s->duration);
    app.set_lesson(*s);
    CHECK(app.judged() == 0);
    app.goto_time(s->duration);
    REQUIRE(app.judged() == s->expectations.size());
    auto same_as_headless = [&] {
      for (size_t k = 0; k < app.judged(); ++k) {
        const auto& want = headless->outcomes[app.expectation_order()[k]];
        INFO(file << ": " << want.subject);
        CHECK(app.outcome(k).passed == want.passed);
        CHECK(app.outcome(k).found == want.found);
      }
    };
    same_as_headless();
    CHECK_FALSE(app.violation());
    CHECK(app.world.trace_hash() == headless->trace_hash);
    // Back to the start: nothing judged; forward again: the same outcomes.
    app.goto_event(0);
    CHECK(app.judged() == 0);
    app.goto_time(s->duration);
    CHECK(app.judged() == s->expectations.size());
    same_as_headless();
    // Half way: only what was due by then.
    app.goto_time(s->duration / 2);
    for (size_t k = 0; k < app.judged(); ++k)
      CHECK(app.expectation_time(k) <= app.world.now());
  }
}

TEST_CASE("slow motion shows every message crossing for the time asked, then runs on") {
  auto app = lesson();
  app.goto_time(5_s);
  app.speed = 1.0;
  app.slow_motion_s = 0.4;
  app.playing = true;
  const uint64_t sent_before = app.world.network().sent_count();
  std::map<uint64_t, int> frames_live;  // message id -> frames it was drawn in flight
  std::map<uint64_t, int> first_frame;
  constexpr int kFrames = 240;  // four seconds of wall time at 60 frames a second
  for (int f = 0; f < kFrames; ++f) {
    for (const net::Envelope& e : app.world.network().slots()) {
      if (!e.live) continue;
      ++frames_live[e.id];
      first_frame.emplace(e.id, f);
    }
    app.advance(1.0 / 60.0);
  }
  const uint64_t sent_after = app.world.network().sent_count();
  REQUIRE(sent_after > sent_before);
  // Every message sent was drawn, and each that left early enough crossed in >= 0.4 s.
  for (uint64_t id = sent_before + 1; id <= sent_after; ++id) {
    INFO("message " << id);
    REQUIRE(frames_live.count(id) == 1);
    if (first_frame[id] + 30 < kFrames) CHECK(frames_live[id] >= 23);
  }
  CHECK(app.effective_speed < app.speed);
  // Hiding every kind lets time run at the speed asked.
  app.hidden_kinds = ~0u;
  const sim::Time before = app.world.now();
  app.advance(0.1);
  CHECK(app.world.now() - before >= 90_ms);
}

TEST_CASE("a lesson sets the studio's speed, and its steps change it as they are played") {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/00-first-look.toml");
  REQUIRE(s);
  auto w = scenario::build_world(*s, s->seed);
  REQUIRE(w);
  gui::AppState app(std::move(*w), s->duration);
  app.set_lesson(*s);
  CHECK(app.speed == 1.0);  // [scenario] speed
  app.goto_time(41_s);
  app.playing = true;
  while (app.world.now() < sim::Time::from_ms(41650) && app.playing)
    app.advance(0.02);       // frames of 20 ms: 41.6 s and 41.7 s fall in different ones
  CHECK(app.speed == 0.01);  // the election, in slow time
  // A jump lands at the speed the lesson plays there.
  app.goto_time(45_s);
  CHECK(app.speed == 1.0);
  app.speed = 5;
  app.goto_time(sim::Time::from_ms(41650));
  CHECK(app.speed == 0.01);
  app.goto_time(10_s);
  CHECK(app.speed == 1.0);  // [scenario] speed, before any step changed it
}
