// The control plane end to end: a KRaft cluster elects a controller, registers and unfences
// brokers, creates topics, fences a crashed broker and moves its leaderships, and survives
// the loss of its active controller.
#include <catch2/catch.hpp>

#include "quorum_checker.h"
#include "world/cluster.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {
const kafka::PartitionRegistration& part(const world::World& w, const std::string& name) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  REQUIRE(img != nullptr);
  const auto tp = world::find_partition(img, name);
  REQUIRE(tp.has_value());
  return *img->partition(*tp);
}
sim::Time first_trace(const world::World& w, sim::TraceKind kind, const std::string& text,
                      sim::Time after = 0_s) {
  for (const auto& r : w.trace().records()) {
    if (r.kind == kind && r.at >= after && r.reason.find(text) != std::string::npos) return r.at;
  }
  return sim::Time::max();
}
}  // namespace

TEST_CASE("a KRaft cluster comes up: controller, registered brokers, the orders topic",
          "[kafka][control]") {
  world::World w = world::make_cluster(world::orders_example(1));
  w.run_until(5_s);
  REQUIRE(world::active_controller(w) > 0);
  const kafka::MetadataImage* img = world::cluster_image(w);
  for (int32_t b : {101, 102, 103}) {
    INFO("broker " << b);
    REQUIRE(img->is_active(b));
    REQUIRE(w.impl_as<kafka::KafkaNode>(b)->broker()->state() ==
            kafka::BrokerLifecycle::State::running);
  }
  REQUIRE(part(w, "orders-0").replicas == std::vector<kafka::BrokerId>{101, 102});
  REQUIRE(part(w, "orders-0").leader == 101);
  REQUIRE(part(w, "orders-1").leader == 102);
  // Broker epochs are the offsets of their registration records.
  const auto* k = w.impl_as<kafka::KafkaNode>(world::active_controller(w));
  const auto& reg = k->image().brokers().at(101);
  REQUIRE(
      std::holds_alternative<kafka::RegisterBrokerRecord>(k->raft().log().at(reg.epoch).record));
  // Every broker's own image caught up with the same topics.
  for (int32_t b : {101, 102, 103}) {
    REQUIRE(w.impl_as<kafka::KafkaNode>(b)->image().topic("orders") != nullptr);
  }
}

TEST_CASE("a crashed broker is fenced after broker.session.timeout.ms and loses leadership",
          "[kafka][control]") {
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    INFO("seed " << seed);
    world::World w = world::make_cluster(world::orders_example(seed));
    w.run_until(10_s);
    REQUIRE(w.apply(world::Crash{101}).ok());
    w.run_until(30_s);
    const sim::Time fenced = first_trace(w, sim::TraceKind::broker_fenced, "broker 101 fenced");
    REQUIRE(fenced != sim::Time::max());
    // The last heartbeat was at most one interval (2 s) before the crash.
    REQUIRE(fenced >= 10_s + 7_s);
    REQUIRE(fenced <= 10_s + 9_s + 100_ms);
    const sim::Time moved =
        first_trace(w, sim::TraceKind::leader_change, "orders-0 leader 101 -> 102");
    REQUIRE(moved - fenced <= 1_s);
    REQUIRE(part(w, "orders-0").leader == 102);
    REQUIRE(part(w, "orders-0").isr == std::vector<kafka::BrokerId>{102});
    REQUIRE(part(w, "orders-0").leader_epoch == 1);
    REQUIRE(part(w, "orders-1").leader == 102);  // untouched
    REQUIRE(part(w, "orders-1").leader_epoch == 0);
  }
}

TEST_CASE("a restarted broker registers again and is unfenced once caught up", "[kafka][control]") {
  world::World w = world::make_cluster(world::orders_example(7));
  w.run_until(5_s);
  const int64_t old_epoch = world::cluster_image(w)->broker(103)->epoch;
  REQUIRE(w.apply(world::Crash{103}).ok());
  w.run_until(8_s);
  REQUIRE(w.apply(world::Restart{103}).ok());  // before its session expired
  w.run_until(30_s);
  const kafka::BrokerRegistration* reg = world::cluster_image(w)->broker(103);
  REQUIRE(reg->epoch > old_epoch);
  REQUIRE_FALSE(reg->fenced);
  // The new registration waited for the old session to end (DUPLICATE_BROKER_REGISTRATION).
  const sim::Time fenced = first_trace(w, sim::TraceKind::broker_fenced, "broker 103 fenced");
  const sim::Time registered =
      first_trace(w, sim::TraceKind::broker_registered, "broker 103 registered", 6_s);
  REQUIRE(fenced <= registered);
  REQUIRE(first_trace(w, sim::TraceKind::broker_registered, "DUPLICATE_BROKER_REGISTRATION", 8_s) <
          fenced);
  // Its partition lost 103 from the ISR; 102 stays leader and 103 is not back in the ISR
  // until it has replicated (the data plane decides that).
  REQUIRE(part(w, "orders-1").leader == 102);
}

