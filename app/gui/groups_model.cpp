#include "groups_model.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "kafka/client/consumer.h"
#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {

using kafka::TopicPartitionName;

const kafka::Consumer* consumer_of(const world::World::Node& n, const std::string& group_id) {
  const auto* c = std::get_if<kafka::Consumer>(&n.impl);
  return c != nullptr && c->in_group() && c->config().group.group_id == group_id ? c : nullptr;
}

std::string client_id_of(const world::World::Node& n, const kafka::Consumer& c) {
  return c.config().client_id.empty() ? n.name : c.config().client_id;
}

// [members] ------------------------------------------------------------------------------------

GroupMemberRow member_row(const world::World::Node& n, const kafka::Consumer& c,
                          const kafka::group::Group* g) {
  GroupMemberRow m;
  m.node = n.id;
  m.client_id = client_id_of(n, c);
  m.member_id = c.member_id();
  m.instance_id = c.config().group.group_instance_id;
  m.running = n.status == world::NodeStatus::running;
  m.phase = m.running ? std::string(kafka::member_phase_name(c.phase()))
                      : world::node_status_name(n.status);
  m.at_coordinator = g != nullptr && !m.member_id.empty() && g->member(m.member_id) != nullptr;
  m.leader = g != nullptr ? !m.member_id.empty() && g->leader_id == m.member_id : c.is_leader();
  m.generation = c.generation();
  for (const auto& [tp, a] : c.assignment())
    m.owned.push_back(tp);
  m.consumed = static_cast<int64_t>(c.deliveries().size());
  m.busy = m.running && c.busy();
  m.last_poll = c.last_poll();
  m.polled = c.last_poll() > sim::Time::zero();
  m.max_poll_interval_ms = c.config().group.max_poll_interval_ms;
  return m;
}

/// The consumers of the group in node order, then the members only the coordinator lists.
void add_members(const world::World& w, const kafka::group::Group* g, GroupModel& out) {
  for (const world::World::Node& n : w.nodes()) {
    if (const kafka::Consumer* c = consumer_of(n, out.group_id))
      out.members.push_back(member_row(n, *c, g));
  }
  if (g == nullptr) return;
  for (const kafka::group::GroupMember& gm : g->members) {
    const bool seen = std::any_of(out.members.begin(), out.members.end(),
                                  [&](const auto& m) { return m.member_id == gm.member_id; });
    if (seen) continue;
    GroupMemberRow m;
    m.client_id = gm.client_id;
    m.member_id = gm.member_id;
    m.instance_id = gm.group_instance_id;
    m.phase = "at coordinator only";
    m.running = false;
    m.at_coordinator = true;
    m.leader = g->leader_id == gm.member_id;
    m.generation = g->generation_id;
    m.owned = gm.assignment;
    out.members.push_back(std::move(m));
  }
  for (const GroupMemberRow& m : out.members) {
    if (m.leader) {
      out.leader_client_id = m.client_id;
      if (out.leader_member_id.empty()) out.leader_member_id = m.member_id;
    }
  }
}

// [partitions] ---------------------------------------------------------------------------------

