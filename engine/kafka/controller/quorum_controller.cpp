// The active controller. See quorum_controller.h.
//
// Index:
//   [SECTION] activation and writes
//   [SECTION] timers: no-op records, sessions, preferred leaders, topic creation
//   [SECTION] broker registration and heartbeats
//   [SECTION] partition changes
//   [SECTION] admin requests: partitions, reassignments, configs
#include "kafka/controller/quorum_controller.h"

#include <algorithm>

#include "kafka/metadata/placement.h"
#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

QuorumController::QuorumController(BrokerId self, KafkaConfig cfg, std::vector<TopicSpec> topics,
                                   std::vector<BrokerId> cluster_brokers)
    : self_(self),
      cfg_(cfg),
      topics_(std::move(topics)),
      cluster_brokers_(std::move(cluster_brokers)) {}

void QuorumController::crash() {
  *this = QuorumController(self_, cfg_, topics_, cluster_brokers_);
}

void QuorumController::arm(world::Ctx& ctx, sim::TimerId& id, Time after, uint16_t kind) {
  ctx.cancel(id);
  id = ctx.set_timer(after, kind, 0);
}

// [SECTION] activation and writes
// ------------------------------------------------------------------

void QuorumController::sync(world::Ctx& ctx, raft::Raft& raft, const MetadataImage& committed) {
  const bool can_lead = raft.is_leader() && raft.high_watermark() > raft.epoch_start_offset() &&
                        committed.offset() >= raft.epoch_start_offset();
  if (active() && (!raft.is_leader() || raft.epoch() != active_epoch_)) {
    deactivate(ctx, raft, "quorum leadership moved on");
  }
  if (!active() && can_lead) activate(ctx, raft, committed);
  // Answer what has committed, in write order.
  size_t done = 0;
  while (done < pending_.size() && pending_[done].offset < raft.high_watermark()) {
    ctx.send(pending_[done].to, net::MessageKind::heartbeat, std::move(pending_[done].reply), 64);
    ++done;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<long>(done));
}

void QuorumController::activate(world::Ctx& ctx, raft::Raft& raft, const MetadataImage& committed) {
  active_image_ = committed;
  active_epoch_ = raft.epoch();
  activated_at_ = ctx.now();
  last_write_ = ctx.now();
  last_contact_.clear();
  for (const auto& [id, reg] : committed.brokers())
    last_contact_[id] = ctx.now();  // soft state
  ctx.trace(sim::TraceKind::controller_active,
            ctx.name_of(self_) + " is the active controller (epoch " +
                std::to_string(active_epoch_) + "): its LeaderChangeMessage at offset " +
                std::to_string(raft.epoch_start_offset()) + " committed");
  arm(ctx, noop_timer_, Time::from_ms(cfg_.metadata_max_idle_interval_ms), noop_timer);
  arm(ctx, session_timer_, Time::from_ms(cfg_.broker_session_timeout_ms), session_timer);
  if (cfg_.auto_leader_rebalance_enable) {
    arm(ctx, imbalance_timer_, Time::from_s(cfg_.leader_imbalance_check_interval_seconds),
        imbalance_timer);
  }
  if (active_image_->configs().any_unclean_enabled()) arm_unclean(ctx);
  maybe_create_topics(ctx, raft);
}

void QuorumController::deactivate(world::Ctx& ctx, raft::Raft& raft, const std::string& why) {
  for (PendingReply& p : pending_) {
    // The records may or may not commit under the next leader: the broker must ask again.
    std::visit(
        [&](auto& r) {
          if constexpr (requires {
                          r.error_code;
                          r.controller_hint;
                        }) {
            r.error_code = Errc::NOT_CONTROLLER;
            r.controller_hint = raft.leader_id();
          }
        },
        p.reply);
    ctx.send(p.to, net::MessageKind::heartbeat, std::move(p.reply), 48);
  }
  pending_.clear();
  active_image_.reset();
  ctx.cancel(noop_timer_);
  ctx.cancel(session_timer_);
  ctx.cancel(imbalance_timer_);
  ctx.cancel(admin_timer_);
  ctx.cancel(unclean_timer_);
  ctx.trace(sim::TraceKind::controller_inactive,
            ctx.name_of(self_) + " is no longer the active controller: " + why);
}

