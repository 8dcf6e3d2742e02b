#include <catch2/catch.hpp>

#include <vector>

#include "sim/rng.h"
#include "sim/sim.h"

using namespace kafkasim::sim;
using namespace kafkasim::sim::literals;

namespace {
std::vector<uint64_t> draws(Rng r, int n) {
  std::vector<uint64_t> v;
  for (int i = 0; i < n; ++i)
    v.push_back(r.next_u64());
  return v;
}
}  // namespace

TEST_CASE("the same seed and name give the same stream", "[unit][rng]") {
  REQUIRE(draws(Rng(42, "net"), 100) == draws(Rng(42, "net"), 100));
  REQUIRE(draws(Rng(42, "net"), 10) != draws(Rng(43, "net"), 10));
  REQUIRE(draws(Rng(42, "net"), 10) != draws(Rng(42, "node/1"), 10));
}

TEST_CASE("a draw in one stream never shifts another", "[unit][rng]") {
  Sim sim(9);
  Rng a = sim.stream("node/101");
  Rng b = sim.stream("node/102");
  const std::vector<uint64_t> b_alone = draws(sim.stream("node/102"), 50);
  for (int i = 0; i < 1000; ++i)
    a.next_u64();  // heavy use of another stream
  REQUIRE(draws(b, 50) == b_alone);
}

TEST_CASE("uniform draws stay in range and cover it", "[unit][rng]") {
  Rng r(1, "range");
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const uint64_t v = r.uniform(7);
    REQUIRE(v < 7);
    ++seen[v];
  }
  for (int c : seen)
    REQUIRE(c > 800);  // about 1000 each
  for (int i = 0; i < 1000; ++i) {
    const Time t = r.uniform_time(1_ms, 2_ms);
    REQUIRE(t >= 1_ms);
    REQUIRE(t < 2_ms);
    const double d = r.next_double();
    REQUIRE(d >= 0.0);
    REQUIRE(d < 1.0);
  }
  REQUIRE_FALSE(r.chance(0.0));
  REQUIRE(r.chance(1.0));
}
