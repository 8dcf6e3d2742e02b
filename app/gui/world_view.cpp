#include "world_view.h"

#include <algorithm>

#include "groups_model.h"
#include "world/cluster.h"

namespace kafkasim::gui {

NodeInfo node_info(const world::World& w, net::NodeIndex i) {
  const world::World::Node& n = w.node(i);
  NodeInfo info;
  info.role = n.role;
  const kafka::MetadataImage* img = world::cluster_image(w);
  const int32_t active = world::active_controller(w);
  info.active_controller = active == n.id;
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) {
    info.quorum_leader = k->raft().is_leader() && n.status == world::NodeStatus::running;
    if (k->config().broker && img != nullptr && !img->is_active(n.id)) info.fenced = true;
  } else if (const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl)) {
    info.quorum_leader = z->raft().is_leader() && n.status == world::NodeStatus::running;
  } else if (const auto* b = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) {
    if (img != nullptr && !img->is_active(n.id)) info.fenced = true;
    // Its create of the ephemeral /controller is out: the first one ZooKeeper applies wins.
    info.racing = b->controller_create_xid() != 0 && n.status == world::NodeStatus::running;
  }
  if (info.active_controller) {
    info.detail = "active controller";
  } else if (info.racing) {
    info.detail = "racing for /controller";
  } else if (info.quorum_leader) {
    info.detail = n.role == "zookeeper" ? "ZooKeeper leader" : "quorum leader";
  } else if (info.fenced && n.status == world::NodeStatus::running) {
    info.detail = n.role == "broker" && std::get_if<kafka::zkmode::ZkBroker>(&n.impl)
                      ? "not registered"
                      : "fenced";
  }
  info.quorum = quorum_view(w, i);
  if (n.role == "broker" || n.role == "combined") {
    info.session = late_broker_session(w, n.id);
    // A broker down or about to be fenced leaves every ISR with its fencing, not by lag.
    auto lag = info.session || n.status != world::NodeStatus::running ? std::nullopt
                                                                      : lagging_follower(w, n.id);
    if (lag) {
      info.lag = lag->first;
      info.lag_partition = lag->second;
    }
  }
  if (n.role == "consumer") info.member = late_member(w, i);
  return info;
}

std::optional<QuorumView> quorum_view(const world::World& w, net::NodeIndex i) {
  const world::World::Node& n = w.node(i);
  if (n.status != world::NodeStatus::running && n.status != world::NodeStatus::paused)
    return std::nullopt;
  const kafka::raft::Raft* raft = nullptr;
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) {
    if (k->config().controller) raft = &k->raft();
  } else if (const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl)) {
    raft = &z->raft();
  }
  if (raft == nullptr || !raft->is_voter()) return std::nullopt;
  QuorumView q;
  q.role = raft->role();
  q.epoch = raft->epoch();
  q.leader = raft->leader_id();
  q.voted_for = raft->voted_for();
  q.granted = raft->votes_granted();
  q.refused = raft->votes_refused();
  q.needed = raft->votes_needed();
  q.countdown = raft->countdown();
  return q;
}

std::string describe_quorum(const QuorumView& q, bool zookeeper) {
  using kafka::raft::Role;
  const std::string epoch = (zookeeper ? ", epoch " : ", epoch ") + std::to_string(q.epoch);
  auto votes = [&](const char* what) {
    return ": " + std::to_string(q.granted) + " of " + std::to_string(q.needed) + " " + what;
  };
  switch (q.role) {
    case Role::leader:
      return "leader" + epoch;
    case Role::follower:
      return "follower of " + std::to_string(q.leader) + epoch;
    case Role::candidate:
      return "candidate" + epoch + votes("votes");
    case Role::prospective:
      // KIP-996: asks for pre-votes for the next epoch before bumping its own.
      return "pre-vote for " + std::to_string(q.epoch + 1) + votes("pre-votes");
    case Role::unattached:
      return "unattached" + epoch +
             (q.voted_for >= 0 ? ", voted " + std::to_string(q.voted_for) : std::string());
    case Role::resigned:
      return "resigned" + epoch;
    case Role::observer:
      return "observer" + epoch;
  }
  return "";
}

namespace {
/// Whether node `id` exists and is running (not crashed, powered off, paused or stopped).
bool running(const world::World& w, int32_t id) {
  const int i = w.index_of(id);
  return i >= 0 && w.node(static_cast<net::NodeIndex>(i)).status == world::NodeStatus::running;
}
}  // namespace