Offset QuorumController::write(world::Ctx& ctx, raft::Raft& raft, MetadataRecord record) {
  const Offset o = raft.append(ctx, record);
  active_image_->apply(o, record);
  last_write_ = ctx.now();
  return o;
}

void QuorumController::reply_when_committed(Offset offset, BrokerId to, world::Payload reply) {
  pending_.push_back(PendingReply{offset, to, std::move(reply)});
}

// [SECTION] timers: no-op records, sessions, preferred leaders, topic creation
// ------------------------

void QuorumController::on_timer(world::Ctx& ctx, raft::Raft& raft, uint16_t kind, uint64_t) {
  if (!active()) return;
  switch (kind) {
    case noop_timer: {
      noop_timer_ = {};
      const Time idle = Time::from_ms(cfg_.metadata_max_idle_interval_ms);
      if (ctx.now() - last_write_ >= idle) write(ctx, raft, NoOpRecord{});
      arm(ctx, noop_timer_, idle, noop_timer);
      break;
    }
    case session_timer:
      session_timer_ = {};
      check_sessions(ctx, raft);
      break;
    case imbalance_timer:
      imbalance_timer_ = {};
      elect_preferred(ctx, raft, std::nullopt);
      arm(ctx, imbalance_timer_, Time::from_s(cfg_.leader_imbalance_check_interval_seconds),
          imbalance_timer);
      break;
    case admin_timer:
      admin_timer_ = {};
      maybe_create_topics(ctx, raft);
      break;
    case unclean_timer:
      unclean_timer_ = {};
      elect_unclean_leaderless(ctx, raft);
      if (active_image_->configs().any_unclean_enabled()) arm_unclean(ctx);
      break;
    default:
      break;
  }
}

void QuorumController::check_sessions(world::Ctx& ctx, raft::Raft& raft) {
  const Time timeout = Time::from_ms(cfg_.broker_session_timeout_ms);
  // Fence the stalest expired broker (one at a time, like BrokerHeartbeatManager).
  BrokerId stalest = kNoLeader;
  Time oldest = Time::max();
  for (const auto& [id, reg] : active_image_->brokers()) {
    if (reg.fenced) continue;
    const Time last = last_contact_.count(id) ? last_contact_[id] : activated_at_;
    if (ctx.now() - last >= timeout && last < oldest) {
      oldest = last;
      stalest = id;
    }
  }
  if (stalest != kNoLeader) {
    fence(ctx, raft, stalest,
          "no heartbeat for " + std::to_string((ctx.now() - oldest).ms()) +
              " ms >= broker.session.timeout.ms (" +
              std::to_string(cfg_.broker_session_timeout_ms) + ")");
  }
  // Next check: when the next unfenced broker's session would expire.
  Time next = ctx.now() + timeout;
  for (const auto& [id, reg] : active_image_->brokers()) {
    if (reg.fenced) continue;
    const Time last = last_contact_.count(id) ? last_contact_[id] : activated_at_;
    next = std::min(next, std::max(ctx.now() + Time::from_ms(1), last + timeout));
  }
  arm(ctx, session_timer_, next - ctx.now(), session_timer);
}

