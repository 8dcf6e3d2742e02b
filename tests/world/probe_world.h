// Test helper: a World of ProbeNodes with ids 1..n and scripted sends.
#pragma once

#include <vector>

#include "world/world.h"

namespace kafkasim::testing {

struct ProbeWorld {
  world::WorldConfig cfg;
  std::vector<demo::ProbeNode> probes;

  explicit ProbeWorld(int n) : probes(static_cast<size_t>(n)) {
    cfg.link.latency = sim::Time::from_ms(1);
    cfg.disconnect_timeout = sim::Time::from_s(5);
  }
  /// Node `from` sends message `seq` to `to` at absolute time `at`.
  ProbeWorld& send(int32_t from, int32_t to, sim::Time at, uint64_t seq) {
    probes[from - 1].plan.push_back({at, to, seq});
    return *this;
  }
  ProbeWorld& timer(int32_t node, sim::Time at) {
    probes[node - 1].timer_plan.push_back(at);
    return *this;
  }
  world::World build() const {
    world::World w(cfg);
    for (size_t i = 0; i < probes.size(); ++i) {
      w.add_node(static_cast<int32_t>(i + 1), "demo", probes[i]);
    }
    w.start();
    return w;
  }
};

inline const demo::ProbeNode& probe(const world::World& w, int32_t id) {
  return *w.impl_as<demo::ProbeNode>(id);
}

inline std::vector<uint64_t> seqs_from(const world::World& w, int32_t at, int32_t from) {
  std::vector<uint64_t> out;
  for (const auto& r : probe(w, at).received) {
    if (r.from == from) out.push_back(r.seq);
  }
  return out;
}

}  // namespace kafkasim::testing
