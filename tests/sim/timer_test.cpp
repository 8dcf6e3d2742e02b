#include <catch2/catch.hpp>

#include "sim/sim.h"

using namespace kafkasim::sim;
using namespace kafkasim::sim::literals;

TEST_CASE("a cancelled timer never fires; others still do", "[unit][timer]") {
  Sim sim(1);
  TimerId a = sim.set_timer(10_ms, /*owner*/ 0, /*kind*/ 1, 100);
  TimerId b = sim.set_timer(20_ms, 0, 1, 200);
  TimerId c = sim.set_timer(30_ms, 1, 1, 300);
  sim.cancel_timer(b);
  REQUIRE_FALSE(b.armed());
  std::vector<uint64_t> fired;
  while (sim.has_pending()) {
    const Event e = sim.pop_next();
    if (const auto* slot = sim.timers().fire(e.a, static_cast<uint32_t>(e.b))) {
      fired.push_back(slot->arg);
    }
  }
  REQUIRE(fired == std::vector<uint64_t>{100, 300});
  REQUIRE_FALSE(sim.timers().live(a));
  REQUIRE_FALSE(sim.timers().live(c));
}

TEST_CASE("cancelling twice or after firing is harmless, and slots are reused safely",
          "[unit][timer]") {
  TimerTable t;
  TimerId a = t.arm(0, 1, 1);
  const auto* fired = t.fire(a.slot, a.gen);
  REQUIRE(fired != nullptr);
  t.cancel(a);                 // already fired
  TimerId b = t.arm(0, 1, 2);  // reuses the slot with a new generation
  REQUIRE(b.slot == a.slot);
  REQUIRE(b.gen != a.gen);
  REQUIRE(t.fire(a.slot, a.gen) == nullptr);  // the old event is stale
  REQUIRE(t.live(b));
  t.cancel(b);
  t.cancel(b);
  REQUIRE(t.armed_count() == 0);
}

TEST_CASE("a crashed owner loses every timer", "[unit][timer]") {
  TimerTable t;
  TimerId x = t.arm(3, 1, 0);
  TimerId y = t.arm(4, 1, 0);
  TimerId z = t.arm(3, 2, 0);
  t.cancel_all_of(3);
  REQUIRE_FALSE(t.live(x));
  REQUIRE(t.live(y));
  REQUIRE_FALSE(t.live(z));
}
