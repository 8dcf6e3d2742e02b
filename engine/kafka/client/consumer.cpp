#include "kafka/client/consumer.h"

#include <algorithm>

#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

std::string_view commit_mode_name(CommitMode m) {
  switch (m) {
    case CommitMode::none:
      return "none";
    case CommitMode::sync_after:
      return "sync";
    case CommitMode::async_after:
      return "async";
    case CommitMode::sync_before:
      return "sync-before-processing";
  }
  return "?";
}

std::string_view member_phase_name(MemberPhase p) {
  switch (p) {
    case MemberPhase::standalone:
      return "standalone";
    case MemberPhase::unjoined:
      return "unjoined";
    case MemberPhase::committing:
      return "committing";
    case MemberPhase::joining:
      return "joining";
    case MemberPhase::syncing:
      return "syncing";
    case MemberPhase::stable:
      return "stable";
    case MemberPhase::failed:
      return "failed";
  }
  return "?";
}

void Consumer::on_crash(bool, sim::Time now) {
  const ConsumerConfig cfg = cfg_;
  Deliveries deliveries = std::move(deliveries_);
  if (in_group() && !assigned_.empty()) {
    AssignmentChange c;
    c.at = now;
    c.generation = generation_;
    c.revoked = owned();
    c.lost = true;
    history_.push_back(std::move(c));
  }
  std::vector<AssignmentChange> history = std::move(history_);
  auto last = std::move(last_seq_by_key_);
  const int64_t violations = order_violations_;
  std::map<Errc, int64_t> errors = std::move(errors_);
  *this = Consumer(cfg);
  deliveries_ = std::move(deliveries);
  history_ = std::move(history);
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
  last_poll_ = ctx.now();
  next_auto_commit_ = ctx.now() + Time::from_ms(cfg_.group.auto_commit_interval_ms);
  if (in_group()) {
    phase_ = MemberPhase::unjoined;
    rejoin_needed_ = true;
  } else {
    for (const TopicPartitionName& tp : cfg_.partitions)
      assigned_[tp] = Assigned{};
  }
  request_metadata(ctx);
  drive_group(ctx);
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
  metadata_to_ = brokers_to_ask_.reachable(candidates);
  ctx.send(metadata_to_, net::MessageKind::metadata, r, 48);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, metadata_correlation_);
}

void Consumer::retry_later(world::Ctx& ctx) {
  if (retry_armed_) return;
  retry_armed_ = true;
  ctx.set_timer(Time::from_ms(cfg_.retry_backoff_ms), retry_timer, 0);
}

void Consumer::reset_position(world::Ctx& ctx, const TopicPartitionName& tp, Assigned& a) {
  if (a.listing || a.leader < 0 || a.awaiting_committed) return;
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
    if (a.leader < 0 || a.awaiting_committed) continue;
    if (a.position < 0) {
      reset_position(ctx, tp, a);
      continue;
    }
    if (!a.buffered.empty() || fetch_in_flight_.count(a.leader)) continue;
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
    const uint32_t correlation = r.correlation_id;
    ctx.send(broker, net::MessageKind::fetch, std::move(r), 64);
    fetch_in_flight_[broker] = FetchInFlight{
        correlation, ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms + cfg_.fetch_max_wait_ms),
                                   request_timer, correlation)};
  }
}

