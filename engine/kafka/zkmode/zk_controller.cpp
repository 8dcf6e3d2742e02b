// The ZooKeeper-mode controller. See zk_controller.h.
//
// Index:
//   [SECTION] election: /controller_epoch
//   [SECTION] loading state from ZooKeeper
//   [SECTION] broker changes and elections
//   [SECTION] writes and announcements
//   [SECTION] operator actions and topic creation
//   [SECTION] admin: add partitions, reassignments, configs
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
  // The topic's config, else this broker's (dynamic, then static), as the 3.x controller
  // reads LogConfig.fromProps(config.originals, topic config).
  std::optional<bool> static_topic;
  for (const TopicSpec& s : topics_) {
    if (s.name == topic && s.unclean_leader_election_enable)
      static_topic = s.unclean_leader_election_enable;
  }
  return configs_.unclean_leader_election_enable(topic, self_, cfg_.unclean_leader_election_enable,
                                                 static_topic);
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
        // A reassignment a previous controller started (KIP-455 keeps it in the topic znode).
        const auto adding = parse_reassigning_json(r.data, "adding_replicas");
        const auto removing = parse_reassigning_json(r.data, "removing_replicas");
        for (size_t i = 0; i < replicas.size(); ++i) {
          const auto part = static_cast<int32_t>(i);
          const auto a = adding.find(part);
          const auto rm = removing.find(part);
          if (a == adding.end() && rm == removing.end()) continue;
          Reassigning re;
          if (a != adding.end()) re.adding = a->second;
          if (rm != removing.end()) re.removing = rm->second;
          for (BrokerId b : replicas[i]) {
            if (!contains(re.removing, b)) re.target.push_back(b);
          }
          reassigning_[{p.topic, part}] = re;
        }
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
      if (auto w = state_writes_in_flight_.find({p.topic, p.partition});
          w != state_writes_in_flight_.end() && --w->second <= 0) {
        state_writes_in_flight_.erase(w);
      }
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
      if (r.code == Code::OK) maybe_complete_reassignment(ctx, zk, {p.topic, p.partition});
      maybe_broadcast(ctx);
      break;
    case Purpose::create_topic:
    case Purpose::ignore:
      break;
    case Purpose::topic_changed:
      on_topic_changed(ctx, zk, p.topic, r);
      break;
    case Purpose::reassign_create:
      if (r.code == Code::NODEEXISTS) {
        ctx.trace(sim::TraceKind::admin_error,
                  "kafka-reassign-partitions refused: There is an existing assignment running "
                  "(/admin/reassign_partitions exists)");
      }
      break;
    case Purpose::reassign_exists:
      if (r.code == Code::OK) {
        request(ctx, zk, req(ZkOp::get_data, "/admin/reassign_partitions", "", true),
                {Purpose::reassign_read});
      }
      break;
    case Purpose::reassign_read:
      if (r.code != Code::OK) {
        reassign_znode_ = false;
        break;
      }
      reassign_znode_ = true;
      for (const ReassignEntry& e : parse_reassignment_json(r.data)) {
        const PartitionKey key{e.topic, e.partition};
        if (!states_.count(key)) continue;
        znode_reassignments_.insert(key);
        start_reassignment(ctx, zk, key, e.replicas);
      }
      maybe_broadcast(ctx);
      break;
    case Purpose::config_read:
      on_config_read(ctx, zk, p, r);
      break;
    case Purpose::config_create:
      // Created meanwhile (our read was stale): setOrCreateEntityConfigs sets it instead.
      if (r.code == Code::NODEEXISTS)
        request(ctx, zk, req(ZkOp::set_data, p.key, p.value), {Purpose::ignore});
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
  // Partitions in an assignment without a state znode (added partitions a previous
  // controller had not brought online yet) are new partitions.
  for (const auto& [topic, replicas] : assignment_) {
    for (size_t p = 0; p < replicas.size(); ++p) {
      if (!states_.count({topic, static_cast<int32_t>(p)}))
        init_partition(ctx, zk, topic, static_cast<int32_t>(p), replicas[p]);
    }
  }
  if (watch_reassignments_ || !reassigning_.empty()) {
    // PartitionReassignmentHandler: watch /admin/reassign_partitions and read it if it is
    // there; pick up the reassignments a previous controller was running.
    request(ctx, zk, req(ZkOp::exists, "/admin/reassign_partitions", "", true),
            {Purpose::reassign_exists});
    for (const auto& [key, re] : std::map<PartitionKey, Reassigning>(reassigning_))
      maybe_complete_reassignment(ctx, zk, key);
  }
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
  const std::string topics = "/brokers/topics/";
  if (w.type == zk::EventType::NodeDataChanged && w.path.rfind(topics, 0) == 0 &&
      w.path.find('/', topics.size()) == std::string::npos) {
    // PartitionModificationsHandler: the topic's assignment changed.
    request(ctx, zk, req(ZkOp::get_data, w.path, "", true),
            {Purpose::topic_changed, w.path.substr(topics.size())});
  }
  if (w.path == "/admin/reassign_partitions" &&
      (w.type == zk::EventType::NodeCreated || w.type == zk::EventType::NodeDataChanged)) {
    // PartitionReassignmentHandler.
    request(ctx, zk, req(ZkOp::get_data, w.path, "", true), {Purpose::reassign_read});
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
                               const std::string& why, const std::string& election, bool chained) {
  const auto key = std::make_pair(s.topic, s.partition);
  const ZkPartitionState old = states_[key];
  s.controller_epoch = epoch_;
  ZkRequest r = req(ZkOp::check_and_set, state_path(s.topic, s.partition), state_json(s));
  r.version = old.zk_version;
  if (chained) {
    auto w = state_writes_in_flight_.find(key);
    if (w != state_writes_in_flight_.end()) r.version += w->second;
  }
  ++state_writes_in_flight_[key];
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
  // Replicas a completed reassignment removed: stop them and delete their logs. A broker that
  // is down now keeps a stray log (Kafka retries once it is back; not modelled).
  for (const auto& [b, key] : stop_replicas_) {
    if (!live(b)) continue;
    StopReplicaRequest sr;
    sr.controller_id = self_;
    sr.controller_epoch = epoch_;
    sr.partitions.push_back(key);
    ctx.send(b, net::MessageKind::metadata, sr, 64);
  }
  stop_replicas_.clear();
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
      init_partition(ctx, zk, spec.name, static_cast<int32_t>(p), replicas[p]);
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

void ZkController::init_partition(world::Ctx& ctx, zk::ZkClient& zk, const std::string& topic,
                                  int32_t p, const std::vector<BrokerId>& replicas) {
  ZkPartitionState s;
  s.topic = topic;
  s.partition = p;
  s.replicas = replicas;
  for (BrokerId b : replicas) {
    if (live(b)) s.isr.push_back(b);
  }
  if (s.isr.empty()) s.isr = {replicas[0]};
  s.leader = live(s.isr[0]) ? s.isr[0] : kNoLeader;
  s.controller_epoch = epoch_;
  const std::string dir = "/brokers/topics/" + topic + "/partitions/" + std::to_string(p);
  request(ctx, zk, req(ZkOp::create, dir), {Purpose::create_topic, topic});
  request(ctx, zk, req(ZkOp::create, dir + "/state", state_json(s)),
          {Purpose::create_state, topic, p});
  ++writes_outstanding_;
  ++state_writes_in_flight_[{topic, p}];
  states_[{topic, p}] = s;
  changed_.insert({topic, p});
}

// [SECTION] admin: add partitions, reassignments, configs
// ---------------------------------------------------------

AdminResult ZkController::refuse(world::Ctx& ctx, const std::string& api, const std::string& what,
                                 Errc e, std::string message) const {
  ctx.trace(sim::TraceKind::admin_error,
            api + " (" + what + ") refused: " + std::string(errc_name(e)) + ": " + message);
  return AdminResult{e, std::move(message)};
}

void ZkController::write_topic_assignment(world::Ctx& ctx, zk::ZkClient& zk,
                                          const std::string& topic) {
  std::map<int32_t, std::vector<BrokerId>> adding, removing;
  for (const auto& [key, re] : reassigning_) {
    if (key.first != topic) continue;
    if (!re.adding.empty()) adding[key.second] = re.adding;
    if (!re.removing.empty()) removing[key.second] = re.removing;
  }
  request(ctx, zk,
          req(ZkOp::set_data, "/brokers/topics/" + topic,
              assignment_json(assignment_[topic], adding, removing)),
          {Purpose::ignore, topic});
}

AdminResult ZkController::create_partitions(world::Ctx& ctx, zk::ZkClient& zk,
                                            const CreatePartitionsRequest& r) {
  const std::string api = "CreatePartitions";
  const std::string what = r.topic + " to " + std::to_string(r.count) + " partitions";
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the controller");
  auto it = assignment_.find(r.topic);
  if (it == assignment_.end() || it->second.empty()) {
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION,
                  "The topic '" + r.topic + "' does not exist.");
  }
  if (auto w = admin_assignments_.find(r.topic); w != admin_assignments_.end()) it = w;
  const auto current = static_cast<int32_t>(it->second.size());
  if (r.count <= current) {
    return refuse(ctx, api, what, Errc::INVALID_PARTITIONS,
                  "The number of partitions for a topic can only be increased. Topic " + r.topic +
                      " currently has " + std::to_string(current) + " partitions, " +
                      std::to_string(r.count) + " would not be an increase.");
  }
  // AdminZkClient.createPartitions: replication factor and start index from partition 0.
  std::vector<BrokerId> partition0 = it->second[0];
  if (auto re = reassigning_.find({r.topic, 0}); re != reassigning_.end())
    partition0 = re->second.target;
  std::vector<BrokerId> brokers;
  std::map<BrokerId, std::string> racks;
  for (const auto& [b, lb] : live_) {
    brokers.push_back(b);
    if (!lb.rack.empty()) racks[b] = lb.rack;
  }
  const auto rf = static_cast<int32_t>(partition0.size());
  if (static_cast<int32_t>(brokers.size()) < rf) {
    return refuse(ctx, api, what, Errc::INVALID_REPLICATION_FACTOR,
                  "Replication factor: " + std::to_string(rf) +
                      " larger than available brokers: " + std::to_string(brokers.size()) + ".");
  }
  int32_t start = 0;
  while (start < static_cast<int32_t>(brokers.size()) && brokers[start] < partition0[0])
    ++start;
  if (start == static_cast<int32_t>(brokers.size())) start = 0;
  auto placed = assign_replicas(r.count - current, rf, brokers, racks, ctx.rng(), start, current);
  if (!placed) return refuse(ctx, api, what, Errc::INVALID_REPLICATION_FACTOR, placed.error());
  std::vector<std::vector<BrokerId>> full = it->second;
  std::string where;
  for (size_t i = 0; i < placed->size(); ++i) {
    full.push_back((*placed)[i]);
    where += (i ? ", " : "") + r.topic + "-" + std::to_string(current + static_cast<int32_t>(i)) +
             " " + to_string((*placed)[i]);
  }
  std::map<int32_t, std::vector<BrokerId>> adding, removing;
  for (const auto& [key, re] : reassigning_) {
    if (key.first != r.topic) continue;
    if (!re.adding.empty()) adding[key.second] = re.adding;
    if (!re.removing.empty()) removing[key.second] = re.removing;
  }
  // The controller watches the topic znode (PartitionModificationsHandler); the write fires it.
  const std::string path = "/brokers/topics/" + r.topic;
  request(ctx, zk, req(ZkOp::get_data, path, "", true), {Purpose::ignore, r.topic});
  request(ctx, zk, req(ZkOp::set_data, path, assignment_json(full, adding, removing)),
          {Purpose::ignore, r.topic});
  admin_assignments_[r.topic] = full;
  ctx.trace(sim::TraceKind::partitions_added,
            "add partitions to " + r.topic + ": " + std::to_string(current) + " -> " +
                std::to_string(r.count) + ": " + path + " now also assigns " + where +
                " (AdminZkClient, placed like a new topic's" +
                (!racks.empty() ? ", rack-aware" : "") +
                "); the controller's partition-modification watch brings them online");
  return AdminResult{};
}

