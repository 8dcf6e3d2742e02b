// A consumer's deliveries: every record it handed its application, in the order it did, for
// the checker, the studio's metrics and recordings.
//
// A busy consumer is handed millions of records, and mostly in runs: the records one poll
// returns from a partition are at consecutive offsets and, unless the application takes time
// per record (sim.processing.ms), are done at the same instant. So the log keeps per record
// only its origin (8 bytes), and per run its time, partition and first offset (32 bytes): about
// 11 bytes per record in the data-plane benchmark, where a Delivery is 32. Reading gives each
// Delivery by value, by index or (cheaper, for a pass over many) by iterator.
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iterator>

#include "kafka/common/ids.h"
#include "sim/time.h"

namespace kafkasim::kafka {

/// One record handed to the application. Its creation time is the producer's (SentRecord,
/// found by origin): end-to-end latency = at - created.
struct Delivery {
  uint64_t origin = 0;  // the producer record (producer index << 40 | seq)
  Offset offset = 0;
  sim::Time at;
  int32_t partition = 0;
  friend bool operator==(const Delivery&, const Delivery&) = default;
};

class DeliveryLog {
  struct Run {
    sim::Time at;
    Offset first_offset = 0;
    uint64_t first = 0;  // the index of its first record
    int32_t partition = 0;
  };

 public:
  /// Adds a record: to the last run when it is the next offset of that run's partition, at the
  /// same time; else it starts a run.
  void push_back(const Delivery& d) {
    if (runs_.empty() || !continues(runs_.back(), d))
      runs_.push_back(Run{d.at, d.offset, origins_.size(), d.partition});
    origins_.push_back(d.origin);
  }
  size_t size() const { return origins_.size(); }
  bool empty() const { return origins_.empty(); }
  /// Runs kept (the memory measure: a run per poll and partition, or per record when each
  /// takes processing time).
  size_t runs() const { return runs_.size(); }
  /// The i-th delivery (a search among the runs; iterate for a pass over many).
  Delivery operator[](size_t i) const { return make(run_of(i), i); }

  class const_iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Delivery;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Delivery;

    const_iterator() = default;
    Delivery operator*() const { return log_->make(run_, i_); }
    Delivery operator[](difference_type n) const { return *(*this + n); }
    const_iterator& operator++() {
      if (++i_ == next_) enter(run_ + 1);
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    const_iterator& operator--() { return *this -= 1; }
    const_iterator operator--(int) {
      const_iterator before = *this;
      --*this;
      return before;
    }
    const_iterator& operator+=(difference_type n) {
      i_ = static_cast<size_t>(static_cast<difference_type>(i_) + n);
      if (!log_->runs_.empty() && (i_ < log_->runs_[run_].first || i_ >= next_))
        enter(log_->run_of(i_));
      return *this;
    }
    const_iterator& operator-=(difference_type n) { return *this += -n; }
    friend const_iterator operator+(const_iterator it, difference_type n) { return it += n; }
    friend const_iterator operator+(difference_type n, const_iterator it) { return it += n; }
    friend const_iterator operator-(const_iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const const_iterator& a, const const_iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    friend bool operator==(const const_iterator& a, const const_iterator& b) {
      return a.i_ == b.i_;
    }
    friend auto operator<=>(const const_iterator& a, const const_iterator& b) {
      return a.i_ <=> b.i_;
    }

   private:
    friend class DeliveryLog;
    const_iterator(const DeliveryLog* log, size_t i) : log_(log), i_(i) {
      if (!log_->runs_.empty()) enter(log_->run_of(i));
    }
    void enter(size_t run) {  // run_ = run; next_ = where the run after it starts
      run_ = run;
      next_ = run + 1 < log_->runs_.size() ? log_->runs_[run + 1].first : SIZE_MAX;
    }
    const DeliveryLog* log_ = nullptr;
    size_t i_ = 0;
    size_t run_ = 0;
    size_t next_ = 0;
  };
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size()); }

 private:
  /// The next record of the last run: same time and partition, the offset after its last.
  bool continues(const Run& r, const Delivery& d) const {
    return d.at == r.at && d.partition == r.partition &&
           d.offset == r.first_offset + static_cast<Offset>(origins_.size() - r.first);
  }
  /// The run holding index i (the last run for i past the end).
  size_t run_of(size_t i) const {
    const auto it = std::upper_bound(runs_.begin(), runs_.end(), i,
                                     [](size_t x, const Run& r) { return x < r.first; });
    return it == runs_.begin() ? 0 : static_cast<size_t>(it - runs_.begin()) - 1;
  }
  Delivery make(size_t run, size_t i) const {
    const Run& r = runs_[run];
    return Delivery{origins_[i], r.first_offset + static_cast<Offset>(i - r.first), r.at,
                    r.partition};
  }

  std::deque<Run> runs_;
  std::deque<uint64_t> origins_;
};

}  // namespace kafkasim::kafka
