#include "sim/time.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>

namespace kafkasim::sim {

std::string to_string(Time t) {
  // The largest unit in which the value is at least 1, with up to three decimals (rounded),
  // trailing zeros dropped: "1.5s", "2.498s", "250us", "12ms".
  struct Unit {
    int64_t ns;
    const char* name;
  };
  static constexpr Unit units[] = {{1000000000, "s"}, {1000000, "ms"}, {1000, "us"}, {1, "ns"}};
  const int64_t v = t.ns();
  if (v == 0) return "0s";
  const bool negative = v < 0;
  const uint64_t mag = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  for (const Unit& u : units) {
    const uint64_t unit = static_cast<uint64_t>(u.ns);
    if (mag < unit && unit != 1) continue;
    // Round to thousandths of the unit.
    const uint64_t milli = unit >= 1000 ? (mag + unit / 2000) / (unit / 1000) : mag * 1000;
    uint64_t whole = milli / 1000;
    uint64_t frac = milli % 1000;
    char buf[48];
    int len;
    if (frac == 0) {
      len = std::snprintf(buf, sizeof buf, "%s%llu%s", negative ? "-" : "",
                          static_cast<unsigned long long>(whole), u.name);
    } else {
      int digits = 3;
      while (frac % 10 == 0) {
        frac /= 10;
        --digits;
      }
      len = std::snprintf(buf, sizeof buf, "%s%llu.%0*llu%s", negative ? "-" : "",
                          static_cast<unsigned long long>(whole), digits,
                          static_cast<unsigned long long>(frac), u.name);
    }
    return std::string(buf, static_cast<size_t>(len));
  }
  return "0s";
}

std::string format_clock(Time t) {
  char buf[40];
  const int64_t v = t.ns();
  const int len =
      std::snprintf(buf, sizeof buf, "%lld.%06llds", static_cast<long long>(v / 1000000000),
                    static_cast<long long>((v % 1000000000) / 1000));
  return std::string(buf, static_cast<size_t>(len));
}

namespace {
std::string quoted(std::string_view text) {
  std::string s;
  s.reserve(text.size() + 2);
  s += '"';
  s += text;
  s += '"';
  return s;
}
}  // namespace

Result<Time, std::string> parse_duration(std::string_view text) {
  const std::string allowed = "use a number with a unit: ns, us, ms, s, m or h (e.g. \"250ms\")";
  auto err = [&](std::string_view what) {
    std::string m = quoted(text);
    m += ' ';
    m += what;
    return Err{std::move(m)};
  };
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  const std::string_view number = text.substr(0, i);
  const std::string_view unit = text.substr(i);
  if (!text.empty() && text[0] == '-') {
    return err("is negative; a duration cannot be negative");
  }
  if (number.empty()) return err("is not a duration; " + allowed);
  if (unit.empty()) return err("has no unit; " + allowed);
  int64_t scale = 0;
  if (unit == "ns")
    scale = 1;
  else if (unit == "us")
    scale = 1000;
  else if (unit == "ms")
    scale = 1000000;
  else if (unit == "s")
    scale = 1000000000;
  else if (unit == "m")
    scale = 60LL * 1000000000;
  else if (unit == "h")
    scale = 3600LL * 1000000000;
  else
    return err("has an unknown unit " + quoted(unit) + "; " + allowed);
  // Exact decimal parsing: split at the point so "1.5s" is exactly 1500000000 ns.
  const size_t dot = number.find('.');
  const std::string_view int_part = number.substr(0, dot);
  const std::string_view frac_part = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (frac_part.find('.') != std::string_view::npos || (int_part.empty() && frac_part.empty())) {
    return err("is not a duration; " + allowed);
  }
  int64_t whole = 0;
  if (!int_part.empty()) {
    auto [p, ec] = std::from_chars(int_part.data(), int_part.data() + int_part.size(), whole);
    if (ec != std::errc() || p != int_part.data() + int_part.size()) {
      return err("is out of range");
    }
  }
  if (whole > std::numeric_limits<int64_t>::max() / scale) {
    return err("is out of range");
  }
  const int64_t ns = whole * scale;
  // The fraction, digit by digit, as frac / denom of the unit: digits past 1 ns are cut. The
  // product frac * scale needs up to 87 bits (13 digits of an hour), hence 128-bit arithmetic.
  int64_t denom = 1;
  int64_t frac = 0;
  for (char c : frac_part) {
    if (denom > scale) break;  // finer than 1 ns: ignored digits
    frac = frac * 10 + (c - '0');
    denom *= 10;
  }
  const auto frac_ns = static_cast<int64_t>(static_cast<__int128>(frac) * scale / denom);
  if (frac_ns > std::numeric_limits<int64_t>::max() - ns) {
    return err("is out of range");
  }
  return Time::from_ns(ns + frac_ns);
}

}  // namespace kafkasim::sim
