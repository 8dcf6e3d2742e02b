// A Kafka cluster as a World: KRaft controllers, brokers (or combined nodes), their settings
// and the topics an admin creates once the brokers are up. The scenario loader builds this
// spec from a TOML file; tests and the built-in lesson build it in code.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/client/consumer.h"
#include "kafka/client/producer.h"
#include "kafka/common/config.h"
#include "kafka/controller/quorum_controller.h"
#include "kafka/group/coordinator.h"
#include "net/link.h"
#include "world/world.h"

namespace kafkasim::world {

struct ClusterSpec {
  uint64_t seed = 1;
  enum class Mode : uint8_t { kraft, zookeeper };
  Mode mode = Mode::kraft;
  std::vector<int32_t> zookeeper = {1, 2, 3};    // zookeeper mode: the ensemble
  int32_t zookeeper_session_timeout_ms = 18000;  // zookeeper.session.timeout.ms
  std::vector<int32_t> brokers = {101, 102, 103};
  std::vector<int32_t> controllers = {1, 2, 3};  // KRaft voters; an id also in brokers = combined
  std::map<int32_t, std::string> racks;
  kafka::KafkaConfig config;
  std::vector<kafka::TopicSpec> topics;
  net::LinkParams link;  // default 1 ms, no jitter
  sim::Time disconnect_timeout = sim::Time::from_s(10);
  bool keep_trace = true;
  /// Scriptable probe nodes (tests, hand-made messages): they send what they are told to at
  /// the times they are told and record all they receive.
  std::vector<std::pair<int32_t, demo::ProbeNode>> probes;
  /// Clients, with their own node ids from kClientIdBase up, in order.
  std::vector<kafka::ProducerConfig> producers;
  std::vector<kafka::ConsumerConfig> consumers;
  /// Per-topic settings (min.insync.replicas, retention, cleanup...) by topic name.
  std::map<std::string, kafka::TopicOverrides> topic_overrides;
  kafka::LogConfig default_log;  // broker-level log settings
};

inline constexpr int32_t kClientIdBase = 10000;

/// Whether the spec describes a cluster that can be built: node ids, topics and their
/// assignments, clients' topics and partitions, settings that belong to the other mode. The
/// error names what is wrong in Kafka's terms; the scenario loader adds file and line.
sim::Result<sim::Ok, std::string> check_spec(const ClusterSpec& spec);

/// The spec with `__consumer_offsets` added when a consumer is in a group (compacted,
/// offsets.topic.num.partitions x offsets.topic.replication.factor). Kafka creates it on the
/// first FindCoordinator; the simulator creates it with the cluster's other topics.
ClusterSpec with_offsets_topic(ClusterSpec spec);

/// Builds and starts the cluster (all nodes start at time 0). The spec must pass check_spec.
World make_cluster(const ClusterSpec& spec);

/// The seed documents' example: brokers 101-103, controllers 1-3, topic "orders" with two
/// partitions, RF 2: orders-0 on [101, 102], orders-1 on [102, 103].
ClusterSpec orders_example(uint64_t seed);

// [views over a cluster]
// ---------------------------------------------------------------------------
/// The node acting as active controller, or -1 (also -1 if two claim it: a bug, asserted).
int32_t active_controller(const World& w);
/// The freshest view of the metadata: the active controller's image, else the committed image
/// with the highest offset among running nodes.
const kafka::MetadataImage* cluster_image(const World& w);
/// Leader of partition `name` ("orders-0") in cluster_image(), -1 when none or unknown.
int32_t partition_leader(const World& w, const std::string& name);

/// A consumer group as its coordinator holds it now.
struct GroupView {
  int32_t coordinator = -1;  // the broker; -1 when no running broker has the group's partition
  const kafka::group::Group* group = nullptr;  // nullptr: the coordinator does not know it
};
/// The group's coordinator now: the leader of its offsets partition in cluster_image(), if it
/// is up (running or paused) and has loaded that partition at the current leader epoch; and
/// what it holds of the group.
GroupView find_group(const World& w, const std::string& group_id);
/// A broker's group coordinator (KRaft or ZooKeeper mode), or nullptr.
const kafka::group::GroupCoordinator* group_coordinator(const World::Node& n);

}  // namespace kafkasim::world
