// A replica's partition log. See partition_log.h.
//
// Index:
//   [SECTION] offsets and appends
//   [SECTION] truncation and reads
//   [SECTION] retention and compaction
//   [SECTION] durability
#include "kafka/log/partition_log.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "sim/assert.h"

namespace kafkasim::kafka {

using sim::Time;

// [SECTION] offsets and appends
// -----------------------------------------------------------------------

void PartitionLog::update_high_watermark(Offset hw) {
  hw = std::clamp(hw, log_start_offset_, log_end_offset_);
  if (hw > high_watermark_) high_watermark_ = hw;
}

void PartitionLog::reset_high_watermark(Offset hw) {
  high_watermark_ = std::clamp(hw, log_start_offset_, log_end_offset_);
}

int32_t PartitionLog::last_batch_epoch() const {
  for (auto s = segments_.rbegin(); s != segments_.rend(); ++s) {
    if (!s->batches.empty()) return s->batches.back().partition_leader_epoch;
  }
  return kNoEpoch;
}

void PartitionLog::roll_if_needed(int64_t incoming_bytes, Time now) {
  if (!segments_.empty()) {
    const Segment& active = segments_.back();
    const bool full = active.size_bytes + incoming_bytes > cfg_.segment_bytes;
    const bool old = now - active.created_at >= Time::from_ms(cfg_.segment_ms);
    if (active.batches.empty() || !(full || old)) return;
  }
  Segment s;
  s.base_offset = log_end_offset_;
  s.created_at = now;
  segments_.push_back(std::move(s));
}

const RecordBatch& PartitionLog::append_as_leader(RecordBatch b, LeaderEpoch leader_epoch,
                                                  Time now) {
  b.base_offset = log_end_offset_;
  b.partition_leader_epoch = leader_epoch;
  roll_if_needed(b.size_bytes, now);
  epochs_.assign(leader_epoch, b.base_offset);
  Segment& seg = segments_.back();
  seg.size_bytes += b.size_bytes;
  seg.max_timestamp_ms = std::max(seg.max_timestamp_ms, b.data ? b.data->max_timestamp_ms : 0);
  log_end_offset_ = b.last_offset() + 1;
  producers_.update(b);
  seg.batches.push_back(std::move(b));
  note_write(now);
  return seg.batches.back();
}

void PartitionLog::append_as_follower(const RecordBatch& b, Time now) {
  if (b.last_offset() < log_end_offset_) return;  // already have it
  SIM_ASSERT(b.base_offset == log_end_offset_, "a follower appends whole batches at its log end");
  roll_if_needed(b.size_bytes, now);
  epochs_.assign(b.partition_leader_epoch, b.base_offset);
  Segment& seg = segments_.back();
  seg.size_bytes += b.size_bytes;
  seg.max_timestamp_ms = std::max(seg.max_timestamp_ms, b.data ? b.data->max_timestamp_ms : 0);
  seg.batches.push_back(b);
  log_end_offset_ = b.last_offset() + 1;
  producers_.update(b);
  note_write(now);
}

// [SECTION] truncation and reads
// --------------------------------------------------------------------

void PartitionLog::truncate_to(Offset end, Time now) {
  if (end >= log_end_offset_) return;
  end = std::max(end, log_start_offset_);
  const Offset old_end = log_end_offset_;
  // Whole batches go: a batch holding `end` is removed with everything after it.
  while (!segments_.empty()) {
    Segment& s = segments_.back();
    while (!s.batches.empty() && s.batches.back().last_offset() >= end) {
      s.size_bytes -= s.batches.back().size_bytes;
      s.batches.pop_back();
    }
    if (s.batches.empty() && segments_.size() > 1 && s.base_offset >= end) {
      segments_.pop_back();
      continue;
    }
    break;
  }
  Offset new_end = log_start_offset_;
  for (auto s = segments_.rbegin(); s != segments_.rend(); ++s) {
    if (!s->batches.empty()) {
      new_end = s->batches.back().last_offset() + 1;
      break;
    }
  }
  if (!segments_.empty() && segments_.back().batches.empty())
    segments_.back().base_offset = new_end;
  log_end_offset_ = new_end;
  last_removal_ = LogRemoval{LogRemoval::Kind::truncated, new_end, old_end, now};
  high_watermark_ = std::min(high_watermark_, log_end_offset_);
  checkpointed_hw_ = std::min(checkpointed_hw_, log_end_offset_);
  epochs_.truncate_from_end(log_end_offset_);
  flushed_end_ = std::min(flushed_end_, log_end_offset_);
  while (!dirty_.empty() && dirty_.back().end > log_end_offset_)
    dirty_.pop_back();
  cleaned_upto_ = std::min(cleaned_upto_, log_end_offset_);
  rebuild_producer_state();
}

void PartitionLog::truncate_fully_and_start_at(Offset start, Time now) {
  last_removal_ = LogRemoval{LogRemoval::Kind::restarted, log_start_offset_,
                             std::max(start, log_end_offset_), now};
  segments_.clear();
  log_start_offset_ = log_end_offset_ = high_watermark_ = checkpointed_hw_ = start;
  flushed_end_ = cleaned_upto_ = start;
  dirty_.clear();
  epochs_.clear();
  producers_.clear();
  producers_at_start_.clear();
}

template <typename Take>
void PartitionLog::visit_readable(Offset from, Offset max_offset, size_t max_bytes, bool min_one,
                                  Take&& take) const {
  // The last segment starting at or before `from`.
  auto first = std::upper_bound(segments_.begin(), segments_.end(), from,
                                [](Offset o, const Segment& s) { return o < s.base_offset; });
  if (first != segments_.begin()) --first;
  // The first batch holding `from` or later. Most reads are near the end of the log
  // (followers and consumers keeping up): look back a few batches before searching.
  auto start_in = [from](const Segment& seg) {
    auto b = seg.batches.end();
    for (int k = 0; k < 8 && b != seg.batches.begin(); ++k) {
      if (std::prev(b)->last_offset() < from) return b;
      --b;
    }
    return std::lower_bound(seg.batches.begin(), b, from,
                            [](const RecordBatch& x, Offset o) { return x.last_offset() < o; });
  };
  size_t bytes = 0, n = 0;
  for (auto seg = first; seg != segments_.end(); ++seg) {
    for (auto b = start_in(*seg); b != seg->batches.end(); ++b) {
      if (b->last_offset() >= max_offset) return;  // limits fall on batch boundaries
      if ((n > 0 || !min_one) && bytes + b->size_bytes > max_bytes) return;
      bytes += b->size_bytes;
      ++n;
      if (!take(*b)) return;
    }
  }
}

std::vector<RecordBatch> PartitionLog::read(Offset from, Offset max_offset, size_t max_bytes,
                                            bool min_one) const {
  // Two passes, counting then copying, so the answer is allocated once.
  size_t count = 0;
  visit_readable(from, max_offset, max_bytes, min_one,
                 [&](const RecordBatch&) { return ++count > 0; });
  std::vector<RecordBatch> out;
  if (count == 0) return out;
  out.reserve(count);
  visit_readable(from, max_offset, max_bytes, min_one, [&](const RecordBatch& b) {
    out.push_back(b);
    return true;
  });
  return out;
}

size_t PartitionLog::readable_bytes(Offset from, Offset max_offset, size_t max_bytes,
                                    size_t enough) const {
  size_t bytes = 0;
  visit_readable(from, max_offset, max_bytes, true, [&](const RecordBatch& b) {
    bytes += b.size_bytes;
    return bytes < enough;
  });
  return bytes;
}

int64_t PartitionLog::size_bytes() const {
  int64_t total = 0;
  for (const Segment& s : segments_)
    total += s.size_bytes;
  return total;
}

size_t PartitionLog::record_count() const {
  size_t n = 0;
  for (const Segment& s : segments_) {
    for (const RecordBatch& b : s.batches)
      n += static_cast<size_t>(b.record_count());
  }
  return n;
}

void PartitionLog::rebuild_producer_state() {
  producers_ = producers_at_start_;
  for (const Segment& s : segments_) {
    for (const RecordBatch& b : s.batches)
      producers_.update(b);
  }
}

// [SECTION] retention and compaction
// -------------------------------------------------------------------

int PartitionLog::delete_old_segments(Time now) {
  if (!cfg_.cleanup_delete || segments_.empty()) return 0;
  // Segment i may go only when everything in it is below the high watermark.
  auto deletable_by_hw = [&](size_t i) {
    const Offset next = i + 1 < segments_.size() ? segments_[i + 1].base_offset : log_end_offset_;
    return next <= high_watermark_ && !segments_[i].batches.empty();
  };
  size_t n = 0;
  if (cfg_.retention_ms >= 0) {
    while (n < segments_.size() && deletable_by_hw(n) &&
           now.ms() - segments_[n].max_timestamp_ms > cfg_.retention_ms) {
      ++n;
    }
  }
  if (cfg_.retention_bytes >= 0) {
    int64_t diff = size_bytes() - cfg_.retention_bytes;
    for (size_t i = 0; i < n; ++i)
      diff -= segments_[i].size_bytes;
    while (n < segments_.size() && deletable_by_hw(n) && diff - segments_[n].size_bytes >= 0) {
      diff -= segments_[n].size_bytes;
      ++n;
    }
  }
  if (n == 0) return 0;
  if (n == segments_.size()) {
    // Every segment goes: roll a fresh empty active segment first.
    Segment fresh;
    fresh.base_offset = log_end_offset_;
    fresh.created_at = now;
    segments_.push_back(std::move(fresh));
  }
  // What the deleted batches told of their producers stays known (KIP-360): a retried batch
  // of theirs is still a duplicate, and their sequences still have to continue.
  for (size_t i = 0; i < n; ++i) {
    for (const RecordBatch& b : segments_[i].batches)
      producers_at_start_.update(b);
    deleted_.emplace_back(segments_[i].base_offset, segments_[i + 1].base_offset);
    if (deleted_.size() > kDeletedKept) deleted_.pop_front();
  }
  last_removal_ =
      LogRemoval{LogRemoval::Kind::deleted, log_start_offset_, segments_[n].base_offset, now};
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<long>(n));
  log_start_offset_ = segments_.front().base_offset;
  high_watermark_ = std::max(high_watermark_, log_start_offset_);
  epochs_.truncate_from_start(log_start_offset_);
  cleaned_upto_ = std::max(cleaned_upto_, log_start_offset_);
  return static_cast<int>(n);
}

