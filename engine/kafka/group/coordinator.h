// GroupCoordinator: a broker's share of Kafka's classic group coordinator (KAFKA_REFERENCE 5.3,
// 5.4). A broker coordinates the groups whose `__consumer_offsets` partition it leads
// (coordinator_partition): it answers JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit
// and OffsetFetch, runs the states Empty -> PreparingRebalance -> CompletingRebalance -> Stable
// (and Dead), bumps generations, expires members after session.timeout.ms, waits
// group.initial.rebalance.delay.ms for the first members of an empty group, and keeps static
// members (group.instance.id) across restarts.
//
// Everything it must remember is written to `__consumer_offsets` first (acks=all, waiting for
// the high watermark, offsets.commit.timeout.ms): committed offsets as one record per partition,
// the group's generation, leader, protocol and members' assignments as one record per group
// (both compacted by key). A broker that becomes leader of an offsets partition loads its groups
// from that log; one that stops leading it forgets them. That is coordinator failover.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/common/config.h"
#include "kafka/protocol/group.h"
#include "sim/timer.h"
#include "world/ctx.h"

namespace kafkasim::kafka::group {

inline constexpr std::string_view kOffsetsTopic = "__consumer_offsets";

enum class GroupState : uint8_t { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };
std::string_view group_state_name(GroupState s);

struct CommittedOffset {
  Offset offset = kNoOffset;
  LeaderEpoch leader_epoch = kNoEpoch;
  int64_t commit_timestamp_ms = 0;
  friend bool operator==(const CommittedOffset&, const CommittedOffset&) = default;
};

/// A request parked until the group moves on (a JoinGroup until the join completes, a
/// SyncGroup until the leader's assignment is written).
struct Parked {
  BrokerId client = -1;  // where the response goes
  uint32_t correlation_id = 0;
};

struct GroupMember {
  std::string member_id;
  std::string group_instance_id;  // "" = dynamic
  std::string client_id;
  int32_t session_timeout_ms = 45000;
  int32_t rebalance_timeout_ms = 300000;
  std::vector<JoinGroupProtocol> protocols;
  std::vector<TopicPartitionName> assignment;
  std::optional<Parked> awaiting_join, awaiting_sync;
  // liveness (in memory)
  sim::Time heartbeat_deadline;
  uint64_t serial = 0;  // names this member in timer arguments
  sim::TimerId heartbeat_timer;
};

struct Group {
  std::string group_id;
  int32_t partition = 0;  // of __consumer_offsets
  GroupState state = GroupState::Empty;
  int32_t generation_id = 0;
  std::string protocol_name;
  std::string leader_id;
  std::vector<GroupMember> members;  // in the order they were added
  /// Dynamic members told MEMBER_ID_REQUIRED who have not joined with their id yet.
  std::map<std::string, sim::Time> pending_members;
  std::map<TopicPartitionName, CommittedOffset> offsets;
  // rebalance (in memory)
  uint64_t serial = 0;  // names this group in timer arguments
  sim::TimerId join_timer, pending_timer;
  bool initial_delay = false;  // the first rebalance of an empty group
  int64_t initial_remaining_ms = 0;
  bool joined_during_delay = false;

  const GroupMember* member(std::string_view id) const;
  GroupMember* member(std::string_view id);
};

class GroupCoordinator {
 public:
  enum TimerKind : uint16_t {
    heartbeat_timer = 140,  // arg: member serial
    join_timer = 141,       // arg: group serial
    append_timer = 142,     // arg: pending write id
    pending_timer = 143,    // arg: group serial (pending members' deadlines)
    timer_kind_first = 140,
    timer_kind_last = 149,
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);

  GroupCoordinator() = default;
  explicit GroupCoordinator(const KafkaConfig& config) : cfg_(config) {}

  /// The process died: every group is forgotten (the logs keep them).
  void crash();
  /// Follows the replicas: loads the groups of offsets partitions this broker now leads (a new
  /// leader epoch reloads), unloads those it no longer leads, and completes or fails writes.
  void sync(world::Ctx& ctx, ReplicaManager& rm);

  void on_join(world::Ctx& ctx, ReplicaManager& rm, BrokerId from, JoinGroupRequest&& r);
  void on_sync(world::Ctx& ctx, ReplicaManager& rm, BrokerId from, SyncGroupRequest&& r);
  void on_heartbeat(world::Ctx& ctx, BrokerId from, const HeartbeatRequest& r);
  void on_leave(world::Ctx& ctx, ReplicaManager& rm, BrokerId from, const LeaveGroupRequest& r);
  void on_offset_commit(world::Ctx& ctx, ReplicaManager& rm, BrokerId from,
                        OffsetCommitRequest&& r);
  void on_offset_fetch(world::Ctx& ctx, BrokerId from, const OffsetFetchRequest& r);
  void on_timer(world::Ctx& ctx, ReplicaManager& rm, uint16_t kind, uint64_t arg);

