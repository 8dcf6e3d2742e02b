// kafkasim_ring: the ring workload of ../shared/bench-peers, printed in the peers' key=value
// format so it can sit in the same table as ns-3, SimGrid and SimPy.
//   ./build/kafkasim_ring [--actors=N] [--messages=M] [--latency-ns=L] [--jitter-ns=J]
// The timed section is the event loop only, as for the peers.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "world/demo_worlds.h"

using namespace kafkasim;

int main(int argc, char** argv) {
  world::RingSpec spec;
  int64_t latency_ns = 10000, jitter_ns = 0;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    auto num = [&](const char* prefix, auto& out) {
      if (std::strncmp(a, prefix, std::strlen(prefix)) != 0) return false;
      out =
          static_cast<std::remove_reference_t<decltype(out)>>(std::atoll(a + std::strlen(prefix)));
      return true;
    };
    if (!num("--actors=", spec.nodes) && !num("--messages=", spec.messages) &&
        !num("--latency-ns=", latency_ns) && !num("--jitter-ns=", jitter_ns)) {
      std::fprintf(stderr,
                   "kafkasim_ring: unknown option %s\nusage: kafkasim_ring "
                   "[--actors=N] [--messages=M] [--latency-ns=L] [--jitter-ns=J]\n",
                   a);
      return 2;
    }
  }
  if (spec.nodes < 2 || spec.nodes > world::World::kNodesMax || spec.messages < spec.nodes) {
    std::fprintf(stderr, "kafkasim_ring: need 2 <= actors <= %zu and messages >= actors\n",
                 world::World::kNodesMax);
    return 2;
  }
  spec.latency = sim::Time::from_ns(latency_ns);
  spec.jitter = sim::Time::from_ns(jitter_ns);
  const uint64_t messages = spec.messages / spec.nodes * spec.nodes;

  const auto t0 = std::chrono::steady_clock::now();
  world::World w = world::make_ring(spec);
  const auto t1 = std::chrono::steady_clock::now();
  while (w.step()) {
  }
  const auto t2 = std::chrono::steady_clock::now();
  const double setup = std::chrono::duration<double>(t1 - t0).count();
  const double run = std::chrono::duration<double>(t2 - t1).count();
  uint64_t received = 0;
  for (const auto& n : w.nodes())
    received += std::get<demo::RingNode>(n.impl).received;
  const double expected = static_cast<double>(messages / spec.nodes) * latency_ns / 1e9;
  std::printf(
      "engine=kafkasim actors=%u messages=%llu received=%llu hops=%llu sim_time=%.9g "
      "expected_sim_time=%.9g setup_s=%.4f run_wall_s=%.4f msgs_per_s=%.0f "
      "ns_per_msg=%.1f\n",
      spec.nodes, static_cast<unsigned long long>(messages),
      static_cast<unsigned long long>(received),
      static_cast<unsigned long long>(w.network().sent_count()), w.now().seconds(), expected, setup,
      run, static_cast<double>(messages) / run, run * 1e9 / static_cast<double>(messages));
  return received == messages && w.network().sent_count() == messages ? 0 : 1;
}