void QuorumController::maybe_create_topics(world::Ctx& ctx, raft::Raft& raft) {
  bool waiting = false;
  std::vector<BrokerId> active_brokers;
  for (const auto& [id, reg] : active_image_->brokers()) {
    if (active_image_->is_active(id)) active_brokers.push_back(id);
  }
  const bool everyone_up = std::all_of(cluster_brokers_.begin(), cluster_brokers_.end(),
                                       [&](BrokerId b) { return active_image_->is_active(b); });
  const bool waited = ctx.now() - activated_at_ >= Time::from_ms(kCreateTopicsWaitMs);
  for (const TopicSpec& spec : topics_) {
    if (active_image_->topic(spec.name) != nullptr) continue;
    std::vector<std::vector<BrokerId>> replicas = spec.assignment;
    if (!replicas.empty()) {
      bool ready = true;
      for (const auto& rs : replicas) {
        for (BrokerId b : rs)
          ready = ready && active_image_->is_active(b);
      }
      if (!ready && !(waited && !active_brokers.empty())) {
        waiting = true;
        continue;
      }
    } else {
      if (!(everyone_up || waited) ||
          static_cast<int32_t>(active_brokers.size()) < spec.replication_factor) {
        waiting = true;
        continue;
      }
      std::map<BrokerId, std::string> racks;
      for (BrokerId b : active_brokers) {
        const std::string& r = active_image_->broker(b)->rack;
        if (!r.empty()) racks[b] = r;
      }
      auto placed = assign_replicas(spec.partitions, spec.replication_factor, active_brokers, racks,
                                    ctx.rng());
      if (!placed) {
        ctx.trace(sim::TraceKind::note, "cannot create topic " + spec.name + ": " + placed.error());
        continue;
      }
      replicas = *placed;
    }
    const auto id = static_cast<TopicId>(active_image_->topics().size());
    write(ctx, raft, TopicRecord{spec.name, id});
    std::string where;
    for (size_t p = 0; p < replicas.size(); ++p) {
      PartitionRecord pr;
      pr.topic_id = id;
      pr.partition_id = static_cast<int32_t>(p);
      pr.replicas = replicas[p];
      for (BrokerId b : replicas[p]) {
        if (active_image_->is_active(b)) pr.isr.push_back(b);
      }
      if (pr.isr.empty()) pr.isr = {replicas[p][0]};  // waits, leaderless, for its first replica
      pr.leader = active_image_->is_active(pr.isr[0]) ? pr.isr[0] : kNoLeader;
      write(ctx, raft, pr);
      where += (p ? ", " : "") + spec.name + "-" + std::to_string(p) + " " + to_string(replicas[p]);
    }
    ctx.trace(sim::TraceKind::topic_created,
              "topic " + spec.name + " created with " + std::to_string(spec.partitions) +
                  " partitions, replication factor " + std::to_string(spec.replication_factor) +
                  ": " + where);
  }
  if (waiting) arm(ctx, admin_timer_, Time::from_ms(500), admin_timer);
}

// [SECTION] broker registration and heartbeats
// --------------------------------------------------------

void QuorumController::on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from,
                                  const BrokerRegistrationRequest& m) {
  BrokerRegistrationResponse resp;
  resp.correlation_id = m.correlation_id;
  resp.controller_hint = raft.leader_id();
  if (!active()) {
    resp.error_code = Errc::NOT_CONTROLLER;
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
    return;
  }
  const BrokerRegistration* reg = active_image_->broker(m.broker_id);
  if (reg != nullptr && reg->incarnation_id == m.incarnation_id) {
    resp.broker_epoch = reg->epoch;  // a retry of a registration we already wrote
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
    return;
  }
  const Time timeout = Time::from_ms(cfg_.broker_session_timeout_ms);
  if (reg != nullptr && !reg->fenced && last_contact_.count(m.broker_id) &&
      ctx.now() - last_contact_[m.broker_id] < timeout) {
    resp.error_code = Errc::DUPLICATE_BROKER_REGISTRATION;  // the old session is still alive
    ctx.trace(sim::TraceKind::broker_registered,
              "refuses a new registration of " + ctx.name_of(m.broker_id) +
                  ": its previous session (broker epoch " + std::to_string(reg->epoch) +
                  ") has not expired (DUPLICATE_BROKER_REGISTRATION)");
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
    return;
  }
  if (reg != nullptr && !reg->fenced) {
    fence(ctx, raft, m.broker_id, "it registered again with a new incarnation");
  }
  const Offset o =
      write(ctx, raft, RegisterBrokerRecord{m.broker_id, m.incarnation_id, m.rack, true});
  last_contact_[m.broker_id] = ctx.now();
  ctx.trace(sim::TraceKind::broker_registered,
            ctx.name_of(m.broker_id) + " registered with broker epoch " + std::to_string(o) +
                " (the offset of its RegisterBrokerRecord); fenced until it catches up");
  resp.broker_epoch = o;
  reply_when_committed(o, from, resp);
  arm(ctx, session_timer_, Time::from_ms(1), session_timer);
}

