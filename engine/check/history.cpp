#include "check/history.h"

#include <map>
#include <set>

#include "world/cluster.h"

namespace kafkasim::check {

namespace {
const kafka::ReplicaManager* replicas_of(const world::World::Node& n) {
  if (n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off) {
    // A dead broker's disk is still there, but nobody can read it now.
    return nullptr;
  }
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) return k->replicas();
  if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) return &z->replicas();
  return nullptr;
}
const kafka::ReplicaManager* replicas_of_any(const world::World::Node& n) {
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) return k->replicas();
  if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) return &z->replicas();
  return nullptr;
}
// Records of a log, offset -> origin, below `end`.
void origins(const kafka::PartitionLog& log, kafka::Offset end,
             std::map<kafka::Offset, uint64_t>& out) {
  for (const kafka::RecordBatch& b : log.read(log.log_start_offset(), end, SIZE_MAX)) {
    for (const kafka::Record& r : b.data->records)
      out[b.base_offset + r.offset_delta] = r.origin;
  }
}
}  // namespace

const kafka::PartitionLog* replica_log(const world::World& w, int32_t broker,
                                       const std::string& topic, int32_t partition) {
  const int i = w.index_of(broker);
  if (i < 0) return nullptr;
  const kafka::ReplicaManager* rm = replicas_of_any(w.node(static_cast<net::NodeIndex>(i)));
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
  std::set<uint64_t> readable;
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
              replicas_of_any(w.node(static_cast<net::NodeIndex>(li)));
          const auto* hp =
              rm ? rm->partition(kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)})
                 : nullptr;
          if (hp == nullptr) continue;
          std::map<kafka::Offset, uint64_t> recs;
          origins(hp->log, hp->log.log_end_offset(), recs);
          std::set<uint64_t> seen;
          for (const auto& [o, origin] : recs) {
            if (o < hp->log.high_watermark() && !seen.insert(origin).second && holder == reg.leader)
              ++s.duplicates;
            readable.insert(origin);
          }
        }
      }
      // Divergence: any two live replicas, offset by offset below both ends.
      for (size_t p = 0; p < t.partitions.size(); ++p) {
        std::vector<std::map<kafka::Offset, uint64_t>> copies;
        for (kafka::BrokerId b : t.partitions[p].replicas) {
          const int bi = w.index_of(b);
          if (bi < 0) continue;
          const kafka::ReplicaManager* rm = replicas_of(w.node(static_cast<net::NodeIndex>(bi)));
          const auto* hp =
              rm ? rm->partition(kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)})
                 : nullptr;
          if (hp == nullptr) continue;
          copies.emplace_back();
          origins(hp->log, hp->log.log_end_offset(), copies.back());
        }
        bool diverged = false;
        for (size_t a = 0; a < copies.size() && !diverged; ++a) {
          for (size_t b = a + 1; b < copies.size() && !diverged; ++b) {
            for (const auto& [o, origin] : copies[a]) {
              auto other = copies[b].find(o);
              if (other != copies[b].end() && other->second != origin) {
                diverged = true;
                break;
              }
            }
          }
        }
        s.replica_divergence += diverged ? 1 : 0;
      }
    }
  }
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* pr = std::get_if<kafka::Producer>(&n.impl)) {
      if (topic && pr->config().topic != *topic) continue;
      const auto& h = pr->history();
      s.produced += static_cast<int64_t>(h.size());
      s.acked += pr->acked();
      s.failed += pr->failed();
      for (size_t seq = 0; seq < h.size(); ++seq) {
        if (h[seq].state != kafka::SentRecord::State::acked || pr->config().acks == 0) continue;
        if (!readable.count(kafka::Producer::origin(pr->config().index, seq)))
          ++s.acked_records_lost;
      }
    } else if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) {
      s.consumed += static_cast<int64_t>(c->deliveries().size());
      s.out_of_order += c->order_violations();
    }
  }
  return s;
}

}  // namespace kafkasim::check
