#include <catch2/catch.hpp>

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