void QuorumController::on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from,
                                  const BrokerHeartbeatRequest& m) {
  BrokerHeartbeatResponse resp;
  resp.correlation_id = m.correlation_id;
  resp.controller_hint = raft.leader_id();
  if (!active()) {
    resp.error_code = Errc::NOT_CONTROLLER;
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
    return;
  }
  const BrokerRegistration* reg = active_image_->broker(m.broker_id);
  if (reg == nullptr) {
    resp.error_code = Errc::BROKER_ID_NOT_REGISTERED;
  } else if (reg->epoch != m.broker_epoch) {
    resp.error_code = Errc::STALE_BROKER_EPOCH;
  }
  if (resp.error_code != Errc::NONE) {
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
    return;
  }
  last_contact_[m.broker_id] = ctx.now();
  std::optional<Offset> wrote;
  if (reg->fenced) {
    resp.is_caught_up = m.current_metadata_offset >= reg->epoch;
    if (m.want_shut_down) {
      resp.should_shut_down = true;
    } else if (!m.want_fence && resp.is_caught_up) {
      unfence(ctx, raft, m.broker_id);
      wrote = raft.log().end_offset() - 1;
      resp.is_fenced = false;
    }
  } else {
    resp.is_caught_up = true;
    resp.is_fenced = false;
    if (m.want_shut_down) {
      if (!reg->in_controlled_shutdown) {
        const BrokerId b = m.broker_id;
        write(ctx, raft, BrokerRegistrationChangeRecord{b, reg->epoch, true});
        ctx.trace(sim::TraceKind::broker_shutdown,
                  ctx.name_of(b) + " begins a controlled shutdown: its leaderships move first");
        move_away_from(ctx, raft, b, ctx.name_of(b) + " is shutting down");
        wrote = raft.log().end_offset() - 1;
      }
      resp.should_shut_down = !leads_anything(m.broker_id);
    } else if (m.want_fence) {
      fence(ctx, raft, m.broker_id, "it asked to be fenced");
      wrote = raft.log().end_offset() - 1;
      resp.is_fenced = true;
    }
  }
  if (wrote) {
    reply_when_committed(*wrote, from, resp);
  } else {
    ctx.send(from, net::MessageKind::heartbeat, resp, 48);
  }
}

void QuorumController::fence(world::Ctx& ctx, raft::Raft& raft, BrokerId b,
                             const std::string& why) {
  const BrokerRegistration* reg = active_image_->broker(b);
  if (reg == nullptr || reg->fenced) return;
  write(ctx, raft, FenceBrokerRecord{b, reg->epoch});
  ctx.trace(sim::TraceKind::broker_fenced, ctx.name_of(b) + " fenced: " + why);
  move_away_from(ctx, raft, b, ctx.name_of(b) + " was fenced");
}

void QuorumController::unfence(world::Ctx& ctx, raft::Raft& raft, BrokerId b) {
  const BrokerRegistration* reg = active_image_->broker(b);
  write(ctx, raft, UnfenceBrokerRecord{b, reg->epoch});
  ctx.trace(sim::TraceKind::broker_unfenced,
            ctx.name_of(b) + " unfenced: it caught up with the metadata log to its registration");
  elect_leaderless(ctx, raft, ctx.name_of(b) + " was unfenced");
  maybe_create_topics(ctx, raft);
}

bool QuorumController::leads_anything(BrokerId b) const {
  for (const TopicImage& t : active_image_->topics()) {
    for (const PartitionRegistration& p : t.partitions) {
      if (p.leader == b) return true;
    }
  }
  return false;
}

// [SECTION] partition changes
// ------------------------------------------------------------------------

Election QuorumController::default_election(TopicId topic) const {
  const TopicImage* t = active_image_->topic(topic);
  if (t == nullptr)
    return cfg_.unclean_leader_election_enable ? Election::unclean : Election::online;
  return unclean_enabled(t->name) ? Election::unclean : Election::online;
}

bool QuorumController::unclean_enabled(const std::string& topic) const {
  std::optional<bool> static_topic;
  for (const TopicSpec& s : topics_) {
    if (s.name == topic && s.unclean_leader_election_enable)
      static_topic = s.unclean_leader_election_enable;
  }
  return active_image_->configs().unclean_leader_election_enable(
      topic, self_, cfg_.unclean_leader_election_enable, static_topic);
}

