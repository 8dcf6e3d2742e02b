#include "kafka/group/coordinator.h"

#include <algorithm>
#include <cstdint>

#include "kafka/group/assignor.h"
#include "kafka/log/record_batch.h"

namespace kafkasim::kafka::group {

using sim::Time;

std::string_view group_state_name(GroupState s) {
  switch (s) {
    case GroupState::Empty:
      return "Empty";
    case GroupState::PreparingRebalance:
      return "PreparingRebalance";
    case GroupState::CompletingRebalance:
      return "CompletingRebalance";
    case GroupState::Stable:
      return "Stable";
    case GroupState::Dead:
      return "Dead";
  }
  return "?";
}

const GroupMember* Group::member(std::string_view id) const {
  for (const GroupMember& m : members)
    if (m.member_id == id) return &m;
  return nullptr;
}
GroupMember* Group::member(std::string_view id) {
  for (GroupMember& m : members)
    if (m.member_id == id) return &m;
  return nullptr;
}

// [SECTION] records of __consumer_offsets
// ---------------------------------------------------------------------------------------------
// Keys are readable (the partition view shows them); values are length-prefixed fields
// ("5:hello"), so any group, member or client id survives the trip.

std::string offset_key(const std::string& group, const TopicPartitionName& tp) {
  return "offset [" + group + "," + tp.topic + "," + std::to_string(tp.partition) + "]";
}
std::string group_key(const std::string& group) {
  return "group [" + group + "]";
}

namespace {
void put(std::string& s, std::string_view v) {
  s += std::to_string(v.size());
  s += ':';
  s += v;
}
void put(std::string& s, int64_t v) {
  put(s, std::to_string(v));
}

struct Reader {
  std::string_view s;
  bool ok = true;
  std::string_view next() {
    const size_t colon = s.find(':');
    if (colon == std::string_view::npos) {
      ok = false;
      return {};
    }
    size_t n = 0;
    for (size_t i = 0; i < colon; ++i) {
      if (s[i] < '0' || s[i] > '9') ok = false;
      n = n * 10 + static_cast<size_t>(s[i] - '0');
    }
    if (!ok || colon + 1 + n > s.size()) {
      ok = false;
      return {};
    }
    const std::string_view v = s.substr(colon + 1, n);
    s.remove_prefix(colon + 1 + n);
    return v;
  }
  int64_t number() {
    const std::string_view v = next();
    int64_t n = 0;
    bool neg = false;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i == 0 && v[i] == '-') {
        neg = true;
      } else if (v[i] >= '0' && v[i] <= '9') {
        n = n * 10 + (v[i] - '0');
      } else {
        ok = false;
      }
    }
    return neg ? -n : n;
  }
};

std::string encode_offset(const CommittedOffset& o) {
  std::string s;
  put(s, o.offset);
  put(s, int64_t{o.leader_epoch});
  put(s, o.commit_timestamp_ms);
  return s;
}

void put_partitions(std::string& s, const std::vector<TopicPartitionName>& tps) {
  put(s, static_cast<int64_t>(tps.size()));
  for (const TopicPartitionName& tp : tps) {
    put(s, tp.topic);
    put(s, int64_t{tp.partition});
  }
}
std::vector<TopicPartitionName> read_partitions(Reader& r) {
  std::vector<TopicPartitionName> out;
  const int64_t n = r.number();
  for (int64_t i = 0; i < n && r.ok; ++i) {
    TopicPartitionName tp;
    tp.topic = std::string(r.next());
    tp.partition = static_cast<int32_t>(r.number());
    out.push_back(tp);
  }
  return out;
}

/// GroupMetadataValue: generation, protocol, leader and each member with its subscription (of
/// the chosen protocol) and assignment.
std::string encode_group(const Group& g) {
  std::string s;
  put(s, int64_t{g.generation_id});
  put(s, g.protocol_name);
  put(s, g.leader_id);
  put(s, static_cast<int64_t>(g.members.size()));
  for (const GroupMember& m : g.members) {
    put(s, m.member_id);
    put(s, m.group_instance_id);
    put(s, m.client_id);
    put(s, int64_t{m.session_timeout_ms});
    put(s, int64_t{m.rebalance_timeout_ms});
    std::vector<std::string> topics;
    for (const JoinGroupProtocol& p : m.protocols)
      if (p.name == g.protocol_name) topics = p.metadata.topics;
    put(s, static_cast<int64_t>(topics.size()));
    for (const std::string& t : topics)
      put(s, t);
    put_partitions(s, m.assignment);
  }
  return s;
}

bool decode_group(std::string_view v, Group& g) {
  Reader r{v};
  g.generation_id = static_cast<int32_t>(r.number());
  g.protocol_name = std::string(r.next());
  g.leader_id = std::string(r.next());
  const int64_t n = r.number();
  g.members.clear();
  for (int64_t i = 0; i < n && r.ok; ++i) {
    GroupMember m;
    m.member_id = std::string(r.next());
    m.group_instance_id = std::string(r.next());
    m.client_id = std::string(r.next());
    m.session_timeout_ms = static_cast<int32_t>(r.number());
    m.rebalance_timeout_ms = static_cast<int32_t>(r.number());
    JoinGroupProtocol p;
    p.name = g.protocol_name;
    const int64_t topics = r.number();
    for (int64_t t = 0; t < topics && r.ok; ++t)
      p.metadata.topics.emplace_back(r.next());
    m.protocols.push_back(std::move(p));
    m.assignment = read_partitions(r);
    g.members.push_back(std::move(m));
  }
  return r.ok;
}
}  // namespace