void ZkController::on_topic_changed(world::Ctx& ctx, zk::ZkClient& zk, const std::string& topic,
                                    const zk::ZkResponse& r) {
  std::vector<std::vector<BrokerId>> replicas;
  if (r.code != Code::OK || !parse_assignment_json(r.data, replicas)) return;
  auto& known = assignment_[topic];
  if (auto w = admin_assignments_.find(topic);
      w != admin_assignments_.end() && w->second.size() <= replicas.size()) {
    admin_assignments_.erase(w);
  }
  if (replicas.size() <= known.size()) return;  // our own writes (reassignment steps)
  const auto first = static_cast<int32_t>(known.size());
  std::string what;
  for (auto p = first; p < static_cast<int32_t>(replicas.size()); ++p) {
    known.push_back(replicas[p]);
    init_partition(ctx, zk, topic, p, replicas[p]);
    const ZkPartitionState& s = states_[{topic, p}];
    what += (p > first ? ", " : "") + topic + "-" + std::to_string(p) + " (leader " +
            std::to_string(s.leader) + ", ISR " + to_string(s.isr) + ")";
  }
  ctx.trace(sim::TraceKind::partitions_added,
            ctx.name_of(self_) + " sees /brokers/topics/" + topic +
                " change (partition-modification watch): new partitions " + what +
                " go online (NewPartition -> OnlinePartition); LeaderAndIsr to their replicas, "
                "UpdateMetadata to every broker");
  broadcast_due_ = true;
  maybe_broadcast(ctx);
}

