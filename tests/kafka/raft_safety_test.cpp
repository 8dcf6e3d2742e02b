// Raft safety under random faults, checked after every event, over a sweep of seeds; then
// liveness: once every fault heals, exactly one active controller emerges and every partition
// with a live ISR member has a leader, within a bounded simulated time.
#include <catch2/catch.hpp>

#include "quorum_checker.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

constexpr sim::Time kFaultsUntil = 40_s;
constexpr sim::Time kHealedBy = 70_s;  // liveness bound: 30 s after the last fault

struct Outcome {
  std::string safety;
  std::string liveness;
  uint64_t faults = 0;
};

/// Random crashes, power losses, restarts, partitions, pauses and heals from the test's own
/// stream (not the World's), then everything heals and restarts at kFaultsUntil.
Outcome run_with_faults(uint64_t seed, bool check_every_event) {
  world::ClusterSpec spec = world::orders_example(seed);
  spec.link.jitter = 300_us;
  world::World w = world::make_cluster(spec);
  sim::Rng nemesis(seed, "nemesis");
  std::vector<int32_t> ids;
  for (const auto& n : w.nodes())
    ids.push_back(n.id);
  testing::QuorumChecker checker;
  Outcome out;
  sim::Time next_fault = 2_s + nemesis.uniform_time(0_s, 2_s);
  while (w.now() < kHealedBy) {
    if (w.now() >= next_fault && w.now() < kFaultsUntil) {
      const int32_t id = ids[nemesis.uniform(ids.size())];
      world::Command c;
      switch (nemesis.uniform(7)) {
        case 0:
          c = world::Crash{id};
          break;
        case 1:
          c = world::PowerLoss{id};
          break;
        case 2:
          c = world::Restart{id};
          break;
        case 3:
          c = world::Pause{id, nemesis.uniform_time(500_ms, 4_s)};
          break;
        case 4:
          c = world::Isolate{id};
          break;
        case 5: {
          std::vector<int32_t> side;
          for (int32_t x : ids) {
            if (nemesis.chance(0.5)) side.push_back(x);
          }
          c = world::Partition{{side}};
          break;
        }
        default:
          c = world::Heal{};
          break;
      }
      if (w.apply(c).ok()) ++out.faults;  // refused ones (restart a running node) are skipped
      next_fault = w.now() + nemesis.uniform_time(300_ms, 3_s);
    }
    if (w.now() >= kFaultsUntil && w.now() < kFaultsUntil + 1_ns) {
      REQUIRE(w.apply(world::Heal{}).ok());
      for (const auto& n : w.nodes()) {
        if (n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off) {
          REQUIRE(w.apply(world::Restart{n.id}).ok());
        }
      }
    }
    const sim::Time stop = w.now() < kFaultsUntil ? std::min(next_fault, kFaultsUntil) : kHealedBy;
    if (!w.sim().has_pending() || w.sim().next_time() > stop) {
      w.run_until(stop == w.now() ? stop + 1_ns : stop);
    } else {
      w.step();
    }
    if (check_every_event) checker.check(w);
    if (!checker.failure().empty()) {
      out.safety = checker.failure();
      return out;
    }
  }
  // Liveness.
  const int32_t active = world::active_controller(w);
  if (active < 0) {
    out.liveness = "no active controller 30 s after the faults healed";
    return out;
  }
  const auto& leader = *w.impl_as<kafka::KafkaNode>(active);
  for (const auto& n : w.nodes()) {
    const auto& k = std::get<kafka::KafkaNode>(n.impl);
    if (!k.raft().is_voter() || n.id == active) continue;
    if (k.raft().leader_id() != active || k.raft().epoch() != leader.raft().epoch()) {
      out.liveness =
          "controller " + std::to_string(n.id) + " does not follow " + std::to_string(active);
    }
  }
  const kafka::MetadataImage& img = *leader.controller()->image();
  for (const auto& t : img.topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const auto& part = t.partitions[p];
      bool live_isr = false;
      for (kafka::BrokerId b : part.isr)
        live_isr = live_isr || img.is_active(b);
      if (live_isr && !part.has_leader()) {
        out.liveness = t.name + "-" + std::to_string(p) + " has a live ISR member but no leader";
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Raft safety holds after every event under random faults, and liveness after heal",
          "[kafka][raft][sweep]") {
  uint64_t faults = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const Outcome o = run_with_faults(seed, true);
    INFO("seed " << seed << " (reproduce: run_with_faults(" << seed << ", true))");
    REQUIRE(o.safety == "");
    REQUIRE(o.liveness == "");
    faults += o.faults;
  }
  REQUIRE(faults > 200 * 10);  // the sweep really injected faults
}

TEST_CASE("a faulty run is deterministic", "[kafka][raft][determinism]") {
  auto hash = [](uint64_t seed) {
    world::ClusterSpec spec = world::orders_example(seed);
    world::World w = world::make_cluster(spec);
    REQUIRE(w.schedule(3_s, world::Partition{{{1, 101}}}).ok());
    REQUIRE(w.schedule(6_s, world::Crash{world::NodeRef::of_role("controller")}).ok());
    REQUIRE(w.schedule(9_s, world::Heal{}).ok());
    w.run_until(20_s);
    return w.trace_hash();
  };
  REQUIRE(hash(11) == hash(11));
  REQUIRE(hash(11) != hash(12));
}
