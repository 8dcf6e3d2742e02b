// The log strip's acknowledgement marks, without a window: the index agrees with the producers'
// own counts and with the checker's acked_records_lost, and follows time travel.
#include <catch2/catch.hpp>

#include <string>

#include "acked_index.h"
#include "app_state.h"
#include "check/history.h"
#include "kafka/client/producer.h"
#include "open_lesson.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

/// Records the producers of `topic` count as acknowledged (acks != 0).
int64_t producers_acked(const world::World& w) {
  int64_t n = 0;
  for (const world::World::Node& node : w.nodes())
    if (const auto* p = std::get_if<kafka::Producer>(&node.impl))
      n += p->config().acks != 0 ? p->acked() : 0;
  return n;
}

size_t indexed(const gui::AckedIndex& idx, const std::string& topic, int32_t partitions) {
  size_t n = 0;
  for (int32_t p = 0; p < partitions; ++p)
    n += idx.of(topic, p).size();
  return n;
}

}  // namespace

TEST_CASE("the acked index holds every acknowledged record, once, as time moves both ways",
          "[studio][acked]") {
  gui::AppState app = test::open_lesson("02-replication-and-isr.toml");
  gui::AckedIndex idx;
  for (const sim::Time t : {5_s, 12_s, 20_s}) {
    app.goto_time(t);
    idx.update(app.world, app.rewinds());
    CHECK(static_cast<int64_t>(indexed(idx, "orders", 3)) == producers_acked(app.world));
  }
  REQUIRE(producers_acked(app.world) > 0);
  // Back in time: the index starts over and agrees again.
  app.goto_time(8_s);
  idx.update(app.world, app.rewinds());
  CHECK(static_cast<int64_t>(indexed(idx, "orders", 3)) == producers_acked(app.world));
  // Each acknowledged record is acked at its own offset, and nowhere else.
  const auto first = idx.of("orders", 0);
  REQUIRE(!first.empty());
  CHECK(idx.acked_at(first.front().origin, first.front().offset));
  CHECK(!idx.acked_at(first.front().origin, first.front().offset + 1));
  CHECK(idx.between("orders", 0, first.front().offset, first.front().offset + 1).size() == 1);
  // Nothing is lost in this lesson.
  CHECK(idx.lost(app.world, {"orders", 0}).empty());
}

TEST_CASE("the records marked lost are the checker's acked_records_lost", "[studio][acked]") {
  gui::AppState app = test::open_lesson("06-unclean-leader-election.toml");
  gui::AckedIndex idx;
  app.goto_time(69_s);
  idx.update(app.world, app.rewinds());
  const check::DataSummary s = check::summarize(app.world, std::string("orders"));
  REQUIRE(s.acked_records_lost > 0);  // the lesson's point
  CHECK(static_cast<int64_t>(idx.lost(app.world, {"orders", 0}).size()) == s.acked_records_lost);
  // Before the unclean election nothing acknowledged was lost.
  app.goto_time(20_s);
  idx.update(app.world, app.rewinds());
  CHECK(idx.lost(app.world, {"orders", 0}).empty());
}
