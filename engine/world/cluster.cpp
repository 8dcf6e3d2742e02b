#include "world/cluster.h"

#include "kafka/group/assignor.h"
#include "kafka/group/coordinator.h"
#include "sim/assert.h"

#include <algorithm>
#include <optional>
#include <set>

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

bool has_groups(const ClusterSpec& spec) {
  return std::any_of(spec.consumers.begin(), spec.consumers.end(),
                     [](const kafka::ConsumerConfig& c) { return !c.group.group_id.empty(); });
}
}  // namespace

sim::Result<sim::Ok, std::string> check_spec(const ClusterSpec& spec) {
  using Err = sim::Err<std::string>;
  const bool zk = spec.mode == ClusterSpec::Mode::zookeeper;
  if (spec.brokers.empty()) return Err{"a cluster needs at least one broker"};
  std::set<int32_t> seen;
  auto unique = [&](const std::vector<int32_t>& v, const char* what) -> std::optional<std::string> {
    for (int32_t id : v) {
      if (id < 0 || id >= kClientIdBase)
        return std::string(what) + " id " + std::to_string(id) + " is outside 0.." +
               std::to_string(kClientIdBase - 1);
      if (!seen.insert(id).second)
        return std::string(what) + " id " + std::to_string(id) + " is used twice";
    }
    return std::nullopt;
  };
  if (auto e = unique(spec.brokers, "broker")) return Err{*e};
  if (zk) {
    if (spec.zookeeper.empty()) return Err{"ZooKeeper mode needs a ZooKeeper ensemble"};
    if (auto e = unique(spec.zookeeper, "zookeeper")) return Err{*e};
  } else {
    if (spec.controllers.empty()) return Err{"a KRaft cluster needs at least one controller"};
    std::vector<int32_t> dedicated;
    for (int32_t c : spec.controllers) {
      if (std::find(spec.brokers.begin(), spec.brokers.end(), c) == spec.brokers.end())
        dedicated.push_back(c);  // a controller id that is also a broker is a combined node
    }
    if (auto e = unique(dedicated, "controller")) return Err{*e};
    if (!spec.config.inter_broker_protocol_version.empty())
      return Err{
          "inter.broker.protocol.version is a ZooKeeper-mode setting; a KRaft cluster "
          "versions its protocol with metadata.version"};
  }
  std::map<std::string, int32_t> partitions;
  for (const kafka::TopicSpec& t : spec.topics) {
    if (t.name.empty()) return Err{"a topic needs a name"};
    if (partitions.count(t.name)) return Err{"topic " + t.name + " is defined twice"};
    if (t.partitions < 1) return Err{"topic " + t.name + " needs at least one partition"};
    if (t.assignment.empty() && t.replication_factor > static_cast<int32_t>(spec.brokers.size()))
      return Err{"topic " + t.name + ": replication factor " +
                 std::to_string(t.replication_factor) + " is larger than the " +
                 std::to_string(spec.brokers.size()) + " brokers (INVALID_REPLICATION_FACTOR)"};
    if (!t.assignment.empty()) {
      if (static_cast<int32_t>(t.assignment.size()) != t.partitions)
        return Err{"topic " + t.name + ": the assignment lists " +
                   std::to_string(t.assignment.size()) + " partitions, the topic has " +
                   std::to_string(t.partitions)};
      for (const auto& replicas : t.assignment) {
        std::set<int32_t> once;
        for (int32_t b : replicas) {
          if (std::find(spec.brokers.begin(), spec.brokers.end(), b) == spec.brokers.end() ||
              !once.insert(b).second)
            return Err{"topic " + t.name + ": replicas " + kafka::to_string(replicas) +
                       " must be distinct brokers of " + kafka::to_string(spec.brokers) +
                       " (INVALID_REPLICA_ASSIGNMENT)"};
        }
      }
    }
    partitions[t.name] = t.partitions;
  }
  for (const kafka::ProducerConfig& p : spec.producers) {
    if (!partitions.count(p.topic))
      return Err{"producer " + p.client_id + " writes to topic " + p.topic +
                 ", which the cluster does not create"};
    if (p.acks != 0 && p.acks != 1 && p.acks != -1)
      return Err{"producer " + p.client_id + ": acks must be 0, 1 or all (-1)"};
  }
  if (has_groups(spec)) {
    const int64_t rf = spec.config.offsets_topic_replication_factor;
    if (spec.config.offsets_topic_num_partitions < 1)
      return Err{"offsets.topic.num.partitions must be at least 1"};
    if (rf < 1 || rf > static_cast<int64_t>(spec.brokers.size()))
      return Err{
          "consumer groups need __consumer_offsets, created with "
          "offsets.topic.replication.factor " +
          std::to_string(rf) + ", but the cluster has " + std::to_string(spec.brokers.size()) +
          " brokers (set \"offsets.topic.replication.factor\" in [cluster.config])"};
  }
  for (const kafka::ConsumerConfig& c : spec.consumers) {
    if (!c.group.group_id.empty() && c.group.group_protocol != "classic")
      return Err{"consumer " + c.client_id +
                 ": group.protocol \"consumer\" (KIP-848) is not modelled; the classic protocol "
                 "is (group.protocol = \"classic\", Kafka 4.x's default)"};
    for (const std::string& t : c.topics) {
      if (!partitions.count(t))
        return Err{"consumer " + c.client_id + " reads topic " + t +
                   ", which the cluster does not create"};
    }
    for (const kafka::TopicPartitionName& tp : c.partitions) {
      auto it = partitions.find(tp.topic);
      if (it == partitions.end() || tp.partition < 0 || tp.partition >= it->second)
        return Err{"consumer " + c.client_id + " is assigned " + tp.str() +
                   ", which does not exist"};
    }
  }
  return sim::Ok{};
}