AdminResult ZkController::reassign(world::Ctx& ctx, zk::ZkClient& zk,
                                   const AlterPartitionReassignmentsRequest& r) {
  const std::string api = "kafka-reassign-partitions";
  const std::string name = r.topic + "-" + std::to_string(r.partition);
  const std::string what = name + " to " + to_string(r.replicas);
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the controller");
  if (!states_.count({r.topic, r.partition})) {
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION,
                  "The partition " + name + " does not exist.");
  }
  if (r.replicas.empty()) {
    return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                  "Empty replica list specified for partition " + name + ".");
  }
  std::vector<BrokerId> sorted = r.replicas;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i] == sorted[i - 1]) {
      return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                    "Duplicate replica assignment found: " + to_string(r.replicas));
    }
    if (!live(sorted[i])) {
      return refuse(
          ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
          "The proposed assignment contains non-existent brokerIDs: " + std::to_string(sorted[i]));
    }
  }
  if (reassign_znode_) {
    return refuse(ctx, api, what, Errc::INVALID_REPLICA_ASSIGNMENT,
                  "There is an existing assignment running.");
  }
  // The controller watches /admin/reassign_partitions (PartitionReassignmentHandler); the
  // tool's create fires it.
  reassign_znode_ = true;
  request(ctx, zk, req(ZkOp::exists, "/admin/reassign_partitions", "", true), {Purpose::ignore});
  request(ctx, zk, req(ZkOp::create, "/admin"), {Purpose::ignore});
  request(ctx, zk,
          req(ZkOp::create, "/admin/reassign_partitions",
              reassignment_json({ReassignEntry{r.topic, r.partition, r.replicas}})),
          {Purpose::reassign_create});
  ctx.trace(sim::TraceKind::reassignment,
            "kafka-reassign-partitions writes /admin/reassign_partitions: " + name + " -> " +
                to_string(r.replicas));
  return AdminResult{};
}

