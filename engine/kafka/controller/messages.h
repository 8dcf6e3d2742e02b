// Requests brokers send to the active controller, and its responses (Kafka's
// BrokerRegistration, BrokerHeartbeat and AlterPartition APIs); and the operator's admin
// requests (CreatePartitions, AlterPartitionReassignments, IncrementalAlterConfigs), which the
// World hands to the active controller as it hands it elect_preferred.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/errc.h"
#include "kafka/common/ids.h"
#include "kafka/metadata/records.h"

namespace kafkasim::kafka {

struct BrokerRegistrationRequest {
  static constexpr const char* kName = "BrokerRegistrationRequest";
  uint32_t correlation_id = 0;
  BrokerId broker_id = 0;
  uint64_t incarnation_id = 0;
  std::string rack;
};
struct BrokerRegistrationResponse {
  static constexpr const char* kName = "BrokerRegistrationResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int64_t broker_epoch = -1;
  BrokerId controller_hint = kNoLeader;
};
struct BrokerHeartbeatRequest {
  static constexpr const char* kName = "BrokerHeartbeatRequest";
  uint32_t correlation_id = 0;
  BrokerId broker_id = 0;
  int64_t broker_epoch = -1;
  Offset current_metadata_offset = -1;
  bool want_fence = false;
  bool want_shut_down = false;
};
struct BrokerHeartbeatResponse {
  static constexpr const char* kName = "BrokerHeartbeatResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  bool is_caught_up = false;
  bool is_fenced = true;
  bool should_shut_down = false;
  BrokerId controller_hint = kNoLeader;
};
struct AlterPartitionRequest {
  static constexpr const char* kName = "AlterPartitionRequest";
  uint32_t correlation_id = 0;
  BrokerId broker_id = 0;
  int64_t broker_epoch = -1;
  std::string topic;
  int32_t partition = 0;
  LeaderEpoch leader_epoch = 0;
  std::vector<BrokerId> new_isr;
  LeaderRecoveryState leader_recovery_state = LeaderRecoveryState::RECOVERED;
  PartitionEpoch partition_epoch = 0;
};
struct AlterPartitionResponse {
  static constexpr const char* kName = "AlterPartitionResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  std::string topic;
  int32_t partition = 0;
  BrokerId leader_id = kNoLeader;
  LeaderEpoch leader_epoch = 0;
  std::vector<BrokerId> isr;
  PartitionEpoch partition_epoch = 0;
  LeaderRecoveryState leader_recovery_state = LeaderRecoveryState::RECOVERED;
  BrokerId controller_hint = kNoLeader;
};

// [admin] ------------------------------------------------------------------------------------
/// kafka-topics --alter --partitions: `topic` grows to `count` partitions in total.
struct CreatePartitionsRequest {
  std::string topic;
  int32_t count = 0;
};
/// kafka-reassign-partitions --execute for one partition (KIP-455).
struct AlterPartitionReassignmentsRequest {
  std::string topic;
  int32_t partition = 0;
  std::vector<BrokerId> replicas;  // the target; the first is the preferred leader
};
/// kafka-configs --alter --add-config for one setting of one entity.
struct IncrementalAlterConfigsRequest {
  ConfigResource resource;
  std::string name;
  KafkaConfig::Value value;
};
/// What the controller answered an admin request: NONE, or Kafka's error and its message.
struct AdminResult {
  Errc error_code = Errc::NONE;
  std::string message;
};

}  // namespace kafkasim::kafka
