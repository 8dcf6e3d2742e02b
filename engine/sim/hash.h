// Small, stable hashing used for RNG stream derivation and the run fingerprint.
// Stable means: the same on every platform and standard library (no std::hash).
#pragma once

#include <cstdint>
#include <string_view>

namespace kafkasim::sim {

/// FNV-1a over bytes: used to turn a stream name into a number.
constexpr uint64_t fnv1a(std::string_view s, uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// SplitMix64 finaliser: a strong 64-bit mix.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Folds one 64-bit word into a running fingerprint. Order-sensitive and cheap (one multiply),
/// so the scheduler can afford it for every event.
constexpr uint64_t fold(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

}  // namespace kafkasim::sim
