// A broker's replicas. See replica_manager.h.
//
// Index:
//   [SECTION] lifecycle and metadata
//   [SECTION] produce
//   [SECTION] fetch (serving)
//   [SECTION] high watermark and ISR
//   [SECTION] follower fetching
//   [SECTION] timers
#include "kafka/broker/replica_manager.h"

#include <algorithm>

#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

namespace {
bool contains(const std::vector<BrokerId>& v, BrokerId b) {
  return std::find(v.begin(), v.end(), b) != v.end();
}
}  // namespace

// [SECTION] lifecycle and metadata
// ---------------------------------------------------------------------

void ReplicaManager::arm_periodic(world::Ctx& ctx, sim::TimerId& id, int64_t ms, uint16_t kind) {
  ctx.cancel(id);
  id = ctx.set_timer(Time::from_ms(std::max<int64_t>(ms, 1)), kind, 0);
}

void ReplicaManager::start(world::Ctx& ctx) {
  for (auto& [tp, p] : partitions_)
    p.log.recover();
  arm_periodic(ctx, isr_timer_, cfg_.config.replica_lag_time_max_ms / 2, isr_check_timer);
  arm_periodic(ctx, checkpoint_timer_, cfg_.config.replica_high_watermark_checkpoint_interval_ms,
               checkpoint_timer);
  arm_periodic(ctx, retention_timer_, cfg_.config.log_retention_check_interval_ms, retention_timer);
  arm_periodic(ctx, cleaner_timer_, cfg_.config.log_cleaner_backoff_ms, cleaner_timer);
}

void ReplicaManager::crash(bool power_loss, Time now) {
  std::map<TopicPartitionName, HostedPartition> disk;
  for (auto& [tp, p] : partitions_) {
    HostedPartition kept;
    kept.tp = tp;
    kept.log = std::move(p.log);
    if (power_loss) kept.log.lose_unflushed(now);
    disk.emplace(tp, std::move(kept));
  }
  const ReplicaManagerConfig cfg = cfg_;
  *this = ReplicaManager(cfg);
  partitions_ = std::move(disk);
  index_.valid = false;
}

LogConfig ReplicaManager::log_config(const std::string& topic) const {
  auto t = cfg_.topics.find(topic);
  return dynamic_.log_config(topic, cfg_.self, cfg_.default_log,
                             t != cfg_.topics.end() ? &t->second.log : nullptr);
}

ReplicaManager::HostedPartition& ReplicaManager::host(const TopicPartitionName& tp) {
  auto it = partitions_.find(tp);
  if (it == partitions_.end()) {
    HostedPartition p;
    p.tp = tp;
    p.log = PartitionLog(log_config(tp.topic));
    it = partitions_.emplace(tp, std::move(p)).first;
    index_.valid = false;
  }
  return it->second;
}

ReplicaManager::HostedPartition* ReplicaManager::find(const TopicPartitionName& tp) {
  if (!index_.valid) {
    index_.topics.clear();
    for (auto& [key, p] : partitions_) {
      if (index_.topics.empty() || index_.topics.back().first != key.topic)
        index_.topics.emplace_back(key.topic, std::vector<HostedPartition*>{});
      auto& by_number =
          index_.topics.back().second;  // a topic's partitions are adjacent in the map
      if (by_number.size() <= static_cast<size_t>(key.partition))
        by_number.resize(static_cast<size_t>(key.partition) + 1, nullptr);
      by_number[static_cast<size_t>(key.partition)] = &p;
    }
    index_.valid = true;
  }
  for (auto& [topic, by_number] : index_.topics) {
    if (topic != tp.topic) continue;
    return tp.partition >= 0 && static_cast<size_t>(tp.partition) < by_number.size()
               ? by_number[static_cast<size_t>(tp.partition)]
               : nullptr;
  }
  return nullptr;
}

const ReplicaManager::HostedPartition* ReplicaManager::partition(
    const TopicPartitionName& tp) const {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : &it->second;
}

int64_t ReplicaManager::min_isr(const HostedPartition& p) const {
  auto t = cfg_.topics.find(p.tp.topic);
  std::optional<int64_t> topic_level;
  if (t != cfg_.topics.end()) topic_level = t->second.min_insync_replicas;
  return dynamic_.min_insync_replicas(p.tp.topic, cfg_.self, cfg_.config.min_insync_replicas,
                                      topic_level);
}

namespace {
/// "retention.ms 604800000 -> 1000, cleanup.policy delete -> compact": what changed.
std::string log_config_changes(const LogConfig& a, const LogConfig& b) {
  std::string out;
  auto add = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out += (out.empty() ? "" : ", ") + std::string(name) + " " + x + " -> " + y;
  };
  auto n = [](int64_t v) { return std::to_string(v); };
  auto policy = [](const LogConfig& c) {
    return std::string(c.cleanup_compact && c.cleanup_delete ? "compact,delete"
                       : c.cleanup_compact                   ? "compact"
                       : c.cleanup_delete                    ? "delete"
                                                             : "(none)");
  };
  add("segment.bytes", n(a.segment_bytes), n(b.segment_bytes));
  add("segment.ms", n(a.segment_ms), n(b.segment_ms));
  add("retention.ms", n(a.retention_ms), n(b.retention_ms));
  add("retention.bytes", n(a.retention_bytes), n(b.retention_bytes));
  add("cleanup.policy", policy(a), policy(b));
  add("min.cleanable.dirty.ratio", config_value_text(a.min_cleanable_dirty_ratio),
      config_value_text(b.min_cleanable_dirty_ratio));
  add("min.compaction.lag.ms", n(a.min_compaction_lag_ms), n(b.min_compaction_lag_ms));
  add("delete.retention.ms", n(a.delete_retention_ms), n(b.delete_retention_ms));
  add("flush.messages", n(a.flush_messages), n(b.flush_messages));
  add("flush.ms", n(a.flush_ms), n(b.flush_ms));
  return out;
}
}  // namespace

