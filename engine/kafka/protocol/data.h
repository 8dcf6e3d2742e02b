// The data-plane APIs clients and brokers speak: Produce, Fetch (consumers and followers),
// Metadata, ListOffsets, InitProducerId. Field names follow Kafka's request specs; topics are
// named (as before topic ids), partitions numbered.
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/errc.h"
#include "kafka/common/ids.h"
#include "kafka/log/epoch_cache.h"
#include "kafka/log/record_batch.h"

namespace kafkasim::kafka {

struct TopicPartitionName {
  std::string topic;
  int32_t partition = 0;
  // Ordered by topic, then partition (as a defaulted <=> would). Written out because brokers
  // look partitions up on every request: the partition is compared first for equality, and
  // topic names (short) inline rather than through a memcmp call.
  friend bool operator==(const TopicPartitionName& x, const TopicPartitionName& y) {
    return x.partition == y.partition && x.topic.size() == y.topic.size() &&
           compare_topics(x.topic, y.topic) == 0;
  }
  friend std::strong_ordering operator<=>(const TopicPartitionName& x,
                                          const TopicPartitionName& y) {
    if (const auto c = compare_topics(x.topic, y.topic); c != 0) return c;
    return x.partition <=> y.partition;
  }
  static std::strong_ordering compare_topics(const std::string& x, const std::string& y) {
    const size_t n = std::min(x.size(), y.size());
    for (size_t i = 0; i < n; ++i) {
      const auto a = static_cast<unsigned char>(x[i]);
      const auto b = static_cast<unsigned char>(y[i]);
      if (a != b) return a <=> b;
    }
    return x.size() <=> y.size();
  }
  std::string str() const { return topic + "-" + std::to_string(partition); }
};
/// "[orders-0, orders-2]"
inline std::string to_string(const std::vector<TopicPartitionName>& tps) {
  std::string s = "[";
  for (size_t i = 0; i < tps.size(); ++i)
    s += (i ? ", " : "") + tps[i].str();
  return s + "]";
}

// [Produce]
// -----------------------------------------------------------------------------------------
struct ProducePartitionData {
  TopicPartitionName tp;
  RecordBatch batch;
};
struct ProduceRequest {
  static constexpr const char* kName = "ProduceRequest";
  uint32_t correlation_id = 0;
  int16_t acks = -1;  // 0, 1 or -1 (all)
  int32_t timeout_ms = 30000;
  std::vector<ProducePartitionData> partitions;
};
struct ProducePartitionResponse {
  TopicPartitionName tp;
  Errc error_code = Errc::NONE;
  Offset base_offset = kNoOffset;
  Offset log_start_offset = kNoOffset;
};
struct ProduceResponse {
  static constexpr const char* kName = "ProduceResponse";
  uint32_t correlation_id = 0;
  std::vector<ProducePartitionResponse> partitions;
};

// [Fetch]
// -------------------------------------------------------------------------------------------
struct FetchPartition {
  TopicPartitionName tp;
  LeaderEpoch current_leader_epoch = kNoEpoch;
  Offset fetch_offset = 0;
  int32_t last_fetched_epoch = kNoEpoch;
  Offset log_start_offset = kNoOffset;  // followers report theirs
  int32_t partition_max_bytes = 1048576;
};
struct FetchRequest {
  static constexpr const char* kName = "FetchRequest";
  uint32_t correlation_id = 0;
  BrokerId replica_id = -1;  // -1: a consumer
  int32_t max_wait_ms = 500;
  int32_t min_bytes = 1;
  int32_t max_bytes = 52428800;
  std::vector<FetchPartition> partitions;
};
struct FetchPartitionResponse {
  TopicPartitionName tp;
  Errc error_code = Errc::NONE;
  Offset high_watermark = kNoOffset;
  Offset log_start_offset = kNoOffset;
  Offset log_end_offset = kNoOffset;  // lets a pre-KIP-101 follower truncate to the leader's end
  std::optional<EpochEndOffset> diverging_epoch;
  LeaderEpoch leader_epoch = kNoEpoch;
  std::vector<RecordBatch> records;
};
struct FetchResponse {
  static constexpr const char* kName = "FetchResponse";
  uint32_t correlation_id = 0;
  std::vector<FetchPartitionResponse> partitions;
};

// [Metadata]
// ----------------------------------------------------------------------------------------
struct MetadataRequest {
  static constexpr const char* kName = "MetadataRequest";
  uint32_t correlation_id = 0;
  std::vector<std::string> topics;  // empty: every topic
};
struct MetadataPartition {
  int32_t partition = 0;
  Errc error_code = Errc::NONE;
  BrokerId leader = kNoLeader;
  LeaderEpoch leader_epoch = kNoEpoch;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
};
struct MetadataTopic {
  std::string name;
  Errc error_code = Errc::NONE;
  std::vector<MetadataPartition> partitions;
};
struct MetadataResponse {
  static constexpr const char* kName = "MetadataResponse";
  uint32_t correlation_id = 0;
  std::vector<BrokerId> brokers;  // live brokers
  std::vector<MetadataTopic> topics;
};

// [ListOffsets]
// -------------------------------------------------------------------------------------
inline constexpr int64_t kEarliestTimestamp = -2;
inline constexpr int64_t kLatestTimestamp = -1;
struct ListOffsetsRequest {
  static constexpr const char* kName = "ListOffsetsRequest";
  uint32_t correlation_id = 0;
  TopicPartitionName tp;
  int64_t timestamp = kLatestTimestamp;
  LeaderEpoch current_leader_epoch = kNoEpoch;
};
struct ListOffsetsResponse {
  static constexpr const char* kName = "ListOffsetsResponse";
  uint32_t correlation_id = 0;
  TopicPartitionName tp;
  Errc error_code = Errc::NONE;
  Offset offset = kNoOffset;
  LeaderEpoch leader_epoch = kNoEpoch;
};

// [InitProducerId]
// ----------------------------------------------------------------------------------
struct InitProducerIdRequest {
  static constexpr const char* kName = "InitProducerIdRequest";
  uint32_t correlation_id = 0;
};
struct InitProducerIdResponse {
  static constexpr const char* kName = "InitProducerIdResponse";
  uint32_t correlation_id = 0;
  Errc error_code = Errc::NONE;
  int64_t producer_id = -1;
  int16_t producer_epoch = -1;
};

}  // namespace kafkasim::kafka