  // [views]
  const std::map<std::string, Group>& groups() const { return groups_; }
  const Group* group(std::string_view id) const;
  /// Offsets partitions loaded, with the leader epoch they were loaded at.
  const std::map<int32_t, LeaderEpoch>& loaded() const { return loaded_; }
  int32_t partition_for(std::string_view group_id) const;

 private:
  struct PendingWrite {
    uint64_t id = 0;
    TopicPartitionName tp;
    Offset end = 0;
    LeaderEpoch leader_epoch = kNoEpoch;
    sim::TimerId timer;
    // What completes: an offset commit (answer the client, then apply), or a group's
    // assignment (answer the parked SyncGroups, then Stable).
    enum class What : uint8_t { commit, assignment, group } what = What::commit;
    std::string group_id;
    int32_t generation_id = 0;
    Parked client;
    std::vector<OffsetCommitPartition> offsets;
  };

  bool owns(const std::string& group_id) const;
  Group& get_or_create(const std::string& group_id);
  std::string new_member_id(world::Ctx& ctx, const std::string& client_id);
  /// A validation error for a member's request against its group, or NONE.
  Errc validate_member(const Group& g, const std::string& member_id,
                       const std::string& instance_id) const;
  /// The group of a member's request (SyncGroup, Heartbeat, LeaveGroup), or nullptr with the
  /// error to answer: NOT_COORDINATOR, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID.
  Group* member_group(const std::string& group_id, const std::string& member_id,
                      const std::string& instance_id, Errc& error);

  void trace_state(world::Ctx& ctx, const Group& g, const std::string& why);
  void add_member_and_rebalance(world::Ctx& ctx, ReplicaManager& rm, Group& g, GroupMember m);
  void prepare_rebalance(world::Ctx& ctx, ReplicaManager& rm, Group& g, const std::string& why);
  void maybe_complete_join(world::Ctx& ctx, ReplicaManager& rm, Group& g);
  void complete_join(world::Ctx& ctx, ReplicaManager& rm, Group& g);
  void send_join_response(world::Ctx& ctx, const Group& g, const GroupMember& m, Parked to,
                          bool skip_assignment = false);
  void remove_member(world::Ctx& ctx, ReplicaManager& rm, Group& g, const std::string& member_id,
                     const std::string& why);
  void schedule_heartbeat(world::Ctx& ctx, GroupMember& m);
  /// Parked SyncGroups of the current generation answered with `error` (a new rebalance).
  void fail_parked_syncs(world::Ctx& ctx, Group& g, Errc error);
  std::string select_protocol(const Group& g) const;

  /// Writes `g`'s metadata (generation, protocol, leader, members and assignments).
  void write_group(world::Ctx& ctx, ReplicaManager& rm, const Group& g, PendingWrite w);
  /// Appends `records` as the partition's leader; `w` completes once the high watermark covers
  /// them, or at once with the error when the append is refused.
  void append(world::Ctx& ctx, ReplicaManager& rm, const TopicPartitionName& tp,
              std::vector<std::pair<std::string, std::optional<std::string>>> records,
              PendingWrite w);
  void complete_write(world::Ctx& ctx, ReplicaManager& rm, PendingWrite& w, Errc error);
  void load(world::Ctx& ctx, const ReplicaManager::HostedPartition& p);
  void unload(world::Ctx& ctx, int32_t partition);

  KafkaConfig cfg_;
  std::map<std::string, Group> groups_;    // groups of loaded partitions
  std::map<int32_t, LeaderEpoch> loaded_;  // offsets partition -> leader epoch loaded at
  std::vector<PendingWrite> pending_;      // writes waiting for the high watermark
  uint64_t next_serial_ = 1;
  uint64_t next_write_ = 1;
};

// [SECTION] records of __consumer_offsets (our encoding; Kafka's schemas carry the same fields)

/// The key of a committed offset: "offset [group,topic,partition]".
std::string offset_key(const std::string& group, const TopicPartitionName& tp);
/// The key of a group's metadata: "group [group]".
std::string group_key(const std::string& group);

}  // namespace kafkasim::kafka::group