bool QuorumController::apply_change(world::Ctx& ctx, raft::Raft& raft, TopicPartition tp,
                                    const PartitionChangeBuilder& builder, const std::string& why,
                                    std::optional<LeaderRecoveryState> recovery) {
  std::optional<PartitionChangeRecord> rec = builder.build();
  const PartitionRegistration before = builder.partition;
  if (recovery && *recovery != before.leader_recovery_state) {
    if (!rec) {
      rec = PartitionChangeRecord{};
      rec->topic_id = tp.topic;
      rec->partition_id = tp.partition;
    }
    rec->leader_recovery_state = *recovery;
  }
  if (!rec) return false;
  write(ctx, raft, *rec);
  const PartitionRegistration& after = *active_image_->partition(tp);
  if (after.leader != before.leader) {
    std::string text = pname(tp) + " leader " + std::to_string(before.leader) + " -> " +
                       std::to_string(after.leader) + " (leader epoch " +
                       std::to_string(after.leader_epoch) + ", " + election_name(builder.election) +
                       " election: " + why + ")";
    if (after.leader == kNoLeader) text += "; no ISR member is available, the partition is offline";
    if (after.leader_recovery_state == LeaderRecoveryState::RECOVERING) {
      text += "; UNCLEAN: " + std::to_string(after.leader) +
              " was not in the ISR, committed records may be lost";
    }
    ctx.trace(sim::TraceKind::leader_change, std::move(text));
  }
  if (rec->isr) {
    ctx.trace(sim::TraceKind::isr_change,
              pname(tp) + " ISR " + to_string(before.isr) + " -> " + to_string(after.isr) +
                  " (partition epoch " + std::to_string(after.partition_epoch) + ": " + why + ")");
  }
  if (!before.is_reassigning() && after.is_reassigning()) {
    ctx.trace(sim::TraceKind::reassignment,
              pname(tp) + " reassignment begins: replicas " + to_string(before.replicas) + " -> " +
                  to_string(after.replicas) + " (adding " + to_string(after.adding_replicas) +
                  ", removing " + to_string(after.removing_replicas) +
                  "); it completes once every target replica is in the ISR");
  } else if (!after.is_reassigning() &&
             (before.is_reassigning() || before.replicas != after.replicas)) {
    std::string text = pname(tp) + " reassignment complete: replicas " +
                       to_string(before.replicas) + " -> " + to_string(after.replicas) + ", ISR " +
                       to_string(before.isr) + " -> " + to_string(after.isr) + ", leader " +
                       std::to_string(after.leader) + " (leader epoch " +
                       std::to_string(after.leader_epoch) + ")";
    std::vector<BrokerId> gone;
    for (BrokerId b : before.replicas) {
      if (!after.is_replica(b)) gone.push_back(b);
    }
    if (!gone.empty()) text += "; " + to_string(gone) + " stop and delete their replicas";
    ctx.trace(sim::TraceKind::reassignment, text + " (" + why + ")");
  }
  return true;
}

PartitionChangeBuilder QuorumController::builder_for(
    TopicPartition tp, std::optional<std::vector<BrokerId>> target_isr, Election election) const {
  return PartitionChangeBuilder{*active_image_->partition(tp),
                                tp.topic,
                                tp.partition,
                                [this](BrokerId x) { return active_image_->is_active(x); },
                                std::move(target_isr),
                                std::nullopt,
                                election};
}

std::vector<TopicPartition> QuorumController::all_partitions() const {
  std::vector<TopicPartition> out;
  for (const TopicImage& t : active_image_->topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p)
      out.push_back({t.id, static_cast<int32_t>(p)});
  }
  return out;
}

void QuorumController::move_away_from(world::Ctx& ctx, raft::Raft& raft, BrokerId b,
                                      const std::string& why) {
  for (const TopicPartition tp : all_partitions()) {
    const PartitionRegistration part = *active_image_->partition(tp);
    if (!part.in_isr(b) && part.leader != b) continue;
    std::vector<BrokerId> isr;
    for (BrokerId r : part.isr) {
      if (r != b) isr.push_back(r);
    }
    if (isr.empty()) isr = part.isr;  // without ELR the last ISR member is kept (leader -1)
    apply_change(ctx, raft, tp, builder_for(tp, isr, default_election(tp.topic)), why);
  }
}

