// The consumer's per-key order check, for one partition: for each (producer, key) the highest
// producer sequence delivered so far. Kafka keeps the records of one producer and one key in
// order within a partition (the order they were sent in, with idempotence); a record that
// arrives after a later one of the same producer and key breaks that promise. Records of one
// key from two producers have no order between them, so they are never compared.
//
// It runs for every record a consumer is handed, so it is an open-addressing table (one probe
// for most records, no allocation per lookup) keyed by a hash of the producer and the key, with
// the key bytes kept to compare. It is looked up only, never iterated: its layout cannot reach
// behaviour or output. A copy is a full copy (a copied World keeps its own).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim::kafka {

class KeyOrderTable {
 public:
  /// Notes that the record `origin` (producer index << 40 | its sequence) of `key` was
  /// delivered; true when a later record of the same producer and key came before it.
  bool out_of_order(std::string_view key, uint64_t origin) {
    const uint64_t producer = origin >> 40;
    // A short key is compared and hashed as two words, zero-padded as its slot keeps it.
    const bool inline_key = key.size() <= sizeof(Slot::key);
    uint64_t words[2] = {0, 0};
    if (inline_key) load_padded(key, words);
    const uint64_t h = inline_key ? hash_words(producer, key.size(), words) : hash(producer, key);
    const uint32_t tag = static_cast<uint32_t>(h >> 32) | 1;  // 0 marks an empty slot
    if ((used_ + 1) * 4 > slots_.size() * 3) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = home(h, mask);; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.tag == 0) {
        s.tag = tag;
        s.last = origin;
        s.key_size = static_cast<uint32_t>(key.size());
        if (key.size() <= sizeof s.key) {
          std::copy(key.begin(), key.end(), s.key);
        } else {
          const auto at = static_cast<uint32_t>(long_keys_.size());
          std::memcpy(s.key, &at, sizeof at);
          long_keys_.append(key);
        }
        ++used_;
        return false;
      }
      if (s.tag == tag && (s.last >> 40) == producer && s.key_size == key.size() &&
          (inline_key ? std::memcmp(s.key, words, sizeof words) == 0 : key_of(s) == key)) {
        const bool late = origin < s.last;
        if (!late) s.last = origin;
        return late;
      }
    }
  }
  /// How many (producer, key) pairs have been seen.
  size_t size() const { return used_; }

 private:
  // One cache line holds two slots; a key of up to 16 bytes is in its slot, so most lookups
  // touch one line. Slots stay at most three quarters used.
  struct Slot {
    uint64_t last = 0;  // the highest origin delivered
    uint32_t tag = 0;   // high bits of the hash, never 0 in a used slot
    uint32_t key_size = 0;
    char key[16] = {};  // the key, or where it starts in long_keys_
  };
  static_assert(sizeof(Slot) == 32);
  /// Puts a key of up to 16 bytes in two words, zero-padded, as memcpy would, with a few
  /// overlapping loads and shifts instead of a byte count known only at run time.
  static void load_padded(std::string_view key, uint64_t (&w)[2]) {
    static_assert(std::endian::native == std::endian::little,
                  "words hold the key's bytes in order");
    const char* p = key.data();
    const size_t n = key.size();
    auto load = [](const char* at, size_t size) {  // size: 1, 2, 4 or 8
      uint64_t v = 0;
      std::memcpy(&v, at, size);
      return v;
    };
    if (n >= 8) {
      w[0] = load(p, 8);
      // The last 8 bytes, less those already in w[0]: bytes 8..n-1 (little-endian loads).
      w[1] = n == 8 ? 0 : load(p + n - 8, 8) >> (8 * (16 - n));
    } else if (n >= 4) {
      w[0] = load(p, 4) | (load(p + n - 4, 4) >> (8 * (8 - n)) << 32);
    } else if (n >= 2) {
      w[0] = load(p, 2) | (load(p + n - 2, 2) >> (8 * (4 - n)) << 16);
    } else if (n == 1) {
      w[0] = load(p, 1);
    }
  }
  /// A key of up to 16 bytes: its two zero-padded words, its size and the producer, mixed
  /// (multiply and xor-shift, as splitmix64 finishes).
  static uint64_t hash_words(uint64_t producer, size_t size, const uint64_t (&w)[2]) {
    uint64_t h = (w[0] ^ (producer << 8) ^ size) * 0x9e3779b97f4a7c15ull;
    h = (h ^ (h >> 31) ^ w[1]) * 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
  }
  /// Any key: a short one as its words, a longer one FNV-1a over the producer, then the key.
  static uint64_t hash(uint64_t producer, std::string_view key) {
    if (key.size() <= sizeof(Slot::key)) {
      uint64_t words[2] = {0, 0};
      load_padded(key, words);
      return hash_words(producer, key.size(), words);
    }
    uint64_t h = (14695981039346656037ull ^ producer) * 1099511628211ull;
    for (const char c : key)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
  }
  static size_t home(uint64_t h, size_t mask) { return static_cast<size_t>(h ^ (h >> 29)) & mask; }
  std::string_view key_of(const Slot& s) const {
    if (s.key_size <= sizeof s.key) return {s.key, s.key_size};
    uint32_t at = 0;
    std::memcpy(&at, s.key, sizeof at);
    return std::string_view(long_keys_).substr(at, s.key_size);
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.tag == 0) continue;
      // The slot's home is the low hash bits, which the slot does not keep: hash again.
      size_t i = home(hash(s.last >> 40, key_of(s)), mask);
      while (slots_[i].tag != 0)
        i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size
  std::string long_keys_;    // keys longer than a slot holds, back to back
  size_t used_ = 0;
};

}  // namespace kafkasim::kafka
