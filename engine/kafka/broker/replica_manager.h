// ReplicaManager: a broker's partition replicas and the replication protocol
// (Kafka's ReplicaManager, Partition, ReplicaFetcherThread; KAFKA_REFERENCE 2.1-2.5, 5.2).
//
// Leader: appends produce requests (acks 0/1/all, NOT_ENOUGH_REPLICAS before appending,
// NOT_ENOUGH_REPLICAS_AFTER_APPEND / REQUEST_TIMED_OUT for delayed acks=all) one connection's
// at a time, in the order they came, as Kafka's socket server does; serves fetches
// (followers up to the log end, consumers up to the high watermark; long-polled), tracks each
// follower's LEO and last caught-up time, advances the high watermark to the smallest LEO of
// the maximal ISR (frozen while the ISR is below min.insync.replicas), shrinks and expands the
// ISR through AlterPartition. Follower: fetches from the leader with its last fetched epoch and
// truncates on a DivergingEpoch (KIP-101/279), or, in pre-0.11 (legacy) mode, truncates to
// its high watermark whenever it becomes a follower.
//
// The logs are the broker's disk: they survive a crash, and a power loss keeps what was flushed.
//
// Assignment changes (KIP-455 reassignment, new partitions): a broker that becomes a replica
// creates the partition and follows; the leader tracks replicas added to or removed from the
// assignment as followers; a broker no longer in a partition's replicas stops its replica and
// deletes the log (KRaft: when its metadata says so; ZooKeeper mode: on StopReplica).
// Dynamic configs (kafka-configs) change the log settings and min.insync.replicas of the
// replicas as soon as the broker learns them.
#pragma once

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/controller/messages.h"
#include "kafka/log/partition_log.h"
#include "kafka/metadata/dynamic_config.h"
#include "kafka/metadata/records.h"
#include "kafka/protocol/data.h"
#include "sim/timer.h"
#include "world/ctx.h"

namespace kafkasim::kafka {

struct TopicOverrides {
  std::optional<int64_t> min_insync_replicas;
  LogConfig log;
};

struct ReplicaManagerConfig {
  BrokerId self = 0;
  KafkaConfig config;
  LogConfig default_log;
  std::map<std::string, TopicOverrides> topics;
  /// inter.broker.protocol.version < 0.11 (ZooKeeper mode only): a new follower truncates to
  /// its high watermark, as before KIP-101.
  bool truncate_to_high_watermark = false;
};

/// A partition's state as the metadata (KRaft image or ZooKeeper LeaderAndIsr) gives it.
struct PartitionAssignment {
  TopicPartitionName tp;
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
  BrokerId leader = kNoLeader;
  LeaderEpoch leader_epoch = 0;
  PartitionEpoch partition_epoch = 0;
  LeaderRecoveryState recovery = LeaderRecoveryState::RECOVERED;
};

class ReplicaManager {
 public:
  enum TimerKind : uint16_t {
    isr_check_timer = 100,
    checkpoint_timer = 101,
    retention_timer = 102,
    cleaner_timer = 103,
    fetcher_retry_timer = 104,          // arg: leader id
    produce_timeout_timer = 105,        // arg: delayed produce id
    fetch_wait_timer = 106,             // arg: delayed fetch id
    fetcher_timeout_timer = 107,        // arg: leader id
    alter_partition_retry_timer = 108,  // arg: the AlterPartition's correlation id
    timer_kind_first = 100,
    timer_kind_last = 119,
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  enum class Role : uint8_t { none, leader, follower };
  /// How long a refused or lost AlterPartition waits before it is sent again
  /// (AlterPartitionManager's retry after a failed send).
  static constexpr int64_t kAlterPartitionRetryMs = 50;

