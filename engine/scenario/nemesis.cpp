// The fuzzer's faults. See nemesis.h.
#include "scenario/nemesis.h"

#include <algorithm>

#include "sim/rng.h"

namespace kafkasim::scenario {

std::vector<world::StampedCommand> nemesis(const Scenario& s, uint64_t seed, sim::Time end) {
  std::vector<world::StampedCommand> out;
  sim::Rng rng(seed, "fuzz-nemesis");
  std::vector<int32_t> nodes = s.spec.brokers;
  // The metadata quorum too: KRaft controllers, or the ZooKeeper ensemble.
  const bool kraft = s.spec.mode == world::ClusterSpec::Mode::kraft;
  for (int32_t c : kraft ? s.spec.controllers : s.spec.zookeeper) {
    if (std::find(nodes.begin(), nodes.end(), c) == nodes.end()) nodes.push_back(c);
  }
  // Consumers too (their node ids follow the producers'): crashes between processing and
  // commit, members that stop heartbeating, rebalances at any moment.
  for (size_t i = 0; i < s.spec.consumers.size(); ++i)
    nodes.push_back(world::kClientIdBase + static_cast<int32_t>(s.spec.producers.size() + i));
  const sim::Time stop = end - sim::Time::from_s(10);
  for (sim::Time t = sim::Time::from_s(1); t < stop;
       t += rng.uniform_time(sim::Time::from_ms(500), sim::Time::from_s(5))) {
    const int32_t n = nodes[rng.uniform(nodes.size())];
    switch (rng.uniform(7)) {
      case 0:
      case 1:
        out.push_back({t, world::Crash{n}, true});
        break;
      case 2:
        out.push_back({t, world::Restart{n}, true});
        break;
      case 3:
        out.push_back({t, world::Partition{{{n}}}, true});
        break;
      case 4:
        out.push_back({t, world::Heal{}, true});
        break;
      case 5: {
        const int32_t m = nodes[rng.uniform(nodes.size())];
        if (m != n)
          out.push_back(
              {t,
               world::SetLink{n,
                              m,
                              rng.uniform_time(sim::Time::from_ms(1), sim::Time::from_ms(200)),
                              {},
                              {},
                              {}},
               true});
        break;
      }
      default:
        out.push_back(
            {t, world::Pause{n, rng.uniform_time(sim::Time::from_ms(200), sim::Time::from_s(3))},
             true});
        break;
    }
  }
  out.push_back({stop, world::Heal{}, true});
  for (int32_t n : nodes)
    out.push_back({stop, world::Restart{n}, true});
  return out;
}

RunOptions fuzz_options(const Scenario& s, uint64_t seed, bool keep_trace) {
  RunOptions o;
  o.seed = seed;
  o.expectations = false;
  o.keep_trace = keep_trace;
  o.extra = nemesis(s, seed, s.duration);
  return o;
}

}  // namespace kafkasim::scenario