void ReplicaManager::set_configs(world::Ctx& ctx, const DynamicConfigs& configs) {
  dynamic_ = configs;
  // One line per topic whose settings moved on this broker.
  std::map<std::string, std::string> changes;
  for (auto& [tp, p] : partitions_) {
    const LogConfig before = p.log.config();
    const LogConfig after = log_config(tp.topic);
    std::string what = log_config_changes(before, after);
    const int64_t min = min_isr(p);
    if (min != p.min_isr) {
      what += (what.empty() ? "" : ", ") + std::string("min.insync.replicas ") +
              std::to_string(p.min_isr) + " -> " + std::to_string(min);
      p.min_isr = min;
    }
    p.log.set_config(after);
    if (!what.empty()) changes[tp.topic] = what;
    if (p.role == Role::leader) maybe_increment_hw(ctx, p);
  }
  for (const auto& [topic, what] : changes) {
    ctx.trace(sim::TraceKind::config_change,
              ctx.name_of(cfg_.self) + " applies the new settings of " + topic + ": " + what);
  }
}

void ReplicaManager::sync_followers(HostedPartition& p) {
  for (auto it = p.followers.begin(); it != p.followers.end();) {
    it = contains(p.replicas, it->first) ? std::next(it) : p.followers.erase(it);
  }
  for (BrokerId r : p.replicas) {
    if (r != cfg_.self && !p.followers.count(r)) p.followers[r] = FollowerState{};
  }
}

void ReplicaManager::delete_replica(world::Ctx& ctx, const TopicPartitionName& tp,
                                    const std::string& why) {
  auto it = partitions_.find(tp);
  if (it == partitions_.end()) return;
  stop_replica(ctx, it->second);
  ctx.trace(sim::TraceKind::note, ctx.name_of(cfg_.self) + " stops its replica of " + tp.str() +
                                      " and deletes its log (" +
                                      std::to_string(it->second.log.log_end_offset()) +
                                      " offsets): " + why);
  partitions_.erase(it);
  index_.valid = false;
}

void ReplicaManager::set_cluster(std::set<BrokerId> active_brokers, BrokerId controller,
                                 int64_t broker_epoch) {
  active_brokers_ = std::move(active_brokers);
  controller_ = controller;
  broker_epoch_ = broker_epoch;
}

void ReplicaManager::apply(world::Ctx& ctx, const PartitionAssignment& a) {
  if (!contains(a.replicas, cfg_.self)) {
    // KRaft: no longer a replica (reassigned away): stop and delete, as the broker's metadata
    // publisher does for partitions that left this broker.
    if (partitions_.count(a.tp)) {
      delete_replica(ctx, a.tp,
                     "it is no longer among the partition's replicas " + to_string(a.replicas));
    }
    return;
  }
  HostedPartition& p = host(a.tp);
  p.min_isr = min_isr(p);
  const bool new_epoch = a.leader_epoch != p.leader_epoch || p.role == Role::none;
  if (a.leader == cfg_.self && (new_epoch || p.role != Role::leader)) {
    become_leader(ctx, p, a);
  } else if (a.leader != cfg_.self && (new_epoch || p.leader != a.leader)) {
    become_follower(ctx, p, a);
  } else if (a.partition_epoch >= p.partition_epoch) {
    // Same leadership: the controller's ISR is authoritative. A newer partition epoch ends a
    // pending change, committed or not (Partition.makeLeader's CommittedPartitionState); the
    // same epoch has nothing new to say about it.
    if (a.partition_epoch > p.partition_epoch) p.pending_isr.reset();
    p.isr = a.isr;
    p.replicas = a.replicas;
    p.partition_epoch = a.partition_epoch;
    p.recovery = a.recovery;
    if (p.role == Role::leader) sync_followers(p);
    if (p.role == Role::leader) maybe_increment_hw(ctx, p);
  }
}

void ReplicaManager::become_leader(world::Ctx& ctx, HostedPartition& p,
                                   const PartitionAssignment& a) {
  const bool was_leader = p.role == Role::leader;
  p.role = Role::leader;
  p.leader = cfg_.self;
  p.leader_epoch = a.leader_epoch;
  p.partition_epoch = a.partition_epoch;
  p.replicas = a.replicas;
  p.isr = a.isr;
  p.pending_isr.reset();
  p.recovery = a.recovery;
  p.fetching = false;
  // KIP-279: the new leader records its epoch at its log end now, before any append.
  p.log.epochs().assign(a.leader_epoch, p.log.log_end_offset());
  p.epoch_start_offset = p.log.log_end_offset();
  // A leader re-elected in a new epoch (the ZooKeeper controller bumps it on every ISR change)
  // keeps what it knows of its followers' log ends, so the ISR shrink can move the high
  // watermark at once; a new leader starts from nothing (Kafka's resetReplicaState).
  std::map<BrokerId, FollowerState> previous;
  if (was_leader) previous.swap(p.followers);
  p.followers.clear();
  for (BrokerId r : a.replicas) {
    if (r == cfg_.self) continue;
    FollowerState f;
    if (auto it = previous.find(r); it != previous.end()) {
      f = it->second;
      f.last_fetch = ctx.now();
      f.leader_leo_at_last_fetch = p.log.log_end_offset();
    }
    f.last_caught_up = contains(a.isr, r) ? ctx.now() : Time::zero();
    p.followers[r] = f;
  }
  ctx.trace(sim::TraceKind::note, ctx.name_of(cfg_.self) + " becomes leader of " + p.tp.str() +
                                      " in leader epoch " + std::to_string(a.leader_epoch) +
                                      " at log end offset " +
                                      std::to_string(p.log.log_end_offset()) + " (high watermark " +
                                      std::to_string(p.log.high_watermark()) + ")");
  if (a.recovery == LeaderRecoveryState::RECOVERING) {
    // After an unclean election the leader declares its log recovered (KIP-704).
    alter_partition(ctx, p, {cfg_.self}, LeaderRecoveryState::RECOVERED,
                    "unclean leader recovered");
  }
  maybe_increment_hw(ctx, p);
  complete_delayed(ctx, p.tp);
}