// [SECTION] ownership and loading
// ---------------------------------------------------------------------------------------------

int32_t GroupCoordinator::partition_for(std::string_view group_id) const {
  return coordinator_partition(
      group_id, static_cast<int32_t>(std::max<int64_t>(1, cfg_.offsets_topic_num_partitions)));
}

bool GroupCoordinator::owns(const std::string& group_id) const {
  return loaded_.count(partition_for(group_id)) > 0;
}

const Group* GroupCoordinator::group(std::string_view id) const {
  auto it = groups_.find(std::string(id));
  return it == groups_.end() ? nullptr : &it->second;
}

Group& GroupCoordinator::get_or_create(const std::string& group_id) {
  auto it = groups_.find(group_id);
  if (it != groups_.end()) return it->second;
  Group& g = groups_[group_id];
  g.group_id = group_id;
  g.partition = partition_for(group_id);
  g.serial = next_serial_++;
  return g;
}

void GroupCoordinator::crash() {
  groups_.clear();
  loaded_.clear();
  pending_.clear();
}

void GroupCoordinator::sync(world::Ctx& ctx, ReplicaManager& rm) {
  // Leadership of the offsets partitions, as the replica manager holds it now.
  std::map<int32_t, const ReplicaManager::HostedPartition*> led;
  // (Runs after every message: only the offsets topic's partitions are visited.)
  const auto& hosted = rm.partitions();
  static const TopicPartitionName first_offsets_partition{std::string(kOffsetsTopic), INT32_MIN};
  for (auto it = hosted.lower_bound(first_offsets_partition);
       it != hosted.end() && it->first.topic == kOffsetsTopic; ++it) {
    if (it->second.role == ReplicaManager::Role::leader) led[it->first.partition] = &it->second;
  }
  std::vector<int32_t> gone;
  for (const auto& [partition, epoch] : loaded_) {
    auto it = led.find(partition);
    if (it == led.end() || it->second->leader_epoch != epoch) gone.push_back(partition);
  }
  for (int32_t partition : gone)
    unload(ctx, partition);
  for (const auto& [partition, p] : led) {
    if (!loaded_.count(partition)) load(ctx, *p);
  }
  // Writes the high watermark now covers, or that can no longer complete.
  for (size_t i = 0; i < pending_.size();) {
    PendingWrite& w = pending_[i];
    const ReplicaManager::HostedPartition* p = rm.partition(w.tp);
    Errc error = Errc::NONE;
    bool done = false;
    if (p == nullptr || p->role != ReplicaManager::Role::leader ||
        p->leader_epoch != w.leader_epoch) {
      error = Errc::NOT_COORDINATOR;
      done = true;
    } else if (p->log.high_watermark() >= w.end) {
      done = true;
    }
    if (!done) {
      ++i;
      continue;
    }
    PendingWrite finished = std::move(w);
    pending_.erase(pending_.begin() + static_cast<long>(i));
    ctx.cancel(finished.timer);
    complete_write(ctx, rm, finished, error);
  }
}

void GroupCoordinator::load(world::Ctx& ctx, const ReplicaManager::HostedPartition& p) {
  const int32_t partition = p.tp.partition;
  loaded_[partition] = p.leader_epoch;
  // Replay the log in order: the latest record per key wins, a null value deletes.
  std::map<std::string, Group> found;
  const PartitionLog& log = p.log;
  for (const RecordBatch& b : log.read(log.log_start_offset(), log.log_end_offset(), SIZE_MAX)) {
    for (size_t i = 0; i < b.data->size(); ++i) {
      const auto key = b.data->key(i);
      const auto value = b.data->value(i);
      if (!key) continue;
      if (key->starts_with("offset [") && key->ends_with("]")) {
        const std::string_view body = key->substr(8, key->size() - 9);
        const size_t c2 = body.rfind(',');
        const size_t c1 = c2 == std::string_view::npos ? c2 : body.rfind(',', c2 - 1);
        if (c1 == std::string_view::npos) continue;
        const std::string gid(body.substr(0, c1));
        TopicPartitionName tp;
        tp.topic = std::string(body.substr(c1 + 1, c2 - c1 - 1));
        tp.partition = std::atoi(std::string(body.substr(c2 + 1)).c_str());
        Group& g = found[gid];
        g.group_id = gid;
        if (!value) {
          g.offsets.erase(tp);
          continue;
        }
        Reader r{*value};
        CommittedOffset o;
        o.offset = r.number();
        o.leader_epoch = static_cast<LeaderEpoch>(r.number());
        o.commit_timestamp_ms = r.number();
        if (r.ok) g.offsets[tp] = o;
      } else if (key->starts_with("group [") && key->ends_with("]")) {
        const std::string gid(key->substr(7, key->size() - 8));
        Group& g = found[gid];
        g.group_id = gid;
        if (!value) {
          g.members.clear();
          g.generation_id = 0;
          continue;
        }
        decode_group(*value, g);
      }
    }
  }
  int loaded_groups = 0;
  for (auto& [gid, g] : found) {
    g.partition = partition;
    g.serial = next_serial_++;
    g.state = g.members.empty() ? GroupState::Empty : GroupState::Stable;
    Group& mine = groups_[gid] = std::move(g);
    for (GroupMember& m : mine.members)
      schedule_heartbeat(ctx, m);
    ++loaded_groups;
    ctx.trace(sim::TraceKind::group_state,
              "group " + gid + " loaded: " + std::string(group_state_name(mine.state)) +
                  ", generation " + std::to_string(mine.generation_id) + ", " +
                  std::to_string(mine.members.size()) + " members, " +
                  std::to_string(mine.offsets.size()) + " committed offsets");
  }
  ctx.trace(sim::TraceKind::group_load,
            "coordinator for " + p.tp.str() + " (leader epoch " + std::to_string(p.leader_epoch) +
                "): loaded " + std::to_string(loaded_groups) + " groups from offsets " +
                std::to_string(log.log_start_offset()) + " to " +
                std::to_string(log.log_end_offset()));
}

