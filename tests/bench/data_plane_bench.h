// The data-plane benchmark scenario (issue targets): 3 brokers, 12 partitions, RF 3, acks=all,
// 3 producers at 10,000 records/s each with 100-byte values, one consumer per partition.
#pragma once

#include <algorithm>
#include <set>

#include "kafka/node/kafka_node.h"
#include "world/cluster.h"

namespace kafkasim::bench {

inline world::ClusterSpec data_plane_spec(uint64_t seed = 1) {
  using namespace sim::literals;
  world::ClusterSpec spec;
  spec.seed = seed;
  spec.keep_trace = false;
  kafka::TopicSpec t;
  t.name = "events";
  t.partitions = 12;
  t.replication_factor = 3;
  spec.topics = {t};
  for (int i = 0; i < 3; ++i) {
    kafka::ProducerConfig p;
    p.client_id = "producer-" + std::to_string(i);
    p.topic = "events";
    p.rate = 10000;
    p.key = "key-{seq % 1000}";
    p.value = std::string(94, 'x') + "{seq % 100000}";  // ~100 bytes
    p.acks = -1;
    spec.producers.push_back(p);
  }
  for (int i = 0; i < 12; ++i) {
    kafka::ConsumerConfig c;
    c.client_id = "consumer-" + std::to_string(i);
    c.topics = {"events"};
    c.partitions = {kafka::TopicPartitionName{"events", i}};
    c.auto_offset_reset = "earliest";
    spec.consumers.push_back(c);
  }
  return spec;
}

/// What the partition logs hold: every batch header per replica, plus each shared batch body
/// (keys, values, record headers) once; `records` counts the leaders' records.
struct LogMemory {
  int64_t bytes = 0;
  int64_t records = 0;
};
inline LogMemory log_memory(const world::World& w) {
  LogMemory m;
  std::set<const kafka::BatchData*> bodies;
  for (const auto& n : w.nodes()) {
    const auto* k = std::get_if<kafka::KafkaNode>(&n.impl);
    if (!k || !k->replicas()) continue;
    for (const auto& [tp, p] : k->replicas()->partitions()) {
      const bool leader = p.role == kafka::ReplicaManager::Role::leader;
      if (leader) m.records += static_cast<int64_t>(p.log.record_count());
      for (const auto& seg : p.log.segments()) {
        // std::deque (libstdc++): 512-byte blocks plus a map of block pointers.
        constexpr size_t kPerBlock = std::max<size_t>(1, 512 / sizeof(kafka::RecordBatch));
        const size_t blocks = seg.batches.size() / kPerBlock + 1;
        m.bytes += static_cast<int64_t>(sizeof(kafka::Segment) + blocks * 512 +
                                        (blocks + 8) * sizeof(void*));
        for (const auto& b : seg.batches) {
          if (!b.data || !bodies.insert(b.data.get()).second) continue;
          // The body's header with its reference count, and its heap block.
          m.bytes += static_cast<int64_t>(sim::Rc<const kafka::BatchData>::node_bytes +
                                          b.data->capacity_bytes());
        }
      }
    }
  }
  return m;
}

}  // namespace kafkasim::bench
