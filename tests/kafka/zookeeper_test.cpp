// ZooKeeper mode (Kafka 3.x): the ensemble, sessions and ephemeral znodes, controller election
// by racing for /controller, /controller_epoch fencing, and the 3.x controller's elections.
#include <catch2/catch.hpp>

#include "kafka/zk/data_tree.h"
#include "kafka/zkmode/messages.h"
#include "quorum_checker.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
using kafka::zk::Code;
using kafka::zk::ZkTxn;

namespace {
world::ClusterSpec zk_orders(uint64_t seed) {
  world::ClusterSpec spec = world::orders_example(seed);
  spec.mode = world::ClusterSpec::Mode::zookeeper;
  spec.zookeeper = {1, 2, 3};
  return spec;
}
const kafka::PartitionRegistration& part(const world::World& w, const std::string& name) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  REQUIRE(img != nullptr);
  const auto tp = world::find_partition(img, name);
  REQUIRE(tp.has_value());
  return *img->partition(*tp);
}
sim::Time first_trace(const world::World& w, const std::string& text, sim::Time after = 0_s) {
  for (const auto& r : w.trace().records()) {
    if (r.at >= after && r.reason.find(text) != std::string::npos) return r.at;
  }
  return sim::Time::max();
}
ZkTxn create(std::string path, bool ephemeral = false, int64_t session = 0) {
  ZkTxn t;
  t.op = ZkTxn::Op::create;
  t.path = std::move(path);
  t.ephemeral = ephemeral;
  t.session = session;
  return t;
}
}  // namespace

TEST_CASE("the data tree keeps ZooKeeper's rules: parents, versions, ephemerals", "[unit][zk]") {
  kafka::zk::DataTree t;
  REQUIRE(t.check(create("/a/b")) == Code::NONODE);  // parent first
  t.apply(1, create("/a"));
  REQUIRE(t.check(create("/a")) == Code::NODEEXISTS);
  ZkTxn s;
  s.op = ZkTxn::Op::create_session;
  s.session = 7;
  s.session_timeout_ms = 6000;
  t.apply(2, s);
  t.apply(3, create("/a/eph", true, 7));
  t.apply(4, create("/a/p"));
  REQUIRE(t.children("/a") == std::vector<std::string>{"eph", "p"});
  REQUIRE(t.get("/a/eph")->stat.ephemeral_owner == 7);
  REQUIRE(t.get("/a/eph")->stat.czxid == 3);
  ZkTxn remove_a;
  remove_a.op = ZkTxn::Op::remove;
  remove_a.path = "/a";
  REQUIRE(t.check(remove_a) == Code::NOTEMPTY);
  ZkTxn set;
  set.op = ZkTxn::Op::set_data;
  set.path = "/a/p";
  set.data = "x";
  set.version = 0;
  t.apply(5, set);
  REQUIRE(t.get("/a/p")->stat.version == 1);
  REQUIRE(t.check(set) == Code::BADVERSION);  // expected version 0, it is 1 now
  // A fenced write: the check on another znode's version must hold too.
  ZkTxn cas = set;
  cas.op = ZkTxn::Op::check_and_set;
  cas.version = 1;
  cas.check_path = "/a";
  cas.check_version = 3;
  REQUIRE(t.check(cas) == Code::BADVERSION);
  cas.check_version = 0;
  REQUIRE(t.check(cas) == Code::OK);
  // Closing the session deletes its ephemerals and tells the parent's watchers.
  ZkTxn close;
  close.op = ZkTxn::Op::close_session;
  close.session = 7;
  const auto changes = t.apply(6, close);
  REQUIRE(t.get("/a/eph") == nullptr);
  REQUIRE(t.get("/a/p") != nullptr);
  REQUIRE(changes.size() == 2);
  REQUIRE(changes[1].type == kafka::zk::EventType::NodeChildrenChanged);
}

TEST_CASE("partition state znodes use Kafka's JSON", "[unit][zk]") {
  kafka::zkmode::ZkPartitionState s;
  s.leader = 101;
  s.leader_epoch = 4;
  s.isr = {101, 102};
  s.controller_epoch = 2;
  const std::string j = kafka::zkmode::state_json(s);
  REQUIRE(
      j ==
      "{\"controller_epoch\":2,\"leader\":101,\"version\":1,\"leader_epoch\":4,\"isr\":[101,102]}");
  kafka::zkmode::ZkPartitionState back;
  REQUIRE(kafka::zkmode::parse_state_json(j, back));
  REQUIRE(back.leader == 101);
  REQUIRE(back.isr == s.isr);
  std::vector<std::vector<kafka::BrokerId>> a;
  REQUIRE(
      kafka::zkmode::parse_assignment_json(kafka::zkmode::assignment_json({{1, 2}, {2, 3}}), a));
  REQUIRE(a == std::vector<std::vector<kafka::BrokerId>>{{1, 2}, {2, 3}});
}

