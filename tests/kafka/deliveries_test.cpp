// A consumer's deliveries kept as runs (engine/kafka/client/deliveries.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kafka/client/deliveries.h"
#include "sim/rng.h"

using kafkasim::kafka::Delivery;
using kafkasim::kafka::DeliveryLog;
using kafkasim::sim::Time;

namespace {
Delivery at(int64_t ms, int32_t partition, int64_t offset, uint64_t origin) {
  return Delivery{origin, offset, Time::from_ms(ms), partition};
}
}  // namespace

TEST_CASE("deliveries of one poll and partition share a run", "[unit][client]") {
  DeliveryLog log;
  CHECK(log.empty());
  CHECK(log.begin() == log.end());
  log.push_back(at(10, 0, 5, 100));
  log.push_back(at(10, 0, 6, 7));    // next offset, same time: the same run
  log.push_back(at(10, 0, 7, 300));  // origins need not be consecutive
  CHECK(log.runs() == 1);
  log.push_back(at(10, 1, 8, 1));   // another partition
  log.push_back(at(11, 1, 9, 2));   // another time
  log.push_back(at(11, 1, 11, 3));  // a gap (compaction)
  log.push_back(at(11, 1, 4, 4));   // read again from an earlier offset
  CHECK(log.runs() == 5);
  REQUIRE(log.size() == 7);
  CHECK(log[0] == at(10, 0, 5, 100));
  CHECK(log[1] == at(10, 0, 6, 7));
  CHECK(log[2] == at(10, 0, 7, 300));
  CHECK(log[3] == at(10, 1, 8, 1));
  CHECK(log[6] == at(11, 1, 4, 4));
}

TEST_CASE("deliveries read by index and by iterator are the ones pushed", "[unit][client]") {
  // Runs of every length, broken by time, partition, gaps and rewinds, against a plain list.
  kafkasim::sim::Rng rng(7, "deliveries");
  DeliveryLog log;
  std::vector<Delivery> want;
  int64_t ms = 0;
  int64_t offsets[3] = {0, 0, 0};
  for (int i = 0; i < 5000; ++i) {
    const auto p = static_cast<int32_t>(rng.uniform(3));
    if (rng.uniform(4) == 0) ms += static_cast<int64_t>(rng.uniform(3));
    const uint64_t jump = rng.uniform(10);
    if (jump == 0) offsets[p] += 2;                                    // a gap
    if (jump == 1) offsets[p] = std::max<int64_t>(0, offsets[p] - 5);  // read again
    const Delivery d = at(ms, p, offsets[p]++, rng.next_u64());
    log.push_back(d);
    want.push_back(d);
  }
  CHECK(log.runs() < want.size());
  REQUIRE(log.size() == want.size());
  std::vector<Delivery> iterated(log.begin(), log.end());
  CHECK(iterated == want);
  for (size_t i = 0; i < want.size(); i += 37)
    CHECK(log[i] == want[i]);

  // Jumps forward and back land on the right run.
  auto it = log.begin();
  for (size_t i : {4999u, 0u, 2500u, 2501u, 17u, 4000u}) {
    it = log.begin() + static_cast<std::ptrdiff_t>(i);
    CHECK(*it == want[i]);
    CHECK(it - log.begin() == static_cast<std::ptrdiff_t>(i));
  }
  it = log.end();
  --it;
  CHECK(*it == want.back());
  it -= 1000;
  CHECK(*it == want[want.size() - 1001]);
  CHECK(it[3] == want[want.size() - 998]);
  CHECK((it < log.end() && log.begin() <= it));

  // A search by time, as the studio's metrics do.
  const Time t = want[3000].at;
  const auto got =
      std::partition_point(log.begin(), log.end(), [&](const Delivery& x) { return x.at <= t; });
  const auto ref =
      std::partition_point(want.begin(), want.end(), [&](const Delivery& x) { return x.at <= t; });
  CHECK(got - log.begin() == ref - want.begin());

  // A copy is a log of its own.
  DeliveryLog copy = log;
  copy.push_back(at(ms + 1, 0, 0, 1));
  CHECK(copy.size() == log.size() + 1);
  CHECK(std::equal(log.begin(), log.end(), want.begin(), want.end()));
}
