#include "kafka/log/producer_state.h"

#include <limits>

namespace kafkasim::kafka {

namespace {
int32_t next_seq(int32_t s) {
  return s == std::numeric_limits<int32_t>::max() ? 0 : s + 1;
}
}  // namespace

ProducerStateManager::Verdict ProducerStateManager::check(const RecordBatch& b) const {
  Verdict v;
  if (!b.idempotent()) return v;
  const auto it = producers_.find(b.producer_id);
  if (it == producers_.end() || it->second.epoch < 0) return v;  // no state: any start is fine
  const ProducerStateEntry& e = it->second;
  if (b.producer_epoch == e.epoch) {
    for (size_t i = 0; i < e.batches.size(); ++i) {
      const BatchMetadata& m = e.batches[i];
      if (m.first_seq == b.base_sequence && m.last_seq == b.last_sequence()) {
        v.duplicate = true;
        v.first_offset = m.first_offset;
        v.last_offset = m.last_offset;
        return v;
      }
    }
  }
  if (b.producer_epoch < e.epoch) {
    v.error = Errc::INVALID_PRODUCER_EPOCH;
  } else if (b.producer_epoch > e.epoch) {
    if (b.base_sequence != 0) v.error = Errc::OUT_OF_ORDER_SEQUENCE_NUMBER;
  } else if (!e.batches.empty() && b.base_sequence != next_seq(e.batches.back().last_seq)) {
    v.error = Errc::OUT_OF_ORDER_SEQUENCE_NUMBER;
  }
  return v;
}

void ProducerStateManager::update(const RecordBatch& b) {
  if (!b.idempotent()) return;
  ProducerStateEntry& e = producers_[b.producer_id];
  if (b.producer_epoch != e.epoch) {
    e.epoch = b.producer_epoch;
    e.batches.clear();
  }
  e.batches.push_back(
      BatchMetadata{b.base_sequence, b.last_sequence(), b.base_offset, b.last_offset()});
}

}  // namespace kafkasim::kafka