void QuorumController::elect_leaderless(world::Ctx& ctx, raft::Raft& raft, const std::string& why) {
  for (const TopicPartition tp : all_partitions()) {
    if (active_image_->partition(tp)->has_leader()) continue;
    apply_change(ctx, raft, tp, builder_for(tp, std::nullopt, default_election(tp.topic)), why);
  }
}

int QuorumController::elect_preferred(world::Ctx& ctx, raft::Raft& raft,
                                      std::optional<TopicPartition> only) {
  if (!active()) return 0;
  int moved = 0;
  for (const TopicImage& t : std::vector<TopicImage>(active_image_->topics())) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const TopicPartition tp{t.id, static_cast<int32_t>(p)};
      if (only && !(*only == tp)) continue;
      const PartitionRegistration part = t.partitions[p];
      if (part.replicas.empty() || part.leader == part.replicas[0]) continue;
      PartitionChangeBuilder builder{part,
                                     t.id,
                                     static_cast<int32_t>(p),
                                     [&](BrokerId x) { return active_image_->is_active(x); },
                                     std::nullopt,
                                     std::nullopt,
                                     Election::preferred};
      if (builder.elect_leader().leader == part.replicas[0]) {
        moved += apply_change(ctx, raft, tp, builder,
                              "preferred replica " + std::to_string(part.replicas[0]) +
                                  " is back in the ISR")
                     ? 1
                     : 0;
      }
    }
  }
  return moved;
}

void QuorumController::on_message(world::Ctx& ctx, raft::Raft& raft, BrokerId from,
                                  const AlterPartitionRequest& m) {
  AlterPartitionResponse resp;
  resp.correlation_id = m.correlation_id;
  resp.topic = m.topic;
  resp.partition = m.partition;
  resp.controller_hint = raft.leader_id();
  const BrokerRegistration* reg = active() ? active_image_->broker(m.broker_id) : nullptr;
  const TopicImage* topic = active() ? active_image_->topic(m.topic) : nullptr;
  const TopicPartition tp{topic ? topic->id : 0, m.partition};
  const PartitionRegistration* p = topic ? active_image_->partition(tp) : nullptr;
  if (!active()) {
    resp.error_code = Errc::NOT_CONTROLLER;
  } else if (reg == nullptr || reg->epoch != m.broker_epoch) {
    resp.error_code = Errc::STALE_BROKER_EPOCH;
  } else if (p == nullptr) {
    resp.error_code = Errc::UNKNOWN_TOPIC_OR_PARTITION;
  } else if (p->leader != m.broker_id) {
    resp.error_code = Errc::NOT_LEADER_OR_FOLLOWER;
  } else if (m.leader_epoch != p->leader_epoch) {
    resp.error_code = Errc::FENCED_LEADER_EPOCH;
  } else if (m.partition_epoch != p->partition_epoch) {
    resp.error_code = Errc::INVALID_UPDATE_VERSION;
  } else {
    for (BrokerId b : m.new_isr) {
      if (!p->is_replica(b))
        resp.error_code = Errc::INVALID_REQUEST;
      else if (b != m.broker_id && !active_image_->is_active(b))
        resp.error_code = Errc::INELIGIBLE_REPLICA;
    }
  }
  if (resp.error_code != Errc::NONE) {
    ctx.send(from, net::MessageKind::metadata, resp, 48);
    return;
  }
  const PartitionRegistration before = *p;
  PartitionChangeBuilder builder{
      before,          tp.topic,
      tp.partition,    [&](BrokerId x) { return active_image_->is_active(x); },
      m.new_isr,       std::nullopt,
      Election::online};
  std::string why = "AlterPartition from leader " + std::to_string(m.broker_id);
  if (before.is_reassigning() && builder.completed_reassignment()) {
    why += " puts every target replica in the ISR: the reassignment completes";
  }
  const bool changed = apply_change(ctx, raft, tp, builder, why, m.leader_recovery_state);
  const PartitionRegistration& after = *active_image_->partition(tp);
  if (after.leader != m.broker_id) {
    // The change completed a reassignment that moved the leadership away. It is applied, but
    // the asking broker is no longer the leader: it learns the new state from the metadata
    // (ReplicationControlManager.alterPartition), and meanwhile keeps its change pending.
    resp.error_code = Errc::NEW_LEADER_ELECTED;
  } else {
    resp.leader_id = after.leader;
    resp.leader_epoch = after.leader_epoch;
    resp.isr = after.isr;
    resp.partition_epoch = after.partition_epoch;
    resp.leader_recovery_state = after.leader_recovery_state;
  }
  if (changed) {
    reply_when_committed(raft.log().end_offset() - 1, from, resp);
  } else {
    ctx.send(from, net::MessageKind::metadata, resp, 64);
  }
}

