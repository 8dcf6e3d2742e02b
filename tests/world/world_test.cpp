#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "probe_world.h"
#include "world/demo_worlds.h"
#include "world/payload.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
using kafkasim::testing::probe;
using kafkasim::testing::ProbeWorld;

TEST_CASE("commands are validated against the world's state", "[unit][world]") {
  world::World w = ProbeWorld(3).build();
  auto restart_running = w.apply(world::Restart{2});
  REQUIRE_FALSE(restart_running.ok());
  REQUIRE_THAT(restart_running.error(), Catch::Contains("node 2") && Catch::Contains("running"));
  REQUIRE_THAT(w.apply(world::Crash{9}).error(), Catch::Contains("no node 9"));
  REQUIRE_FALSE(w.apply(world::Partition{{{1, 2}, {2, 3}}}).ok());
  REQUIRE_FALSE(w.apply(world::SetLink{1, 1, 1_ms, {}, {}, {}}).ok());
  REQUIRE_FALSE(w.apply(world::SetLink{1, 2, {}, {}, 1.5, {}}).ok());
  REQUIRE_FALSE(w.apply(world::Pause{1, 0_s}).ok());
  REQUIRE(w.apply(world::Crash{2}).ok());
  REQUIRE_FALSE(w.apply(world::Crash{2}).ok());
  REQUIRE_FALSE(w.apply(world::Pause{2, 1_s}).ok());
  REQUIRE(w.apply(world::Restart{2}).ok());
  REQUIRE(w.command_log().size() == 2);
  REQUIRE_FALSE(w.schedule(w.now() - 1_ns, world::Heal{}).ok());
}

TEST_CASE("a scheduled command that no longer fits is skipped and traced", "[unit][world]") {
  world::World w = ProbeWorld(2).build();
  REQUIRE(w.schedule(1_s, world::Restart{2}).ok());  // 2 will be running then
  w.run_until(2_s);
  REQUIRE(w.command_log().empty());
  const auto& recs = w.trace().records();
  REQUIRE(std::any_of(recs.begin(), recs.end(), [](const sim::TraceRecord& r) {
    return r.reason.find("skipped \"restart node 2\"") != std::string::npos;
  }));
}

TEST_CASE("commands at a time act before nodes at that time", "[unit][world]") {
  ProbeWorld pw(2);
  pw.send(1, 2, 100_ms, 1);
  world::World w = pw.build();
  REQUIRE(w.schedule(100_ms, world::Crash{1}).ok());
  w.run_until(1_s);
  REQUIRE(probe(w, 2).received.empty());  // 1 was dead before its send timer fired
}

TEST_CASE("every fault and recovery leaves a trace record with a reason", "[unit][world]") {
  world::World w = world::make_heartbeat_demo(1);
  w.run_until(world::demo_duration());
  std::vector<sim::TraceKind> kinds;
  for (const auto& r : w.trace().records()) {
    REQUIRE_FALSE(r.reason.empty());
    kinds.push_back(r.kind);
  }
  auto has = [&](sim::TraceKind k) {
    return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
  };
  for (auto k :
       {sim::TraceKind::node_crash, sim::TraceKind::node_restart, sim::TraceKind::node_power_loss,
        sim::TraceKind::node_pause, sim::TraceKind::node_resume, sim::TraceKind::link_cut,
        sim::TraceKind::link_restore, sim::TraceKind::link_change, sim::TraceKind::disconnect,
        sim::TraceKind::demo_suspect, sim::TraceKind::demo_recover}) {
    INFO(std::string(sim::trace_kind_name(k)));
    REQUIRE(has(k));
  }
}

TEST_CASE("the ring delivers exactly the planned messages in the expected time", "[unit][world]") {
  world::RingSpec spec;
  spec.nodes = 10;
  spec.messages = 10000;
  world::World w = world::make_ring(spec);
  while (w.step()) {
  }
  REQUIRE(w.network().sent_count() == 10000);
  REQUIRE(w.now() == spec.latency * 1000);
  uint64_t received = 0;
  for (const auto& n : w.nodes())
    received += std::get<demo::RingNode>(n.impl).received;
  REQUIRE(received == 10000);
}

TEST_CASE("built-in worlds open by name, and an unknown name is refused naming them",
          "[unit][world]") {
  for (std::string_view name : world::builtin_world_names()) {
    INFO(name);
    auto b = world::make_builtin_world(name, 5);
    REQUIRE(b.ok());
    CHECK(b->duration > sim::Time::zero());
    b->world.run_until(2_s);
    CHECK(b->world.sim().events_executed() > 0);
  }
  // The name opens the same world as its maker: the same trace, event for event.
  auto orders = world::make_builtin_world("orders", 5);
  REQUIRE(orders.ok());
  world::World direct = world::make_orders_lesson(5);
  orders->world.run_until(15_s);
  direct.run_until(15_s);
  CHECK(orders->world.trace_hash() == direct.trace_hash());
  CHECK(orders->duration == world::orders_lesson_duration());
  auto zk = world::make_builtin_world("orders-zk", 5);
  REQUIRE(zk.ok());
  zk->world.run_until(15_s);
  CHECK(zk->world.trace_hash() != direct.trace_hash());

  auto bad = world::make_builtin_world("ring", 1);
  REQUIRE(!bad.ok());
  CHECK(bad.error() ==
        "there is no built-in world \"ring\" (built-in worlds: demo, orders, "
        "orders-zk)");
}

TEST_CASE("every message type names itself, each name once", "[unit][world]") {
  std::set<std::string> names;
  for (size_t i = 0; i < std::variant_size_v<world::Payload>; ++i) {
    const std::string n = world::payload_name(i);
    CHECK_FALSE(n.empty());
    CHECK(names.insert(n).second);
  }
  CHECK(std::string(world::payload_name(world::Payload(kafka::FetchResponse{}).index())) ==
        "FetchResponse");
  CHECK(std::string(world::payload_name(world::Payload(kafka::raft::FetchResponse{}).index())) ==
        "FetchResponse (KRaft)");
  CHECK(std::string(world::payload_name(std::variant_size_v<world::Payload>)) == "?");
}
