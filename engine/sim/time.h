// Simulated time: a strong int64 count of nanoseconds since the start of a run.
//
// Time never comes from a clock in engine/: it only moves when the scheduler pops an event.
// Literals (5_ms, 250_us, 1.5_s) build values; to_string() prints the shortest exact form.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sim/result.h"

namespace kafkasim::sim {

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time from_ns(int64_t ns) { return Time(ns); }
  static constexpr Time from_us(int64_t us) { return Time(us * 1000); }
  static constexpr Time from_ms(int64_t ms) { return Time(ms * 1000000); }
  static constexpr Time from_s(int64_t s) { return Time(s * 1000000000); }
  static constexpr Time zero() { return Time(0); }
  static constexpr Time max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }
  constexpr int64_t us() const { return ns_ / 1000; }
  constexpr int64_t ms() const { return ns_ / 1000000; }
  constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Time o) const { return Time(ns_ + o.ns_); }
  constexpr Time operator-(Time o) const { return Time(ns_ - o.ns_); }
  constexpr Time& operator+=(Time o) {
    ns_ += o.ns_;
    return *this;
  }
  constexpr Time& operator-=(Time o) {
    ns_ -= o.ns_;
    return *this;
  }
  constexpr Time operator*(int64_t k) const { return Time(ns_ * k); }
  constexpr Time operator/(int64_t k) const { return Time(ns_ / k); }
  constexpr int64_t operator/(Time o) const { return ns_ / o.ns_; }

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

/// "1.5s", "250us", "12ms", "0s": the largest unit with the value at least 1, rounded to three
/// decimals, so traces read like a person wrote them.
std::string to_string(Time t);

/// A clock reading for trace columns: seconds with microseconds, "3.013577s".
std::string format_clock(Time t);

/// Parses a duration with a unit: ns, us, ms, s, m, h ("250us", "1.5s", "2m").
/// A bare number, a negative value or an unknown unit is an error naming the allowed units.
Result<Time, std::string> parse_duration(std::string_view text);

namespace literals {
constexpr Time operator""_ns(unsigned long long v) {
  return Time::from_ns(static_cast<int64_t>(v));
}
constexpr Time operator""_us(unsigned long long v) {
  return Time::from_us(static_cast<int64_t>(v));
}
constexpr Time operator""_ms(unsigned long long v) {
  return Time::from_ms(static_cast<int64_t>(v));
}
constexpr Time operator""_s(unsigned long long v) {
  return Time::from_s(static_cast<int64_t>(v));
}
constexpr Time operator""_ms(long double v) {
  return Time::from_ns(static_cast<int64_t>(v * 1e6L));
}
constexpr Time operator""_s(long double v) {
  return Time::from_ns(static_cast<int64_t>(v * 1e9L));
}
}  // namespace literals

}  // namespace kafkasim::sim
