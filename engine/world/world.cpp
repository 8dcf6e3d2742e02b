// World: scheduling loop, node dispatch and command handling.
//
// Index:
//   [SECTION] building
//   [SECTION] the event loop
//   [SECTION] commands
//   [SECTION] Ctx
#include "world/world.h"

#include "sim/overloaded.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <variant>

#include "world/cluster.h"
#include "world/limits.h"

namespace kafkasim::world {

namespace {
using sim::overloaded;
std::string id_list(const std::vector<int32_t>& ids) {
  std::string s = "{";
  for (size_t i = 0; i < ids.size(); ++i)
    s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "}";
}
}  // namespace

namespace {
/// A message type's name, as the type itself says it (each message struct's kName).
template <typename T>
constexpr const char* message_name() {
  if constexpr (std::is_same_v<T, std::monostate>)
    return "(none)";
  else
    return T::kName;
}
template <size_t... I>
constexpr std::array<const char*, sizeof...(I)> message_names(std::index_sequence<I...>) {
  return {message_name<std::variant_alternative_t<I, Payload>>()...};
}
constexpr auto kPayloadNames =
    message_names(std::make_index_sequence<std::variant_size_v<Payload>>{});
}  // namespace

const char* payload_name(size_t index) {
  return index < kPayloadNames.size() ? kPayloadNames[index] : "?";
}

const char* node_status_name(NodeStatus s) {
  switch (s) {
    case NodeStatus::running:
      return "running";
    case NodeStatus::paused:
      return "paused";
    case NodeStatus::crashed:
      return "crashed";
    case NodeStatus::powered_off:
      return "powered off";
    case NodeStatus::stopped:
      return "stopped";
  }
  return "unknown";
}

// [SECTION] building ---------------------------------------------------------------------------

World::World(WorldConfig cfg) : cfg_(cfg), sim_(cfg.seed) {
  sim_.trace().set_keep_records(cfg.keep_trace);
}

void World::add_node(int32_t id, std::string role, NodeImpl impl, std::string name) {
  SIM_ASSERT(!started_, "nodes are added before start()");
  SIM_ASSERT(id >= 0 && id <= kNodeIdMax, "node id out of range");
  SIM_ASSERT(index_of(id) < 0, "duplicate node id");
  SIM_ASSERT(nodes_.size() < kNodesMax, "too many nodes");
  if (static_cast<size_t>(id) >= index_by_id_.size()) index_by_id_.resize(id + 1, -1);
  index_by_id_[id] = static_cast<int32_t>(nodes_.size());
  Node n;
  n.id = id;
  n.name = !name.empty() ? std::move(name)
                         : (role == "demo" ? std::string("node") : role) + " " + std::to_string(id);
  n.role = std::move(role);
  n.rng = sim_.stream("node/" + std::to_string(id));
  n.impl = std::move(impl);
  nodes_.push_back(std::move(n));
}

void World::start() {
  SIM_ASSERT(!started_, "start() runs once");
  started_ = true;
  sim::assert_context().seed = cfg_.seed;
  net_ = net::Network(nodes_.size(), cfg_.link, cfg_.disconnect_timeout, sim_.stream("net"));
  disconnect_reported_.assign(nodes_.size() * nodes_.size(), 0);
  for (net::NodeIndex i = 0; i < nodes_.size(); ++i) {
    sim_.trace(nodes_[i].id, sim::TraceKind::node_start, nodes_[i].name + " started");
    with_node(i, [](auto& impl, Ctx& ctx) { impl.on_start(ctx); });
  }
}

int World::index_of(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= index_by_id_.size()) return -1;
  return index_by_id_[id];
}

const std::string& World::name_of(int32_t id) const {
  static const std::string unknown = "unknown node";
  const int i = index_of(id);
  return i < 0 ? unknown : nodes_[i].name;
}

template <typename F>
void World::with_node(net::NodeIndex i, F&& f) {
  Ctx ctx(*this, i, sim_.now());
  std::visit([&](auto& impl) { f(impl, ctx); }, nodes_[i].impl);
  if (!nodes_[i].stop_reason.empty()) stop(i);
}

// [SECTION] the event loop -----------------------------------------------------------------------

World::LastEvent World::last_event() const {
  LastEvent e;
  e.number = sim_.events_executed();
  e.at = last_raw_.at;
  e.kind = last_raw_.kind;
  if (e.kind != sim::EventKind::command && e.kind != sim::EventKind::noop &&
      last_raw_.target < nodes_.size())
    e.node = nodes_[last_raw_.target].id;
  if (last_from_ >= 0) e.from = nodes_[static_cast<size_t>(last_from_)].id;
  e.message = last_message_;
  e.timer = last_timer_;
  e.command = last_command_;
  if (e.kind == sim::EventKind::deliver && last_from_ >= 0) {
    e.sent_at = last_sent_at_;
    e.bytes = last_bytes_;
    e.message_kind = last_kind_;
  }
  return e;
}

