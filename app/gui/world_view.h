// Read-only questions the studio asks of a World, in Kafka's terms, kept out of the panels.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "app_state.h"
#include "kafka/broker/replica_manager.h"
#include "kafka/metadata/image.h"
#include "kafka/raft/raft.h"
#include "world/world.h"

namespace kafkasim::gui {

/// A voter's place in its quorum (a KRaft controller or combined node, a ZooKeeper server), as
/// the voter itself has it: what an election looks like from each node.
struct QuorumView {
  kafka::raft::Role role = kafka::raft::Role::unattached;
  int32_t epoch = 0;
  int32_t leader = -1;     // the leader it knows in that epoch (-1: none)
  int32_t voted_for = -1;  // its vote in that epoch (-1: none)
  /// This node's own election (candidate: votes; prospective: pre-votes), itself included.
  size_t granted = 0, refused = 0, needed = 0;
  /// The timer that decides its next move: the election timeout or backoff, or a follower's
  /// fetch timeout.
  std::optional<kafka::raft::Countdown> countdown;
};
struct NodeInfo {
  std::string role;    // "broker", "controller", "combined", "zookeeper", "demo"
  std::string detail;  // "active controller", "quorum leader", "fenced", "ZooKeeper leader"...
  bool active_controller = false;
  bool quorum_leader = false;  // KRaft quorum leader or ZooKeeper ensemble leader
  bool fenced = false;         // broker fenced / not registered in the cluster's view
  bool racing = false;         // ZooKeeper mode: its create of /controller awaits an answer
  /// Its place in its quorum when it is a running voter (quorum_view).
  std::optional<QuorumView> quorum;
  /// The active controller's session of it when its heartbeats are late (late_broker_session).
  std::optional<kafka::raft::Countdown> session;
  /// A follower that stopped catching up: the first of its partitions to leave the ISR when
  /// replica.lag.time.max.ms runs out on the leader (lagging_follower).
  std::optional<kafka::raft::Countdown> lag;
  std::string lag_partition;  // "orders-0"
  /// A group member whose heartbeats stopped: its coordinator's session.timeout.ms (late_member).
  std::optional<kafka::raft::Countdown> member;
  /// The timer that decides its next move: the quorum's, else the broker session's, else the
  /// ISR's, else the group's.
  const std::optional<kafka::raft::Countdown>& timer() const {
    if (quorum && quorum->countdown) return quorum->countdown;
    if (session) return session;
    return lag ? lag : member;
  }
};

/// Everything the views draw of node `i`, computed once per frame.
NodeInfo node_info(const world::World& w, net::NodeIndex i);

/// The quorum view of node `i`, running and a voter; nullopt otherwise.
std::optional<QuorumView> quorum_view(const world::World& w, net::NodeIndex i);
/// One line for it: "follower of 2, epoch 3", "candidate, epoch 4: 1 of 2 votes", ...
std::string describe_quorum(const QuorumView& q, bool zookeeper);

/// The active controller's session of broker `id` (KRaft): from its last heartbeat to the
/// moment it fences the broker (broker.session.timeout.ms), once a heartbeat is late (more than
/// broker.heartbeat.interval.ms ago) or the broker stopped running, while it is unfenced;
/// nullopt otherwise.
std::optional<kafka::raft::Countdown> late_broker_session(const world::World& w, int32_t id);

/// A follower late catching up (more than a second since it last had all the leader had, and
/// still in the ISR): the earliest of its partitions' replica.lag.time.max.ms on their leaders,
/// and which partition; nullopt otherwise.
std::optional<std::pair<kafka::raft::Countdown, std::string>> lagging_follower(
    const world::World& w, int32_t id);

/// A consumer group member (node `i`) whose heartbeats its coordinator misses (more than
/// heartbeat.interval.ms since the last): session.timeout.ms from the last one to the moment
/// the coordinator removes it; nullopt otherwise.
std::optional<kafka::raft::Countdown> late_member(const world::World& w, net::NodeIndex i);

/// ZooKeeper mode: broker `id`'s ZooKeeper session as the ensemble leader holds it, once the
/// broker has been silent for more than a third of its timeout (it pings every third): from
/// the last message it sent the ensemble (in `delivered`, AppState's messages) to the moment
/// the leader expires the session and deletes its ephemeral znodes (/brokers/ids/<id>, and
/// /controller if it holds it; the leader checks every tickTime, so a little later at most).
std::optional<kafka::raft::Countdown> late_zk_session(const world::World& w,
                                                      std::span<const MessageLine> delivered,
                                                      int32_t id);

/// What broker `id` itself believes about the cluster (its own metadata image), or nullptr.
const kafka::MetadataImage* broker_view(const world::World& w, int32_t id);

/// Broker `id`'s own replica of `tp`: its log, LEO and HW, or nullptr.
const kafka::ReplicaManager::HostedPartition* hosted_replica(const world::World& w, int32_t id,
                                                             const kafka::TopicPartitionName& tp);

/// A replica's place as the cluster sees it.
enum class ReplicaRole { leader, in_sync, out_of_sync, offline };
struct ReplicaOnBroker {
  std::string partition;  // "orders-0"
  ReplicaRole role;
};
std::vector<ReplicaOnBroker> replicas_on(const kafka::MetadataImage& img, int32_t broker);
/// Broker `broker`'s place in partition `part` as the controller (`img`) sees it.
ReplicaRole replica_role(const kafka::MetadataImage& img, const kafka::PartitionRegistration& part,
                         int32_t broker);
const char* replica_role_name(ReplicaRole r);  // "leader", "in sync", "out of sync", "offline"

// [records in a replica's log]
/// One record of a log: the batch holding it and its index in the batch's data.
struct RecordAt {
  const kafka::RecordBatch* batch = nullptr;  // nullptr: no batch holds the offset
  int index = -1;  // into batch->data->records(); -1: the batch had it but compaction removed it
  /// The record itself, or nullptr (no batch, or compaction removed it).
  const kafka::Record* record() const {
    return batch != nullptr && index >= 0 ? &batch->data->records()[static_cast<size_t>(index)]
                                          : nullptr;
  }
};
/// What `log` holds at `offset`: nothing below the log start offset or at/after the LEO.
RecordAt record_at(const kafka::PartitionLog& log, kafka::Offset offset);
/// Whether an acknowledged record (`origin`, acknowledged at `offset`) is gone from the
/// partition leader's log `leader`: another record, or none, at its offset. Records retention
/// deleted (below the log start) and compacted topics, which remove records by design, are
/// not lost.
bool acked_record_lost(const kafka::PartitionLog& leader, kafka::Offset offset, uint64_t origin);
/// The partition `tp` as the cluster's metadata has it, or nullptr.
const kafka::PartitionRegistration* registration(const world::World& w,
                                                 const kafka::TopicPartitionName& tp);
/// Whether `replica` holds another record than `leader` at `offset`: a batch of another
/// partition leader epoch, or another producer record. False when either has no record there.
bool diverges_at(const kafka::PartitionLog& leader, const kafka::PartitionLog& replica,
                 kafka::Offset offset);
/// The first offset where `replica` diverges from `leader`, or kNoOffset.
kafka::Offset first_divergence(const kafka::PartitionLog& leader,
                               const kafka::PartitionLog& replica);

// [clients of a partition]
struct ConsumerPosition {
  std::string client_id;
  kafka::Offset position = kafka::kNoOffset;  // the next offset it will fetch; -1: not yet known
};
/// Every consumer (client node) reading `tp`, in node order, with its position there: the
/// standalone consumers that assign() it and the group members it is assigned to now.
std::vector<ConsumerPosition> consumer_positions(const world::World& w,
                                                 const kafka::TopicPartitionName& tp);
struct GroupCommit {
  std::string group_id;
  kafka::Offset committed = kafka::kNoOffset;
};
/// Committed offsets of consumer groups on `tp` (OffsetCommit), by group id, as each group's
/// coordinator holds them now (none while a group has no coordinator, in a failover).
std::vector<GroupCommit> committed_offsets(const world::World& w,
                                           const kafka::TopicPartitionName& tp);

/// How a message in flight is drawn when it is part of an election: an arrow that asks (a vote
/// request, a pre-vote's hollow, a ZooKeeper-mode broker's create of /controller), or an
/// answer marked yes (vote granted, race won) or no; none for every other message.
enum class Arrow : uint8_t { none, ask, pre_ask, yes, no };
Arrow election_arrow(const world::World& w, uint32_t slot);

}  // namespace kafkasim::gui
