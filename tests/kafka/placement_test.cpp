#include <catch2/catch.hpp>

#include <set>

#include "kafka/metadata/placement.h"

using namespace kafkasim;
using namespace kafkasim::kafka;

TEST_CASE("rack-unaware placement follows Kafka's round-robin with a shifting follower",
          "[unit][metadata]") {
  sim::Rng rng(1, "test");
  // Kafka's AdminUtils example: 5 brokers, 10 partitions, RF 3, fixed start index 0.
  auto r = assign_replicas(10, 3, {0, 1, 2, 3, 4}, {}, rng, 0);
  REQUIRE(r.ok());
  const std::vector<std::vector<BrokerId>> expected = {{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 0},
                                                       {4, 0, 1}, {0, 2, 3}, {1, 3, 4}, {2, 4, 0},
                                                       {3, 0, 1}, {4, 1, 2}};
  REQUIRE(*r == expected);
}

TEST_CASE("rack-aware placement spreads every partition across racks", "[unit][metadata]") {
  const std::map<BrokerId, std::string> racks = {{0, "a"}, {1, "b"}, {2, "b"},
                                                 {3, "c"}, {4, "c"}, {5, "a"}};
  REQUIRE(rack_alternated(racks) == std::vector<BrokerId>{0, 1, 3, 5, 2, 4});
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    sim::Rng rng(seed, "placement");
    auto r = assign_replicas(12, 3, {0, 1, 2, 3, 4, 5}, racks, rng);
    REQUIRE(r.ok());
    std::map<BrokerId, int> leaders;
    for (const auto& replicas : *r) {
      std::set<std::string> used;
      std::set<BrokerId> distinct(replicas.begin(), replicas.end());
      for (BrokerId b : replicas)
        used.insert(racks.at(b));
      REQUIRE(used.size() == 3);
      REQUIRE(distinct.size() == 3);
      ++leaders[replicas[0]];
    }
    for (const auto& [b, n] : leaders)
      REQUIRE(n == 2);  // leaders evenly spread
  }
}

TEST_CASE("placement rejects impossible requests with Kafka's reasons", "[unit][metadata]") {
  sim::Rng rng(1, "test");
  REQUIRE_THAT(assign_replicas(3, 4, {1, 2, 3}, {}, rng).error(),
               Catch::Contains("larger than the 3"));
  REQUIRE_FALSE(assign_replicas(0, 1, {1}, {}, rng).ok());
  REQUIRE_FALSE(assign_replicas(2, 2, {1, 2}, {{1, "a"}}, rng).ok());
}

TEST_CASE("added partitions continue the leaders' round-robin where the topic left off",
          "[unit][metadata]") {
  sim::Rng rng(1, "test");
  // kafka-topics --alter --partitions 10 on the 5-broker topic above that had 6 partitions:
  // AdminUtils with startPartitionId 6. The leaders go on as if created at once; the follower
  // shift starts again from the fixed start (it moves only at multiples of the broker count).
  const auto all = assign_replicas(10, 3, {0, 1, 2, 3, 4}, {}, rng, 0);
  const auto added = assign_replicas(4, 3, {0, 1, 2, 3, 4}, {}, rng, 0, 6);
  REQUIRE(added.ok());
  for (size_t i = 0; i < 4; ++i)
    REQUIRE((*added)[i][0] == (*all)[6 + i][0]);
  const std::vector<std::vector<BrokerId>> expected = {{1, 2, 3}, {2, 3, 4}, {3, 4, 0}, {4, 0, 1}};
  REQUIRE(*added == expected);
}