void GroupCoordinator::unload(world::Ctx& ctx, int32_t partition) {
  loaded_.erase(partition);
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& g = it->second;
    if (g.partition != partition) {
      ++it;
      continue;
    }
    // Parked requests learn that this broker is no longer their coordinator.
    for (GroupMember& m : g.members) {
      if (m.awaiting_join) {
        JoinGroupResponse r;
        r.correlation_id = m.awaiting_join->correlation_id;
        r.error_code = Errc::NOT_COORDINATOR;
        ctx.send(m.awaiting_join->client, net::MessageKind::group, r, 48);
      }
      if (m.awaiting_sync) {
        SyncGroupResponse r;
        r.correlation_id = m.awaiting_sync->correlation_id;
        r.error_code = Errc::NOT_COORDINATOR;
        ctx.send(m.awaiting_sync->client, net::MessageKind::group, r, 48);
      }
      ctx.cancel(m.heartbeat_timer);
    }
    ctx.cancel(g.join_timer);
    ctx.cancel(g.pending_timer);
    it = groups_.erase(it);
  }
  ctx.trace(sim::TraceKind::group_load, "no longer coordinator for " + std::string(kOffsetsTopic) +
                                            "-" + std::to_string(partition) +
                                            ": its groups are unloaded");
}

// [SECTION] writes to __consumer_offsets
// ---------------------------------------------------------------------------------------------

void GroupCoordinator::append(
    world::Ctx& ctx, ReplicaManager& rm, const TopicPartitionName& tp,
    std::vector<std::pair<std::string, std::optional<std::string>>> records, PendingWrite w) {
  auto data = sim::make_rc<BatchData>();
  const int64_t now_ms = ctx.now().ns() / 1000000;
  for (const auto& [key, value] : records)
    data->add(now_ms, key, value ? std::optional<std::string_view>(*value) : std::nullopt, 0);
  const ReplicaManager::InternalAppend res = rm.append_internal(ctx, tp, make_batch(data));
  if (res.error != Errc::NONE) return complete_write(ctx, rm, w, res.error);
  w.id = next_write_++;
  w.tp = tp;
  w.end = res.end;
  w.leader_epoch = res.leader_epoch;
  w.timer = ctx.set_timer(Time::from_ms(cfg_.offsets_commit_timeout_ms), append_timer, w.id);
  pending_.push_back(std::move(w));
}

void GroupCoordinator::write_group(world::Ctx& ctx, ReplicaManager& rm, const Group& g,
                                   PendingWrite w) {
  w.group_id = g.group_id;
  w.generation_id = g.generation_id;
  append(ctx, rm, TopicPartitionName{std::string(kOffsetsTopic), g.partition},
         {{group_key(g.group_id), encode_group(g)}}, std::move(w));
}

/// OffsetCommit's answer: one error for every partition of the request.
static void send_commit_response(world::Ctx& ctx, Parked to,
                                 const std::vector<OffsetCommitPartition>& offsets, Errc e) {
  OffsetCommitResponse r;
  r.correlation_id = to.correlation_id;
  for (const OffsetCommitPartition& o : offsets)
    r.partitions.push_back(OffsetCommitPartitionResponse{o.tp, e});
  const auto bytes = static_cast<uint32_t>(32 + 24 * r.partitions.size());
  ctx.send(to.client, net::MessageKind::group, std::move(r), bytes);
}

/// What a failed write tells the client (GroupMetadataManager's mapping of append errors).
static Errc coordinator_error(Errc e) {
  switch (e) {
    case Errc::NONE:
      return Errc::NONE;
    case Errc::NOT_LEADER_OR_FOLLOWER:
    case Errc::NOT_COORDINATOR:
      return Errc::NOT_COORDINATOR;
    default:  // NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT, UNKNOWN_TOPIC_OR_PARTITION
      return Errc::COORDINATOR_NOT_AVAILABLE;
  }
}

void GroupCoordinator::complete_write(world::Ctx& ctx, ReplicaManager& rm, PendingWrite& w,
                                      Errc error) {
  error = coordinator_error(error);
  auto git = groups_.find(w.group_id);
  Group* g = git == groups_.end() ? nullptr : &git->second;
  switch (w.what) {
    case PendingWrite::What::commit: {
      if (error == Errc::NONE && g != nullptr) {
        for (const OffsetCommitPartition& o : w.offsets)
          g->offsets[o.tp] = CommittedOffset{o.committed_offset, o.committed_leader_epoch,
                                             ctx.now().ns() / 1000000};
      }
      send_commit_response(ctx, w.client, w.offsets, error);
      break;
    }
    case PendingWrite::What::assignment: {
      if (g == nullptr || g->generation_id != w.generation_id ||
          g->state != GroupState::CompletingRebalance)
        break;  // a newer rebalance already answered the parked SyncGroups
      if (error != Errc::NONE) {
        // Kafka resets the assignment, fails the parked SyncGroups and rebalances again.
        for (GroupMember& m : g->members)
          m.assignment.clear();
        fail_parked_syncs(ctx, *g, error);
        prepare_rebalance(
            ctx, rm, *g,
            "the group's assignment could not be written (" + std::string(errc_name(error)) + ")");
        break;
      }
      g->state = GroupState::Stable;
      trace_state(ctx, *g, "the leader's assignment is written");
      for (GroupMember& m : g->members) {
        if (!m.awaiting_sync) continue;
        SyncGroupResponse r;
        r.correlation_id = m.awaiting_sync->correlation_id;
        r.protocol_name = g->protocol_name;
        r.assignment = m.assignment;
        ctx.send(m.awaiting_sync->client, net::MessageKind::group, r,
                 static_cast<uint32_t>(48 + 16 * r.assignment.size()));
        m.awaiting_sync.reset();
        schedule_heartbeat(ctx, m);
      }
      break;
    }
    case PendingWrite::What::group:
      break;  // an empty group's new generation: nobody waits for it
  }
}

