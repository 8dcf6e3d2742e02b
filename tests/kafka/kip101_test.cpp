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

TEST_CASE("settings are set by Kafka's names, with the type and value checked", "[kafka][config]") {
  kafka::KafkaConfig c;
  REQUIRE_FALSE(c.truncates_to_high_watermark());
  REQUIRE(c.set("min.insync.replicas", int64_t{2}).ok());
  REQUIRE(c.min_insync_replicas == 2);
  REQUIRE(c.set("min.insync.replicas", true).error() == "min.insync.replicas expects an integer");
  REQUIRE(c.set("unclean.leader.election.enable", true).ok());
  REQUIRE(c.set("log.flush.scheduler.interval.ms", int64_t{1}).error() ==
          "unknown setting log.flush.scheduler.interval.ms");
  for (const char* v : {"0.10.2", "0.10.2-IV0", "0.8"}) {
    INFO(v);
    REQUIRE(c.set("inter.broker.protocol.version", std::string(v)).ok());
    REQUIRE(c.truncates_to_high_watermark());
  }
  for (const char* v : {"0.11.0", "1.0", "2.8-IV1", "3.9"}) {
    INFO(v);
    REQUIRE(c.set("inter.broker.protocol.version", std::string(v)).ok());
    REQUIRE_FALSE(c.truncates_to_high_watermark());
  }
  for (const char* v : {"", "latest", "0.10.", "1", "3.9-IV"}) {
    INFO(v);
    REQUIRE_FALSE(c.set("inter.broker.protocol.version", std::string(v)).ok());
  }
  bool named = false;
  for (const auto& k : kafka::KafkaConfig::keys())
    named |= std::string(k.name) == "inter.broker.protocol.version";
  REQUIRE(named);
}

TEST_CASE("a cluster spec is checked before it is built, with errors in Kafka's terms",
          "[world][config]") {
  REQUIRE(world::check_spec(world::orders_example(1)).ok());
  auto error = [](world::ClusterSpec s) { return world::check_spec(s).error(); };
  world::ClusterSpec s = world::orders_example(1);
  REQUIRE(s.config.set("inter.broker.protocol.version", std::string("0.10.2")).ok());
  CHECK(error(s) ==
        "inter.broker.protocol.version is a ZooKeeper-mode setting; a KRaft cluster versions its "
        "protocol with metadata.version");
  s.mode = world::ClusterSpec::Mode::zookeeper;
  CHECK(world::check_spec(s).ok());

  s = world::orders_example(1);
  s.topics[0].replication_factor = 4;
  s.topics[0].assignment.clear();
  CHECK(error(s) ==
        "topic orders: replication factor 4 is larger than the 3 brokers "
        "(INVALID_REPLICATION_FACTOR)");
  s = world::orders_example(1);
  s.topics[0].assignment = {{101, 101}, {102, 103}};
  CHECK(error(s) ==
        "topic orders: replicas [101, 101] must be distinct brokers of [101, 102, 103] "
        "(INVALID_REPLICA_ASSIGNMENT)");
  s = world::orders_example(1);
  s.brokers = {101, 102, 1};
  s.topics[0].assignment.clear();
  CHECK(world::check_spec(s).ok());  // 1 is a combined broker + controller
  s.mode = world::ClusterSpec::Mode::zookeeper;
  CHECK(error(s) == "zookeeper id 1 is used twice");

  s = world::orders_example(1);
  kafka::ProducerConfig p;
  p.client_id = "checkout";
  p.topic = "payments";
  s.producers.push_back(p);
  CHECK(error(s) ==
        "producer checkout writes to topic payments, which the cluster does not create");
  s.producers[0].topic = "orders";
  s.producers[0].acks = 2;
  CHECK(error(s) == "producer checkout: acks must be 0, 1 or all (-1)");
  s.producers.clear();
  kafka::ConsumerConfig c;
  c.client_id = "billing";
  c.topics = {"orders"};
  c.partitions = {kafka::TopicPartitionName{"orders", 2}};
  s.consumers.push_back(c);
  CHECK(error(s) == "consumer billing is assigned orders-2, which does not exist");
}
