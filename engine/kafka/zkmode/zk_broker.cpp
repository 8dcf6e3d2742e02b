// A ZooKeeper-mode broker. See zk_broker.h.
#include "kafka/zkmode/zk_broker.h"

#include <cstdlib>

#include "kafka/broker/broker_api.h"
#include "world/world.h"

namespace kafkasim::kafka::zkmode {

using zk::Code;
using zk::ZkOp;
using zk::ZkRequest;

namespace {
ZkRequest req(ZkOp op, std::string path, std::string data = "", bool watch = false,
              bool ephemeral = false) {
  ZkRequest r;
  r.op = op;
  r.path = std::move(path);
  r.data = std::move(data);
  r.watch = watch;
  r.ephemeral = ephemeral;
  return r;
}
}  // namespace

ZkBroker::ZkBroker(ZkBrokerConfig cfg) : cfg_(std::move(cfg)) {
  zk_ = zk::ZkClient(cfg_.id, cfg_.zookeeper, cfg_.zookeeper_session_timeout_ms);
  ReplicaManagerConfig rc = cfg_.replication;
  rc.self = cfg_.id;
  rc.config = cfg_.config;
  replicas_ = ReplicaManager(rc);
  groups_ = group::GroupCoordinator(cfg_.config);
}

void ZkBroker::on_crash(bool power_loss, sim::Time now) {
  const ZkBrokerConfig cfg = cfg_;
  ReplicaManager disk = std::move(replicas_);
  disk.crash(power_loss, now);
  const int64_t pids = next_producer_id_;
  const bool listener = config_listener_, reassignments = reassignment_watch_;
  *this = ZkBroker(cfg);
  replicas_ = std::move(disk);
  next_producer_id_ = pids;
  config_listener_ = listener;
  reassignment_watch_ = reassignments;
}

void ZkBroker::on_start(world::Ctx& ctx) {
  zk_.start(ctx);
  replicas_.start(ctx);
  drain(ctx);
}

void ZkBroker::drain(world::Ctx& ctx) {
  if (config_listener_ && !config_listening_) listen_config_changes(ctx);
  // Events can produce requests whose answers come later; loop until nothing is left.
  for (std::vector<zk::ZkEvent> events = zk_.drain(); !events.empty(); events = zk_.drain()) {
    for (const zk::ZkEvent& e : events) {
      switch (e.kind) {
        case zk::ZkEvent::Kind::session_established:
          on_session(ctx, e.new_session);
          break;
        case zk::ZkEvent::Kind::session_expired:
          ctx.trace(sim::TraceKind::note,
                    ctx.name_of(cfg_.id) +
                        " learns its ZooKeeper session expired: its ephemeral znodes are gone");
          broker_epoch_ = -1;
          if (controller_) {
            controller_.reset();
            ctx.trace(sim::TraceKind::controller_inactive,
                      ctx.name_of(cfg_.id) + " is no longer the controller: its session expired");
          }
          break;
        case zk::ZkEvent::Kind::response:
          if (controller_ && controller_->owns(e.xid)) {
            controller_->on_response(ctx, zk_, e.response);
          } else if (!on_config_response(ctx, e.response)) {
            on_response(ctx, e.response);
          }
          break;
        case zk::ZkEvent::Kind::watch:
          if (controller_) controller_->on_watch(ctx, zk_, e.watch);
          on_watch(ctx, e.watch);
          break;
      }
    }
    if (controller_ && controller_->resigned()) {
      controller_.reset();
      // If /controller is still ours, delete it so that a fresh election can happen (Kafka's
      // triggerControllerMove); otherwise just follow whoever holds it.
      controller_owner_xid_ = zk_.submit(ctx, req(ZkOp::get_data, "/controller", "", true));
    }
  }
}

void ZkBroker::on_session(world::Ctx& ctx, bool fresh) {
  if (config_listener_) listen_config_changes(ctx);
  if (!fresh) return;  // reconnected within the session: ephemerals are still ours
  // Persistent paths first (makeSurePersistentPathExists), then the ephemeral registration.
  for (const char* p : {"/brokers", "/brokers/ids", "/brokers/topics"})
    zk_.submit(ctx, req(ZkOp::create, p));
  register_xid_ = zk_.submit(ctx, req(ZkOp::create, "/brokers/ids/" + std::to_string(cfg_.id),
                                      cfg_.rack.empty() ? "" : "rack=" + cfg_.rack, false, true));
}

void ZkBroker::elect(world::Ctx& ctx) {
  if (broker_epoch_ < 0 || controller_) return;
  controller_create_xid_ =
      zk_.submit(ctx, req(ZkOp::create, "/controller",
                          "{\"brokerid\":" + std::to_string(cfg_.id) + "}", false, true));
}

void ZkBroker::on_response(world::Ctx& ctx, const zk::ZkResponse& r) {
  if (r.xid == register_xid_) {
    if (r.code == Code::OK) {
      broker_epoch_ = r.stat.czxid;
      ctx.trace(sim::TraceKind::broker_registered,
                ctx.name_of(cfg_.id) + " registered /brokers/ids/" + std::to_string(cfg_.id) +
                    " (ephemeral; broker epoch " + std::to_string(broker_epoch_) + " = its czxid)");
      elect(ctx);
    } else if (r.code == Code::NODEEXISTS) {
      owner_check_xid_ =
          zk_.submit(ctx, req(ZkOp::get_data, "/brokers/ids/" + std::to_string(cfg_.id)));
    } else if (r.code == Code::CONNECTIONLOSS) {
      on_session(ctx, true);  // try again on the next connection
    }
  } else if (r.xid == owner_check_xid_) {
    if (r.code == Code::OK && r.stat.ephemeral_owner == zk_.session()) {
      broker_epoch_ = r.stat.czxid;  // a retry of our own create
      elect(ctx);
    } else if (r.code == Code::OK) {
      // Kafka 3.x refuses to start: the previous process's session still owns the znode.
      ctx.stop_self(
          "Error while creating ephemeral at /brokers/ids/" + std::to_string(cfg_.id) +
          ", node already exists and owner '" +
          std::to_string(r.stat.ephemeral_owner & 0xffffffff) +
          "' does not match current session (the previous broker's session has not expired yet)");
    } else {
      on_session(ctx, true);
    }
  } else if (r.xid == controller_create_xid_) {
    controller_create_xid_ = 0;  // answered: the race is over for this broker
    if (r.code == Code::OK) {
      known_controller_ = cfg_.id;
      controller_ = ZkController(cfg_.id, cfg_.config, cfg_.topics, cfg_.brokers);
      controller_->set_configs(dynamic_);
      controller_->set_watch_reassignments(reassignment_watch_);
      controller_->start(ctx, zk_);
    } else {
      // Lost the race (or the connection): read who won and watch for its departure.
      controller_read_xid_ = zk_.submit(ctx, req(ZkOp::get_data, "/controller", "", true));
    }
  } else if (r.xid == controller_owner_xid_ || r.xid == controller_remove_xid_) {
    if (r.xid == controller_remove_xid_) {
      // The delete's answer: gone (the watch will start an election) or unknown: look again.
      if (r.code != Code::OK && r.code != Code::NONODE) {
        controller_owner_xid_ = zk_.submit(ctx, req(ZkOp::get_data, "/controller", "", true));
      }
    } else if (r.code == Code::OK && r.stat.ephemeral_owner == zk_.session() && !controller_) {
      controller_remove_xid_ = zk_.submit(ctx, req(ZkOp::remove, "/controller"));
    } else if (r.code == Code::NONODE) {
      elect(ctx);
    } else if (r.code == Code::CONNECTIONLOSS) {
      controller_owner_xid_ = zk_.submit(ctx, req(ZkOp::get_data, "/controller", "", true));
    }
  } else if (r.xid == controller_read_xid_) {
    if (r.code == Code::OK && r.stat.ephemeral_owner == zk_.session() && !controller_) {
      // Our own /controller from a controller we no longer run: let it go so a new election
      // can happen (Kafka's triggerControllerMove).
      controller_remove_xid_ = zk_.submit(ctx, req(ZkOp::remove, "/controller"));
    } else if (r.code == Code::OK) {
      const size_t colon = r.data.find(':');
      known_controller_ =
          colon == std::string::npos ? kNoLeader : std::atoi(r.data.c_str() + colon + 1);
    } else if (r.code == Code::NONODE) {
      elect(ctx);  // it went away between our create and our read
    }
  }
}

void ZkBroker::on_watch(world::Ctx& ctx, const zk::ZkWatchEvent& w) {
  if (w.path == "/config/changes" && config_listener_) {
    config_children_xid_ = zk_.submit(ctx, req(ZkOp::get_children, "/config/changes", "", true));
    return;
  }
  if (w.path != "/controller") return;
  if (w.type == zk::EventType::NodeDeleted) {
    known_controller_ = kNoLeader;
    elect(ctx);
  } else {
    controller_read_xid_ = zk_.submit(ctx, req(ZkOp::get_data, "/controller", "", true));
  }
}

bool ZkBroker::stale(world::Ctx& ctx, BrokerId from, int32_t epoch, const char* what) {
  if (epoch >= highest_controller_epoch_) {
    highest_controller_epoch_ = epoch;
    return false;
  }
  ctx.trace(sim::TraceKind::note, ctx.name_of(cfg_.id) + " rejects " + what + " from " +
                                      ctx.name_of(from) + ": controller epoch " +
                                      std::to_string(epoch) + " < " +
                                      std::to_string(highest_controller_epoch_) +
                                      " (STALE_CONTROLLER_EPOCH): a deposed controller is fenced");
  return true;
}

void ZkBroker::apply(const std::vector<LiveBroker>* live,
                     const std::vector<ZkPartitionState>& parts) {
  Offset o = image_.offset() + 1;
  if (live) {
    for (const LiveBroker& b : *live) {
      const BrokerRegistration* reg = image_.broker(b.id);
      if (reg == nullptr || reg->fenced || reg->incarnation_id != static_cast<uint64_t>(b.epoch)) {
        image_.apply(o++,
                     RegisterBrokerRecord{b.id, static_cast<uint64_t>(b.epoch), b.rack, false});
      }
    }
    for (const auto& [id, reg] : std::map<BrokerId, BrokerRegistration>(image_.brokers())) {
      // Captured by value under its own name: C++20 lets a lambda capture a structured binding,
      // but clang before 16 does not implement that yet.
      const bool alive = std::any_of(live->begin(), live->end(),
                                     [broker = id](const LiveBroker& b) { return b.id == broker; });
      if (!alive && !reg.fenced) image_.apply(o++, FenceBrokerRecord{id, reg.epoch});
    }
  }
  for (const ZkPartitionState& s : parts) {
    const TopicImage* t = image_.topic(s.topic);
    if (t == nullptr) {
      image_.apply(o++, TopicRecord{s.topic, static_cast<TopicId>(image_.topics().size())});
      t = image_.topic(s.topic);
    }
    PartitionRecord pr;
    pr.topic_id = t->id;
    pr.partition_id = s.partition;
    pr.replicas = s.replicas;
    pr.isr = s.isr;
    pr.leader = s.leader;
    pr.leader_epoch = s.leader_epoch;
    pr.partition_epoch = s.zk_version;
    image_.apply(o++, pr);
  }
}

void ZkBroker::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const BrokerId from = ctx.world().node_id(env.src);
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, LeaderAndIsrRequest>) {
          LeaderAndIsrResponse resp{Errc::NONE, highest_controller_epoch_};
          if (stale(ctx, from, m.controller_epoch, "LeaderAndIsr")) {
            resp.error_code = Errc::STALE_CONTROLLER_EPOCH;
          } else {
            apply(nullptr, m.partitions);
            known_controller_ = m.controller_id;
            replicas_.set_cluster(active_brokers(image_), known_controller_, broker_epoch_);
            for (const ZkPartitionState& s : m.partitions) {
              PartitionAssignment a;
              a.tp = TopicPartitionName{s.topic, s.partition};
              a.replicas = s.replicas;
              a.isr = s.isr;
              a.leader = s.leader;
              a.leader_epoch = s.leader_epoch;
              a.partition_epoch = s.zk_version;
              replicas_.apply(ctx, a);
            }
          }
          ctx.send(from, net::MessageKind::metadata, resp, 32);
        } else if constexpr (std::is_same_v<T, StopReplicaRequest>) {
          StopReplicaResponse resp;
          if (stale(ctx, from, m.controller_epoch, "StopReplica")) {
            resp.error_code = Errc::STALE_CONTROLLER_EPOCH;
          } else {
            for (const auto& [topic, partition] : m.partitions) {
              replicas_.delete_replica(ctx, TopicPartitionName{topic, partition},
                                       "StopReplica (deletePartition=true) from controller " +
                                           std::to_string(m.controller_id) +
                                           ": the partition was reassigned away");
            }
          }
          ctx.send(from, net::MessageKind::metadata, resp, 32);
        } else if constexpr (std::is_same_v<T, UpdateMetadataRequest>) {
          UpdateMetadataResponse resp;
          if (stale(ctx, from, m.controller_epoch, "UpdateMetadata")) {
            resp.error_code = Errc::STALE_CONTROLLER_EPOCH;
          } else {
            apply(&m.live_brokers, m.partitions);
            replicas_.set_cluster(active_brokers(image_), m.controller_id, broker_epoch_);
          }
          ctx.send(from, net::MessageKind::metadata, resp, 32);
        } else if constexpr (std::is_same_v<T, AlterPartitionRequest>) {
          if (controller_ && controller_->active()) {
            controller_->on_alter_partition(ctx, zk_, from, m);
          } else {
            AlterPartitionResponse r;
            r.correlation_id = m.correlation_id;
            r.error_code = Errc::NOT_CONTROLLER;
            r.topic = m.topic;
            r.partition = m.partition;
            ctx.send(from, net::MessageKind::metadata, r, 48);
          }
        } else if constexpr (std::is_same_v<T, AlterPartitionResponse>) {
          replicas_.on_alter_partition_response(ctx, m);
        } else if constexpr (std::is_same_v<T, ProduceRequest>) {
          replicas_.on_produce(ctx, from, std::move(m), env.epoch);
        } else if constexpr (std::is_same_v<T, FetchRequest>) {
          replicas_.on_fetch(ctx, from, std::move(m));
        } else if constexpr (std::is_same_v<T, FetchResponse>) {
          replicas_.on_fetch_response(ctx, from, std::move(m));
        } else if constexpr (std::is_same_v<T, ListOffsetsRequest>) {
          replicas_.on_list_offsets(ctx, from, m);
        } else if constexpr (std::is_same_v<T, MetadataRequest>) {
          ctx.send(from, net::MessageKind::metadata, make_metadata_response(image_, m), 256);
        } else if constexpr (std::is_same_v<T, FindCoordinatorRequest>) {
          ctx.send(from, net::MessageKind::group,
                   find_coordinator(image_, cfg_.config.offsets_topic_num_partitions, m), 48);
        } else if constexpr (std::is_same_v<T, JoinGroupRequest>) {
          groups_.on_join(ctx, replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, SyncGroupRequest>) {
          groups_.on_sync(ctx, replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, HeartbeatRequest>) {
          groups_.on_heartbeat(ctx, from, m);
        } else if constexpr (std::is_same_v<T, LeaveGroupRequest>) {
          groups_.on_leave(ctx, replicas_, from, m);
        } else if constexpr (std::is_same_v<T, OffsetCommitRequest>) {
          groups_.on_offset_commit(ctx, replicas_, from, std::move(m));
        } else if constexpr (std::is_same_v<T, OffsetFetchRequest>) {
          groups_.on_offset_fetch(ctx, from, m);
        } else if constexpr (std::is_same_v<T, InitProducerIdRequest>) {
          InitProducerIdResponse r;
          r.correlation_id = m.correlation_id;
          r.producer_id = (int64_t{cfg_.id} << 32) | next_producer_id_++;
          r.producer_epoch = 0;
          ctx.send(from, net::MessageKind::produce, r, 32);
        } else if constexpr (std::is_same_v<T, ControlledShutdownRequest>) {
          ControlledShutdownResponse resp;
          if (controller_) {
            resp = controller_->on_controlled_shutdown(ctx, zk_, m);
          } else {
            resp.error_code = Errc::NOT_CONTROLLER;
          }
          ctx.send(from, net::MessageKind::metadata, resp, 32);
        } else if constexpr (std::is_same_v<T, ControlledShutdownResponse>) {
          if (!shutting_down_) return;
          if (m.error_code == Errc::NONE && m.partitions_remaining == 0) {
            ctx.stop_self("controlled shutdown complete: it leads no partitions");
          } else {
            ctx.set_timer(sim::Time::from_ms(500), shutdown_retry_timer, 0);
          }
        } else if constexpr (std::is_same_v<T, zk::ZkConnectResponse> ||
                             std::is_same_v<T, zk::ZkResponse> ||
                             std::is_same_v<T, zk::ZkPingResponse> ||
                             std::is_same_v<T, zk::ZkWatchEvent> ||
                             std::is_same_v<T, zk::ZkSessionExpired> ||
                             std::is_same_v<T, zk::ZkConnectionClosed>) {
          zk_.on_message(ctx, from, m);
        }
      },
      payload);
  drain(ctx);
  groups_.sync(ctx, replicas_);
}