void ReplicaManager::become_follower(world::Ctx& ctx, HostedPartition& p,
                                     const PartitionAssignment& a) {
  const bool was_leader = p.role == Role::leader;
  p.role = Role::follower;
  p.leader = a.leader;
  p.leader_epoch = a.leader_epoch;
  p.partition_epoch = a.partition_epoch;
  p.replicas = a.replicas;
  p.isr = a.isr;
  p.pending_isr.reset();
  p.followers.clear();
  if (cfg_.truncate_to_high_watermark && p.log.high_watermark() < p.log.log_end_offset()) {
    // Pre-KIP-101: trust the local high watermark and drop everything above it.
    ctx.trace(sim::TraceKind::raft_truncate,
              ctx.name_of(cfg_.self) + " truncates " + p.tp.str() + " from " +
                  std::to_string(p.log.log_end_offset()) + " to its high watermark " +
                  std::to_string(p.log.high_watermark()) +
                  " on becoming a follower (inter.broker.protocol.version < 0.11, before KIP-101)");
    p.log.truncate_to(p.log.high_watermark(), ctx.now());
  }
  p.fetching = a.leader != kNoLeader;
  if (was_leader) complete_delayed(ctx, p.tp);  // pending produce requests fail over
  if (p.fetching) send_fetch(ctx, a.leader);
}

void ReplicaManager::stop_replica(world::Ctx& ctx, HostedPartition& p) {
  p.role = Role::none;
  p.fetching = false;
  p.followers.clear();
  complete_delayed(ctx, p.tp);
}

void ReplicaManager::flush_all(Time now) {
  for (auto& [tp, p] : partitions_)
    p.log.flush(now);
}

// [SECTION] produce
// ------------------------------------------------------------------------------------

void ReplicaManager::on_produce(world::Ctx& ctx, BrokerId from, ProduceRequest&& r,
                                uint32_t connection) {
  if (auto it = produce_backlog_.find(from);
      it != produce_backlog_.end() && it->second.connection != connection) {
    produce_backlog_.erase(it);  // what the old connection carried went with it
  }
  auto queued = produce_backlog_.find(from);
  if ((queued != produce_backlog_.end() && !queued->second.requests.empty()) ||
      waiting_on(from, connection)) {
    ProduceBacklog& q = produce_backlog_[from];
    q.connection = connection;
    q.requests.push_back(std::move(r));
    return;
  }
  handle_produce(ctx, from, std::move(r), connection);
}

bool ReplicaManager::waiting_on(BrokerId client, uint32_t connection) const {
  return std::any_of(
      delayed_produce_.begin(), delayed_produce_.end(),
      [&](const DelayedProduce& d) { return d.client == client && d.connection == connection; });
}

void ReplicaManager::handle_backlog(world::Ctx& ctx, BrokerId client) {
  auto it = produce_backlog_.find(client);
  if (it == produce_backlog_.end()) return;
  const uint32_t connection = it->second.connection;
  while (true) {
    it = produce_backlog_.find(client);  // handling a request may answer others' and come back
    if (it == produce_backlog_.end() || it->second.connection != connection) return;
    if (it->second.requests.empty()) {
      produce_backlog_.erase(it);
      return;
    }
    if (waiting_on(client, connection)) return;
    ProduceRequest next = std::move(it->second.requests.front());
    it->second.requests.pop_front();
    handle_produce(ctx, client, std::move(next), connection);
  }
}

void ReplicaManager::handle_produce(world::Ctx& ctx, BrokerId from, ProduceRequest&& r,
                                    uint32_t connection) {
  DelayedProduce d;
  d.id = next_delayed_++;
  d.client = from;
  d.connection = connection;
  d.correlation_id = r.correlation_id;
  d.results.reserve(r.partitions.size());
  d.required.reserve(r.partitions.size());
  bool waiting = false;
  for (ProducePartitionData& pd : r.partitions) {
    ProducePartitionResponse res;
    res.tp = pd.tp;
    Offset required = -1;
    HostedPartition* found = find(pd.tp);
    if (found == nullptr || found->role != Role::leader) {
      res.error_code =
          found == nullptr ? Errc::UNKNOWN_TOPIC_OR_PARTITION : Errc::NOT_LEADER_OR_FOLLOWER;
    } else {
      HostedPartition& p = *found;
      res.log_start_offset = p.log.log_start_offset();
      const auto verdict = p.log.check_producer(pd.batch);
      if (r.acks == -1 && static_cast<int64_t>(p.isr.size()) < needed_isr(p)) {
        res.error_code = Errc::NOT_ENOUGH_REPLICAS;  // nothing is appended
      } else if (verdict.duplicate) {
        res.base_offset = verdict.first_offset;  // a retry: answer with the original offsets
        required = r.acks == -1 ? verdict.last_offset + 1 : -1;
      } else if (verdict.error != Errc::NONE) {
        res.error_code = verdict.error;
      } else {
        const Appended stored = append_as_leader(ctx, p, std::move(pd.batch));
        res.base_offset = stored.base_offset;
        required = r.acks == -1 ? stored.last_offset + 1 : -1;
      }
      if (required >= 0 && p.log.high_watermark() >= required) required = -1;
    }
    waiting = waiting || required >= 0;
    d.results.push_back(res);
    d.required.push_back(required);
  }
  if (r.acks == 0) return;  // no response at all
  if (!waiting) {
    const auto bytes = static_cast<uint32_t>(32 + 32 * d.results.size());
    ctx.send(from, net::MessageKind::produce,
             ProduceResponse{d.correlation_id, std::move(d.results)}, bytes);
    return;
  }
  d.timer = ctx.set_timer(Time::from_ms(r.timeout_ms), produce_timeout_timer, d.id);
  delayed_produce_.push_back(std::move(d));
}

