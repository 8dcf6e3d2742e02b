// LeaderEpochCache: a replica's (leader epoch -> start offset) entries, as Kafka's
// LeaderEpochFileCache keeps them (KAFKA_REFERENCE 2.5, vectors in 7.8).
//   * entries strictly increase in both epoch and start offset; assigning an entry that breaks
//     this removes the conflicting ones;
//   * truncating the log removes entries at or after the truncation point;
//   * endOffsetFor(epoch, LEO) answers "where does my history of this epoch end?".
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "kafka/common/ids.h"

namespace kafkasim::kafka {

struct EpochEntry {
  int32_t epoch = 0;
  Offset start_offset = 0;
  friend bool operator==(const EpochEntry&, const EpochEntry&) = default;
};

struct EpochEndOffset {
  int32_t epoch = kNoEpoch;
  Offset end_offset = kNoOffset;
  friend bool operator==(const EpochEndOffset&, const EpochEndOffset&) = default;
};

class LeaderEpochCache {
 public:
  /// Records that `epoch` starts at `start_offset` (an append in a new epoch, or a new leader
  /// at election, KIP-279). Repeating the latest epoch at the same or a later offset changes
  /// nothing; otherwise entries at this epoch or later, or at this offset or later, go first.
  void assign(int32_t epoch, Offset start_offset);
  /// Removes entries whose start offset is >= `end` (the log was truncated to `end`).
  void truncate_from_end(Offset end);
  /// Removes entries wholly before `start` and moves the first one up to it (log start moved).
  void truncate_from_start(Offset start);
  EpochEndOffset end_offset_for(int32_t requested, Offset log_end_offset) const;
  int32_t latest_epoch() const { return entries_.empty() ? kNoEpoch : entries_.back().epoch; }
  const std::vector<EpochEntry>& entries() const { return entries_; }
  void clear() { entries_.clear(); }

 private:
  std::vector<EpochEntry> entries_;
};

}  // namespace kafkasim::kafka
