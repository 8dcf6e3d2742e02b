// Consumer: a standalone KafkaConsumer with assign() (KAFKA_REFERENCE 5.2): it finds each
// assigned partition's leader from metadata, starts from auto.offset.reset (earliest = the
// log start offset, latest = the high watermark) via ListOffsets, and fetches from the
// leader, long-polled by fetch.min.bytes / fetch.max.wait.ms. It reads only below the high
// watermark, follows leader changes, and keeps what it received for the checker.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>  // NOLINT(iteration-free): lookups only, see last_seq_by_key_
#include <vector>

#include "kafka/client/broker_choice.h"
#include "kafka/common/errc.h"
#include "kafka/protocol/data.h"
#include "net/message.h"
#include "sim/time.h"
#include "sim/timer.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka {

struct ConsumerConfig {
  std::string client_id;
  std::vector<BrokerId> bootstrap;
  std::vector<std::string> topics;
  std::vector<TopicPartitionName> partitions;  // empty: every partition of `topics`
  sim::Time start;
  std::string auto_offset_reset = "latest";  // earliest, latest, none
  int64_t fetch_min_bytes = 1;
  int64_t fetch_max_wait_ms = 500;
  int64_t max_partition_fetch_bytes = 1048576;
  int64_t fetch_max_bytes = 52428800;
  int64_t request_timeout_ms = 30000;
  int64_t retry_backoff_ms = 100;
  int64_t metadata_max_age_ms = 300000;
};

/// One record handed to the application. Its creation time is the producer's (SentRecord,
/// found by origin): end-to-end latency = at - created.
struct Delivery {
  uint64_t origin = 0;  // the producer record (producer index << 40 | seq)
  Offset offset = 0;
  sim::Time at;
  int32_t partition = 0;
};

class Consumer {
 public:
  enum TimerKind : uint16_t { start_timer = 130, retry_timer = 131, request_timer = 132 };

  Consumer() = default;
  explicit Consumer(ConsumerConfig cfg) : cfg_(std::move(cfg)) {}

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss);

  const ConsumerConfig& config() const { return cfg_; }
  const std::vector<Delivery>& deliveries() const { return deliveries_; }
  /// Records of one key seen with a lower producer sequence than an earlier one of that key.
  int64_t order_violations() const { return order_violations_; }
  const std::map<Errc, int64_t>& errors() const { return errors_; }
  /// Position (next offset) per assigned partition; -1 while unknown.
  std::map<TopicPartitionName, Offset> positions() const;

  /// One assigned partition as this consumer tracks it.
  struct Assigned {
    Offset position = kNoOffset;
    BrokerId leader = kNoLeader;
    LeaderEpoch leader_epoch = kNoEpoch;
    bool listing = false;  // a ListOffsets (auto.offset.reset) is in flight
    uint32_t list_correlation = 0;
  };
  const std::map<TopicPartitionName, Assigned>& assignment() const { return assigned_; }
  /// Fetch requests in flight: broker -> correlation id.
  const std::map<BrokerId, uint32_t>& fetches_in_flight() const { return fetch_in_flight_; }
  bool metadata_in_flight() const { return metadata_in_flight_; }

 private:
  void begin(world::Ctx& ctx);
  void request_metadata(world::Ctx& ctx);
  void fetch(world::Ctx& ctx);
  void reset_position(world::Ctx& ctx, const TopicPartitionName& tp, Assigned& a);

  ConsumerConfig cfg_;
  // volatile
  bool running_ = false;
  std::map<TopicPartitionName, Assigned> assigned_;
  std::vector<BrokerId> brokers_;
  BrokerChoice brokers_to_ask_;
  bool metadata_in_flight_ = false;
  uint32_t metadata_correlation_ = 0;
  sim::Time metadata_at_;
  std::map<BrokerId, uint32_t> fetch_in_flight_;  // broker -> correlation
  uint32_t next_correlation_ = 1;
  bool retry_armed_ = false;
  // the test's notebook, kept across crashes
  std::vector<Delivery> deliveries_;
  // Order check: the highest record seen per partition and key.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view k) const { return std::hash<std::string_view>{}(k); }
  };
  // Looked up only, never iterated: the hash order cannot reach behaviour or output.
  using Eq = std::equal_to<>;
  using SeenByKey =
      std::unordered_map<std::string, uint64_t, KeyHash, Eq>;  // NOLINT(iteration-free)
  std::map<TopicPartitionName, SeenByKey> last_seq_by_key_;
  int64_t order_violations_ = 0;
  std::map<Errc, int64_t> errors_;
};

}  // namespace kafkasim::kafka
