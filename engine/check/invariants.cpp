#include "check/invariants.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <tuple>

#include "check/history.h"

namespace kafkasim::check {

namespace {
bool alive(const world::World::Node& n) {
  return n.status == world::NodeStatus::running || n.status == world::NodeStatus::paused;
}
const kafka::TopicSpec* topic_spec(const world::ClusterSpec& spec, const std::string& name) {
  for (const kafka::TopicSpec& t : spec.topics) {
    if (t.name == name) return &t;
  }
  return nullptr;
}
}  // namespace

InvariantChecker::InvariantChecker(const world::ClusterSpec& spec) : spec_(spec) {
  for (const kafka::TopicSpec& t : spec.topics) {
    auto o = spec.topic_overrides.find(t.name);
    const kafka::LogConfig& log =
        o != spec.topic_overrides.end() ? o->second.log : spec.default_log;
    if (log.flush_messages <= 1) flush_every_message_topics_.push_back(t.name);
  }
  for (const kafka::ProducerConfig& p : spec.producers) {
    const kafka::TopicSpec* t = topic_spec(spec, p.topic);
    if (t == nullptr) continue;
    int64_t min_isr = spec.config.min_insync_replicas;
    if (t->min_insync_replicas) min_isr = *t->min_insync_replicas;
    if (auto o = spec.topic_overrides.find(t->name);
        o != spec.topic_overrides.end() && o->second.min_insync_replicas)
      min_isr = *o->second.min_insync_replicas;
    const bool unclean =
        t->unclean_leader_election_enable.value_or(spec.config.unclean_leader_election_enable);
    const int64_t rf = t->assignment.empty() ? t->replication_factor
                                             : static_cast<int64_t>(t->assignment.front().size());
    if (p.acks == -1 && min_isr >= 2 && rf >= 2 && !unclean &&
        !(spec.mode == world::ClusterSpec::Mode::zookeeper &&
          spec.config.truncates_to_high_watermark())) {
      promised_.push_back(p.client_id);
    }
  }
}

void InvariantChecker::withdraw_promises(const world::Command& c) {
  // Which topic the command weakens ("" = every topic), if it does.
  std::optional<std::string> weakened;
  if (const auto* x = std::get_if<world::SetConfig>(&c)) {
    const bool* on = std::get_if<bool>(&x->value);
    const int64_t* n = std::get_if<int64_t>(&x->value);
    const bool unclean = x->key == "unclean.leader.election.enable" && on && *on;
    const bool min_isr = x->key == "min.insync.replicas" && n && *n < 2;
    if (unclean || min_isr) weakened = x->topic;
  } else if (const auto* r = std::get_if<world::Reassign>(&c)) {
    // A single replica left: nothing to fail over to.
    if (r->replicas.size() < 2) {
      if (auto tp = world::split_partition_name(r->partition)) weakened = tp->first;
    }
  }
  if (!weakened) return;
  for (const kafka::ProducerConfig& p : spec_.producers) {
    if (!weakened->empty() && p.topic != *weakened) continue;
    promised_.erase(std::remove(promised_.begin(), promised_.end(), p.client_id), promised_.end());
  }
}

void InvariantChecker::fail(const world::World& w, std::string invariant, std::string what) {
  if (first_) return;
  first_ =
      Violation{std::move(invariant), std::move(what), w.describe_event(w.last_event()), w.now()};
}

void InvariantChecker::after_event(const world::World& w) {
  if (first_) return;
  // Power losses void the promise for topics that do not flush every message; operator
  // commands that weaken a topic's settings void it for that topic's producers.
  for (; commands_seen_ < w.command_log().size(); ++commands_seen_) {
    const world::Command& c = w.command_log()[commands_seen_].command;
    if (std::holds_alternative<world::PowerLoss>(c)) power_lost_ = true;
    withdraw_promises(c);
  }
  check_groups(w);
  if (ordered_producers_.empty()) {
    for (const world::World::Node& n : w.nodes()) {
      if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) {
        const auto& c = p->config();
        if (c.enable_idempotence || c.max_in_flight_requests_per_connection == 1)
          ordered_producers_.push_back(c.index);
      }
    }
    if (ordered_producers_.empty()) ordered_producers_.push_back(UINT32_MAX);  // none: a marker
  }
  bool suspect = false;
  check_leaders(w, suspect);
  check_order(w);
  // Whether a record is lost is judged against the authoritative metadata: the active
  // controller's. Without one, wait until there is one again.
  acked_pending_ = acked_pending_ || suspect;
  if (acked_pending_ && world::active_controller(w) >= 0) {
    acked_pending_ = false;
    check_acked(w);
  }
}