TEST_CASE("when the active controller crashes another takes over", "[kafka][control]") {
  std::vector<double> failover_s;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    world::World w = world::make_cluster(world::orders_example(seed));
    w.run_until(10_s);
    const int32_t old = world::active_controller(w);
    REQUIRE(old > 0);
    REQUIRE(w.apply(world::Crash{old}).ok());
    sim::Time took = sim::Time::max();
    while (w.now() < 30_s) {
      w.step();
      const int32_t now_active = world::active_controller(w);
      if (now_active > 0 && now_active != old) {
        took = w.now() - 10_s;
        break;
      }
    }
    REQUIRE(took < 10_s);
    failover_s.push_back(took.seconds());
    // The brokers follow the new controller: they keep heartbeating and stay unfenced.
    w.run_until(w.now() + 12_s);
    for (int32_t b : {101, 102, 103})
      REQUIRE(world::cluster_image(w)->is_active(b));
  }
  std::sort(failover_s.begin(), failover_s.end());
  WARN("controller failover over 30 seeds: min "
       << failover_s.front() << " s, median " << failover_s[15] << " s, max " << failover_s.back()
       << " s");
}

TEST_CASE("a controlled shutdown moves leadership away before the broker stops",
          "[kafka][control]") {
  world::World w = world::make_cluster(world::orders_example(3));
  w.run_until(5_s);
  REQUIRE(part(w, "orders-1").leader == 102);
  REQUIRE(w.apply(world::Shutdown{102}).ok());
  w.run_until(10_s);
  REQUIRE(w.node(static_cast<net::NodeIndex>(w.index_of(102))).status ==
          world::NodeStatus::stopped);
  REQUIRE(part(w, "orders-1").leader == 103);
  REQUIRE(part(w, "orders-0").leader == 101);
  REQUIRE_FALSE(part(w, "orders-0").in_isr(102));
  REQUIRE(
      first_trace(w, sim::TraceKind::broker_shutdown, "broker 102 begins a controlled shutdown") <
      first_trace(w, sim::TraceKind::node_crash, "broker 102 stopped"));
  REQUIRE(w.apply(world::Restart{102}).ok());
  w.run_until(20_s);
  REQUIRE(world::cluster_image(w)->is_active(102));
}

TEST_CASE("unclean leader election: off keeps the partition offline, on elects outside the ISR",
          "[kafka][control]") {
  for (bool unclean : {false, true}) {
    INFO("unclean.leader.election.enable=" << unclean);
    world::ClusterSpec spec = world::orders_example(2);
    spec.config.unclean_leader_election_enable = unclean;
    world::World w = world::make_cluster(spec);
    w.run_until(5_s);
    REQUIRE(w.apply(world::Crash{102}).ok());  // orders-0 ISR -> [101]
    w.run_until(20_s);
    REQUIRE(part(w, "orders-0").isr == std::vector<kafka::BrokerId>{101});
    REQUIRE(w.apply(world::Crash{101}).ok());  // the last ISR member goes too
    REQUIRE(w.apply(world::Restart{102}).ok());
    w.run_until(45_s);
    const auto& p = part(w, "orders-0");
    if (!unclean) {
      REQUIRE(p.leader == kafka::kNoLeader);
      REQUIRE(p.isr == std::vector<kafka::BrokerId>{101});  // the last member is kept
    } else {
      REQUIRE(p.leader == 102);
      REQUIRE(p.isr == std::vector<kafka::BrokerId>{102});
      // Elected RECOVERING (KIP-704); the new leader then declares itself RECOVERED.
      REQUIRE(first_trace(w, sim::TraceKind::leader_change, "UNCLEAN") < 45_s);
      REQUIRE(p.leader_recovery_state == kafka::LeaderRecoveryState::RECOVERED);
    }
  }
}

TEST_CASE("preferred leader election moves leadership back to the first replica",
          "[kafka][control]") {
  world::World w = world::make_cluster(world::orders_example(5));
  w.run_until(5_s);
  REQUIRE(w.apply(world::Shutdown{101}).ok());
  w.run_until(8_s);
  REQUIRE(part(w, "orders-0").leader == 102);
  // Not in the ISR: a preferred election keeps the current leader.
  REQUIRE(w.apply(world::ElectPreferred{"orders-0"}).ok());
  w.run_until(8_s + 1_ms);
  REQUIRE(part(w, "orders-0").leader == 102);
  REQUIRE(w.apply(world::Restart{101}).ok());
  w.run_until(20_s);
  REQUIRE(part(w, "orders-0").in_isr(101));    // it caught up and rejoined
  REQUIRE(part(w, "orders-0").leader == 102);  // auto rebalance runs every 300 s by default
  REQUIRE(w.apply(world::ElectPreferred{"orders-0"}).ok());
  w.run_until(21_s);
  REQUIRE(part(w, "orders-0").leader == 101);
}