void ZkController::start_reassignment(world::Ctx& ctx, zk::ZkClient& zk, const PartitionKey& key,
                                      const std::vector<BrokerId>& target) {
  const std::string name = key.first + "-" + std::to_string(key.second);
  if (auto re = reassigning_.find(key); re != reassigning_.end() && re->second.target == target)
    return;  // already running (a new controller reading the znode again)
  const std::vector<BrokerId> original = assignment_[key.first][key.second];
  if (target == original) {
    znode_reassignments_.erase(key);
    ctx.trace(sim::TraceKind::reassignment,
              name + " already has replicas " + to_string(original) + ": nothing to move");
    if (znode_reassignments_.empty() && reassign_znode_) {
      reassign_znode_ = false;
      request(ctx, zk, req(ZkOp::remove, "/admin/reassign_partitions"), {Purpose::ignore});
    }
    return;
  }
  const auto re = PartitionChangeBuilder::reassignment(original, target);
  reassigning_[key] = Reassigning{target, re.adding, re.removing};
  const ZkPartitionState& now = states_[key];
  const bool done =
      std::all_of(target.begin(), target.end(), [&](BrokerId b) { return contains(now.isr, b); });
  if (done) {
    maybe_complete_reassignment(ctx, zk, key);  // phase B at once: TRS is already in the ISR
    return;
  }
  // Phase A: RS = TRS + ORS in ZooKeeper and memory, then a leader epoch bump so every replica
  // of RS learns it (LeaderAndIsr); the new replicas start fetching.
  assignment_[key.first][key.second] = re.replicas;
  write_topic_assignment(ctx, zk, key.first);
  ZkPartitionState s = now;
  s.replicas = re.replicas;
  s.leader_epoch = now.leader_epoch + 1;
  ctx.trace(sim::TraceKind::reassignment,
            ctx.name_of(self_) + " starts reassigning " + name + ": replicas " +
                to_string(original) + " -> " + to_string(re.replicas) + " (adding " +
                to_string(re.adding) + ", removing " + to_string(re.removing) +
                ") in /brokers/topics/" + key.first +
                "; it completes once every target replica is in the ISR");
  write_state(ctx, zk, s, "reassignment to " + to_string(target) + " begins",
              "leader epoch bump (reassignment)", true);
}

