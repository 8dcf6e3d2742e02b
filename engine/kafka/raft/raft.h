// Raft: the KRaft replication of __cluster_metadata (KIP-595 with KIP-996 pre-vote, as in
// Kafka 4.0; KAFKA_REFERENCE 3.1). A voter runs elections and replicates; an observer (a
// broker) only fetches.
//
// Roles: Unattached (no leader known) -> Prospective (pre-vote, no epoch bump) -> Candidate
// (epoch + 1, votes for itself) -> Leader; Follower (knows the leader, fetches); Resigned (a
// leader that stepped down). Durable across crashes: epoch, voted_for (one vote per epoch) and
// the log. Everything else is rebuilt after a restart.
//
// Invariants (checked by tests after every event):
//   * at most one leader per epoch;
//   * an entry below a node's high watermark never changes (committed data is never lost);
//   * the leader's high watermark never decreases and only counts a majority of voters, and
//     only moves once an entry of the leader's own epoch is replicated to that majority.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/raft/messages.h"
#include "kafka/raft/raft_log.h"
#include "sim/timer.h"
#include "world/ctx.h"

namespace kafkasim::kafka::raft {

enum class Role : uint8_t {
  unattached,
  prospective,
  candidate,
  leader,
  follower,
  resigned,
  observer
};
const char* role_name(Role r);

/// A timer that decides a voter's next move, for the studio to show draining: what it is (in
/// Kafka's words), when it was armed and when it fires.
struct Countdown {
  const char* what = "";
  sim::Time from, to;
};

/// What a voter keeps on disk (quorum-state and the log).
struct Durable {
  int32_t epoch = 0;
  BrokerId voted_for = kNoLeader;
  RaftLog log;
};

class Raft {
 public:
  /// Timer kinds 1..19 belong to Raft (the node routes them here).
  enum TimerKind : uint16_t {
    election_timer = 1,       // arg 0: election timeout, 1: backoff over
    fetch_timeout_timer = 2,  // follower: no successful fetch for fetch.timeout
    check_quorum_timer = 3,   // leader: has a majority fetched recently?
    begin_epoch_timer = 4,    // leader: resend BeginQuorumEpoch
    fetch_request_timer = 5,  // the outstanding fetch got no answer in time
    fetch_retry_timer = 6,    // send the next fetch after a backoff
    parked_fetch_timer = 7,   // leader: a long-polled fetch has waited long enough
    timer_kind_max = 19,
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  static constexpr int64_t kFetchMaxWaitMs = 500;  // long poll on the leader
  static constexpr size_t kFetchMaxRecords = 500;  /// KRaft, or the ZooKeeper ensemble's atomic
                                                   /// broadcast (ZAB) modelled with the same log:
  /// only the words in traces differ, and a ZooKeeper follower starts an election as soon as
  /// its connection to the leader breaks.
  enum class Flavor : uint8_t { kraft, zookeeper };

  Raft() = default;
  Raft(BrokerId self, std::vector<BrokerId> voters, KafkaConfig cfg, Flavor flavor = Flavor::kraft);

  // [lifecycle]
  void start(world::Ctx& ctx);  // process start or restart: volatile state from scratch
  void crash();                 // lose volatile state; `durable()` survives

  // [events]
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, BrokerId peer);
  void on_message(world::Ctx& ctx, BrokerId from, const VoteRequest& m);
  void on_message(world::Ctx& ctx, BrokerId from, const VoteResponse& m);
  void on_message(world::Ctx& ctx, BrokerId from, const BeginQuorumEpochRequest& m);
  void on_message(world::Ctx& ctx, BrokerId from, const BeginQuorumEpochResponse& m);
  void on_message(world::Ctx& ctx, BrokerId from, const EndQuorumEpochRequest& m);
  void on_message(world::Ctx& ctx, BrokerId from, const EndQuorumEpochResponse& m);
  void on_message(world::Ctx& ctx, BrokerId from, const FetchRequest& m);
  void on_message(world::Ctx& ctx, BrokerId from, const FetchResponse& m);

  /// Leader only: appends a record in the current epoch; returns its offset.
  Offset append(world::Ctx& ctx, MetadataRecord record);