/// The partitions of every topic the group's consumers read, and any with a committed offset.
std::vector<TopicPartitionName> group_partitions(const world::World& w,
                                                 const kafka::group::Group* g,
                                                 const std::string& group_id) {
  std::vector<std::string> topics;
  for (const world::World::Node& n : w.nodes()) {
    if (const kafka::Consumer* c = consumer_of(n, group_id))
      topics.insert(topics.end(), c->config().topics.begin(), c->config().topics.end());
  }
  std::vector<TopicPartitionName> out;
  if (const kafka::MetadataImage* img = world::cluster_image(w)) {
    for (const kafka::TopicImage& t : img->topics()) {
      if (std::find(topics.begin(), topics.end(), t.name) == topics.end()) continue;
      for (size_t p = 0; p < t.partitions.size(); ++p)
        out.push_back({t.name, static_cast<int32_t>(p)});
    }
  }
  if (g != nullptr) {
    for (const auto& [tp, off] : g->offsets)
      out.push_back(tp);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

GroupPartitionRow partition_row(const world::World& w, const kafka::group::Group* g,
                                const GroupModel& m, const TopicPartitionName& tp) {
  GroupPartitionRow r;
  r.tp = tp;
  for (const world::World::Node& n : w.nodes()) {
    const kafka::Consumer* c = consumer_of(n, m.group_id);
    if (c == nullptr || n.status != world::NodeStatus::running) continue;
    const auto it = c->assignment().find(tp);
    if (it == c->assignment().end()) continue;
    if (r.owners.empty()) r.position = it->second.position;
    r.owners.push_back(client_id_of(n, *c));
  }
  if (g != nullptr) {
    if (const auto it = g->offsets.find(tp); it != g->offsets.end()) {
      r.committed = it->second.offset;
      r.committed_from = CommitSource::coordinator;
    }
  } else {
    // No coordinator holds the group (a failover): what the members last had acknowledged.
    for (const world::World::Node& n : w.nodes()) {
      const kafka::Consumer* c = consumer_of(n, m.group_id);
      if (c == nullptr) continue;
      const auto it = c->committed().find(tp);
      if (it == c->committed().end() || it->second <= r.committed) continue;
      r.committed = it->second;
      r.committed_from = CommitSource::members;
    }
  }
  const int32_t leader = world::partition_leader(w, tp.str());
  const auto* hosted = leader < 0 ? nullptr : hosted_replica(w, leader, tp);
  if (hosted != nullptr) r.high_watermark = hosted->log.high_watermark();
  if (r.high_watermark >= 0 && r.committed >= 0)
    r.lag = std::max<int64_t>(0, r.high_watermark - r.committed);
  return r;
}

// [timeline] -----------------------------------------------------------------------------------

/// The consumer's assignment history as spans; a crash of its node ends what it owned (the
/// history records that as a loss at the crash's time; the trace says it was a crash).
MemberLane lane_of(const world::World::Node& n, const kafka::Consumer& c,
                   std::span<const sim::TraceRecord> trace, sim::Time now) {
  MemberLane lane;
  lane.node = n.id;
  lane.client_id = client_id_of(n, c);
  for (const sim::TraceRecord& r : trace) {
    if (r.node == n.id &&
        (r.kind == sim::TraceKind::node_crash || r.kind == sim::TraceKind::node_power_loss))
      lane.crashes.push_back(r.at);
  }
  std::map<TopicPartitionName, size_t> open;  // partition -> index into spans
  auto close = [&](const TopicPartitionName& tp, sim::Time at, OwnershipSpan::End why, int32_t g) {
    const auto it = open.find(tp);
    if (it == open.end()) return;
    OwnershipSpan& s = lane.spans[it->second];
    s.to = at;
    s.end = why;
    s.end_generation = g;
    open.erase(it);
  };
  size_t crash = 0;
  auto crashes_until = [&](sim::Time t) {  // history at the crash's time came first
    for (; crash < lane.crashes.size() && lane.crashes[crash] < t; ++crash) {
      while (!open.empty())
        close(open.begin()->first, lane.crashes[crash], OwnershipSpan::End::crashed, -1);
    }
  };
  for (const kafka::AssignmentChange& ch : c.assignment_history()) {
    crashes_until(ch.at);
    const bool at_crash =
        std::find(lane.crashes.begin(), lane.crashes.end(), ch.at) != lane.crashes.end();
    for (const TopicPartitionName& tp : ch.revoked)
      close(tp, ch.at,
            !ch.lost   ? OwnershipSpan::End::revoked
            : at_crash ? OwnershipSpan::End::crashed
                       : OwnershipSpan::End::lost,
            at_crash ? -1 : ch.generation);
    for (const TopicPartitionName& tp : ch.assigned) {
      if (open.count(tp) != 0) continue;
      open[tp] = lane.spans.size();
      lane.spans.push_back({tp, ch.at, now, ch.generation});
    }
  }
  crashes_until(now + sim::Time::from_ns(1));
  for (const OwnershipSpan& s : lane.spans)
    lane.rows.push_back(s.tp);
  std::sort(lane.rows.begin(), lane.rows.end());
  lane.rows.erase(std::unique(lane.rows.begin(), lane.rows.end()), lane.rows.end());
  return lane;
}

/// The first time any member applied each generation's assignment.
std::vector<GenerationMark> generation_marks(const world::World& w, const std::string& group_id) {
  std::map<int32_t, sim::Time> first;
  for (const world::World::Node& n : w.nodes()) {
    const kafka::Consumer* c = consumer_of(n, group_id);
    if (c == nullptr) continue;
    for (const kafka::AssignmentChange& ch : c->assignment_history()) {
      if (!ch.revoked.empty() || ch.generation < 0) continue;  // a revocation, not a SyncGroup
      auto [it, fresh] = first.emplace(ch.generation, ch.at);
      if (!fresh) it->second = std::min(it->second, ch.at);
    }
  }
  std::vector<GenerationMark> out;
  for (const auto& [g, at] : first)
    out.push_back({g, at});
  return out;
}

/// The word after "group <id> " in a group_state record: its state, or "loaded:".
std::string_view state_word(const sim::TraceRecord& r, const std::string& group_id) {
  const std::string_view s = r.reason;
  const size_t prefix = 6 + group_id.size() + 1;  // "group " + id + " "
  if (s.size() <= prefix || s.substr(0, 6) != "group " ||
      s.substr(6, group_id.size()) != group_id || s[prefix - 1] != ' ')
    return {};
  const std::string_view rest = s.substr(prefix);
  return rest.substr(0, rest.find_first_of(" ,"));
}

/// Rebalances, coordinator changes and times without a coordinator, from the trace.
void trace_marks(std::span<const sim::TraceRecord> trace, sim::Time now, GroupModel& m) {
  int32_t coordinator = -1;
  for (const sim::TraceRecord& r : trace) {
    const bool crash =
        r.kind == sim::TraceKind::node_crash || r.kind == sim::TraceKind::node_power_loss;
    if (crash && r.node == coordinator && coordinator >= 0) {
      m.no_coordinator.push_back({r.at, now, true, coordinator});
      coordinator = -1;
      if (!m.rebalances.empty() && m.rebalances.back().open) {
        m.rebalances.back().to = r.at;  // the group's state went with the broker
        m.rebalances.back().open = false;
      }
      continue;
    }
    if (r.kind != sim::TraceKind::group_state) continue;
    const std::string_view word = state_word(r, m.group_id);
    if (word.empty()) continue;
    if (r.node != coordinator) {
      if (!m.no_coordinator.empty() && m.no_coordinator.back().open) {
        m.no_coordinator.back().to = r.at;
        m.no_coordinator.back().open = false;
      }
      coordinator = r.node;
      m.coordinators.push_back({r.at, r.node});
    }
    const bool rebalancing = !m.rebalances.empty() && m.rebalances.back().open;
    if (word == "PreparingRebalance" && !rebalancing) m.rebalances.push_back({r.at, now, true});
    if ((word == "Stable" || word == "Empty" || word == "Dead") && rebalancing) {
      m.rebalances.back().to = r.at;
      m.rebalances.back().open = false;
    }
  }
}

}  // namespace

// [SECTION] public ----------------------------------------------------------------------------

const char* span_end_name(OwnershipSpan::End e) {
  switch (e) {
    case OwnershipSpan::End::owned:
      return "still owned";
    case OwnershipSpan::End::revoked:
      return "revoked";
    case OwnershipSpan::End::lost:
      return "lost";
    case OwnershipSpan::End::crashed:
      return "crashed";
  }
  return "?";
}

std::vector<TopicPartitionName> MemberLane::owned_at(sim::Time t) const {
  std::vector<TopicPartitionName> out;
  for (const OwnershipSpan& s : spans) {
    if (s.from <= t && (t < s.to || (s.end == OwnershipSpan::End::owned && t == s.to)))
      out.push_back(s.tp);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> group_ids(const world::World& w) {
  std::vector<std::string> out;
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* c = std::get_if<kafka::Consumer>(&n.impl); c != nullptr && c->in_group())
      out.push_back(c->config().group.group_id);
    if (n.status != world::NodeStatus::running) continue;
    if (const kafka::group::GroupCoordinator* gc = world::group_coordinator(n)) {
      for (const auto& [id, g] : gc->groups())
        out.push_back(id);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::map<int32_t, std::vector<std::string>> coordinators(const world::World& w) {
  std::map<int32_t, std::vector<std::string>> out;
  for (const std::string& id : group_ids(w)) {
    const int32_t broker = world::find_group(w, id).coordinator;
    if (broker >= 0) out[broker].push_back(id);
  }
  return out;
}

bool group_model_reads(sim::TraceKind k) {
  return k == sim::TraceKind::group_state || k == sim::TraceKind::node_crash ||
         k == sim::TraceKind::node_power_loss;
}

GroupModel group_model(const world::World& w, const std::string& group_id,
                       std::span<const sim::TraceRecord> trace) {
  GroupModel m;
  m.group_id = group_id;
  m.now = w.now();
  const world::GroupView v = world::find_group(w, group_id);
  const kafka::group::Group* g = v.group;
  m.coordinator = v.coordinator;
  m.known = g != nullptr;
  m.state = g != nullptr ? std::string(kafka::group::group_state_name(g->state)) : "unknown";
  if (g != nullptr) {
    m.generation = g->generation_id;
    m.protocol = g->protocol_name;
    m.leader_member_id = g->leader_id;
  }
  add_members(w, g, m);
  for (const TopicPartitionName& tp : group_partitions(w, g, group_id)) {
    m.partitions.push_back(partition_row(w, g, m, tp));
    if (m.partitions.back().lag >= 0)
      m.lag_total = std::max<int64_t>(m.lag_total, 0) + m.partitions.back().lag;
  }
  for (const world::World::Node& n : w.nodes()) {
    if (const kafka::Consumer* c = consumer_of(n, group_id))
      m.lanes.push_back(lane_of(n, *c, trace, m.now));
  }
  m.generations = generation_marks(w, group_id);
  trace_marks(trace, m.now, m);
  return m;
}

void GroupTrace::update(std::span<const sim::TraceRecord> present, uint64_t rewinds) {
  if (rewinds != rewinds_ || present.size() < seen_) {
    records_.clear();
    seen_ = 0;
    rewinds_ = rewinds;
  }
  for (; seen_ < present.size(); ++seen_) {
    if (group_model_reads(present[seen_].kind)) records_.push_back(present[seen_]);
  }
}

}  // namespace kafkasim::gui