void ZkBroker::send_controlled_shutdown(world::Ctx& ctx) {
  if (known_controller_ == kNoLeader) {
    ctx.set_timer(sim::Time::from_ms(500), shutdown_retry_timer, 0);
    return;
  }
  ctx.send(known_controller_, net::MessageKind::metadata,
           ControlledShutdownRequest{cfg_.id, broker_epoch_}, 32);
}

void ZkBroker::on_shutdown(world::Ctx& ctx) {
  shutting_down_ = true;
  if (controller_ || broker_epoch_ < 0) {
    ctx.stop_self("shut down");  // a controller hands over by letting its /controller znode go
    return;
  }
  send_controlled_shutdown(ctx);
}

void ZkBroker::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  if (kind >= ReplicaManager::timer_kind_first && kind <= ReplicaManager::timer_kind_last) {
    replicas_.on_timer(ctx, kind, arg);
  } else if (kind >= group::GroupCoordinator::timer_kind_first &&
             kind <= group::GroupCoordinator::timer_kind_last) {
    groups_.on_timer(ctx, replicas_, kind, arg);
  } else if (kind == shutdown_retry_timer) {
    if (shutting_down_) send_controlled_shutdown(ctx);
  } else if (kind >= ZkController::imbalance_timer && kind <= ZkController::admin_timer) {
    if (controller_) controller_->on_timer(ctx, zk_, kind);
  } else {
    zk_.on_timer(ctx, kind, 0);
  }
  drain(ctx);
  groups_.sync(ctx, replicas_);
}

