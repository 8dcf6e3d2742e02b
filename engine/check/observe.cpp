#include "check/observe.h"

#include <algorithm>

#include "check/history.h"
#include "world/cluster.h"

namespace kafkasim::check {

using sim::Err;

const std::vector<std::pair<What, const char*>>& whats() {
  static const std::vector<std::pair<What, const char*>> kAll = {
      {What::leader, "leader"},
      {What::isr, "isr"},
      {What::leader_epoch, "leader_epoch"},
      {What::high_watermark, "high_watermark"},
      {What::log_end_offset, "log_end_offset"},
      {What::controller, "controller"},
      {What::online_partitions, "online_partitions"},
      {What::offline_partitions, "offline_partitions"},
      {What::acked_records_lost, "acked_records_lost"},
      {What::duplicates, "duplicates"},
      {What::replica_divergence, "replica_divergence"},
      {What::out_of_order, "out_of_order"},
      {What::consumed, "consumed"},
      {What::committed_offset, "committed_offset"},
      {What::lag, "lag"},
      {What::group_state, "group_state"},
      {What::assignment, "assignment"},
      {What::produce_errors, "produce_errors"},
      {What::rebalances, "rebalances"},
      {What::redelivered, "redelivered"},
      {What::coordinator, "coordinator"},
  };
  return kAll;
}

std::string_view what_name(What w) {
  for (const auto& [k, name] : whats()) {
    if (k == w) return name;
  }
  return "?";
}

std::optional<What> what_from_name(std::string_view name) {
  for (const auto& [k, n] : whats()) {
    if (name == n) return k;
  }
  return std::nullopt;
}

std::string format(const Observed& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  std::string out = "[";
  if (const auto* l = std::get_if<std::vector<int64_t>>(&v)) {
    for (size_t i = 0; i < l->size(); ++i)
      out += (i ? ", " : "") + std::to_string((*l)[i]);
  } else {
    const auto& names = std::get<std::vector<std::string>>(v);
    for (size_t i = 0; i < names.size(); ++i)
      out += (i ? ", \"" : "\"") + names[i] + "\"";
  }
  return out + "]";
}

namespace {
const kafka::PartitionRegistration* registration(const kafka::MetadataImage* img,
                                                 const std::string& partition) {
  const auto tp = world::find_partition(img, partition);
  return tp ? img->partition(*tp) : nullptr;
}
using kafka::Offset;

/// The consumer-group rows, read from the group's coordinator as it is now.
sim::Result<Observed, std::string> observe_group(const world::World& w, const Query& q) {
  const world::GroupView v = world::find_group(w, q.group);
  if (v.coordinator < 0)
    return Err{"no running broker coordinates group " + q.group +
               " now (its __consumer_offsets partition has no leader)"};
  const kafka::group::Group* g = v.group;
  switch (q.what) {
    case What::group_state:
      // A group the coordinator does not know is Dead, as kafka-consumer-groups describes it.
      return Observed{std::string(
          kafka::group::group_state_name(g ? g->state : kafka::group::GroupState::Dead))};
    case What::rebalances:
      return Observed{int64_t{g ? g->generation_id : 0}};
    case What::assignment: {
      std::vector<std::string> names;
      if (g != nullptr && g->state == kafka::group::GroupState::Stable) {
        for (const kafka::group::GroupMember& m : g->members) {
          if (m.client_id != q.member) continue;
          for (const kafka::TopicPartitionName& tp : m.assignment)
            names.push_back(tp.str());
        }
      }
      std::sort(names.begin(), names.end());
      return Observed{names};
    }
    case What::committed_offset: {
      const auto tp = world::split_partition_name(q.partition);
      if (!tp) return Err{"no partition " + q.partition};
      if (g == nullptr) return Observed{int64_t{-1}};
      auto it = g->offsets.find(kafka::TopicPartitionName{tp->first, tp->second});
      return Observed{it == g->offsets.end() ? int64_t{-1} : it->second.offset};
    }
    default: {  // lag: the leader's high watermark (what ListOffsets latest gives a
                // read_uncommitted consumer) minus the committed offset, or the log start
                // offset when the group has committed nothing
      std::vector<std::string> partitions;
      if (!q.partition.empty()) {
        partitions.push_back(q.partition);
      } else {
        std::vector<std::string> topics;
        for (const world::World::Node& node : w.nodes()) {
          const auto* c = std::get_if<kafka::Consumer>(&node.impl);
          if (c == nullptr || c->config().group.group_id != q.group) continue;
          topics.insert(topics.end(), c->config().topics.begin(), c->config().topics.end());
        }
        std::sort(topics.begin(), topics.end());
        topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
        const kafka::MetadataImage* img = world::cluster_image(w);
        for (const std::string& t : topics) {
          const kafka::TopicImage* ti = img ? img->topic(t) : nullptr;
          for (size_t p = 0; ti != nullptr && p < ti->partitions.size(); ++p)
            partitions.push_back(t + "-" + std::to_string(p));
        }
      }
      int64_t lag = 0;
      for (const std::string& name : partitions) {
        const int32_t leader = world::partition_leader(w, name);
        const auto tp = world::split_partition_name(name);
        const kafka::PartitionLog* log =
            leader < 0 || !tp ? nullptr : replica_log(w, leader, tp->first, tp->second);
        if (log == nullptr) return Err{name + " has no leader to ask for its end offset"};
        Offset committed = log->log_start_offset();
        if (g != nullptr) {
          auto it = g->offsets.find(kafka::TopicPartitionName{tp->first, tp->second});
          if (it != g->offsets.end()) committed = it->second.offset;
        }
        lag += std::max<int64_t>(0, log->high_watermark() - committed);
      }
      return Observed{lag};
    }
  }
}
}  // namespace

sim::Result<Observed, std::string> observe(const world::World& w, const Query& q) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  switch (q.what) {
    case What::leader:
    case What::isr:
    case What::leader_epoch:
    case What::high_watermark:
    case What::log_end_offset: {
      const kafka::PartitionRegistration* reg = registration(img, q.partition);
      if (reg == nullptr) {
        // Before the topic exists (or with no metadata yet) there is no leader to name.
        if (q.what == What::leader) return Observed{int64_t{-1}};
        if (q.what == What::isr) return Observed{std::vector<int64_t>{}};
        return Err{"partition " + q.partition + " does not exist (yet)"};
      }
      if (q.what == What::leader) return Observed{int64_t{reg->leader}};
      if (q.what == What::leader_epoch) return Observed{int64_t{reg->leader_epoch}};
      if (q.what == What::isr) {
        std::vector<int64_t> isr(reg->isr.begin(), reg->isr.end());
        std::sort(isr.begin(), isr.end());
        return Observed{isr};
      }
      const int32_t broker = q.node.value_or(reg->leader);
      if (broker < 0) return Err{q.partition + " has no leader to read it from"};
      // The partition was found in the metadata: its name is well formed.
      const auto [topic, partition] = *world::split_partition_name(q.partition);
      const kafka::PartitionLog* log = replica_log(w, broker, topic, partition);
      if (log == nullptr)
        return Err{"broker " + std::to_string(broker) + " holds no replica of " + q.partition};
      return Observed{q.what == What::high_watermark ? log->high_watermark()
                                                     : log->log_end_offset()};
    }
    case What::controller:
      return Observed{int64_t{world::active_controller(w)}};
    case What::online_partitions:
    case What::offline_partitions: {
      int64_t online = 0, offline = 0;
      if (img != nullptr) {
        for (const kafka::TopicImage& t : img->topics()) {
          if (!q.topic.empty() && t.name != q.topic) continue;
          for (const kafka::PartitionRegistration& p : t.partitions)
            (p.has_leader() ? online : offline) += 1;
        }
      }
      return Observed{q.what == What::online_partitions ? online : offline};
    }
    case What::acked_records_lost:
    case What::duplicates:
    case What::replica_divergence:
    case What::out_of_order: {
      const DataSummary s =
          summarize(w, q.topic.empty() ? std::nullopt : std::optional<std::string>(q.topic));
      switch (q.what) {
        case What::acked_records_lost:
          return Observed{s.acked_records_lost};
        case What::duplicates:
          return Observed{s.duplicates};
        case What::replica_divergence:
          return Observed{s.replica_divergence};
        default:
          return Observed{s.out_of_order};
      }
    }
    case What::consumed:
    case What::redelivered: {
      // A record's topic is its producer's: origins carry the producer's index.
      std::vector<uint32_t> of_topic;
      for (const world::World::Node& node : w.nodes()) {
        if (const auto* p = std::get_if<kafka::Producer>(&node.impl);
            p != nullptr && p->config().topic == q.topic)
          of_topic.push_back(p->config().index);
      }
      int64_t n = 0;
      bool found = q.client.empty();
      std::vector<uint64_t> origins;  // redelivered: every record the group processed
      for (const world::World::Node& node : w.nodes()) {
        const auto* c = std::get_if<kafka::Consumer>(&node.impl);
        if (c == nullptr || (!q.client.empty() && c->config().client_id != q.client)) continue;
        if (!q.group.empty() && c->config().group.group_id != q.group) continue;
        found = true;
        for (const kafka::Delivery& d : c->deliveries()) {
          const auto producer = static_cast<uint32_t>(d.origin >> 40);
          if (!q.topic.empty() &&
              std::find(of_topic.begin(), of_topic.end(), producer) == of_topic.end())
            continue;
          ++n;
          if (q.what == What::redelivered) origins.push_back(d.origin);
        }
      }
      if (!found) return Err{"no consumer has client id \"" + q.client + "\""};
      if (q.what == What::redelivered) {
        std::sort(origins.begin(), origins.end());
        const auto distinct = std::unique(origins.begin(), origins.end()) - origins.begin();
        return Observed{static_cast<int64_t>(origins.size()) - static_cast<int64_t>(distinct)};
      }
      return Observed{n};
    }
    case What::produce_errors: {
      int64_t n = 0;
      bool found = q.client.empty();
      for (const world::World::Node& node : w.nodes()) {
        const auto* p = std::get_if<kafka::Producer>(&node.impl);
        if (p == nullptr || (!q.client.empty() && p->config().client_id != q.client)) continue;
        found = true;
        for (const auto& [e, count] : p->errors()) {
          if (q.error.empty() || kafka::errc_name(e) == q.error) n += count;
        }
      }
      if (!found) return Err{"no producer has client id \"" + q.client + "\""};
      return Observed{n};
    }
    case What::committed_offset:
    case What::lag:
    case What::group_state:
    case What::assignment:
    case What::rebalances:
      return observe_group(w, q);
    case What::coordinator:
      return Observed{int64_t{world::find_group(w, q.group).coordinator}};
  }
  return Err{"unknown expectation"};
}

}  // namespace kafkasim::check
