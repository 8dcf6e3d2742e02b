// The trace: typed records of everything a person could ask "why?" about, each with the
// simulated time, the node and a one-line reason in Kafka's terms. The running fingerprint
// (hash) folds in every record and every executed event: same scenario + seed = same hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/hash.h"
#include "sim/time.h"

namespace kafkasim::sim {

/// Kinds of trace record. Grouped by layer; later layers append, never renumber (recordings
/// store the number).
enum class TraceKind : uint16_t {
  note = 0,       // free text: a fact without a more specific kind
  narration = 1,  // a lesson's narration (Narrate commands)
  // node lifecycle (world)
  node_start = 10,
  node_crash = 11,
  node_power_loss = 12,
  node_restart = 13,
  node_pause = 14,
  node_resume = 15,
  // network (net)
  link_cut = 20,
  link_restore = 21,
  link_change = 22,
  message_lost = 23,
  disconnect = 24,
  // KRaft quorum (kafka/raft)
  raft_election = 30,  // a voter starts a pre-vote or an election
  raft_vote = 31,      // a vote granted or refused, and why
  raft_leader = 32,    // a voter becomes quorum leader
  raft_follower = 33,  // a voter follows a leader
  raft_resign = 34,    // a leader steps down
  raft_truncate = 35,  // a replica truncates its log after a diverging epoch
  // controller (kafka/controller)
  controller_active = 40,
  controller_inactive = 41,
  broker_registered = 42,
  broker_fenced = 43,
  broker_unfenced = 44,
  broker_shutdown = 45,
  topic_created = 46,
  leader_change = 47,     // a partition's leader changed (election), with the reason
  isr_change = 48,        // a partition's ISR changed, with the reason
  partitions_added = 49,  // kafka-topics --alter --partitions: new partitions placed
  reassignment = 50,      // a partition reassignment began or completed (KIP-455)
  config_change = 51,     // a dynamic setting changed (kafka-configs), or a node applied it
  admin_error = 52,       // the controller refused an admin request (INVALID_PARTITIONS...)
  // consumer groups (kafka/group, kafka/client)
  group_state = 60,    // a coordinator moved a group to a new state or generation
  group_member = 61,   // a member joined, left, was expired or fenced
  group_load = 62,     // a broker loaded (or unloaded) the groups of an offsets partition
  group_assign = 63,   // a consumer was assigned partitions, or revoked them
  offset_commit = 64,  // a consumer's commit failed, or a consumer left on a poll timeout
  // demo world
  demo_suspect = 90,
  demo_recover = 91,
  demo_progress = 92,
};

std::string_view trace_kind_name(TraceKind kind);

/// Node id used in trace records when the record is about the whole world.
inline constexpr int32_t kNoNode = -1;

struct TraceRecord {
  Time at;
  int32_t node = kNoNode;  // Kafka's node id (101, 1...), not the dense index
  TraceKind kind = TraceKind::note;
  std::string reason;
  /// The event that made it: the number of events executed when it was recorded (records made
  /// between events, by a command applied from outside, carry the number of the one before).
  uint64_t event = 0;
};

class Trace {
 public:
  void add(Time at, int32_t node, TraceKind kind, std::string reason) {
    hash_ = fold(hash_, static_cast<uint64_t>(at.ns()));
    hash_ = fold(hash_, (static_cast<uint64_t>(static_cast<uint32_t>(node)) << 16) |
                            static_cast<uint16_t>(kind));
    hash_ = fold(hash_, fnv1a(reason));
    ++count_;
    if (keep_) records_.push_back(TraceRecord{at, node, kind, std::move(reason), events_});
  }

  /// Folds an executed event into the fingerprint (called by the scheduler for every event).
  void fold_event(uint64_t at_ns, uint64_t what) {
    ++events_;
    hash_ = fold(hash_, at_ns);
    hash_ = fold(hash_, what);
  }

  uint64_t hash() const { return hash_; }
  uint64_t count() const { return count_; }
  const std::vector<TraceRecord>& records() const { return records_; }
  /// Hands the kept records to the caller and keeps none (the fingerprint and count go on):
  /// the studio moves them into its own log so that copies of a World stay small.
  std::vector<TraceRecord> take_records() { return std::exchange(records_, {}); }
  /// Keep records in memory (default) or only fingerprint them (long benchmark runs).
  void set_keep_records(bool keep) { keep_ = keep; }

 private:
  std::vector<TraceRecord> records_;
  uint64_t hash_ = 0x6b61666b6173696dULL;  // "kafkasim"
  uint64_t count_ = 0;
  uint64_t events_ = 0;
  bool keep_ = true;
};

/// "0x1234abcd..." as 16 hex digits.
std::string hash_hex(uint64_t h);

}  // namespace kafkasim::sim