// [SECTION] the classic protocol
// ---------------------------------------------------------------------------------------------

std::string GroupCoordinator::new_member_id(world::Ctx& ctx, const std::string& client_id) {
  // Kafka appends a random UUID; 8 hex digits from this broker's seeded generator.
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t r = ctx.rng().next_u64();
  std::string id = client_id + "-";
  for (int i = 0; i < 8; ++i, r >>= 4)
    id += kHex[r & 15];
  return id;
}

Group* GroupCoordinator::member_group(const std::string& group_id, const std::string& member_id,
                                      const std::string& instance_id, Errc& error) {
  error = Errc::NOT_COORDINATOR;
  if (!owns(group_id)) return nullptr;
  auto it = groups_.find(group_id);
  error = it == groups_.end() ? Errc::UNKNOWN_MEMBER_ID
                              : validate_member(it->second, member_id, instance_id);
  return error == Errc::NONE ? &it->second : nullptr;
}

Errc GroupCoordinator::validate_member(const Group& g, const std::string& member_id,
                                       const std::string& instance_id) const {
  if (!instance_id.empty()) {
    for (const GroupMember& m : g.members) {
      if (m.group_instance_id == instance_id)
        return m.member_id == member_id ? Errc::NONE : Errc::FENCED_INSTANCE_ID;
    }
  }
  return g.member(member_id) == nullptr ? Errc::UNKNOWN_MEMBER_ID : Errc::NONE;
}

void GroupCoordinator::trace_state(world::Ctx& ctx, const Group& g, const std::string& why) {
  std::string s = "group " + g.group_id + " " + std::string(group_state_name(g.state)) +
                  ", generation " + std::to_string(g.generation_id);
  if (g.state == GroupState::Stable || g.state == GroupState::CompletingRebalance) {
    s += ", protocol " + g.protocol_name + ", leader " + g.leader_id;
  }
  if (g.state == GroupState::Stable) {
    s += ":";
    for (const GroupMember& m : g.members)
      s += " " + m.member_id + "=" + to_string(m.assignment);
  }
  ctx.trace(sim::TraceKind::group_state, s + " (" + why + ")");
}

void GroupCoordinator::schedule_heartbeat(world::Ctx& ctx, GroupMember& m) {
  ctx.cancel(m.heartbeat_timer);
  m.heartbeat_deadline = ctx.now() + Time::from_ms(m.session_timeout_ms);
  if (m.serial == 0) m.serial = next_serial_++;
  m.heartbeat_timer = ctx.set_timer(Time::from_ms(m.session_timeout_ms), heartbeat_timer, m.serial);
}

std::string GroupCoordinator::select_protocol(const Group& g) const {
  // Candidates: protocols every member supports; each member votes for its first candidate.
  std::vector<std::string> candidates;
  for (const JoinGroupProtocol& p : g.members.front().protocols) {
    bool all = true;
    for (const GroupMember& m : g.members) {
      all = all && std::any_of(m.protocols.begin(), m.protocols.end(),
                               [&](const JoinGroupProtocol& q) { return q.name == p.name; });
    }
    if (all) candidates.push_back(p.name);
  }
  std::map<std::string, int> votes;
  for (const GroupMember& m : g.members) {
    for (const JoinGroupProtocol& p : m.protocols) {
      if (std::find(candidates.begin(), candidates.end(), p.name) != candidates.end()) {
        ++votes[p.name];
        break;
      }
    }
  }
  std::string best;
  int most = -1;
  for (const std::string& c : candidates) {  // ties: the first member's preference
    if (votes[c] > most) {
      most = votes[c];
      best = c;
    }
  }
  return best;
}

void GroupCoordinator::send_join_response(world::Ctx& ctx, const Group& g, const GroupMember& m,
                                          Parked to, bool skip_assignment) {
  JoinGroupResponse r;
  r.correlation_id = to.correlation_id;
  r.skip_assignment = skip_assignment && m.member_id == g.leader_id;
  r.generation_id = g.generation_id;
  r.protocol_name = g.protocol_name;
  r.leader = g.leader_id;
  r.member_id = m.member_id;
  uint32_t bytes = 64;
  if (m.member_id == g.leader_id) {
    for (const GroupMember& o : g.members) {
      JoinGroupMember jm;
      jm.member_id = o.member_id;
      jm.group_instance_id = o.group_instance_id;
      for (const JoinGroupProtocol& p : o.protocols)
        if (p.name == g.protocol_name) jm.metadata = p.metadata;
      bytes += static_cast<uint32_t>(48 + 16 * jm.metadata.owned_partitions.size());
      r.members.push_back(std::move(jm));
    }
  }
  ctx.send(to.client, net::MessageKind::group, std::move(r), bytes);
}

