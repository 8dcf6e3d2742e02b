// World: the whole simulated system as one value: the kernel (clock, events, timers, trace),
// the network, every node and every payload in flight. Copying a World is a snapshot: the copy
// runs forward on its own and produces exactly the trace the original would.
//
// Lifecycle: build with a config, add nodes, start(), then step()/run_until(). From outside it
// changes only through Commands (apply now, or schedule at a simulated time).
//
// Invariants: events are plain data (no pointers, no closures); nodes are addressed by dense
// index inside the engine and by Kafka id at the edges; iteration is always in index order.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "demo/heartbeat_node.h"
#include "demo/probe_node.h"
#include "demo/ring_node.h"
#include "kafka/client/consumer.h"
#include "kafka/client/producer.h"
#include "kafka/node/kafka_node.h"
#include "kafka/zk/zk_server.h"
#include "kafka/zkmode/zk_broker.h"
#include "net/network.h"
#include "sim/result.h"
#include "sim/sim.h"
#include "world/command.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::world {

/// The node programs a World can run. Kafka's broker, controller and clients join this list.
using NodeImpl =
    std::variant<demo::HeartbeatNode, demo::RingNode, demo::ProbeNode, kafka::KafkaNode,
                 kafka::zk::ZkServer, kafka::zkmode::ZkBroker, kafka::Producer, kafka::Consumer>;

enum class NodeStatus : uint8_t { running, paused, crashed, powered_off, stopped };
const char* node_status_name(NodeStatus s);

struct WorldConfig {
  uint64_t seed = 1;
  net::LinkParams link;  // default for every pair
  /// How long a sender waits before it notices a connection nobody answers on
  /// (`sim.net.disconnect.timeout.ms`).
  sim::Time disconnect_timeout = sim::Time::from_s(10);
  /// Keep trace records in memory (the fingerprint is kept either way).
  bool keep_trace = true;
};

class World {
 public:
  struct Node {
    int32_t id = 0;
    std::string name;  // "node 3", "broker 101"
    std::string role;  // "demo", "broker", "controller", ...
    NodeStatus status = NodeStatus::running;
    uint32_t pause_gen = 0;
    std::vector<sim::Event> deferred;  // events that arrived while paused, in order
    std::string stop_reason;           // set by Ctx::stop_self, acted on after the callback
    sim::Rng rng;
    NodeImpl impl;
  };

  explicit World(WorldConfig cfg = {});

  // [building] ------------------------------------------------------------------------------
  /// Adds a node before start(). Ids are Kafka node ids: unique, 0..kNodeIdMax.
  void add_node(int32_t id, std::string role, NodeImpl impl, std::string name = "");
  /// Freezes the node set, builds the network and runs every node's on_start().
  void start();
  bool started() const { return started_; }
  static constexpr int32_t kNodeIdMax = 1 << 20;
  static constexpr size_t kNodesMax = 4096;
  /// The most partitions add_partitions may ask a topic to have.
  static constexpr int32_t kPartitionsMax = 10000;

  // [running] -------------------------------------------------------------------------------
  /// Executes one event. False when nothing is pending.
  bool step();
  /// Executes every event up to and including time `t`, then sets the clock to `t`.
  void run_until(sim::Time t);
  sim::Time now() const { return sim_.now(); }

  // [commands] ------------------------------------------------------------------------------
  /// Validates and applies `c` now (at the current event boundary), logging it.
  sim::Result<sim::Ok, std::string> apply(const Command& c);
  /// Whether `c` could ever be applied to this World: its nodes exist, its values are in range
  /// (world/limits.h). A command read from outside (a recording) is checked with this first.
  sim::Result<sim::Ok, std::string> check(const Command& c) const { return validate_static(c); }
  /// Validates what can be checked now and queues `c` for time `at` (>= now). A command that
  /// turns out invalid when its time comes (restart of a running node) is traced and skipped.
  sim::Result<sim::Ok, std::string> schedule(sim::Time at, Command c);
  const std::vector<StampedCommand>& command_log() const { return command_log_; }

