// The data-plane benchmark scenario (issue targets): 3 brokers, 12 partitions, RF 3, acks=all,
// 3 producers at 10,000 records/s each with 100-byte values, one consumer per partition.
#pragma once

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

}  // namespace kafkasim::bench