TEST_CASE("a ZooKeeper-mode cluster comes up: ensemble leader, /controller race, topic",
          "[kafka][zk]") {
  world::World w = world::make_cluster(zk_orders(1));
  w.run_until(3_s);
  const int32_t controller = world::active_controller(w);
  REQUIRE(controller >= 101);
  const auto* ctl = w.impl_as<kafka::zkmode::ZkBroker>(controller);
  REQUIRE(ctl->controller()->epoch() == 1);
  for (int32_t b : {101, 102, 103}) {
    INFO("broker " << b);
    const auto* k = w.impl_as<kafka::zkmode::ZkBroker>(b);
    REQUIRE(k->registered());
    REQUIRE(k->known_controller() == controller);
    REQUIRE(k->image().topic("orders") != nullptr);  // learned from UpdateMetadata
  }
  REQUIRE(part(w, "orders-0").leader == 101);
  REQUIRE(part(w, "orders-1").leader == 102);
  // Every server of the ensemble has the same committed tree.
  const auto& z1 = w.impl_as<kafka::zk::ZkServer>(1)->tree();
  REQUIRE(z1.get("/brokers/ids/101") != nullptr);
  REQUIRE(z1.get("/controller") != nullptr);
  REQUIRE(z1.get("/brokers/topics/orders/partitions/0/state") != nullptr);
}

TEST_CASE("ZooKeeper mode: a dead broker leaves when its session expires; epochs bump",
          "[kafka][zk]") {
  world::World w = world::make_cluster(zk_orders(2));
  w.run_until(5_s);
  REQUIRE(w.apply(world::Crash{101}).ok());
  // Its last ping was at most a third of the session timeout (6 s) before the crash, so the
  // ensemble cannot expire the session before 12 s after it.
  w.run_until(16_s);
  REQUIRE(part(w, "orders-0").leader == 101);  // nobody knows yet: the session is alive
  w.run_until(40_s);
  const sim::Time gone = first_trace(w, "sees broker 101 gone from /brokers/ids");
  REQUIRE(gone >= 5_s + 12_s);  // 18 s session timeout; its last ping was up to 6 s before
  REQUIRE(gone <= 5_s + 21_s);
  REQUIRE(part(w, "orders-0").leader == 102);
  REQUIRE(part(w, "orders-0").isr == std::vector<kafka::BrokerId>{102});
  REQUIRE(part(w, "orders-0").leader_epoch == 1);
  // A restart after the session expired registers again and the controller sees it.
  REQUIRE(w.apply(world::Restart{101}).ok());
  w.run_until(45_s);
  REQUIRE(world::cluster_image(w)->is_active(101));
}

TEST_CASE("ZooKeeper mode: a broker restarted inside its old session refuses to start",
          "[kafka][zk]") {
  world::World w = world::make_cluster(zk_orders(3));
  w.run_until(5_s);
  REQUIRE(w.apply(world::Crash{102}).ok());
  w.run_until(7_s);
  REQUIRE(w.apply(world::Restart{102}).ok());
  w.run_until(9_s);
  REQUIRE(w.node(static_cast<net::NodeIndex>(w.index_of(102))).status ==
          world::NodeStatus::stopped);
  REQUIRE(first_trace(w, "node already exists and owner") < 9_s);
}

TEST_CASE("ZooKeeper mode: controller failover increments /controller_epoch", "[kafka][zk]") {
  world::World w = world::make_cluster(zk_orders(4));
  w.run_until(5_s);
  const int32_t old = world::active_controller(w);
  REQUIRE(w.apply(world::Crash{old}).ok());
  w.run_until(40_s);
  const int32_t now = world::active_controller(w);
  REQUIRE(now > 0);
  REQUIRE(now != old);
  REQUIRE(w.impl_as<kafka::zkmode::ZkBroker>(now)->controller()->epoch() == 2);
  REQUIRE(w.impl_as<kafka::zk::ZkServer>(2)->tree().get("/controller_epoch")->data == "2");
  for (int32_t b : {101, 102, 103}) {
    if (b == old) continue;
    REQUIRE(w.impl_as<kafka::zkmode::ZkBroker>(b)->highest_controller_epoch() == 2);
  }
}