ReplicaManager::InternalAppend ReplicaManager::append_internal(world::Ctx& ctx,
                                                               const TopicPartitionName& tp,
                                                               RecordBatch b) {
  HostedPartition* found = find(tp);
  if (found == nullptr || found->role != Role::leader)
    return {Errc::NOT_LEADER_OR_FOLLOWER, kNoOffset, kNoEpoch};
  HostedPartition& p = *found;
  if (static_cast<int64_t>(p.isr.size()) < needed_isr(p))
    return {Errc::NOT_ENOUGH_REPLICAS, kNoOffset, p.leader_epoch};
  const Offset end = append_as_leader(ctx, p, std::move(b)).last_offset + 1;
  return {Errc::NONE, end, p.leader_epoch};
}

ReplicaManager::Appended ReplicaManager::append_as_leader(world::Ctx& ctx, HostedPartition& p,
                                                          RecordBatch b) {
  const RecordBatch& stored = p.log.append_as_leader(std::move(b), p.leader_epoch, ctx.now());
  const Appended out{stored.base_offset, stored.last_offset()};
  maybe_increment_hw(ctx, p);
  complete_delayed(ctx, p.tp, Change::log_end);
  return out;
}

void ReplicaManager::complete_delayed(world::Ctx& ctx, const TopicPartitionName& tp, Change what) {
  const HostedPartition* p = find(tp);
  std::vector<BrokerId> answered;  // clients whose requests queued behind may go on
  // acks=all requests waiting on this partition.
  for (size_t i = 0; what == Change::any && i < delayed_produce_.size();) {
    DelayedProduce& d = delayed_produce_[i];
    bool pending = false;
    for (size_t k = 0; k < d.results.size(); ++k) {
      if (d.required[k] < 0) continue;
      if (d.results[k].tp == tp) {
        if (p == nullptr || p->role != Role::leader) {
          d.results[k].error_code = Errc::NOT_LEADER_OR_FOLLOWER;
          d.required[k] = -1;
        } else if (p->log.high_watermark() >= d.required[k]) {
          // Every in-sync replica has it; but if the ISR fell below min.insync.replicas the
          // write happened with fewer copies than promised.
          if (static_cast<int64_t>(maximal_isr_size(*p)) < needed_isr(*p)) {
            d.results[k].error_code = Errc::NOT_ENOUGH_REPLICAS_AFTER_APPEND;
          }
          d.required[k] = -1;
        }
      }
      pending = pending || d.required[k] >= 0;
    }
    if (pending) {
      ++i;
      continue;
    }
    ctx.cancel(d.timer);
    const auto bytes = static_cast<uint32_t>(32 + 32 * d.results.size());
    ctx.send(d.client, net::MessageKind::produce,
             ProduceResponse{d.correlation_id, std::move(d.results)}, bytes);
    if (produce_backlog_.count(d.client)) answered.push_back(d.client);
    delayed_produce_.erase(delayed_produce_.begin() + static_cast<long>(i));
  }
  // Long-polled fetches that may now have something to read.
  for (size_t i = 0; i < delayed_fetch_.size();) {
    DelayedFetch& d = delayed_fetch_[i];
    if (what == Change::log_end && d.request.replica_id < 0) {
      ++i;  // a consumer reads up to the high watermark, which did not move
      continue;
    }
    const auto changed = std::find_if(d.request.partitions.begin(), d.request.partitions.end(),
                                      [&](const FetchPartition& fp) { return fp.tp == tp; });
    if (changed == d.request.partitions.end()) {
      ++i;
      continue;
    }
    // DelayedFetch.tryComplete: an answer is due when a partition moved away or its fetch
    // offset fell off the log, else once the bytes a read would return now (whole batches)
    // reach fetch.min.bytes. The partition that changed is looked at first: with the default
    // minimum of 1 byte what it has is enough, and the other partitions need no lookup.
    size_t bytes = 0;
    bool error = false;
    const auto min_bytes = static_cast<size_t>(std::max(d.request.min_bytes, 1));
    auto add = [&](const HostedPartition* part, const FetchPartition& fp) {
      if (part == nullptr || part->role != Role::leader ||
          fp.fetch_offset < part->log.log_start_offset()) {
        error = true;
        return;
      }
      const PartitionLog& log = part->log;
      const Offset limit = d.request.replica_id >= 0 ? log.log_end_offset() : log.high_watermark();
      if (fp.fetch_offset >= limit) return;
      // A whole batch is below the limit: one byte needs no counting.
      const size_t wanted = min_bytes - bytes;  // add() runs only while bytes < min_bytes
      bytes += wanted == 1
                   ? 1
                   : log.readable_bytes(fp.fetch_offset, limit,
                                        static_cast<size_t>(fp.partition_max_bytes), wanted);
    };
    add(p, *changed);
    for (auto fp = d.request.partitions.begin();
         fp != d.request.partitions.end() && !error && bytes < min_bytes; ++fp) {
      if (fp != changed) add(find(fp->tp), *fp);
    }
    if (!error && bytes < min_bytes) {
      ++i;
      continue;
    }
    DelayedFetch done = std::move(d);
    delayed_fetch_.erase(delayed_fetch_.begin() + static_cast<long>(i));
    ctx.cancel(done.timer);
    answer_fetch(ctx, done.from, done.request);
  }
  for (BrokerId client : answered)
    handle_backlog(ctx, client);
}

// [SECTION] fetch (serving)
// -------------------------------------------------------------------------