  struct FollowerState {
    Offset leo = kNoOffset;
    sim::Time last_caught_up;
    sim::Time last_fetch;
    Offset leader_leo_at_last_fetch = 0;
  };
  struct HostedPartition {
    TopicPartitionName tp;
    PartitionLog log;  // on disk
    // in memory
    Role role = Role::none;
    BrokerId leader = kNoLeader;
    LeaderEpoch leader_epoch = kNoEpoch;
    PartitionEpoch partition_epoch = 0;
    std::vector<BrokerId> replicas, isr;
    // An ISR change asked of the controller and not yet known to be committed or refused
    // (Partition.scala's PendingExpandIsr / PendingShrinkIsr): the high watermark counts the
    // maximal ISR meanwhile, and no other change is proposed. Sent again, with the same
    // correlation id, until the controller answers it; dropped by an answer or by metadata
    // that moves the partition on.
    std::optional<std::vector<BrokerId>> pending_isr;
    LeaderRecoveryState pending_recovery = LeaderRecoveryState::RECOVERED;
    uint32_t alter_correlation = 0;
    BrokerId alter_sent_to = kNoLeader;  // the controller the last copy went to
    LeaderRecoveryState recovery = LeaderRecoveryState::RECOVERED;
    Offset epoch_start_offset = 0;  // leader: its LEO when it became leader
    std::map<BrokerId, FollowerState> followers;
    bool fetching = false;  // follower: part of the fetch session with its leader
    int64_t min_isr = 1;
  };

  ReplicaManager() = default;
  explicit ReplicaManager(ReplicaManagerConfig cfg) : cfg_(std::move(cfg)) {}

  void start(world::Ctx& ctx);
  /// The process died; with `power_loss` each log keeps only what was durable at `now`.
  void crash(bool power_loss, sim::Time now);

  // [metadata]
  /// Applies one partition's state; becomes leader or follower when the leader or epoch moved.
  void apply(world::Ctx& ctx, const PartitionAssignment& a);
  /// Brokers that may join an ISR (registered, unfenced), and where AlterPartition goes.
  void set_cluster(std::set<BrokerId> active_brokers, BrokerId controller, int64_t broker_epoch);
  /// The cluster's dynamic configs as this broker knows them: every replica's log settings
  /// and min.insync.replicas are resolved again (traced when they change).
  void set_configs(world::Ctx& ctx, const DynamicConfigs& configs);
  const DynamicConfigs& configs() const { return dynamic_; }
  /// Stops the replica of `tp` and deletes its log (StopReplica with deletePartition, or a
  /// KRaft broker that left the partition's replicas).
  void delete_replica(world::Ctx& ctx, const TopicPartitionName& tp, const std::string& why);

  // [requests]
  /// A produce request that came on connection `connection` (its epoch) from `from`. A broker
  /// reads a connection's next request only once it has answered the one before (the socket
  /// server mutes the connection meanwhile): requests queued behind an acks=all write waiting
  /// in purgatory are handled, and answered, after it, in the order sent.
  void on_produce(world::Ctx& ctx, BrokerId from, ProduceRequest&& r, uint32_t connection = 0);
  /// The broker's own write as leader (the group coordinator's __consumer_offsets records),
  /// acks=all: refused with NOT_LEADER_OR_FOLLOWER, or NOT_ENOUGH_REPLICAS while the ISR is
  /// below min.insync.replicas; otherwise appended, and the caller waits until the high
  /// watermark reaches `end` under the same `leader_epoch`.
  struct InternalAppend {
    Errc error = Errc::NONE;
    Offset end = kNoOffset;
    LeaderEpoch leader_epoch = kNoEpoch;
  };
  InternalAppend append_internal(world::Ctx& ctx, const TopicPartitionName& tp, RecordBatch b);
  void on_fetch(world::Ctx& ctx, BrokerId from, FetchRequest&& r);
  void on_list_offsets(world::Ctx& ctx, BrokerId from, const ListOffsetsRequest& r);
  void on_fetch_response(world::Ctx& ctx, BrokerId from, FetchResponse&& r);
  void on_alter_partition_response(world::Ctx& ctx, const AlterPartitionResponse& r);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, BrokerId peer);

