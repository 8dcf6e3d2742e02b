// Consumer: a KafkaConsumer (KAFKA_REFERENCE 5, 6). Standalone, it assign()s partitions; in a
// group (group.id), it subscribes and lets the group assign them through the classic protocol.
//
// Fetching (5.2): each assigned partition is fetched from its leader, found in metadata,
// starting from its position (the committed offset of the group, else auto.offset.reset via
// ListOffsets: earliest = the log start offset, latest = the high watermark), long-polled by
// fetch.min.bytes / fetch.max.wait.ms, below the high watermark only, following leader changes.
// A partition with records still buffered is not fetched again.
//
// The application (simulated): it calls poll(), which returns at most max.poll.records buffered
// records and moves the position past them; it processes them one by one (sim.processing.ms
// each), and commits as sim.commit says (after processing, sync or async; or sync before
// processing, which is at-most-once); with enable.auto.commit, poll() commits the positions of
// what earlier polls returned every auto.commit.interval.ms, and a rebalance commits first.
// A record counts as consumed (a Delivery) when its processing is done.
//
// The group (5.4): FindCoordinator, JoinGroup (MEMBER_ID_REQUIRED first for a dynamic member),
// the leader runs the assignor the group chose on everyone's subscriptions, SyncGroup,
// OffsetFetch for new partitions, Heartbeat every heartbeat.interval.ms. Eager protocols revoke
// everything before rejoining; cooperative-sticky (KIP-429) keeps what it owns, revokes what the
// new assignment moves away, and rejoins once more. A poll() gap longer than
// max.poll.interval.ms makes the consumer leave the group (a static member just stops
// heartbeating).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/client/broker_choice.h"
#include "kafka/client/deliveries.h"
#include "kafka/client/key_order.h"
#include "kafka/common/errc.h"
#include "kafka/protocol/data.h"
#include "kafka/protocol/group.h"
#include "net/message.h"
#include "sim/time.h"
#include "sim/timer.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka {

/// Consumer-group settings (Kafka 4.x defaults, KAFKA_REFERENCE 5.1).
struct GroupConfig {
  std::string group_id;  // "" = a standalone consumer
  bool enable_auto_commit = true;
  int64_t auto_commit_interval_ms = 5000;
  std::vector<std::string> partition_assignment_strategy = {"range", "cooperative-sticky"};
  int64_t session_timeout_ms = 45000;
  int64_t heartbeat_interval_ms = 3000;
  int64_t max_poll_interval_ms = 300000;
  std::string group_instance_id;           // static membership (KIP-345); empty: dynamic
  std::string group_protocol = "classic";  // or "consumer" (KIP-848, not modelled)
};

/// What the simulated application does about commits (a `sim.` setting: it is code, not a
/// Kafka config): nothing, commitSync or commitAsync after processing each poll's records, or
/// commitSync before processing them (at-most-once).
enum class CommitMode : uint8_t { none, sync_after, async_after, sync_before };
std::string_view commit_mode_name(CommitMode m);

struct ConsumerConfig {
  std::string client_id;
  std::vector<BrokerId> bootstrap;
  std::vector<std::string> topics;
  std::vector<TopicPartitionName> partitions;  // standalone; empty: every partition of `topics`
  sim::Time start;
  std::string auto_offset_reset = "latest";  // earliest, latest, none
  int64_t fetch_min_bytes = 1;
  int64_t fetch_max_wait_ms = 500;
  int64_t max_partition_fetch_bytes = 1048576;
  int64_t fetch_max_bytes = 52428800;
  int64_t request_timeout_ms = 30000;
  int64_t retry_backoff_ms = 100;
  int64_t retry_backoff_max_ms = 1000;  // group lookups back off exponentially up to this
  int64_t metadata_max_age_ms = 300000;
  int64_t max_poll_records = 500;
  int64_t default_api_timeout_ms = 60000;  // how long commitSync keeps retrying
  GroupConfig group;
  int64_t processing_ms = 0;             // sim.processing.ms: the application's time per record
  CommitMode commit = CommitMode::none;  // sim.commit
};