  // [views] ---------------------------------------------------------------------------------
  const sim::Sim& sim() const { return sim_; }
  const net::Network& network() const { return net_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  /// The program of node `id`, when it is a T (tests and views); nullptr otherwise.
  template <typename T>
  const T* impl_as(int32_t id) const {
    const int i = index_of(id);
    return i < 0 ? nullptr : std::get_if<T>(&nodes_[i].impl);
  }
  const Node& node(net::NodeIndex i) const { return nodes_[i]; }
  int32_t node_id(net::NodeIndex i) const { return nodes_[i].id; }
  /// Dense index of node `id`, or -1 when there is no such node.
  int index_of(int32_t id) const;
  const std::string& name_of(int32_t id) const;
  const Payload& payload(uint32_t slot) const { return payloads_[slot]; }
  uint64_t trace_hash() const { return sim_.trace().hash(); }
  const sim::Trace& trace() const { return sim_.trace(); }
  /// Moves the trace records kept so far out of the World (see Trace::take_records).
  std::vector<sim::TraceRecord> take_trace_records() { return sim_.trace().take_records(); }
  const WorldConfig& config() const { return cfg_; }

  /// What the latest step() did, for a checker that names the event that broke an invariant.
  struct LastEvent {
    uint64_t number = 0;  // events executed so far, this one included
    sim::Time at;
    sim::EventKind kind = sim::EventKind::noop;
    int32_t node = -1;     // the node it happened to (-1: none)
    int32_t from = -1;     // deliver: the sender
    int16_t message = -1;  // deliver: the payload's alternative (payload_name)
    uint16_t timer = 0;    // timer: the owner's timer kind
    int32_t command = -1;  // command: index into command_log()
    sim::Time sent_at;     // deliver: when the sender sent it
    uint32_t bytes = 0;    // deliver: its size on the wire
    net::MessageKind message_kind = net::MessageKind::other;  // deliver: for colouring
  };
  LastEvent last_event() const;
  /// "event 1234 at 10.002s: broker 101 receives FetchResponse from broker 102".
  std::string describe_event(const LastEvent& e) const;

 private:
  friend class Ctx;
  void dispatch(const sim::Event& e);
  void deliver(const sim::Event& e);
  void fire_timer(const sim::Event& e);
  void on_disconnect_event(const sim::Event& e);
  void resume(net::NodeIndex i);
  /// Ids exist and values are in range: checkable whenever the command is made.
  sim::Result<sim::Ok, std::string> validate_static(const Command& c) const;
  /// `c` with every role ("controller", "leader:orders-0") replaced by the node it names now.
  sim::Result<Command, std::string> resolve_refs(const Command& c) const;
  /// The node a (resolved) command acts on, or kNoNode.
  static int32_t resolved_node(const Command& c);
  sim::Result<sim::Ok, std::string> check_reassign(const Reassign& x) const;
  sim::Result<sim::Ok, std::string> check_set_config(const SetConfig& x) const;
  /// `id` may hold broker settings (a Kafka node: broker, combined or KRaft controller).
  sim::Result<sim::Ok, std::string> config_node(int32_t id) const;
  /// The command makes sense in the current state (no restart of a running node).
  sim::Result<sim::Ok, std::string> validate_state(const Command& c) const;
  void execute(const Command& c);
  void crash(net::NodeIndex i, bool power_loss);
  void restart(net::NodeIndex i);
  void stop(net::NodeIndex i);
  void crash_impl(Node& n, bool power_loss);
  void elect_preferred(const std::string& partition);
  /// Hands an admin request to the active controller (or traces that there is none).
  template <typename Request>
  void admin(const std::string& what, const Request& r);
  /// ZooKeeper mode: every broker starts its dynamic-config listener (idempotent).
  void start_config_listeners();
  template <typename F>
  void with_node(net::NodeIndex i, F&& f);

  WorldConfig cfg_;
  sim::Sim sim_;
  net::Network net_;
  std::vector<Node> nodes_;
  std::vector<int32_t> index_by_id_;          // dense id -> index (-1: none)
  std::vector<Payload> payloads_;             // by message slot
  std::vector<uint8_t> disconnect_reported_;  // who x peer: traced since last heard from
  std::vector<Command> pending_commands_;
  std::vector<StampedCommand> command_log_;
  bool started_ = false;
  sim::Time last_event_at_;
  // What the latest step() did, kept raw (cheap on every event); last_event() dresses it.
  sim::Event last_raw_;
  int32_t last_from_ = -1;
  int16_t last_message_ = -1;
  uint16_t last_timer_ = 0;
  int32_t last_command_ = -1;
  sim::Time last_sent_at_;
  uint32_t last_bytes_ = 0;
  net::MessageKind last_kind_ = net::MessageKind::other;
  uint64_t same_instant_ = 0;
  static constexpr uint64_t kSameInstantEventsMax = 10000000;
};

/// "orders-0" -> ("orders", 0); nothing when the name is not TOPIC-N.
std::optional<std::pair<std::string, int32_t>> split_partition_name(const std::string& name);
/// "orders-0" in `image`, or nothing.
std::optional<kafka::TopicPartition> find_partition(const kafka::MetadataImage* image,
                                                    const std::string& name);

}  // namespace kafkasim::world