// [SECTION] admin requests: partitions, reassignments, configs
// ----------------------------------------------------

AdminResult QuorumController::refuse(world::Ctx& ctx, const std::string& api,
                                     const std::string& what, Errc e, std::string message) const {
  ctx.trace(sim::TraceKind::admin_error,
            api + " (" + what + ") refused: " + std::string(errc_name(e)) + ": " + message);
  return AdminResult{e, std::move(message)};
}

AdminResult QuorumController::create_partitions(world::Ctx& ctx, raft::Raft& raft,
                                                const CreatePartitionsRequest& r) {
  const std::string api = "CreatePartitions";
  const std::string what = r.topic + " to " + std::to_string(r.count) + " partitions";
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the active controller");
  const TopicImage* t = active_image_->topic(r.topic);
  if (t == nullptr)
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION, "no topic named " + r.topic);
  const auto current = static_cast<int32_t>(t->partitions.size());
  if (r.count == current) {
    return refuse(ctx, api, what, Errc::INVALID_PARTITIONS,
                  "Topic already has " + std::to_string(current) + " partition(s).");
  }
  if (r.count < current) {
    return refuse(ctx, api, what, Errc::INVALID_PARTITIONS,
                  "The topic " + r.topic + " currently has " + std::to_string(current) +
                      " partition(s); " + std::to_string(r.count) + " would not be an increase.");
  }
  // The replication factor of the topic: partition 0's (its target, if it is being moved).
  const PartitionRegistration& first = t->partitions[0];
  const auto rf = static_cast<int32_t>(first.replicas.size() - first.removing_replicas.size());
  std::vector<BrokerId> usable;
  std::map<BrokerId, std::string> racks;
  for (const auto& [id, reg] : active_image_->brokers()) {
    if (!active_image_->is_active(id)) continue;
    usable.push_back(id);
    if (!reg.rack.empty()) racks[id] = reg.rack;
  }
  if (static_cast<int32_t>(usable.size()) < rf) {
    return refuse(ctx, api, what, Errc::INVALID_REPLICATION_FACTOR,
                  "Unable to replicate the partition " + std::to_string(rf) + " times: only " +
                      std::to_string(usable.size()) +
                      " broker(s) are unfenced and not shutting down");
  }
  auto placed = assign_replicas(r.count - current, rf, usable, racks, ctx.rng(), -1, current);
  if (!placed) return refuse(ctx, api, what, Errc::INVALID_REPLICATION_FACTOR, placed.error());
  const TopicId id = t->id;
  std::string where;
  for (size_t i = 0; i < placed->size(); ++i) {
    PartitionRecord pr;
    pr.topic_id = id;
    pr.partition_id = current + static_cast<int32_t>(i);
    pr.replicas = (*placed)[i];
    pr.isr = pr.replicas;  // every replica is on a usable broker
    pr.leader = pr.isr[0];
    write(ctx, raft, pr);
    where += (i ? ", " : "") + r.topic + "-" + std::to_string(pr.partition_id) + " " +
             to_string(pr.replicas);
  }
  ctx.trace(sim::TraceKind::partitions_added,
            "add partitions to " + r.topic + ": " + std::to_string(current) + " -> " +
                std::to_string(r.count) + " (PartitionRecords; placed like a new topic's" +
                (racks.size() == usable.size() && !racks.empty() ? ", rack-aware" : "") +
                "; each leads from its first replica): " + where);
  return AdminResult{};
}

