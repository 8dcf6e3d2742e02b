#include "world_view.h"

#include "world/cluster.h"

namespace kafkasim::gui {

NodeInfo node_info(const world::World& w, net::NodeIndex i) {
  const world::World::Node& n = w.node(i);
  NodeInfo info;
  info.role = n.role;
  const kafka::MetadataImage* img = world::cluster_image(w);
  const int32_t active = world::active_controller(w);
  info.active_controller = active == n.id;
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) {
    info.quorum_leader = k->raft().is_leader() && n.status == world::NodeStatus::running;
    if (k->config().broker && img != nullptr && !img->is_active(n.id)) info.fenced = true;
  } else if (const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl)) {
    info.quorum_leader = z->raft().is_leader() && n.status == world::NodeStatus::running;
  } else if (std::get_if<kafka::zkmode::ZkBroker>(&n.impl) != nullptr) {
    if (img != nullptr && !img->is_active(n.id)) info.fenced = true;
  }
  if (info.active_controller) {
    info.detail = "active controller";
  } else if (info.quorum_leader) {
    info.detail = n.role == "zookeeper" ? "ZooKeeper leader" : "quorum leader";
  } else if (info.fenced && n.status == world::NodeStatus::running) {
    info.detail = n.role == "broker" && std::get_if<kafka::zkmode::ZkBroker>(&n.impl)
                      ? "not registered"
                      : "fenced";
  }
  return info;
}

const kafka::MetadataImage* broker_view(const world::World& w, int32_t id) {
  if (const auto* k = w.impl_as<kafka::KafkaNode>(id))
    return k->config().broker ? &k->image() : nullptr;
  if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(id)) return &z->image();
  return nullptr;
}

const kafka::ReplicaManager::HostedPartition* hosted_replica(const world::World& w, int32_t id,
                                                             const kafka::TopicPartitionName& tp) {
  const kafka::ReplicaManager* rm = nullptr;
  if (const auto* k = w.impl_as<kafka::KafkaNode>(id)) rm = k->replicas();
  if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(id)) rm = &z->replicas();
  if (rm == nullptr) return nullptr;
  const auto it = rm->partitions().find(tp);
  return it == rm->partitions().end() ? nullptr : &it->second;
}

std::vector<ReplicaOnBroker> replicas_on(const kafka::MetadataImage& img, int32_t broker) {
  std::vector<ReplicaOnBroker> out;
  for (const kafka::TopicImage& t : img.topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const kafka::PartitionRegistration& part = t.partitions[p];
      if (!part.is_replica(broker)) continue;
      ReplicaRole role = ReplicaRole::out_of_sync;
      if (!img.is_active(broker)) {
        role = ReplicaRole::offline;
      } else if (part.leader == broker) {
        role = ReplicaRole::leader;
      } else if (part.in_isr(broker)) {
        role = ReplicaRole::in_sync;
      }
      out.push_back({t.name + "-" + std::to_string(p), role});
    }
  }
  return out;
}

}  // namespace kafkasim::gui
