// QuorumController: the active controller's logic (Kafka's QuorumController,
// ReplicationControlManager, ClusterControlManager, BrokerHeartbeatManager; KAFKA_REFERENCE 3.2
// and 3.3). It runs on the quorum leader once that leader's LeaderChangeMessage has committed,
// decides by writing metadata records through Raft, and answers a request only when the
// records it wrote for it have committed.
//
// It tracks broker heartbeats (soft state: a new active controller starts every session
// afresh), fences a broker silent for broker.session.timeout.ms (the stalest first, one at a
// time), unfences a caught-up broker, runs controlled shutdowns, handles AlterPartition, moves
// leadership with PartitionChangeBuilder, rebalances to preferred leaders, and creates the
// scenario's topics once their brokers are up.
//
// Admin requests (the operator's commands): CreatePartitions writes PartitionRecords for the
// new partitions, placed like a new topic's; AlterPartitionReassignments starts a KIP-455
// reassignment (PartitionChangeRecord with adding/removing replicas) that AlterPartition
// completes once every target replica is in the ISR; IncrementalAlterConfigs writes a
// ConfigRecord. A dynamically enabled unclean.leader.election.enable is acted on by a periodic
// unclean election of leaderless partitions (unclean.leader.election.interval.ms, KAFKA-12670).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/controller/messages.h"
#include "kafka/controller/partition_change.h"
#include "kafka/metadata/image.h"
#include "kafka/raft/raft.h"
#include "sim/timer.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka {

/// A topic the cluster is asked to create (by the scenario's admin).
struct TopicSpec {
  std::string name;
  int32_t partitions = 1;
  int32_t replication_factor = 1;
  std::vector<std::vector<BrokerId>> assignment;  // explicit replicas per partition, or empty
  std::optional<bool> unclean_leader_election_enable;
  std::optional<int64_t> min_insync_replicas;
};

class QuorumController {
 public:
  /// Timer kinds 20..39 belong to the controller.
  enum TimerKind : uint16_t {
    noop_timer = 20,
    session_timer = 21,
    imbalance_timer = 22,
    admin_timer = 23,
    unclean_timer = 24,
    timer_kind_max = 39,
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  /// How long the admin waits for every broker before placing topics on those that are up.
  static constexpr int64_t kCreateTopicsWaitMs = 10000;

  QuorumController() = default;
  QuorumController(BrokerId self, KafkaConfig cfg, std::vector<TopicSpec> topics,
                   std::vector<BrokerId> cluster_brokers);

  void crash();
  /// Called after anything that may have moved Raft: activates or deactivates, and answers
  /// requests whose records have committed. `committed` is this node's committed image.
  void sync(world::Ctx& ctx, raft::Raft& raft, const MetadataImage& committed);
  void on_timer(world::Ctx& ctx, raft::Raft& raft, uint16_t kind, uint64_t arg);
  void on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from,
                  const BrokerRegistrationRequest& m);
  void on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from,
                  const BrokerHeartbeatRequest& m);
  void on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from, const AlterPartitionRequest& m);

  /// Operator action: preferred leader election for one partition, or all when empty.
  /// Returns how many partitions changed leader (0 when not active).
  int elect_preferred(world::Ctx& ctx, raft::Raft& raft, std::optional<TopicPartition> tp);
  /// Operator actions (Kafka's admin APIs). The controller traces what it wrote, or refuses
  /// with Kafka's error and message (traced as admin_error).
  AdminResult create_partitions(world::Ctx& ctx, raft::Raft& raft,
                                const CreatePartitionsRequest& r);
  AdminResult alter_partition_reassignments(world::Ctx& ctx, raft::Raft& raft,
                                            const AlterPartitionReassignmentsRequest& r);
  AdminResult incremental_alter_configs(world::Ctx& ctx, raft::Raft& raft,
                                        const IncrementalAlterConfigsRequest& r);

  bool active() const { return active_image_.has_value(); }
  /// The active controller's image, including records not yet committed.
  const MetadataImage* image() const { return active_image_ ? &*active_image_ : nullptr; }
  /// Last heartbeat time per broker (active controller only).
  const std::map<BrokerId, sim::Time>& last_contact() const { return last_contact_; }

 private:
  struct PendingReply {
    Offset offset = 0;
    BrokerId to = 0;
    world::Payload reply;
  };
  Offset write(world::Ctx& ctx, raft::Raft& raft, MetadataRecord record);
  void reply_when_committed(Offset offset, BrokerId to, world::Payload reply);
  void activate(world::Ctx& ctx, raft::Raft& raft, const MetadataImage& committed);
  void deactivate(world::Ctx& ctx, raft::Raft& raft, const std::string& why);
  void fence(world::Ctx& ctx, raft::Raft& raft, BrokerId b, const std::string& why);
  void unfence(world::Ctx& ctx, raft::Raft& raft, BrokerId b);
  /// Removes `b` from every ISR and moves its leaderships (fence, controlled shutdown).
  void move_away_from(world::Ctx& ctx, raft::Raft& raft, BrokerId b, const std::string& why);
  /// Elects leaders for leaderless partitions (after an unfence).
  void elect_leaderless(world::Ctx& ctx, raft::Raft& raft, const std::string& why);
  /// Writes the change `builder` yields, tracing leader and ISR changes with `why`.
  bool apply_change(world::Ctx& ctx, raft::Raft& raft, TopicPartition tp,
                    const PartitionChangeBuilder& builder, const std::string& why,
                    std::optional<LeaderRecoveryState> recovery = std::nullopt);
  Election default_election(TopicId topic) const;
  /// unclean.leader.election.enable for `topic` as this controller resolves it: the topic's
  /// setting, else this node's dynamic setting, the cluster default, then its static config.
  bool unclean_enabled(const std::string& topic) const;
  /// KAFKA-12670: unclean elections for leaderless partitions whose topic now allows them.
  void elect_unclean_leaderless(world::Ctx& ctx, raft::Raft& raft);
  void arm_unclean(world::Ctx& ctx);
  AdminResult refuse(world::Ctx& ctx, const std::string& api, const std::string& what, Errc e,
                     std::string message) const;
  /// A change builder for `tp` against the active image (acceptable = active brokers).
  PartitionChangeBuilder builder_for(TopicPartition tp,
                                     std::optional<std::vector<BrokerId>> target_isr,
                                     Election election) const;
  std::vector<TopicPartition> all_partitions() const;
  bool leads_anything(BrokerId b) const;
  void check_sessions(world::Ctx& ctx, raft::Raft& raft);
  void maybe_create_topics(world::Ctx& ctx, raft::Raft& raft);
  void arm(world::Ctx& ctx, sim::TimerId& id, sim::Time after, uint16_t kind);
  std::string pname(TopicPartition tp) const { return active_image_->partition_name(tp); }

  BrokerId self_ = 0;
  KafkaConfig cfg_;
  std::vector<TopicSpec> topics_;
  std::vector<BrokerId> cluster_brokers_;

  std::optional<MetadataImage> active_image_;
  int32_t active_epoch_ = -1;
  sim::Time activated_at_;
  sim::Time last_write_;
  std::map<BrokerId, sim::Time> last_contact_;
  std::vector<PendingReply> pending_;
  sim::TimerId noop_timer_, session_timer_, imbalance_timer_, admin_timer_, unclean_timer_;
};

}  // namespace kafkasim::kafka
