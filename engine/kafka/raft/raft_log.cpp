#include "kafka/raft/raft_log.h"

#include "sim/assert.h"

namespace kafkasim::kafka::raft {

Offset RaftLog::append(int32_t epoch, MetadataRecord record) {
  SIM_ASSERT(epoch >= last_epoch(), "log epochs never decrease");
  const Offset o = end_offset();
  if (cache_.empty() || cache_.back().first < epoch) cache_.emplace_back(epoch, o);
  entries_.push_back(LogEntry{epoch, std::move(record)});
  return o;
}

void RaftLog::truncate_to(Offset end) {
  if (end >= end_offset()) return;
  entries_.resize(static_cast<size_t>(end));
  while (!cache_.empty() && cache_.back().second >= end)
    cache_.pop_back();
}

EpochEnd RaftLog::end_offset_for(int32_t requested) const {
  return raft::end_offset_for(cache_, requested, end_offset());
}

EpochEnd end_offset_for(const std::vector<std::pair<int32_t, Offset>>& cache, int32_t requested,
                        Offset log_end_offset) {
  if (requested == kNoEpoch || cache.empty()) return {kNoEpoch, kNoOffset};
  if (requested == cache.back().first) return {requested, log_end_offset};
  size_t higher = 0;
  while (higher < cache.size() && cache[higher].first <= requested)
    ++higher;
  if (higher == cache.size()) return {kNoEpoch, kNoOffset};  // newer than anything we know
  if (higher == 0) return {requested, cache[0].second};      // older than anything we know
  return {cache[higher - 1].first, cache[higher].second};
}

}  // namespace kafkasim::kafka::raft