std::string World::describe_event(const LastEvent& e) const {
  std::string out = "event " + std::to_string(e.number) + " at " + sim::format_clock(e.at) + ": ";
  const std::string who = e.node >= 0 ? name_of(e.node) : std::string("the cluster");
  switch (e.kind) {
    case sim::EventKind::deliver:
      if (e.message < 0) return out + who + " gets a message it cannot take now";
      return out + who + " receives " + payload_name(static_cast<size_t>(e.message)) + " from " +
             name_of(e.from);
    case sim::EventKind::timer: {
      // The node's program names its timers (each component its own).
      const int i = e.node >= 0 ? index_of(e.node) : -1;
      const char* name =
          i < 0 ? nullptr
                : std::visit([&](const auto& impl) { return impl.timer_name(e.timer); },
                             nodes_[static_cast<size_t>(i)].impl);
      if (e.timer == 0) return out + who + "'s cancelled timer pops";
      return out + who + ": " + (name ? std::string(name) : "timer " + std::to_string(e.timer)) +
             " fires";
    }
    case sim::EventKind::disconnect:
      return out + who + " learns a connection broke";
    case sim::EventKind::resume:
      return out + who + " resumes after a pause";
    case sim::EventKind::command:
      if (e.command >= 0 && static_cast<size_t>(e.command) < command_log_.size())
        return out + "operator: " + world::describe(command_log_[e.command].command);
      return out + "an operator command (skipped)";
    case sim::EventKind::noop:
      break;
  }
  return out + "nothing";
}

bool World::step() {
  SIM_ASSERT(started_, "start() the World before running it");
  if (!sim_.has_pending()) return false;
  const sim::Event e = sim_.pop_next();
  sim::assert_context().now_ns = e.at.ns();
  // A livelock (nodes answering each other at zero delay forever) is a bug: stop loudly.
  same_instant_ = e.at == last_event_at_ ? same_instant_ + 1 : 0;
  last_event_at_ = e.at;
  SIM_ASSERT(same_instant_ < kSameInstantEventsMax, "livelock: too many events at one instant");
  last_raw_ = e;
  last_from_ = -1;
  last_message_ = -1;
  last_timer_ = 0;
  last_command_ = -1;
  dispatch(e);
  return true;
}

void World::run_until(sim::Time t) {
  SIM_ASSERT(started_, "start() the World before running it");
  while (sim_.has_pending() && sim_.next_time() <= t)
    step();
  sim_.advance_to(t);
}

void World::dispatch(const sim::Event& e) {
  switch (e.kind) {
    case sim::EventKind::deliver:
      deliver(e);
      break;
    case sim::EventKind::timer:
      fire_timer(e);
      break;
    case sim::EventKind::disconnect:
      on_disconnect_event(e);
      break;
    case sim::EventKind::resume:
      if (nodes_[e.target].status == NodeStatus::paused && nodes_[e.target].pause_gen == e.b) {
        resume(e.target);
      }
      break;
    case sim::EventKind::command: {
      const Command c = pending_commands_[e.a];
      auto resolved = resolve_refs(c);
      auto ok = resolved ? validate_state(*resolved) : sim::Err{resolved.error()};
      if (!ok) {
        sim_.trace(sim::kNoNode, sim::TraceKind::note,
                   "skipped \"" + describe(c) + "\": " + ok.error());
        break;
      }
      if (describe(c) != describe(*resolved)) {
        sim_.trace(resolved_node(*resolved), sim::TraceKind::note,
                   "\"" + describe(c) + "\" resolves to \"" + describe(*resolved) + "\"");
      }
      last_command_ = static_cast<int32_t>(command_log_.size());
      command_log_.push_back(StampedCommand{sim_.now(), c, true, sim_.events_executed()});
      execute(*resolved);
      break;
    }
    case sim::EventKind::noop:
      break;
  }
}