std::optional<kafka::raft::Countdown> late_broker_session(const world::World& w, int32_t id) {
  const int32_t active = world::active_controller(w);
  const auto* k = w.impl_as<kafka::KafkaNode>(active);
  if (k == nullptr || k->controller() == nullptr) return std::nullopt;
  const kafka::MetadataImage* img = world::cluster_image(w);
  if (img == nullptr || !img->is_active(id)) return std::nullopt;
  const auto& contact = k->controller()->last_contact();
  const auto it = contact.find(id);
  if (it == contact.end()) return std::nullopt;
  const kafka::KafkaConfig& cfg = k->config().config;
  // A broker that stopped (crashed, powered off, paused) sends no more heartbeats: its
  // session runs from the last one the controller had, shown from the moment it stopped.
  if (running(w, id) &&
      w.now() - it->second <= sim::Time::from_ms(cfg.broker_heartbeat_interval_ms))
    return std::nullopt;
  return kafka::raft::Countdown{"broker.session.timeout.ms", it->second,
                                it->second + sim::Time::from_ms(cfg.broker_session_timeout_ms)};
}

std::optional<std::pair<kafka::raft::Countdown, std::string>> lagging_follower(
    const world::World& w, int32_t id) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  if (img == nullptr) return std::nullopt;
  std::optional<std::pair<kafka::raft::Countdown, std::string>> out;
  constexpr sim::Time kLate = sim::Time::from_ms(1000);  // a healthy follower is never this late
  for (const kafka::TopicImage& t : img->topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const kafka::PartitionRegistration& reg = t.partitions[p];
      if (!reg.has_leader() || reg.leader == id ||
          std::find(reg.isr.begin(), reg.isr.end(), id) == reg.isr.end())
        continue;
      const kafka::TopicPartitionName tp{t.name, static_cast<int32_t>(p)};
      const auto* leader = hosted_replica(w, reg.leader, tp);
      const int li = w.index_of(reg.leader);
      if (leader == nullptr || li < 0 ||
          w.node(static_cast<net::NodeIndex>(li)).status != world::NodeStatus::running)
        continue;
      const auto f = leader->followers.find(id);
      if (f == leader->followers.end() || w.now() - f->second.last_caught_up < kLate) continue;
      int64_t lag_ms = 30000;
      if (const auto* k = w.impl_as<kafka::KafkaNode>(reg.leader))
        lag_ms = k->config().config.replica_lag_time_max_ms;
      if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(reg.leader))
        lag_ms = z->config().config.replica_lag_time_max_ms;
      const kafka::raft::Countdown c{"replica.lag.time.max.ms", f->second.last_caught_up,
                                     f->second.last_caught_up + sim::Time::from_ms(lag_ms)};
      if (!out || c.to < out->first.to) out = std::pair{c, tp.str()};
    }
  }
  return out;
}

std::optional<kafka::raft::Countdown> late_member(const world::World& w, net::NodeIndex i) {
  const auto* c = std::get_if<kafka::Consumer>(&w.node(i).impl);
  if (c == nullptr || !c->in_group()) return std::nullopt;
  const world::GroupView g = world::find_group(w, c->config().group.group_id);
  if (g.group == nullptr) return std::nullopt;
  for (const kafka::group::GroupMember& m : g.group->members) {
    if (m.client_id != c->config().client_id) continue;
    // A member in a JoinGroup or SyncGroup is waited for by the rebalance, not its session;
    // a deadline already past is one the coordinator is not watching.
    if (m.awaiting_join || m.awaiting_sync || m.heartbeat_deadline <= w.now()) return std::nullopt;
    const sim::Time last = m.heartbeat_deadline - sim::Time::from_ms(m.session_timeout_ms);
    const sim::Time interval = sim::Time::from_ms(c->config().group.heartbeat_interval_ms);
    if (w.now() - last <= interval + sim::Time::from_ms(500)) return std::nullopt;
    return kafka::raft::Countdown{"session.timeout.ms", last, m.heartbeat_deadline};
  }
  return std::nullopt;
}

std::optional<kafka::raft::Countdown> late_zk_session(const world::World& w,
                                                      std::span<const MessageLine> delivered,
                                                      int32_t id) {
  if (w.impl_as<kafka::zkmode::ZkBroker>(id) == nullptr) return std::nullopt;
  // The ensemble leader's committed tree: who owns /brokers/ids/<id>, with which timeout.
  const kafka::zk::ZkServer* leader = nullptr;
  std::vector<int32_t> ensemble;
  for (const world::World::Node& n : w.nodes()) {
    const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl);
    if (z == nullptr) continue;
    ensemble.push_back(n.id);
    if (n.status == world::NodeStatus::running && z->raft().is_leader()) leader = z;
  }
  if (leader == nullptr) return std::nullopt;
  const auto node = leader->tree().nodes().find("/brokers/ids/" + std::to_string(id));
  if (node == leader->tree().nodes().end() || node->second.stat.ephemeral_owner == 0)
    return std::nullopt;
  const auto session = leader->tree().sessions().find(node->second.stat.ephemeral_owner);
  if (session == leader->tree().sessions().end()) return std::nullopt;
  const sim::Time timeout = sim::Time::from_ms(session->second);
  // Late (no ping for a third of the timeout and a second), or it stopped running.
  const bool stopped = !running(w, id);
  // The last message the broker sent the ensemble (each touches its session).
  for (auto it = delivered.rbegin(); it != delivered.rend(); ++it) {
    if (it->delivered_at > w.now()) continue;  // ahead of the present
    if (w.now() - it->delivered_at > timeout) break;
    if (it->from != id || std::find(ensemble.begin(), ensemble.end(), it->to) == ensemble.end())
      continue;
    if (!stopped && w.now() - it->delivered_at <= timeout / 3 + sim::Time::from_ms(1000))
      return std::nullopt;
    return kafka::raft::Countdown{"zookeeper.session.timeout.ms", it->delivered_at,
                                  it->delivered_at + timeout};
  }
  return std::nullopt;
}

