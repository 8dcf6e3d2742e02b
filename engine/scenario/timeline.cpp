// [[at]]: the timeline of faults, operator actions and narration.
//
// Steps are read in time order (stable: equal times keep file order), so each is checked
// against what the steps before it did: a node's state (up, down, paused) and each topic's
// partition count (add_partitions). Node states are only tracked for steps that name a node
// by id; a role ("controller", "leader:orders-0") is resolved when the step runs.
#include <algorithm>
#include <map>
#include <type_traits>
#include <variant>

#include "kafka/metadata/dynamic_config.h"
#include "scenario/kafka_settings.h"
#include "scenario/load_context.h"

namespace kafkasim::scenario::detail {

namespace {

/// The action names of the format, plus shutdown (a clean SIGTERM stop, which the World has).
constexpr std::string_view kActions[] = {
    "crash", "power_loss",     "restart",  "isolate",         "partition",  "heal",  "link",
    "pause", "add_partitions", "reassign", "elect_preferred", "set_config", "flush", "shutdown",
};

/// The keys each action takes beyond time, action, narrate and pause.
std::vector<std::string_view> action_keys(std::string_view action) {
  if (action == "partition") return {"groups"};
  if (action == "heal") return {};
  if (action == "link") return {"between", "latency", "jitter", "loss", "down"};
  if (action == "pause") return {"node", "for"};
  if (action == "add_partitions") return {"topic", "count"};
  if (action == "reassign") return {"partition", "replicas"};
  if (action == "elect_preferred") return {"partition"};
  if (action == "set_config") return {"node", "topic", "key", "value"};
  return {"node"};  // crash, power_loss, restart, isolate, flush, shutdown
}

/// A node's state along the timeline, as far as steps that name it by id tell.
struct NodeState {
  bool down = false;
  sim::Time since;         // when it went down
  int32_t line = 0;        // the step that took it down, or paused it
  std::string how;         // "crash", "power_loss", "shutdown"
  sim::Time paused_until;  // running but frozen before this time
  bool known = true;       // false after a step named a role: it may have been this node
};

struct Timeline {
  LoadContext& c;
  std::map<int32_t, NodeState> states;
  /// A step that names a role changed some node's state: which one is known only when it
  /// runs, so nodes not named by id since are not judged.
  bool roles_moved = false;
};

struct StepReader {
  Timeline& tl;
  TableReader& tr;
  Step& step;
  bool track_state;  // the step's time is known: node states can be followed

