#include "world/demo_worlds.h"

#include "world/cluster.h"

namespace kafkasim::world {

using namespace sim::literals;

sim::Time demo_duration() {
  return 25_s;
}

World make_heartbeat_demo(uint64_t seed) {
  WorldConfig cfg;
  cfg.seed = seed;
  cfg.link.latency = 1_ms;
  cfg.link.jitter = 200_us;
  cfg.disconnect_timeout = 5_s;
  World w(cfg);
  const std::vector<int32_t> ids = {1, 2, 3, 4, 5};
  for (int32_t id : ids) {
    demo::HeartbeatNode n;
    for (int32_t p : ids) {
      if (p != id) n.peers.push_back(p);
    }
    w.add_node(id, "demo", n);
  }
  w.start();
  auto at = [&](sim::Time t, Command c) {
    auto ok = w.schedule(t, std::move(c));
    SIM_ASSERT(ok.ok(), "the demo timeline is valid");
  };
  at(0_s, Narrate{"Five nodes ping each other every 500ms and suspect a peer silent for 2s."});
  at(3_s, Narrate{"Node 3 crashes: its peers' connections are reset at once."});
  at(3_s, Crash{3});
  at(6_s, Narrate{"The network splits {1, 2} | {3, 4, 5}: each side suspects the other."});
  at(6_s, Partition{{{1, 2}, {3, 4, 5}}});
  at(9_s, Narrate{"The partition heals: replies flow again and suspicions clear."});
  at(9_s, Heal{});
  at(10_s, Narrate{"Node 3 restarts; its peers hear from it again."});
  at(10_s, Restart{3});
  at(12_s,
     Narrate{"Node 5 freezes for 3s, like a long GC pause: nobody can tell it from a crash."});
  at(12_s, Pause{5, 3_s});
  at(16_s, Narrate{"Node 2 loses power: no TCP reset this time, so peers notice only by timeout."});
  at(16_s, PowerLoss{2});
  at(18_s, Restart{2});
  at(20_s, Narrate{"The link 1 <-> 4 slows to 300ms: slow is not dead, nobody is suspected."});
  at(20_s, SetLink{1, 4, 300_ms, std::nullopt, std::nullopt, std::nullopt});
  return w;
}

sim::Time orders_lesson_duration() {
  return 60_s;
}

namespace {
/// The lessons' clients: a checkout service writing orders (acks=all), billing reading them.
void add_order_clients(ClusterSpec& spec) {
  kafka::ProducerConfig p;
  p.client_id = "checkout";
  p.topic = "orders";
  p.rate = 50;
  p.key = "order-{seq % 20}";
  p.value = "{\"order\": {seq}, \"amount\": {seq % 97}}";
  p.acks = -1;
  spec.producers.push_back(p);
  kafka::ConsumerConfig c;
  c.client_id = "billing";
  c.topics = {"orders"};
  c.auto_offset_reset = "earliest";
  spec.consumers.push_back(c);
}
}  // namespace

World make_orders_lesson(uint64_t seed) {
  ClusterSpec spec = orders_example(seed);
  add_order_clients(spec);
  World w = make_cluster(spec);
  auto at = [&](sim::Time t, Command c) {
    auto ok = w.schedule(t, std::move(c));
    SIM_ASSERT(ok.ok(), "the lesson timeline is valid");
  };
  at(0_s, Narrate{"Three KRaft controllers elect a quorum leader; brokers 101-103 register "
                  "with it, catch up with the metadata log and are unfenced."});
  at(3_s, Narrate{"The checkout producer writes orders with acks=all; followers fetch them, "
                  "the high watermark follows, and billing reads below it."});
  at(10_s, Narrate{"Broker 101, leader of orders-0, crashes. Nothing moves until the controller "
                   "has heard nothing from it for broker.session.timeout.ms."});
  at(10_s, Crash{101});
  at(30_s, Narrate{"Broker 101 restarts: it registers again and is unfenced once caught up."});
  at(30_s, Restart{101});
  at(40_s, Narrate{"The active controller crashes. Followers stop hearing from it and elect "
                   "another after a pre-vote."});
  at(40_s, Crash{NodeRef::of_role("controller")});
  at(50_s, Narrate{"Two of three controllers are a majority: the quorum keeps working."});
  return w;
}

World make_orders_lesson_zk(uint64_t seed) {
  ClusterSpec spec = orders_example(seed);
  spec.mode = ClusterSpec::Mode::zookeeper;
  add_order_clients(spec);
  World w = make_cluster(spec);
  auto at = [&](sim::Time t, Command c) {
    auto ok = w.schedule(t, std::move(c));
    SIM_ASSERT(ok.ok(), "the lesson timeline is valid");
  };
  at(0_s, Narrate{"ZooKeeper mode (Kafka 3.x): a ZooKeeper ensemble elects a leader; each broker "
                  "registers an ephemeral /brokers/ids znode and races to create /controller."});
  at(10_s, Narrate{"Broker 101, leader of orders-0, crashes. The controller only notices when "
                   "ZooKeeper expires 101's session (zookeeper.session.timeout.ms = 18 s)."});
  at(10_s, Crash{101});
  at(32_s, Narrate{"Broker 101 restarts after its old session expired, and registers again."});
  at(32_s, Restart{101});
  at(40_s, Narrate{"The controller crashes. /controller disappears with its session, the other "
                   "brokers race again, and the winner bumps /controller_epoch."});
  at(40_s, Crash{NodeRef::of_role("controller")});
  return w;
}

std::span<const std::string_view> builtin_world_names() {
  static constexpr std::string_view kNames[] = {"demo", "orders", "orders-zk"};
  return kNames;
}

std::string builtin_world_list() {
  std::string out;
  for (std::string_view n : builtin_world_names())
    out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

sim::Result<BuiltinWorld, std::string> make_builtin_world(std::string_view name, uint64_t seed) {
  if (name == "demo") return BuiltinWorld{make_heartbeat_demo(seed), demo_duration()};
  if (name == "orders") return BuiltinWorld{make_orders_lesson(seed), orders_lesson_duration()};
  if (name == "orders-zk")
    return BuiltinWorld{make_orders_lesson_zk(seed), orders_lesson_duration()};
  return sim::Err{"there is no built-in world \"" + std::string(name) +
                  "\" (built-in worlds: " + builtin_world_list() + ")"};
}

World make_ring(const RingSpec& spec) {
  WorldConfig cfg;
  cfg.seed = spec.seed;
  cfg.link.latency = spec.latency;
  cfg.link.jitter = spec.jitter;
  cfg.keep_trace = spec.keep_trace;
  World w(cfg);
  const uint64_t hops = spec.messages / spec.nodes;
  for (uint32_t i = 0; i < spec.nodes; ++i) {
    demo::RingNode n;
    n.next_id = static_cast<int32_t>((i + 1) % spec.nodes);
    n.tokens_at_start = 1;
    n.hops_max = hops;
    n.first_token_id = i;
    w.add_node(static_cast<int32_t>(i), "demo", n);
  }
  w.start();
  return w;
}

}  // namespace kafkasim::world