void World::deliver(const sim::Event& e) {
  Node& n = nodes_[e.target];
  if (n.status == NodeStatus::paused) {
    n.deferred.push_back(e);
    return;
  }
  const net::Envelope* env = net_.arrive(e.a, e.b);
  if (env == nullptr) return;  // the connection was reset in flight
  const net::Envelope copy = *env;
  last_from_ = static_cast<int32_t>(copy.src);
  last_message_ = static_cast<int16_t>(payloads_[e.a].index());
  last_sent_at_ = copy.sent_at;
  last_bytes_ = copy.bytes;
  last_kind_ = copy.kind;
  disconnect_reported_[static_cast<size_t>(copy.dst) * nodes_.size() + copy.src] = 0;
  Payload p = std::move(payloads_[e.a]);
  net_.release(e.a);
  with_node(e.target, [&](auto& impl, Ctx& ctx) { impl.on_message(ctx, copy, std::move(p)); });
}

void World::fire_timer(const sim::Event& e) {
  Node& n = nodes_[e.target];
  if (n.status == NodeStatus::paused) {
    n.deferred.push_back(e);
    return;
  }
  const sim::TimerTable::Slot* slot = sim_.timers().fire(e.a, static_cast<uint32_t>(e.b));
  if (slot == nullptr) return;  // cancelled
  const uint16_t kind = slot->kind;
  const uint64_t arg = slot->arg;
  last_timer_ = kind;
  with_node(e.target, [&](auto& impl, Ctx& ctx) { impl.on_timer(ctx, kind, arg); });
}

void World::on_disconnect_event(const sim::Event& e) {
  Node& n = nodes_[e.target];
  if (n.status == NodeStatus::paused) {
    n.deferred.push_back(e);
    return;
  }
  net_.notice_done(e.target, static_cast<net::NodeIndex>(e.a));
  const uint32_t incarnation = static_cast<uint32_t>(e.b);
  const auto why = static_cast<net::DisconnectReason>(e.b >> 32);
  if (n.status != NodeStatus::running || incarnation != net_.incarnation(e.target)) return;
  const int32_t peer = nodes_[e.a].id;
  // Trace a broken connection once until the peer is heard from again: a client retrying a
  // dead broker every 100 ms would otherwise fill the log with the same line.
  const size_t pair = static_cast<size_t>(e.target) * nodes_.size() + e.a;
  if (!disconnect_reported_[pair]) {
    disconnect_reported_[pair] = 1;
    std::string reason = n.name;
    reason += " lost its connection to ";
    reason += nodes_[e.a].name;
    reason += ": ";
    reason += net::disconnect_reason_text(why);
    sim_.trace(n.id, sim::TraceKind::disconnect, std::move(reason));
  }
  with_node(e.target, [&](auto& impl, Ctx& ctx) { impl.on_disconnect(ctx, peer); });
}

void World::resume(net::NodeIndex i) {
  Node& n = nodes_[i];
  n.status = NodeStatus::running;
  sim_.trace(n.id, sim::TraceKind::node_resume,
             n.name + " resumed; " + std::to_string(n.deferred.size()) +
                 " waiting timers and messages run now");
  std::vector<sim::Event> waiting = std::move(n.deferred);
  n.deferred.clear();
  for (const sim::Event& e : waiting)
    sim_.schedule_at(sim_.now(), e);  // original order kept
}

// [SECTION] commands -----------------------------------------------------------------------------