FetchPartitionResponse ReplicaManager::read_partition(world::Ctx& ctx, BrokerId from,
                                                      const FetchPartition& fp, bool follower,
                                                      size_t response_max_bytes,
                                                      size_t& bytes_ready) {
  FetchPartitionResponse out;
  out.tp = fp.tp;
  HostedPartition* found = find(fp.tp);
  if (found == nullptr) {
    out.error_code = Errc::UNKNOWN_TOPIC_OR_PARTITION;
    return out;
  }
  HostedPartition& p = *found;
  out.leader_epoch = p.leader_epoch;
  if (p.role != Role::leader) {
    out.error_code = Errc::NOT_LEADER_OR_FOLLOWER;
    return out;
  }
  if (fp.current_leader_epoch != kNoEpoch && fp.current_leader_epoch < p.leader_epoch) {
    out.error_code = Errc::FENCED_LEADER_EPOCH;
    return out;
  }
  if (fp.current_leader_epoch > p.leader_epoch) {
    out.error_code = Errc::UNKNOWN_LEADER_EPOCH;
    return out;
  }
  PartitionLog& log = p.log;
  out.high_watermark = log.high_watermark();
  out.log_start_offset = log.log_start_offset();
  out.log_end_offset = log.log_end_offset();
  // A follower's history must agree with ours (KIP-101/279 inside Fetch).
  if (follower && !cfg_.truncate_to_high_watermark && fp.last_fetched_epoch != kNoEpoch) {
    const EpochEndOffset end =
        log.epochs().end_offset_for(fp.last_fetched_epoch, log.log_end_offset());
    if (end.epoch < fp.last_fetched_epoch || end.end_offset < fp.fetch_offset) {
      out.diverging_epoch = end;
      return out;
    }
  }
  if (fp.fetch_offset < log.log_start_offset() || fp.fetch_offset > log.log_end_offset()) {
    out.error_code = Errc::OFFSET_OUT_OF_RANGE;
    return out;
  }
  if (follower) {
    update_follower(ctx, p, from, fp.fetch_offset);
    out.high_watermark = log.high_watermark();
  }
  const Offset limit = follower ? log.log_end_offset() : log.high_watermark();
  if (fp.fetch_offset < limit) {
    // KIP-74 (ReplicaManager.readFromLog): the response holds at most the request's max_bytes
    // and each partition at most its partition_max_bytes, except that the first batch of the
    // first partition with records comes whole past both, so a reader always moves on.
    const bool first = bytes_ready == 0;
    const size_t left = response_max_bytes > bytes_ready ? response_max_bytes - bytes_ready : 0;
    const size_t room = std::min(static_cast<size_t>(std::max(fp.partition_max_bytes, 0)), left);
    if (room > 0 || first) out.records = log.read(fp.fetch_offset, limit, room, first);
    for (const RecordBatch& b : out.records)
      bytes_ready += b.size_bytes;
  }
  return out;
}

FetchResponse ReplicaManager::read_fetch(world::Ctx& ctx, BrokerId from, const FetchRequest& r,
                                         size_t& bytes) {
  FetchResponse resp;
  resp.correlation_id = r.correlation_id;
  const auto response_max_bytes = static_cast<size_t>(std::max(r.max_bytes, 0));
  resp.partitions.reserve(r.partitions.size());
  for (const FetchPartition& fp : r.partitions)
    resp.partitions.push_back(
        read_partition(ctx, from, fp, r.replica_id >= 0, response_max_bytes, bytes));
  return resp;
}

void ReplicaManager::answer_fetch(world::Ctx& ctx, BrokerId from, const FetchRequest& r) {
  size_t bytes = 0;
  FetchResponse resp = read_fetch(ctx, from, r, bytes);
  ctx.send(from, net::MessageKind::fetch, std::move(resp), static_cast<uint32_t>(64 + bytes));
}

void ReplicaManager::on_fetch(world::Ctx& ctx, BrokerId from, FetchRequest&& r) {
  // Read once to update follower state and to see whether anything is ready now.
  size_t bytes = 0;
  FetchResponse resp = read_fetch(ctx, from, r, bytes);
  const bool error = std::any_of(resp.partitions.begin(), resp.partitions.end(), [](const auto& p) {
    return p.error_code != Errc::NONE || p.diverging_epoch.has_value();
  });
  if (error || static_cast<int64_t>(bytes) >= std::max(r.min_bytes, 1) || r.max_wait_ms <= 0) {
    ctx.send(from, net::MessageKind::fetch, std::move(resp), static_cast<uint32_t>(64 + bytes));
    return;
  }
  // Long poll until data arrives or max_wait_ms passes.
  DelayedFetch d;
  d.id = next_delayed_++;
  d.from = from;
  d.request = std::move(r);
  d.timer = ctx.set_timer(Time::from_ms(r.max_wait_ms), fetch_wait_timer, d.id);
  delayed_fetch_.push_back(std::move(d));
}

void ReplicaManager::on_list_offsets(world::Ctx& ctx, BrokerId from, const ListOffsetsRequest& r) {
  ListOffsetsResponse resp;
  resp.correlation_id = r.correlation_id;
  resp.tp = r.tp;
  auto it = partitions_.find(r.tp);
  if (it == partitions_.end()) {
    resp.error_code = Errc::UNKNOWN_TOPIC_OR_PARTITION;
  } else if (it->second.role != Role::leader) {
    resp.error_code = Errc::NOT_LEADER_OR_FOLLOWER;
  } else if (r.current_leader_epoch != kNoEpoch &&
             r.current_leader_epoch < it->second.leader_epoch) {
    resp.error_code = Errc::FENCED_LEADER_EPOCH;
  } else {
    const PartitionLog& log = it->second.log;
    resp.offset = r.timestamp == kEarliestTimestamp ? log.log_start_offset() : log.high_watermark();
    resp.leader_epoch = it->second.leader_epoch;
  }
  ctx.send(from, net::MessageKind::fetch, resp, 48);
}

// [SECTION] high watermark and ISR
// ------------------------------------------------------------------

size_t ReplicaManager::maximal_isr_size(const HostedPartition& p) const {
  size_t n = 0;
  for_each_in_maximal_isr(p, [&](BrokerId) { ++n; });
  return n;
}

