// KRaft's RPCs (KIP-595, KIP-996): Vote (and pre-vote), BeginQuorumEpoch, EndQuorumEpoch and
// the pull-based Fetch of the __cluster_metadata log. Field names follow Kafka's JSON specs.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kafka/common/errc.h"
#include "kafka/common/ids.h"
#include "kafka/metadata/records.h"

namespace kafkasim::kafka::raft {

/// One entry of the replicated log: the epoch of the leader that appended it, and the record.
struct LogEntry {
  int32_t epoch = 0;
  MetadataRecord record;
};

struct VoteRequest {
  static constexpr const char* kName = "VoteRequest";
  uint32_t correlation_id = 0;
  int32_t candidate_epoch = 0;  // for a pre-vote: the epoch the candidate would have
  BrokerId candidate_id = 0;
  int32_t last_offset_epoch = 0;
  Offset last_offset = 0;  // the candidate's log end offset
  bool pre_vote = false;
};
struct VoteResponse {
  static constexpr const char* kName = "VoteResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int32_t leader_epoch = 0;  // the voter's epoch
  BrokerId leader_id = kNoLeader;
  bool vote_granted = false;
  bool pre_vote = false;
};
struct BeginQuorumEpochRequest {
  static constexpr const char* kName = "BeginQuorumEpochRequest";
  uint32_t correlation_id = 0;
  int32_t leader_epoch = 0;
  BrokerId leader_id = 0;
};
struct BeginQuorumEpochResponse {
  static constexpr const char* kName = "BeginQuorumEpochResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int32_t leader_epoch = 0;
  BrokerId leader_id = kNoLeader;
};
struct EndQuorumEpochRequest {
  static constexpr const char* kName = "EndQuorumEpochRequest";
  uint32_t correlation_id = 0;
  int32_t leader_epoch = 0;
  BrokerId leader_id = 0;
  std::vector<BrokerId> preferred_successors;
};
struct EndQuorumEpochResponse {
  static constexpr const char* kName = "EndQuorumEpochResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int32_t leader_epoch = 0;
};
struct FetchRequest {
  static constexpr const char* kName = "FetchRequest (KRaft)";
  uint32_t correlation_id = 0;
  BrokerId replica_id = 0;
  int32_t current_leader_epoch = 0;
  Offset fetch_offset = 0;
  int32_t last_fetched_epoch = kNoEpoch;
};
struct DivergingEpoch {
  int32_t epoch = kNoEpoch;
  Offset end_offset = kNoOffset;
};
struct FetchResponse {
  static constexpr const char* kName = "FetchResponse (KRaft)";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int32_t leader_epoch = 0;
  BrokerId leader_id = kNoLeader;
  Offset high_watermark = 0;
  std::optional<DivergingEpoch> diverging_epoch;
  Offset base_offset = 0;
  std::vector<LogEntry> records;
};

}  // namespace kafkasim::kafka::raft