size_t PartitionLog::maybe_compact(Time now) {
  if (!cfg_.cleanup_compact || segments_.size() < 2) return 0;
  // Clean only below the active segment and the high watermark, and only segments older
  // than min.compaction.lag.ms.
  Offset limit = std::min(segments_.back().base_offset, high_watermark_);
  for (const Segment& s : segments_) {
    if (s.base_offset >= limit) break;
    if (now.ms() - s.max_timestamp_ms < cfg_.min_compaction_lag_ms) {
      limit = s.base_offset;
      break;
    }
  }
  if (limit <= cleaned_upto_) return 0;
  int64_t dirty = 0, total = 0;
  for (const Segment& s : segments_) {
    total += s.size_bytes;
    if (s.base_offset >= cleaned_upto_ && s.base_offset < limit) dirty += s.size_bytes;
  }
  if (total == 0 ||
      static_cast<double>(dirty) / static_cast<double>(total) < cfg_.min_cleanable_dirty_ratio) {
    return 0;
  }
  // The latest offset of every key below the limit.
  std::map<std::string, Offset> latest;
  for (const Segment& s : segments_) {
    for (const RecordBatch& b : s.batches) {
      if (b.base_offset >= limit) break;
      for (size_t i = 0; i < b.data->size(); ++i) {
        const auto key = b.data->key(i);
        if (key) latest[std::string(*key)] = b.base_offset + b.data->records()[i].offset_delta;
      }
    }
  }
  size_t removed = 0;
  for (Segment& s : segments_) {
    if (s.base_offset >= limit) break;
    std::deque<RecordBatch> kept;
    int64_t size = 0;
    for (RecordBatch& b : s.batches) {
      if (b.last_offset() >= limit) {
        size += b.size_bytes;
        kept.push_back(b);
        continue;
      }
      auto data = sim::make_rc<BatchData>();
      for (size_t i = 0; i < b.data->size(); ++i) {
        const Record& r = b.data->records()[i];
        const auto key = b.data->key(i);
        const Offset at = b.base_offset + r.offset_delta;
        bool keep = !key || latest[std::string(*key)] == at;
        // A tombstone that has been the latest for delete.retention.ms is dropped too.
        if (keep && key && r.value_size < 0 &&
            now.ms() - b.data->timestamp_ms(i) > cfg_.delete_retention_ms)
          keep = false;
        if (!keep) {
          ++removed;
          continue;
        }
        const size_t k = data->add(b.data->timestamp_ms(i), key, b.data->value(i), r.origin);
        data->set_offset_delta(k, r.offset_delta);
      }
      if (data->size() == b.data->size()) {
        size += b.size_bytes;
        kept.push_back(b);
        continue;
      }
      // The batch header survives (offsets, producer id and sequences) even when empty, so an
      // idempotent producer's last sequence is not forgotten.
      if (data->empty() && !b.idempotent()) continue;
      RecordBatch nb = make_batch(std::move(data));
      nb.base_offset = b.base_offset;
      nb.last_offset_delta = b.last_offset_delta;
      nb.partition_leader_epoch = b.partition_leader_epoch;
      nb.producer_id = b.producer_id;
      nb.producer_epoch = b.producer_epoch;
      nb.base_sequence = b.base_sequence;
      size += nb.size_bytes;
      kept.push_back(std::move(nb));
    }
    s.batches = std::move(kept);
    s.size_bytes = size;
  }
  cleaned_upto_ = limit;
  return removed;
}

