// RaftLog: the __cluster_metadata replica a node keeps on disk, with its leader-epoch cache.
// Offsets are dense from 0 (no snapshots yet). Survives a crash; on power loss it survives
// too, because KRaft flushes the metadata log before acknowledging it.
#pragma once

#include <utility>
#include <vector>

#include "kafka/raft/messages.h"

namespace kafkasim::kafka::raft {

struct EpochEnd {
  int32_t epoch = kNoEpoch;
  Offset end_offset = kNoOffset;
  friend bool operator==(const EpochEnd&, const EpochEnd&) = default;
};

class RaftLog {
 public:
  Offset end_offset() const { return static_cast<Offset>(entries_.size()); }
  int32_t last_epoch() const { return entries_.empty() ? 0 : entries_.back().epoch; }
  const LogEntry& at(Offset o) const { return entries_[static_cast<size_t>(o)]; }
  const std::vector<LogEntry>& entries() const { return entries_; }
  /// (epoch -> start offset), strictly increasing in both.
  const std::vector<std::pair<int32_t, Offset>>& epoch_cache() const { return cache_; }

  Offset append(int32_t epoch, MetadataRecord record);
  void truncate_to(Offset end);
  /// Kafka's LeaderEpochFileCache.endOffsetFor (KAFKA_REFERENCE 2.5, vectors in 7.8).
  EpochEnd end_offset_for(int32_t requested) const;

 private:
  std::vector<LogEntry> entries_;
  std::vector<std::pair<int32_t, Offset>> cache_;
};

/// endOffsetFor over any epoch cache and log end offset (also used by the tests' vectors).
EpochEnd end_offset_for(const std::vector<std::pair<int32_t, Offset>>& cache, int32_t requested,
                        Offset log_end_offset);

}  // namespace kafkasim::kafka::raft
