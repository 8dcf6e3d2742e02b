#include "journey.h"

#include <algorithm>
#include <cstdio>

#include "kafka/client/consumer.h"
#include "kafka/client/producer.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {

/// Whether `b` holds the record `origin` (a batch's records ascend in origin: one producer's,
/// in the order it made them).
bool batch_has(const kafka::RecordBatch& b, uint64_t origin) {
  if (!b.data || b.data->empty()) return false;
  const auto recs = b.data->records();
  if (origin < recs.front().origin || origin > recs.back().origin) return false;
  const auto it =
      std::lower_bound(recs.begin(), recs.end(), origin,
                       [](const kafka::Record& rec, uint64_t o) { return rec.origin < o; });
  return it != recs.end() && it->origin == origin;
}

}  // namespace

uint64_t JourneyState::signature() const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over what can change
  auto mix = [&](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  mix(made);
  mix(static_cast<uint64_t>(request));
  mix(committed);
  mix(acked);
  mix(failed);
  mix(lost);
  for (int32_t b : on)
    mix(static_cast<uint64_t>(b) + 1000);
  for (const std::string& c : read_by)
    for (char ch : c)
      mix(static_cast<unsigned char>(ch));
  for (const Carrier& c : carriers)
    mix((static_cast<uint64_t>(static_cast<uint32_t>(c.from)) << 32) ^ static_cast<uint32_t>(c.to) ^
        0x5bd1e995ull);
  mix(on.size() * 31 + read_by.size() * 7 + carriers.size());
  return h;
}

kafka::Offset find_origin(const kafka::PartitionLog& log, uint64_t origin, size_t batches) {
  const auto& segs = log.segments();
  for (auto s = segs.rbegin(); s != segs.rend() && batches > 0; ++s) {
    for (auto b = s->batches.rbegin(); b != s->batches.rend() && batches > 0; ++b, --batches) {
      if (!batch_has(*b, origin)) continue;
      const auto recs = b->data->records();
      const auto it =
          std::lower_bound(recs.begin(), recs.end(), origin,
                           [](const kafka::Record& rec, uint64_t o) { return rec.origin < o; });
      return b->base_offset + it->offset_delta;
    }
  }
  return kafka::kNoOffset;
}

