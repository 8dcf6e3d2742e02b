#include "sim/rng.h"

#include "sim/assert.h"
#include "sim/hash.h"

namespace kafkasim::sim {

namespace {
constexpr uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
}  // namespace

Rng::Rng(uint64_t seed, std::string_view name) {
  uint64_t x = mix64(seed) ^ fnv1a(name);
  for (uint64_t& w : s_) {
    x += 0x9e3779b97f4a7c15ULL;
    w = mix64(x);
  }
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Rng::uniform(uint64_t n) {
  SIM_ASSERT(n > 0, "uniform() needs a non-empty range");
  unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next_u64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::uniform_range(int64_t lo, int64_t hi) {
  SIM_ASSERT(hi > lo, "uniform_range() needs lo < hi");
  return lo + static_cast<int64_t>(uniform(static_cast<uint64_t>(hi - lo)));
}

double Rng::next_double() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

bool Rng::chance(double p) {
  if (p <= 0.0) return false;
  if (p >= 1.0) return true;
  return next_double() < p;
}

Time Rng::uniform_time(Time lo, Time hi) {
  if (hi <= lo) return lo;
  return Time::from_ns(uniform_range(lo.ns(), hi.ns()));
}

}  // namespace kafkasim::sim
