// Following one record from its producer to its consumers: where it is at a moment (made,
// in a produce request, on which replicas, committed, acknowledged, read by whom), which
// messages on the wire carry it, as a few words and as a signature that changes exactly when
// one of those does, so the time bar can step from one moment of its journey to the next
// (AppState::next_change / previous_change).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "world/world.h"

namespace kafkasim::gui {

/// The record followed: who made it (Producer::origin) and its partition; its offset once
/// known (kNoOffset when followed from the producer before any broker wrote it).
struct FollowedRecord {
  kafka::TopicPartitionName tp;
  kafka::Offset offset = kafka::kNoOffset;
  uint64_t origin = 0;
};

/// A message on the wire that carries the record (or, for a produce response, its ack).
struct Carrier {
  uint32_t slot = 0;  // net::Network::slots() index
  int32_t from = -1, to = -1;
  std::string what;  // "a fetch response to 102"
};

/// Where the record is now.
struct JourneyState {
  bool made = false;                        // the producer has made it (its history has it)
  int request = 0;                          // attempt of the ProduceRequest out with it (0: none)
  uint32_t correlation_id = 0;              // that request's
  kafka::Offset offset = kafka::kNoOffset;  // where a broker wrote it (kNoOffset: not yet)
  std::vector<int32_t> on;                  // brokers whose replica holds it at its offset
  bool committed = false;                   // below the leader's high watermark
  bool acked = false;                       // the producer was told it is written
  bool failed = false;                      // the producer gave up on it
  bool lost = false;                 // acknowledged, and the leader holds another record there
  std::vector<std::string> read_by;  // consumers whose position is past it
  std::vector<Carrier> carriers;     // messages in flight with it (or its ack)
  sim::Time made_at, acked_at;
  std::string key, producer;
  int32_t producer_node = -1;  // the producer's node id
  /// Changes whenever any of the above does (times and names aside).
  uint64_t signature() const;
};

JourneyState journey(const world::World& w, const FollowedRecord& r);
/// "in a produce request (attempt 2)", "on 101, 102 (not 103); committed; acknowledged at
/// 3.250 s; read by billing".
std::string describe(const JourneyState& j, const std::vector<int32_t>& replicas);
/// Where `log` holds the record `origin` among its last `batches` batches (kNoOffset: not
/// there): a record just written, before anyone knows its offset.
kafka::Offset find_origin(const kafka::PartitionLog& log, uint64_t origin, size_t batches = 256);

}  // namespace kafkasim::gui