void Consumer::on_metadata(world::Ctx& ctx, const MetadataResponse& m) {
  if (!metadata_in_flight_ || m.correlation_id != metadata_correlation_) return;
  metadata_in_flight_ = false;
  metadata_at_ = ctx.now();
  if (!m.brokers.empty()) brokers_ = m.brokers;
  bool missing = false;
  for (const MetadataTopic& t : m.topics) {
    if (t.error_code != Errc::NONE) {
      missing = true;  // not created yet
      continue;
    }
    for (const MetadataPartition& p : t.partitions) {
      const TopicPartitionName tp{t.name, p.partition};
      Known& known = metadata_[tp];
      if (p.leader_epoch >= 0 && p.leader_epoch < known.leader_epoch) {
        // Older than what this consumer has already seen (a broker that has not caught up with
        // the metadata log, say one just back from a partition that still thinks it leads):
        // ignored, as ConsumerMetadata does (KIP-320); the partition waits for newer metadata.
        missing = true;
        continue;
      }
      known = Known{p.leader, p.leader_epoch};
      if (!in_group() && cfg_.partitions.empty() && !assigned_.count(tp))
        assigned_[tp] = Assigned{};
      missing = missing || p.leader < 0;
    }
  }
  for (auto& [tp, a] : assigned_) {
    auto k = metadata_.find(tp);
    if (k == metadata_.end()) continue;
    a.leader = k->second.leader;
    a.leader_epoch = k->second.leader_epoch;
  }
  if (missing) retry_later(ctx);
  if (in_group()) check_metadata_snapshot(ctx);
  fetch(ctx);
}

void Consumer::on_fetch_response(world::Ctx& ctx, BrokerId from, FetchResponse&& f) {
  auto in = fetch_in_flight_.find(from);
  if (in == fetch_in_flight_.end() || in->second.correlation != f.correlation_id) return;
  ctx.cancel(in->second.timeout);
  fetch_in_flight_.erase(in);
  bool refresh = false;
  for (FetchPartitionResponse& pr : f.partitions) {
    auto it = assigned_.find(pr.tp);
    if (it == assigned_.end()) continue;  // revoked meanwhile
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
    if (!a.buffered.empty()) continue;  // the position moved while this was in flight
    for (RecordBatch& b : pr.records) {
      if (b.last_offset() >= a.position) a.buffered.push_back(std::move(b));
    }
  }
  if (refresh) request_metadata(ctx);
  fetch(ctx);
}

