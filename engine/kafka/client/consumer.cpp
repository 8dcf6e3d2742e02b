#include "kafka/client/consumer.h"

#include <algorithm>

#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

void Consumer::on_crash(bool) {
  const ConsumerConfig cfg = cfg_;
  std::vector<Delivery> deliveries = std::move(deliveries_);
  auto last = std::move(last_seq_by_key_);
  const int64_t violations = order_violations_;
  std::map<Errc, int64_t> errors = std::move(errors_);
  *this = Consumer(cfg);
  deliveries_ = std::move(deliveries);
  last_seq_by_key_ = std::move(last);
  order_violations_ = violations;
  errors_ = std::move(errors);
}

std::map<TopicPartitionName, Offset> Consumer::positions() const {
  std::map<TopicPartitionName, Offset> out;
  for (const auto& [tp, a] : assigned_)
    out[tp] = a.position;
  return out;
}

void Consumer::on_start(world::Ctx& ctx) {
  if (ctx.now() < cfg_.start) {
    ctx.set_timer(cfg_.start - ctx.now(), start_timer, 0);
    return;
  }
  begin(ctx);
}

void Consumer::begin(world::Ctx& ctx) {
  running_ = true;
  for (const TopicPartitionName& tp : cfg_.partitions)
    assigned_[tp] = Assigned{};
  request_metadata(ctx);
}

void Consumer::request_metadata(world::Ctx& ctx) {
  if (metadata_in_flight_) return;
  const std::vector<BrokerId>& candidates = brokers_.empty() ? cfg_.bootstrap : brokers_;
  if (candidates.empty()) return;
  metadata_in_flight_ = true;
  metadata_correlation_ = next_correlation_++;
  MetadataRequest r;
  r.correlation_id = metadata_correlation_;
  r.topics = cfg_.topics;
  ctx.send(brokers_to_ask_.reachable(candidates), net::MessageKind::metadata, r, 48);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, metadata_correlation_);
}

void Consumer::reset_position(world::Ctx& ctx, const TopicPartitionName& tp, Assigned& a) {
  if (a.listing || a.leader < 0) return;
  if (cfg_.auto_offset_reset == "none") {
    ++errors_[Errc::OFFSET_OUT_OF_RANGE];  // NoOffsetForPartitionException: it stops there
    return;
  }
  a.listing = true;
  a.list_correlation = next_correlation_++;
  ListOffsetsRequest r;
  r.correlation_id = a.list_correlation;
  r.tp = tp;
  r.timestamp = cfg_.auto_offset_reset == "earliest" ? kEarliestTimestamp : kLatestTimestamp;
  r.current_leader_epoch = a.leader_epoch;
  ctx.send(a.leader, net::MessageKind::fetch, r, 48);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, a.list_correlation);
}

void Consumer::fetch(world::Ctx& ctx) {
  if (!running_) return;
  std::vector<std::pair<BrokerId, FetchRequest>> requests;  // by broker id, few
  for (auto& [tp, a] : assigned_) {
    if (a.leader < 0) continue;
    if (a.position < 0) {
      reset_position(ctx, tp, a);
      continue;
    }
    if (fetch_in_flight_.count(a.leader)) continue;
    auto at = std::lower_bound(requests.begin(), requests.end(), a.leader,
                               [](const auto& x, BrokerId b) { return x.first < b; });
    if (at == requests.end() || at->first != a.leader) at = requests.insert(at, {a.leader, {}});
    FetchRequest& r = at->second;
    r.replica_id = -1;
    r.max_wait_ms = static_cast<int32_t>(cfg_.fetch_max_wait_ms);
    r.min_bytes = static_cast<int32_t>(cfg_.fetch_min_bytes);
    r.max_bytes = static_cast<int32_t>(cfg_.fetch_max_bytes);
    FetchPartition fp;
    fp.tp = tp;
    fp.current_leader_epoch = a.leader_epoch;
    fp.fetch_offset = a.position;
    fp.partition_max_bytes = static_cast<int32_t>(cfg_.max_partition_fetch_bytes);
    r.partitions.push_back(fp);
  }
  for (auto& [broker, r] : requests) {
    r.correlation_id = next_correlation_++;
    fetch_in_flight_[broker] = r.correlation_id;
    ctx.send(broker, net::MessageKind::fetch, std::move(r), 64);
    ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms + cfg_.fetch_max_wait_ms), request_timer,
                  fetch_in_flight_[broker]);
  }
}

