// Fuzz seeds that once broke an invariant (`kafkasim fuzz LESSON --seed N`), each run again as
// `kafkasim fuzz` runs it: the lesson with the nemesis's faults, the invariants after every
// event. Each names what went wrong; the fix is in the commit that added it.
#include <catch2/catch.hpp>

#include <string>

#include "scenario/loader.h"
#include "scenario/nemesis.h"
#include "scenario/runner.h"

using namespace kafkasim;

namespace {
/// The invariant seed `seed` of lesson `file` breaks, or "" when none does.
std::string fuzz_violation(const std::string& file, uint64_t seed) {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/" + file);
  REQUIRE(s.ok());
  auto r = scenario::run_scenario(*s, scenario::fuzz_options(*s, seed));
  REQUIRE(r.ok());
  if (!r->violation) return "";
  return r->violation->invariant + ": " + r->violation->what + " (after " + r->violation->event +
         ")";
}
}  // namespace

TEST_CASE(
    "fuzz 16-operator-actions seed 260: a leader whose AlterPartition completed a reassignment "
    "keeps counting the replica it added until the metadata moves it (NEW_LEADER_ELECTED)",
    "[scenario][fuzz]") {
  REQUIRE(fuzz_violation("16-operator-actions.toml", 260) == "");
}

TEST_CASE(
    "fuzz 12-slow-follower seed 921: an ISR expansion answered NOT_CONTROLLER stays pending and "
    "is sent again, so the high watermark waits for the replica the next controller commits",
    "[scenario][fuzz]") {
  REQUIRE(fuzz_violation("12-slow-follower.toml", 921) == "");
}

TEST_CASE(
    "fuzz 13-retention-and-replay seeds 54 and 87: a retried batch is a duplicate after "
    "retention deleted every segment of its producer (KIP-360)",
    "[scenario][fuzz]") {
  REQUIRE(fuzz_violation("13-retention-and-replay.toml", 54) == "");
  REQUIRE(fuzz_violation("13-retention-and-replay.toml", 87) == "");
}

TEST_CASE(
    "fuzz 03-leader-failover seed 207: a producer's batches are appended and answered in the "
    "order sent, so a retry after failover is still among the five its new leader remembers",
    "[scenario][fuzz]") {
  REQUIRE(fuzz_violation("03-leader-failover.toml", 207) == "");
}
