// The client history against the cluster's logs: what was promised (acknowledged) and what a
// consumer can still read. Counts, by Kafka's guarantees (KAFKA_REFERENCE 6):
//   * acked_records_lost: acknowledged to a producer, absent from what consumers can read now
//     or once the high watermark catches up (the current leader's log; with no leader, the ISR's
//     logs). Records retention deleted (below the log start offset) and compacted topics, where
//     the cleaner removes superseded records by design, do not count;
//   * duplicates: the same producer record appended more than once to a partition;
//   * replica_divergence: partitions where two live replicas hold different records at the
//     same offset, below both their log end offsets;
//   * out_of_order: per-key order violations seen by consumers (within one producer's records);
//   * consumed: records delivered to consumers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "world/world.h"

namespace kafkasim::check {

struct DataSummary {
  int64_t produced = 0;  // records made by producers
  int64_t acked = 0;
  int64_t failed = 0;
  int64_t consumed = 0;
  int64_t acked_records_lost = 0;
  int64_t duplicates = 0;
  int64_t replica_divergence = 0;
  int64_t out_of_order = 0;
  /// acked_records_lost by producer client id (producers with none lost are absent).
  std::map<std::string, int64_t> lost_by_client;
};

/// Evaluates everything at the World's current state. `topic` limits it to one topic.
DataSummary summarize(const world::World& w,
                      const std::optional<std::string>& topic = std::nullopt);

/// The node's replica manager if it is a broker (its logs stay there while it is down).
const kafka::ReplicaManager* replica_manager(const world::World::Node& n);

/// The broker's replica of a partition, if the node is a broker hosting it.
const kafka::PartitionLog* replica_log(const world::World& w, int32_t broker,
                                       const std::string& topic, int32_t partition);

}  // namespace kafkasim::check