  // [views]
  const std::map<TopicPartitionName, HostedPartition>& partitions() const { return partitions_; }
  const HostedPartition* partition(const TopicPartitionName& tp) const;
  void flush_all(sim::Time now);
  /// Requests parked in purgatory: acks=all produces waiting for the ISR, long-polled fetches.
  size_t delayed_produces() const { return delayed_produce_.size(); }
  size_t delayed_fetches() const { return delayed_fetch_.size(); }
  /// Follower fetchers with a FetchRequest outstanding, by leader.
  std::vector<BrokerId> fetches_in_flight() const {
    std::vector<BrokerId> out;
    for (const auto& [leader, f] : fetchers_) {
      if (f.in_flight) out.push_back(leader);
    }
    return out;
  }
  /// The broker epoch and the controller this replica manager last heard of.
  int64_t broker_epoch() const { return broker_epoch_; }
  BrokerId controller() const { return controller_; }

 private:
  struct DelayedProduce {
    uint64_t id = 0;
    BrokerId client = 0;
    uint32_t connection = 0;  // the epoch of the connection it came on
    uint32_t correlation_id = 0;
    std::vector<ProducePartitionResponse> results;
    std::vector<Offset> required;  // HW needed per result (-1: already decided)
    sim::TimerId timer;
  };
  struct DelayedFetch {
    uint64_t id = 0;
    BrokerId from = 0;
    FetchRequest request;
    sim::TimerId timer;
  };
  struct Fetcher {
    bool in_flight = false;
    uint32_t correlation_id = 0;
    sim::TimerId timeout;
  };

  HostedPartition& host(const TopicPartitionName& tp);
  /// Appends (or refuses) a produce request and answers it, now or once acks=all is met.
  void handle_produce(world::Ctx& ctx, BrokerId from, ProduceRequest&& r, uint32_t connection);
  /// Whether a request of `client` on `connection` waits in purgatory.
  bool waiting_on(BrokerId client, uint32_t connection) const;
  /// Handles the requests queued behind `client`'s answered one, until one has to wait.
  void handle_backlog(world::Ctx& ctx, BrokerId client);
  /// The hosted replica of `tp` or null, found through index_ (the request paths' lookup).
  HostedPartition* find(const TopicPartitionName& tp);
  void become_leader(world::Ctx& ctx, HostedPartition& p, const PartitionAssignment& a);
  void become_follower(world::Ctx& ctx, HostedPartition& p, const PartitionAssignment& a);
  void stop_replica(world::Ctx& ctx, HostedPartition& p);
  int64_t min_isr(const HostedPartition& p) const;
  /// How many in-sync replicas an acks=all write needs: min.insync.replicas, but never more
  /// than the partition has replicas.
  static int64_t needed_isr(const HostedPartition& p) {
    return std::min<int64_t>(p.min_isr, static_cast<int64_t>(p.replicas.size()));
  }
  /// The leader appends (a client's batch or its own) and acts on it: the high watermark may
  /// move, and followers parked at the log end have something to fetch. Returns the offsets
  /// the batch got.
  struct Appended {
    Offset base_offset = kNoOffset;
    Offset last_offset = kNoOffset;
  };
  Appended append_as_leader(world::Ctx& ctx, HostedPartition& p, RecordBatch b);
  LogConfig log_config(const std::string& topic) const;
  /// The leader's view of its followers follows the assignment (new replicas of a
  /// reassignment start from nothing; removed ones are forgotten).
  void sync_followers(HostedPartition& p);
  /// The ISR plus replicas an AlterPartition in flight would add (KIP-497's maximal ISR).
  size_t maximal_isr_size(const HostedPartition& p) const;
  template <class F>
  void for_each_in_maximal_isr(const HostedPartition& p, F&& f) const {
    for (BrokerId b : p.isr)
      f(b);
    if (!p.pending_isr) return;
    for (BrokerId b : *p.pending_isr) {
      if (std::find(p.isr.begin(), p.isr.end(), b) == p.isr.end()) f(b);
    }
  }
  void maybe_increment_hw(world::Ctx& ctx, HostedPartition& p);
  void update_follower(world::Ctx& ctx, HostedPartition& p, BrokerId f, Offset fetch_offset);
  void maybe_expand_isr(world::Ctx& ctx, HostedPartition& p, BrokerId f);
  void maybe_shrink_isr(world::Ctx& ctx, HostedPartition& p);
  void alter_partition(world::Ctx& ctx, HostedPartition& p, std::vector<BrokerId> new_isr,
                       LeaderRecoveryState recovery, const std::string& why);
  /// Sends the pending ISR change (again) to the controller, or waits for one to be known.
  void send_alter_partition(world::Ctx& ctx, HostedPartition& p);
  /// The pending change of the partition that sent AlterPartition `correlation`, if any.
  HostedPartition* pending_alter(uint32_t correlation);
  /// One partition of a fetch. `bytes_ready` is what the response holds so far (it adds its
  /// records'); the response holds at most `response_max_bytes` (KIP-74).
  FetchPartitionResponse read_partition(world::Ctx& ctx, BrokerId from, const FetchPartition& fp,
                                        bool follower, size_t response_max_bytes,
                                        size_t& bytes_ready);
  /// Reads every partition of a fetch into a response; `bytes` is what it holds.
  FetchResponse read_fetch(world::Ctx& ctx, BrokerId from, const FetchRequest& r, size_t& bytes);
  void answer_fetch(world::Ctx& ctx, BrokerId from, const FetchRequest& r);
  /// What changed on a partition, for the requests parked on it: anything (leadership, the
  /// high watermark, the ISR), or only new records at the leader's log end, which only
  /// followers' fetches read (a high watermark that moved with them has already been handled).
  enum class Change : uint8_t { any, log_end };
  void complete_delayed(world::Ctx& ctx, const TopicPartitionName& tp, Change what = Change::any);
  void send_fetch(world::Ctx& ctx, BrokerId leader);
  void arm_periodic(world::Ctx& ctx, sim::TimerId& id, int64_t ms, uint16_t kind);