  LoadContext& c() { return tl.c; }
  std::optional<world::NodeRef> node(bool required);
  bool check_state(const world::NodeRef& ref, std::string_view action);
  std::optional<world::Command> partition_groups();
  std::optional<world::Command> link();
  std::optional<world::SetConfig> set_config();
  std::optional<world::AddPartitions> add_partitions();
  std::optional<world::Reassign> reassign();
  std::optional<Action> action(std::string_view name);
};

std::optional<world::NodeRef> StepReader::node(bool required) {
  if (!tr.has("node")) {
    if (required)
      tr.require("node",
                 "the node it acts on: an id, \"controller\", \"leader:TOPIC-N\", "
                 "\"coordinator:GROUP\" or a client id");
    return std::nullopt;
  }
  return c().node_ref(*tr.get("node"), tr.at("node"), step.time);
}

/// Whether `action` suits the node's state at this step; updates the state when it does.
bool StepReader::check_state(const world::NodeRef& ref, std::string_view action) {
  if (!track_state) return true;
  if (!ref.role.empty()) {
    if (action == "restart" || action == "crash" || action == "power_loss" ||
        action == "shutdown" || action == "pause") {
      tl.roles_moved = true;
      for (auto& [id, st] : tl.states)
        st.known = false;
    }
    return true;
  }
  auto [it, fresh] = tl.states.try_emplace(ref.id);
  NodeState& s = it->second;
  if (fresh && tl.roles_moved) s.known = false;
  if (!s.known) {
    // Whatever the role did, this step says what the node is from now on.
    s = NodeState{};
    if (action == "crash" || action == "power_loss" || action == "shutdown") {
      s.down = true;
      s.since = step.time;
      s.line = step.pos.line;
      s.how = std::string(action);
    }
    return true;
  }
  const std::string at = sim::to_string(step.time);
  const std::string who = "node " + std::to_string(ref.id);
  const bool paused = !s.down && step.time < s.paused_until;
  std::string found;
  if (s.down) {
    found = who + ", down since " + sim::to_string(s.since) + " (" + s.how + " at line " +
            std::to_string(s.line) + ")";
  } else if (paused) {
    found = who + ", paused until " + sim::to_string(s.paused_until) + " (pause at line " +
            std::to_string(s.line) + ")";
  } else {
    found = who + ", running at " + at;
  }
  std::string expected;
  if (action == "restart") {
    if (!s.down) expected = "a node that is down at " + at + " (crashed, powered off or shut down)";
  } else if (action == "crash" || action == "power_loss") {
    if (s.down) expected = "a node that is up at " + at;
  } else if (action == "shutdown" || action == "pause") {
    if (s.down || paused) expected = "a running node at " + at + " (not down or paused)";
  }
  if (!expected.empty()) {
    c().r.error(pos_of(*tr.get("node")), tr.at("node"), expected, found);
    return false;
  }
  if (action == "restart") {
    s.down = false;
    s.paused_until = sim::Time::zero();
  } else if (action == "crash" || action == "power_loss" || action == "shutdown") {
    s.down = true;
    s.since = step.time;
    s.line = step.pos.line;
    s.how = std::string(action);
  }
  return true;
}

std::optional<world::Command> StepReader::partition_groups() {
  if (!tr.require("groups", "groups of node ids, such as [[101], [102, 103]]")) return std::nullopt;
  const toml::node& n = *tr.get("groups");
  const toml::array* a = n.as_array();
  const Path p = tr.at("groups");
  if (a == nullptr || a->empty()) {
    c().r.error_at(n, p, "groups of node ids, such as [[101], [102, 103]]");
    return std::nullopt;
  }
  world::Partition cmd;
  std::vector<int32_t> seen;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::array* g = (*a)[i].as_array();
    if (g == nullptr || g->empty()) {
      c().r.error_at((*a)[i], p.index(i), "a non-empty group of node ids, such as [101]");
      ok = false;
      continue;
    }
    std::vector<int32_t> group;
    for (size_t j = 0; j < g->size(); ++j) {
      auto id = c().node_id((*g)[j], p.index(i).index(j), false);
      if (!id) {
        ok = false;
      } else if (std::find(seen.begin(), seen.end(), *id) != seen.end()) {
        c().r.error_at((*g)[j], p.index(i).index(j), "each node in one group only");
        ok = false;
      } else {
        seen.push_back(*id);
        group.push_back(*id);
      }
    }
    cmd.groups.push_back(group);
  }
  if (!ok) return std::nullopt;
  return world::Command(cmd);
}

std::optional<world::Command> StepReader::link() {
  auto link = c().link(tr);
  if (!link) return std::nullopt;
  return world::Command(*link);
}

std::optional<world::SetConfig> StepReader::set_config() {
  world::SetConfig cmd;
  bool ok = true;
  if (tr.has("node") && tr.has("topic")) {
    c().r.error_at(*tr.get("topic"), tr.at("topic"),
                   "either node (a broker's setting) or topic (a topic's setting), not both");
    return std::nullopt;
  }
  if (tr.has("node")) {
    cmd.node = node(false);
    ok = cmd.node.has_value();
  }
  if (tr.has("topic")) {
    auto topic = c().topic(*tr.get("topic"), tr.at("topic"));
    ok = topic.has_value() && ok;
    cmd.topic = topic.value_or("");
  }
  const bool on_topic = tr.has("topic");
  const bool has_key =
      tr.require("key", on_topic ? "a topic setting, such as \"min.insync.replicas\""
                                 : "a dynamic broker setting, such as \"log.retention.ms\"");
  const bool has_value = tr.require("value", "the setting's new value");
  if (!has_key || !has_value) return std::nullopt;
  auto key = tr.string("key", true);
  auto value = read_setting_value(c().r, *tr.get("value"), tr.at("value"));
  if (!key || !value) return std::nullopt;
  // Kafka's types: lists (cleanup.policy) travel as comma-separated text.
  kafka::KafkaConfig::Value v = std::visit(
      [](const auto& x) -> kafka::KafkaConfig::Value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string joined;
          for (const std::string& item : x)
            joined += (joined.empty() ? "" : ",") + item;
          return joined;
        } else {
          return x;
        }
      },
      *value);
  const auto type = on_topic ? kafka::ConfigResourceType::topic : kafka::ConfigResourceType::broker;
  if (auto checked = kafka::check_dynamic_config(type, *key, v); !checked) {
    const auto& names =
        on_topic ? kafka::dynamic_topic_config_names() : kafka::dynamic_broker_config_names();
    const bool known = std::find(names.begin(), names.end(), *key) != names.end();
    const std::string near = known ? "" : nearest_name(*key, names);
    const std::string what = on_topic ? "a topic setting kafka-configs can change"
                                      : "a broker setting kafka-configs can change";
    c().r.error_at(known ? *tr.get("value") : *tr.get("key"), known ? tr.at("value") : tr.at("key"),
                   what + " (" + checked.error() + ")",
                   near.empty() ? "" : "did you mean \"" + near + "\"?");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  cmd.key = *key;
  cmd.value = v;
  return cmd;
}