const kafka::MetadataImage* broker_view(const world::World& w, int32_t id) {
  if (const auto* k = w.impl_as<kafka::KafkaNode>(id))
    return k->config().broker ? &k->image() : nullptr;
  if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(id)) return &z->image();
  return nullptr;
}

const kafka::ReplicaManager::HostedPartition* hosted_replica(const world::World& w, int32_t id,
                                                             const kafka::TopicPartitionName& tp) {
  const kafka::ReplicaManager* rm = nullptr;
  if (const auto* k = w.impl_as<kafka::KafkaNode>(id)) rm = k->replicas();
  if (const auto* z = w.impl_as<kafka::zkmode::ZkBroker>(id)) rm = &z->replicas();
  if (rm == nullptr) return nullptr;
  const auto it = rm->partitions().find(tp);
  return it == rm->partitions().end() ? nullptr : &it->second;
}

ReplicaRole replica_role(const kafka::MetadataImage& img, const kafka::PartitionRegistration& part,
                         int32_t broker) {
  if (!img.is_active(broker)) return ReplicaRole::offline;
  if (part.leader == broker) return ReplicaRole::leader;
  if (part.in_isr(broker)) return ReplicaRole::in_sync;
  return ReplicaRole::out_of_sync;
}

const char* replica_role_name(ReplicaRole r) {
  switch (r) {
    case ReplicaRole::leader:
      return "leader";
    case ReplicaRole::in_sync:
      return "in sync";
    case ReplicaRole::out_of_sync:
      return "out of sync";
    case ReplicaRole::offline:
      return "offline";
  }
  return "?";
}

std::vector<ReplicaOnBroker> replicas_on(const kafka::MetadataImage& img, int32_t broker) {
  std::vector<ReplicaOnBroker> out;
  for (const kafka::TopicImage& t : img.topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const kafka::PartitionRegistration& part = t.partitions[p];
      if (!part.is_replica(broker)) continue;
      out.push_back({t.name + "-" + std::to_string(p), replica_role(img, part, broker)});
    }
  }
  return out;
}

RecordAt record_at(const kafka::PartitionLog& log, kafka::Offset offset) {
  if (offset < log.log_start_offset() || offset >= log.log_end_offset()) return {};
  const auto& segs = log.segments();
  // The last segment starting at or before `offset`; its batches are in offset order.
  auto seg =
      std::upper_bound(segs.begin(), segs.end(), offset,
                       [](kafka::Offset o, const kafka::Segment& s) { return o < s.base_offset; });
  if (seg == segs.begin()) return {};
  --seg;
  const auto b = std::lower_bound(
      seg->batches.begin(), seg->batches.end(), offset,
      [](const kafka::RecordBatch& rb, kafka::Offset o) { return rb.last_offset() < o; });
  if (b == seg->batches.end() || b->base_offset > offset) return {};
  RecordAt at{&*b, -1};
  if (b->data) {
    const auto& recs = b->data->records();
    const auto delta = static_cast<int32_t>(offset - b->base_offset);
    const auto r =
        std::lower_bound(recs.begin(), recs.end(), delta,
                         [](const kafka::Record& rec, int32_t d) { return rec.offset_delta < d; });
    if (r != recs.end() && r->offset_delta == delta) at.index = static_cast<int>(r - recs.begin());
  }
  return at;
}

bool acked_record_lost(const kafka::PartitionLog& leader, kafka::Offset offset, uint64_t origin) {
  if (leader.config().cleanup_compact || offset < leader.log_start_offset()) return false;
  const kafka::Record* r = record_at(leader, offset).record();
  return r == nullptr || r->origin != origin;
}

const kafka::PartitionRegistration* registration(const world::World& w,
                                                 const kafka::TopicPartitionName& tp) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  const kafka::TopicImage* t = img != nullptr ? img->topic(tp.topic) : nullptr;
  if (t == nullptr || tp.partition < 0 || static_cast<size_t>(tp.partition) >= t->partitions.size())
    return nullptr;
  return &t->partitions[static_cast<size_t>(tp.partition)];
}