  ReplicaManagerConfig cfg_;
  std::map<TopicPartitionName, HostedPartition> partitions_;
  /// partitions_ by topic, then by partition number: no walk down the map for every
  /// partition of every request. Rebuilt when partitions come or go; a copy (or a moved
  /// ReplicaManager) starts without one, as its pointers would lead into the other's map.
  struct PartitionIndex {
    std::vector<std::pair<std::string, std::vector<HostedPartition*>>> topics;
    bool valid = false;
    PartitionIndex() = default;
    PartitionIndex(const PartitionIndex&) {}
    PartitionIndex& operator=(const PartitionIndex&) {
      topics.clear();
      valid = false;
      return *this;
    }
  };
  PartitionIndex index_;
  DynamicConfigs dynamic_;  // as last learned from the metadata (not on disk: learned again)
  // in memory
  std::set<BrokerId> active_brokers_;
  BrokerId controller_ = kNoLeader;
  int64_t broker_epoch_ = -1;
  uint32_t next_correlation_ = 1;
  uint64_t next_delayed_ = 1;
  std::vector<DelayedProduce> delayed_produce_;
  /// Per client: produce requests read on `connection` while an earlier one of it is not
  /// answered yet, in the order they came (a request from a newer connection drops them: they
  /// went with the old one).
  struct ProduceBacklog {
    uint32_t connection = 0;
    std::deque<ProduceRequest> requests;
  };
  std::map<BrokerId, ProduceBacklog> produce_backlog_;
  std::vector<DelayedFetch> delayed_fetch_;
  std::map<BrokerId, Fetcher> fetchers_;
  sim::TimerId isr_timer_, checkpoint_timer_, retention_timer_, cleaner_timer_;
};

}  // namespace kafkasim::kafka