/// The consumer's side of its group, for views and the checker.
enum class MemberPhase : uint8_t {
  standalone,
  unjoined,    // no coordinator, or waiting to (re)join
  committing,  // a rebalance commits what was consumed before rejoining
  joining,     // JoinGroup in flight
  syncing,     // SyncGroup in flight
  stable,      // assigned, heartbeating
  failed,      // a fatal group error (FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL...)
};
std::string_view member_phase_name(MemberPhase p);

/// One change of what a group member owns, as the member saw it.
struct AssignmentChange {
  sim::Time at;
  int32_t generation = -1;
  std::vector<TopicPartitionName> assigned;  // newly owned
  std::vector<TopicPartitionName> revoked;   // given up (eager: everything, before joining)
  bool lost = false;                         // revoked without a commit (generation reset)
};

class Consumer {
 public:
  enum TimerKind : uint16_t {
    start_timer = 130,
    retry_timer = 131,
    request_timer = 132,
    heartbeat_timer = 133,
    process_timer = 134,
    rejoin_timer = 135,
    poll_timeout_timer = 136,  // arg: the poll() it watches
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);

  Consumer() = default;
  explicit Consumer(ConsumerConfig cfg) : cfg_(std::move(cfg)) {
    phase_ = in_group() ? MemberPhase::unjoined : MemberPhase::standalone;
  }

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  /// The process died at `now`: what it owned is lost (its history says so).
  void on_crash(bool power_loss, sim::Time now);
  /// KafkaConsumer.close(): commit what was consumed (with auto-commit), leave the group (a
  /// dynamic member), then stop.
  void on_shutdown(world::Ctx& ctx);

  const ConsumerConfig& config() const { return cfg_; }
  bool in_group() const { return !cfg_.group.group_id.empty(); }
  /// Every record handed to the application, kept as runs (deliveries.h).
  using Deliveries = DeliveryLog;
  const Deliveries& deliveries() const { return deliveries_; }
  /// Records of one key seen with a lower producer sequence than an earlier one of that key.
  int64_t order_violations() const { return order_violations_; }
  const std::map<Errc, int64_t>& errors() const { return errors_; }
  /// Position (next offset) per assigned partition; -1 while unknown.
  std::map<TopicPartitionName, Offset> positions() const;

  /// One assigned partition as this consumer tracks it.
  struct Assigned {
    Offset position = kNoOffset;  // next offset poll() returns
    BrokerId leader = kNoLeader;
    LeaderEpoch leader_epoch = kNoEpoch;
    bool listing = false;  // a ListOffsets (auto.offset.reset) is in flight
    uint32_t list_correlation = 0;
    bool awaiting_committed = false;   // group: OffsetFetch in flight
    std::deque<RecordBatch> buffered;  // fetched, not yet returned by poll()
  };
  const std::map<TopicPartitionName, Assigned>& assignment() const { return assigned_; }
  /// Fetch requests in flight: broker -> correlation id.
  /// A fetch waiting for its answer, and the timer that gives up on it (cancelled by the answer,
  /// so a steady consumer does not leave a request.timeout.ms of dead timers queued).
  struct FetchInFlight {
    uint32_t correlation = 0;
    sim::TimerId timeout;
  };
  const std::map<BrokerId, FetchInFlight>& fetches_in_flight() const { return fetch_in_flight_; }
  bool metadata_in_flight() const { return metadata_in_flight_; }

  // [group views]
  MemberPhase phase() const { return phase_; }
  BrokerId coordinator() const { return coordinator_; }
  const std::string& member_id() const { return member_id_; }
  int32_t generation() const { return generation_; }
  const std::string& protocol() const { return protocol_; }
  bool is_leader() const { return !member_id_.empty() && leader_ == member_id_; }
  /// Offsets this consumer committed successfully (its own view).
  const std::map<TopicPartitionName, Offset>& committed() const { return committed_; }
  /// Every assignment change, kept across crashes (the studio's rebalance timeline).
  const std::vector<AssignmentChange>& assignment_history() const { return history_; }
  /// The application is processing (busy) or blocked in commitSync, since when poll() last ran.
  bool busy() const { return app_ != App::idle; }
  sim::Time last_poll() const { return last_poll_; }

