// The ZooKeeper-mode controller. See zk_controller.h.
//
// Index:
//   [SECTION] election: /controller_epoch
//   [SECTION] loading state from ZooKeeper
//   [SECTION] broker changes and elections
//   [SECTION] writes and announcements
//   [SECTION] operator actions and topic creation
#include "kafka/zkmode/zk_controller.h"

#include <algorithm>
#include <cstdlib>

#include "kafka/metadata/placement.h"
#include "world/world.h"

namespace kafkasim::kafka::zkmode {

using sim::Time;
using zk::Code;
using zk::ZkOp;
using zk::ZkRequest;

namespace {
bool contains(const std::vector<BrokerId>& v, BrokerId b) {
  return std::find(v.begin(), v.end(), b) != v.end();
}
ZkRequest req(ZkOp op, std::string path, std::string data = "", bool watch = false) {
  ZkRequest r;
  r.op = op;
  r.path = std::move(path);
  r.data = std::move(data);
  r.watch = watch;
  return r;
}
}  // namespace

ZkController::ZkController(BrokerId self, KafkaConfig cfg, std::vector<TopicSpec> topics,
                           std::vector<BrokerId> cluster_brokers)
    : self_(self),
      cfg_(cfg),
      topics_(std::move(topics)),
      cluster_brokers_(std::move(cluster_brokers)) {}

int64_t ZkController::request(world::Ctx& ctx, zk::ZkClient& zk, ZkRequest r, Pending p) {
  const int64_t xid = zk.submit(ctx, std::move(r));
  pending_[xid] = std::move(p);
  return xid;
}

std::string ZkController::state_path(const std::string& t, int32_t p) const {
  return "/brokers/topics/" + t + "/partitions/" + std::to_string(p) + "/state";
}

bool ZkController::unclean(const std::string& topic) const {
  for (const TopicSpec& s : topics_) {
    if (s.name == topic && s.unclean_leader_election_enable)
      return *s.unclean_leader_election_enable;
  }
  return cfg_.unclean_leader_election_enable;
}

void ZkController::resign(world::Ctx& ctx, const std::string& why) {
  if (state_ == State::resigned) return;
  state_ = State::resigned;
  ctx.cancel(imbalance_timer_);
  ctx.cancel(admin_timer_);
  ctx.trace(sim::TraceKind::controller_inactive,
            ctx.name_of(self_) + " is no longer the controller: " + why);
}

// [SECTION] election: /controller_epoch
// ---------------------------------------------------------------

void ZkController::start(world::Ctx& ctx, zk::ZkClient& zk) {
  state_ = State::bumping_epoch;
  request(ctx, zk, req(ZkOp::get_data, "/controller_epoch"), {Purpose::read_epoch});
}

void ZkController::on_response(world::Ctx& ctx, zk::ZkClient& zk, const zk::ZkResponse& r) {
  const auto it = pending_.find(r.xid);
  if (it == pending_.end()) return;
  const Pending p = it->second;
  pending_.erase(it);
  if (state_ == State::resigned) return;
  if (r.code == Code::CONNECTIONLOSS) {
    // The outcome of this request is unknown: start over through a new election rather than
    // act on a partial view (Kafka's triggerControllerMove).
    resign(ctx, "lost its ZooKeeper connection in the middle of an operation");
    return;
  }
  switch (p.purpose) {
    case Purpose::read_epoch:
      if (r.code == Code::NONODE) {
        ZkRequest c = req(ZkOp::create, "/controller_epoch", "1");
        request(ctx, zk, c, {Purpose::create_epoch});
      } else if (r.code == Code::OK) {
        epoch_ = std::atoi(r.data.c_str()) + 1;
        ZkRequest s = req(ZkOp::set_data, "/controller_epoch", std::to_string(epoch_));
        s.version = r.stat.version;
        request(ctx, zk, s, {Purpose::bump_epoch});
      } else {
        resign(ctx, std::string("cannot read /controller_epoch: ") + zk::code_name(r.code));
      }
      break;
    case Purpose::create_epoch:
    case Purpose::bump_epoch:
      if (r.code == Code::NODEEXISTS) {
        request(ctx, zk, req(ZkOp::get_data, "/controller_epoch"), {Purpose::read_epoch});
        break;
      }
      if (r.code != Code::OK) {
        resign(ctx, std::string("another controller moved /controller_epoch first (") +
                        zk::code_name(r.code) + ")");
        break;
      }
      if (p.purpose == Purpose::create_epoch) epoch_ = 1;
      epoch_zk_version_ = r.stat.version;
      ctx.trace(sim::TraceKind::controller_active,
                ctx.name_of(self_) +
                    " won the race for /controller and is the controller (controller epoch " +
                    std::to_string(epoch_) + ", written to /controller_epoch)");
      state_ = State::loading;
      loads_outstanding_ = 2;
      request(ctx, zk, req(ZkOp::get_children, "/brokers/ids", "", true), {Purpose::broker_ids});
      request(ctx, zk, req(ZkOp::get_children, "/brokers/topics", "", true), {Purpose::topic_ids});
      break;
    case Purpose::broker_ids: {
      std::vector<BrokerId> ids;
      for (const std::string& c : r.children)
        ids.push_back(std::atoi(c.c_str()));
      if (state_ == State::loading) {
        --loads_outstanding_;
        for (BrokerId b : ids) {
          ++loads_outstanding_;
          request(ctx, zk, req(ZkOp::get_data, "/brokers/ids/" + std::to_string(b)),
                  {Purpose::broker_data, "", 0, b});
        }
        finish_loading(ctx, zk);
      } else if (state_ == State::active) {
        on_brokers_changed(ctx, zk, ids);
      }
      break;
    }
    case Purpose::broker_data: {
      if (r.code == Code::OK) {
        std::string rack;
        if (r.data.rfind("rack=", 0) == 0) rack = r.data.substr(5);
        const bool fresh = !live_.count(p.broker);
        live_[p.broker] = LiveBroker{p.broker, r.stat.czxid, rack};
        if (state_ == State::active && fresh) {
          shutting_down_.erase(p.broker);
          // onBrokerStartup: the returning broker learns every partition it hosts.
          full_state_for_.insert(p.broker);
          ctx.trace(sim::TraceKind::broker_registered,
                    ctx.name_of(self_) + " sees " + ctx.name_of(p.broker) +
                        " in /brokers/ids (broker epoch " + std::to_string(r.stat.czxid) +
                        ", the czxid of its znode)");
          elect_offline(ctx, zk, ctx.name_of(p.broker) + " came back");
          maybe_create_topics(ctx, zk);
          broadcast_due_ = true;
          maybe_broadcast(ctx);
        }
      }
      if (state_ == State::loading) {
        --loads_outstanding_;
        finish_loading(ctx, zk);
      }
      break;
    }
    case Purpose::topic_ids:
      if (state_ != State::loading) break;
      --loads_outstanding_;
      for (const std::string& t : r.children) {
        ++loads_outstanding_;
        request(ctx, zk, req(ZkOp::get_data, "/brokers/topics/" + t), {Purpose::topic_data, t});
      }
      finish_loading(ctx, zk);
      break;
    case Purpose::topic_data: {
      std::vector<std::vector<BrokerId>> replicas;
      if (r.code == Code::OK && parse_assignment_json(r.data, replicas)) {
        assignment_[p.topic] = replicas;
        for (size_t i = 0; i < replicas.size(); ++i) {
          ++loads_outstanding_;
          request(ctx, zk, req(ZkOp::get_data, state_path(p.topic, static_cast<int32_t>(i))),
                  {Purpose::partition_state, p.topic, static_cast<int32_t>(i)});
        }
      }
      --loads_outstanding_;
      finish_loading(ctx, zk);
      break;
    }
    case Purpose::partition_state: {
      ZkPartitionState s;
      if (r.code == Code::OK && parse_state_json(r.data, s)) {
        s.topic = p.topic;
        s.partition = p.partition;
        s.replicas = assignment_[p.topic][p.partition];
        s.zk_version = r.stat.version;
        states_[{p.topic, p.partition}] = s;
      }
      --loads_outstanding_;
      finish_loading(ctx, zk);
      break;
    }
    case Purpose::write_state:
    case Purpose::create_state:
      --writes_outstanding_;
      if (r.code == Code::OK) {
        states_[{p.topic, p.partition}].zk_version = r.stat.version;
        if (auto ar = alter_replies_.find({p.topic, p.partition}); ar != alter_replies_.end()) {
          const ZkPartitionState& st = states_[{p.topic, p.partition}];
          AlterPartitionResponse resp;
          resp.correlation_id = ar->second.second;
          resp.topic = p.topic;
          resp.partition = p.partition;
          resp.leader_id = st.leader;
          resp.leader_epoch = st.leader_epoch;
          resp.isr = st.isr;
          resp.partition_epoch = st.zk_version;
          ctx.send(ar->second.first, net::MessageKind::metadata, resp, 64);
          alter_replies_.erase(ar);
        }
      } else if (p.purpose == Purpose::write_state) {
        resign(ctx, std::string("a partition-state write fenced by /controller_epoch failed (") +
                        zk::code_name(r.code) + "): another controller has taken over");
        break;
      }
      maybe_broadcast(ctx);
      break;
    case Purpose::create_topic:
      break;
  }
}

// [SECTION] loading state from ZooKeeper
// --------------------------------------------------------------

void ZkController::finish_loading(world::Ctx& ctx, zk::ZkClient& zk) {
  if (state_ != State::loading || loads_outstanding_ > 0) return;
  state_ = State::active;
  active_since_ = ctx.now();
  ctx.trace(sim::TraceKind::note, ctx.name_of(self_) + " loaded " + std::to_string(live_.size()) +
                                      " live brokers and " + std::to_string(states_.size()) +
                                      " partition states from ZooKeeper");
  std::set<BrokerId> dead;
  for (const auto& [key, s] : states_) {
    for (BrokerId b : s.isr) {
      if (!live(b)) dead.insert(b);
    }
    if (s.leader != kNoLeader && !live(s.leader)) dead.insert(s.leader);
  }
  if (!dead.empty()) handle_failed_brokers(ctx, zk, dead);
  elect_offline(ctx, zk, "controller failover");
  // A new controller tells every live broker the state of all its partitions; brokers ignore
  // what they already know (same leader epoch).
  for (const auto& [b, lb] : live_)
    full_state_for_.insert(b);
  broadcast_due_ = true;
  maybe_broadcast(ctx);
  if (cfg_.auto_leader_rebalance_enable) {
    imbalance_timer_ = ctx.set_timer(Time::from_s(cfg_.leader_imbalance_check_interval_seconds),
                                     imbalance_timer, 0);
  }
  maybe_create_topics(ctx, zk);
}

void ZkController::on_watch(world::Ctx& ctx, zk::ZkClient& zk, const zk::ZkWatchEvent& w) {
  if (state_ != State::active && state_ != State::loading) return;
  if (w.path == "/brokers/ids" && w.type == zk::EventType::NodeChildrenChanged) {
    request(ctx, zk, req(ZkOp::get_children, "/brokers/ids", "", true), {Purpose::broker_ids});
  }
}

// [SECTION] broker changes and elections
// --------------------------------------------------------------

void ZkController::on_brokers_changed(world::Ctx& ctx, zk::ZkClient& zk,
                                      const std::vector<BrokerId>& now) {
  std::set<BrokerId> dead;
  for (const auto& [b, lb] : live_) {
    if (!contains(now, b)) dead.insert(b);
  }
  for (BrokerId b : dead) {
    live_.erase(b);
    ctx.trace(
        sim::TraceKind::broker_fenced,
        ctx.name_of(self_) + " sees " + ctx.name_of(b) +
            " gone from /brokers/ids: its ZooKeeper session ended (zookeeper.session.timeout.ms)");
  }
  if (!dead.empty()) handle_failed_brokers(ctx, zk, dead);
  for (BrokerId b : now) {
    if (!live(b))
      request(ctx, zk, req(ZkOp::get_data, "/brokers/ids/" + std::to_string(b)),
              {Purpose::broker_data, "", 0, b});
  }
  broadcast_due_ = broadcast_due_ || !dead.empty();
  maybe_broadcast(ctx);
}

std::string ZkController::elect_offline_leader(ZkPartitionState& s) const {
  // OfflinePartitionLeaderElection: the first live ISR replica in assignment order, else (with
  // unclean.leader.election.enable) the first live replica, whose ISR becomes just itself.
  s.leader = kNoLeader;
  for (BrokerId r : s.replicas) {
    if (live(r) && contains(s.isr, r) && !shutting_down_.count(r)) {
      s.leader = r;
      return "OfflinePartitionLeaderElection";
    }
  }
  if (unclean(s.topic)) {
    for (BrokerId r : s.replicas) {
      if (live(r)) {
        s.leader = r;
        s.isr = {r};
        return "OfflinePartitionLeaderElection (unclean)";
      }
    }
  }
  return "OfflinePartitionLeaderElection";
}

void ZkController::handle_failed_brokers(world::Ctx& ctx, zk::ZkClient& zk,
                                         const std::set<BrokerId>& dead) {
  for (const auto& [key, old] :
       std::map<std::pair<std::string, int32_t>, ZkPartitionState>(states_)) {
    const bool lost_leader = dead.count(old.leader) != 0;
    // OfflineReplica, one dead replica at a time (in id order here): each leaves the ISR
    // unless it is the last member, which is kept so the partition can come back cleanly.
    std::vector<BrokerId> isr = old.isr;
    for (BrokerId b : dead) {
      if (isr.size() > 1) isr.erase(std::remove(isr.begin(), isr.end(), b), isr.end());
    }
    if (!lost_leader && isr.size() == old.isr.size()) continue;
    ZkPartitionState s = old;
    s.isr = isr;
    std::string election = "OfflineReplica: ISR shrink";
    if (lost_leader) {
      election = elect_offline_leader(s);
    }
    s.leader_epoch = old.leader_epoch + 1;  // ZooKeeper mode bumps it on every controller change
    std::string who;
    for (BrokerId b : dead)
      who += (who.empty() ? "" : ", ") + ctx.name_of(b);
    write_state(ctx, zk, s, who + " failed", election);
  }
}

void ZkController::elect_offline(world::Ctx& ctx, zk::ZkClient& zk, const std::string& why) {
  for (const auto& [key, old] :
       std::map<std::pair<std::string, int32_t>, ZkPartitionState>(states_)) {
    if (old.leader != kNoLeader && live(old.leader)) continue;
    ZkPartitionState s = old;
    const std::string election = elect_offline_leader(s);
    if (s.leader == kNoLeader || s.leader == old.leader) continue;
    s.leader_epoch = old.leader_epoch + 1;
    write_state(ctx, zk, s, why, election);
  }
}

// [SECTION] writes and announcements
// ------------------------------------------------------------------

void ZkController::write_state(world::Ctx& ctx, zk::ZkClient& zk, ZkPartitionState s,
                               const std::string& why, const std::string& election) {
  const auto key = std::make_pair(s.topic, s.partition);
  const ZkPartitionState old = states_[key];
  s.controller_epoch = epoch_;
  ZkRequest r = req(ZkOp::check_and_set, state_path(s.topic, s.partition), state_json(s));
  r.version = old.zk_version;
  r.check_path = "/controller_epoch";
  r.check_version = epoch_zk_version_;
  request(ctx, zk, r, {Purpose::write_state, s.topic, s.partition});
  ++writes_outstanding_;
  states_[key] = s;
  changed_.insert(key);
  const std::string name = s.topic + "-" + std::to_string(s.partition);
  if (s.leader != old.leader) {
    std::string text = name + " leader " + std::to_string(old.leader) + " -> " +
                       std::to_string(s.leader) + " (leader epoch " +
                       std::to_string(s.leader_epoch) + ", " + election + ": " + why + ")";
    if (s.leader == kNoLeader) text += "; no live ISR member, the partition is offline";
    ctx.trace(sim::TraceKind::leader_change, text);
  }
  if (s.isr != old.isr) {
    const std::string bump =
        s.leader_epoch != old.leader_epoch
            ? ": in ZooKeeper mode the controller bumps it when it changes the ISR; "
            : ", unchanged: ";
    ctx.trace(sim::TraceKind::isr_change, name + " ISR " + to_string(old.isr) + " -> " +
                                              to_string(s.isr) + " (leader epoch " +
                                              std::to_string(s.leader_epoch) + bump + why + ")");
  }
}

void ZkController::rebuild_image() {
  image_ = MetadataImage{};
  Offset o = 0;
  for (const auto& [b, lb] : live_) {
    image_.apply(o++, RegisterBrokerRecord{b, static_cast<uint64_t>(lb.epoch), lb.rack, false});
  }
  TopicId id = 0;
  for (const auto& [topic, replicas] : assignment_) {
    image_.apply(o++, TopicRecord{topic, id});
    for (size_t p = 0; p < replicas.size(); ++p) {
      const auto it = states_.find({topic, static_cast<int32_t>(p)});
      if (it == states_.end()) continue;
      PartitionRecord pr;
      pr.topic_id = id;
      pr.partition_id = static_cast<int32_t>(p);
      pr.replicas = replicas[p];
      pr.isr = it->second.isr;
      pr.leader = it->second.leader;
      pr.leader_epoch = it->second.leader_epoch;
      pr.partition_epoch = it->second.zk_version;
      image_.apply(o++, pr);
    }
    ++id;
  }
}

void ZkController::maybe_broadcast(world::Ctx& ctx) {
  if (state_ != State::active || writes_outstanding_ > 0 || (!broadcast_due_ && changed_.empty()))
    return;
  rebuild_image();
  UpdateMetadataRequest um;
  um.controller_id = self_;
  um.controller_epoch = epoch_;
  for (const auto& [b, lb] : live_)
    um.live_brokers.push_back(lb);
  for (const auto& [key, s] : states_)
    um.partitions.push_back(s);
  for (const auto& [b, lb] : live_) {
    LeaderAndIsrRequest li;
    li.controller_id = self_;
    li.controller_epoch = epoch_;
    if (full_state_for_.count(b)) {
      for (const auto& [key, s] : states_) {
        if (contains(s.replicas, b)) li.partitions.push_back(s);
      }
    } else {
      for (const auto& key : changed_) {
        const ZkPartitionState& s = states_[key];
        if (contains(s.replicas, b)) li.partitions.push_back(s);
      }
    }
    if (!li.partitions.empty()) {
      ctx.send(b, net::MessageKind::metadata, li,
               static_cast<uint32_t>(64 + 48 * li.partitions.size()));
    }
    ctx.send(b, net::MessageKind::metadata, um,
             static_cast<uint32_t>(64 + 48 * um.partitions.size()));
  }
  changed_.clear();
  full_state_for_.clear();
  broadcast_due_ = false;
}

// [SECTION] operator actions and topic creation
// -------------------------------------------------------

void ZkController::on_alter_partition(world::Ctx& ctx, zk::ZkClient& zk, BrokerId from,
                                      const AlterPartitionRequest& m) {
  AlterPartitionResponse resp;
  resp.correlation_id = m.correlation_id;
  resp.topic = m.topic;
  resp.partition = m.partition;
  const auto key = std::make_pair(m.topic, m.partition);
  auto it = states_.find(key);
  auto lb = live_.find(m.broker_id);
  if (it == states_.end()) {
    resp.error_code = Errc::UNKNOWN_TOPIC_OR_PARTITION;
  } else if (lb == live_.end() || lb->second.epoch != m.broker_epoch) {
    resp.error_code = Errc::STALE_BROKER_EPOCH;
  } else if (it->second.leader != m.broker_id) {
    resp.error_code = Errc::NOT_LEADER_OR_FOLLOWER;
  } else if (it->second.leader_epoch != m.leader_epoch) {
    resp.error_code = Errc::FENCED_LEADER_EPOCH;
  } else if (it->second.zk_version != m.partition_epoch || alter_replies_.count(key)) {
    resp.error_code = Errc::INVALID_UPDATE_VERSION;
  } else {
    for (BrokerId b : m.new_isr) {
      if (!contains(it->second.replicas, b))
        resp.error_code = Errc::INVALID_REQUEST;
      else if (b != m.broker_id && !live(b))
        resp.error_code = Errc::INELIGIBLE_REPLICA;
    }
  }
  if (resp.error_code != Errc::NONE) {
    ctx.send(from, net::MessageKind::metadata, resp, 48);
    return;
  }
  ZkPartitionState s = it->second;
  s.isr = m.new_isr;
  alter_replies_[key] = {from, m.correlation_id};
  write_state(ctx, zk, s, "AlterPartition from leader " + std::to_string(m.broker_id), "AlterIsr");
  maybe_broadcast(ctx);
}

ControlledShutdownResponse ZkController::on_controlled_shutdown(
    world::Ctx& ctx, zk::ZkClient& zk, const ControlledShutdownRequest& m) {
  ControlledShutdownResponse resp;
  if (!active()) {
    resp.error_code = Errc::NOT_CONTROLLER;
    return resp;
  }
  const BrokerId b = m.broker_id;
  if (!shutting_down_.count(b)) {
    ctx.trace(sim::TraceKind::broker_shutdown, ctx.name_of(self_) + " moves leadership away from " +
                                                   ctx.name_of(b) + " for its controlled shutdown");
  }
  shutting_down_.insert(b);
  for (const auto& [key, old] :
       std::map<std::pair<std::string, int32_t>, ZkPartitionState>(states_)) {
    if (!contains(old.isr, b)) continue;
    ZkPartitionState s = old;
    std::vector<BrokerId> isr;
    for (BrokerId r : old.isr) {
      if (r != b) isr.push_back(r);
    }
    if (isr.empty()) continue;  // the only replica in sync: it keeps leading until it stops
    s.isr = isr;
    if (old.leader == b) {
      for (BrokerId r : s.replicas) {
        if (r != b && live(r) && contains(isr, r) && !shutting_down_.count(r)) {
          s.leader = r;
          break;
        }
      }
      if (s.leader == b) continue;
    }
    s.leader_epoch = old.leader_epoch + 1;
    write_state(ctx, zk, s, ctx.name_of(b) + " is shutting down",
                "ControlledShutdownPartitionLeaderElection");
  }
  maybe_broadcast(ctx);
  for (const auto& [key, s] : states_)
    resp.partitions_remaining += s.leader == b ? 1 : 0;
  return resp;
}

int ZkController::elect_preferred(world::Ctx& ctx, zk::ZkClient& zk, const std::string& partition) {
  if (!active()) return 0;
  int moved = 0;
  for (const auto& [key, old] :
       std::map<std::pair<std::string, int32_t>, ZkPartitionState>(states_)) {
    if (!partition.empty() && key.first + "-" + std::to_string(key.second) != partition) continue;
    if (old.replicas.empty()) continue;
    const BrokerId preferred = old.replicas[0];
    if (old.leader == preferred || !live(preferred) || !contains(old.isr, preferred) ||
        shutting_down_.count(preferred)) {
      continue;
    }
    ZkPartitionState s = old;
    s.leader = preferred;
    s.leader_epoch = old.leader_epoch + 1;
    write_state(ctx, zk, s, "preferred replica " + std::to_string(preferred) + " is in the ISR",
                "PreferredReplicaPartitionLeaderElection");
    ++moved;
  }
  maybe_broadcast(ctx);
  return moved;
}

void ZkController::on_timer(world::Ctx& ctx, zk::ZkClient& zk, uint16_t kind) {
  if (!active()) return;
  if (kind == imbalance_timer) {
    // Per broker: share of the partitions it prefers that it does not lead.
    std::map<BrokerId, std::pair<int, int>> counts;  // preferred, not led
    for (const auto& [key, s] : states_) {
      if (s.replicas.empty()) continue;
      auto& c = counts[s.replicas[0]];
      ++c.first;
      if (s.leader != s.replicas[0]) ++c.second;
    }
    for (const auto& [b, c] : counts) {
      if (c.first > 0 && c.second * 100 > 10 * c.first && live(b)) {
        for (const auto& [key, s] :
             std::map<std::pair<std::string, int32_t>, ZkPartitionState>(states_)) {
          if (!s.replicas.empty() && s.replicas[0] == b)
            elect_preferred(ctx, zk, key.first + "-" + std::to_string(key.second));
        }
      }
    }
    imbalance_timer_ = ctx.set_timer(Time::from_s(cfg_.leader_imbalance_check_interval_seconds),
                                     imbalance_timer, 0);
  } else if (kind == admin_timer) {
    admin_timer_ = {};
    maybe_create_topics(ctx, zk);
  }
}

void ZkController::maybe_create_topics(world::Ctx& ctx, zk::ZkClient& zk) {
  if (!active()) return;
  bool waiting = false;
  std::vector<BrokerId> up;
  for (const auto& [b, lb] : live_)
    up.push_back(b);
  const bool everyone = std::all_of(cluster_brokers_.begin(), cluster_brokers_.end(),
                                    [&](BrokerId b) { return live(b); });
  const bool waited =
      ctx.now() - active_since_ >= Time::from_ms(QuorumController::kCreateTopicsWaitMs);
  for (const TopicSpec& spec : topics_) {
    if (assignment_.count(spec.name)) continue;
    std::vector<std::vector<BrokerId>> replicas = spec.assignment;
    if (!replicas.empty()) {
      bool ready = true;
      for (const auto& rs : replicas) {
        for (BrokerId b : rs)
          ready = ready && live(b);
      }
      if (!ready && !(waited && !up.empty())) {
        waiting = true;
        continue;
      }
    } else {
      if (!(everyone || waited) || static_cast<int32_t>(up.size()) < spec.replication_factor) {
        waiting = true;
        continue;
      }
      std::map<BrokerId, std::string> racks;
      for (const auto& [b, lb] : live_) {
        if (!lb.rack.empty()) racks[b] = lb.rack;
      }
      auto placed = assign_replicas(spec.partitions, spec.replication_factor, up, racks, ctx.rng());
      if (!placed) {
        ctx.trace(sim::TraceKind::note, "cannot create topic " + spec.name + ": " + placed.error());
        continue;
      }
      replicas = *placed;
    }
    assignment_[spec.name] = replicas;
    request(ctx, zk, req(ZkOp::create, "/brokers/topics/" + spec.name, assignment_json(replicas)),
            {Purpose::create_topic, spec.name});
    request(ctx, zk, req(ZkOp::create, "/brokers/topics/" + spec.name + "/partitions"),
            {Purpose::create_topic, spec.name});
    std::string where;
    for (size_t p = 0; p < replicas.size(); ++p) {
      ZkPartitionState s;
      s.topic = spec.name;
      s.partition = static_cast<int32_t>(p);
      s.replicas = replicas[p];
      for (BrokerId b : replicas[p]) {
        if (live(b)) s.isr.push_back(b);
      }
      if (s.isr.empty()) s.isr = {replicas[p][0]};
      s.leader = live(s.isr[0]) ? s.isr[0] : kNoLeader;
      s.controller_epoch = epoch_;
      const std::string dir = "/brokers/topics/" + spec.name + "/partitions/" + std::to_string(p);
      request(ctx, zk, req(ZkOp::create, dir), {Purpose::create_topic, spec.name});
      request(ctx, zk, req(ZkOp::create, dir + "/state", state_json(s)),
              {Purpose::create_state, spec.name, s.partition});
      ++writes_outstanding_;
      states_[{spec.name, s.partition}] = s;
      changed_.insert({spec.name, s.partition});
      where += (p ? ", " : "") + spec.name + "-" + std::to_string(p) + " " + to_string(replicas[p]);
    }
    ctx.trace(sim::TraceKind::topic_created,
              "topic " + spec.name + " created in ZooKeeper with " +
                  std::to_string(spec.partitions) + " partitions, replication factor " +
                  std::to_string(spec.replication_factor) + ": " + where);
  }
  if (waiting && !admin_timer_.armed())
    admin_timer_ = ctx.set_timer(Time::from_ms(500), admin_timer, 0);
}

}  // namespace kafkasim::kafka::zkmode
