// The two KIP-101 scenarios (KAFKA_REFERENCE 7.9), played on a ZooKeeper-mode cluster twice:
// with inter.broker.protocol.version 0.10.2 (followers truncate to their high watermark) and
// with the default (followers ask the leader, DivergingEpoch). The legacy run loses an
// acknowledged record / ends with diverged replicas; the modern run does not.
#include <catch2/catch.hpp>

#include "check/history.h"
#include "kafka/zkmode/zk_broker.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {
world::ClusterSpec kip101_cluster(bool legacy, std::vector<int32_t> replicas) {
  world::ClusterSpec spec = world::orders_example(7);
  spec.mode = world::ClusterSpec::Mode::zookeeper;
  if (legacy) REQUIRE(spec.config.set("inter.broker.protocol.version", std::string("0.10.2")).ok());
  spec.topics[0].partitions = 1;
  spec.topics[0].replication_factor = static_cast<int16_t>(replicas.size());
  spec.topics[0].assignment = {replicas};
  kafka::ProducerConfig p;
  p.client_id = "checkout";
  p.topic = "orders";
  p.rate = 200;
  p.key = "order-{seq}";
  p.value = "m{seq}";
  p.acks = -1;
  spec.producers.push_back(p);
  return spec;
}

/// Runs until broker `id` holds its replica of `tp` in `epoch` (it has applied the
/// LeaderAndIsr), or `limit`. Returns whether any truncation to a high watermark was traced
/// meanwhile.
bool run_until_epoch(world::World& w, int32_t id, const kafka::TopicPartitionName& tp,
                     kafka::LeaderEpoch epoch, sim::Time limit) {
  size_t seen = w.trace().records().size();
  bool truncated = false;
  auto reached = [&] {
    const auto& parts = w.impl_as<kafka::zkmode::ZkBroker>(id)->replicas().partitions();
    const auto it = parts.find(tp);
    return it != parts.end() && it->second.leader_epoch >= epoch;
  };
  while (w.now() < limit && !reached() && w.step()) {
    const auto& r = w.trace().records();
    for (; seen < r.size(); ++seen) {
      truncated |= r[seen].kind == sim::TraceKind::raft_truncate &&
                   r[seen].reason.find("high watermark") != std::string::npos;
    }
  }
  REQUIRE(reached());
  return truncated;
}

/// Scenario 1: leader 101, followers 102 (30 ms away, so its high watermark lags the leader's)
/// and 103. 103 dies; when its ZooKeeper session expires the controller shrinks the ISR and
/// bumps the leader epoch, so 102 becomes follower again. Right then 101 dies: 102, still in
/// the ISR, is elected leader with whatever its log held after becoming a follower.
check::DataSummary scenario1(bool legacy, bool* truncated) {
  world::ClusterSpec spec = kip101_cluster(legacy, {101, 102, 103});
  world::World w = world::make_cluster(spec);
  REQUIRE(w.apply(world::SetLink{101, 102, 30_ms, {}, {}, {}}).ok());
  w.run_until(10_s);
  REQUIRE(world::partition_leader(w, "orders-0") == 101);
  REQUIRE(w.apply(world::Crash{103}).ok());
  // The LeaderAndIsr that removes 103 reaches 102: it becomes follower of epoch 1. In both
  // modes 101 dies at that very event.
  *truncated = run_until_epoch(w, 102, {"orders", 0}, 1, 40_s);
  REQUIRE(w.apply(world::Crash{101}).ok());
  w.run_until(70_s);
  REQUIRE(world::partition_leader(w, "orders-0") == 102);
  REQUIRE(w.apply(world::Restart{101}).ok());
  REQUIRE(w.apply(world::Restart{103}).ok());
  w.run_until(100_s);
  return check::summarize(w);
}

/// Scenario 2: leader 101, follower 102; both lose power. 101 had flushed everything (a Flush
/// just before); 102's newest records were still in the page cache, so it comes back with a
/// shorter log. 101 dies first, so 102 is the last ISR member and, on its return, the leader of
/// a new epoch: it writes new records at offsets 101 already holds from the old epoch. Then
/// 101 returns as a follower.
check::DataSummary scenario2(bool legacy) {
  world::ClusterSpec spec = kip101_cluster(legacy, {101, 102});
  world::World w = world::make_cluster(spec);
  w.run_until(40_s);
  REQUIRE(world::partition_leader(w, "orders-0") == 101);
  REQUIRE(w.apply(world::Flush{101}).ok());
  REQUIRE(w.apply(world::PowerLoss{101}).ok());
  w.run_until(42_s);
  REQUIRE(w.apply(world::PowerLoss{102}).ok());
  w.run_until(70_s);  // both ZooKeeper sessions have expired
  REQUIRE(w.apply(world::Restart{102}).ok());
  w.run_until(110_s);  // the producer finds the new leader and writes at offsets 101 holds
  REQUIRE(world::partition_leader(w, "orders-0") == 102);
  REQUIRE(w.apply(world::Restart{101}).ok());
  w.run_until(140_s);
  return check::summarize(w);
}
}  // namespace

TEST_CASE("KIP-101 scenario 1: truncating to the high watermark loses an acknowledged record",
          "[kafka][data][kip101]") {
  bool truncated = false;
  const check::DataSummary legacy = scenario1(true, &truncated);
  REQUIRE(truncated);
  CHECK(legacy.acked_records_lost > 0);
  const check::DataSummary modern = scenario1(false, &truncated);
  REQUIRE_FALSE(truncated);
  CHECK(modern.acked_records_lost == 0);
  CHECK(modern.replica_divergence == 0);
  CHECK(modern.acked > 10000);
}

TEST_CASE("KIP-101 scenario 2: truncating to the high watermark after a power outage diverges",
          "[kafka][data][kip101]") {
  const check::DataSummary legacy = scenario2(true);
  CHECK(legacy.replica_divergence > 0);
  const check::DataSummary modern = scenario2(false);
  CHECK(modern.replica_divergence == 0);
  CHECK(modern.acked > 10000);
}