// [SECTION] durability
// --------------------------------------------------------------------------------

void PartitionLog::note_write(Time now) {
  // Writes at one instant (a follower appending a fetch response's batches) share one entry:
  // the page cache writes them back together.
  if (!dirty_.empty() && dirty_.back().written_at == now) {
    dirty_.back().end = log_end_offset_;
  } else {
    dirty_.push_back(Dirty{log_end_offset_, now});
  }
  ++unflushed_messages_;
  if (unflushed_messages_ >= cfg_.flush_messages) {
    flush(now);
    return;
  }
  // Forget dirty entries the OS (or the flush.ms scheduler) has written back by now.
  const Offset d = durable_end(now);
  while (!dirty_.empty() && dirty_.front().end <= d)
    dirty_.pop_front();
  flushed_end_ = std::max(flushed_end_, d);
}

void PartitionLog::flush(Time now) {
  flushed_end_ = log_end_offset_;
  dirty_.clear();
  unflushed_messages_ = 0;
  last_flush_ = now;
}

Offset PartitionLog::durable_end(Time now) const {
  const int64_t after_ms = std::min(cfg_.os_dirty_expire_ms, cfg_.flush_ms);
  Offset d = flushed_end_;
  for (const Dirty& x : dirty_) {
    if (after_ms == INT64_MAX || now - x.written_at < Time::from_ms(after_ms)) break;
    d = std::max(d, x.end);
  }
  return d;
}

void PartitionLog::lose_unflushed(Time now) {
  const Offset keep = durable_end(now);
  truncate_to(keep, now);
  flushed_end_ = log_end_offset_;
  dirty_.clear();
  unflushed_messages_ = 0;
}

void PartitionLog::recover() {
  high_watermark_ = std::clamp(checkpointed_hw_, log_start_offset_, log_end_offset_);
  rebuild_producer_state();
}

}  // namespace kafkasim::kafka