 private:
  enum class App : uint8_t { idle, processing, committing };
  // What the last poll() returned: its batches once each (they share the records' bytes), and
  // each record as a batch and an index, so a poll of 500 records copies no batch 500 times.
  struct PolledBatch {
    TopicPartitionName tp;
    RecordBatch batch;
  };
  /// Delivering record after record: the order-check table of the batch delivered last.
  struct SeenCache {
    uint32_t batch = UINT32_MAX;
    KeyOrderTable* seen = nullptr;
  };
  struct Polled {
    uint32_t batch = 0;  // in polled_batches_
    uint32_t index = 0;  // record in the batch
  };

  void begin(world::Ctx& ctx);
  void request_metadata(world::Ctx& ctx);
  void fetch(world::Ctx& ctx);
  void reset_position(world::Ctx& ctx, const TopicPartitionName& tp, Assigned& a);
  void on_metadata(world::Ctx& ctx, const MetadataResponse& m);
  void on_fetch_response(world::Ctx& ctx, BrokerId from, FetchResponse&& f);
  void retry_later(world::Ctx& ctx);

  // [the application] (consumer_app.cpp)
  void run_app(world::Ctx& ctx);
  bool poll(world::Ctx& ctx);
  void start_processing(world::Ctx& ctx);
  void process_one(world::Ctx& ctx);
  void after_processing(world::Ctx& ctx);
  void deliver(world::Ctx& ctx, const Polled& p, SeenCache& cache);

  // [the group] (consumer_group.cpp)
  void drive_group(world::Ctx& ctx);
  void find_coordinator(world::Ctx& ctx);
  void coordinator_unknown(world::Ctx& ctx, const std::string& why);
  /// Group lookups and joins wait retry.backoff.ms, doubling per failure in a row.
  void group_backoff(world::Ctx& ctx);
  void prepare_join(world::Ctx& ctx);
  void send_join(world::Ctx& ctx);
  void send_join_request(world::Ctx& ctx);
  void on_join_response(world::Ctx& ctx, JoinGroupResponse&& r);
  /// JoinGroup or SyncGroup refused: join again (REBALANCE_IN_PROGRESS), forget the generation
  /// (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION), find the coordinator again, or stop for good.
  void rebalance_refused(world::Ctx& ctx, Errc e);
  sim::Time rebalance_request_timeout() const;
  void on_sync_response(world::Ctx& ctx, SyncGroupResponse&& r);
  void on_heartbeat_response(world::Ctx& ctx, const HeartbeatResponse& r);
  void on_commit_response(world::Ctx& ctx, const OffsetCommitResponse& r);
  void on_offset_fetch_response(world::Ctx& ctx, const OffsetFetchResponse& r);
  /// A leader epoch of `tp` learned outside metadata (a committed offset's): metadata older than
  /// it no longer names the partition's leader.
  void see_leader_epoch(world::Ctx& ctx, const TopicPartitionName& tp, LeaderEpoch e);
  void apply_assignment(world::Ctx& ctx, std::vector<TopicPartitionName> assignment);
  void leave_on_poll_timeout(world::Ctx& ctx);
  /// close(): after the final commit, LeaveGroup (dynamic members) and stop.
  void close_leave(world::Ctx& ctx);
  /// A blocking commitSync ends (done, failed for good, or out of time): the app goes on.
  void end_blocking_commit(world::Ctx& ctx);
  void heartbeat(world::Ctx& ctx);
  /// Sends OffsetCommit with every known position; false when it cannot (no coordinator or
  /// generation). `blocking`: the application or a rebalance waits for the answer.
  bool commit(world::Ctx& ctx, bool blocking);
  void group_failed(world::Ctx& ctx, Errc e);
  /// Forgets the generation (and the member id with UNKNOWN_MEMBER_ID): what is owned is lost.
  void reset_generation(world::Ctx& ctx, Errc e);
  void revoke(world::Ctx& ctx, const std::vector<TopicPartitionName>& tps, bool lost);
  std::vector<TopicPartitionName> owned() const;
  int32_t partition_count(const std::string& topic) const;
  void check_metadata_snapshot(world::Ctx& ctx);
  bool cooperative() const;

