// What the cluster view reads off the World to draw elections: ZooKeeper mode's race for the
// ephemeral /controller (lesson 15: broker 103 crashed at 15 s; its session expires at 31 s,
// the watches fire and the other brokers race to create /controller).
#include <catch2/catch.hpp>

#include <set>

#include "app_state.h"
#include "open_lesson.h"
#include "world/cluster.h"
#include "world_view.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

TEST_CASE("the ZooKeeper-mode race for /controller is drawn: who races, each create, won or lost",
          "[studio][election]") {
  gui::AppState app = test::open_lesson("15-zookeeper-controller.toml");
  app.goto_time(30'900_ms);
  std::set<int32_t> racing, asked, won, lost;
  while (app.world.now() < 31'200_ms) {
    for (const world::World::Node& n : app.world.nodes()) {
      const auto i = static_cast<net::NodeIndex>(app.world.index_of(n.id));
      if (gui::node_info(app.world, i).racing) racing.insert(n.id);
    }
    const net::Network& net = app.world.network();
    for (uint32_t slot = 0; slot < net.slots().size(); ++slot) {
      const net::Envelope& e = net.slots()[slot];
      if (!e.live) continue;
      switch (gui::election_arrow(app.world, slot)) {
        case gui::Arrow::ask:
          asked.insert(app.world.node(e.src).id);
          break;
        case gui::Arrow::yes:
          won.insert(app.world.node(e.dst).id);
          break;
        case gui::Arrow::no:
          lost.insert(app.world.node(e.dst).id);
          break;
        default:
          break;
      }
    }
    app.step_event();
  }
  // Both live brokers race; each create crosses the wire; one wins, the other is refused.
  CHECK(racing == std::set<int32_t>{101, 102});
  CHECK(asked == racing);
  REQUIRE(won.size() == 1);
  CHECK(lost.size() == 1);
  CHECK(*won.begin() != *lost.begin());
  CHECK(world::active_controller(app.world) == *won.begin());
  // Once answered, nobody races any more.
  for (const world::World::Node& n : app.world.nodes())
    CHECK_FALSE(
        gui::node_info(app.world, static_cast<net::NodeIndex>(app.world.index_of(n.id))).racing);
}