std::optional<world::AddPartitions> StepReader::add_partitions() {
  const bool has_topic = tr.require("topic", "the topic that grows");
  const bool has_count = tr.require("count", "the new partition count");
  if (!has_topic || !has_count) return std::nullopt;
  auto topic = c().topic(*tr.get("topic"), tr.at("topic"));
  auto count = tr.integer("count", 1, kPartitionsPerTopicMax);
  if (!topic || !count) return std::nullopt;
  const int32_t now = c().partitions_at(*topic, step.time);
  if (now >= 0 && *count <= now) {
    c().r.error_at(*tr.get("count"), tr.at("count"),
                   "more than the " + std::to_string(now) + " partitions " + *topic + " has at " +
                       sim::to_string(step.time) +
                       " (partitions can only be added; "
                       "INVALID_PARTITIONS)");
    return std::nullopt;
  }
  c().growth.push_back(Growth{step.time, *topic, static_cast<int32_t>(*count)});
  return world::AddPartitions{*topic, static_cast<int32_t>(*count)};
}

std::optional<world::Reassign> StepReader::reassign() {
  const bool has_partition = tr.require("partition", "the partition to move, such as \"orders-0\"");
  const bool has_replicas = tr.require("replicas", "the new replicas, such as [102, 103]");
  if (!has_partition || !has_replicas) return std::nullopt;
  auto partition = c().partition(*tr.get("partition"), tr.at("partition"), step.time);
  const toml::node& n = *tr.get("replicas");
  const toml::array* a = n.as_array();
  if (a == nullptr || a->empty()) {
    c().r.error_at(n, tr.at("replicas"), "a non-empty list of broker ids, such as [102, 103]");
    return std::nullopt;
  }
  world::Reassign cmd;
  bool ok = partition.has_value();
  for (size_t i = 0; i < a->size(); ++i) {
    auto id = c().node_id((*a)[i], tr.at("replicas").index(i), true);
    if (!id) {
      ok = false;
    } else if (std::find(cmd.replicas.begin(), cmd.replicas.end(), *id) != cmd.replicas.end()) {
      c().r.error_at((*a)[i], tr.at("replicas").index(i),
                     "distinct brokers (INVALID_REPLICA_ASSIGNMENT)");
      ok = false;
    } else {
      cmd.replicas.push_back(*id);
    }
  }
  if (!ok) return std::nullopt;
  cmd.partition = *partition;
  return cmd;
}

