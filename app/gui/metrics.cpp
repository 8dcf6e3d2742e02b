#include "metrics.h"

#include <algorithm>

#include "check/history.h"
#include "world/cluster.h"

namespace kafkasim::gui {

// The intervals one sample() call fills: (b0, b0 + first], then steps of `step`, n in all.
struct MetricsRecorder::Buckets {
  sim::Time b0, first_end, step;
  std::vector<MetricsSample> out;
  sim::Time end() const { return out.back().at; }
  /// The interval holding time x (clamped: x <= b0 goes to the first, as at the very start).
  MetricsSample& at(sim::Time x) {
    if (x <= first_end) return out.front();
    const int64_t k = (x - first_end + step - sim::Time::from_ns(1)) / step;
    return out[std::min<size_t>(static_cast<size_t>(k), out.size() - 1)];
  }
};

MetricsRecorder::MetricsRecorder(sim::Time interval, size_t samples_max)
    : interval_(interval), samples_max_(std::max<size_t>(samples_max, 4)) {}

double MetricsRecorder::per_second(size_t i, int64_t count) const {
  const double s = (samples_[i].at - start_of(i)).seconds();
  return s > 0 ? static_cast<double>(count) / s : 0.0;
}

std::vector<kafka::Errc> MetricsRecorder::error_kinds() const {
  std::vector<kafka::Errc> out;
  for (const auto& [e, n] : error_values_) {
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void MetricsRecorder::truncate_after(sim::Time t) {
  while (!samples_.empty() && samples_.back().at > t)
    samples_.pop_back();
  const MetricsSample* last = samples_.empty() ? nullptr : &samples_.back();
  lag_values_.resize(last ? last->lag_begin + last->lag_count : 0);
  error_values_.resize(last ? last->errors_begin + last->errors_count : 0);
  // Series first seen after t go too: seen again, they come back in the same order.
  size_t series = 0;
  for (const MetricsSample& s : samples_)
    series = std::max<size_t>(series, s.lag_count);
  lag_series_.resize(series);
  cursors_valid_ = false;
}

// Cursors from scratch, against the last sample's time: once per rewind, O(records).
void MetricsRecorder::rebuild(const world::World& w) {
  const sim::Time b0 = samples_.empty() ? sim::Time::from_ns(-1) : samples_.back().at;
  producers_.assign(w.nodes().size(), {});
  consumers_.assign(w.nodes().size(), 0);
  for (size_t i = 0; i < w.nodes().size(); ++i) {
    const auto& impl = w.nodes()[i].impl;
    if (const auto* p = std::get_if<kafka::Producer>(&impl)) {
      const auto& h = p->history();
      ProducerCursor& c = producers_[i];
      // made in sequence order: `created` never decreases along the history
      c.seen = static_cast<size_t>(
          std::partition_point(h.begin(), h.end(),
                               [&](const kafka::SentRecord& r) { return r.created <= b0; }) -
          h.begin());
      for (size_t k = 0; k < c.seen; ++k) {
        const kafka::SentRecord& r = h[k];
        const bool done = r.state == kafka::SentRecord::State::failed ||
                          (r.state == kafka::SentRecord::State::acked && r.acked <= b0);
        if (!done) c.waiting.push_back(static_cast<uint32_t>(k));
      }
    } else if (const auto* c = std::get_if<kafka::Consumer>(&impl)) {
      const auto& d = c->deliveries();
      consumers_[i] = static_cast<size_t>(
          std::partition_point(d.begin(), d.end(),
                               [&](const kafka::Delivery& x) { return x.at <= b0; }) -
          d.begin());
    }
  }
  errors_total_.clear();
  for (const auto& [e, n] : error_values_)
    errors_total_[e] += n;
  cursors_valid_ = true;
}

void MetricsRecorder::collect_producers(const world::World& w, Buckets& b) {
  const sim::Time end = b.end();
  for (size_t i = 0; i < w.nodes().size(); ++i) {
    const auto* p = std::get_if<kafka::Producer>(&w.nodes()[i].impl);
    if (p == nullptr) continue;
    const auto& h = p->history();
    ProducerCursor& c = producers_[i];
    auto settle = [&](size_t k) {  // true when record k needs no more looking at
      const kafka::SentRecord& r = h[k];
      if (r.state == kafka::SentRecord::State::failed) return true;
      if (r.state != kafka::SentRecord::State::acked || r.acked > end) return false;
      MetricsSample& s = b.at(r.acked);
      const int64_t ns = (r.acked - r.created).ns();
      ++s.acked;
      s.produce_latency_ns_sum += ns;
      s.produce_latency_ns_max = std::max(s.produce_latency_ns_max, ns);
      return true;
    };
    size_t keep = 0;
    for (uint32_t k : c.waiting) {
      if (!settle(k)) c.waiting[keep++] = k;
    }
    c.waiting.resize(keep);
    for (; c.seen < h.size() && h[c.seen].created <= end; ++c.seen) {
      ++b.at(h[c.seen].created).produced;
      if (!settle(c.seen)) c.waiting.push_back(static_cast<uint32_t>(c.seen));
    }
  }
}

void MetricsRecorder::collect_consumers(const world::World& w, Buckets& b) {
  // Producers by their index (the high bits of a record's origin), for creation times.
  std::vector<const kafka::Producer*> by_index;
  for (const auto& n : w.nodes()) {
    if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) {
      const uint32_t k = p->config().index;
      if (by_index.size() <= k) by_index.resize(k + 1, nullptr);
      by_index[k] = p;
    }
  }
  const sim::Time end = b.end();
  for (size_t i = 0; i < w.nodes().size(); ++i) {
    const auto* c = std::get_if<kafka::Consumer>(&w.nodes()[i].impl);
    if (c == nullptr) continue;
    const auto& d = c->deliveries();
    size_t& k = consumers_[i];
    for (auto it = d.begin() + static_cast<std::ptrdiff_t>(k); it != d.end(); ++it, ++k) {
      const kafka::Delivery x = *it;
      if (x.at > end) break;
      MetricsSample& s = b.at(x.at);
      ++s.consumed;
      const uint64_t pi = x.origin >> 40;
      const uint64_t seq = kafka::Producer::seq_of(x.origin);
      const kafka::Producer* p = pi < by_index.size() ? by_index[pi] : nullptr;
      if (p == nullptr || seq >= p->history().size()) continue;
      const int64_t ns = (x.at - p->history()[seq].created).ns();
      s.end_to_end_latency_ns_sum += ns;
      s.end_to_end_latency_ns_max = std::max(s.end_to_end_latency_ns_max, ns);
    }
  }
}

// Client error counters only grow: what they grew by since the last call goes to the last
// interval crossed.
void MetricsRecorder::collect_errors(const world::World& w, Buckets& b) {
  std::map<kafka::Errc, int64_t> now;
  for (const auto& n : w.nodes()) {
    const std::map<kafka::Errc, int64_t>* e = nullptr;
    if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) e = &p->errors();
    if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) e = &c->errors();
    if (e == nullptr) continue;
    for (const auto& [k, v] : *e)
      now[k] += v;
  }
  MetricsSample& last = b.out.back();
  last.errors_begin = static_cast<uint32_t>(error_values_.size());
  for (const auto& [k, v] : now) {
    const auto before = errors_total_.find(k);
    const int64_t grew = v - (before == errors_total_.end() ? 0 : before->second);
    if (grew > 0) error_values_.emplace_back(k, grew);
  }
  last.errors_count = static_cast<uint32_t>(error_values_.size()) - last.errors_begin;
  errors_total_ = std::move(now);
}