sim::Result<sim::Ok, std::string> World::validate_static(const Command& c) const {
  auto known = [&](const NodeRef& n) -> sim::Result<sim::Ok, std::string> {
    if (!n.role.empty()) {
      if (n.role == "controller" || n.role.rfind("leader:", 0) == 0 ||
          n.role.rfind("coordinator:", 0) == 0)
        return sim::Ok{};
      return sim::Err{"unknown role \"" + n.role +
                      "\" (use a node id, \"controller\", \"leader:TOPIC-N\" or "
                      "\"coordinator:GROUP\")"};
    }
    if (index_of(n.id) < 0) return sim::Err{"there is no node " + std::to_string(n.id)};
    return sim::Ok{};
  };
  return std::visit(
      overloaded{
          [&](const Crash& x) { return known(x.node); },
          [&](const PowerLoss& x) { return known(x.node); },
          [&](const Restart& x) { return known(x.node); },
          [&](const Isolate& x) { return known(x.node); },
          [&](const Partition& x) -> sim::Result<sim::Ok, std::string> {
            if (x.groups.empty())
              return sim::Err{std::string("partition needs at least one group")};
            std::vector<int32_t> seen;
            for (const auto& g : x.groups) {
              if (g.empty()) return sim::Err{std::string("partition: a group without nodes")};
              for (int32_t id : g) {
                if (auto ok = known(id); !ok) return ok;
                if (std::find(seen.begin(), seen.end(), id) != seen.end()) {
                  return sim::Err{"node " + std::to_string(id) + " is in two groups"};
                }
                seen.push_back(id);
              }
            }
            return sim::Ok{};
          },
          [&](const Heal&) -> sim::Result<sim::Ok, std::string> { return sim::Ok{}; },
          [&](const SetLink& x) -> sim::Result<sim::Ok, std::string> {
            if (auto ok = known(x.a); !ok) return ok;
            if (auto ok = known(x.b); !ok) return ok;
            if (x.a == x.b) return sim::Err{std::string("a link joins two different nodes")};
            auto bad = [](const std::optional<sim::Time>& t) {
              return t && (*t < sim::Time::zero() || *t > kDurationMax);
            };
            if (bad(x.latency) || bad(x.jitter))
              return sim::Err{"latency and jitter are 0 to " + sim::to_string(kDurationMax)};
            if (x.loss && (*x.loss < 0.0 || *x.loss > 1.0))
              return sim::Err{std::string("loss is a probability in [0, 1]")};
            return sim::Ok{};
          },
          [&](const Pause& x) -> sim::Result<sim::Ok, std::string> {
            if (auto ok = known(x.node); !ok) return ok;
            if (x.duration <= sim::Time::zero() || x.duration > kDurationMax)
              return sim::Err{"a pause lasts more than 0 and at most " +
                              sim::to_string(kDurationMax)};
            return sim::Ok{};
          },
          [&](const Shutdown& x) { return known(x.node); },
          [&](const ElectPreferred&) -> sim::Result<sim::Ok, std::string> { return sim::Ok{}; },
          [&](const Flush& x) { return known(x.node); },
          [&](const Narrate&) -> sim::Result<sim::Ok, std::string> { return sim::Ok{}; },
          [&](const AddPartitions& x) -> sim::Result<sim::Ok, std::string> {
            if (x.topic.empty()) return sim::Err{std::string("add_partitions needs a topic")};
            if (x.count < 1 || x.count > kPartitionsMax) {
              return sim::Err{"add_partitions " + x.topic + ": the partition count is 1.." +
                              std::to_string(kPartitionsMax) + ", not " + std::to_string(x.count)};
            }
            return sim::Ok{};
          },
          [&](const Reassign& x) { return check_reassign(x); },
          [&](const SetConfig& x) { return check_set_config(x); },
      },
      c);
}

sim::Result<sim::Ok, std::string> World::check_reassign(const Reassign& x) const {
  using Err = sim::Err<std::string>;
  if (!split_partition_name(x.partition)) {
    return Err{"reassign: \"" + x.partition + "\" is not a partition (TOPIC-N, e.g. orders-0)"};
  }
  const std::string what = "reassign " + x.partition + ": ";
  if (x.replicas.empty()) {
    return Err{what + "the replica list is empty (INVALID_REPLICA_ASSIGNMENT)"};
  }
  for (size_t i = 0; i < x.replicas.size(); ++i) {
    const int32_t b = x.replicas[i];
    const int n = index_of(b);
    if (n < 0 || (nodes_[n].role != "broker" && nodes_[n].role != "combined")) {
      return Err{
          what +
          (n < 0 ? "there is no node " + std::to_string(b) : name_of(b) + " is not a broker") +
          " (INVALID_REPLICA_ASSIGNMENT: replicas must be brokers)"};
    }
    if (std::find(x.replicas.begin(), x.replicas.begin() + static_cast<long>(i), b) !=
        x.replicas.begin() + static_cast<long>(i)) {
      return Err{what + "broker " + std::to_string(b) +
                 " is listed more than once (INVALID_REPLICA_ASSIGNMENT)"};
    }
  }
  return sim::Ok{};
}

sim::Result<sim::Ok, std::string> World::check_set_config(const SetConfig& x) const {
  using Err = sim::Err<std::string>;
  if (x.key.empty()) return Err{std::string("set_config needs a key (a Kafka setting name)")};
  if (x.node && !x.topic.empty()) {
    return Err{"set_config " + x.key +
               ": give a topic or a node, not both (a setting belongs to one entity)"};
  }
  if (x.node) {
    if (!x.node->role.empty()) {
      if (x.node->role != "controller" && x.node->role.rfind("leader:", 0) != 0 &&
          x.node->role.rfind("coordinator:", 0) != 0) {
        return Err{"unknown role \"" + x.node->role +
                   "\" (use a node id, \"controller\", \"leader:TOPIC-N\" or "
                   "\"coordinator:GROUP\")"};
      }
    } else if (auto ok = config_node(x.node->id); !ok) {
      return ok;
    }
  }
  const auto type =
      x.topic.empty() ? kafka::ConfigResourceType::broker : kafka::ConfigResourceType::topic;
  if (auto ok = kafka::check_dynamic_config(type, x.key, x.value); !ok) {
    return Err{"set_config " + x.key + ": " + ok.error()};
  }
  return sim::Ok{};
}