void ZkController::maybe_complete_reassignment(world::Ctx& ctx, zk::ZkClient& zk,
                                               const PartitionKey& key) {
  auto it = reassigning_.find(key);
  if (it == reassigning_.end() || state_writes_in_flight_.count(key)) return;
  const Reassigning re = it->second;
  const ZkPartitionState now = states_[key];
  for (BrokerId b : re.target) {
    if (!contains(now.isr, b)) return;
  }
  // Phase B. The leader: kept if it is a live target replica, else the first live target
  // replica in the ISR (ReassignPartitionLeaderElection).
  ZkPartitionState s = now;
  s.replicas = re.target;
  std::string election = "leader epoch bump (reassignment)";
  if (!contains(re.target, s.leader) || !live(s.leader)) {
    BrokerId leader = kNoLeader;
    for (BrokerId b : re.target) {
      if (live(b) && contains(now.isr, b)) {
        leader = b;
        break;
      }
    }
    if (leader == kNoLeader) return;  // no target replica can lead yet: wait
    s.leader = leader;
    election = "ReassignPartitionLeaderElection";
  }
  const std::string name = key.first + "-" + std::to_string(key.second);
  reassigning_.erase(it);
  assignment_[key.first][key.second] = re.target;
  s.leader_epoch = now.leader_epoch + 1;
  write_state(ctx, zk, s, "reassignment of " + name + " completes", election, true);
  // The removed replicas go offline: out of the ISR, with another epoch bump.
  std::vector<BrokerId> isr;
  for (BrokerId b : s.isr) {
    if (!contains(re.removing, b)) isr.push_back(b);
  }
  if (!isr.empty() && isr != s.isr) {
    ZkPartitionState t = s;
    t.isr = isr;
    t.leader_epoch = s.leader_epoch + 1;
    write_state(ctx, zk, t, to_string(re.removing) + " reassigned away",
                "OfflineReplica (reassignment)", true);
  }
  for (BrokerId b : re.removing)
    stop_replicas_.emplace_back(b, key);
  write_topic_assignment(ctx, zk, key.first);
  znode_reassignments_.erase(key);
  if (znode_reassignments_.empty() && reassign_znode_) {
    reassign_znode_ = false;
    request(ctx, zk, req(ZkOp::remove, "/admin/reassign_partitions"), {Purpose::ignore});
  }
  broadcast_due_ = true;
  const ZkPartitionState& after = states_[key];
  ctx.trace(sim::TraceKind::reassignment,
            name + " reassignment complete: every target replica " + to_string(re.target) +
                " is in the ISR; replicas -> " + to_string(after.replicas) + ", ISR " +
                to_string(now.isr) + " -> " + to_string(after.isr) + ", leader " +
                std::to_string(after.leader) + " (leader epoch " +
                std::to_string(after.leader_epoch) + ")" +
                (re.removing.empty() ? std::string()
                                     : "; StopReplica (delete) to " + to_string(re.removing)) +
                "; /admin/reassign_partitions updated");
}