void ReplicaManager::maybe_increment_hw(world::Ctx& ctx, HostedPartition& p) {
  if (p.role != Role::leader) return;
  // KIP-966 (3.7+): the high watermark does not move while the ISR is below min.insync.replicas.
  if (static_cast<int64_t>(p.isr.size()) < needed_isr(p)) return;
  Offset hw = p.log.log_end_offset();
  for_each_in_maximal_isr(p, [&](BrokerId b) {
    if (b == cfg_.self) return;
    auto f = p.followers.find(b);
    hw = std::min(hw, f == p.followers.end() ? Offset{0} : std::max<Offset>(f->second.leo, 0));
  });
  const Offset before = p.log.high_watermark();
  p.log.update_high_watermark(hw);
  if (p.log.high_watermark() > before) complete_delayed(ctx, p.tp);
}

void ReplicaManager::update_follower(world::Ctx& ctx, HostedPartition& p, BrokerId f,
                                     Offset fetch_offset) {
  auto it = p.followers.find(f);
  if (it == p.followers.end()) return;  // not a replica (reassigned away)
  FollowerState& s = it->second;
  const Offset leo = p.log.log_end_offset();
  // Replica.updateFetchStateOrThrow: caught up now, or caught up to where we were last time.
  if (fetch_offset >= leo) {
    s.last_caught_up = std::max(s.last_caught_up, ctx.now());
  } else if (fetch_offset >= s.leader_leo_at_last_fetch) {
    s.last_caught_up = std::max(s.last_caught_up, s.last_fetch);
  }
  s.leader_leo_at_last_fetch = leo;
  s.last_fetch = ctx.now();
  s.leo = fetch_offset;
  maybe_expand_isr(ctx, p, f);
  maybe_increment_hw(ctx, p);
}

void ReplicaManager::maybe_expand_isr(world::Ctx& ctx, HostedPartition& p, BrokerId f) {
  if (p.pending_isr || contains(p.isr, f)) return;
  const FollowerState& s = p.followers[f];
  // Back in sync: it has everything committed, including this leader's epoch start.
  if (s.leo < p.log.high_watermark() || s.leo < p.epoch_start_offset) return;
  if (!active_brokers_.count(f)) return;  // KIP-903: fenced or shutting-down brokers stay out
  std::vector<BrokerId> isr = p.isr;
  isr.push_back(f);
  alter_partition(ctx, p, isr, p.recovery,
                  ctx.name_of(f) + " caught up (log end " + std::to_string(s.leo) +
                      " >= high watermark " + std::to_string(p.log.high_watermark()) + ")");
}

void ReplicaManager::maybe_shrink_isr(world::Ctx& ctx, HostedPartition& p) {
  if (p.role != Role::leader || p.pending_isr) return;
  const Time lag = Time::from_ms(cfg_.config.replica_lag_time_max_ms);
  std::vector<BrokerId> keep, out;
  for (BrokerId b : p.isr) {
    if (b == cfg_.self) {
      keep.push_back(b);
      continue;
    }
    const FollowerState& s = p.followers[b];
    const bool caught_up = s.leo == p.log.log_end_offset() || ctx.now() - s.last_caught_up <= lag;
    (caught_up ? keep : out).push_back(b);
  }
  if (out.empty()) return;
  std::string who;
  for (BrokerId b : out) {
    who += (who.empty() ? "" : ", ") + ctx.name_of(b) + " has not caught up for " +
           std::to_string((ctx.now() - p.followers[b].last_caught_up).ms()) + " ms";
  }
  alter_partition(ctx, p, keep, p.recovery,
                  who + " > replica.lag.time.max.ms (" +
                      std::to_string(cfg_.config.replica_lag_time_max_ms) + ")");
}

void ReplicaManager::alter_partition(world::Ctx& ctx, HostedPartition& p,
                                     std::vector<BrokerId> new_isr, LeaderRecoveryState recovery,
                                     const std::string& why) {
  if (controller_ == kNoLeader) return;
  ctx.trace(sim::TraceKind::note, ctx.name_of(cfg_.self) +
                                      " asks the controller to change the ISR of " + p.tp.str() +
                                      " to " + to_string(new_isr) + ": " + why);
  p.pending_isr = std::move(new_isr);
  p.pending_recovery = recovery;
  p.alter_correlation = next_correlation_++;
  send_alter_partition(ctx, p);
}

void ReplicaManager::send_alter_partition(world::Ctx& ctx, HostedPartition& p) {
  if (controller_ == kNoLeader) {
    ctx.set_timer(Time::from_ms(kAlterPartitionRetryMs), alter_partition_retry_timer,
                  p.alter_correlation);
    return;
  }
  AlterPartitionRequest r;
  r.correlation_id = p.alter_correlation;
  r.broker_id = cfg_.self;
  r.broker_epoch = broker_epoch_;
  r.topic = p.tp.topic;
  r.partition = p.tp.partition;
  r.leader_epoch = p.leader_epoch;
  r.new_isr = *p.pending_isr;
  r.leader_recovery_state = p.pending_recovery;
  r.partition_epoch = p.partition_epoch;
  p.alter_sent_to = controller_;
  ctx.send(controller_, net::MessageKind::metadata, r, 64);
}

ReplicaManager::HostedPartition* ReplicaManager::pending_alter(uint32_t correlation) {
  for (auto& [tp, p] : partitions_) {
    if (p.pending_isr && p.alter_correlation == correlation) return &p;
  }
  return nullptr;
}