std::optional<Action> StepReader::action(std::string_view name) {
  auto with_node = [&](auto make) -> std::optional<Action> {
    auto ref = node(true);
    if (!ref || !check_state(*ref, name)) return std::nullopt;
    return Action(world::Command(make(*ref)));
  };
  if (name == "crash") return with_node([](world::NodeRef r) { return world::Crash{r}; });
  if (name == "power_loss") return with_node([](world::NodeRef r) { return world::PowerLoss{r}; });
  if (name == "restart") return with_node([](world::NodeRef r) { return world::Restart{r}; });
  if (name == "isolate") return with_node([](world::NodeRef r) { return world::Isolate{r}; });
  if (name == "flush") return with_node([](world::NodeRef r) { return world::Flush{r}; });
  if (name == "shutdown") return with_node([](world::NodeRef r) { return world::Shutdown{r}; });
  if (name == "pause") {
    auto ref = node(true);
    const bool has_for = tr.require("for", "how long the node freezes, such as \"5s\"");
    auto length = tr.duration("for");
    if (length && *length <= sim::Time::zero()) {
      c().r.error_at(*tr.get("for"), tr.at("for"), "a duration above zero");
      length.reset();
    }
    if (!ref || !has_for || !length || !check_state(*ref, name)) return std::nullopt;
    if (ref->role.empty() && track_state) {
      NodeState& s = tl.states[ref->id];
      s.paused_until = step.time + *length;
      s.line = step.pos.line;
    }
    return Action(world::Command(world::Pause{*ref, *length}));
  }
  if (name == "heal") return Action(world::Command(world::Heal{}));
  if (name == "partition") {
    auto cmd = partition_groups();
    return cmd ? std::optional<Action>(*cmd) : std::nullopt;
  }
  if (name == "link") {
    auto cmd = link();
    return cmd ? std::optional<Action>(*cmd) : std::nullopt;
  }
  if (name == "elect_preferred") {
    world::ElectPreferred cmd;
    if (tr.has("partition")) {
      auto partition = c().partition(*tr.get("partition"), tr.at("partition"), step.time);
      if (!partition) return std::nullopt;
      cmd.partition = *partition;
    }
    return Action(world::Command(cmd));
  }
  if (name == "add_partitions") {
    auto cmd = add_partitions();
    return cmd ? std::optional<Action>(world::Command(*cmd)) : std::nullopt;
  }
  if (name == "reassign") {
    auto cmd = reassign();
    return cmd ? std::optional<Action>(world::Command(*cmd)) : std::nullopt;
  }
  auto cmd = set_config();  // the last of kActions
  return cmd ? std::optional<Action>(world::Command(*cmd)) : std::nullopt;
}

/// Reports keys of [[at]] #n that `action` does not take (all but the base keys when none).
bool check_step_keys(LoadContext& c, const toml::table& t, const Path& p,
                     const std::optional<std::string>& action) {
  static constexpr std::string_view kBase[] = {"time", "action", "narrate", "pause", "speed"};
  const std::vector<std::string_view> keys =
      action ? action_keys(*action) : std::vector<std::string_view>{};
  std::string list;
  for (std::string_view k : keys)
    list += (list.empty() ? "" : ", ") + std::string(k);
  bool ok = true;
  for (auto&& [k, v] : t) {
    (void)v;
    const std::string key(k.str());
    if (std::find(std::begin(kBase), std::end(kBase), key) != std::end(kBase)) continue;
    if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
    std::vector<std::string_view> known = keys;
    known.insert(known.end(), std::begin(kBase), std::end(kBase));
    const std::string near = nearest_name(key, known);
    const std::string expected =
        action ? "a key of action \"" + *action + "\" (" +
                     (list.empty() ? std::string("it takes none") : list) + ")"
               : std::string("a key of a narration step (time, narrate, pause, speed)");
    std::string hint = near.empty() ? "" : "did you mean \"" + near + "\"?";
    if (!action && hint.empty()) hint = "add the action = \"...\" that takes it";
    c.r.error(pos_of(k), p.key(key), expected, quote(key), hint);
    ok = false;
  }
  return ok;
}

