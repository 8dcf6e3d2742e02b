// Cancellable timers without searching the queue: each armed timer owns a slot with a
// generation. Cancelling bumps the generation; when the queued event pops with an old
// generation it is skipped. O(1) arm, cancel and fire, and plain data throughout.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/assert.h"

namespace kafkasim::sim {

/// A handle to an armed timer. A default-constructed id is "no timer".
struct TimerId {
  uint32_t slot = 0;
  uint32_t gen = 0;
  bool armed() const { return gen != 0; }
  friend bool operator==(const TimerId&, const TimerId&) = default;
};

class TimerTable {
 public:
  struct Slot {
    uint32_t gen = 1;    // current generation; odd values never reach 0 by wrapping
    uint16_t owner = 0;  // node index
    uint16_t kind = 0;   // owner-defined timer kind
    uint64_t arg = 0;    // owner-defined argument
    bool armed = false;
  };

  TimerId arm(uint16_t owner, uint16_t kind, uint64_t arg) {
    uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.push_back(Slot{});
    }
    Slot& s = slots_[slot];
    s.owner = owner;
    s.kind = kind;
    s.arg = arg;
    s.armed = true;
    return TimerId{slot, s.gen};
  }

  /// True if `id` is still armed (not fired, not cancelled).
  bool live(TimerId id) const {
    return id.slot < slots_.size() && slots_[id.slot].armed && slots_[id.slot].gen == id.gen;
  }

  /// Cancels `id`; cancelling a fired or already-cancelled timer does nothing.
  void cancel(TimerId id) {
    if (live(id)) release(id.slot);
  }

  /// Called when the timer's event pops: returns the slot if it is still live, and frees it.
  const Slot* fire(uint32_t slot, uint32_t gen) {
    if (slot >= slots_.size() || !slots_[slot].armed || slots_[slot].gen != gen) return nullptr;
    fired_ = slots_[slot];
    release(slot);
    return &fired_;
  }

  /// Cancels every armed timer of `owner` (a crashed node loses its timers).
  void cancel_all_of(uint16_t owner) {
    for (uint32_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].armed && slots_[i].owner == owner) release(i);
    }
  }

  size_t armed_count() const { return slots_.size() - free_.size(); }

 private:
  void release(uint32_t slot) {
    Slot& s = slots_[slot];
    s.armed = false;
    s.gen += 2;  // stays odd, so never 0
    free_.push_back(slot);
  }

  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
  Slot fired_;
};

}  // namespace kafkasim::sim