namespace {
bool same_record(const RecordAt& a, const RecordAt& b) {
  if (a.batch->partition_leader_epoch != b.batch->partition_leader_epoch) return false;
  if (a.index < 0 || b.index < 0) return true;  // compaction removed it on one side
  if (a.batch->data == b.batch->data && a.index == b.index) return true;  // the same bytes
  return a.batch->data->records()[a.index].origin == b.batch->data->records()[b.index].origin;
}
}  // namespace

bool diverges_at(const kafka::PartitionLog& leader, const kafka::PartitionLog& replica,
                 kafka::Offset offset) {
  const RecordAt l = record_at(leader, offset);
  const RecordAt r = record_at(replica, offset);
  return l.batch != nullptr && r.batch != nullptr && !same_record(l, r);
}

kafka::Offset first_divergence(const kafka::PartitionLog& leader,
                               const kafka::PartitionLog& replica) {
  const kafka::Offset from = std::max(leader.log_start_offset(), replica.log_start_offset());
  const kafka::Offset to = std::min(leader.log_end_offset(), replica.log_end_offset());
  for (const kafka::Segment& seg : replica.segments()) {
    for (const kafka::RecordBatch& b : seg.batches) {
      if (b.last_offset() < from) continue;
      if (b.base_offset >= to) return kafka::kNoOffset;
      // Replication shares the batch: the same data at the same place is the same batch.
      const RecordAt l = record_at(leader, b.base_offset);
      if (l.batch != nullptr && l.batch->base_offset == b.base_offset && l.batch->data == b.data &&
          l.batch->partition_leader_epoch == b.partition_leader_epoch) {
        continue;
      }
      for (kafka::Offset o = std::max(from, b.base_offset); o <= b.last_offset() && o < to; ++o) {
        if (diverges_at(leader, replica, o)) return o;
      }
    }
  }
  return kafka::kNoOffset;
}

std::vector<ConsumerPosition> consumer_positions(const world::World& w,
                                                 const kafka::TopicPartitionName& tp) {
  std::vector<ConsumerPosition> out;
  for (const world::World::Node& n : w.nodes()) {
    const auto* c = std::get_if<kafka::Consumer>(&n.impl);
    if (c == nullptr) continue;
    const kafka::ConsumerConfig& cfg = c->config();
    // A group member reads what the group assigned it; a standalone consumer what it assign()s.
    const bool reads =
        c->in_group() ? c->assignment().count(tp) != 0
        : cfg.partitions.empty()
            ? std::find(cfg.topics.begin(), cfg.topics.end(), tp.topic) != cfg.topics.end()
            : std::find(cfg.partitions.begin(), cfg.partitions.end(), tp) != cfg.partitions.end();
    if (!reads) continue;
    ConsumerPosition p{cfg.client_id.empty() ? n.name : cfg.client_id};
    const auto positions = c->positions();
    if (const auto it = positions.find(tp); it != positions.end()) p.position = it->second;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<GroupCommit> committed_offsets(const world::World& w,
                                           const kafka::TopicPartitionName& tp) {
  std::vector<GroupCommit> out;
  for (const std::string& id : group_ids(w)) {
    const world::GroupView v = world::find_group(w, id);
    if (v.group == nullptr) continue;
    if (const auto it = v.group->offsets.find(tp); it != v.group->offsets.end())
      out.push_back({id, it->second.offset});
  }
  return out;
}

Arrow election_arrow(const world::World& w, uint32_t slot) {
  const world::Payload& body = w.payload(slot);
  if (const auto* ask = std::get_if<kafka::raft::VoteRequest>(&body))
    return ask->pre_vote ? Arrow::pre_ask : Arrow::ask;
  if (const auto* answer = std::get_if<kafka::raft::VoteResponse>(&body))
    return answer->vote_granted ? Arrow::yes : Arrow::no;
  if (const auto* create = std::get_if<kafka::zk::ZkRequest>(&body))
    return create->op == kafka::zk::ZkOp::create && create->path == "/controller" ? Arrow::ask
                                                                                  : Arrow::none;
  if (const auto* answer = std::get_if<kafka::zk::ZkResponse>(&body)) {
    // The answer to a broker's create of /controller: the xid it waits for.
    const auto* b = w.impl_as<kafka::zkmode::ZkBroker>(w.node(w.network().slots()[slot].dst).id);
    if (b == nullptr || b->controller_create_xid() == 0 ||
        b->controller_create_xid() != answer->xid)
      return Arrow::none;
    return answer->code == kafka::zk::Code::OK ? Arrow::yes : Arrow::no;
  }
  return Arrow::none;
}

}  // namespace kafkasim::gui
