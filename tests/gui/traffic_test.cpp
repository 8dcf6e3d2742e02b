// The cluster view's links: which pairs talk, which way, about what (lesson 02: three
// replicas of orders-0 led by 101, a producer and a consumer).
#include <catch2/catch.hpp>

#include <string>

#include "app_state.h"
#include "open_lesson.h"
#include "traffic.h"
#include "world/payload.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

int16_t payload_named(const std::string& name) {
  for (size_t i = 0; i < 200; ++i) {
    const char* n = world::payload_name(i);
    if (n != nullptr && name == n) return static_cast<int16_t>(i);
  }
  FAIL("no payload " << name);
  return -1;
}

net::NodeIndex node(const gui::AppState& app, const std::string& name) {
  for (size_t i = 0; i < app.world.nodes().size(); ++i)
    if (app.world.nodes()[i].name == name) return static_cast<net::NodeIndex>(i);
  FAIL("no node " << name);
  return 0;
}

}  // namespace

TEST_CASE("requests are told from answers by name", "[studio][traffic]") {
  CHECK(gui::is_request(payload_named("FetchRequest")));
  CHECK(gui::is_request(payload_named("VoteRequest")));
  CHECK(gui::is_request(payload_named("ZkPing")));
  CHECK_FALSE(gui::is_request(payload_named("FetchResponse")));
  CHECK_FALSE(gui::is_request(payload_named("ZkWatchEvent")));
  CHECK_FALSE(gui::is_request(-1));
}

TEST_CASE("links carry who asks whom, and fall idle when a node dies", "[studio][traffic]") {
  gui::AppState app = test::open_lesson("02-replication-and-isr.toml");
  app.goto_time(8_s);
  gui::TrafficMap t;
  t.count(app.world, app.messages(), 2500_ms);
  const net::NodeIndex leader = node(app, "broker 101"), follower = node(app, "broker 102");
  const net::NodeIndex producer = node(app, "producer checkout");
  // A follower fetches from its leader: the requests go follower -> leader, never back.
  const gui::PairTraffic& f = t.between(follower, leader);
  const bool follower_first = follower < leader;
  CHECK((follower_first ? f.asks_ab : f.asks_ba) > 0);
  CHECK((follower_first ? f.asks_ba : f.asks_ab) == 0);
  CHECK(f.kind == net::MessageKind::fetch);
  const gui::PairTraffic& p = t.between(producer, leader);
  CHECK(p.total > 0);
  CHECK(p.kind == net::MessageKind::produce);
  // Two followers never talk to each other.
  CHECK(t.between(follower, node(app, "broker 103")).total == 0);
  // Hidden kinds are not counted.
  t.count(app.world, app.messages(), 2500_ms, 1u << static_cast<unsigned>(net::MessageKind::fetch));
  CHECK(t.between(follower, leader).total == 0);
  // 103 crashes at 10 s: 2.5 s later its link to the leader is idle.
  app.goto_time(13_s);
  t.count(app.world, app.messages(), 2500_ms);
  CHECK(t.between(node(app, "broker 103"), leader).total == 0);
}
