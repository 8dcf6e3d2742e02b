// Running a scenario: the World it describes, its timeline scheduled, run to its duration with
// the expectations evaluated at their times and (in check mode) the invariants after every
// event. The CLI's run / check / fuzz and the tests use this; the studio builds the same World.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "check/invariants.h"
#include "check/observe.h"
#include "scenario/scenario.h"
#include "sim/result.h"
#include "world/world.h"

namespace kafkasim::scenario {

/// The World of `s` at time 0 with its timeline scheduled, for run `seed` (keeping trace
/// records or only the trace hash). An error when the scenario uses something the simulator
/// does not run yet (consumer groups).
sim::Result<world::World, std::string> build_world(const Scenario& s, uint64_t seed,
                                                   bool keep_trace = true);

/// One [[expect]] as judged.
struct Outcome {
  const Expectation* expectation = nullptr;
  sim::Time at;  // when it was evaluated
  bool passed = false;
  std::string expected;  // "not 101", "in [101, 102]", "at least 1"
  std::string found;     // the observed value, or why it could not be observed
  /// "leader of orders-0", "acked_records_lost on topic orders"
  std::string subject;
};

struct RunOptions {
  std::optional<uint64_t> seed;    // default: the scenario's
  std::optional<sim::Time> until;  // default: its duration
  /// Stop right after this many events (a recording saved in the studio mid-instant).
  std::optional<uint64_t> until_event;
  bool invariants = true;  // check after every event
  bool expectations = true;
  bool keep_trace = true;
  /// Extra commands on top of the timeline (the fuzzer's faults), scheduled from the start.
  std::vector<world::StampedCommand> extra;
  /// Commands made interactively (the studio's), in order: each is applied right after
  /// `after_event` events, once the clock is at its `at` (as the studio applied it).
  std::vector<world::StampedCommand> interactive;
  /// Called after every event (the CLI prints the trace and a progress bar from here).
  std::function<void(const world::World&)> on_event;
  /// Called once the World is built (the scenario's links applied), before it runs.
  std::function<void(const world::World&)> on_built;
};

struct RunResult {
  uint64_t seed = 1;
  std::vector<Outcome> outcomes;  // in file order
  std::optional<check::Violation> violation;
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  sim::Time end;
  /// The first command of RunOptions::interactive the World refused when it came due (they
  /// were taken when made, so a recording that holds one is damaged).
  std::optional<std::string> refused;
  int passed() const;
  int failed() const;
};

/// Runs `s` (see RunOptions). `world_out`, when given, receives the World at the end.
sim::Result<RunResult, std::string> run_scenario(const Scenario& s, const RunOptions& o,
                                                 world::World* world_out = nullptr);

/// Runs a World that is already built (a built-in world, world::make_builtin_world) the way
/// run_scenario runs a scenario's: `o.extra` scheduled from the start, `o.interactive` applied
/// where they were made, to `o.until` (default `duration`) or `o.until_event`, `o.on_built` and
/// `o.on_event` called. A built-in world has no [[expect]] blocks and no cluster file, so no
/// expectations are judged and no invariants checked; `o.seed` and `o.keep_trace` are the
/// builder's business (the result's seed is `o.seed`, default 1).
RunResult run_world(world::World w, sim::Time duration, const RunOptions& o,
                    world::World* world_out = nullptr);

/// Judges `e` against `w` as it is now (the runner calls it once `w` reaches the time of `e`;
/// the studio too, as it plays).
Outcome judge(const Expectation& e, const world::World& w);

/// "leader of orders-0", "acked_records_lost on topic orders": what an expectation looks at.
std::string subject_of(const Expectation& e);
/// "leader of orders-0 not 101" style text for one expectation, and the check of a value.
std::string describe_expected(const Expectation& e);
bool satisfies(const Expectation& e, const check::Observed& v);

}  // namespace kafkasim::scenario
