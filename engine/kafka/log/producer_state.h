// ProducerStateManager: what a partition remembers of each idempotent producer (Kafka's
// ProducerStateEntry / ProducerAppendInfo; KAFKA_REFERENCE 4.3, vectors in 7.13): its epoch and
// the metadata of its last 5 batches, enough to answer a retried batch with its original
// offsets instead of appending it twice.
//   1. the same epoch and exact (first, last) sequence as a retained batch: a duplicate;
//   2. an older epoch: INVALID_PRODUCER_EPOCH;
//   3. a newer epoch must start at sequence 0; the same epoch must continue at last + 1;
//      otherwise OUT_OF_ORDER_SEQUENCE_NUMBER. A producer with no state may start anywhere.
// A producer's state outlives its batches: retention deleting them does not forget it (KIP-360;
// Kafka keeps it in producer snapshots and expires it only after producer.id.expiration.ms
// without a write, 24 h by default, longer than any run here).
#pragma once

#include <array>
#include <cstdint>
#include <map>

#include "kafka/common/errc.h"
#include "kafka/log/record_batch.h"

namespace kafkasim::kafka {

struct BatchMetadata {
  int32_t first_seq = 0;
  int32_t last_seq = 0;
  Offset first_offset = 0;
  Offset last_offset = 0;
};

/// The last few batches of one producer, oldest first, in a fixed ring: appending a batch
/// (every idempotent produce, on every replica) allocates nothing.
class RecentBatches {
 public:
  static constexpr size_t kCapacity = 5;  // NUM_BATCHES_TO_RETAIN
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  const BatchMetadata& operator[](size_t i) const { return ring_[(head_ + i) % kCapacity]; }
  const BatchMetadata& back() const { return (*this)[size_ - 1]; }
  void clear() { head_ = size_ = 0; }
  /// Appends `m`, forgetting the oldest batch when all kCapacity are kept.
  void push_back(const BatchMetadata& m) {
    if (size_ < kCapacity) {
      ring_[(head_ + size_++) % kCapacity] = m;
    } else {
      ring_[head_] = m;
      head_ = (head_ + 1) % kCapacity;
    }
  }

 private:
  std::array<BatchMetadata, kCapacity> ring_{};
  size_t head_ = 0;
  size_t size_ = 0;
};

struct ProducerStateEntry {
  int16_t epoch = -1;
  RecentBatches batches;  // the last kBatchesRetained, oldest first
};

class ProducerStateManager {
 public:
  static constexpr size_t kBatchesRetained = RecentBatches::kCapacity;

  struct Verdict {
    Errc error = Errc::NONE;
    bool duplicate = false;
    Offset first_offset = kNoOffset;  // of the original, for a duplicate
    Offset last_offset = kNoOffset;
  };
  Verdict check(const RecordBatch& b) const;
  /// Records an appended batch (its offsets are final).
  void update(const RecordBatch& b);
  void clear() { producers_.clear(); }
  const std::map<int64_t, ProducerStateEntry>& producers() const { return producers_; }

 private:
  std::map<int64_t, ProducerStateEntry> producers_;
};

}  // namespace kafkasim::kafka