void ReplicaManager::on_alter_partition_response(world::Ctx& ctx, const AlterPartitionResponse& r) {
  HostedPartition* found = pending_alter(r.correlation_id);
  if (found == nullptr) return;  // answered already, or the metadata moved the partition on
  HostedPartition& p = *found;
  switch (r.error_code) {
    case Errc::NONE:
      // Partition.handleAlterPartitionUpdate: an answer older than what this replica knows
      // leaves the change pending until the metadata says more.
      if (r.leader_id != cfg_.self || r.leader_epoch != p.leader_epoch ||
          r.partition_epoch < p.partition_epoch)
        return;
      p.isr = r.isr;
      p.partition_epoch = r.partition_epoch;
      p.recovery = r.leader_recovery_state;
      break;
    case Errc::INELIGIBLE_REPLICA:
      // The controller did not apply it and says so for certain: back to the committed ISR.
      break;
    case Errc::NOT_CONTROLLER:
    case Errc::STALE_BROKER_EPOCH:
      // AlterPartitionManager sends it again (to the active controller, once known).
      p.alter_sent_to = kNoLeader;
      ctx.set_timer(Time::from_ms(kAlterPartitionRetryMs), alter_partition_retry_timer,
                    p.alter_correlation);
      return;
    default:
      // NEW_LEADER_ELECTED (applied, and a completed reassignment moved the leadership away),
      // FENCED_LEADER_EPOCH, INVALID_UPDATE_VERSION, ...: whether or not it was applied, the
      // metadata will say what the partition is now. Until then the high watermark keeps
      // counting the maximal ISR (Partition.handleAlterPartitionError): a replica the
      // controller may have added and elected must hold everything below it.
      return;
  }
  p.pending_isr.reset();
  maybe_increment_hw(ctx, p);
}

// [SECTION] follower fetching
// ----------------------------------------------------------------------

void ReplicaManager::send_fetch(world::Ctx& ctx, BrokerId leader) {
  Fetcher& f = fetchers_[leader];
  if (f.in_flight) return;
  FetchRequest r;
  r.correlation_id = next_correlation_++;
  r.replica_id = cfg_.self;
  r.max_wait_ms = static_cast<int32_t>(cfg_.config.replica_fetch_wait_max_ms);
  r.min_bytes = static_cast<int32_t>(cfg_.config.replica_fetch_min_bytes);
  r.max_bytes = 10485760;  // replica.fetch.response.max.bytes (its default; not a setting here)
  r.partitions.reserve(partitions_.size());
  for (const auto& [tp, p] : partitions_) {
    if (p.role != Role::follower || !p.fetching || p.leader != leader) continue;
    FetchPartition fp;
    fp.tp = tp;
    fp.current_leader_epoch = p.leader_epoch;
    fp.fetch_offset = p.log.log_end_offset();
    fp.last_fetched_epoch = p.log.last_batch_epoch();
    fp.log_start_offset = p.log.log_start_offset();
    fp.partition_max_bytes = static_cast<int32_t>(cfg_.config.replica_fetch_max_bytes);
    r.partitions.push_back(fp);
  }
  if (r.partitions.empty()) return;
  f.in_flight = true;
  f.correlation_id = r.correlation_id;
  ctx.cancel(f.timeout);
  f.timeout = ctx.set_timer(Time::from_ms(cfg_.config.replica_fetch_wait_max_ms + 30000),
                            fetcher_timeout_timer, static_cast<uint64_t>(leader));
  ctx.send(leader, net::MessageKind::fetch, std::move(r), 64);
}

void ReplicaManager::on_fetch_response(world::Ctx& ctx, BrokerId from, FetchResponse&& r) {
  Fetcher& f = fetchers_[from];
  if (!f.in_flight || f.correlation_id != r.correlation_id) return;
  f.in_flight = false;
  ctx.cancel(f.timeout);
  bool backoff = false;
  for (FetchPartitionResponse& pr : r.partitions) {
    HostedPartition* found = find(pr.tp);
    if (found == nullptr) continue;
    HostedPartition& p = *found;
    if (p.role != Role::follower || p.leader != from) continue;
    PartitionLog& log = p.log;
    if (pr.diverging_epoch) {
      // KIP-279: truncate to the end of the largest epoch both logs share.
      const EpochEndOffset mine =
          log.epochs().end_offset_for(pr.diverging_epoch->epoch, log.log_end_offset());
      Offset to = std::min(mine.end_offset, log.log_end_offset());
      if (mine.epoch == pr.diverging_epoch->epoch)
        to = std::min(to, pr.diverging_epoch->end_offset);
      to = std::max<Offset>(to, 0);
      ctx.trace(sim::TraceKind::raft_truncate,
                ctx.name_of(cfg_.self) + " truncates " + p.tp.str() + " from " +
                    std::to_string(log.log_end_offset()) + " to " + std::to_string(to) +
                    ": the leader's epoch " + std::to_string(pr.diverging_epoch->epoch) +
                    " ends at " + std::to_string(pr.diverging_epoch->end_offset) +
                    " (DivergingEpoch, KIP-279)");
      log.truncate_to(to, ctx.now());
      continue;
    }
    if (pr.error_code == Errc::OFFSET_OUT_OF_RANGE) {
      if (log.log_end_offset() < pr.log_start_offset) {
        log.truncate_fully_and_start_at(pr.log_start_offset, ctx.now());
      } else if (pr.log_end_offset >= 0 && log.log_end_offset() > pr.log_end_offset) {
        // Only possible without epochs (legacy): the leader's log is shorter than ours.
        ctx.trace(sim::TraceKind::raft_truncate, ctx.name_of(cfg_.self) + " truncates " +
                                                     p.tp.str() + " to the leader's log end " +
                                                     std::to_string(pr.log_end_offset));
        log.truncate_to(pr.log_end_offset, ctx.now());
      }
      continue;
    }
    if (pr.error_code != Errc::NONE) {
      backoff = true;  // stale leadership: wait for the metadata to catch up
      continue;
    }
    bool failed = false;
    for (const RecordBatch& b : pr.records) {
      if (b.base_offset < log.log_end_offset() && b.last_offset() >= log.log_end_offset()) {
        // Only after the diverged truncations of legacy mode: batch boundaries differ from the
        // leader's, and the follower cannot append (UnexpectedAppendOffsetException). The
        // fetcher marks the partition failed until the next LeaderAndIsr.
        ctx.trace(sim::TraceKind::raft_truncate,
                  ctx.name_of(cfg_.self) + " stops replicating " + p.tp.str() +
                      ": the leader's batch " + std::to_string(b.base_offset) + ".." +
                      std::to_string(b.last_offset()) + " straddles its log end " +
                      std::to_string(log.log_end_offset()) + " (UnexpectedAppendOffsetException)");
        p.fetching = false;
        failed = true;
        break;
      }
      log.append_as_follower(b, ctx.now());
    }
    if (failed) continue;
    log.update_high_watermark(std::min(pr.high_watermark, log.log_end_offset()));
  }
  if (backoff) {
    ctx.set_timer(Time::from_ms(100), fetcher_retry_timer, static_cast<uint64_t>(from));
  } else {
    send_fetch(ctx, from);
  }
}

