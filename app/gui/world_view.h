// Read-only questions the studio asks of a World, in Kafka's terms, kept out of the panels.
#pragma once

#include <string>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/metadata/image.h"
#include "world/world.h"

namespace kafkasim::gui {

struct NodeInfo {
  std::string role;    // "broker", "controller", "combined", "zookeeper", "demo"
  std::string detail;  // "active controller", "quorum leader", "fenced", "ZooKeeper leader"...
  bool active_controller = false;
  bool quorum_leader = false;  // KRaft quorum leader or ZooKeeper ensemble leader
  bool fenced = false;         // broker fenced / not registered in the cluster's view
};

NodeInfo node_info(const world::World& w, net::NodeIndex i);

/// What broker `id` itself believes about the cluster (its own metadata image), or nullptr.
const kafka::MetadataImage* broker_view(const world::World& w, int32_t id);

/// Broker `id`'s own replica of `tp`: its log, LEO and HW, or nullptr.
const kafka::ReplicaManager::HostedPartition* hosted_replica(const world::World& w, int32_t id,
                                                             const kafka::TopicPartitionName& tp);

/// A replica's place as the cluster sees it.
enum class ReplicaRole { leader, in_sync, out_of_sync, offline };
struct ReplicaOnBroker {
  std::string partition;  // "orders-0"
  ReplicaRole role;
};
std::vector<ReplicaOnBroker> replicas_on(const kafka::MetadataImage& img, int32_t broker);

}  // namespace kafkasim::gui