AdminResult ZkController::alter_configs(world::Ctx& ctx, zk::ZkClient& zk,
                                        const IncrementalAlterConfigsRequest& r) {
  const std::string api = "IncrementalAlterConfigs";
  const std::string what = r.resource.describe() + ": " + r.name + "=" + config_value_text(r.value);
  if (!active()) return refuse(ctx, api, what, Errc::NOT_CONTROLLER, "not the controller");
  if (auto ok = check_dynamic_config(r.resource.type, r.name, r.value); !ok)
    return refuse(ctx, api, what, Errc::INVALID_CONFIG, ok.error());
  const bool topic = r.resource.type == ConfigResourceType::topic;
  if (topic && !assignment_.count(r.resource.name)) {
    return refuse(ctx, api, what, Errc::UNKNOWN_TOPIC_OR_PARTITION,
                  "The topic '" + r.resource.name + "' does not exist.");
  }
  const std::string entity = topic                     ? "topics/" + r.resource.name
                             : r.resource.name.empty() ? std::string("brokers/<default>")
                                                       : "brokers/" + r.resource.name;
  // AdminZkClient.changeConfigs: read the entity's config, change it, write it back, then
  // announce it with a sequential /config/changes/config_change_ node.
  Pending p{Purpose::config_read, entity};
  p.key = r.name;
  p.value = config_value_text(r.value);
  config_ops_.push_back(p);
  if (config_ops_.size() == 1) request(ctx, zk, req(ZkOp::get_data, "/config/" + entity), p);
  ctx.trace(sim::TraceKind::config_change,
            what + ": written to /config/" + entity +
                " with a notification under /config/changes; each broker applies it when its "
                "config-change watch fires");
  return AdminResult{};
}

void ZkController::on_config_read(world::Ctx& ctx, zk::ZkClient& zk, const Pending& p,
                                  const zk::ZkResponse& r) {
  std::map<std::string, std::string> config;
  if (r.code == Code::OK) config = parse_config_json(r.data);
  config[p.key] = p.value;
  const std::string type = p.topic.substr(0, p.topic.find('/'));
  request(ctx, zk, req(ZkOp::create, "/config"), {Purpose::ignore});
  request(ctx, zk, req(ZkOp::create, "/config/" + type), {Purpose::ignore});
  const std::string path = "/config/" + p.topic;
  if (r.code == Code::OK) {
    request(ctx, zk, req(ZkOp::set_data, path, config_json(config)), {Purpose::ignore});
  } else {
    Pending c{Purpose::config_create};
    c.key = path;
    c.value = config_json(config);
    request(ctx, zk, req(ZkOp::create, path, c.value), c);
  }
  request(ctx, zk, req(ZkOp::create, "/config/changes"), {Purpose::ignore});
  ZkRequest change =
      req(ZkOp::create, "/config/changes/config_change_", config_change_json(p.topic));
  change.sequential = true;
  request(ctx, zk, change, {Purpose::ignore});
  // The next change reads after these writes (requests of a session are served in order).
  if (!config_ops_.empty()) config_ops_.pop_front();
  if (!config_ops_.empty()) {
    const Pending& next = config_ops_.front();
    request(ctx, zk, req(ZkOp::get_data, "/config/" + next.topic), next);
  }
}

void ZkController::on_config_change(world::Ctx& ctx, zk::ZkClient& zk, const DynamicConfigs& c,
                                    const ConfigResource& changed) {
  configs_ = c;
  if (!active()) return;
  // TopicConfigHandler / DynamicBrokerConfig: unclean.leader.election.enable turned on makes
  // the controller elect leaders for offline partitions now (TopicUncleanLeaderElectionEnable).
  const DynamicConfigs::Settings* set =
      changed.type == ConfigResourceType::topic
          ? c.topic(changed.name)
          : c.broker(changed.name.empty() ? kNoLeader : std::atoi(changed.name.c_str()));
  if (set == nullptr) return;
  auto it = set->find("unclean.leader.election.enable");
  if (it == set->end() || !std::get<bool>(it->second)) return;
  elect_offline(ctx, zk, "unclean.leader.election.enable was set on the " + changed.describe());
  maybe_broadcast(ctx);
}

const char* ZkController::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case imbalance_timer:
      return "the leader imbalance check";
    case admin_timer:
      return "the admin action retry";
  }
  return nullptr;
}

}  // namespace kafkasim::kafka::zkmode