void GroupCoordinator::fail_parked_syncs(world::Ctx& ctx, Group& g, Errc error) {
  for (GroupMember& m : g.members) {
    if (!m.awaiting_sync) continue;
    SyncGroupResponse r;
    r.correlation_id = m.awaiting_sync->correlation_id;
    r.error_code = error;
    ctx.send(m.awaiting_sync->client, net::MessageKind::group, r, 48);
    m.awaiting_sync.reset();
  }
}

void GroupCoordinator::prepare_rebalance(world::Ctx& ctx, ReplicaManager& rm, Group& g,
                                         const std::string& why) {
  if (g.state == GroupState::CompletingRebalance) {
    for (GroupMember& m : g.members)
      m.assignment.clear();
    fail_parked_syncs(ctx, g, Errc::REBALANCE_IN_PROGRESS);
  }
  const bool was_empty = g.state == GroupState::Empty;
  g.state = GroupState::PreparingRebalance;
  ctx.cancel(g.join_timer);
  int32_t rebalance_timeout = 0;
  for (const GroupMember& m : g.members)
    rebalance_timeout = std::max(rebalance_timeout, m.rebalance_timeout_ms);
  if (was_empty) {
    // InitialDelayedJoin: wait group.initial.rebalance.delay.ms for more members, again each
    // time one arrives, up to the rebalance timeout.
    const int64_t delay =
        std::min<int64_t>(cfg_.group_initial_rebalance_delay_ms, rebalance_timeout);
    g.initial_delay = true;
    g.joined_during_delay = false;
    g.initial_remaining_ms = std::max<int64_t>(0, rebalance_timeout - delay);
    g.join_timer = ctx.set_timer(Time::from_ms(delay), join_timer, g.serial);
  } else {
    g.initial_delay = false;
    g.join_timer = ctx.set_timer(Time::from_ms(rebalance_timeout), join_timer, g.serial);
  }
  trace_state(ctx, g, why);
  maybe_complete_join(ctx, rm, g);
}

void GroupCoordinator::maybe_complete_join(world::Ctx& ctx, ReplicaManager& rm, Group& g) {
  if (g.state != GroupState::PreparingRebalance || g.initial_delay) return;
  const bool all = std::all_of(g.members.begin(), g.members.end(),
                               [](const GroupMember& m) { return m.awaiting_join.has_value(); });
  if (all && g.pending_members.empty()) complete_join(ctx, rm, g);
}

void GroupCoordinator::complete_join(world::Ctx& ctx, ReplicaManager& rm, Group& g) {
  ctx.cancel(g.join_timer);
  g.initial_delay = false;
  // Members that did not rejoin in time are out.
  std::vector<std::string> late;
  for (const GroupMember& m : g.members)
    if (!m.awaiting_join) late.push_back(m.member_id);
  for (const std::string& id : late) {
    auto it = std::find_if(g.members.begin(), g.members.end(),
                           [&](const GroupMember& m) { return m.member_id == id; });
    ctx.cancel(it->heartbeat_timer);
    ctx.trace(sim::TraceKind::group_member, "group " + g.group_id + ": member " + id +
                                                " removed (it did not rejoin within the " +
                                                "rebalance timeout)");
    g.members.erase(it);
  }
  ++g.generation_id;
  if (g.members.empty()) {
    g.state = GroupState::Empty;
    g.protocol_name.clear();
    g.leader_id.clear();
    trace_state(ctx, g, "no members left");
    PendingWrite w;
    w.what = PendingWrite::What::group;
    write_group(ctx, rm, g, std::move(w));
    return;
  }
  if (g.member(g.leader_id) == nullptr) g.leader_id = g.members.front().member_id;
  g.protocol_name = select_protocol(g);
  g.state = GroupState::CompletingRebalance;
  trace_state(ctx, g, std::to_string(g.members.size()) + " members joined");
  for (GroupMember& m : g.members) {
    const Parked to = *m.awaiting_join;
    m.awaiting_join.reset();
    send_join_response(ctx, g, m, to);
    schedule_heartbeat(ctx, m);
  }
}

void GroupCoordinator::add_member_and_rebalance(world::Ctx& ctx, ReplicaManager& rm, Group& g,
                                                GroupMember m) {
  if (g.leader_id.empty() || g.member(g.leader_id) == nullptr) g.leader_id = m.member_id;
  const std::string who = m.member_id;
  ctx.trace(sim::TraceKind::group_member,
            "group " + g.group_id + ": member " + who + " (client " + m.client_id +
                (m.group_instance_id.empty() ? "" : ", static " + m.group_instance_id) + ") joins");
  g.members.push_back(std::move(m));
  if (g.state == GroupState::PreparingRebalance) {
    if (g.initial_delay) g.joined_during_delay = true;
    maybe_complete_join(ctx, rm, g);
  } else {
    prepare_rebalance(ctx, rm, g, "member " + who + " joined");
  }
}

