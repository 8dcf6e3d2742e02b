#include "check/history.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "world/cluster.h"

namespace kafkasim::check {

namespace {
const kafka::ReplicaManager* replicas_of(const world::World::Node& n) {
  if (n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off) {
    // A dead broker's disk is still there, but nobody can read it now.
    return nullptr;
  }
  return replica_manager(n);
}
// Records of a log below `end`, as (offset, origin) in offset order.
using Copy = std::vector<std::pair<kafka::Offset, uint64_t>>;
Copy origins(const kafka::PartitionLog& log, kafka::Offset end) {
  Copy out;
  for (const kafka::RecordBatch& b : log.read(log.log_start_offset(), end, SIZE_MAX)) {
    for (const kafka::Record& r : b.data->records())
      out.emplace_back(b.base_offset + r.offset_delta, r.origin);
  }
  return out;
}
// Whether two copies hold different records at an offset both have.
bool diverge(const Copy& a, const Copy& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      if (a[i].second != b[j].second) return true;
      ++i;
      ++j;
    }
  }
  return false;
}
}  // namespace

const kafka::ReplicaManager* replica_manager(const world::World::Node& n) {
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) return k->replicas();
  if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) return &z->replicas();
  return nullptr;
}

const kafka::PartitionLog* replica_log(const world::World& w, int32_t broker,
                                       const std::string& topic, int32_t partition) {
  const int i = w.index_of(broker);
  if (i < 0) return nullptr;
  const kafka::ReplicaManager* rm = replica_manager(w.node(static_cast<net::NodeIndex>(i)));
  if (rm == nullptr) return nullptr;
  const auto* p = rm->partition(kafka::TopicPartitionName{topic, partition});
  return p ? &p->log : nullptr;
}

DataSummary summarize(const world::World& w, const std::optional<std::string>& topic) {
  DataSummary s;
  const kafka::MetadataImage* img = world::cluster_image(w);
  // What consumers can read, now or once the high watermark catches up: each partition's
  // current leader's log (a leader never truncates its own log); with no leader, the logs of
  // its in-sync replicas (one of them comes back as leader). Duplicates: below the HW.
  std::vector<uint64_t> readable;  // origins, sorted once filled
  // Per partition: below this offset retention deleted records on purpose; compacted topics.
  std::map<std::pair<std::string, int32_t>, kafka::Offset> log_start;
  std::vector<std::string> compacted;
  if (img != nullptr) {
    for (const kafka::TopicImage& t : img->topics()) {
      if (topic && t.name != *topic) continue;
      for (size_t p = 0; p < t.partitions.size(); ++p) {
        const kafka::PartitionRegistration& reg = t.partitions[p];
        const std::vector<kafka::BrokerId> holders =
            reg.has_leader() ? std::vector<kafka::BrokerId>{reg.leader} : reg.isr;
        for (kafka::BrokerId holder : holders) {
          const int li = w.index_of(holder);
          if (li < 0) continue;
          const kafka::ReplicaManager* rm =
              replica_manager(w.node(static_cast<net::NodeIndex>(li)));
          const auto* hp =
              rm ? rm->partition(kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)})
                 : nullptr;
          if (hp == nullptr) continue;
          const Copy recs = origins(hp->log, hp->log.log_end_offset());
          auto [ls, fresh] =
              log_start.emplace(std::pair{t.name, static_cast<int32_t>(p)}, INT64_MAX);
          ls->second = std::min(ls->second, hp->log.log_start_offset());
          if (hp->log.config().cleanup_compact &&
              std::find(compacted.begin(), compacted.end(), t.name) == compacted.end())
            compacted.push_back(t.name);
          if (holder == reg.leader) {
            std::vector<uint64_t> below_hw;
            for (const auto& [o, origin] : recs) {
              // Origin 0: a broker's own record (the group coordinator's), not a client's.
              if (o < hp->log.high_watermark() && origin != 0) below_hw.push_back(origin);
            }
            std::sort(below_hw.begin(), below_hw.end());
            for (size_t i = 1; i < below_hw.size(); ++i)
              s.duplicates += below_hw[i] == below_hw[i - 1] ? 1 : 0;
          }
          for (const auto& [o, origin] : recs)
            readable.push_back(origin);
        }
      }
      // Divergence: any two live replicas, offset by offset below both ends.
      for (size_t p = 0; p < t.partitions.size(); ++p) {
        std::vector<Copy> copies;
        for (kafka::BrokerId b : t.partitions[p].replicas) {
          const int bi = w.index_of(b);
          if (bi < 0) continue;
          const kafka::ReplicaManager* rm = replicas_of(w.node(static_cast<net::NodeIndex>(bi)));
          const auto* hp =
              rm ? rm->partition(kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)})
                 : nullptr;
          if (hp == nullptr) continue;
          copies.push_back(origins(hp->log, hp->log.log_end_offset()));
        }
        bool diverged = false;
        for (size_t a = 0; a < copies.size() && !diverged; ++a) {
          for (size_t b = a + 1; b < copies.size() && !diverged; ++b)
            diverged = diverge(copies[a], copies[b]);
        }
        s.replica_divergence += diverged ? 1 : 0;
      }
    }
  }
  std::sort(readable.begin(), readable.end());
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* pr = std::get_if<kafka::Producer>(&n.impl)) {
      if (topic && pr->config().topic != *topic) continue;
      const auto& h = pr->history();
      s.produced += static_cast<int64_t>(h.size());
      s.acked += pr->acked();
      s.failed += pr->failed();
      const std::string& tn = pr->config().topic;
      const bool compacted_topic =
          std::find(compacted.begin(), compacted.end(), tn) != compacted.end();
      for (size_t seq = 0; seq < h.size() && !compacted_topic; ++seq) {
        if (h[seq].state != kafka::SentRecord::State::acked || pr->config().acks == 0) continue;
        if (std::binary_search(readable.begin(), readable.end(),
                               kafka::Producer::origin(pr->config().index, seq)))
          continue;
        auto ls = log_start.find({tn, h[seq].partition});
        if (ls != log_start.end() && h[seq].offset >= 0 && h[seq].offset < ls->second)
          continue;  // deleted by retention, as configured
        ++s.acked_records_lost;
        ++s.lost_by_client[pr->config().client_id];
      }
    } else if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) {
      s.consumed += static_cast<int64_t>(c->deliveries().size());
      s.out_of_order += c->order_violations();
    }
  }
  return s;
}

}  // namespace kafkasim::check
