// Where a record goes (KafkaProducer.partition and BuiltInPartitioner; KAFKA_REFERENCE 4.2).
//   * a key: toPositive(murmur2(key bytes)) % (all partitions of the topic);
//   * no key: the sticky partitioner (KIP-794): stay on one partition until batch.size bytes
//     went to it, then pick the next at random among partitions with a leader, weighted
//     inversely by queue length when adaptive partitioning is on.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/rng.h"

namespace kafkasim::kafka {

/// Kafka's Utils.murmur2 (seed 0x9747b28c), as a signed 32-bit value.
int32_t murmur2(std::string_view bytes);
/// Utils.toPositive: a mask, not abs.
inline int32_t to_positive(int32_t x) {
  return x & 0x7fffffff;
}
/// The partition of a keyed record.
inline int32_t partition_for_key(std::string_view key, int32_t partitions) {
  return to_positive(murmur2(key)) % partitions;
}

/// The cumulative-frequency choice of the adaptive partitioner: queue sizes -> weights
/// (max + 1 - size) -> CFT; `r` in [0, total) picks the first entry greater than r.
/// Returns the chosen index into `queue_sizes`.
size_t adaptive_pick(const std::vector<int32_t>& queue_sizes, uint64_t r);
/// The CFT total for `queue_sizes` (the range to draw r from).
uint64_t adaptive_total(const std::vector<int32_t>& queue_sizes);

class StickyPartitioner {
 public:
  /// The partition for the next keyless record of `bytes`. `available` lists partitions with
  /// a leader (all partitions when empty); `queue_sizes` is per partition (same length as the
  /// partition count) when adaptive partitioning is on, else empty.
  int32_t next(int32_t partitions, const std::vector<int32_t>& available,
               const std::vector<int32_t>& queue_sizes, int64_t batch_size, uint32_t bytes,
               sim::Rng& rng);

 private:
  int32_t current_ = -1;
  int64_t produced_bytes_ = 0;
};

}  // namespace kafkasim::kafka