std::pair<uint32_t, int64_t> MetricsRecorder::collect_lag(const world::World& w) {
  std::vector<int64_t> lag(lag_series_.size(), -1);
  int64_t total = -1;
  for (const auto& n : w.nodes()) {
    const auto* c = std::get_if<kafka::Consumer>(&n.impl);
    if (c == nullptr) continue;
    for (const auto& [tp, position] : c->positions()) {
      const std::string name = c->config().client_id + " " + tp.str();
      auto it = std::find(lag_series_.begin(), lag_series_.end(), name);
      const size_t k = static_cast<size_t>(it - lag_series_.begin());
      if (it == lag_series_.end()) {
        lag_series_.push_back(name);
        lag.push_back(-1);
      }
      const int32_t leader = world::partition_leader(w, tp.str());
      const kafka::PartitionLog* log =
          leader < 0 ? nullptr : check::replica_log(w, leader, tp.topic, tp.partition);
      if (position < 0 || log == nullptr) continue;
      lag[k] = std::max<int64_t>(0, log->high_watermark() - position);
      total = std::max<int64_t>(total, 0) + lag[k];
    }
  }
  const auto begin = static_cast<uint32_t>(lag_values_.size());
  lag_values_.insert(lag_values_.end(), lag.begin(), lag.end());
  return {begin, total};
}