void GroupCoordinator::remove_member(world::Ctx& ctx, ReplicaManager& rm, Group& g,
                                     const std::string& member_id, const std::string& why) {
  auto it = std::find_if(g.members.begin(), g.members.end(),
                         [&](const GroupMember& m) { return m.member_id == member_id; });
  if (it == g.members.end()) return;
  ctx.cancel(it->heartbeat_timer);
  if (it->awaiting_join) {
    JoinGroupResponse r;
    r.correlation_id = it->awaiting_join->correlation_id;
    r.error_code = Errc::UNKNOWN_MEMBER_ID;
    ctx.send(it->awaiting_join->client, net::MessageKind::group, r, 48);
  }
  ctx.trace(sim::TraceKind::group_member,
            "group " + g.group_id + ": member " + member_id + " removed (" + why + ")");
  g.members.erase(it);
  if (g.leader_id == member_id) g.leader_id = g.members.empty() ? "" : g.members.front().member_id;
  switch (g.state) {
    case GroupState::Stable:
    case GroupState::CompletingRebalance:
      prepare_rebalance(ctx, rm, g, "member " + member_id + " left: " + why);
      break;
    case GroupState::PreparingRebalance:
      maybe_complete_join(ctx, rm, g);
      break;
    default:
      break;
  }
}

void GroupCoordinator::on_join(world::Ctx& ctx, ReplicaManager& rm, BrokerId from,
                               JoinGroupRequest&& r) {
  auto reply = [&](Errc e, std::string member_id = "") {
    JoinGroupResponse resp;
    resp.correlation_id = r.correlation_id;
    resp.error_code = e;
    resp.member_id = std::move(member_id);
    ctx.send(from, net::MessageKind::group, resp, 48);
  };
  if (!owns(r.group_id)) return reply(Errc::NOT_COORDINATOR);
  if (r.session_timeout_ms < cfg_.group_min_session_timeout_ms ||
      r.session_timeout_ms > cfg_.group_max_session_timeout_ms)
    return reply(Errc::INVALID_SESSION_TIMEOUT);
  auto existing = groups_.find(r.group_id);
  if (existing == groups_.end() && !r.member_id.empty()) return reply(Errc::UNKNOWN_MEMBER_ID);
  Group& g = get_or_create(r.group_id);
  if (g.state == GroupState::Dead) return reply(Errc::COORDINATOR_NOT_AVAILABLE);
  // Every member must share a protocol with the group.
  if (!g.members.empty()) {
    bool common = false;
    for (const JoinGroupProtocol& p : r.protocols) {
      bool all = true;
      for (const GroupMember& m : g.members) {
        if (m.member_id == r.member_id) continue;
        all = all && std::any_of(m.protocols.begin(), m.protocols.end(),
                                 [&](const JoinGroupProtocol& q) { return q.name == p.name; });
      }
      common = common || all;
    }
    if (!common) return reply(Errc::INCONSISTENT_GROUP_PROTOCOL);
  }
  const Parked parked{from, r.correlation_id};
  const std::string client_id = r.client_id.empty() ? "consumer" : r.client_id;
  // A member new to the group (a static one's first join, or a dynamic one back with the id it
  // was given) joins with this request's settings and starts a rebalance.
  auto add_joining = [&](std::string member_id) {
    GroupMember m;
    m.member_id = std::move(member_id);
    m.group_instance_id = r.group_instance_id;
    m.client_id = client_id;
    m.session_timeout_ms = r.session_timeout_ms;
    m.rebalance_timeout_ms = r.rebalance_timeout_ms;
    m.protocols = std::move(r.protocols);
    m.awaiting_join = parked;
    add_member_and_rebalance(ctx, rm, g, std::move(m));
  };
  if (r.member_id.empty()) {
    if (!r.group_instance_id.empty()) {
      // A static member: no MEMBER_ID_REQUIRED round; a known instance id takes over.
      for (GroupMember& m : g.members) {
        if (m.group_instance_id != r.group_instance_id) continue;
        const std::string old = m.member_id;
        m.member_id = new_member_id(ctx, client_id);
        if (g.leader_id == old) g.leader_id = m.member_id;
        m.protocols = std::move(r.protocols);
        m.session_timeout_ms = r.session_timeout_ms;
        m.rebalance_timeout_ms = r.rebalance_timeout_ms;
        ctx.trace(sim::TraceKind::group_member, "group " + g.group_id + ": static member " +
                                                    r.group_instance_id + " rejoins as " +
                                                    m.member_id + " (replacing " + old + ")");
        if (m.awaiting_join) {  // the old incarnation's parked join is fenced
          JoinGroupResponse f;
          f.correlation_id = m.awaiting_join->correlation_id;
          f.error_code = Errc::FENCED_INSTANCE_ID;
          ctx.send(m.awaiting_join->client, net::MessageKind::group, f, 48);
          m.awaiting_join.reset();
        }
        if (g.state == GroupState::Stable && select_protocol(g) == g.protocol_name) {
          // KIP-345: back within the session timeout, no rebalance: the member keeps its
          // assignment (a leader is told to skip assigning, KIP-814). The new member id is
          // written so that a coordinator failover knows it.
          schedule_heartbeat(ctx, m);
          PendingWrite w;
          w.what = PendingWrite::What::group;
          write_group(ctx, rm, g, std::move(w));
          send_join_response(ctx, g, m, parked, /*skip_assignment=*/true);
          return;
        }
        m.awaiting_join = parked;
        if (g.state == GroupState::PreparingRebalance)
          maybe_complete_join(ctx, rm, g);
        else
          prepare_rebalance(ctx, rm, g, "static member " + r.group_instance_id + " rejoined");
        return;
      }
      add_joining(new_member_id(ctx, client_id));
      return;
    }
    // A dynamic member gets its id first and must come back with it (KIP-394).
    const std::string id = new_member_id(ctx, client_id);
    g.pending_members[id] = ctx.now() + Time::from_ms(r.session_timeout_ms);
    ctx.cancel(g.pending_timer);
    g.pending_timer = ctx.set_timer(Time::from_ms(r.session_timeout_ms), pending_timer, g.serial);
    return reply(Errc::MEMBER_ID_REQUIRED, id);
  }
  if (auto p = g.pending_members.find(r.member_id); p != g.pending_members.end()) {
    g.pending_members.erase(p);
    add_joining(r.member_id);
    return;
  }
  if (const Errc e = validate_member(g, r.member_id, r.group_instance_id); e != Errc::NONE)
    return reply(e);
  GroupMember& m = *g.member(r.member_id);
  const bool same = m.protocols == r.protocols;
  switch (g.state) {
    case GroupState::PreparingRebalance:
      m.protocols = std::move(r.protocols);
      m.awaiting_join = parked;
      maybe_complete_join(ctx, rm, g);
      return;
    case GroupState::CompletingRebalance:
      if (same) return send_join_response(ctx, g, m, parked);  // a retry of the same join
      m.protocols = std::move(r.protocols);
      m.awaiting_join = parked;
      prepare_rebalance(ctx, rm, g, "member " + m.member_id + " changed its subscription");
      return;
    case GroupState::Stable:
      if (same && m.member_id != g.leader_id) {
        schedule_heartbeat(ctx, m);
        return send_join_response(ctx, g, m, parked);
      }
      m.protocols = std::move(r.protocols);
      m.awaiting_join = parked;
      prepare_rebalance(ctx, rm, g,
                        "member " + m.member_id +
                            (m.member_id == g.leader_id ? " (the leader) rejoined"
                                                        : " changed its subscription"));
      return;
    default:
      return reply(Errc::UNKNOWN_MEMBER_ID);
  }
}

