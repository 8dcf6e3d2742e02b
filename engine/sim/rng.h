// Seeded random streams. One 64-bit seed per run; every purpose gets its own named stream
// ("net", "node/101", "faults"), derived from the run seed and the name only, so a new draw
// in one stream never shifts another. xoshiro256** seeded through SplitMix64.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/time.h"

namespace kafkasim::sim {

class Rng {
 public:
  Rng() : Rng(0, "default") {}
  /// The stream called `name` of the run with `seed`.
  Rng(uint64_t seed, std::string_view name);

  uint64_t next_u64();
  /// Uniform in [0, n); n > 0. Unbiased (Lemire's multiply-and-reject).
  uint64_t uniform(uint64_t n);
  /// Uniform in [lo, hi).
  int64_t uniform_range(int64_t lo, int64_t hi);
  /// Uniform in [0, 1).
  double next_double();
  /// True with probability p (p <= 0 never, p >= 1 always, and neither draws).
  bool chance(double p);
  /// Uniform duration in [lo, hi).
  Time uniform_time(Time lo, Time hi);

  friend bool operator==(const Rng&, const Rng&) = default;

 private:
  uint64_t s_[4];
};

}  // namespace kafkasim::sim
