// The lesson library (scenarios/*.toml): every file loads, and running one twice with the same
// seed gives the same trace hash (and a copy of its World taken mid-run ends the same way).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "scenario/loader.h"
#include "scenario/runner.h"

using namespace kafkasim;

namespace {
std::vector<std::string> library() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(KAFKASIM_SCENARIO_DIR)) {
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("the lesson library has at least 12 scenarios, each loading cleanly",
          "[scenario][library]") {
  const auto files = library();
  REQUIRE(files.size() >= 12);
  for (const std::string& f : files) {
    INFO(f);
    auto s = scenario::load_scenario(f);
    if (!s) FAIL(scenario::format_diagnostics(s.error()));
    REQUIRE(!s->name.empty());
    REQUIRE(!s->description.empty());
    REQUIRE(!s->expectations.empty());
    const bool narrates = std::any_of(s->timeline.begin(), s->timeline.end(),
                                      [](const scenario::Step& st) { return !st.narrate.empty(); });
    REQUIRE(narrates);
  }
}

TEST_CASE("every scenario runs twice to the same trace hash", "[scenario][library][determinism]") {
  for (const std::string& f : library()) {
    INFO(f);
    auto s = scenario::load_scenario(f);
    REQUIRE(s.ok());
    scenario::RunOptions o;
    o.invariants = false;
    o.keep_trace = false;
    auto a = scenario::run_scenario(*s, o);
    auto b = scenario::run_scenario(*s, o);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    REQUIRE(a->trace_hash == b->trace_hash);
    REQUIRE(a->events == b->events);
    REQUIRE(a->passed() == b->passed());
    // Keeping the trace records (as `run` does) does not change the run.
    o.keep_trace = true;
    auto c = scenario::run_scenario(*s, o);
    REQUIRE(c.ok());
    REQUIRE(c->trace_hash == a->trace_hash);
  }
}

TEST_CASE("a scenario World copied mid-run ends as the original does", "[scenario][determinism]") {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/03-leader-failover.toml");
  REQUIRE(s.ok());
  auto built = scenario::build_world(*s, s->seed);
  REQUIRE(built.ok());
  world::World w = std::move(*built);
  w.run_until(sim::Time::from_s(12));  // just after the crash
  world::World copy = w;
  w.run_until(s->duration);
  copy.run_until(s->duration);
  REQUIRE(w.trace_hash() == copy.trace_hash());
}

TEST_CASE("a different seed gives a different run", "[scenario][determinism]") {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/03-leader-failover.toml");
  REQUIRE(s.ok());
  scenario::RunOptions o;
  o.keep_trace = false;
  auto a = scenario::run_scenario(*s, o);
  o.seed = 1234;
  auto b = scenario::run_scenario(*s, o);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a->trace_hash != b->trace_hash);
}

TEST_CASE("every timer that fires in the lessons is named by the component that owns it",
          "[scenario][world]") {
  // Lessons that between them run KRaft, ZooKeeper mode, producers, consumers in groups,
  // coordinators, retention and the controlled shutdown.
  for (const char* lesson :
       {"00-first-look.toml", "13-retention-and-replay.toml", "15-zookeeper-controller.toml",
        "16-operator-actions.toml", "18-eager-vs-cooperative-rebalance.toml",
        "20-coordinator-failover.toml", "22-poll-timeout.toml"}) {
    auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/" + lesson);
    REQUIRE(s.ok());
    auto built = scenario::build_world(*s, s->seed);
    REQUIRE(built.ok());
    world::World w = std::move(*built);
    std::set<uint16_t> fired;
    while (w.sim().has_pending() && w.sim().next_time() <= s->duration) {
      w.step();
      const world::World::LastEvent e = w.last_event();
      if (e.kind != sim::EventKind::timer || e.timer == 0 || !fired.insert(e.timer).second)
        continue;
      const std::string said = w.describe_event(e);
      INFO(lesson << ": " << said);
      CHECK(said.find(": timer ") == std::string::npos);
    }
    CHECK(fired.size() >= 5);
  }
}
