// The default partitioner against Kafka's vectors (KAFKA_REFERENCE 7.1 and 7.2).
#include <catch2/catch.hpp>

#include <map>

#include "kafka/client/partitioner.h"

using namespace kafkasim;
using namespace kafkasim::kafka;

TEST_CASE("murmur2 matches UtilsTest#testMurmur2", "[unit][partitioner]") {
  REQUIRE(murmur2("21") == -973932308);
  REQUIRE(murmur2("foobar") == -790332482);
  REQUIRE(murmur2("a-little-bit-long-string") == -985981536);
  REQUIRE(murmur2("a-little-bit-longer-string") == -1486304829);
  REQUIRE(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  REQUIRE(murmur2(std::string_view("abc", 3)) == 479470107);
}

TEST_CASE("keyed records land where Kafka puts them", "[unit][partitioner]") {
  const std::map<std::string, int32_t> of3 = {{"0", 2}, {"1", 0}, {"2", 2}, {"3", 2}, {"4", 1},
                                              {"5", 0}, {"6", 1}, {"7", 0}, {"8", 0}, {"9", 2}};
  for (const auto& [key, p] : of3) {
    INFO("key " << key);
    REQUIRE(partition_for_key(key, 3) == p);
  }
  REQUIRE(murmur2("") == 275646681);
  REQUIRE(murmur2("a") == -1563381124);
  REQUIRE(murmur2("kafka") == -798503068);
  REQUIRE(to_positive(murmur2("kafka")) == 1348980580);
  REQUIRE(partition_for_key("key0", 12) == 10);
  REQUIRE(partition_for_key("abcdefgh", 6) == 3);
  REQUIRE(partition_for_key("\xC3\xA9", 12) == 3);
  REQUIRE(partition_for_key("a", 6) == 4);  // toPositive, not abs: abs would give 0
}

TEST_CASE("the adaptive partitioner's cumulative frequency table", "[unit][partitioner]") {
  // BuiltInPartitioner comment example: queues [0,3,1] -> weights [4,1,3] -> CFT [4,5,8].
  const std::vector<int32_t> q = {0, 3, 1};
  REQUIRE(adaptive_total(q) == 8);
  for (uint64_t r : {0, 1, 2, 3})
    REQUIRE(adaptive_pick(q, r) == 0);
  REQUIRE(adaptive_pick(q, 4) == 1);
  for (uint64_t r : {5, 6, 7})
    REQUIRE(adaptive_pick(q, r) == 2);
  // adaptivePartitionsTest: [5,0,3,0,1] -> weights [1,6,3,6,5]; over two cycles 2 x weight.
  const std::vector<int32_t> q2 = {5, 0, 3, 0, 1};
  std::vector<int> count(5, 0);
  for (uint64_t r = 0; r < 42; ++r)
    ++count[adaptive_pick(q2, r % adaptive_total(q2))];
  REQUIRE(count == std::vector<int>{2, 12, 6, 12, 10});
}

TEST_CASE("keyless records stick to a partition until batch.size bytes went there",
          "[unit][partitioner]") {
  StickyPartitioner sticky;
  sim::Rng rng(3, "partitioner");
  const int32_t first = sticky.next(6, {}, {}, 1000, 100, rng);
  for (int i = 0; i < 9; ++i)
    REQUIRE(sticky.next(6, {}, {}, 1000, 100, rng) == first);  // 1000 bytes
  int switched = 0;
  int32_t last = first;
  for (int i = 0; i < 200; ++i) {
    const int32_t p = sticky.next(6, {}, {}, 1000, 100, rng);
    if (p != last) ++switched;
    last = p;
  }
  REQUIRE(switched > 10);  // it moves on every 1000 bytes, to a random partition
  // Partitions without a leader are avoided.
  for (int i = 0; i < 50; ++i) {
    const int32_t p = sticky.next(6, {1, 4}, {}, 100, 100, rng);
    REQUIRE((p == 1 || p == 4));
  }
}