AdminResult QuorumController::alter_partition_reassignments(
    world::Ctx& ctx, raft::Raft& raft, const AlterPartitionReassignmentsRequest& r) {
  const std::string api = "AlterPartitionReassignments";
  const std::string name = r.topic + "-" + std::to_string(r.partition);
  const std::string what = name + " to " + to_string(r.replicas);
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the active controller");
  const TopicImage* t = active_image_->topic(r.topic);
  if (t == nullptr || r.partition < 0 || static_cast<size_t>(r.partition) >= t->partitions.size()) {
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION,
                  "Unable to find partition " + r.topic + ":" + std::to_string(r.partition) + ".");
  }
  // validateManualPartitionAssignment
  if (r.replicas.empty()) {
    return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                  "The manual partition assignment includes an empty replica list.");
  }
  std::vector<BrokerId> sorted = r.replicas;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (active_image_->broker(sorted[i]) == nullptr) {
      return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes broker " + std::to_string(sorted[i]) +
                        ", but no such broker is registered.");
    }
    if (i > 0 && sorted[i] == sorted[i - 1]) {
      return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                    "The manual partition assignment includes the broker " +
                        std::to_string(sorted[i]) + " more than once.");
    }
  }
  const TopicPartition tp{t->id, r.partition};
  const PartitionRegistration& part = *active_image_->partition(tp);
  const auto re = PartitionChangeBuilder::reassignment(part.replicas, r.replicas);
  PartitionChangeBuilder builder = builder_for(tp, std::nullopt, Election::online);
  builder.target_replicas = re.replicas;
  builder.target_removing = re.removing;
  builder.target_adding = re.adding;
  if (!apply_change(ctx, raft, tp, builder,
                    "kafka-reassign-partitions asked for " + to_string(r.replicas))) {
    ctx.trace(sim::TraceKind::reassignment,
              name + " already has replicas " + to_string(part.replicas) + ": nothing to move");
  }
  return AdminResult{};
}

AdminResult QuorumController::incremental_alter_configs(world::Ctx& ctx, raft::Raft& raft,
                                                        const IncrementalAlterConfigsRequest& r) {
  const std::string api = "IncrementalAlterConfigs";
  const std::string what = r.resource.describe() + ": " + r.name + "=" + config_value_text(r.value);
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the active controller");
  if (auto ok = check_dynamic_config(r.resource.type, r.name, r.value); !ok)
    return refuse(ctx, api, what, Errc::INVALID_CONFIG, ok.error());
  if (r.resource.type == ConfigResourceType::topic &&
      active_image_->topic(r.resource.name) == nullptr)
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION,
                  "no topic named " + r.resource.name);
  const Offset o = write(ctx, raft, ConfigRecord{r.resource, r.name, r.value});
  std::string text = what + " (ConfigRecord at offset " + std::to_string(o) +
                     "; each broker applies it when it replays that record)";
  const bool* on = std::get_if<bool>(&r.value);
  if (r.name == "unclean.leader.election.enable" && on && *on) {
    text += "; leaderless partitions get an unclean election at the next check, every " +
            std::to_string(cfg_.unclean_leader_election_interval_ms) +
            " ms (unclean.leader.election.interval.ms)";
    if (!unclean_timer_.armed()) arm_unclean(ctx);
  }
  ctx.trace(sim::TraceKind::config_change, std::move(text));
  return AdminResult{};
}

void QuorumController::arm_unclean(world::Ctx& ctx) {
  arm(ctx, unclean_timer_,
      Time::from_ms(std::max<int64_t>(1, cfg_.unclean_leader_election_interval_ms)), unclean_timer);
}

void QuorumController::elect_unclean_leaderless(world::Ctx& ctx, raft::Raft& raft) {
  for (const TopicPartition tp : all_partitions()) {
    if (active_image_->partition(tp)->has_leader()) continue;
    const std::string topic = active_image_->topic(tp.topic)->name;
    if (!unclean_enabled(topic)) continue;
    apply_change(ctx, raft, tp, builder_for(tp, std::nullopt, Election::unclean),
                 "unclean.leader.election.enable is true for " + topic +
                     " (periodic check, unclean.leader.election.interval.ms)");
  }
}

const char* QuorumController::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case noop_timer:
      return "the controller's no-op record timer";
    case session_timer:
      return "the broker session check";
    case imbalance_timer:
      return "the leader imbalance check";
    case admin_timer:
      return "the admin action retry";
    case unclean_timer:
      return "the unclean election check";
    case timer_kind_max:
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka
