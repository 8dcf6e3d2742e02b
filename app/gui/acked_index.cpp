#include "acked_index.h"

#include <algorithm>

#include "kafka/client/producer.h"
#include "world_view.h"

namespace kafkasim::gui {

void AckedIndex::update(const world::World& w, uint64_t rewinds) {
  if (rewinds != rewinds_) {
    rewinds_ = rewinds;
    producers_.clear();
    by_partition_.clear();
  }
  for (const world::World::Node& n : w.nodes()) {
    const auto* pr = std::get_if<kafka::Producer>(&n.impl);
    if (pr == nullptr) continue;
    const kafka::ProducerConfig& cfg = pr->config();
    if (producers_.size() <= cfg.index) producers_.resize(cfg.index + 1);
    Producer& p = producers_[cfg.index];
    p.index = cfg.index;
    p.topic = cfg.topic;
    p.client_id = cfg.client_id;
    const kafka::Producer::History& h = pr->history();
    if (p.offsets.size() < h.size()) p.offsets.resize(h.size(), kafka::kNoOffset);
    // acks=0: the producer never hears where a record went; nothing to mark.
    const bool acks = cfg.acks != 0;
    auto look = [&](size_t seq) {
      const kafka::SentRecord& r = h[seq];
      if (r.state == kafka::SentRecord::State::pending) return false;
      if (r.state == kafka::SentRecord::State::acked && acks && r.offset >= 0) {
        p.offsets[seq] = r.offset;
        std::vector<Acked>& v = by_partition_[{cfg.topic, r.partition}];
        const Acked a{r.offset, kafka::Producer::origin(cfg.index, seq), r.acked};
        const auto at =
            std::upper_bound(v.begin(), v.end(), a.offset,
                             [](kafka::Offset o, const Acked& x) { return o < x.offset; });
        v.insert(at, a);
      }
      return true;
    };
    std::erase_if(p.pending, [&](size_t seq) { return seq < h.size() && look(seq); });
    for (; p.scanned < h.size(); ++p.scanned)
      if (!look(p.scanned)) p.pending.push_back(p.scanned);
  }
}

std::vector<AckedIndex::Acked> AckedIndex::between(const std::string& topic, int32_t partition,
                                                   kafka::Offset from, kafka::Offset to) const {
  const std::vector<Acked>& v = of(topic, partition);
  const auto lo = std::lower_bound(v.begin(), v.end(), from,
                                   [](const Acked& x, kafka::Offset o) { return x.offset < o; });
  const auto hi = std::lower_bound(lo, v.end(), to,
                                   [](const Acked& x, kafka::Offset o) { return x.offset < o; });
  return {lo, hi};
}

const std::vector<AckedIndex::Acked>& AckedIndex::of(const std::string& topic,
                                                     int32_t partition) const {
  const auto it = by_partition_.find({topic, partition});
  return it == by_partition_.end() ? none_ : it->second;
}

bool AckedIndex::acked_at(uint64_t origin, kafka::Offset offset) const {
  const uint64_t index = origin >> 40;
  if (index >= producers_.size()) return false;
  const Producer& p = producers_[index];
  const uint64_t seq = kafka::Producer::seq_of(origin);
  return seq < p.offsets.size() && p.offsets[seq] == offset && offset >= 0;
}

std::vector<AckedIndex::Acked> AckedIndex::lost(const world::World& w,
                                                const kafka::TopicPartitionName& tp,
                                                kafka::Offset from, kafka::Offset to) const {
  std::vector<Acked> out;
  const kafka::PartitionRegistration* part = registration(w, tp);
  if (part == nullptr || !part->has_leader()) return out;
  const auto* hosted = hosted_replica(w, part->leader, tp);
  if (hosted == nullptr) return out;
  for (const Acked& a : between(tp.topic, tp.partition, from, to))
    if (acked_record_lost(hosted->log, a.offset, a.origin)) out.push_back(a);
  return out;
}

const std::string& AckedIndex::client_of(uint64_t origin) const {
  const uint64_t index = origin >> 40;
  return index < producers_.size() ? producers_[index].client_id : no_client_;
}

}  // namespace kafkasim::gui