/// Reads one [[at]] whose time is already known (`time_read`: it could be read, so node
/// states can be tracked; `ok`: and it is within the run).
void load_step(Timeline& tl, const toml::table& t, const Path& p, sim::Time time, bool time_read,
               bool ok) {
  LoadContext& c = tl.c;
  TableReader tr(c.r, t, p);
  Step step;
  step.pos = tr.pos();
  step.time = time;
  if (tr.has("narrate")) {
    auto narrate = tr.string("narrate");
    ok = ok && narrate.has_value();
    step.narrate = narrate.value_or("");
  }
  if (tr.has("pause")) {
    auto pause = tr.boolean("pause");
    ok = ok && pause.has_value();
    step.pause = pause.value_or(false);
  }
  if (tr.has("speed")) {
    step.speed = tr.number("speed", kSpeedMin, kSpeedMax);
    ok = ok && step.speed.has_value();
  }
  if (!tr.has("action") && !tr.has("narrate") && !tr.has("speed")) {
    c.r.error(step.pos, p, "an action, narrate, speed, or some of them", "neither");
    ok = false;
  }
  if (!tr.has("action")) {
    ok = check_step_keys(c, t, p, std::nullopt) && ok;
    if (ok) c.s.timeline.push_back(step);
    return;
  }
  std::optional<std::string> action = tr.string("action", true);
  const std::vector<std::string_view> all(std::begin(kActions), std::end(kActions));
  if (action && std::find(all.begin(), all.end(), *action) == all.end()) {
    std::string list;
    for (std::string_view a : all)
      list += (list.empty() ? "" : ", ") + std::string(a);
    const std::string near = nearest_name(*action, all);
    c.r.error_at(*tr.get("action"), tr.at("action"), "an action (" + list + ")",
                 near.empty() ? "" : "did you mean \"" + near + "\"?");
    action.reset();
  }
  if (!action) return;  // its other keys cannot be judged without knowing the action
  step.action = *action;
  ok = check_step_keys(c, t, p, action) && ok;
  StepReader sr{tl, tr, step, time_read};
  auto what = sr.action(*action);
  if (!what || !ok) return;
  step.what = *what;
  c.s.timeline.push_back(step);
}

}  // namespace

void load_timeline(LoadContext& c, const toml::node& node) {
  const toml::array* a = tables_of(c.r, node, "at");
  if (a == nullptr) return;
  struct Pending {
    size_t index;
    sim::Time time;
    bool time_read;  // parsed
    bool time_ok;    // and within the run
  };
  std::vector<Pending> pending;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::table& t = *(*a)[i].as_table();
    TableReader tr(c.r, t, Path::element("at", i));
    Pending p{i, sim::Time::zero(), false, false};
    if (tr.require("time", "when it happens, such as \"10s\"")) {
      if (auto time = tr.duration("time")) {
        p.time_read = true;
        p.time_ok = c.within_run(*tr.get("time"), tr.at("time"), *time);
        p.time = *time;
      }
    }
    pending.push_back(p);
  }
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& x, const Pending& y) { return x.time < y.time; });
  Timeline tl{c, {}};
  for (const Pending& p : pending)
    load_step(tl, *(*a)[p.index].as_table(), Path::element("at", p.index), p.time, p.time_read,
              p.time_ok);
}

}  // namespace kafkasim::scenario::detail
