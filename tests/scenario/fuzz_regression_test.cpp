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

TEST_CASE(
    "fuzz 21-static-membership seed 297: a restarted member ignores a stale leader's "
    "metadata and keeps the group's committed offset",
    "[scenario][fuzz]") {
  // Broker 101, cut off for 44 s, came back still believing it led inventory-0 at its old
  // epoch; static-1 restarted, took its metadata, fetched its committed offset (601) there, got
  // OFFSET_OUT_OF_RANGE, reset to earliest and committed 75.
  CHECK(fuzz_violation("21-static-membership.toml", 297) == "");
}

TEST_CASE(
    "fuzz 21-static-membership seeds 506, 947 and 980: members restarting as a stale "
    "leader comes back keep their group's committed offsets",
    "[scenario][fuzz]") {
  // The same case as seed 297, found by the sweep of seeds 1-1000: static-2 (inventory-3, 446
  // -> 227), dynamic-1 (inventory-1, 552 -> 334) and static-1 (inventory-1, 497 -> 125) each
  // fetched from broker 101 just after the heal, before it caught up with the metadata log.
  for (uint64_t seed : {506, 947, 980}) {
    INFO("seed " << seed);
    CHECK(fuzz_violation("21-static-membership.toml", seed) == "");
  }
}

TEST_CASE(
    "fuzz 17-consumer-group-scaling and 18-eager-vs-cooperative-rebalance seed 319: a "
    "producer's pipelined requests are answered in order, so a retry is never taken for the "
    "next batch",
    "[scenario][fuzz]") {
  // Broker 102, paused, answered batch A (sequence 0) with UNKNOWN_TOPIC_OR_PARTITION, became
  // leader and appended B..E (40..43); A's retry was answered OUT_OF_ORDER_SEQUENCE_NUMBER
  // before B's acks=all answer, so the producer bumped its epoch and wrote A after E.
  CHECK(fuzz_violation("17-consumer-group-scaling.toml", 319) == "");
  CHECK(fuzz_violation("18-eager-vs-cooperative-rebalance.toml", 319) == "");
}

TEST_CASE(
    "fuzz 16-operator-actions seeds 623 and 764: an epoch bump numbers afresh only the "
    "partition with the gap, and retried batches go first in line, one at a time",
    "[scenario][fuzz]") {
  // Seed 623: orders-3's first two batches (sequences 0 and 140) timed out at broker 102, cut
  // off, and at its successor 101; a batch of another partition failed and the producer bumped
  // its epoch for all of them at once, giving the two retries sequences of the new epoch in
  // the order their requests failed: record 1632 went to offset 324 before record 1168's batch.
  for (uint64_t seed : {623, 764}) {
    INFO("seed " << seed);
    CHECK(fuzz_violation("16-operator-actions.toml", seed) == "");
  }
}
