// PartitionLog: one replica of one partition on one broker (Kafka's UnifiedLog + LocalLog;
// KAFKA_REFERENCE 1.1-1.3, 2.5, 6).
//
// Offsets are dense and never reused. log_start_offset <= high_watermark <= log_end_offset.
// Segments roll at segment.bytes / segment.ms; retention deletes whole segments, oldest first,
// only below the high watermark; compaction keeps the latest record per key (and tombstones
// for delete.retention.ms) below the high watermark and outside the active segment.
//
// Storage: appended data sits in the OS page cache until flushed (flush.messages, flush.ms, an
// explicit flush, or the OS writeback after sim.os.dirty.expire.ms). A crash (kill -9) loses
// nothing written; a power loss truncates the log to what was durable. The leader-epoch and
// high-watermark checkpoints are written as files too and survive per the same rule.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "kafka/log/epoch_cache.h"
#include "kafka/log/producer_state.h"
#include "kafka/log/record_batch.h"
#include "sim/time.h"

namespace kafkasim::kafka {

struct LogConfig {
  int64_t segment_bytes = 1073741824;      // segment.bytes
  int64_t segment_ms = 604800000;          // segment.ms
  int64_t retention_ms = 604800000;        // retention.ms (-1: forever)
  int64_t retention_bytes = -1;            // retention.bytes (-1: no limit)
  bool cleanup_delete = true;              // cleanup.policy contains delete
  bool cleanup_compact = false;            // cleanup.policy contains compact
  double min_cleanable_dirty_ratio = 0.5;  // min.cleanable.dirty.ratio
  int64_t min_compaction_lag_ms = 0;       // min.compaction.lag.ms
  int64_t delete_retention_ms = 86400000;  // delete.retention.ms
  int64_t flush_messages = INT64_MAX;      // flush.messages
  int64_t flush_ms = INT64_MAX;            // flush.ms
  int64_t os_dirty_expire_ms = 30000;      // sim.os.dirty.expire.ms (Linux dirty_expire)
};

struct Segment {
  Offset base_offset = 0;
  // A deque: appends never copy the segment and leave no doubling slack (memory per record).
  std::deque<RecordBatch> batches;
  int64_t size_bytes = 0;
  sim::Time created_at;
  int64_t max_timestamp_ms = -1;
  Offset next_offset(Offset fallback) const {
    return batches.empty() ? fallback : batches.back().last_offset() + 1;
  }
};

/// Records a log lost other than by compaction, for those who watch it (the studio): a
/// truncation (divergence, a pre-KIP-101 truncation to the HW, unflushed writes lost at a power
/// loss), a follower starting over at the leader's log start, or retention deleting segments.
struct LogRemoval {
  enum class Kind : uint8_t { truncated, restarted, deleted };
  Kind kind = Kind::truncated;
  Offset from = 0, to = 0;  // the offsets removed: [from, to)
  sim::Time at;
};

class PartitionLog {
 public:
  PartitionLog() = default;
  explicit PartitionLog(LogConfig cfg) : cfg_(cfg) {}

  // [offsets]
  Offset log_start_offset() const { return log_start_offset_; }
  Offset log_end_offset() const { return log_end_offset_; }
  Offset high_watermark() const { return high_watermark_; }
  /// Sets the high watermark (clamped to [log start, LEO]); it never moves back here: a
  /// leader's rule and a follower's min(leader HW, LEO) both only move it forward.
  void update_high_watermark(Offset hw);
  /// A follower becoming one again may have to lower it (after truncation).
  void reset_high_watermark(Offset hw);
  const LeaderEpochCache& epochs() const { return epochs_; }
  LeaderEpochCache& epochs() { return epochs_; }
  int32_t last_batch_epoch() const;

  // [writes]
  /// Leader append: assigns offsets, stamps `leader_epoch`; returns the batch as stored.
  const RecordBatch& append_as_leader(RecordBatch b, LeaderEpoch leader_epoch, sim::Time now);
  /// Follower append: the batch keeps the offsets and epoch the leader gave it.
  void append_as_follower(const RecordBatch& b, sim::Time now);
  /// Removes every record at or after `end` (divergence, or a pre-KIP-101 truncation to HW).
  void truncate_to(Offset end, sim::Time now);
  /// Empties the log and restarts it at `start` (a follower far behind the leader's start).
  void truncate_fully_and_start_at(Offset start, sim::Time now);

