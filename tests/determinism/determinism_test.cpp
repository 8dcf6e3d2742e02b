// Same world + seed = same trace hash; a copy of a World is a snapshot that runs on
// identically; how the run is sliced (one call or many small steps) changes nothing.
#include <catch2/catch.hpp>

#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {
uint64_t demo_hash(uint64_t seed, sim::Time until) {
  world::World w = world::make_heartbeat_demo(seed);
  w.run_until(until);
  return w.trace_hash();
}
world::World jittery_ring(uint64_t seed) {
  world::RingSpec spec;
  spec.nodes = 20;
  spec.messages = 20000;
  spec.jitter = 7_us;
  spec.seed = seed;
  return world::make_ring(spec);
}
}  // namespace

TEST_CASE("two runs with the same seed have the same trace hash", "[determinism]") {
  REQUIRE(demo_hash(1, world::demo_duration()) == demo_hash(1, world::demo_duration()));
  world::World a = jittery_ring(5), b = jittery_ring(5);
  a.run_until(1_s);
  b.run_until(1_s);
  REQUIRE(a.trace_hash() == b.trace_hash());
}

TEST_CASE("a different seed gives a different trace hash", "[determinism]") {
  REQUIRE(demo_hash(1, world::demo_duration()) != demo_hash(2, world::demo_duration()));
  world::World a = jittery_ring(5), b = jittery_ring(6);
  a.run_until(1_s);
  b.run_until(1_s);
  REQUIRE(a.trace_hash() != b.trace_hash());
}

TEST_CASE("a World copied mid-run runs on exactly like the original", "[determinism]") {
  const uint64_t seed = GENERATE(1, 2, 3, 17, 99);
  INFO("seed " << seed);
  world::World original = world::make_heartbeat_demo(seed);
  original.run_until(7_s);  // mid-partition, node 3 down, messages in flight
  REQUIRE(original.sim().pending() > 0);
  world::World copy = original;
  original.run_until(world::demo_duration());
  copy.run_until(world::demo_duration());
  REQUIRE(copy.trace_hash() == original.trace_hash());
  REQUIRE(copy.trace().records().size() == original.trace().records().size());
  REQUIRE(original.trace_hash() == demo_hash(seed, world::demo_duration()));
}

TEST_CASE("commands applied to a copy change only the copy", "[determinism]") {
  world::World original = world::make_heartbeat_demo(4);
  original.run_until(1_s);
  world::World fork = original;
  REQUIRE(fork.apply(world::Crash{1}).ok());
  original.run_until(5_s);
  fork.run_until(5_s);
  REQUIRE(original.trace_hash() != fork.trace_hash());
  REQUIRE(original.node(0).status == world::NodeStatus::running);
  REQUIRE(fork.node(0).status == world::NodeStatus::crashed);
}

TEST_CASE("stepping in small slices gives the same hash as one long run", "[determinism]") {
  world::World sliced = world::make_heartbeat_demo(8);
  for (sim::Time t = 0_s; t <= world::demo_duration(); t += 16_ms)
    sliced.run_until(t);
  sliced.run_until(world::demo_duration());
  REQUIRE(sliced.trace_hash() == demo_hash(8, world::demo_duration()));
  world::World stepped = world::make_heartbeat_demo(8);
  while (stepped.sim().has_pending() && stepped.sim().next_time() <= world::demo_duration()) {
    stepped.step();
  }
  stepped.run_until(world::demo_duration());
  REQUIRE(stepped.trace_hash() == demo_hash(8, world::demo_duration()));
}

TEST_CASE("a sweep of seeds never trips an internal assertion and stays deterministic", "[sweep]") {
  const uint64_t seed = GENERATE(range(100, 130));
  INFO("seed " << seed);
  REQUIRE(demo_hash(seed, 25_s) == demo_hash(seed, 25_s));
}

TEST_CASE("records flowing: same seed same hash, and a copy runs on like the original",
          "[determinism]") {
  auto run = [](uint64_t seed) {
    world::World w = world::make_orders_lesson(seed);
    w.run_until(world::orders_lesson_duration());
    return w.trace_hash();
  };
  REQUIRE(run(3) == run(3));
  REQUIRE(run(3) != run(4));
  world::World original = world::make_orders_lesson(3);
  original.run_until(12345_ms);  // batches open in the producer, fetches in flight
  world::World copy = original;
  // Diverge the copy first, then check the original is untouched by it.
  REQUIRE(copy.apply(world::Crash{102}).ok());
  copy.run_until(world::orders_lesson_duration());
  original.run_until(world::orders_lesson_duration());
  REQUIRE(original.trace_hash() == run(3));
}
