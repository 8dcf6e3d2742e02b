// Following a record (lesson 02: orders-0 on 101, 102, 103, acks=all, billing reads): its
// journey moment by moment, forwards and back.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "app_state.h"
#include "journey.h"
#include "open_lesson.h"
#include "world_view.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

TEST_CASE("a record's journey: made, appended, replicated, committed, acknowledged, read",
          "[studio][journey]") {
  gui::AppState app = test::open_lesson("02-replication-and-isr.toml");
  // Offset 300 of orders-0, as the leader holds it at 8 s.
  app.goto_time(8_s);
  const kafka::TopicPartitionName tp{"orders", 0};
  const auto* leader = gui::hosted_replica(app.world, 101, tp);
  REQUIRE(leader != nullptr);
  const kafka::Record* at = gui::record_at(leader->log, 300).record();
  REQUIRE(at != nullptr);
  const gui::FollowedRecord f{tp, 300, at->origin};
  auto sig = [&](const world::World& x) { return gui::journey(x, f).signature(); };
  CHECK(gui::journey(app.world, f).on.size() == 3);
  CHECK(gui::journey(app.world, f).acked);
  CHECK(gui::journey(app.world, f).read_by == std::vector<std::string>{"billing"});

  // From before it was made, forwards one moment at a time.
  app.goto_time(1_s);
  CHECK_FALSE(gui::journey(app.world, f).made);
  std::vector<gui::JourneyState> moments{gui::journey(app.world, f)};
  while (moments.size() < 20 && app.next_change(sig))
    moments.push_back(gui::journey(app.world, f));
  REQUIRE(moments.size() >= 5);
  const gui::JourneyState& last = moments.back();
  CHECK(last.read_by == std::vector<std::string>{"billing"});
  // It reaches the leader first, then the followers; it is committed before it is
  // acknowledged (acks=all), and read only once committed.
  size_t first_on = 0, committed = 0, acked = 0, read = 0;
  for (size_t k = 0; k < moments.size(); ++k) {
    if (!first_on && !moments[k].on.empty()) first_on = k;
    if (!committed && moments[k].committed) committed = k;
    if (!acked && moments[k].acked) acked = k;
    if (!read && !moments[k].read_by.empty()) read = k;
    if (k > 0) CHECK(moments[k].on.size() >= moments[k - 1].on.size());
  }
  REQUIRE(first_on > 0);
  CHECK(moments[first_on].on == std::vector<int32_t>{101});
  CHECK(first_on < committed);
  CHECK(committed <= acked);
  CHECK(committed <= read);
  // And back. The last next_change ran on to the end unchanged: the first Shift+Left goes to
  // the start of the moment it is in, each next one to the moment before.
  REQUIRE(app.previous_change(sig));
  CHECK(sig(app.world) == moments.back().signature());
  for (size_t k = moments.size() - 1; k > first_on; --k) {
    REQUIRE(app.previous_change(sig));
    CHECK(sig(app.world) == moments[k - 1].signature());
  }
}