void InvariantChecker::check_groups(const world::World& w) {
  if (groups_.empty()) {
    for (const kafka::ConsumerConfig& c : spec_.consumers)
      if (!c.group.group_id.empty()) groups_.push_back(c.group.group_id);
    std::sort(groups_.begin(), groups_.end());
    groups_.erase(std::unique(groups_.begin(), groups_.end()), groups_.end());
    if (groups_.empty()) groups_.push_back({});  // none: a marker
  }
  if (groups_.front().empty()) return;
  // Commits are written with acks=all to __consumer_offsets: what a coordinator acknowledged
  // survives a clean failover. A power loss (unflushed on every replica) or unclean elections
  // can take it back, as they can take produced records.
  if (power_lost_ || spec_.config.unclean_leader_election_enable) offsets_promised_ = false;
  for (const std::string& gid : groups_) {
    const world::GroupView v = world::find_group(w, gid);
    if (v.group != nullptr && offsets_promised_) {
      for (const auto& [tp, o] : v.group->offsets) {
        auto [it, fresh] = committed_.emplace(std::pair{gid, tp}, o.offset);
        if (!fresh && o.offset < it->second) {
          fail(w, "committed_offsets_monotonic",
               "group " + gid + "'s committed offset of " + tp.str() + " went back from " +
                   std::to_string(it->second) + " to " + std::to_string(o.offset) +
                   " (coordinator " + std::to_string(v.coordinator) + ")");
          return;
        }
        it->second = std::max(it->second, o.offset);
      }
    }
    // Members of one generation own disjoint partitions.
    std::map<std::pair<int32_t, kafka::TopicPartitionName>, std::string> owner;
    for (const world::World::Node& n : w.nodes()) {
      const auto* c = std::get_if<kafka::Consumer>(&n.impl);
      if (c == nullptr || !alive(n) || c->config().group.group_id != gid || c->generation() < 0)
        continue;
      for (const auto& [tp, a] : c->assignment()) {
        auto [it, fresh] = owner.emplace(std::pair{c->generation(), tp}, c->config().client_id);
        if (!fresh) {
          fail(w, "one_owner_per_generation",
               "group " + gid + ": " + tp.str() + " is owned by both " + it->second + " and " +
                   c->config().client_id + " in generation " + std::to_string(c->generation()));
          return;
        }
      }
    }
  }
}

void InvariantChecker::finish(const world::World& w) {
  after_event(w);
  if (world::active_controller(w) >= 0) check_acked(w);
}

