// Built-in worlds, until scenario files land: the heartbeat demo that `kafkasim run` and the
// studio show, and the ring that the benchmarks and determinism tests drive.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/result.h"
#include "sim/time.h"
#include "world/world.h"

namespace kafkasim::world {

/// Five nodes pinging each other, with a timeline of faults: crash, partition, heal, restart,
/// pause, power loss, a slow link. Ends at demo_duration().
World make_heartbeat_demo(uint64_t seed);
sim::Time demo_duration();

/// The control-plane lesson on the seed example (orders-0 on [101, 102], orders-1 on
/// [102, 103]): the leader of orders-0 crashes, is fenced and replaced; it comes back; then the
/// active controller crashes and the quorum elects another. Ends at orders_lesson_duration().
World make_orders_lesson(uint64_t seed);
sim::Time orders_lesson_duration();
/// The same story on a ZooKeeper-mode cluster (ZooKeeper 1-3, brokers 101-103, Kafka 3.x).
World make_orders_lesson_zk(uint64_t seed);

/// A built-in world as `kafkasim run NAME`, `kafkasim-gui NAME` and a recording of it open it:
/// the World for a seed with its timeline scheduled, and where its story ends.
struct BuiltinWorld {
  World world;
  sim::Time duration;
};
/// The built-in worlds that open by name: "orders" (the default lesson), "orders-zk" and
/// "demo". The ring is a benchmark workload with a spec of its own (make_ring).
std::span<const std::string_view> builtin_world_names();
/// "demo, orders, orders-zk": the names for messages.
std::string builtin_world_list();
/// The built-in world `name` for `seed`, or an error naming the built-in worlds.
sim::Result<BuiltinWorld, std::string> make_builtin_world(std::string_view name, uint64_t seed);

struct RingSpec {
  uint32_t nodes = 100;
  uint64_t messages = 1000000;  // deliveries in total (rounded down to a multiple of nodes)
  sim::Time latency = sim::Time::from_us(10);
  sim::Time jitter;
  uint64_t seed = 1;
  bool keep_trace = false;
};
/// The ring of the benchmark peers: every node starts with one token; each delivery is one
/// hop; a token stops after messages / nodes hops. Ends at (messages / nodes) * latency.
World make_ring(const RingSpec& spec);

}  // namespace kafkasim::world
