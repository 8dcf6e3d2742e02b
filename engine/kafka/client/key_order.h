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

#include <cstdint>
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
    uint64_t h = 14695981039346656037ull ^ producer;  // FNV-1a over the producer, then the key
    h *= 1099511628211ull;
    for (const char c : key)
      h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h |= 1;  // 0 marks an empty slot
    if ((used_ + 1) * 2 > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = static_cast<size_t>(h ^ (h >> 29)) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.hash == 0) {
        s = Slot{h, origin, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size())};
        keys_.append(key);
        ++used_;
        return false;
      }
      if (s.hash == h && (s.last >> 40) == producer &&
          std::string_view(keys_).substr(s.key_at, s.key_size) == key) {
        const bool late = origin < s.last;
        if (!late) s.last = origin;
        return late;
      }
    }
  }
  /// How many (producer, key) pairs have been seen.
  size_t size() const { return used_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t last = 0;  // the highest origin delivered
    uint32_t key_at = 0;
    uint32_t key_size = 0;
  };
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.hash == 0) continue;
      size_t i = static_cast<size_t>(s.hash ^ (s.hash >> 29)) & mask;
      while (slots_[i].hash != 0)
        i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, at most half used
  std::string keys_;         // every key seen, back to back
  size_t used_ = 0;
};

}  // namespace kafkasim::kafka
