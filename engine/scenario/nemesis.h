// The fuzzer's faults: random crashes, restarts, partitions, heals, slow links and pauses on
// top of a scenario's timeline, all drawn from one seed (`kafkasim fuzz`, and the tests that
// pin a fuzz seed that once broke an invariant).
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/runner.h"
#include "scenario/scenario.h"
#include "sim/time.h"
#include "world/command.h"

namespace kafkasim::scenario {

/// Random faults for `seed` over [1 s, end - 10 s) on the brokers, the metadata quorum (KRaft
/// controllers or the ZooKeeper ensemble) and the consumers, healed and restarted 10 s before
/// the end so the run finishes on a whole cluster. Drawn from the seed's "fuzz-nemesis" stream
/// only: the same scenario and seed give the same faults.
std::vector<world::StampedCommand> nemesis(const Scenario& s, uint64_t seed, sim::Time end);

/// How `kafkasim fuzz` runs seed `seed` of `s`: the nemesis's faults on top of the timeline,
/// the invariants checked after every event, the expectations not judged (faults change the
/// story; the invariants still hold).
RunOptions fuzz_options(const Scenario& s, uint64_t seed, bool keep_trace = false);

}  // namespace kafkasim::scenario
