// Kafka's identifiers and counters. Plain integers with Kafka's sentinel values; the names say
// what each is (leader_epoch, partition_epoch, broker_epoch), as in Kafka's own records.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kafkasim::kafka {

using BrokerId = int32_t;        // node.id of a broker or controller
using LeaderEpoch = int32_t;     // bumps on every leader change of a partition
using PartitionEpoch = int32_t;  // bumps on every change of a partition record
using Offset = int64_t;

inline constexpr BrokerId kNoLeader = -1;  // LeaderConstants.NO_LEADER
inline constexpr int32_t kNoEpoch = -1;    // UNDEFINED_EPOCH
inline constexpr Offset kNoOffset = -1;

/// Index of a topic in the metadata image (Kafka uses a Uuid; we number topics in creation
/// order, which is deterministic).
using TopicId = uint32_t;

struct TopicPartition {
  TopicId topic = 0;
  int32_t partition = 0;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

/// "[1, 2, 3]"
std::string to_string(const std::vector<BrokerId>& ids);

}  // namespace kafkasim::kafka
