#include "journey.h"

#include <algorithm>
#include <cstdio>

#include "kafka/client/consumer.h"
#include "kafka/client/producer.h"
#include "world_view.h"

namespace kafkasim::gui {

uint64_t JourneyState::signature() const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over what can change
  auto mix = [&](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
  mix(made);
  mix(committed);
  mix(acked);
  mix(lost);
  for (int32_t b : on)
    mix(static_cast<uint64_t>(b) + 1000);
  for (const std::string& c : read_by)
    for (char ch : c)
      mix(static_cast<unsigned char>(ch));
  mix(on.size() * 31 + read_by.size());
  return h;
}

JourneyState journey(const world::World& w, const FollowedRecord& r) {
  JourneyState j;
  const uint64_t index = r.origin >> 40, seq = kafka::Producer::seq_of(r.origin);
  for (const world::World::Node& n : w.nodes()) {
    const auto* p = std::get_if<kafka::Producer>(&n.impl);
    if (p == nullptr || p->config().index != index) continue;
    j.producer = p->config().client_id;
    if (seq < p->history().size()) {
      const kafka::SentRecord& s = p->history()[seq];
      j.made = true;
      j.made_at = s.created;
      j.acked = s.state == kafka::SentRecord::State::acked;
      j.acked_at = s.acked;
    }
  }
  // The replicas that hold it at its offset, in node order.
  const kafka::PartitionLog* leader_log = nullptr;
  const kafka::PartitionRegistration* reg = registration(w, r.tp);
  for (const world::World::Node& n : w.nodes()) {
    const auto* h = hosted_replica(w, n.id, r.tp);
    if (h == nullptr) continue;
    if (reg != nullptr && reg->has_leader() && reg->leader == n.id) leader_log = &h->log;
    const RecordAt at = record_at(h->log, r.offset);
    if (at.record() == nullptr || at.record()->origin != r.origin) continue;
    j.on.push_back(n.id);
    if (j.key.empty()) {
      const auto k = at.batch->data->key(static_cast<size_t>(at.index));
      j.key = k ? std::string(k->substr(0, 32)) : "null";
    }
  }
  if (leader_log != nullptr) {
    // The same rule as the log strip's red crosses (acked_record_lost).
    j.committed = std::find(j.on.begin(), j.on.end(), reg->leader) != j.on.end() &&
                  r.offset < leader_log->high_watermark();
    j.lost = j.acked && acked_record_lost(*leader_log, r.offset, r.origin);
  }
  for (const ConsumerPosition& c : consumer_positions(w, r.tp))
    if (c.position != kafka::kNoOffset && c.position > r.offset) j.read_by.push_back(c.client_id);
  return j;
}

std::string describe(const JourneyState& j, const std::vector<int32_t>& replicas) {
  if (!j.made) return "not made yet";
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (j.on.empty()) {
    add(j.lost ? "lost: no replica of the leader holds it" : "on its way (in the producer)");
  } else {
    std::string on = "on ", missing;
    for (size_t i = 0; i < j.on.size(); ++i)
      on += (i ? ", " : "") + std::to_string(j.on[i]);
    for (int32_t b : replicas)
      if (std::find(j.on.begin(), j.on.end(), b) == j.on.end())
        missing += (missing.empty() ? "" : ", ") + std::to_string(b);
    add(on + (missing.empty() ? "" : " (not " + missing + ")"));
  }
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