  ConsumerConfig cfg_;
  // volatile
  bool running_ = false;
  std::map<TopicPartitionName, Assigned> assigned_;
  struct Known {
    BrokerId leader = kNoLeader;
    LeaderEpoch leader_epoch = kNoEpoch;
  };
  std::map<TopicPartitionName, Known> metadata_;  // every partition of the topics read
  std::vector<BrokerId> brokers_;
  BrokerChoice brokers_to_ask_;
  bool metadata_in_flight_ = false;
  uint32_t metadata_correlation_ = 0;
  BrokerId metadata_to_ = -1;
  sim::Time metadata_at_;
  std::map<BrokerId, FetchInFlight> fetch_in_flight_;
  uint32_t next_correlation_ = 1;
  bool retry_armed_ = false;
  // the application
  App app_ = App::idle;
  std::vector<PolledBatch> polled_batches_;
  std::vector<Polled> processing_;  // what the last poll() returned, record by record
  size_t processed_ = 0;
  sim::Time last_poll_;
  sim::Time next_auto_commit_;
  TopicPartitionName poll_from_;  // poll() starts after the partition it served last
  // the group
  MemberPhase phase_ = MemberPhase::standalone;
  BrokerId coordinator_ = -1;
  BrokerId find_to_ = -1;  // where the FindCoordinator in flight went
  uint32_t find_correlation_ = 0, join_correlation_ = 0, sync_correlation_ = 0;
  uint32_t heartbeat_correlation_ = 0, fetch_offsets_correlation_ = 0;
  uint32_t commit_correlation_ = 0;  // the blocking commit waited for (0: none)
  std::string member_id_;
  int32_t generation_ = -1;
  std::string protocol_, leader_;
  bool rejoin_needed_ = true;
  bool rejoin_armed_ = false;
  int32_t group_failures_ = 0;                // in a row: the backoff doubles with each
  BrokerId last_lost_coordinator_ = -1;       // traced once until a coordinator answers
  std::vector<TopicPartitionName> previous_;  // owned at the last join (sticky assignors)
  /// The leader's snapshot of partition counts it assigned from: metadata that no longer
  /// matches (partitions added) makes it rejoin, so the new partitions get an owner.
  std::map<std::string, int32_t> assigned_counts_;
  int32_t previous_generation_ = -1;
  sim::TimerId heartbeat_timer_;
  sim::Time last_heartbeat_ok_, heartbeat_sent_;
  /// A SyncGroup's assignment, taken when the application next polls (onJoinComplete).
  std::optional<std::vector<TopicPartitionName>> pending_assignment_;
  struct CommitInFlight {
    std::map<TopicPartitionName, Offset> offsets;
    int32_t generation = -1;
    BrokerId to = -1;
  };
  std::map<uint32_t, CommitInFlight> commits_in_flight_;
  sim::Time commit_deadline_;  // a blocking commitSync retries until then
  bool commit_retry_ = false;  // ... and is waiting for a coordinator to retry with
  uint64_t polls_ = 0;         // poll() calls: the poll timeout timer watches one
  bool closing_ = false;       // close(): committing, then leaving
  uint32_t leave_correlation_ = 0;
  std::map<TopicPartitionName, Offset> committed_;
  // the test's notebook, kept across crashes
  Deliveries deliveries_;
  std::vector<AssignmentChange> history_;
  // Order check, per partition: the highest record seen per producer and key.
  std::map<TopicPartitionName, KeyOrderTable> last_seq_by_key_;
  int64_t order_violations_ = 0;
  std::map<Errc, int64_t> errors_;
};

}  // namespace kafkasim::kafka
