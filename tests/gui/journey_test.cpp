// Following a record (lesson 02: orders-0 on 101, 102, 103, acks=all, billing reads): its
// journey moment by moment, forwards and back.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app_state.h"
#include "journey.h"
#include "kafka/client/producer.h"
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

TEST_CASE("a record followed from its producer: request, append, fetches and ack are moments",
          "[studio][journey]") {
  gui::AppState app = test::open_lesson("02-replication-and-isr.toml");
  app.goto_time(3_s);
  // The producer's newest record, before any broker has written it: no offset yet.
  const kafka::Producer* p = nullptr;
  int32_t producer = -1;
  for (const world::World::Node& n : app.world.nodes())
    if ((p = std::get_if<kafka::Producer>(&n.impl)) != nullptr) {
      producer = n.id;
      break;
    }
  REQUIRE(p != nullptr);
  REQUIRE(!p->history().empty());
  const uint64_t seq = p->history().size() - 1;
  const kafka::SentRecord made = p->history()[seq];
  REQUIRE(made.state == kafka::SentRecord::State::pending);
  const kafka::TopicPartitionName tp{p->config().topic, made.partition};
  const gui::FollowedRecord f{tp, kafka::kNoOffset,
                              kafka::Producer::origin(p->config().index, seq)};
  auto sig = [&](const world::World& x) { return gui::journey(x, f).signature(); };
  std::vector<gui::JourneyState> moments{gui::journey(app.world, f)};
  CHECK(moments[0].offset == kafka::kNoOffset);
  while (moments.size() < 40 && !moments.back().acked && app.next_change(sig))
    moments.push_back(gui::journey(app.world, f));
  REQUIRE(moments.back().acked);
  const int32_t leader = gui::registration(app.world, tp)->leader;
  const std::vector<int32_t> replicas = gui::registration(app.world, tp)->replicas;
  auto carried = [](const gui::JourneyState& j, int32_t from, int32_t to) {
    for (const gui::Carrier& c : j.carriers)
      if (c.from == from && c.to == to) return true;
    return false;
  };
  // Its produce request on the wire before the leader has it; a fetch response takes it to
  // each follower before that follower holds it; its ack crosses before it is acknowledged.
  size_t request = 0, appended = 0, ack = 0;
  std::set<int32_t> fetched;
  for (size_t k = 0; k < moments.size(); ++k) {
    const gui::JourneyState& j = moments[k];
    if (!request && carried(j, producer, leader) && j.on.empty()) request = k;
    if (!appended && j.on == std::vector<int32_t>{leader}) appended = k;
    for (const gui::Carrier& c : j.carriers)
      if (c.from == leader && std::find(replicas.begin(), replicas.end(), c.to) != replicas.end() &&
          std::find(j.on.begin(), j.on.end(), c.to) == j.on.end())
        fetched.insert(c.to);
    if (!ack && carried(j, leader, producer) && !j.acked) ack = k;
  }
  CHECK(request > 0);
  CHECK(moments[request].request == 1);
  CHECK(request < appended);
  CHECK(fetched.size() == 2);  // both followers (replication factor 3)
  CHECK(appended < ack);
  CHECK(moments[ack].committed);
  // Once a broker wrote it, its offset is known, and it is the one the ack carried.
  CHECK(moments[appended].offset != kafka::kNoOffset);
  CHECK(moments.back().offset == moments[appended].offset);
  CHECK(gui::describe(moments[request], {}).find("a produce request to broker") !=
        std::string::npos);
}
