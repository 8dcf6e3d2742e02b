// Following one record from its producer to its consumers: where it is at a moment (made,
// on which replicas, committed, acknowledged, read by whom), as a few words and as a
// signature that changes exactly when one of those does, so the time bar can step from one
// moment of its journey to the next (AppState::next_change / previous_change).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "world/world.h"

namespace kafkasim::gui {

/// The record followed: the offset it was seen at and who made it (Producer::origin).
struct FollowedRecord {
  kafka::TopicPartitionName tp;
  kafka::Offset offset = kafka::kNoOffset;
  uint64_t origin = 0;
};

/// Where the record is now.
struct JourneyState {
  bool made = false;                 // the producer has made it (its history has it)
  std::vector<int32_t> on;           // brokers whose replica holds it at its offset
  bool committed = false;            // below the leader's high watermark
  bool acked = false;                // the producer was told it is written
  bool lost = false;                 // acknowledged, and the leader holds another record there
  std::vector<std::string> read_by;  // consumers whose position is past it
  sim::Time made_at, acked_at;
  std::string key, producer;
  /// Changes whenever any of the above does (times and names aside).
  uint64_t signature() const;
};

JourneyState journey(const world::World& w, const FollowedRecord& r);
/// "on 101, 102 (not 103); committed; acknowledged at 3.250 s; read by billing".
std::string describe(const JourneyState& j, const std::vector<int32_t>& replicas);

}  // namespace kafkasim::gui
