#include "kafka/node/kafka_node.h"

#include "kafka/broker/broker_api.h"
#include "world/world.h"

namespace kafkasim::kafka {

KafkaNode::KafkaNode(KafkaNodeConfig cfg) : cfg_(std::move(cfg)) {
  raft_ = raft::Raft(cfg_.id, cfg_.voters, cfg_.config);
  if (cfg_.controller)
    controller_ = QuorumController(cfg_.id, cfg_.config, cfg_.topics, cfg_.brokers);
  if (cfg_.broker) {
    broker_ = BrokerLifecycle(cfg_.id, cfg_.rack, cfg_.config);
    ReplicaManagerConfig rc = cfg_.replication;
    rc.self = cfg_.id;
    rc.config = cfg_.config;
    replicas_ = ReplicaManager(rc);
    groups_ = group::GroupCoordinator(cfg_.config);
  }
}

void KafkaNode::on_start(world::Ctx& ctx) {
  image_ = MetadataImage{};  // rebuilt from the log as the high watermark is learned
  stopping_ = false;
  raft_.start(ctx);
  if (broker_) broker_->start(ctx, ctx.rng().next_u64());
  if (replicas_) replicas_->start(ctx);
  replicas_applied_offset_ = -1;
  sync(ctx);
}

void KafkaNode::on_crash(bool power_loss, sim::Time now) {
  raft_.crash();
  if (controller_) controller_->crash();
  if (broker_) broker_->crash();
  if (replicas_) replicas_->crash(power_loss, now);
  if (groups_) groups_->crash();
  image_ = MetadataImage{};
}

void KafkaNode::on_shutdown(world::Ctx& ctx) {
  stopping_ = true;
  if (broker_ && broker_->state() != BrokerLifecycle::State::shut_down) {
    broker_->begin_shutdown(ctx);
    sync(ctx);
  } else {
    ctx.stop_self("shut down");
  }
}

void KafkaNode::sync(world::Ctx& ctx) {
  const Offset hw = raft_.high_watermark();
  const raft::RaftLog& log = raft_.log();
  for (Offset o = image_.offset() + 1; o < hw && o < log.end_offset(); ++o) {
    image_.apply(o, log.at(o).record);
  }
  if (controller_) controller_->sync(ctx, raft_, image_);
  // Like BrokerServer's startup: the replica manager acts on metadata only once this process
  // has registered and its metadata log has caught up to its registration record. Before
  // that, its image may still name it leader of partitions the controller has not yet moved
  // away from its previous incarnation.
  const bool caught_up =
      broker_ && broker_->broker_epoch() >= 0 && image_.offset() >= broker_->broker_epoch();
  if (replicas_ && caught_up && image_.offset() != replicas_applied_offset_) {
    // From then on it follows what its own metadata says, as soon as it says it.
    replicas_applied_offset_ = image_.offset();
    replicas_->set_cluster(active_brokers(image_), raft_.leader_id(), broker_->broker_epoch());
    // Dynamic configs first, so partitions created below start with them.
    if (image_.configs().version() != replicas_->configs().version())
      replicas_->set_configs(ctx, image_.configs());
    for (const PartitionAssignment& a : assignments(image_))
      replicas_->apply(ctx, a);
  }
  if (groups_ && caught_up) groups_->sync(ctx, *replicas_);
  if (broker_) {
    broker_->sync(ctx, raft_.leader_id(), image_.offset());
    if (stopping_ && broker_->done()) {
      stopping_ = false;
      ctx.stop_self("controlled shutdown complete: it leads no partitions");
    }
  }
}

template <typename Response>
void KafkaNode::refuse(world::Ctx& ctx, BrokerId from, uint32_t correlation) {
  Response r;
  r.correlation_id = correlation;
  r.error_code = Errc::NOT_CONTROLLER;
  r.controller_hint = raft_.leader_id();
  ctx.send(from, net::MessageKind::heartbeat, r, 48);
}

void KafkaNode::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const BrokerId from = ctx.world().node_id(env.src);
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, BrokerRegistrationRequest>) {
          if (controller_)
            controller_->on_message(ctx, raft_, from, m);
          else
            refuse<BrokerRegistrationResponse>(ctx, from, m.correlation_id);
        } else if constexpr (std::is_same_v<T, BrokerHeartbeatRequest>) {
          if (controller_)
            controller_->on_message(ctx, raft_, from, m);
          else
            refuse<BrokerHeartbeatResponse>(ctx, from, m.correlation_id);
        } else if constexpr (std::is_same_v<T, AlterPartitionRequest>) {
          if (controller_)
            controller_->on_message(ctx, raft_, from, m);
          else
            refuse<AlterPartitionResponse>(ctx, from, m.correlation_id);
        } else if constexpr (std::is_same_v<T, BrokerRegistrationResponse> ||
                             std::is_same_v<T, BrokerHeartbeatResponse>) {
          if (broker_) broker_->on_message(ctx, from, m);
          if (replicas_)
            replicas_->set_cluster(active_brokers(image_), raft_.leader_id(),
                                   broker_->broker_epoch());
        } else if constexpr (std::is_same_v<T, ProduceRequest>) {
          if (replicas_) replicas_->on_produce(ctx, from, std::move(m), env.epoch);
        } else if constexpr (std::is_same_v<T, FetchRequest>) {
          if (replicas_) replicas_->on_fetch(ctx, from, std::move(m));
        } else if constexpr (std::is_same_v<T, FetchResponse>) {
          if (replicas_) replicas_->on_fetch_response(ctx, from, std::move(m));
        } else if constexpr (std::is_same_v<T, ListOffsetsRequest>) {
          if (replicas_) replicas_->on_list_offsets(ctx, from, m);
        } else if constexpr (std::is_same_v<T, AlterPartitionResponse>) {
          if (replicas_) replicas_->on_alter_partition_response(ctx, m);
        } else if constexpr (std::is_same_v<T, MetadataRequest>) {
          if (broker_)
            ctx.send(from, net::MessageKind::metadata, make_metadata_response(image_, m), 256);
        } else if constexpr (std::is_same_v<T, InitProducerIdRequest>) {
          // Producer ids must never repeat: a block per broker (Kafka's controller hands out
          // blocks; here the broker id is the block).
          InitProducerIdResponse r;
          r.correlation_id = m.correlation_id;
          r.producer_id = (int64_t{cfg_.id} << 32) | next_producer_id_++;
          r.producer_epoch = 0;
          ctx.send(from, net::MessageKind::produce, r, 32);
        } else if constexpr (std::is_same_v<T, FindCoordinatorRequest>) {
          if (broker_)
            ctx.send(from, net::MessageKind::group,
                     find_coordinator(image_, cfg_.config.offsets_topic_num_partitions, m), 48);
        } else if constexpr (std::is_same_v<T, JoinGroupRequest>) {
          if (groups_) groups_->on_join(ctx, *replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, SyncGroupRequest>) {
          if (groups_) groups_->on_sync(ctx, *replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, HeartbeatRequest>) {
          if (groups_) groups_->on_heartbeat(ctx, from, m);
        } else if constexpr (std::is_same_v<T, LeaveGroupRequest>) {
          if (groups_) groups_->on_leave(ctx, *replicas_, from, m);
        } else if constexpr (std::is_same_v<T, OffsetCommitRequest>) {
          if (groups_) groups_->on_offset_commit(ctx, *replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, OffsetFetchRequest>) {
          if (groups_) groups_->on_offset_fetch(ctx, from, m);
        } else if constexpr (requires { raft_.on_message(ctx, from, m); }) {
          raft_.on_message(ctx, from, m);
        }
      },
      payload);
  sync(ctx);
}