void InvariantChecker::check_leaders(const world::World& w, bool& suspect) {
  const auto& nodes = w.nodes();
  if (status_.size() != nodes.size()) {
    status_.assign(nodes.size(), 255);
    suspect = true;
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const world::World::Node& n = nodes[i];
    if (status_[i] != static_cast<uint8_t>(n.status)) {
      status_[i] = static_cast<uint8_t>(n.status);
      suspect = true;
      if (!alive(n)) {
        // A new process starts from its checkpointed high watermark (ZooKeeper mode may
        // even give it back the same leader epoch): monotonic within one incarnation only.
        for (auto it = leader_hw_.begin(); it != leader_hw_.end();)
          it = std::get<0>(it->first) == n.id ? leader_hw_.erase(it) : std::next(it);
      }
    }
    const kafka::ReplicaManager* rm = replica_manager(n);
    if (rm == nullptr) continue;
    const bool up = alive(n);
    for (const auto& [tp, p] : rm->partitions()) {
      auto key = std::tuple{n.id, tp.topic, tp.partition};
      const std::tuple<int, int32_t, int64_t> now{static_cast<int>(p.role), p.leader_epoch,
                                                  p.log.log_end_offset()};
      auto [it, fresh] = shape_.emplace(key, now);
      if (!fresh && it->second != now) {
        // Appends are harmless; a shorter log, a new role or epoch may lose records.
        if (std::get<0>(it->second) != std::get<0>(now) ||
            std::get<1>(it->second) != std::get<1>(now) ||
            std::get<2>(now) < std::get<2>(it->second))
          suspect = true;
        it->second = now;
      }
      if (!up || p.role != kafka::ReplicaManager::Role::leader) continue;
      auto [owner, first] =
          leader_of_epoch_.emplace(std::tuple{tp.topic, tp.partition, p.leader_epoch}, n.id);
      if (!first && owner->second != n.id) {
        fail(w, "one_leader_per_epoch",
             tp.str() + " has two leaders in leader epoch " + std::to_string(p.leader_epoch) +
                 ": broker " + std::to_string(owner->second) + " and broker " +
                 std::to_string(n.id));
        return;
      }
      auto [hw, seen] = leader_hw_.emplace(std::tuple{n.id, tp.topic, tp.partition, p.leader_epoch},
                                           p.log.high_watermark());
      if (!seen && p.log.high_watermark() < hw->second) {
        fail(w, "high_watermark_monotonic",
             "the high watermark of " + tp.str() + " on its leader, broker " +
                 std::to_string(n.id) + " (leader epoch " + std::to_string(p.leader_epoch) +
                 "), went back from " + std::to_string(hw->second) + " to " +
                 std::to_string(p.log.high_watermark()));
        return;
      }
      hw->second = p.log.high_watermark();
    }
  }
}

void InvariantChecker::check_order(const world::World& w) {
  for (const world::World::Node& n : w.nodes()) {
    const auto* c = std::get_if<kafka::Consumer>(&n.impl);
    if (c == nullptr) continue;
    ConsumerCursor& cur = consumers_[n.id];
    const auto& d = c->deliveries();
    for (auto at = d.begin() + static_cast<std::ptrdiff_t>(cur.checked); at != d.end();
         ++at, ++cur.checked) {
      const kafka::Delivery x = *at;
      auto slot = cur.by_partition.try_emplace(x.partition, -1, std::map<uint32_t, uint64_t>{});
      auto& [last_offset, by_producer] = slot.first->second;
      if (x.offset <= last_offset) by_producer.clear();  // read again from an earlier offset
      last_offset = x.offset;
      const auto producer = static_cast<uint32_t>(x.origin >> 40);
      if (std::find(ordered_producers_.begin(), ordered_producers_.end(), producer) ==
          ordered_producers_.end())
        continue;
      auto [it, fresh] = by_producer.emplace(producer, x.origin);
      if (!fresh && x.origin < it->second) {
        fail(w, "per_partition_order",
             n.name + " read record " + std::to_string(kafka::Producer::seq_of(x.origin)) +
                 " of producer " + std::to_string(producer) + " at offset " +
                 std::to_string(x.offset) + " of partition " + std::to_string(x.partition) +
                 " after its record " + std::to_string(kafka::Producer::seq_of(it->second)) +
                 ": an idempotent producer's records are stored in the order sent");
        return;
      }
      it->second = std::max(it->second, x.origin);
    }
  }
}

void InvariantChecker::check_acked(const world::World& w) {
  if (first_ || promised_.empty()) return;
  const DataSummary s = summarize(w);
  for (const auto& [client, lost] : s.lost_by_client) {
    if (std::find(promised_.begin(), promised_.end(), client) == promised_.end()) continue;
    // A power loss may take what the page cache held, unless the topic flushes every message.
    if (power_lost_) {
      const kafka::ProducerConfig* pc = nullptr;
      for (const auto& p : spec_.producers) {
        if (p.client_id == client) pc = &p;
      }
      if (pc != nullptr &&
          std::find(flush_every_message_topics_.begin(), flush_every_message_topics_.end(),
                    pc->topic) == flush_every_message_topics_.end())
        continue;
    }
    fail(w, "acked_records_lost",
         std::to_string(lost) + " record(s) acknowledged to producer " + client +
             " (acks=all, min.insync.replicas >= 2) can no longer be read from any leader");
    return;
  }
}

}  // namespace kafkasim::check