void MetricsRecorder::sample(const world::World& w) {
  if (!samples_.empty() && w.now() < samples_.back().at) truncate_after(w.now());
  const sim::Time b0 = samples_.empty() ? sim::Time::zero() : samples_.back().at;
  // The next boundary: the next multiple of the interval (after a merge the last sample may
  // sit between two).
  const sim::Time first_end = b0 + interval_ - sim::Time::from_ns(b0.ns() % interval_.ns());
  if (w.now() < first_end) return;
  if (!cursors_valid_) {
    if (samples_.empty()) {  // from the start: every record is new
      producers_.assign(w.nodes().size(), {});
      consumers_.assign(w.nodes().size(), 0);
      errors_total_.clear();
      cursors_valid_ = true;
    } else {
      rebuild(w);
    }
  }
  if (producers_.size() != w.nodes().size()) rebuild(w);
  Buckets b{b0, first_end, interval_, {}};
  const int64_t n = 1 + (w.now() - first_end) / interval_;
  b.out.resize(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k)
    b.out[static_cast<size_t>(k)].at = first_end + interval_ * k;
  collect_producers(w, b);
  collect_consumers(w, b);
  collect_errors(w, b);
  const auto [lag_begin, lag_total] = collect_lag(w);
  for (MetricsSample& s : b.out) {
    s.lag_begin = lag_begin;
    s.lag_count = static_cast<uint32_t>(lag_values_.size()) - lag_begin;
    s.lag_total = lag_total;
    append(s);
  }
}

void MetricsRecorder::append(MetricsSample s) {
  samples_.push_back(s);
  if (samples_.size() >= samples_max_) coarsen();
}

// Twice the interval: samples merge into the new interval that holds them (counts add up,
// maxima take the larger, lag and errors as of the group's last sample / summed).
void MetricsRecorder::coarsen() {
  interval_ = interval_ * 2;
  std::vector<MetricsSample> merged;
  std::vector<int64_t> lag_values;
  std::vector<std::pair<kafka::Errc, int64_t>> error_values;
  for (size_t i = 0; i < samples_.size();) {
    const int64_t group = (samples_[i].at.ns() + interval_.ns() - 1) / interval_.ns();
    MetricsSample m = samples_[i];
    std::map<kafka::Errc, int64_t> errs;
    size_t j = i;
    for (; j < samples_.size() &&
           (samples_[j].at.ns() + interval_.ns() - 1) / interval_.ns() == group;
         ++j) {
      const MetricsSample& s = samples_[j];
      if (j > i) {
        m.produced += s.produced;
        m.acked += s.acked;
        m.consumed += s.consumed;
        m.produce_latency_ns_sum += s.produce_latency_ns_sum;
        m.produce_latency_ns_max = std::max(m.produce_latency_ns_max, s.produce_latency_ns_max);
        m.end_to_end_latency_ns_sum += s.end_to_end_latency_ns_sum;
        m.end_to_end_latency_ns_max =
            std::max(m.end_to_end_latency_ns_max, s.end_to_end_latency_ns_max);
      }
      m.at = s.at;
      m.lag_total = s.lag_total;
      m.lag_begin = s.lag_begin;
      m.lag_count = s.lag_count;
      for (const auto& [e, v] : errors(s))
        errs[e] += v;
    }
    const auto lb = static_cast<uint32_t>(lag_values.size());
    lag_values.insert(lag_values.end(), lag_values_.begin() + m.lag_begin,
                      lag_values_.begin() + m.lag_begin + m.lag_count);
    m.lag_begin = lb;
    m.errors_begin = static_cast<uint32_t>(error_values.size());
    error_values.insert(error_values.end(), errs.begin(), errs.end());
    m.errors_count = static_cast<uint32_t>(errs.size());
    merged.push_back(m);
    i = j;
  }
  samples_ = std::move(merged);
  lag_values_ = std::move(lag_values);
  error_values_ = std::move(error_values);
}

}  // namespace kafkasim::gui
