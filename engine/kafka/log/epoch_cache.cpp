#include "kafka/log/epoch_cache.h"

namespace kafkasim::kafka {

void LeaderEpochCache::assign(int32_t epoch, Offset start_offset) {
  if (epoch < 0 || start_offset < 0) return;
  // Needed unless it repeats the latest epoch at the same or a later offset.
  if (!entries_.empty() && epoch == entries_.back().epoch &&
      start_offset >= entries_.back().start_offset) {
    return;
  }
  // Keep the entries monotonic: drop any at this epoch or later, or at this offset or later.
  while (!entries_.empty() &&
         (entries_.back().epoch >= epoch || entries_.back().start_offset >= start_offset)) {
    entries_.pop_back();
  }
  entries_.push_back(EpochEntry{epoch, start_offset});
}

void LeaderEpochCache::truncate_from_end(Offset end) {
  while (!entries_.empty() && entries_.back().start_offset >= end)
    entries_.pop_back();
}

void LeaderEpochCache::truncate_from_start(Offset start) {
  size_t keep_from = 0;
  while (keep_from + 1 < entries_.size() && entries_[keep_from + 1].start_offset <= start)
    ++keep_from;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<long>(keep_from));
  if (!entries_.empty() && entries_.front().start_offset < start)
    entries_.front().start_offset = start;
}

EpochEndOffset LeaderEpochCache::end_offset_for(int32_t requested, Offset log_end_offset) const {
  if (requested == kNoEpoch || entries_.empty()) return {kNoEpoch, kNoOffset};
  if (requested == entries_.back().epoch) return {requested, log_end_offset};
  size_t higher = 0;
  while (higher < entries_.size() && entries_[higher].epoch <= requested)
    ++higher;
  if (higher == entries_.size()) return {kNoEpoch, kNoOffset};
  if (higher == 0) return {requested, entries_[0].start_offset};
  return {entries_[higher - 1].epoch, entries_[higher].start_offset};
}

}  // namespace kafkasim::kafka