namespace {
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

ClusterSpec with_offsets_topic(ClusterSpec spec) {
  const std::string name(kafka::group::kOffsetsTopic);
  if (!has_groups(spec)) return spec;
  if (std::any_of(spec.topics.begin(), spec.topics.end(),
                  [&](const kafka::TopicSpec& t) { return t.name == name; }))
    return spec;
  kafka::TopicSpec t;
  t.name = name;
  t.partitions = static_cast<int32_t>(spec.config.offsets_topic_num_partitions);
  t.replication_factor = static_cast<int32_t>(spec.config.offsets_topic_replication_factor);
  spec.topics.push_back(t);
  // Compacted: the latest offset per (group, topic, partition), the latest metadata per group.
  kafka::TopicOverrides& o = spec.topic_overrides[name];
  o.log = spec.default_log;
  o.log.cleanup_compact = true;
  o.log.cleanup_delete = false;
  o.log.segment_bytes = 104857600;  // offsets.topic.segment.bytes
  return spec;
}

World make_cluster(const ClusterSpec& given) {
  const ClusterSpec spec = with_offsets_topic(given);
  SIM_ASSERT(check_spec(spec).ok(), "callers check a cluster spec before building it");
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

const kafka::group::GroupCoordinator* group_coordinator(const World::Node& n) {
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) return k->groups();
  if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) return &z->groups();
  return nullptr;
}

GroupView find_group(const World& w, const std::string& group_id) {
  // The coordinator is the leader of the group's offsets partition as the cluster's metadata
  // says; a deposed leader that has not heard yet (a zombie) does not count.
  GroupView v;
  const kafka::MetadataImage* img = cluster_image(w);
  const kafka::TopicImage* t = img ? img->topic(std::string(kafka::group::kOffsetsTopic)) : nullptr;
  if (t == nullptr || t->partitions.empty()) return v;
  const int32_t p =
      kafka::group::coordinator_partition(group_id, static_cast<int32_t>(t->partitions.size()));
  const kafka::PartitionRegistration& reg = t->partitions[static_cast<size_t>(p)];
  const int li = w.index_of(reg.leader);
  if (!reg.has_leader() || li < 0) return v;
  const World::Node& n = w.node(static_cast<net::NodeIndex>(li));
  if (n.status != NodeStatus::running && n.status != NodeStatus::paused) return v;
  const kafka::group::GroupCoordinator* gc = group_coordinator(n);
  if (gc == nullptr) return v;
  auto it = gc->loaded().find(p);
  if (it == gc->loaded().end() || it->second != reg.leader_epoch) return v;
  v.coordinator = n.id;
  v.group = gc->group(group_id);
  return v;
}

int32_t partition_leader(const World& w, const std::string& name) {
  const kafka::MetadataImage* img = cluster_image(w);
  const auto tp = find_partition(img, name);
  if (!tp) return -1;
  return img->partition(*tp)->leader;
}

}  // namespace kafkasim::world
