// The fuzzer's nemesis (`kafkasim fuzz`): random faults on top of a scenario's timeline, drawn
// from one seed, followed by a healing phase so that every run ends on a whole cluster. The CLI
// and the tests (a failing fuzz seed becomes a named regression test) share it, so a seed means
// the same faults everywhere.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.h"
#include "sim/time.h"
#include "world/command.h"

namespace kafkasim::scenario {

/// Random faults for `seed` over [1 s, end - 10 s): crashes, restarts, network partitions,
/// heals, slow links and pauses of brokers, the metadata quorum (KRaft controllers or the
/// ZooKeeper ensemble) and consumers; then, at end - 10 s, a heal and a restart of each of them.
std::vector<world::StampedCommand> nemesis(const Scenario& s, uint64_t seed, sim::Time end);

}  // namespace kafkasim::scenario