void ReplicaManager::on_disconnect(world::Ctx& ctx, BrokerId peer) {
  // The controller's channel lost what it carried: the pending ISR changes go again.
  for (auto& [tp, p] : partitions_) {
    if (p.pending_isr && p.alter_sent_to == peer) {
      p.alter_sent_to = kNoLeader;
      ctx.set_timer(Time::from_ms(kAlterPartitionRetryMs), alter_partition_retry_timer,
                    p.alter_correlation);
    }
  }
  auto it = fetchers_.find(peer);
  if (it != fetchers_.end() && it->second.in_flight) {
    it->second.in_flight = false;
    ctx.cancel(it->second.timeout);
    ctx.set_timer(Time::from_ms(1000), fetcher_retry_timer, static_cast<uint64_t>(peer));
  }
}

// [SECTION] timers
// ---------------------------------------------------------------------------------

void ReplicaManager::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  switch (kind) {
    case isr_check_timer:
      for (auto& [tp, p] : partitions_)
        maybe_shrink_isr(ctx, p);
      arm_periodic(ctx, isr_timer_, cfg_.config.replica_lag_time_max_ms / 2, isr_check_timer);
      break;
    case checkpoint_timer:
      for (auto& [tp, p] : partitions_)
        p.log.checkpoint_high_watermark();
      arm_periodic(ctx, checkpoint_timer_,
                   cfg_.config.replica_high_watermark_checkpoint_interval_ms, checkpoint_timer);
      break;
    case retention_timer:
      for (auto& [tp, p] : partitions_) {
        const Offset before = p.log.log_start_offset();
        if (p.log.delete_old_segments(ctx.now()) > 0) {
          ctx.trace(sim::TraceKind::note,
                    ctx.name_of(cfg_.self) + " deleted old segments of " + p.tp.str() +
                        ": log start offset " + std::to_string(before) + " -> " +
                        std::to_string(p.log.log_start_offset()) + " (retention)");
        }
      }
      arm_periodic(ctx, retention_timer_, cfg_.config.log_retention_check_interval_ms,
                   retention_timer);
      break;
    case cleaner_timer:
      for (auto& [tp, p] : partitions_) {
        const size_t removed = p.log.maybe_compact(ctx.now());
        if (removed > 0) {
          ctx.trace(sim::TraceKind::note, ctx.name_of(cfg_.self) + " compacted " + p.tp.str() +
                                              ": " + std::to_string(removed) +
                                              " superseded records removed");
        }
      }
      arm_periodic(ctx, cleaner_timer_,
                   dynamic_.broker_long("log.cleaner.backoff.ms", cfg_.self,
                                        cfg_.config.log_cleaner_backoff_ms),
                   cleaner_timer);
      break;
    case alter_partition_retry_timer:
      if (HostedPartition* p = pending_alter(static_cast<uint32_t>(arg));
          p != nullptr && p->role == Role::leader && p->alter_sent_to == kNoLeader) {
        send_alter_partition(ctx, *p);
      }
      break;
    case fetcher_retry_timer:
      send_fetch(ctx, static_cast<BrokerId>(arg));
      break;
    case fetcher_timeout_timer: {
      auto it = fetchers_.find(static_cast<BrokerId>(arg));
      if (it != fetchers_.end() && it->second.in_flight) {
        it->second.in_flight = false;
        send_fetch(ctx, static_cast<BrokerId>(arg));
      }
      break;
    }
    case produce_timeout_timer:
      for (size_t i = 0; i < delayed_produce_.size(); ++i) {
        DelayedProduce& d = delayed_produce_[i];
        if (d.id != arg) continue;
        for (size_t k = 0; k < d.results.size(); ++k) {
          if (d.required[k] >= 0) d.results[k].error_code = Errc::REQUEST_TIMED_OUT;
        }
        ctx.send(d.client, net::MessageKind::produce, ProduceResponse{d.correlation_id, d.results},
                 static_cast<uint32_t>(32 + 32 * d.results.size()));
        const BrokerId client = d.client;
        delayed_produce_.erase(delayed_produce_.begin() + static_cast<long>(i));
        handle_backlog(ctx, client);
        break;
      }
      break;
    case fetch_wait_timer:
      for (size_t i = 0; i < delayed_fetch_.size(); ++i) {
        if (delayed_fetch_[i].id != arg) continue;
        const DelayedFetch d = delayed_fetch_[i];
        delayed_fetch_.erase(delayed_fetch_.begin() + static_cast<long>(i));
        answer_fetch(ctx, d.from, d.request);
        break;
      }
      break;
    default:
      break;
  }
}

const char* ReplicaManager::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case isr_check_timer:
      return "the ISR check (replica.lag.time.max.ms)";
    case checkpoint_timer:
      return "the high watermark checkpoint";
    case retention_timer:
      return "the retention check";
    case cleaner_timer:
      return "the log cleaner";
    case fetcher_retry_timer:
      return "the replica fetcher backoff";
    case produce_timeout_timer:
      return "an acks=all produce timeout";
    case fetch_wait_timer:
      return "a fetch long-poll expiry";
    case fetcher_timeout_timer:
      return "the replica fetcher request timeout";
    case alter_partition_retry_timer:
      return "the AlterPartition retry";
    case timer_kind_last:  // a bound, not a timer
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka
