// The pending-event set: a 4-ary min-heap ordered by (time, priority, insertion sequence).
//
// Invariants: pop() returns events in non-decreasing (at, order); two events never compare
// equal because the insertion sequence is unique. A 4-ary heap halves the depth of a binary
// one and keeps a node's children in one cache line, which is what makes it fast.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/assert.h"
#include "sim/event.h"

namespace kafkasim::sim {

class EventQueue {
 public:
  /// Adds `e`, stamping its order from `priority` and the next insertion sequence.
  void push(Event e, Priority priority = Priority::normal) {
    e.order = (static_cast<uint64_t>(priority) << 56) | next_seq_++;
    size_t hole = heap_.size();
    heap_.push_back(e);
    const Key k = key(e);
    while (hole > 0) {
      const size_t parent = (hole - 1) / 4;
      if (!(k < key(heap_[parent]))) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = e;
  }

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const Event& top() const {
    SIM_ASSERT(!heap_.empty(), "top() of an empty queue");
    return heap_.front();
  }
  /// Sequence number the next push will get (a count of every push so far).
  uint64_t next_seq() const { return next_seq_; }

  Event pop() {
    SIM_ASSERT(!heap_.empty(), "pop() of an empty queue");
    const Event result = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return result;
  }

  /// Drops every event `dead(e)` says is dead and restores the heap. Pop order of the rest is
  /// unchanged: it depends only on the keys, which are unique.
  template <typename Pred>
  size_t remove_if(Pred dead) {
    const size_t before = heap_.size();
    size_t kept = 0;
    for (size_t i = 0; i < heap_.size(); ++i) {
      if (!dead(heap_[i])) heap_[kept++] = heap_[i];
    }
    heap_.resize(kept);
    if (kept > 1) {
      for (size_t i = (kept - 2) / 4 + 1; i-- > 0;)
        sift_down(i);
    }
    return before - kept;
  }

  void reserve(size_t n) { heap_.reserve(n); }
  /// Every pending event, in heap (not time) order: for views and snapshots only.
  const std::vector<Event>& raw() const { return heap_; }

  static bool before(const Event& x, const Event& y) { return key(x) < key(y); }

 private:
  // (time, order) as one 128-bit number: one branch-free comparison. Times are never negative.
  using Key = unsigned __int128;
  static Key key(const Event& e) {
    return (static_cast<Key>(static_cast<uint64_t>(e.at.ns())) << 64) | e.order;
  }

  /// Moves the event at `hole` down to its place among its descendants.
  void sift_down(size_t hole) {
    const Event moving = heap_[hole];
    const Key moving_key = key(moving);
    const size_t n = heap_.size();
    for (;;) {
      const size_t first = hole * 4 + 1;
      if (first >= n) break;
      size_t best = first;
      Key best_key = key(heap_[first]);
      if (first + 3 < n) {
        // All four children exist: a branch-free tournament.
        const Key k1 = key(heap_[first + 1]);
        const Key k2 = key(heap_[first + 2]);
        const Key k3 = key(heap_[first + 3]);
        const bool a = k1 < best_key;
        const size_t ab = a ? first + 1 : first;
        const Key kab = a ? k1 : best_key;
        const bool b = k3 < k2;
        const size_t cd = b ? first + 3 : first + 2;
        const Key kcd = b ? k3 : k2;
        const bool c = kcd < kab;
        best = c ? cd : ab;
        best_key = c ? kcd : kab;
      } else {
        for (size_t i = first + 1; i < n; ++i) {
          const Key k = key(heap_[i]);
          if (k < best_key) {
            best = i;
            best_key = k;
          }
        }
      }
      if (!(best_key < moving_key)) break;
      heap_[hole] = heap_[best];
      hole = best;
    }
    heap_[hole] = moving;
  }

  std::vector<Event> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace kafkasim::sim