void ZkBroker::on_disconnect(world::Ctx& ctx, int32_t peer) {
  zk_.on_disconnect(ctx, peer);
  replicas_.on_disconnect(ctx, peer);
  drain(ctx);
  groups_.sync(ctx, replicas_);
}

AdminResult ZkBroker::admin(world::Ctx& ctx, const CreatePartitionsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not the controller"};
  const AdminResult res = controller_->create_partitions(ctx, zk_, r);
  drain(ctx);
  return res;
}

AdminResult ZkBroker::admin(world::Ctx& ctx, const AlterPartitionReassignmentsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not the controller"};
  const AdminResult res = controller_->reassign(ctx, zk_, r);
  drain(ctx);
  return res;
}

AdminResult ZkBroker::admin(world::Ctx& ctx, const IncrementalAlterConfigsRequest& r) {
  if (!controller_) return AdminResult{Errc::NOT_CONTROLLER, "not the controller"};
  const AdminResult res = controller_->alter_configs(ctx, zk_, r);
  drain(ctx);
  return res;
}

// [dynamic configs] ------------------------------------------------------------------------

void ZkBroker::start_config_listener(world::Ctx& ctx) {
  config_listener_ = true;
  drain(ctx);
}

void ZkBroker::listen_config_changes(world::Ctx& ctx) {
  config_listening_ = true;
  // makeSurePersistentPathExists, then ZkNodeChangeNotificationListener's child watch.
  for (const char* p : {"/config", "/config/changes"})
    zk_.submit(ctx, req(ZkOp::create, p));
  config_children_xid_ = zk_.submit(ctx, req(ZkOp::get_children, "/config/changes", "", true));
}

