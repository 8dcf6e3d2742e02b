// PartitionChangeBuilder: how the KRaft controller decides a partition's next leader and ISR
// (Kafka's metadata/.../controller/PartitionChangeBuilder.java; KAFKA_REFERENCE 3.3).
//
// A pure function: the current registration, a target ISR (and replicas), the election type
// and which brokers are acceptable in; a PartitionChangeRecord (or nothing) out.
//   ONLINE: keep a valid current leader, else the first valid replica in assignment order,
//           else (unclean allowed) the first acceptable replica, else no leader (-1).
//   PREFERRED: the assignment head if valid, else as ONLINE.
//   UNCLEAN: ONLINE, then any acceptable replica even outside the ISR (ISR forced to the
//           new leader, leader recovery state RECOVERING: committed data may be lost).
// Valid = in the target ISR and acceptable (registered, unfenced, not shutting down).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "kafka/metadata/image.h"
#include "kafka/metadata/records.h"

namespace kafkasim::kafka {

enum class Election { online, preferred, unclean };
const char* election_name(Election e);

struct ElectionResult {
  BrokerId leader = kNoLeader;
  bool unclean = false;
};

struct PartitionChangeBuilder {
  const PartitionRegistration& partition;
  TopicId topic_id = 0;
  int32_t partition_id = 0;
  std::function<bool(BrokerId)> acceptable;
  std::optional<std::vector<BrokerId>> target_isr;
  std::optional<std::vector<BrokerId>> target_replicas;
  Election election = Election::online;

  /// The leader the rules pick for the target state.
  ElectionResult elect_leader() const;
  /// The change to write, or nothing when the partition would not change.
  std::optional<PartitionChangeRecord> build() const;

 private:
  const std::vector<BrokerId>& isr() const { return target_isr ? *target_isr : partition.isr; }
  const std::vector<BrokerId>& replicas() const {
    return target_replicas ? *target_replicas : partition.replicas;
  }
  bool valid_new_leader(BrokerId b) const;
  ElectionResult elect_any() const;
};

}  // namespace kafkasim::kafka