sim::Result<sim::Ok, std::string> World::config_node(int32_t id) const {
  const int n = index_of(id);
  if (n < 0) return sim::Err{"there is no node " + std::to_string(id)};
  const NodeImpl& impl = nodes_[n].impl;
  if (std::holds_alternative<kafka::KafkaNode>(impl) ||
      std::holds_alternative<kafka::zkmode::ZkBroker>(impl)) {
    return sim::Ok{};
  }
  return sim::Err{"set_config: " + name_of(id) +
                  " is not a Kafka node; broker settings belong to brokers (and KRaft "
                  "controllers)"};
}

sim::Result<sim::Ok, std::string> World::validate_state(const Command& c) const {
  if (auto ok = validate_static(c); !ok) return ok;
  auto status = [&](int32_t id) { return nodes_[index_of(id)].status; };
  auto alive = [&](int32_t id, const char* verb) -> sim::Result<sim::Ok, std::string> {
    const NodeStatus s = status(id);
    if (s == NodeStatus::crashed || s == NodeStatus::powered_off || s == NodeStatus::stopped) {
      return sim::Err{std::string("cannot ") + verb + " " + name_of(id) + ": it is " +
                      node_status_name(s)};
    }
    return sim::Ok{};
  };
  return std::visit(
      overloaded{
          [&](const Crash& x) { return alive(x.node.id, "crash"); },
          [&](const PowerLoss& x) { return alive(x.node.id, "power off"); },
          [&](const Restart& x) -> sim::Result<sim::Ok, std::string> {
            const NodeStatus s = status(x.node.id);
            if (s == NodeStatus::running || s == NodeStatus::paused) {
              return sim::Err{"cannot restart " + name_of(x.node.id) + ": it is " +
                              node_status_name(s) + " (crash or power it off first)"};
            }
            return sim::Ok{};
          },
          [&](const Shutdown& x) -> sim::Result<sim::Ok, std::string> {
            const NodeStatus s = status(x.node.id);
            if (s != NodeStatus::running) {
              return sim::Err{"cannot shut down " + name_of(x.node.id) + ": it is " +
                              node_status_name(s)};
            }
            return sim::Ok{};
          },
          [&](const Pause& x) -> sim::Result<sim::Ok, std::string> {
            const NodeStatus s = status(x.node.id);
            if (s != NodeStatus::running) {
              return sim::Err{"cannot pause " + name_of(x.node.id) + ": it is " +
                              node_status_name(s)};
            }
            return sim::Ok{};
          },
          [&](const AddPartitions& x) -> sim::Result<sim::Ok, std::string> {
            const kafka::MetadataImage* img = cluster_image(*this);
            if (img == nullptr || img->topic(x.topic) == nullptr) {
              return sim::Err{"add_partitions: there is no topic " + x.topic +
                              " (UNKNOWN_TOPIC_OR_PARTITION)"};
            }
            return sim::Ok{};
          },
          [&](const Reassign& x) -> sim::Result<sim::Ok, std::string> {
            if (!find_partition(cluster_image(*this), x.partition)) {
              return sim::Err{"reassign: there is no partition " + x.partition +
                              " (UNKNOWN_TOPIC_OR_PARTITION)"};
            }
            return sim::Ok{};
          },
          [&](const SetConfig& x) -> sim::Result<sim::Ok, std::string> {
            const kafka::MetadataImage* img = cluster_image(*this);
            if (!x.topic.empty() && (img == nullptr || img->topic(x.topic) == nullptr)) {
              return sim::Err{"set_config: there is no topic " + x.topic +
                              " (UNKNOWN_TOPIC_OR_PARTITION)"};
            }
            if (x.node && x.node->role.empty()) return config_node(x.node->id);
            return sim::Ok{};
          },
          [&](const auto&) -> sim::Result<sim::Ok, std::string> { return sim::Ok{}; },
      },
      c);
}

sim::Result<sim::Ok, std::string> World::apply(const Command& c) {
  SIM_ASSERT(started_, "start() the World before sending it commands");
  auto resolved = resolve_refs(c);
  if (!resolved) return sim::Err{resolved.error()};
  if (auto ok = validate_state(*resolved); !ok) return ok;
  command_log_.push_back(StampedCommand{sim_.now(), c, false, sim_.events_executed()});
  execute(*resolved);
  return sim::Ok{};
}