void Consumer::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const BrokerId from = ctx.world().node_id(env.src);
  brokers_to_ask_.heard_from(from);
  if (auto* m = std::get_if<MetadataResponse>(&payload)) {
    on_metadata(ctx, *m);
  } else if (auto* l = std::get_if<ListOffsetsResponse>(&payload)) {
    auto it = assigned_.find(l->tp);
    if (it != assigned_.end() && it->second.listing &&
        it->second.list_correlation == l->correlation_id) {
      it->second.listing = false;
      if (l->error_code == Errc::NONE) {
        it->second.position = l->offset;
      } else {
        ++errors_[l->error_code];
        request_metadata(ctx);
      }
      fetch(ctx);
    }
  } else if (auto* f = std::get_if<FetchResponse>(&payload)) {
    on_fetch_response(ctx, from, std::move(*f));
  } else if (auto* fc = std::get_if<FindCoordinatorResponse>(&payload)) {
    if (fc->correlation_id == find_correlation_) {
      find_correlation_ = 0;
      if (fc->error_code == Errc::NONE) {
        coordinator_ = fc->node_id;
        last_heartbeat_ok_ = ctx.now();
      } else {
        ++errors_[fc->error_code];
        group_backoff(ctx);
      }
    }
  } else if (auto* j = std::get_if<JoinGroupResponse>(&payload)) {
    if (j->correlation_id == join_correlation_) on_join_response(ctx, std::move(*j));
  } else if (auto* s = std::get_if<SyncGroupResponse>(&payload)) {
    if (s->correlation_id == sync_correlation_) on_sync_response(ctx, std::move(*s));
  } else if (auto* h = std::get_if<HeartbeatResponse>(&payload)) {
    if (h->correlation_id == heartbeat_correlation_) on_heartbeat_response(ctx, *h);
  } else if (auto* c = std::get_if<OffsetCommitResponse>(&payload)) {
    on_commit_response(ctx, *c);
  } else if (auto* o = std::get_if<OffsetFetchResponse>(&payload)) {
    if (o->correlation_id == fetch_offsets_correlation_) on_offset_fetch_response(ctx, *o);
  } else if (auto* lv = std::get_if<LeaveGroupResponse>(&payload)) {
    if (closing_ && lv->correlation_id == leave_correlation_) {
      ctx.stop_self("closed: it left group " + cfg_.group.group_id);
      return;
    }
  }
  drive_group(ctx);
  run_app(ctx);
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
        if (it->second.correlation == c) {
          fetch_in_flight_.erase(it);
          request_metadata(ctx);
          break;
        }
      }
      for (auto& [tp, a] : assigned_) {
        if (a.listing && a.list_correlation == c) a.listing = false;
      }
      if (closing_ && c != 0 && c == leave_correlation_) {
        ctx.stop_self("closed (LeaveGroup got no answer)");
        return;
      }
      // Group requests that got no answer: the coordinator may be gone (unless the request
      // went to one the consumer has already left behind).
      if (c != 0 && (c == find_correlation_ || c == join_correlation_ || c == sync_correlation_ ||
                     c == fetch_offsets_correlation_ || c == commit_correlation_ ||
                     commits_in_flight_.count(c))) {
        ++errors_[Errc::REQUEST_TIMED_OUT];
        auto commit = commits_in_flight_.find(c);
        const bool stale = commit != commits_in_flight_.end() && commit->second.to != coordinator_;
        if (commit != commits_in_flight_.end()) commits_in_flight_.erase(commit);
        if (c == find_correlation_) find_correlation_ = 0;
        if (c == commit_correlation_) {
          commit_correlation_ = 0;
          if (closing_) {
            ctx.stop_self("closed (its last commit got no answer)");
            return;
          }
          if (phase_ == MemberPhase::committing) {
            send_join(ctx);
          } else if (app_ == App::committing) {
            commit_retry_ = true;
          }
        }
        if (!stale) coordinator_unknown(ctx, "a group request timed out");
      }
      fetch(ctx);
      break;
    }
    case heartbeat_timer:
      heartbeat_timer_ = {};
      heartbeat(ctx);
      break;
    case process_timer:
      process_one(ctx);
      break;
    case rejoin_timer:
      rejoin_armed_ = false;
      break;
    case poll_timeout_timer:
      if (arg == polls_ && app_ != App::idle && in_group() && generation_ >= 0 &&
          coordinator_ >= 0 && !closing_)
        leave_on_poll_timeout(ctx);
      break;
    default:
      break;
  }
  if (running_ && ctx.now() - metadata_at_ >= Time::from_ms(cfg_.metadata_max_age_ms))
    request_metadata(ctx);
  drive_group(ctx);
  run_app(ctx);
}

void Consumer::on_disconnect(world::Ctx& ctx, int32_t peer) {
  brokers_to_ask_.disconnected(peer);
  if (auto in = fetch_in_flight_.find(peer); in != fetch_in_flight_.end()) {
    ctx.cancel(in->second.timeout);
    fetch_in_flight_.erase(in);
    request_metadata(ctx);
  }
  for (auto& [tp, a] : assigned_) {
    if (a.listing && a.leader == peer) a.listing = false;
  }
  if (metadata_in_flight_ && metadata_to_ == peer) {
    metadata_in_flight_ = false;
    request_metadata(ctx);
  }
  if (in_group() && peer == coordinator_) coordinator_unknown(ctx, "the connection to it broke");
  if (find_correlation_ != 0 && peer == find_to_) {
    find_correlation_ = 0;  // ask another broker who coordinates the group
    group_backoff(ctx);
  }
  retry_later(ctx);
  drive_group(ctx);
}

const char* Consumer::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case start_timer:
      return "the consumer start";
    case retry_timer:
      return "the consumer retry";
    case request_timer:
      return "a request timeout";
    case heartbeat_timer:
      return "the member heartbeat (heartbeat.interval.ms)";
    case process_timer:
      return "the application's processing of a poll's records";
    case rejoin_timer:
      return "the rejoin backoff";
    case poll_timeout_timer:
      return "the poll timeout (max.poll.interval.ms)";
  }
  return nullptr;
}

}  // namespace kafkasim::kafka