bool ZkBroker::on_config_response(world::Ctx& ctx, const zk::ZkResponse& r) {
  if (r.xid == config_children_xid_) {
    config_children_xid_ = 0;
    if (r.code == Code::NONODE) {
      // Our server has not applied the path's creation yet (reads may lag): watch for it.
      config_exists_xid_ = zk_.submit(ctx, req(ZkOp::exists, "/config/changes", "", true));
      return true;
    }
    for (const std::string& name : r.children) {
      const std::string prefix = "config_change_";
      if (name.rfind(prefix, 0) != 0) continue;
      const int64_t seq = std::atoll(name.c_str() + prefix.size());
      if (seq <= last_config_change_) continue;
      last_config_change_ = seq;
      config_notification_xids_[zk_.submit(ctx, req(ZkOp::get_data, "/config/changes/" + name))] =
          name;
    }
    return true;
  }
  if (r.xid == config_exists_xid_) {
    config_exists_xid_ = 0;
    if (r.code == Code::OK)  // there by now; otherwise its NodeCreated watch brings us back
      config_children_xid_ = zk_.submit(ctx, req(ZkOp::get_children, "/config/changes", "", true));
    return true;
  }
  if (auto it = config_notification_xids_.find(r.xid); it != config_notification_xids_.end()) {
    config_notification_xids_.erase(it);
    const std::string entity = r.code == Code::OK ? parse_config_change_json(r.data) : "";
    const size_t slash = entity.find('/');
    if (slash == std::string::npos) return true;
    ConfigResource res;
    const std::string type = entity.substr(0, slash), name = entity.substr(slash + 1);
    res.type = type == "topics" ? ConfigResourceType::topic : ConfigResourceType::broker;
    res.name = name == "<default>" ? std::string() : name;
    config_entity_xids_[zk_.submit(ctx, req(ZkOp::get_data, "/config/" + entity))] = res;
    return true;
  }
  auto it = config_entity_xids_.find(r.xid);
  if (it == config_entity_xids_.end()) return false;
  const ConfigResource res = it->second;
  config_entity_xids_.erase(it);
  // The znode holds the entity's whole config: replace what we knew of it.
  const DynamicConfigs::Settings* before =
      res.type == ConfigResourceType::topic
          ? dynamic_.topic(res.name)
          : dynamic_.broker(res.name.empty() ? kNoLeader : std::atoi(res.name.c_str()));
  std::vector<std::string> old_keys;
  if (before) {
    for (const auto& [k, v] : *before)
      old_keys.push_back(k);
  }
  for (const std::string& k : old_keys)
    dynamic_.set(res, k, std::nullopt);
  if (r.code == Code::OK) {
    for (const auto& [k, text] : parse_config_json(r.data)) {
      if (auto v = parse_config_value(k, text)) dynamic_.set(res, k, *v);
    }
  }
  replicas_.set_configs(ctx, dynamic_);
  if (controller_) controller_->on_config_change(ctx, zk_, dynamic_, res);
  return true;
}

int ZkBroker::elect_preferred(world::Ctx& ctx, const std::string& partition) {
  if (!controller_) return 0;
  const int moved = controller_->elect_preferred(ctx, zk_, partition);
  drain(ctx);
  return moved;
}

const char* ZkBroker::timer_name(uint16_t kind) {
  switch (static_cast<TimerKind>(kind)) {
    case shutdown_retry_timer:
      return "the controlled shutdown retry";
  }
  for (const char* name :
       {zk::ZkClient::timer_name(kind), ZkController::timer_name(kind),
        ReplicaManager::timer_name(kind), group::GroupCoordinator::timer_name(kind)})
    if (name != nullptr) return name;
  return nullptr;
}

}  // namespace kafkasim::kafka::zkmode