void KafkaNode::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  if (kind >= ReplicaManager::timer_kind_first && kind <= ReplicaManager::timer_kind_last) {
    if (replicas_) replicas_->on_timer(ctx, kind, arg);
  } else if (kind >= group::GroupCoordinator::timer_kind_first &&
             kind <= group::GroupCoordinator::timer_kind_last) {
    if (groups_) groups_->on_timer(ctx, *replicas_, kind, arg);
  } else if (kind <= raft::Raft::timer_kind_max) {
    raft_.on_timer(ctx, kind, arg);
  } else if (kind <= QuorumController::timer_kind_max) {
    if (controller_) controller_->on_timer(ctx, raft_, kind, arg);
  } else if (kind <= BrokerLifecycle::timer_kind_max) {
    if (broker_) broker_->on_timer(ctx, kind, arg);
  }
  sync(ctx);
}

void KafkaNode::on_disconnect(world::Ctx& ctx, int32_t peer) {
  raft_.on_disconnect(ctx, peer);
  if (broker_) broker_->on_disconnect(ctx, peer);
  if (replicas_) replicas_->on_disconnect(ctx, peer);
  sync(ctx);
}

AdminResult KafkaNode::admin(world::Ctx& ctx, const CreatePartitionsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not a controller"};
  const AdminResult res = controller_->create_partitions(ctx, raft_, r);
  sync(ctx);
  return res;
}

AdminResult KafkaNode::admin(world::Ctx& ctx, const AlterPartitionReassignmentsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not a controller"};
  const AdminResult res = controller_->alter_partition_reassignments(ctx, raft_, r);
  sync(ctx);
  return res;
}

AdminResult KafkaNode::admin(world::Ctx& ctx, const IncrementalAlterConfigsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not a controller"};
  const AdminResult res = controller_->incremental_alter_configs(ctx, raft_, r);
  sync(ctx);
  return res;
}

int KafkaNode::elect_preferred(world::Ctx& ctx, std::optional<TopicPartition> tp) {
  if (!controller_) return 0;
  const int moved = controller_->elect_preferred(ctx, raft_, tp);
  sync(ctx);
  return moved;
}

const char* KafkaNode::timer_name(uint16_t kind) {
  for (const char* name : {raft::Raft::timer_name(kind), QuorumController::timer_name(kind),
                           BrokerLifecycle::timer_name(kind), ReplicaManager::timer_name(kind),
                           group::GroupCoordinator::timer_name(kind)})
    if (name != nullptr) return name;
  return nullptr;
}

}  // namespace kafkasim::kafka
