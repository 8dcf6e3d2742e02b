// KafkaNode: one Kafka process (process.roles = broker, controller, or both). It holds the
// node's replica of __cluster_metadata (Raft: a voter on controllers, an observer on brokers),
// the image it builds from what has committed there, and the controller and broker roles.
// The image is what *this* node believes: on a broker it can lag behind the controller.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafka/broker/lifecycle.h"
#include "kafka/broker/replica_manager.h"
#include "kafka/common/config.h"
#include "kafka/controller/quorum_controller.h"
#include "kafka/group/coordinator.h"
#include "kafka/metadata/image.h"
#include "kafka/raft/raft.h"
#include "net/message.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka {

struct KafkaNodeConfig {
  BrokerId id = 0;
  bool broker = false;
  bool controller = false;
  std::vector<BrokerId> voters;   // controller.quorum.voters
  std::vector<BrokerId> brokers;  // every broker of the cluster (for the topic admin)
  std::string rack;               // broker.rack
  KafkaConfig config;
  std::vector<TopicSpec> topics;     // created by the active controller once brokers are up
  ReplicaManagerConfig replication;  // logs and replication (brokers)
};

class KafkaNode {
 public:
  KafkaNode() = default;
  explicit KafkaNode(KafkaNodeConfig cfg);
  /// Its timers are its components': Raft, the controller, the broker's lifecycle, replica
  /// manager and group coordinator each name their own.
  static const char* timer_name(uint16_t kind);

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss, sim::Time now);
  void on_shutdown(world::Ctx& ctx);
  void flush(world::Ctx& ctx) {
    if (replicas_) replicas_->flush_all(ctx.now());
  }
  /// Operator action (elect_preferred); only the active controller acts.
  int elect_preferred(world::Ctx& ctx, std::optional<TopicPartition> tp);
  /// Operator admin requests, handled by this node's controller (it must be the active one).
  AdminResult admin(world::Ctx& ctx, const CreatePartitionsRequest& r);
  AdminResult admin(world::Ctx& ctx, const AlterPartitionReassignmentsRequest& r);
  AdminResult admin(world::Ctx& ctx, const IncrementalAlterConfigsRequest& r);

  const KafkaNodeConfig& config() const { return cfg_; }
  const raft::Raft& raft() const { return raft_; }
  const QuorumController* controller() const { return controller_ ? &*controller_ : nullptr; }
  const BrokerLifecycle* broker() const { return broker_ ? &*broker_ : nullptr; }
  const ReplicaManager* replicas() const { return replicas_ ? &*replicas_ : nullptr; }
  /// The group coordinator of a broker (for the groups whose offsets partition it leads).
  const group::GroupCoordinator* groups() const { return groups_ ? &*groups_ : nullptr; }
  /// What this node believes: its committed metadata, applied in order.
  const MetadataImage& image() const { return image_; }
  bool is_active_controller() const { return controller_ && controller_->active(); }

 private:
  void sync(world::Ctx& ctx);
  template <typename Response>
  void refuse(world::Ctx& ctx, BrokerId from, uint32_t correlation);

  KafkaNodeConfig cfg_;
  raft::Raft raft_;
  std::optional<QuorumController> controller_;
  std::optional<BrokerLifecycle> broker_;
  std::optional<ReplicaManager> replicas_;
  std::optional<group::GroupCoordinator> groups_;
  Offset replicas_applied_offset_ = -1;  // image offset the replica manager last followed
  int64_t next_producer_id_ = 0;         // producer ids this broker handed out (kept on disk)
  MetadataImage image_;
  bool stopping_ = false;
};

}  // namespace kafkasim::kafka
