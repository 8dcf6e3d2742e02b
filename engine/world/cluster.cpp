#include "world/cluster.h"

#include <algorithm>

namespace kafkasim::world {

World make_cluster(const ClusterSpec& spec) {
  WorldConfig cfg;
  cfg.seed = spec.seed;
  cfg.link = spec.link;
  cfg.disconnect_timeout = spec.disconnect_timeout;
  cfg.keep_trace = spec.keep_trace;
  World w(cfg);
  std::vector<int32_t> ids = spec.controllers;
  for (int32_t b : spec.brokers) {
    if (std::find(ids.begin(), ids.end(), b) == ids.end()) ids.push_back(b);
  }
  for (int32_t id : ids) {
    kafka::KafkaNodeConfig n;
    n.id = id;
    n.controller =
        std::find(spec.controllers.begin(), spec.controllers.end(), id) != spec.controllers.end();
    n.broker = std::find(spec.brokers.begin(), spec.brokers.end(), id) != spec.brokers.end();
    n.voters = spec.controllers;
    n.brokers = spec.brokers;
    n.config = spec.config;
    n.topics = spec.topics;
    if (auto it = spec.racks.find(id); it != spec.racks.end()) n.rack = it->second;
    const std::string role = n.controller && n.broker ? "combined"
                             : n.controller           ? "controller"
                                                      : "broker";
    w.add_node(id, role, kafka::KafkaNode(n));
  }
  w.start();
  return w;
}

ClusterSpec orders_example(uint64_t seed) {
  ClusterSpec spec;
  spec.seed = seed;
  kafka::TopicSpec orders;
  orders.name = "orders";
  orders.partitions = 2;
  orders.replication_factor = 2;
  orders.assignment = {{101, 102}, {102, 103}};
  spec.topics = {orders};
  return spec;
}

int32_t active_controller(const World& w) {
  int32_t found = -1;
  for (const World::Node& n : w.nodes()) {
    const auto* k = std::get_if<kafka::KafkaNode>(&n.impl);
    if (k == nullptr || n.status != NodeStatus::running || !k->is_active_controller()) continue;
    // Two active controllers can coexist briefly (an isolated old leader has not resigned
    // yet); the one with the newer epoch is the real one.
    if (found < 0 ||
        k->raft().epoch() >
            std::get<kafka::KafkaNode>(w.node(static_cast<net::NodeIndex>(w.index_of(found))).impl)
                .raft()
                .epoch()) {
      found = n.id;
    }
  }
  return found;
}

const kafka::MetadataImage* cluster_image(const World& w) {
  const int32_t ac = active_controller(w);
  if (ac >= 0) return w.impl_as<kafka::KafkaNode>(ac)->controller()->image();
  const kafka::MetadataImage* best = nullptr;
  for (const World::Node& n : w.nodes()) {
    const auto* k = std::get_if<kafka::KafkaNode>(&n.impl);
    if (k == nullptr || n.status != NodeStatus::running) continue;
    if (best == nullptr || k->image().offset() > best->offset()) best = &k->image();
  }
  return best;
}

int32_t partition_leader(const World& w, const std::string& name) {
  const kafka::MetadataImage* img = cluster_image(w);
  const auto tp = find_partition(img, name);
  if (!tp) return -1;
  return img->partition(*tp)->leader;
}

}  // namespace kafkasim::world
