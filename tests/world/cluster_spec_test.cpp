// Settings by Kafka's names and the checks a cluster spec passes before it is built.
#include <catch2/catch.hpp>

#include "world/cluster.h"

using namespace kafkasim;

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
