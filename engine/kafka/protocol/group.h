// The consumer group APIs of Kafka's classic protocol (KAFKA_REFERENCE 5.3, 5.4):
// FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch.
// Field names follow Kafka's request specs. The consumer protocol's metadata (the
// Subscription and the Assignment Kafka serialises into bytes) is carried as plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/common/errc.h"
#include "kafka/protocol/data.h"

namespace kafkasim::kafka {

/// ConsumerProtocolSubscription: what a member tells the leader in JoinGroup.
struct Subscription {
  std::vector<std::string> topics;
  std::vector<TopicPartitionName> owned_partitions;  // cooperative members keep these
  int32_t generation_id = -1;                        // the generation they were owned in
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

// [FindCoordinator]
// -------------------------------------------------------------------------------
struct FindCoordinatorRequest {
  static constexpr const char* kName = "FindCoordinatorRequest";
  uint32_t correlation_id = 0;
  std::string key;  // the group id (key_type GROUP)
};
struct FindCoordinatorResponse {
  static constexpr const char* kName = "FindCoordinatorResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  BrokerId node_id = -1;
};

// [JoinGroup]
// -------------------------------------------------------------------------------------
struct JoinGroupProtocol {
  std::string name;  // an assignor ("range", "cooperative-sticky")
  Subscription metadata;
  friend bool operator==(const JoinGroupProtocol&, const JoinGroupProtocol&) = default;
};
struct JoinGroupRequest {
  static constexpr const char* kName = "JoinGroupRequest";
  uint32_t correlation_id = 0;
  std::string client_id;  // from the request header: a new member id starts with it
  std::string group_id;
  int32_t session_timeout_ms = 45000;
  int32_t rebalance_timeout_ms = 300000;  // the client's max.poll.interval.ms
  std::string member_id;                  // "" on the first join
  std::string group_instance_id;          // "" = a dynamic member
  std::vector<JoinGroupProtocol> protocols;
  std::string reason;
};
struct JoinGroupMember {
  std::string member_id;
  std::string group_instance_id;
  Subscription metadata;
};
struct JoinGroupResponse {
  static constexpr const char* kName = "JoinGroupResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int32_t generation_id = -1;
  std::string protocol_name;
  std::string leader;
  bool skip_assignment = false;  // KIP-814: a static leader rejoined; the assignment stands
  std::string member_id;
  std::vector<JoinGroupMember> members;  // the leader's copy only
};

// [SyncGroup]
// -------------------------------------------------------------------------------------
struct SyncGroupAssignment {
  std::string member_id;
  std::vector<TopicPartitionName> assignment;
};
struct SyncGroupRequest {
  static constexpr const char* kName = "SyncGroupRequest";
  uint32_t correlation_id = 0;
  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  std::string group_instance_id;
  std::string protocol_name;
  std::vector<SyncGroupAssignment> assignments;  // the leader's only
};
struct SyncGroupResponse {
  static constexpr const char* kName = "SyncGroupResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  std::string protocol_name;
  std::vector<TopicPartitionName> assignment;
};

// [Heartbeat] and [LeaveGroup]
// ---------------------------------------------------------------------
struct HeartbeatRequest {
  static constexpr const char* kName = "HeartbeatRequest";
  uint32_t correlation_id = 0;
  std::string group_id;
  int32_t generation_id = -1;
  std::string member_id;
  std::string group_instance_id;
};
struct HeartbeatResponse {
  static constexpr const char* kName = "HeartbeatResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
};
struct LeaveGroupRequest {
  static constexpr const char* kName = "LeaveGroupRequest";
  uint32_t correlation_id = 0;
  std::string group_id;
  std::string member_id;
  std::string group_instance_id;
  std::string reason;
};
struct LeaveGroupResponse {
  static constexpr const char* kName = "LeaveGroupResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
};

// [OffsetCommit] and [OffsetFetch]
// -------------------------------------------------------------
struct OffsetCommitPartition {
  TopicPartitionName tp;
  Offset committed_offset = 0;
  LeaderEpoch committed_leader_epoch = kNoEpoch;
};
struct OffsetCommitRequest {
  static constexpr const char* kName = "OffsetCommitRequest";
  uint32_t correlation_id = 0;
  std::string group_id;
  int32_t generation_id = -1;  // -1 with member "" : a standalone (simple) commit
  std::string member_id;
  std::string group_instance_id;
  std::vector<OffsetCommitPartition> offsets;
};
struct OffsetCommitPartitionResponse {
  TopicPartitionName tp;
  Errc error_code = Errc::NONE;
};
struct OffsetCommitResponse {
  static constexpr const char* kName = "OffsetCommitResponse";
  uint32_t correlation_id = 0;
  std::vector<OffsetCommitPartitionResponse> partitions;
};
struct OffsetFetchRequest {
  static constexpr const char* kName = "OffsetFetchRequest";
  uint32_t correlation_id = 0;
  std::string group_id;
  std::vector<TopicPartitionName> partitions;
};
struct OffsetFetchPartitionResponse {
  TopicPartitionName tp;
  Offset committed_offset = kNoOffset;  // -1: nothing committed
  LeaderEpoch committed_leader_epoch = kNoEpoch;
};
struct OffsetFetchResponse {
  static constexpr const char* kName = "OffsetFetchResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  std::vector<OffsetFetchPartitionResponse> partitions;
};

}  // namespace kafkasim::kafka