int32_t World::resolved_node(const Command& c) {
  int32_t id = sim::kNoNode;
  std::visit(
      [&](const auto& x) {
        if constexpr (requires { x.node.id; }) {
          id = x.node.id;
        } else if constexpr (requires { x.node->id; }) {
          if (x.node) id = x.node->id;
        }
      },
      c);
  return id;
}

sim::Result<Command, std::string> World::resolve_refs(const Command& c) const {
  if (auto ok = validate_static(c); !ok) return sim::Err{ok.error()};
  Command out = c;
  std::string error;
  auto resolve = [&](NodeRef& node) {
    if (node.role.empty()) return;
    int32_t id = -1;
    if (node.role == "controller") {
      id = active_controller(*this);
      if (id < 0) error = "there is no active controller right now";
    } else if (node.role.rfind("coordinator:", 0) == 0) {
      const std::string group = node.role.substr(12);
      id = find_group(*this, group).coordinator;
      if (id < 0) error = "group " + group + " has no coordinator right now";
    } else {
      const std::string partition = node.role.substr(7);
      const kafka::MetadataImage* img = cluster_image(*this);
      if (!find_partition(img, partition)) {
        error = "there is no partition " + partition;
      } else {
        id = partition_leader(*this, partition);
        if (id < 0) error = partition + " has no leader right now";
      }
    }
    if (id >= 0) node = NodeRef(id);
  };
  std::visit(
      [&](auto& x) {
        if constexpr (requires { x.node.role; }) {
          resolve(x.node);
        } else if constexpr (requires { x.node->role; }) {
          if (x.node) resolve(*x.node);
        }
      },
      out);
  if (!error.empty()) return sim::Err{std::move(error)};
  return out;
}

sim::Result<sim::Ok, std::string> World::schedule(sim::Time at, Command c) {
  if (at < sim_.now()) {
    return sim::Err{"cannot schedule at " + sim::to_string(at) + ": simulated time is already " +
                    sim::to_string(sim_.now())};
  }
  if (auto ok = validate_static(c); !ok) return ok;
  sim::Event e;
  e.kind = sim::EventKind::command;
  e.a = static_cast<uint32_t>(pending_commands_.size());
  pending_commands_.push_back(std::move(c));
  sim_.schedule_at(at, e, sim::Priority::command);
  return sim::Ok{};
}

