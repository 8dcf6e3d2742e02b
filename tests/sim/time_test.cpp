#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "sim/time.h"

using namespace kafkasim::sim;
using namespace kafkasim::sim::literals;

TEST_CASE("time literals count nanoseconds", "[unit][time]") {
  REQUIRE((5_ms).ns() == 5000000);
  REQUIRE((250_us).ns() == 250000);
  REQUIRE((2_s).ns() == 2000000000);
  REQUIRE((1.5_s).ns() == 1500000000);
  REQUIRE(1_s + 500_ms == 1.5_s);
  REQUIRE(3_s / 2 == 1500_ms);
  REQUIRE(10_s / 500_ms == 20);
}

TEST_CASE("durations print in the largest whole unit", "[unit][time]") {
  REQUIRE(to_string(0_s) == "0s");
  REQUIRE(to_string(1.5_s) == "1.5s");
  REQUIRE(to_string(250_us) == "250us");
  REQUIRE(to_string(12_ms) == "12ms");
  REQUIRE(to_string(Time::from_ns(2497826436)) == "2.498s");
  REQUIRE(to_string(Time::from_ns(17)) == "17ns");
  REQUIRE(to_string(Time::zero() - 5_ms) == "-5ms");
  REQUIRE(format_clock(Time::from_ns(3013577199)) == "3.013577s");
}

TEST_CASE("durations parse with a unit and reject bare numbers", "[unit][time]") {
  REQUIRE(*parse_duration("250us") == 250_us);
  REQUIRE(*parse_duration("5ms") == 5_ms);
  REQUIRE(*parse_duration("1.5s") == 1.5_s);
  REQUIRE(*parse_duration("2m") == 120_s);
  REQUIRE(*parse_duration("1h") == 3600_s);
  REQUIRE(*parse_duration("0.25ms") == 250_us);
  auto bare = parse_duration("30");
  REQUIRE_FALSE(bare.ok());
  REQUIRE_THAT(bare.error(), Catch::Contains("no unit") && Catch::Contains("ms"));
  REQUIRE_FALSE(parse_duration("-5ms").ok());
  REQUIRE_THAT(parse_duration("5 parsecs").error(), Catch::Contains("unknown unit"));
  REQUIRE_FALSE(parse_duration("").ok());
  REQUIRE_FALSE(parse_duration("1.2.3s").ok());
  REQUIRE_FALSE(parse_duration("99999999999999999999h").ok());
}

TEST_CASE("durations up to the largest time parse exactly, and past it are out of range",
          "[unit][time]") {
  // A fraction finer than a nanosecond is cut, whatever the unit (its digits times the unit's
  // nanoseconds once overflowed int64: "1.9999999999s" came out wrong).
  REQUIRE(parse_duration("1.9999999999s")->ns() == 1999999999);
  REQUIRE(parse_duration("1.9999999999999h")->ns() == 3600000000000 + 3599999999999);
  REQUIRE(parse_duration("0.00000000000000000001m")->ns() == 0);
  // The largest int64 nanosecond count is a duration; one more is out of range, also when
  // only the fraction carries it past (the sum once wrapped to a negative time).
  REQUIRE(parse_duration("9223372036.854775807s")->ns() == std::numeric_limits<int64_t>::max());
  REQUIRE_THAT(parse_duration("9223372036.854775808s").error(), Catch::Contains("out of range"));
  REQUIRE_THAT(parse_duration("153722867.3m").error(), Catch::Contains("out of range"));
  REQUIRE_THAT(parse_duration("2562047.8h").error(), Catch::Contains("out of range"));
}