TEST_CASE("the orders lesson runs deterministically and its story holds",
          "[kafka][control][determinism]") {
  world::World a = world::make_orders_lesson(1);
  world::World b = world::make_orders_lesson(1);
  a.run_until(world::orders_lesson_duration());
  b.run_until(world::orders_lesson_duration());
  REQUIRE(a.trace_hash() == b.trace_hash());
  REQUIRE(part(a, "orders-0").leader == 102);
  REQUIRE(world::active_controller(a) > 0);
  world::World c = world::make_orders_lesson(2);
  c.run_until(world::orders_lesson_duration());
  REQUIRE(c.trace_hash() != a.trace_hash());
}

TEST_CASE("combined nodes run broker and controller in one process", "[kafka][control]") {
  world::ClusterSpec spec = world::orders_example(4);
  spec.brokers = {1, 2, 3};
  spec.controllers = {1, 2, 3};
  spec.topics[0].assignment = {{1, 2}, {2, 3}};
  world::World w = world::make_cluster(spec);
  REQUIRE(w.nodes().size() == 3);
  REQUIRE(w.node(0).name == "combined 1");
  w.run_until(5_s);
  const int32_t active = world::active_controller(w);
  REQUIRE(active > 0);
  for (int32_t b : {1, 2, 3})
    REQUIRE(world::cluster_image(w)->is_active(b));
  REQUIRE(part(w, "orders-0").leader == 1);
  // Losing the active controller also loses a broker: both roles fail over.
  REQUIRE(w.apply(world::Crash{active}).ok());
  w.run_until(25_s);
  const int32_t next = world::active_controller(w);
  REQUIRE(next > 0);
  REQUIRE(next != active);
  REQUIRE_FALSE(world::cluster_image(w)->is_active(active));
  for (const auto& p : world::cluster_image(w)->topic("orders")->partitions) {
    REQUIRE(p.leader != active);
    REQUIRE(p.has_leader());
  }
}

TEST_CASE("a single controller quorum elects itself at once", "[kafka][control]") {
  world::ClusterSpec spec = world::orders_example(1);
  spec.controllers = {1};
  world::World w = world::make_cluster(spec);
  w.run_until(3_s);
  REQUIRE(world::active_controller(w) == 1);
  REQUIRE(part(w, "orders-1").leader == 102);
}

TEST_CASE("a returning replica rejoins the ISR by AlterPartition; auto rebalance follows",
          "[kafka][control]") {
  world::ClusterSpec spec = world::orders_example(9);
  spec.config.leader_imbalance_check_interval_seconds = 10;
  // Requests from a probe posing as broker 102 with a wrong broker epoch: refused.
  demo::ProbeNode probe;
  kafka::AlterPartitionRequest stale;
  stale.correlation_id = 7;
  stale.broker_id = 102;
  stale.broker_epoch = 999999;
  stale.topic = "orders";
  stale.partition = 0;
  stale.new_isr = {102};
  for (int32_t c : {1, 2, 3})
    probe.plan.push_back({25_s, c, 0, stale});
  spec.probes.emplace_back(900, probe);
  world::World w = world::make_cluster(spec);
  REQUIRE(w.schedule(5_s, world::Crash{101}).ok());
  REQUIRE(w.schedule(20_s, world::Restart{101}).ok());
  w.run_until(19_s);
  const auto p0 = part(w, "orders-0");
  REQUIRE(p0.leader == 102);
  REQUIRE(p0.isr == std::vector<kafka::BrokerId>{102});
  w.run_until(29_s);
  // 101 caught up (there is no data yet), so leader 102 asked for it to rejoin.
  const sim::Time rejoined =
      first_trace(w, sim::TraceKind::isr_change, "orders-0 ISR [102] -> [102, 101]");
  REQUIRE(rejoined < 29_s);
  REQUIRE(first_trace(w, sim::TraceKind::note,
                      "asks the controller to change the ISR of orders-0 to [102, 101]") <=
          rejoined);
  // The probe's requests: the active controller says STALE_BROKER_EPOCH, the others NOT_CONTROLLER.
  const auto& got = w.impl_as<demo::ProbeNode>(900)->received;
  REQUIRE(got.size() == 3);
  int stale_epoch = 0, not_controller = 0;
  for (const auto& r : got) {
    const auto e = std::get<kafka::AlterPartitionResponse>(r.payload).error_code;
    stale_epoch += e == kafka::Errc::STALE_BROKER_EPOCH;
    not_controller += e == kafka::Errc::NOT_CONTROLLER;
  }
  REQUIRE(stale_epoch == 1);
  REQUIRE(not_controller == 2);
  // The preferred replica is back in the ISR: the periodic check moves leadership to it.
  w.run_until(45_s);
  REQUIRE(part(w, "orders-0").leader == 101);
  REQUIRE(part(w, "orders-0").leader_epoch == p0.leader_epoch + 1);
  REQUIRE(first_trace(w, sim::TraceKind::leader_change, "PREFERRED election") < 45_s);
}