TEST_CASE("ZooKeeper mode: brokers refuse requests from a deposed controller", "[kafka][zk]") {
  world::ClusterSpec spec = zk_orders(5);
  demo::ProbeNode zombie;
  kafka::zkmode::LeaderAndIsrRequest old;
  old.controller_id = 900;
  old.controller_epoch = 0;  // older than the epoch the real controller wrote (1)
  kafka::zkmode::ZkPartitionState s;
  s.topic = "orders";
  s.partition = 0;
  s.replicas = {101, 102};
  s.isr = {102};
  s.leader = 102;
  s.leader_epoch = 9;
  old.partitions = {s};
  zombie.plan.push_back({5_s, 101, 1, old});
  spec.probes.emplace_back(900, zombie);
  world::World w = world::make_cluster(spec);
  w.run_until(6_s);
  const auto& got = w.impl_as<demo::ProbeNode>(900)->received;
  REQUIRE(got.size() == 1);
  const auto* resp = std::get_if<kafka::zkmode::LeaderAndIsrResponse>(&got[0].payload);
  REQUIRE(resp != nullptr);
  REQUIRE(resp->error_code == kafka::Errc::STALE_CONTROLLER_EPOCH);
  REQUIRE(w.impl_as<kafka::zkmode::ZkBroker>(101)->image().partition({0, 0})->leader == 101);
  REQUIRE(first_trace(w, "STALE_CONTROLLER_EPOCH") < 6_s);
}

TEST_CASE("ZooKeeper mode: controlled shutdown and preferred election", "[kafka][zk]") {
  world::World w = world::make_cluster(zk_orders(6));
  w.run_until(5_s);
  const int32_t controller = world::active_controller(w);
  const int32_t victim = controller == 102 ? 103 : 102;  // 102 leads orders-1
  REQUIRE(w.apply(world::Shutdown{victim}).ok());
  w.run_until(10_s);
  REQUIRE(w.node(static_cast<net::NodeIndex>(w.index_of(victim))).status ==
          world::NodeStatus::stopped);
  for (const auto& p : world::cluster_image(w)->topic("orders")->partitions) {
    REQUIRE(p.leader != victim);
    REQUIRE_FALSE(p.in_isr(victim));
  }
}

TEST_CASE("ZooKeeper mode: safety after every event under faults, liveness after heal",
          "[kafka][zk][sweep]") {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    INFO("seed " << seed);
    world::ClusterSpec spec = zk_orders(seed);
    spec.link.jitter = 300_us;
    world::World w = world::make_cluster(spec);
    sim::Rng nemesis(seed, "zk-nemesis");
    std::vector<int32_t> ids = {1, 2, 3, 101, 102, 103};
    testing::QuorumChecker checker;
    std::map<int32_t, int32_t> controller_of_epoch;
    for (sim::Time t = 2_s; t < 40_s; t += nemesis.uniform_time(500_ms, 4_s)) {
      while (w.sim().has_pending() && w.sim().next_time() <= t) {
        w.step();
        checker.check(w);
        const int32_t ac = world::active_controller(w);
        if (ac > 100) {
          const int32_t e = w.impl_as<kafka::zkmode::ZkBroker>(ac)->controller()->epoch();
          auto [it, fresh] = controller_of_epoch.emplace(e, ac);
          REQUIRE(it->second == ac);  // one controller per controller epoch
        }
      }
      w.run_until(t);
      REQUIRE(checker.failure() == "");
      const int32_t id = ids[nemesis.uniform(ids.size())];
      switch (nemesis.uniform(5)) {
        case 0:
          (void)w.apply(world::Crash{id});
          break;
        case 1:
          (void)w.apply(world::Restart{id});
          break;
        case 2:
          (void)w.apply(world::Pause{id, nemesis.uniform_time(1_s, 8_s)});
          break;
        case 3:
          (void)w.apply(world::Partition{{{id}}});
          break;
        default:
          (void)w.apply(world::Heal{});
          break;
      }
    }
    REQUIRE(w.apply(world::Heal{}).ok());
    auto restart_all = [&] {
      for (const auto& n : w.nodes()) {
        if (n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off ||
            n.status == world::NodeStatus::stopped) {
          REQUIRE(w.apply(world::Restart{n.id}).ok());
        }
      }
    };
    restart_all();
    w.run_until(65_s);  // old sessions have expired by now: restart whatever refused to start
    restart_all();
    while (w.now() < 100_s && w.step())
      checker.check(w);
    REQUIRE(checker.failure() == "");
    const int32_t ac = world::active_controller(w);
    REQUIRE(ac > 100);
    const kafka::MetadataImage& img = *world::cluster_image(w);
    for (int32_t b : {101, 102, 103})
      REQUIRE(img.is_active(b));
    for (const auto& p : img.topic("orders")->partitions)
      REQUIRE(p.has_leader());
  }
}