JourneyState journey(const world::World& w, const FollowedRecord& r) {
  JourneyState j;
  j.offset = r.offset;
  const uint64_t index = r.origin >> 40, seq = kafka::Producer::seq_of(r.origin);
  for (const world::World::Node& n : w.nodes()) {
    const auto* p = std::get_if<kafka::Producer>(&n.impl);
    if (p == nullptr || p->config().index != index) continue;
    j.producer = p->config().client_id;
    j.producer_node = n.id;
    if (seq < p->history().size()) {
      const kafka::SentRecord& s = p->history()[seq];
      j.made = true;
      j.made_at = s.created;
      j.acked = s.state == kafka::SentRecord::State::acked;
      j.failed = s.state == kafka::SentRecord::State::failed;
      j.acked_at = s.acked;
      if (j.offset == kafka::kNoOffset) j.offset = s.offset;
      const kafka::Producer::Carrying c = p->request_carrying(r.origin);
      j.request = c.attempt;
      j.correlation_id = c.correlation_id;
    }
  }
  const kafka::PartitionRegistration* reg = registration(w, r.tp);
  const bool has_leader = reg != nullptr && reg->has_leader();
  // Not yet acknowledged: where a broker wrote it, if one did (the leader first).
  if (j.offset == kafka::kNoOffset && j.made) {
    if (has_leader)
      if (const auto* h = hosted_replica(w, reg->leader, r.tp))
        j.offset = find_origin(h->log, r.origin);
    for (const world::World::Node& n : w.nodes()) {
      if (j.offset != kafka::kNoOffset) break;
      if (const auto* h = hosted_replica(w, n.id, r.tp)) j.offset = find_origin(h->log, r.origin);
    }
  }
  // The replicas that hold it at its offset, in node order.
  const kafka::PartitionLog* leader_log = nullptr;
  for (const world::World::Node& n : w.nodes()) {
    const auto* h = hosted_replica(w, n.id, r.tp);
    if (h == nullptr) continue;
    if (has_leader && reg->leader == n.id) leader_log = &h->log;
    if (j.offset == kafka::kNoOffset) continue;
    const RecordAt at = record_at(h->log, j.offset);
    if (at.record() == nullptr || at.record()->origin != r.origin) continue;
    j.on.push_back(n.id);
    if (j.key.empty()) {
      const auto k = at.batch->data->key(static_cast<size_t>(at.index));
      j.key = k ? std::string(k->substr(0, 32)) : "null";
    }
  }
  if (leader_log != nullptr && j.offset != kafka::kNoOffset) {
    // The same rule as the log strip's red crosses (acked_record_lost).
    j.committed = std::find(j.on.begin(), j.on.end(), reg->leader) != j.on.end() &&
                  j.offset < leader_log->high_watermark();
    j.lost = j.acked && acked_record_lost(*leader_log, j.offset, r.origin);
  }
  if (j.offset != kafka::kNoOffset)
    for (const ConsumerPosition& c : consumer_positions(w, r.tp))
      if (c.position != kafka::kNoOffset && c.position > j.offset) j.read_by.push_back(c.client_id);

  // The messages on the wire with it: its produce request (each attempt), the fetch
  // responses that take it to a follower or a consumer, and the produce response that acks it.
  if (!j.made) return j;
  const net::Network& net = w.network();
  for (uint32_t slot = 0; slot < net.slots().size(); ++slot) {
    const net::Envelope& e = net.slots()[slot];
    if (!e.live) continue;
    const world::World::Node &src = w.node(e.src), &dst = w.node(e.dst);
    const world::Payload& body = w.payload(slot);
    if (const auto* pr = std::get_if<kafka::ProduceRequest>(&body)) {
      if (src.id != j.producer_node) continue;
      for (const kafka::ProducePartitionData& d : pr->partitions)
        if (d.tp == r.tp && batch_has(d.batch, r.origin))
          j.carriers.push_back({slot, src.id, dst.id, "a produce request to " + dst.name});
    } else if (const auto* fr = std::get_if<kafka::FetchResponse>(&body)) {
      if (j.offset == kafka::kNoOffset) continue;
      for (const kafka::FetchPartitionResponse& p : fr->partitions) {
        if (!(p.tp == r.tp)) continue;
        for (const kafka::RecordBatch& b : p.records)
          if (b.base_offset <= j.offset && j.offset <= b.last_offset() && batch_has(b, r.origin))
            j.carriers.push_back({slot, src.id, dst.id, "a fetch response to " + dst.name});
      }
    } else if (const auto* ans = std::get_if<kafka::ProduceResponse>(&body)) {
      // Its ack: the answer to the request that carries it.
      if (dst.id == j.producer_node && j.request > 0 && ans->correlation_id == j.correlation_id)
        j.carriers.push_back({slot, src.id, dst.id, "the produce response to " + dst.name});
    }
  }
  return j;
}

std::string describe(const JourneyState& j, const std::vector<int32_t>& replicas) {
  if (!j.made) return "not made yet";
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  // Where it is first, then what carries it on, then what it waits for.
  bool on_wire = false;  // its produce request is on the wire
  for (const Carrier& c : j.carriers)
    on_wire = on_wire || c.what.starts_with("a produce request");
  if (j.on.empty()) {
    if (j.lost)
      add("lost: no replica of the leader holds it");
    else if (j.failed)
      add("failed: the producer gave up on it");
    else if (j.request == 0)
      add("in the producer's accumulator");
  } else {
    std::string on = "on ", missing;
    for (size_t i = 0; i < j.on.size(); ++i)
      on += (i ? ", " : "") + std::to_string(j.on[i]);
    for (int32_t b : replicas)
      if (std::find(j.on.begin(), j.on.end(), b) == j.on.end())
        missing += (missing.empty() ? "" : ", ") + std::to_string(b);
    add(on + (missing.empty() ? "" : " (not " + missing + ")"));
  }
  for (const Carrier& c : j.carriers)
    add("in " + c.what);
  if (j.request > 0 && !on_wire) add("its produce request awaits an answer");
  if (j.request > 1) add("attempt " + std::to_string(j.request));
  if (j.committed) add("committed (below the HW)");
  char when[64];
  if (j.acked) {
    std::snprintf(when, sizeof when, "acknowledged at %.3f s", j.acked_at.seconds());
    add(when);
  }
  if (j.lost) add("LOST: the leader holds another record at its offset");
  if (!j.read_by.empty()) {
    std::string by = "read by ";
    for (size_t i = 0; i < j.read_by.size(); ++i)
      by += (i ? ", " : "") + j.read_by[i];
    add(by);
  }
  return out;
}

}  // namespace kafkasim::gui
