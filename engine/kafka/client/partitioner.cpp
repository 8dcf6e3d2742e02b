#include "kafka/client/partitioner.h"

#include <algorithm>

namespace kafkasim::kafka {

int32_t murmur2(std::string_view data) {
  const uint32_t seed = 0x9747b28c;
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const auto length = static_cast<uint32_t>(data.size());
  uint32_t h = seed ^ length;
  const uint32_t blocks = length / 4;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(data[i])); };
  for (uint32_t i = 0; i < blocks; ++i) {
    const size_t at = i * 4;
    uint32_t k = byte(at) | (byte(at + 1) << 8) | (byte(at + 2) << 16) | (byte(at + 3) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  const size_t tail = length & ~3u;
  switch (length % 4) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

uint64_t adaptive_total(const std::vector<int32_t>& q) {
  const int32_t max = q.empty() ? 0 : *std::max_element(q.begin(), q.end());
  uint64_t total = 0;
  for (int32_t s : q)
    total += static_cast<uint64_t>(max + 1 - s);
  return total;
}

size_t adaptive_pick(const std::vector<int32_t>& q, uint64_t r) {
  const int32_t max = *std::max_element(q.begin(), q.end());
  uint64_t cumulative = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    cumulative += static_cast<uint64_t>(max + 1 - q[i]);
    if (cumulative > r) return i;
  }
  return q.size() - 1;
}

int32_t StickyPartitioner::next(int32_t partitions, const std::vector<int32_t>& available,
                                const std::vector<int32_t>& queue_sizes, int64_t batch_size,
                                uint32_t bytes, sim::Rng& rng) {
  const bool switch_now = current_ < 0 || produced_bytes_ >= std::max<int64_t>(batch_size, 1) ||
                          (!available.empty() && std::find(available.begin(), available.end(),
                                                           current_) == available.end());
  if (switch_now) {
    std::vector<int32_t> candidates = available;
    if (candidates.empty()) {
      for (int32_t p = 0; p < partitions; ++p)
        candidates.push_back(p);
    }
    std::vector<int32_t> sizes;
    for (int32_t p : candidates)
      sizes.push_back(queue_sizes.empty() ? 0 : queue_sizes[p]);
    const bool uneven = !sizes.empty() && *std::min_element(sizes.begin(), sizes.end()) !=
                                              *std::max_element(sizes.begin(), sizes.end());
    if (uneven) {
      current_ = candidates[adaptive_pick(sizes, rng.uniform(adaptive_total(sizes)))];
    } else {
      current_ = candidates[rng.uniform(candidates.size())];
    }
    produced_bytes_ = 0;
  }
  produced_bytes_ += bytes;
  return current_;
}

}  // namespace kafkasim::kafka
