// Records of the __cluster_metadata log, named and shaped like Kafka's (metadata/*.json in
// Kafka's source): the controller writes them, every node replays them into its image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/common/ids.h"
#include "kafka/metadata/dynamic_config.h"
#include "kafka/zk/types.h"
namespace kafkasim::kafka {

/// KIP-704: after an unclean election the leader's log may miss committed data.
enum class LeaderRecoveryState : int8_t { RECOVERED = 0, RECOVERING = 1 };
const char* leader_recovery_state_name(LeaderRecoveryState s);

/// A broker registers; the broker epoch is the offset of this record. Starts fenced.
struct RegisterBrokerRecord {
  BrokerId broker_id = 0;
  uint64_t incarnation_id = 0;  // new on every process start
  std::string rack;
  bool fenced = true;
};
struct FenceBrokerRecord {
  BrokerId id = 0;
  int64_t epoch = 0;
};
struct UnfenceBrokerRecord {
  BrokerId id = 0;
  int64_t epoch = 0;
};
/// Controlled shutdown began for a broker.
struct BrokerRegistrationChangeRecord {
  BrokerId broker_id = 0;
  int64_t broker_epoch = 0;
  bool in_controlled_shutdown = false;
};
struct TopicRecord {
  std::string name;
  TopicId topic_id = 0;
};
struct PartitionRecord {
  TopicId topic_id = 0;
  int32_t partition_id = 0;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
  BrokerId leader = kNoLeader;
  LeaderEpoch leader_epoch = 0;
  PartitionEpoch partition_epoch = 0;
  LeaderRecoveryState leader_recovery_state = LeaderRecoveryState::RECOVERED;
  // KIP-455: a reassignment in progress (empty when none).
  std::vector<BrokerId> removing_replicas;
  std::vector<BrokerId> adding_replicas;
};
/// A change to a partition; absent fields are unchanged. Applying it bumps the partition
/// epoch, and the leader epoch when `leader` is present (KRaft, MetadataVersion >= 3.6).
struct PartitionChangeRecord {
  TopicId topic_id = 0;
  int32_t partition_id = 0;
  std::optional<std::vector<BrokerId>> isr;
  std::optional<BrokerId> leader;
  std::optional<std::vector<BrokerId>> replicas;
  std::optional<LeaderRecoveryState> leader_recovery_state;
  // KIP-455: a reassignment starts by setting these and completes by clearing them.
  std::optional<std::vector<BrokerId>> removing_replicas;
  std::optional<std::vector<BrokerId>> adding_replicas;
};
/// A dynamic setting of a topic, a broker or the cluster-wide broker default
/// (kafka-configs --alter); `value` absent removes it. Kafka writes values as strings; here
/// they keep their type.
struct ConfigRecord {
  ConfigResource resource;
  std::string name;
  std::optional<KafkaConfig::Value> value;
};
/// Appended by the active controller when idle, so followers see the log advance.
struct NoOpRecord {};
/// Control record a new quorum leader appends at the start of its epoch.
struct LeaderChangeMessage {
  BrokerId leader_id = kNoLeader;
  std::vector<BrokerId> voters;
};

/// A record of a replicated log. The last alternative is not metadata: it is a ZooKeeper
/// transaction, for the ensemble that replays ZooKeeper's atomic broadcast with the same
/// leader-based log (see kafka/zk).
using MetadataRecord =
    std::variant<NoOpRecord, LeaderChangeMessage, RegisterBrokerRecord, FenceBrokerRecord,
                 UnfenceBrokerRecord, BrokerRegistrationChangeRecord, TopicRecord, PartitionRecord,
                 PartitionChangeRecord, zk::ZkTxn, ConfigRecord>;

/// One line for traces and the studio: "PartitionChangeRecord orders-0 leader=102 isr=[102]".
std::string describe(const MetadataRecord& r);
const char* record_type_name(const MetadataRecord& r);

}  // namespace kafkasim::kafka
