// Controller -> broker requests of ZooKeeper-mode Kafka (3.x): LeaderAndIsr, UpdateMetadata,
// and the broker's ControlledShutdown. Every request carries the controller epoch read from
// /controller_epoch, so brokers can refuse a deposed ("zombie") controller.
#pragma once

#include <cstdint>
#include <string>
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
  BrokerId controller_id = 0;
  int32_t controller_epoch = 0;
  std::vector<ZkPartitionState> partitions;
};
struct LeaderAndIsrResponse {
  Errc error_code = Errc::NONE;
  int32_t controller_epoch = 0;
};
struct UpdateMetadataRequest {
  BrokerId controller_id = 0;
  int32_t controller_epoch = 0;
  std::vector<LiveBroker> live_brokers;
  std::vector<ZkPartitionState> partitions;
};
struct UpdateMetadataResponse {
  Errc error_code = Errc::NONE;
};
struct ControlledShutdownRequest {
  BrokerId broker_id = 0;
  int64_t broker_epoch = 0;
};
struct ControlledShutdownResponse {
  Errc error_code = Errc::NONE;
  int32_t partitions_remaining = 0;
};

/// Kafka's JSON for a partition state znode:
/// {"controller_epoch":1,"leader":101,"version":1,"leader_epoch":0,"isr":[101,102]}
std::string state_json(const ZkPartitionState& s);
/// Reads leader, leader_epoch, isr and controller_epoch back; false if it does not parse.
bool parse_state_json(const std::string& json, ZkPartitionState& out);
/// {"version":2,"partitions":{"0":[101,102],"1":[102,103]}}
std::string assignment_json(const std::vector<std::vector<BrokerId>>& replicas);
bool parse_assignment_json(const std::string& json, std::vector<std::vector<BrokerId>>& out);

}  // namespace kafkasim::kafka::zkmode