void World::execute(const Command& c) {
  auto idx = [&](int32_t id) { return static_cast<net::NodeIndex>(index_of(id)); };
  std::visit(
      overloaded{
          [&](const Crash& x) { crash(idx(x.node.id), false); },
          [&](const PowerLoss& x) { crash(idx(x.node.id), true); },
          [&](const Restart& x) { restart(idx(x.node.id)); },
          [&](const Isolate& x) {
            net_.isolate(sim_, idx(x.node.id));
            sim_.trace(x.node.id, sim::TraceKind::link_cut,
                       name_of(x.node.id) + " isolated: every link cut, both ways");
          },
          [&](const Partition& x) {
            std::vector<int> group_of(nodes_.size(), static_cast<int>(x.groups.size()));
            std::string text = "network partitioned: ";
            for (size_t g = 0; g < x.groups.size(); ++g) {
              for (int32_t id : x.groups[g])
                group_of[idx(id)] = static_cast<int>(g);
              text += (g ? " | " : "") + id_list(x.groups[g]);
            }
            std::vector<int32_t> rest;
            for (size_t i = 0; i < nodes_.size(); ++i) {
              if (group_of[i] == static_cast<int>(x.groups.size())) rest.push_back(nodes_[i].id);
            }
            if (!rest.empty()) text += " | " + id_list(rest);
            net_.partition(sim_, group_of);
            sim_.trace(sim::kNoNode, sim::TraceKind::link_cut, text);
          },
          [&](const Heal&) {
            net_.heal();
            sim_.trace(sim::kNoNode, sim::TraceKind::link_restore,
                       "network healed: every cut link is back");
          },
          [&](const SetLink& x) {
            net::LinkParams p = net_.link(idx(x.a), idx(x.b));
            if (x.latency) p.latency = *x.latency;
            if (x.jitter) p.jitter = *x.jitter;
            if (x.loss) p.loss = *x.loss;
            if (x.down) p.down = *x.down;
            net_.set_link(sim_, idx(x.a), idx(x.b), p);
            sim_.trace(sim::kNoNode, sim::TraceKind::link_change, describe(x));
          },
          [&](const Pause& x) {
            Node& n = nodes_[idx(x.node.id)];
            n.status = NodeStatus::paused;
            ++n.pause_gen;
            sim::Event e;
            e.kind = sim::EventKind::resume;
            e.target = idx(x.node.id);
            e.b = n.pause_gen;
            sim_.schedule_after(x.duration, e, sim::Priority::system);
            sim_.trace(n.id, sim::TraceKind::node_pause,
                       n.name + " paused for " + sim::to_string(x.duration) +
                           " (like a long GC pause): its timers and messages wait");
          },
          [&](const Shutdown& x) {
            sim_.trace(x.node.id, sim::TraceKind::note,
                       name_of(x.node.id) + " is asked to shut down (SIGTERM)");
            with_node(idx(x.node.id), [](auto& impl, Ctx& ctx) {
              if constexpr (requires { impl.on_shutdown(ctx); }) {
                impl.on_shutdown(ctx);
              } else {
                ctx.stop_self("shut down");
              }
            });
          },
          [&](const ElectPreferred& x) { elect_preferred(x.partition); },
          [&](const Flush& x) {
            with_node(idx(x.node.id), [&](auto& impl, Ctx& ctx) {
              if constexpr (requires { impl.flush(ctx); }) impl.flush(ctx);
            });
            sim_.trace(x.node.id, sim::TraceKind::note,
                       name_of(x.node.id) + " flushed its logs to disk (fsync)");
          },
          [&](const Narrate& x) { sim_.trace(sim::kNoNode, sim::TraceKind::narration, x.text); },
          [&](const AddPartitions& x) {
            admin(describe(x), kafka::CreatePartitionsRequest{x.topic, x.count});
          },
          [&](const Reassign& x) {
            // ZooKeeper mode: every controller from now on watches /admin/reassign_partitions.
            for (Node& n : nodes_) {
              if (auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl))
                z->want_reassignment_watch();
            }
            const auto tp = split_partition_name(x.partition);
            admin(describe(x),
                  kafka::AlterPartitionReassignmentsRequest{tp->first, tp->second, x.replicas});
          },
          [&](const SetConfig& x) {
            kafka::IncrementalAlterConfigsRequest r;
            r.resource.type = x.topic.empty() ? kafka::ConfigResourceType::broker
                                              : kafka::ConfigResourceType::topic;
            r.resource.name = !x.topic.empty() ? x.topic
                              : x.node         ? std::to_string(x.node->id)
                                               : std::string();
            r.name = x.key;
            r.value = x.value;
            start_config_listeners();
            admin(describe(x), r);
          },
      },
      c);
}

void World::start_config_listeners() {
  // ZooKeeper mode: brokers watch /config/changes from the first set_config on (see ZkBroker).
  for (net::NodeIndex i = 0; i < nodes_.size(); ++i) {
    auto* z = std::get_if<kafka::zkmode::ZkBroker>(&nodes_[i].impl);
    if (z == nullptr) continue;
    z->want_config_listener();
    if (nodes_[i].status != NodeStatus::running) continue;  // it starts when it next runs
    with_node(i, [](auto& impl, Ctx& ctx) {
      if constexpr (requires { impl.start_config_listener(ctx); }) impl.start_config_listener(ctx);
    });
  }
}

template <typename Request>
void World::admin(const std::string& what, const Request& r) {
  const int32_t active = active_controller(*this);
  if (active < 0) {
    sim_.trace(sim::kNoNode, sim::TraceKind::admin_error,
               what + ": there is no active controller to take the request (it would time out)");
    return;
  }
  with_node(static_cast<net::NodeIndex>(index_of(active)), [&](auto& impl, Ctx& ctx) {
    if constexpr (requires { impl.admin(ctx, r); }) impl.admin(ctx, r);
  });
}

void World::elect_preferred(const std::string& partition) {
  const int32_t active = active_controller(*this);
  if (active < 0) {
    sim_.trace(sim::kNoNode, sim::TraceKind::note,
               "elect_preferred: there is no active controller");
    return;
  }
  const auto i = static_cast<net::NodeIndex>(index_of(active));
  std::optional<kafka::TopicPartition> tp;
  if (!partition.empty()) {
    tp = find_partition(cluster_image(*this), partition);
    if (!tp) {
      sim_.trace(sim::kNoNode, sim::TraceKind::note, "elect_preferred: no partition " + partition);
      return;
    }
  }
  int moved = 0;
  with_node(i, [&](auto& impl, Ctx& ctx) {
    if constexpr (requires { impl.elect_preferred(ctx, tp); }) {
      moved = impl.elect_preferred(ctx, tp);
    } else if constexpr (requires { impl.elect_preferred(ctx, partition); }) {
      moved = impl.elect_preferred(ctx, partition);
    }
  });
  std::string what = partition.empty() ? std::string("all partitions") : partition;
  sim_.trace(active, sim::TraceKind::note,
             "preferred leader election (" + what + "): " + std::to_string(moved) +
                 " partition(s) moved to their preferred replica");
}