void GroupCoordinator::on_sync(world::Ctx& ctx, ReplicaManager& rm, BrokerId from,
                               SyncGroupRequest&& r) {
  auto reply = [&](Errc e, std::vector<TopicPartitionName> assignment = {}) {
    SyncGroupResponse resp;
    resp.correlation_id = r.correlation_id;
    resp.error_code = e;
    resp.assignment = std::move(assignment);
    const auto bytes = static_cast<uint32_t>(48 + 16 * resp.assignment.size());
    ctx.send(from, net::MessageKind::group, std::move(resp), bytes);
  };
  Errc error;
  Group* found = member_group(r.group_id, r.member_id, r.group_instance_id, error);
  if (found == nullptr) return reply(error);
  Group& g = *found;
  if (r.generation_id != g.generation_id) return reply(Errc::ILLEGAL_GENERATION);
  GroupMember& m = *g.member(r.member_id);
  switch (g.state) {
    case GroupState::PreparingRebalance:
      return reply(Errc::REBALANCE_IN_PROGRESS);
    case GroupState::Stable:
      schedule_heartbeat(ctx, m);
      return reply(Errc::NONE, m.assignment);
    case GroupState::CompletingRebalance: {
      m.awaiting_sync = Parked{from, r.correlation_id};
      schedule_heartbeat(ctx, m);
      if (m.member_id != g.leader_id) return;
      // The leader's assignment: members it left out get nothing.
      for (GroupMember& o : g.members) {
        o.assignment.clear();
        for (const SyncGroupAssignment& a : r.assignments)
          if (a.member_id == o.member_id) o.assignment = a.assignment;
      }
      PendingWrite w;
      w.what = PendingWrite::What::assignment;
      write_group(ctx, rm, g, std::move(w));
      return;
    }
    default:
      return reply(Errc::UNKNOWN_MEMBER_ID);
  }
}

void GroupCoordinator::on_heartbeat(world::Ctx& ctx, BrokerId from, const HeartbeatRequest& r) {
  auto reply = [&](Errc e) {
    ctx.send(from, net::MessageKind::group, HeartbeatResponse{r.correlation_id, e}, 32);
  };
  Errc error;
  Group* found = member_group(r.group_id, r.member_id, r.group_instance_id, error);
  if (found == nullptr) return reply(error);
  Group& g = *found;
  if (r.generation_id != g.generation_id) return reply(Errc::ILLEGAL_GENERATION);
  GroupMember& m = *g.member(r.member_id);
  switch (g.state) {
    case GroupState::Stable:
      schedule_heartbeat(ctx, m);
      return reply(Errc::NONE);
    case GroupState::PreparingRebalance:
    case GroupState::CompletingRebalance:
      schedule_heartbeat(ctx, m);
      return reply(Errc::REBALANCE_IN_PROGRESS);
    default:
      return reply(Errc::UNKNOWN_MEMBER_ID);
  }
}

void GroupCoordinator::on_leave(world::Ctx& ctx, ReplicaManager& rm, BrokerId from,
                                const LeaveGroupRequest& r) {
  auto reply = [&](Errc e) {
    ctx.send(from, net::MessageKind::group, LeaveGroupResponse{r.correlation_id, e}, 32);
  };
  Errc error;
  Group* g = member_group(r.group_id, r.member_id, r.group_instance_id, error);
  if (g == nullptr) return reply(error);
  remove_member(ctx, rm, *g, r.member_id, "LeaveGroup: " + r.reason);
  reply(Errc::NONE);
}

