// The simulated application around a Consumer: poll(), processing, commits (consumer.h).
#include <algorithm>

#include "kafka/client/consumer.h"
#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

void Consumer::run_app(world::Ctx& ctx) {
  if (!running_ || phase_ == MemberPhase::failed) return;
  // Kafka runs rebalance callbacks inside poll(): only an idle application takes a new
  // assignment or starts a rejoin, so the group is driven again after each batch. (Callers
  // have just driven it.)
  while (app_ == App::idle && poll(ctx))
    drive_group(ctx);
}

bool Consumer::poll(world::Ctx& ctx) {
  if (closing_) return false;
  last_poll_ = ctx.now();
  ++polls_;
  // EAGER: while the rebalance's commit is in flight every owned partition is pending
  // revocation, and poll() returns nothing from it (KAFKA-14196).
  if (phase_ == MemberPhase::committing && !cooperative()) return false;
  if (in_group() && cfg_.group.enable_auto_commit && ctx.now() >= next_auto_commit_) {
    const bool sent = commit(ctx, false);
    next_auto_commit_ = ctx.now() + Time::from_ms(sent ? cfg_.group.auto_commit_interval_ms
                                                       : cfg_.retry_backoff_ms);
  }
  // Up to max.poll.records, partition by partition, starting after the one served last.
  processing_.clear();
  polled_batches_.clear();
  processed_ = 0;
  const auto limit = static_cast<size_t>(std::max<int64_t>(1, cfg_.max_poll_records));
  auto start = assigned_.upper_bound(poll_from_);
  for (size_t n = 0; n < assigned_.size() && processing_.size() < limit; ++n, ++start) {
    if (start == assigned_.end()) start = assigned_.begin();
    Assigned& a = start->second;
    bool took = false;
    while (!a.buffered.empty() && processing_.size() < limit) {
      const RecordBatch& b = a.buffered.front();
      const auto batch = static_cast<uint32_t>(polled_batches_.size());
      for (size_t i = 0; i < b.data->size() && processing_.size() < limit; ++i) {
        const Offset o = b.base_offset + b.data->records()[i].offset_delta;
        if (o < a.position) continue;  // the batch started before the position
        processing_.push_back(Polled{batch, static_cast<uint32_t>(i)});
        a.position = o + 1;
        took = true;
      }
      if (!processing_.empty() && processing_.back().batch == batch)
        polled_batches_.push_back(PolledBatch{start->first, b});
      if (a.position > b.last_offset()) {
        a.position = std::max(a.position, b.last_offset() + 1);
        a.buffered.pop_front();
      } else {
        break;
      }
    }
    if (took) poll_from_ = start->first;
  }
  if (processing_.empty()) return false;
  fetch(ctx);  // partitions drained by this poll are fetched again
  // The heartbeat thread watches the time to the next poll() (max.poll.interval.ms).
  if (in_group())
    ctx.set_timer(Time::from_ms(cfg_.group.max_poll_interval_ms), poll_timeout_timer, polls_);
  if (cfg_.commit == CommitMode::sync_before && commit(ctx, true)) {
    app_ = App::committing;
    return true;
  }
  start_processing(ctx);
  return true;
}

void Consumer::start_processing(world::Ctx& ctx) {
  app_ = App::processing;
  if (cfg_.processing_ms > 0) {
    ctx.set_timer(Time::from_ms(cfg_.processing_ms), process_timer, 0);
    return;
  }
  SeenCache cache;
  for (; processed_ < processing_.size(); ++processed_)
    deliver(ctx, processing_[processed_], cache);
  after_processing(ctx);
}

void Consumer::process_one(world::Ctx& ctx) {
  // The record being processed is done now that its time is up.
  if (app_ != App::processing || processed_ >= processing_.size()) return;
  SeenCache cache;
  deliver(ctx, processing_[processed_++], cache);
  if (processed_ < processing_.size()) {
    ctx.set_timer(Time::from_ms(cfg_.processing_ms), process_timer, 0);
    return;
  }
  after_processing(ctx);
}

void Consumer::after_processing(world::Ctx& ctx) {
  if (cfg_.commit == CommitMode::sync_after && commit(ctx, true)) {
    app_ = App::committing;
    return;
  }
  if (cfg_.commit == CommitMode::async_after) commit(ctx, false);
  app_ = App::idle;
  processing_.clear();
  polled_batches_.clear();
  processed_ = 0;
}

void Consumer::deliver(world::Ctx& ctx, const Polled& p, SeenCache& cache) {
  const PolledBatch& from = polled_batches_[p.batch];
  const RecordBatch& b = from.batch;
  const Record& r = b.data->records()[p.index];
  const Offset o = b.base_offset + r.offset_delta;
  deliveries_.push_back(Delivery{r.origin, o, ctx.now(), from.tp.partition});
  if (r.key_size < 0) return;
  const std::string_view key(b.data->bytes().data() + r.key_at, static_cast<size_t>(r.key_size));
  if (cache.batch != p.batch) {
    cache.seen = &last_seq_by_key_[from.tp];
    cache.batch = p.batch;
  }
  if (cache.seen->out_of_order(key, r.origin)) ++order_violations_;
}

}  // namespace kafkasim::kafka
