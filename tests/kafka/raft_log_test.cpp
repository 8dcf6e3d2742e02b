// The leader-epoch cache's endOffsetFor (LeaderEpochFileCacheTest, KAFKA_REFERENCE 7.8) and
// the follower truncation rule (KIP-279).
#include <catch2/catch.hpp>

#include "kafka/raft/raft_log.h"

using namespace kafkasim::kafka;
using namespace kafkasim::kafka::raft;

namespace {
using Cache = std::vector<std::pair<int32_t, Offset>>;
}

TEST_CASE("endOffsetFor matches Kafka's vectors", "[unit][raft]") {
  REQUIRE(end_offset_for(Cache{{2, 11}}, 2, 14) == EpochEnd{2, 14});
  REQUIRE(end_offset_for(Cache{{1, 11}, {2, 13}, {3, 15}}, 2, 17) == EpochEnd{2, 15});
  const Cache c{{0, 10}, {2, 13}, {4, 17}};
  REQUIRE(end_offset_for(c, 1, 0) == EpochEnd{0, 13});
  REQUIRE(end_offset_for(c, 2, 0) == EpochEnd{2, 17});
  REQUIRE(end_offset_for(c, 3, 0) == EpochEnd{2, 17});
  REQUIRE(end_offset_for(Cache{{5, 11}, {6, 12}, {7, 13}}, 4, 0) == EpochEnd{4, 11});
  // assign(7, 12) drops epoch 6 (start offsets must increase): cache {5 -> 11, 7 -> 12}
  REQUIRE(end_offset_for(Cache{{5, 11}, {7, 12}}, 5, 0) == EpochEnd{5, 12});
  REQUIRE(end_offset_for(Cache{{5, 11}, {7, 12}}, 6, 0) == EpochEnd{5, 12});
  REQUIRE(end_offset_for(Cache{{2, 100}}, 3, 100) == EpochEnd{kNoEpoch, kNoOffset});
  REQUIRE(end_offset_for(Cache{{2, 11}, {3, 12}}, kNoEpoch, 0) == EpochEnd{kNoEpoch, kNoOffset});
  REQUIRE(end_offset_for(Cache{}, 0, 0) == EpochEnd{kNoEpoch, kNoOffset});
}

TEST_CASE("the log keeps its epoch cache through appends and truncation", "[unit][raft]") {
  RaftLog log;
  log.append(0, NoOpRecord{});
  log.append(0, NoOpRecord{});
  log.append(2, NoOpRecord{});
  log.append(2, NoOpRecord{});
  log.append(5, NoOpRecord{});
  REQUIRE(log.epoch_cache() == Cache{{0, 0}, {2, 2}, {5, 4}});
  REQUIRE(log.end_offset_for(2) == EpochEnd{2, 4});
  REQUIRE(log.end_offset_for(5) == EpochEnd{5, 5});
  log.truncate_to(3);
  REQUIRE(log.epoch_cache() == Cache{{0, 0}, {2, 2}});
  REQUIRE(log.end_offset() == 3);
  log.truncate_to(2);
  REQUIRE(log.epoch_cache() == Cache{{0, 0}});
  REQUIRE(log.last_epoch() == 0);
}

TEST_CASE("KIP-279 worked example: multi-round truncation", "[unit][raft]") {
  // Follower cache {0 -> 0, 2 -> 5}, LEO 9; the leader answers (1, 8).
  const Cache follower{{0, 0}, {2, 5}};
  const EpochEnd f = end_offset_for(follower, 1, 9);
  REQUIRE(f == EpochEnd{0, 5});  // epoch differs: truncate to min(5, 9) and ask about epoch 0
  const Offset first = std::min<Offset>(f.end_offset, 9);
  REQUIRE(first == 5);
  // The leader answers (0, 5): same epoch, truncate to min(5, 5, 5) = 5, final.
  const EpochEnd g = end_offset_for(Cache{{0, 0}}, 0, first);
  REQUIRE(g.epoch == 0);
  REQUIRE(std::min({g.end_offset, Offset{5}, first}) == 5);
}
