#include "world/cluster.h"

#include <algorithm>

namespace kafkasim::world {

namespace {
kafka::ReplicaManagerConfig replication_of(const ClusterSpec& spec) {
  kafka::ReplicaManagerConfig rc;
  rc.config = spec.config;
  rc.default_log = spec.default_log;
  rc.topics = spec.topic_overrides;
  rc.truncate_to_high_watermark =
      spec.mode == ClusterSpec::Mode::zookeeper && spec.config.truncates_to_high_watermark();
  return rc;
}

void add_clients(World& w, const ClusterSpec& spec) {
  int32_t id = kClientIdBase;
  for (kafka::ProducerConfig p : spec.producers) {
    if (p.bootstrap.empty()) p.bootstrap = spec.brokers;
    p.index = static_cast<uint32_t>(id - kClientIdBase + 1);
    const std::string name = "producer " + p.client_id;
    w.add_node(id++, "producer", kafka::Producer(p), name);
  }
  for (kafka::ConsumerConfig c : spec.consumers) {
    if (c.bootstrap.empty()) c.bootstrap = spec.brokers;
    const std::string name = "consumer " + c.client_id;
    w.add_node(id++, "consumer", kafka::Consumer(c), name);
  }
}

void add_zookeeper_mode(World& w, const ClusterSpec& spec) {
  for (int32_t id : spec.zookeeper) {
    kafka::zk::ZkServerConfig z;
    z.id = id;
    z.ensemble = spec.zookeeper;
    w.add_node(id, "zookeeper", kafka::zk::ZkServer(z));
  }
  for (int32_t id : spec.brokers) {
    kafka::zkmode::ZkBrokerConfig b;
    b.id = id;
    b.zookeeper = spec.zookeeper;
    b.brokers = spec.brokers;
    b.config = spec.config;
    b.zookeeper_session_timeout_ms = spec.zookeeper_session_timeout_ms;
    b.topics = spec.topics;
    if (auto it = spec.racks.find(id); it != spec.racks.end()) b.rack = it->second;
    b.replication = replication_of(spec);
    w.add_node(id, "broker", kafka::zkmode::ZkBroker(b));
  }
}
}  // namespace

World make_cluster(const ClusterSpec& spec) {
  WorldConfig cfg;
  cfg.seed = spec.seed;
  cfg.link = spec.link;
  cfg.disconnect_timeout = spec.disconnect_timeout;
  cfg.keep_trace = spec.keep_trace;
  World w(cfg);
  if (spec.mode == ClusterSpec::Mode::zookeeper) {
    add_zookeeper_mode(w, spec);
    add_clients(w, spec);
    for (const auto& [id, probe] : spec.probes)
      w.add_node(id, "probe", probe);
    w.start();
    return w;
  }
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
    n.replication = replication_of(spec);
    const std::string role = n.controller && n.broker ? "combined"
                             : n.controller           ? "controller"
                                                      : "broker";
    w.add_node(id, role, kafka::KafkaNode(n));
  }
  add_clients(w, spec);
  for (const auto& [pid, probe] : spec.probes)
    w.add_node(pid, "probe", probe);
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
  // Two controllers can both believe they are active for a while (an isolated old leader has
  // not noticed yet); the one with the newer epoch is the real one.
  int32_t found = -1;
  int64_t best_epoch = -1;
  for (const World::Node& n : w.nodes()) {
    if (n.status != NodeStatus::running) continue;
    int64_t epoch = -1;
    if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl); k && k->is_active_controller()) {
      epoch = k->raft().epoch();
    } else if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl);
               z && z->is_active_controller()) {
      epoch = z->controller()->epoch();
    }
    if (epoch > best_epoch) {
      best_epoch = epoch;
      found = n.id;
    }
  }
  return found;
}

const kafka::MetadataImage* cluster_image(const World& w) {
  const int32_t ac = active_controller(w);
  if (ac >= 0) {
    if (const auto* k = w.impl_as<kafka::KafkaNode>(ac)) return k->controller()->image();
    if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(ac)) return &z->controller()->image();
  }
  const kafka::MetadataImage* best = nullptr;
  for (const World::Node& n : w.nodes()) {
    if (n.status != NodeStatus::running) continue;
    const kafka::MetadataImage* img = nullptr;
    if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) img = &k->image();
    if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) img = &z->image();
    if (img != nullptr && (best == nullptr || img->offset() > best->offset())) best = img;
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