void Consumer::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const BrokerId from = ctx.world().node_id(env.src);
  brokers_to_ask_.heard_from(from);
  if (auto* m = std::get_if<MetadataResponse>(&payload)) {
    if (!metadata_in_flight_ || m->correlation_id != metadata_correlation_) return;
    metadata_in_flight_ = false;
    metadata_at_ = ctx.now();
    if (!m->brokers.empty()) brokers_ = m->brokers;
    bool missing = false;
    for (const MetadataTopic& t : m->topics) {
      if (t.error_code != Errc::NONE) {
        missing = true;  // not created yet
        continue;
      }
      for (const MetadataPartition& p : t.partitions) {
        const TopicPartitionName tp{t.name, p.partition};
        if (cfg_.partitions.empty() && !assigned_.count(tp)) assigned_[tp] = Assigned{};
        auto it = assigned_.find(tp);
        if (it == assigned_.end()) continue;
        it->second.leader = p.leader;
        it->second.leader_epoch = p.leader_epoch;
        missing = missing || p.leader < 0;
      }
    }
    if (missing && !retry_armed_) {
      retry_armed_ = true;
      ctx.set_timer(Time::from_ms(cfg_.retry_backoff_ms), retry_timer, 0);
    }
    fetch(ctx);
  } else if (auto* l = std::get_if<ListOffsetsResponse>(&payload)) {
    auto it = assigned_.find(l->tp);
    if (it == assigned_.end() || !it->second.listing ||
        it->second.list_correlation != l->correlation_id)
      return;
    it->second.listing = false;
    if (l->error_code == Errc::NONE) {
      it->second.position = l->offset;
    } else {
      ++errors_[l->error_code];
      request_metadata(ctx);
    }
    fetch(ctx);
  } else if (auto* f = std::get_if<FetchResponse>(&payload)) {
    auto in = fetch_in_flight_.find(from);
    if (in == fetch_in_flight_.end() || in->second != f->correlation_id) return;
    fetch_in_flight_.erase(in);
    bool refresh = false;
    for (const FetchPartitionResponse& pr : f->partitions) {
      auto it = assigned_.find(pr.tp);
      if (it == assigned_.end()) continue;
      Assigned& a = it->second;
      if (pr.error_code == Errc::OFFSET_OUT_OF_RANGE) {
        ++errors_[pr.error_code];
        a.position = kNoOffset;  // auto.offset.reset decides where to go
        continue;
      }
      if (pr.error_code != Errc::NONE) {
        ++errors_[pr.error_code];
        refresh = true;
        continue;
      }
      auto& seen = last_seq_by_key_[pr.tp];
      for (const RecordBatch& b : pr.records) {
        for (const Record& r : b.data->records) {
          const Offset o = b.base_offset + r.offset_delta;
          if (o < a.position) continue;  // the batch started before our position
          deliveries_.push_back(Delivery{r.origin, o, ctx.now(), pr.tp.partition});
          if (r.key_size >= 0) {
            const std::string_view key(b.data->bytes.data() + r.key_at,
                                       static_cast<size_t>(r.key_size));
            const uint64_t seq = r.origin;
            auto last = seen.find(key);
            if (last == seen.end()) {
              seen.emplace(std::string(key), seq);
            } else {
              if ((last->second >> 40) == (seq >> 40) && seq < last->second) ++order_violations_;
              last->second = std::max(last->second, seq);
            }
          }
          a.position = o + 1;
        }
        a.position = std::max(a.position, b.last_offset() + 1);
      }
    }
    if (refresh) request_metadata(ctx);
    fetch(ctx);
  }
}

void Consumer::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  switch (kind) {
    case start_timer:
      begin(ctx);
      break;
    case retry_timer:
      retry_armed_ = false;
      request_metadata(ctx);
      break;
    case request_timer: {
      const auto c = static_cast<uint32_t>(arg);
      if (metadata_in_flight_ && c == metadata_correlation_) {
        metadata_in_flight_ = false;
        request_metadata(ctx);
      }
      for (auto it = fetch_in_flight_.begin(); it != fetch_in_flight_.end(); ++it) {
        if (it->second == c) {
          fetch_in_flight_.erase(it);
          request_metadata(ctx);
          break;
        }
      }
      for (auto& [tp, a] : assigned_) {
        if (a.listing && a.list_correlation == c) a.listing = false;
      }
      fetch(ctx);
      break;
    }
    default:
      break;
  }
  if (running_ && ctx.now() - metadata_at_ >= Time::from_ms(cfg_.metadata_max_age_ms))
    request_metadata(ctx);
}

void Consumer::on_disconnect(world::Ctx& ctx, int32_t peer) {
  brokers_to_ask_.disconnected(peer);
  if (fetch_in_flight_.erase(peer)) request_metadata(ctx);
  for (auto& [tp, a] : assigned_) {
    if (a.listing && a.leader == peer) a.listing = false;
  }
  if (metadata_in_flight_) {
    metadata_in_flight_ = false;
    request_metadata(ctx);
  }
  if (!retry_armed_) {
    retry_armed_ = true;
    ctx.set_timer(Time::from_ms(cfg_.retry_backoff_ms), retry_timer, 0);
  }
}

}  // namespace kafkasim::kafka
