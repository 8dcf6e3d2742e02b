// Controller -> broker requests of ZooKeeper-mode Kafka (3.x): LeaderAndIsr, UpdateMetadata,
// and the broker's ControlledShutdown. Every request carries the controller epoch read from
// /controller_epoch, so brokers can refuse a deposed ("zombie") controller.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kafka/common/errc.h"
#include "kafka/common/ids.h"

namespace kafkasim::kafka::zkmode {

/// The content of /brokers/topics/<topic>/partitions/<p>/state, plus the assignment.
struct ZkPartitionState {
  std::string topic;
  int32_t partition = 0;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
  BrokerId leader = kNoLeader;
  LeaderEpoch leader_epoch = 0;
  int32_t zk_version = 0;
  int32_t controller_epoch = 0;
};

struct LiveBroker {
  BrokerId id = 0;
  int64_t epoch = 0;  // czxid of /brokers/ids/<id>
  std::string rack;
};

struct LeaderAndIsrRequest {
  static constexpr const char* kName = "LeaderAndIsrRequest";
  BrokerId controller_id = 0;
  int32_t controller_epoch = 0;
  std::vector<ZkPartitionState> partitions;
};
struct LeaderAndIsrResponse {
  static constexpr const char* kName = "LeaderAndIsrResponse";
  Errc error_code = Errc::NONE;
  int32_t controller_epoch = 0;
};
struct UpdateMetadataRequest {
  static constexpr const char* kName = "UpdateMetadataRequest";
  BrokerId controller_id = 0;
  int32_t controller_epoch = 0;
  std::vector<LiveBroker> live_brokers;
  std::vector<ZkPartitionState> partitions;
};
struct UpdateMetadataResponse {
  static constexpr const char* kName = "UpdateMetadataResponse";
  Errc error_code = Errc::NONE;
};
struct ControlledShutdownRequest {
  static constexpr const char* kName = "ControlledShutdownRequest";
  BrokerId broker_id = 0;
  int64_t broker_epoch = 0;
};
struct ControlledShutdownResponse {
  static constexpr const char* kName = "ControlledShutdownResponse";
  Errc error_code = Errc::NONE;
  int32_t partitions_remaining = 0;
};
/// The controller tells a broker to stop replicas (a reassignment moved them away); with
/// delete_partitions the broker also deletes their logs (Kafka sends it twice, without and
/// then with deletePartition; here one request does both).
struct StopReplicaRequest {
  static constexpr const char* kName = "StopReplicaRequest";
  BrokerId controller_id = 0;
  int32_t controller_epoch = 0;
  bool delete_partitions = true;
  std::vector<std::pair<std::string, int32_t>> partitions;
};
struct StopReplicaResponse {
  static constexpr const char* kName = "StopReplicaResponse";
  Errc error_code = Errc::NONE;
};

/// Kafka's JSON for a partition state znode:
/// {"controller_epoch":1,"leader":101,"version":1,"leader_epoch":0,"isr":[101,102]}
std::string state_json(const ZkPartitionState& s);
/// Reads leader, leader_epoch, isr and controller_epoch back; false if it does not parse.
bool parse_state_json(const std::string& json, ZkPartitionState& out);
/// {"version":2,"partitions":{"0":[101,102],"1":[102,103]}}; a partition being reassigned
/// also appears in "adding_replicas" and "removing_replicas" (KIP-455).
std::string assignment_json(const std::vector<std::vector<BrokerId>>& replicas,
                            const std::map<int32_t, std::vector<BrokerId>>& adding = {},
                            const std::map<int32_t, std::vector<BrokerId>>& removing = {});
bool parse_assignment_json(const std::string& json, std::vector<std::vector<BrokerId>>& out);
/// The "adding_replicas" or "removing_replicas" object of a topic znode, by partition.
std::map<int32_t, std::vector<BrokerId>> parse_reassigning_json(const std::string& json,
                                                                const std::string& field);
/// /admin/reassign_partitions: {"version":1,"partitions":[{"topic":"orders","partition":0,
/// "replicas":[102,103]}]}.
struct ReassignEntry {
  std::string topic;
  int32_t partition = 0;
  std::vector<BrokerId> replicas;
};
std::string reassignment_json(const std::vector<ReassignEntry>& entries);
std::vector<ReassignEntry> parse_reassignment_json(const std::string& json);
/// /config/topics/<t>, /config/brokers/<id>: {"version":1,"config":{"min.insync.replicas":"2"}}.
std::string config_json(const std::map<std::string, std::string>& config);
std::map<std::string, std::string> parse_config_json(const std::string& json);
/// /config/changes/config_change_N: {"version":2,"entity_path":"topics/orders"}.
std::string config_change_json(const std::string& entity_path);
std::string parse_config_change_json(const std::string& json);

}  // namespace kafkasim::kafka::zkmode