  // [reads]
  /// Whole batches holding offsets in [from, max_offset), up to `max_bytes`; with `min_one`,
  /// the first batch even when it is larger. `from` must be within [log start, LEO].
  std::vector<RecordBatch> read(Offset from, Offset max_offset, size_t max_bytes,
                                bool min_one = true) const;
  /// The bytes read() would return, counted no further than `enough` (a held fetch asks
  /// whether its fetch.min.bytes are there).
  size_t readable_bytes(Offset from, Offset max_offset, size_t max_bytes, size_t enough) const;
  const std::vector<Segment>& segments() const { return segments_; }
  int64_t size_bytes() const;
  size_t record_count() const;

  // [maintenance]
  /// Retention (time and size rules, whole segments below the HW); returns segments deleted.
  int delete_old_segments(sim::Time now);
  /// One compaction pass when the dirty ratio calls for it; returns records removed.
  size_t maybe_compact(sim::Time now);

  // [durability]
  void flush(sim::Time now);
  /// The log end offset that is on disk at `now` (flushed, or written back by the OS).
  Offset durable_end(sim::Time now) const;
  /// Power loss at `now`: everything not durable is gone; checkpoints follow.
  void lose_unflushed(sim::Time now);
  /// replication-offset-checkpoint: the HW as last written to disk.
  void checkpoint_high_watermark() { checkpointed_hw_ = high_watermark_; }
  Offset checkpointed_high_watermark() const { return checkpointed_hw_; }
  /// After a restart: volatile state (the in-memory HW) comes from the checkpoint.
  void recover();

  // [idempotence]
  const ProducerStateManager& producers() const { return producers_; }
  ProducerStateManager::Verdict check_producer(const RecordBatch& b) const {
    return producers_.check(b);
  }

  const LogConfig& config() const { return cfg_; }
  void set_config(const LogConfig& c) { cfg_ = c; }

  // [history, for those who watch]
  /// The latest removal (nullopt: none yet). Does not change behaviour.
  const std::optional<LogRemoval>& last_removal() const { return last_removal_; }
  /// Segments retention deleted, oldest first: [base, end) of each, the latest kDeletedKept.
  static constexpr size_t kDeletedKept = 32;
  const std::deque<std::pair<Offset, Offset>>& deleted_segments() const { return deleted_; }

 private:
  void roll_if_needed(int64_t incoming_bytes, sim::Time now);
  void rebuild_producer_state();
  void note_write(sim::Time now);
  /// Calls take(batch) for each batch read() returns, in order, until it returns false.
  template <typename Take>
  void visit_readable(Offset from, Offset max_offset, size_t max_bytes, bool min_one,
                      Take&& take) const;

  LogConfig cfg_;
  std::vector<Segment> segments_;
  Offset log_start_offset_ = 0;
  Offset log_end_offset_ = 0;
  Offset high_watermark_ = 0;
  Offset checkpointed_hw_ = 0;
  LeaderEpochCache epochs_;
  ProducerStateManager producers_;
  /// The producer state as of the log start offset: what the batches retention deleted had
  /// built (Kafka's producer snapshot at the new log start). Rebuilding after a truncation or
  /// a restart starts from it, so a producer whose batches are all gone is still known.
  ProducerStateManager producers_at_start_;
  // durability: [flushed_end_, LEO) is in the page cache; dirty_ says when each part was written
  Offset flushed_end_ = 0;
  struct Dirty {
    Offset end;
    sim::Time written_at;
  };
  std::deque<Dirty> dirty_;
  int64_t unflushed_messages_ = 0;
  sim::Time last_flush_;
  Offset cleaned_upto_ = 0;  // compaction: everything below is clean
  std::optional<LogRemoval> last_removal_;
  std::deque<std::pair<Offset, Offset>> deleted_;
};

}  // namespace kafkasim::kafka