  // [views]
  bool is_voter() const { return voter_; }
  Role role() const { return role_; }
  bool is_leader() const { return role_ == Role::leader; }
  int32_t epoch() const { return durable_.epoch; }
  BrokerId leader_id() const { return leader_id_; }
  BrokerId voted_for() const { return durable_.voted_for; }
  Offset high_watermark() const { return hw_; }
  /// A follower that has fetched from the current leader and holds everything the leader had
  /// committed at that fetch (ZooKeeper servers only serve clients once synced).
  bool caught_up() const {
    // ... and the leader has committed the first entry of its epoch (before that, its high
    // watermark is not yet known: it may even be 0 after a restart).
    const auto& cache = durable_.log.epoch_cache();
    const bool epoch_committed =
        !cache.empty() && cache.back().first == epoch() && cache.back().second < hw_;
    return role_ == Role::follower && fetched_from_leader_ && hw_ >= leader_hw_ && epoch_committed;
  }
  Offset epoch_start_offset() const { return epoch_start_offset_; }
  const RaftLog& log() const { return durable_.log; }
  const Durable& durable() const { return durable_; }
  const std::vector<BrokerId>& voters() const { return voters_; }
  /// Leader's view of each voter's log end offset (-1 when unknown).
  const std::map<BrokerId, Offset>& voter_end_offsets() const { return voter_end_; }
  BrokerId self() const { return self_; }
  /// Votes (or pre-votes, while prospective) granted to this node in its current election,
  /// its own included, and refused; a majority of voters() is needed.
  size_t votes_granted() const { return granted_.size(); }
  size_t votes_refused() const { return rejected_.size(); }
  size_t votes_needed() const { return majority(); }
  /// The election timeout (or backoff) running, else a follower's fetch timeout; nothing
  /// for a leader or an observer.
  std::optional<Countdown> countdown() const {
    if (election_timer_.armed()) return election_countdown_;
    if (fetch_timeout_timer_.armed()) return fetch_countdown_;
    return std::nullopt;
  }

 private:
  // transitions
  void become_unattached(world::Ctx& ctx, int32_t epoch, const std::string& why);
  void become_follower(world::Ctx& ctx, int32_t epoch, BrokerId leader);
  void become_prospective(world::Ctx& ctx, const std::string& why);
  void become_candidate(world::Ctx& ctx);
  void become_leader(world::Ctx& ctx);
  void resign(world::Ctx& ctx, const std::string& why);
  void set_epoch(int32_t epoch);
  void step_down_to(world::Ctx& ctx, int32_t epoch, BrokerId leader, const std::string& why);
  // helpers
  void cancel_role_timers(world::Ctx& ctx);
  void arm_election_timeout(world::Ctx& ctx);
  bool log_up_to_date(int32_t last_epoch, Offset end) const;
  size_t majority() const { return voters_.size() / 2 + 1; }
  bool is_voter(BrokerId b) const;
  void send_fetch(world::Ctx& ctx);
  void schedule_fetch_retry(world::Ctx& ctx);
  BrokerId fetch_target();
  void answer_fetch(world::Ctx& ctx, BrokerId to, const FetchRequest& req);
  void complete_parked(world::Ctx& ctx);
  void drop_parked(world::Ctx& ctx, Errc why);
  void maybe_advance_hw(world::Ctx& ctx);
  void send_begin_epoch(world::Ctx& ctx);
  void trace(world::Ctx& ctx, sim::TraceKind kind, std::string text);
  const char* leader_noun() const {
    return flavor_ == Flavor::kraft ? "quorum leader" : "ZooKeeper leader";
  }
  std::string fetch_timeout_text() const;

  // configuration (fixed)
  BrokerId self_ = 0;
  std::vector<BrokerId> voters_;
  bool voter_ = false;
  KafkaConfig cfg_;
  Flavor flavor_ = Flavor::kraft;

  // durable
  Durable durable_;

  // volatile
  Role role_ = Role::unattached;
  BrokerId leader_id_ = kNoLeader;
  Offset hw_ = 0;
  uint32_t next_correlation_ = 1;
  sim::TimerId election_timer_, fetch_timeout_timer_, check_quorum_timer_, begin_epoch_timer_;
  // elections
  std::set<BrokerId> granted_, rejected_;
  Countdown election_countdown_, fetch_countdown_;  // the views of the two timers above
  void arm_election_timer(world::Ctx& ctx, sim::Time after, uint64_t arg, const char* what);
  void arm_fetch_timeout(world::Ctx& ctx);
  uint32_t round_first_correlation_ = 0;
  uint32_t election_retries_ = 0;
  // follower / observer fetching
  bool fetch_in_flight_ = false;
  uint32_t fetch_correlation_ = 0;
  BrokerId fetch_target_ = kNoLeader;
  size_t bootstrap_index_ = 0;
  sim::TimerId fetch_request_timer_, fetch_retry_timer_;
  sim::Time last_fetch_ok_;
  bool fetched_from_leader_ = false;
  Offset leader_hw_ = 0;  // the leader's high watermark in the last fetch response  // a successful
                          // fetch from the current leader (pre-vote rule)
  // leader
  Offset epoch_start_offset_ = 0;
  std::map<BrokerId, Offset> voter_end_;
  std::map<BrokerId, sim::Time> voter_last_fetch_;
  std::set<BrokerId> begin_epoch_pending_;
  struct Parked {
    BrokerId replica = 0;
    FetchRequest request;
    sim::TimerId timer;
    uint64_t id = 0;
  };
  std::vector<Parked> parked_;
  uint64_t next_parked_id_ = 1;
};

}  // namespace kafkasim::kafka::raft