void GroupCoordinator::on_offset_commit(world::Ctx& ctx, ReplicaManager& rm, BrokerId from,
                                        OffsetCommitRequest&& r) {
  auto reply = [&](Errc e) {
    send_commit_response(ctx, Parked{from, r.correlation_id}, r.offsets, e);
  };
  if (!owns(r.group_id)) return reply(Errc::NOT_COORDINATOR);
  auto it = groups_.find(r.group_id);
  const bool simple = r.generation_id < 0 && r.member_id.empty();
  if (it == groups_.end() && !simple) return reply(Errc::UNKNOWN_MEMBER_ID);
  Group& g = get_or_create(r.group_id);
  if (simple) {
    if (!g.members.empty()) return reply(Errc::UNKNOWN_MEMBER_ID);  // the group is in use
  } else {
    if (const Errc e = validate_member(g, r.member_id, r.group_instance_id); e != Errc::NONE)
      return reply(e);
    if (r.generation_id != g.generation_id) return reply(Errc::ILLEGAL_GENERATION);
    if (g.state == GroupState::CompletingRebalance) return reply(Errc::REBALANCE_IN_PROGRESS);
    schedule_heartbeat(ctx, *g.member(r.member_id));
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> records;
  const int64_t now_ms = ctx.now().ns() / 1000000;
  for (const OffsetCommitPartition& o : r.offsets)
    records.emplace_back(
        offset_key(g.group_id, o.tp),
        encode_offset(CommittedOffset{o.committed_offset, o.committed_leader_epoch, now_ms}));
  PendingWrite w;
  w.what = PendingWrite::What::commit;
  w.group_id = g.group_id;
  w.generation_id = g.generation_id;
  w.client = Parked{from, r.correlation_id};
  w.offsets = std::move(r.offsets);
  append(ctx, rm, TopicPartitionName{std::string(kOffsetsTopic), g.partition}, std::move(records),
         std::move(w));
}

void GroupCoordinator::on_offset_fetch(world::Ctx& ctx, BrokerId from,
                                       const OffsetFetchRequest& r) {
  OffsetFetchResponse resp;
  resp.correlation_id = r.correlation_id;
  if (!owns(r.group_id)) {
    resp.error_code = Errc::NOT_COORDINATOR;
    ctx.send(from, net::MessageKind::group, resp, 32);
    return;
  }
  const Group* g = group(r.group_id);
  for (const TopicPartitionName& tp : r.partitions) {
    OffsetFetchPartitionResponse p;
    p.tp = tp;
    if (g != nullptr) {
      if (auto o = g->offsets.find(tp); o != g->offsets.end()) {
        p.committed_offset = o->second.offset;
        p.committed_leader_epoch = o->second.leader_epoch;
      }
    }
    resp.partitions.push_back(p);
  }
  const auto bytes = static_cast<uint32_t>(32 + 24 * resp.partitions.size());
  ctx.send(from, net::MessageKind::group, std::move(resp), bytes);
}

void GroupCoordinator::on_timer(world::Ctx& ctx, ReplicaManager& rm, uint16_t kind, uint64_t arg) {
  switch (kind) {
    case heartbeat_timer:
      for (auto& [gid, g] : groups_) {
        for (GroupMember& m : g.members) {
          if (m.serial != arg) continue;
          m.heartbeat_timer = {};
          if (m.awaiting_join || m.awaiting_sync) return;  // kept alive while parked
          if (ctx.now() < m.heartbeat_deadline) return;
          const std::string id = m.member_id;
          remove_member(
              ctx, rm, g, id,
              "no heartbeat within session.timeout.ms " + std::to_string(m.session_timeout_ms));
          return;
        }
      }
      return;
    case join_timer:
      for (auto& [gid, g] : groups_) {
        if (g.serial != arg || g.state != GroupState::PreparingRebalance) continue;
        g.join_timer = {};
        if (g.initial_delay && g.joined_during_delay && g.initial_remaining_ms > 0) {
          const int64_t delay =
              std::min<int64_t>(cfg_.group_initial_rebalance_delay_ms, g.initial_remaining_ms);
          g.initial_remaining_ms -= delay;
          g.joined_during_delay = false;
          g.join_timer = ctx.set_timer(Time::from_ms(delay), join_timer, g.serial);
          return;
        }
        complete_join(ctx, rm, g);
        return;
      }
      return;
    case pending_timer:
      for (auto& [gid, g] : groups_) {
        if (g.serial != arg) continue;
        g.pending_timer = {};
        Time next = Time::max();
        for (auto it = g.pending_members.begin(); it != g.pending_members.end();) {
          if (it->second <= ctx.now()) {
            it = g.pending_members.erase(it);
          } else {
            next = std::min(next, it->second);
            ++it;
          }
        }
        if (next != Time::max())
          g.pending_timer = ctx.set_timer(next - ctx.now(), pending_timer, g.serial);
        maybe_complete_join(ctx, rm, g);
        return;
      }
      return;
    case append_timer:
      for (size_t i = 0; i < pending_.size(); ++i) {
        if (pending_[i].id != arg) continue;
        PendingWrite w = std::move(pending_[i]);
        pending_.erase(pending_.begin() + static_cast<long>(i));
        complete_write(ctx, rm, w, Errc::REQUEST_TIMED_OUT);
        return;
      }
      return;
    default:
      return;
  }
}

const char* GroupCoordinator::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case heartbeat_timer:
      return "a member's session (session.timeout.ms)";
    case join_timer:
      return "the join phase's end (rebalance timeout or group.initial.rebalance.delay.ms)";
    case append_timer:
      return "an offsets or group write timeout (offsets.commit.timeout.ms)";
    case pending_timer:
      return "a pending member's join deadline";
    case timer_kind_last:  // a bound, not a timer
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka::group