std::optional<std::pair<std::string, int32_t>> split_partition_name(const std::string& name) {
  const size_t dash = name.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= name.size()) return std::nullopt;
  int32_t p = 0;
  for (char c : name.substr(dash + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    p = p * 10 + (c - '0');
    if (p > 1000000) return std::nullopt;
  }
  return std::make_pair(name.substr(0, dash), p);
}

std::optional<kafka::TopicPartition> find_partition(const kafka::MetadataImage* image,
                                                    const std::string& name) {
  const auto parts = split_partition_name(name);
  if (image == nullptr || !parts) return std::nullopt;
  const kafka::TopicImage* t = image->topic(parts->first);
  if (t == nullptr) return std::nullopt;
  if (static_cast<size_t>(parts->second) >= t->partitions.size()) return std::nullopt;
  return kafka::TopicPartition{t->id, parts->second};
}

void World::crash(net::NodeIndex i, bool power_loss) {
  Node& n = nodes_[i];
  n.status = power_loss ? NodeStatus::powered_off : NodeStatus::crashed;
  n.deferred.clear();
  sim_.timers().cancel_all_of(i);
  net_.node_down(sim_, i, !power_loss);
  crash_impl(n, power_loss);
  if (power_loss) {
    sim_.trace(n.id, sim::TraceKind::node_power_loss,
               n.name +
                   " lost power: memory and unflushed writes are gone; peers notice only "
                   "by timeout");
  } else {
    sim_.trace(n.id, sim::TraceKind::node_crash,
               n.name + " crashed (kill -9): in-memory state lost, what it wrote survives");
  }
}

void World::crash_impl(Node& n, bool power_loss) {
  // Node programs that keep a disk (logs) need the time to know what was flushed.
  std::visit(
      [&](auto& impl) {
        if constexpr (requires { impl.on_crash(power_loss, sim_.now()); }) {
          impl.on_crash(power_loss, sim_.now());
        } else {
          impl.on_crash(power_loss);
        }
      },
      n.impl);
}

void World::stop(net::NodeIndex i) {
  Node& n = nodes_[i];
  const std::string reason = std::move(n.stop_reason);
  n.stop_reason.clear();
  n.status = NodeStatus::stopped;
  n.deferred.clear();
  sim_.timers().cancel_all_of(i);
  net_.node_down(sim_, i, true);
  crash_impl(n, false);
  sim_.trace(n.id, sim::TraceKind::node_crash, n.name + " stopped: " + reason);
}

void World::restart(net::NodeIndex i) {
  Node& n = nodes_[i];
  n.status = NodeStatus::running;
  net_.node_up(i);
  sim_.trace(n.id, sim::TraceKind::node_restart, n.name + " restarted and recovers from its log");
  with_node(i, [](auto& impl, Ctx& ctx) { impl.on_start(ctx); });
}

// [SECTION] Ctx ----------------------------------------------------------------------------------

int32_t Ctx::self_id() const {
  return world_.nodes_[self_].id;
}

void Ctx::send(int32_t dst_id, net::MessageKind kind, Payload payload, uint32_t bytes) {
  const int dst = world_.index_of(dst_id);
  SIM_ASSERT(dst >= 0, "send to an unknown node id");
  const auto slot =
      world_.net_.send(world_.sim_, self_, static_cast<net::NodeIndex>(dst), kind, bytes);
  if (!slot) return;
  if (*slot >= world_.payloads_.size()) world_.payloads_.resize(*slot + 1);
  world_.payloads_[*slot] = std::move(payload);
}

sim::TimerId Ctx::set_timer(sim::Time after, uint16_t kind, uint64_t arg) {
  return world_.sim_.set_timer(after, self_, kind, arg);
}

void Ctx::cancel(sim::TimerId& id) {
  world_.sim_.cancel_timer(id);
}
sim::Rng& Ctx::rng() {
  return world_.nodes_[self_].rng;
}

void Ctx::trace(sim::TraceKind kind, std::string reason) {
  world_.sim_.trace(world_.nodes_[self_].id, kind, std::move(reason));
}

const std::string& Ctx::name_of(int32_t id) const {
  return world_.name_of(id);
}

void Ctx::stop_self(std::string reason) {
  world_.nodes_[self_].stop_reason = std::move(reason);
}

}  // namespace kafkasim::world
