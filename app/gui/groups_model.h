// The Groups tab's model: what the studio shows of the World's consumer groups, computed
// without ImGui so that tests can check it. For one group: its state as the coordinator holds
// it (state, generation, protocol, leader), its members as the consumers see themselves (phase,
// owned partitions, records consumed, the application busy or polling), its partitions (owner,
// committed offset, the owner's position, the leader's high watermark, lag) and the rebalance
// timeline: which partitions each member owned when, from the consumers' assignment histories
// (Consumer::assignment_history, kept across crashes), with the generations, the rebalances and
// the coordinator's failovers marked from the trace.
//
// Everything is read from a const World and the trace records before now, so the model follows
// the studio's time travel: going back in time gives the model of that time.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "kafka/protocol/data.h"
#include "sim/time.h"
#include "sim/trace.h"
#include "world/world.h"

namespace kafkasim::gui {

/// One member of a group: a consumer node, or a member only the coordinator still lists (a
/// crashed consumer whose session has not expired yet, the member id a restarted consumer left
/// behind).
struct GroupMemberRow {
  int32_t node = -1;  // the consumer's Kafka node id; -1: only the coordinator knows it
  std::string client_id;
  std::string member_id;    // "" before its first JoinGroup
  std::string instance_id;  // group.instance.id; "" for a dynamic member
  std::string phase;        // the consumer's member phase, or its node's status when not running
  bool running = true;
  bool leader = false;          // the group's leader (the coordinator's word, else the consumer's)
  bool at_coordinator = false;  // the coordinator lists this member id
  int32_t generation = -1;      // the consumer's own
  std::vector<kafka::TopicPartitionName> owned;  // what the consumer holds now, in order
  int64_t consumed = 0;                          // records its application processed
  bool busy = false;  // the application is processing or blocked in commitSync
  bool polled = false;
  sim::Time last_poll;                    // an idle application is still inside that poll()
  int64_t max_poll_interval_ms = 300000;  // a busy application must poll again within this
};

/// Where a committed offset comes from: the coordinator, or (while no coordinator holds the
/// group, in a failover) the highest offset a member had acknowledged as committed.
enum class CommitSource : uint8_t { none, coordinator, members };

struct GroupPartitionRow {
  kafka::TopicPartitionName tp;
  std::vector<std::string> owners;  // client ids of the members holding it (0 or 1, normally)
  kafka::Offset committed = kafka::kNoOffset;
  CommitSource committed_from = CommitSource::none;
  kafka::Offset position = kafka::kNoOffset;        // the first owner's, -1: unknown
  kafka::Offset high_watermark = kafka::kNoOffset;  // of the partition leader's replica
  int64_t lag = -1;                                 // high watermark - committed; -1: unknown
};

/// A stretch of time in which a member owned a partition.
struct OwnershipSpan {
  kafka::TopicPartitionName tp;
  sim::Time from, to;       // `to` is now while it is still owned
  int32_t generation = -1;  // the generation that assigned it
  enum class End : uint8_t { owned, revoked, lost, crashed } end = End::owned;
  int32_t end_generation = -1;  // the member's generation when it gave it up
};
const char* span_end_name(OwnershipSpan::End e);  // "still owned", "revoked", "lost", "crashed"

/// One lane of the timeline: a consumer and the partitions it ever owned.
struct MemberLane {
  int32_t node = -1;
  std::string client_id;
  std::vector<kafka::TopicPartitionName> rows;  // every partition it owned, in order
  std::vector<OwnershipSpan> spans;             // in the order they began
  std::vector<sim::Time> crashes;               // times its node crashed
  /// Partitions owned at time t (spans are half-open: [from, to)).
  std::vector<kafka::TopicPartitionName> owned_at(sim::Time t) const;
};

/// The first time a member took on generation `generation` (its SyncGroup's assignment).
struct GenerationMark {
  int32_t generation = -1;
  sim::Time at;
};

/// A stretch of the group's life: a rebalance (PreparingRebalance until Stable or Empty) or a
/// time without a coordinator (its broker crashed, until another broker loaded the group).
struct GroupWindow {
  sim::Time from, to;  // `to` is now while it lasts
  bool open = false;
  int32_t broker = -1;  // no coordinator: the broker that was lost
};

/// A broker that took over the group (loaded it from __consumer_offsets).
struct CoordinatorMark {
  sim::Time at;
  int32_t broker = -1;
};

struct GroupModel {
  std::string group_id;
  sim::Time now;
  int32_t coordinator = -1;  // the broker holding the group now, -1: none
  bool known = false;        // a coordinator holds the group
  std::string state;         // "Stable", "PreparingRebalance"...; "unknown" when !known
  int32_t generation = -1;
  std::string protocol;  // the assignor the group chose
  std::string leader_member_id, leader_client_id;
  std::vector<GroupMemberRow> members;  // consumers in node order, then the coordinator's others
  std::vector<GroupPartitionRow> partitions;            // of the topics the members read, in order
  int64_t lag_total = -1;                               // sum of the known lags, -1: none known
  std::vector<MemberLane> lanes;                        // one per consumer, in node order
  std::vector<GenerationMark> generations;              // by generation
  std::vector<GroupWindow> rebalances, no_coordinator;  // in time order
  std::vector<CoordinatorMark> coordinators;            // in time order
};

/// Every consumer group of the World (the consumers' group.id and the groups coordinators
/// hold), sorted.
std::vector<std::string> group_ids(const world::World& w);

/// The groups each broker coordinates now (world::find_group), by broker id, each list sorted.
std::map<int32_t, std::vector<std::string>> coordinators(const world::World& w);

/// Whether the group model reads trace records of this kind (group states, crashes).
bool group_model_reads(sim::TraceKind k);

/// The model of `group_id` now. `trace`: the records up to now, in order (those of other
/// kinds than group_model_reads() are skipped; without them the timeline has no rebalance or
/// coordinator marks and does not end ownership at a crash).
GroupModel group_model(const world::World& w, const std::string& group_id,
                       std::span<const sim::TraceRecord> trace);

/// The trace records group_model() reads, gathered as the studio's log grows: update() looks
/// only at the records it has not seen, and starts over when the log moved back.
class GroupTrace {
 public:
  /// `present`: the studio's records up to now; `rewinds`: AppState::rewinds().
  void update(std::span<const sim::TraceRecord> present, uint64_t rewinds);
  std::span<const sim::TraceRecord> records() const { return records_; }

 private:
  std::vector<sim::TraceRecord> records_;
  size_t seen_ = 0;
  uint64_t rewinds_ = 0;
};

}  // namespace kafkasim::gui
