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
//
// Reassignment (KIP-455, Kafka's PartitionReassignmentReplicas): while one is in progress the
// replicas are the target followed by those being removed, with `adding` and `removing` set.
// Whenever the target ISR holds every target replica (and something outside `removing`), the
// change completes it in the same record: replicas = target, ISR without the removed ones,
// adding/removing cleared, a new leader if the old one is being removed. A change that drops
// replicas from the assignment bumps the leader epoch even when the leader stays.
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
  std::optional<std::vector<BrokerId>> target_removing{};
  std::optional<std::vector<BrokerId>> target_adding{};

  /// The leader the rules pick for the target state (a completed reassignment's, if it
  /// completes).
  ElectionResult elect_leader() const;
  /// The change to write, or nothing when the partition would not change.
  std::optional<PartitionChangeRecord> build() const;

  /// KIP-455 for `current` -> `target` replicas: removing = current - target, adding =
  /// target - current (both sorted), replicas while it runs = target then removing.
  struct Reassignment {
    std::vector<BrokerId> replicas, removing, adding;
  };
  static Reassignment reassignment(const std::vector<BrokerId>& current,
                                   const std::vector<BrokerId>& target);
  /// The replicas and ISR a reassignment in progress ends with, once the target ISR holds
  /// every target replica; nothing while it cannot complete or none is in progress.
  struct Completed {
    std::vector<BrokerId> replicas, isr;
  };
  std::optional<Completed> completed_reassignment() const;

 private:
  const std::vector<BrokerId>& isr() const { return target_isr ? *target_isr : partition.isr; }
  const std::vector<BrokerId>& replicas() const {
    return target_replicas ? *target_replicas : partition.replicas;
  }
  const std::vector<BrokerId>& removing() const {
    return target_removing ? *target_removing : partition.removing_replicas;
  }
  const std::vector<BrokerId>& adding() const {
    return target_adding ? *target_adding : partition.adding_replicas;
  }
  bool valid_new_leader(BrokerId b) const;
  ElectionResult elect_any() const;
  ElectionResult elect_for_targets() const;
  std::optional<PartitionChangeRecord> build_for_targets() const;
  /// This builder with a completed reassignment's targets, if one completes.
  std::optional<PartitionChangeBuilder> completing() const;
};

}  // namespace kafkasim::kafka
