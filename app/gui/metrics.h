// MetricsRecorder: the numbers behind the studio's charts, as simulated time goes by. Every
// sample interval (100 ms of simulated time) it records what the clients did in that interval:
// records produced (made by producers), acknowledged and consumed; produce latency (made ->
// acknowledged) and end-to-end latency (made -> delivered to a consumer); each consumer's lag
// per partition (the leader's high watermark minus the consumer's position); the clients'
// errors by Kafka error name.
//
// Everything comes from the World's state: the producers' record histories (made, acked at),
// the consumers' deliveries and positions, the partition leaders' logs. Nothing in the engine
// changes. Samples are bucketed by the times the histories carry, so the studio may call
// sample() once a frame or once a minute: every interval it crossed is filled. Only lag and
// errors are read "now" (there is no history of them): crossed intervals get the state seen.
//
// Cost: a call looks only at what is new since the previous one (history cursors) and at the
// records still waiting for their acknowledgement. truncate_after() (the studio rewinds) drops
// later samples; the next sample() rebuilds the cursors once from the World it is given.
// Memory: at most samples_max samples; past that, neighbours merge and the interval doubles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "kafka/common/errc.h"
#include "sim/time.h"
#include "world/world.h"

namespace kafkasim::gui {

/// What happened in the interval (previous sample's at, at]. Counts, so neighbours can merge.
struct MetricsSample {
  sim::Time at;
  int64_t produced = 0;  // records made by producers
  int64_t acked = 0;     // records acknowledged to producers
  int64_t consumed = 0;  // records delivered to consumers
  int64_t produce_latency_ns_sum = 0, produce_latency_ns_max = 0;        // over `acked`
  int64_t end_to_end_latency_ns_sum = 0, end_to_end_latency_ns_max = 0;  // over `consumed`
  int64_t lag_total = -1;                 // sum of the known lags; -1: no consumer position known
  uint32_t lag_begin = 0, lag_count = 0;  // into the recorder's lag values
  uint32_t errors_begin = 0, errors_count = 0;  // into the recorder's error counts
};

class MetricsRecorder {
 public:
  static constexpr sim::Time kSampleInterval = sim::Time::from_ms(100);
  static constexpr size_t kSamplesMax = 100000;

  explicit MetricsRecorder(sim::Time interval = kSampleInterval, size_t samples_max = kSamplesMax);

  /// Records every interval that ended at or before w.now() since the last sample. A World
  /// behind the last sample (rewound without truncate_after) truncates first.
  void sample(const world::World& w);
  /// Drops the samples after `t`; sampling again from there gives the same series.
  void truncate_after(sim::Time t);
  void clear() { truncate_after(sim::Time::from_ns(-1)); }

  const std::vector<MetricsSample>& samples() const { return samples_; }
  /// The current interval (kSampleInterval, doubled at each merge).
  sim::Time interval() const { return interval_; }
  /// The time the sample at index i starts at (the previous sample's at, or 0).
  sim::Time start_of(size_t i) const { return i == 0 ? sim::Time::zero() : samples_[i - 1].at; }
  /// count over the sample's interval, per second of simulated time.
  double per_second(size_t i, int64_t count) const;

  /// "billing orders-0": one lag series per consumer and partition, in order of appearance.
  const std::vector<std::string>& lag_series() const { return lag_series_; }
  /// Lag of series k at the sample, or -1 when unknown (no position, no leader, no series yet).
  int64_t lag(const MetricsSample& s, size_t k) const {
    return k < s.lag_count ? lag_values_[s.lag_begin + k] : -1;
  }
  /// Errors the clients saw in the sample's interval, by Kafka error (only those that occurred).
  std::span<const std::pair<kafka::Errc, int64_t>> errors(const MetricsSample& s) const {
    return {error_values_.data() + s.errors_begin, s.errors_count};
  }
  /// Every error that occurred so far, in Errc order.
  std::vector<kafka::Errc> error_kinds() const;

 private:
  struct ProducerCursor {
    size_t seen = 0;                // history entries made at or before the last sample
    std::vector<uint32_t> waiting;  // of those, the ones not acknowledged by then
  };
  /// Intervals (b0, b1], (b1, b2]... for one call, b0 = the last sample's at.
  struct Buckets;
  void rebuild(const world::World& w);
  void collect_producers(const world::World& w, Buckets& b);
  void collect_consumers(const world::World& w, Buckets& b);
  void collect_errors(const world::World& w, Buckets& b);
  /// Lag per series as the World stands, appended to lag_values_; returns (begin, total).
  std::pair<uint32_t, int64_t> collect_lag(const world::World& w);
  void append(MetricsSample s);
  void coarsen();

  sim::Time interval_;
  size_t samples_max_;
  std::vector<MetricsSample> samples_;
  std::vector<std::string> lag_series_;
  std::vector<int64_t> lag_values_;
  std::vector<std::pair<kafka::Errc, int64_t>> error_values_;
  // cursors into the World, valid for the World as of the last sample
  bool cursors_valid_ = false;
  std::vector<ProducerCursor> producers_;  // by node index
  std::vector<size_t> consumers_;          // deliveries seen, by node index
  std::map<kafka::Errc, int64_t> errors_total_;
};

}  // namespace kafkasim::gui
