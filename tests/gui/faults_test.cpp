// Fault injection by direct manipulation, without a window: a drawn partition, a clicked link
// and a clicked node become Commands that the studio's queue applies (and replays), and the
// questions the cluster view asks to draw them answer as the World says.
#include <catch2/catch.hpp>

#include "app_state.h"
#include "faults.h"
#include "world/cluster.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

gui::AppState lesson() {
  return gui::AppState(world::make_orders_lesson(1), world::orders_lesson_duration());
}

net::NodeIndex idx(const gui::AppState& app, int32_t id) {
  return static_cast<net::NodeIndex>(app.world.index_of(id));
}

}  // namespace

TEST_CASE("a lasso picks the nodes inside it") {
  const std::vector<gui::Point> square{{0, 0}, {10, 0}, {10, 10}, {0, 10}};
  CHECK(gui::inside_polygon(square, {5, 5}));
  CHECK_FALSE(gui::inside_polygon(square, {15, 5}));
  CHECK_FALSE(gui::inside_polygon({{0, 0}, {10, 10}}, {5, 5}));  // a line encloses nothing
  // A concave lasso (an L): the notch is outside.
  const std::vector<gui::Point> ell{{0, 0}, {10, 0}, {10, 4}, {4, 4}, {4, 10}, {0, 10}};
  CHECK(gui::inside_lasso(ell, {{2, 2}, {8, 8}, {2, 8}, {8, 2}}) == std::vector<size_t>{0, 2, 3});
}

TEST_CASE("side A of a drawn partition becomes a Partition against every other node") {
  auto app = lesson();
  app.goto_time(5_s);
  CHECK_FALSE(gui::partition_from_side(app.world, {}));
  CHECK_FALSE(gui::partition_from_side(app.world, {101, 4242}));  // no node 4242
  std::vector<int32_t> every;
  for (const auto& n : app.world.nodes())
    every.push_back(n.id);
  CHECK_FALSE(gui::partition_from_side(app.world, every));  // nothing on the other side

  std::vector<int32_t> side;
  gui::toggle_side(side, 102);
  gui::toggle_side(side, 101);
  gui::toggle_side(side, 1);
  gui::toggle_side(side, 1);  // clicked twice: out again
  const auto p = gui::partition_from_side(app.world, side);
  REQUIRE(p);
  REQUIRE(p->groups.size() == 1);
  CHECK(p->groups[0] == std::vector<int32_t>{101, 102});

  REQUIRE(app.submit(*p));
  REQUIRE(app.commands().size() == 1);
  CHECK(app.commands()[0].at == 5_s);
  const net::Network& net = app.world.network();
  CHECK_FALSE(net.cut(idx(app, 101), idx(app, 102)));
  CHECK(net.cut(idx(app, 101), idx(app, 103)));
  CHECK(net.cut(idx(app, 102), idx(app, 1)));
  CHECK_FALSE(net.cut(idx(app, 103), idx(app, 1)));
  CHECK(gui::link_state(app.world, idx(app, 101), idx(app, 103)) == gui::LinkState::cut);
  CHECK_FALSE(gui::isolated(app.world, idx(app, 101)));

  // Replayed where it was made after going back and forth.
  app.goto_time(2_s);
  CHECK_FALSE(app.world.network().cut(idx(app, 101), idx(app, 103)));
  app.goto_time(6_s);
  CHECK(app.world.network().cut(idx(app, 101), idx(app, 103)));
}

TEST_CASE("an isolated node is one whose every link is cut") {
  auto app = lesson();
  app.goto_time(5_s);
  CHECK_FALSE(gui::isolated(app.world, idx(app, 102)));
  REQUIRE(app.submit(world::Isolate{102}));
  CHECK(gui::isolated(app.world, idx(app, 102)));
  CHECK_FALSE(gui::isolated(app.world, idx(app, 101)));
  REQUIRE(app.submit(world::Heal{}));
  CHECK_FALSE(gui::isolated(app.world, idx(app, 102)));
}

TEST_CASE("a clicked link is cut, slowed, made lossy and reset, one pair only") {
  auto app = lesson();
  app.goto_time(5_s);
  const auto a = idx(app, 101), b = idx(app, 102), c = idx(app, 103);
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::normal);
  CHECK(gui::describe_link(app.world, a, b) == "broker 101 <-> broker 102: 1ms");

  REQUIRE(app.submit(gui::link_down(101, 102, true)));
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::down);
  CHECK(app.world.network().cut(b, a));
  CHECK_FALSE(app.world.network().cut(a, c));
  REQUIRE(app.submit(gui::link_down(101, 102, false)));
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::normal);

  REQUIRE(app.submit(gui::link_slower(app.world, 101, 102, 50_ms)));
  CHECK(app.world.network().link(a, b).latency == 51_ms);
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::slow);
  REQUIRE(app.submit(gui::link_slower(app.world, 101, 102, 200_ms)));
  CHECK(app.world.network().link(b, a).latency == 251_ms);

  REQUIRE(app.submit(gui::link_lossy(101, 102, 0.1)));
  CHECK(app.world.network().link(a, b).loss == Approx(0.1));
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::lossy);

  REQUIRE(app.submit(gui::link_reset(app.world, 101, 102)));
  CHECK(app.world.network().link(a, b) == app.world.config().link);
  CHECK(gui::link_state(app.world, a, b) == gui::LinkState::normal);
  CHECK(app.commands().size() == 6);
  // Each is stamped with the time it was made.
  for (const auto& u : app.commands())
    CHECK(u.at == 5_s);
}

TEST_CASE("a broker's replicas, counted; the partitions it is preferred for but does not lead") {
  auto app = lesson();
  app.goto_time(8_s);
  const kafka::MetadataImage* img = world::cluster_image(app.world);
  REQUIRE(img != nullptr);
  int replicas = 0, leaders = 0;
  for (int32_t b : {101, 102, 103}) {
    const gui::ReplicaCounts c = gui::replica_counts(*img, b);
    replicas += c.total();
    leaders += c.leaders;
    CHECK(c.offline == 0);
    CHECK(gui::preferred_not_leader(*img, b).empty());  // every preferred replica leads
  }
  int partitions = 0;
  for (const auto& t : img->topics()) {
    partitions += static_cast<int>(t.partitions.size());
    for (const auto& p : t.partitions)
      replicas -= static_cast<int>(p.replicas.size());
  }
  CHECK(replicas == 0);
  CHECK(leaders == partitions);

  // Broker 101 crashes at 10 s and is back at 30 s: its leaderships moved away.
  app.goto_time(45_s);
  img = world::cluster_image(app.world);
  REQUIRE(img != nullptr);
  const auto moved = gui::preferred_not_leader(*img, 101);
  CHECK_FALSE(moved.empty());
  REQUIRE(app.submit(world::ElectPreferred{moved.front()}));
  app.goto_time(50_s);
  img = world::cluster_image(app.world);
  CHECK(gui::replica_counts(*img, 101).leaders >= 1);

  gui::ReplicaCounts c;
  c.leaders = 34;
  c.in_sync = 64;
  c.out_of_sync = 2;
  CHECK(gui::describe_counts(c) == "34 leaders, 66 followers (2 out of sync)");
  CHECK(gui::describe_counts(gui::ReplicaCounts{}) == "no replicas");
}
