// The scenario loader: [scenario], [cluster], [network], [[topic]], [[producer]] and
// [[consumer]] here; the timeline in timeline.cpp, the expectations in expectations.cpp.
//
// Index:
//   [SECTION] shared checks (LoadContext)
//   [SECTION] [scenario]
//   [SECTION] [cluster]
//   [SECTION] [network]
//   [SECTION] [[topic]]
//   [SECTION] [[producer]]
//   [SECTION] [[consumer]]
//   [SECTION] the engine's own check (world::check_spec)
//   [SECTION] public API
#include "scenario/loader.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <system_error>

#include "scenario/kafka_settings.h"
#include "scenario/load_context.h"
#include "world/world.h"

namespace kafkasim::scenario {

using detail::LoadContext;
using detail::Path;
using detail::Reader;
using detail::TableReader;

namespace detail {

// [SECTION] shared checks (LoadContext)
// ---------------------------------------------------------------------------------------------
std::string name_list(const std::vector<std::string_view>& names, const char* none) {
  if (names.empty()) return none;
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListedMax; ++i)
    out += (i ? ", " : "") + std::string(names[i]);
  if (names.size() > kListedMax)
    out += ", and " + std::to_string(names.size() - kListedMax) + " more";
  return out;
}

std::string LoadContext::id_list(const std::vector<int32_t>& ids) {
  if (ids.empty()) return "none";
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kListedMax; ++i)
    out += (i ? ", " : "") + std::to_string(ids[i]);
  if (ids.size() > kListedMax) out += ", and " + std::to_string(ids.size() - kListedMax) + " more";
  return out;
}

int32_t LoadContext::partitions_at(const std::string& topic, std::optional<sim::Time> at) const {
  auto it = topics.find(topic);
  if (it == topics.end() || it->second.partitions < 0) return -1;
  int32_t count = it->second.partitions;
  for (const Growth& g : growth) {
    if (g.topic == topic && (!at || g.time <= *at)) count = g.count;
  }
  return count;
}

std::optional<int32_t> LoadContext::node_id(const toml::node& n, const Path& p, bool brokers_only) {
  const std::vector<int32_t>& ids = brokers_only ? brokers : nodes;
  const std::string expected =
      std::string(brokers_only ? "a broker id" : "a node id") + " (" + id_list(ids) + ")";
  const auto* v = n.as_integer();
  if (v == nullptr || v->get() < 0 || v->get() >= world::kClientIdBase) {
    r.error_at(n, p, expected);
    return std::nullopt;
  }
  const auto id = static_cast<int32_t>(v->get());
  if (cluster_ok && std::find(ids.begin(), ids.end(), id) == ids.end()) {
    r.error_at(n, p, expected,
               "there is no " + std::string(brokers_only ? "broker " : "node ") +
                   std::to_string(id) + " in [cluster]");
    return std::nullopt;
  }
  return id;
}

std::optional<world::NodeRef> LoadContext::node_ref(const toml::node& n, const Path& p,
                                                    std::optional<sim::Time> at) {
  if (n.is_integer()) {
    auto id = node_id(n, p, false);
    if (!id) return std::nullopt;
    return world::NodeRef(*id);
  }
  const std::string expected = "a node id (" + id_list(nodes) +
                               "), \"controller\", \"leader:TOPIC-N\", \"coordinator:GROUP\" "
                               "or a client id";
  const auto* s = n.as_string();
  if (s == nullptr) {
    r.error_at(n, p, expected);
    return std::nullopt;
  }
  const std::string& role = s->get();
  if (role == "controller") return world::NodeRef::of_role(role);
  // A producer or consumer by its id: clients are numbered from kClientIdBase, producers first.
  for (size_t i = 0; i < this->s.spec.producers.size(); ++i)
    if (this->s.spec.producers[i].client_id == role)
      return world::NodeRef(world::kClientIdBase + static_cast<int32_t>(i));
  for (size_t i = 0; i < this->s.spec.consumers.size(); ++i)
    if (this->s.spec.consumers[i].client_id == role)
      return world::NodeRef(world::kClientIdBase +
                            static_cast<int32_t>(this->s.spec.producers.size() + i));
  if (role.rfind("leader:", 0) == 0) {
    if (!check_partition(role.substr(7), n, p, at)) return std::nullopt;
    return world::NodeRef::of_role(role);
  }
  if (role.rfind("coordinator:", 0) == 0) {
    // The broker coordinating a group of the file's consumers, resolved when the step runs.
    const std::string group = role.substr(12);
    if (!groups.count(group)) {
      std::vector<std::string_view> names;
      for (const auto& [g, members] : groups)
        names.push_back(g);
      std::string hint;
      if (const std::string near = nearest_name(group, names); !near.empty())
        hint = "did you mean \"coordinator:" + near + "\"?";
      r.error_at(n, p, "\"coordinator:GROUP\" with a group of a [[consumer]]", hint);
      return std::nullopt;
    }
    return world::NodeRef::of_role(role);
  }
  std::string hint;
  if (const std::string near = nearest_name(role, {"controller", "leader:", "coordinator:"});
      !near.empty())
    hint = "did you mean \"" + near + "\"?";
  r.error_at(n, p, expected, hint);
  return std::nullopt;
}

std::optional<std::string> LoadContext::partition(const toml::node& n, const Path& p,
                                                  std::optional<sim::Time> at) {
  const auto* s = n.as_string();
  if (s == nullptr) {
    r.error_at(n, p, "a partition named TOPIC-N, such as \"orders-0\"");
    return std::nullopt;
  }
  return check_partition(s->get(), n, p, at);
}

std::optional<std::string> LoadContext::check_partition(const std::string& name,
                                                        const toml::node& n, const Path& p,
                                                        std::optional<sim::Time> at) {
  const size_t dash = name.rfind('-');
  const std::string digits = dash == std::string::npos ? "" : name.substr(dash + 1);
  const bool numbered =
      !digits.empty() && digits.size() <= 9 &&
      std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (dash == std::string::npos || dash == 0 || !numbered) {
    r.error_at(n, p, "a partition named TOPIC-N, such as \"orders-0\"");
    return std::nullopt;
  }
  const std::string topic_name = name.substr(0, dash);
  const int32_t index = std::stoi(digits);
  auto it = topics.find(topic_name);
  if (it == topics.end()) {
    const auto names = topic_names();
    std::string hint;
    if (const std::string near = nearest_name(topic_name, names); !near.empty())
      hint = "did you mean \"" + near + "-" + digits + "\"?";
    r.error_at(n, p,
               "a partition of a topic this scenario creates (" +
                   name_list(names, "no [[topic]] yet") + ")",
               hint);
    return std::nullopt;
  }
  const int32_t count = partitions_at(topic_name, at);
  if (count >= 0 && index >= count) {
    r.error_at(n, p,
               "a partition of " + topic_name + ", which has " + std::to_string(count) +
                   (count == 1 ? " partition" : " partitions") +
                   (at ? " at " + sim::to_string(*at) : std::string()) + " (" + topic_name + "-0" +
                   (count > 1 ? " to " + topic_name + "-" + std::to_string(count - 1) : "") + ")");
    return std::nullopt;
  }
  return topic_name + "-" + std::to_string(index);
}

std::optional<std::string> LoadContext::topic(const toml::node& n, const Path& p) {
  const auto names = topic_names();
  const std::string expected =
      "a topic this scenario creates (" + name_list(names, "no [[topic]] yet") + ")";
  const auto* s = n.as_string();
  if (s == nullptr) {
    r.error_at(n, p, expected);
    return std::nullopt;
  }
  if (!topics.count(s->get())) {
    std::string hint;
    if (const std::string near = nearest_name(s->get(), names); !near.empty())
      hint = "did you mean \"" + near + "\"?";
    r.error_at(n, p, expected, hint);
    return std::nullopt;
  }
  return s->get();
}

bool LoadContext::within_run(const toml::node& n, const Path& p, sim::Time t) {
  if (!duration_ok || t <= s.duration) return true;
  r.error_at(n, p, "a time within the run's duration (" + sim::to_string(s.duration) + ")",
             "raise duration in [scenario] or move this earlier");
  return false;
}

std::optional<world::SetLink> LoadContext::link(TableReader& tr) {
  world::SetLink link;
  bool ok = true;
  const std::string two = "exactly two node ids, such as [101, 103]";
  if (tr.require("between", two)) {
    const toml::node& n = *tr.get("between");
    const toml::array* a = n.as_array();
    if (a == nullptr || a->size() != 2) {
      r.error_at(n, tr.at("between"), two);
      ok = false;
    } else {
      auto x = node_id((*a)[0], tr.at("between").index(0), false);
      auto y = node_id((*a)[1], tr.at("between").index(1), false);
      if (x && y && *x == *y) r.error_at(n, tr.at("between"), "two different nodes");
      ok = x && y && *x != *y;
      link.a = x.value_or(0);
      link.b = y.value_or(0);
    }
  } else {
    ok = false;
  }
  link.latency = tr.duration("latency");
  link.jitter = tr.duration("jitter");
  link.loss = tr.number("loss", 0.0, 1.0);
  link.down = tr.boolean("down");
  const bool any = tr.has("latency") || tr.has("jitter") || tr.has("loss") || tr.has("down");
  if (!any) r.error(tr.pos(), tr.path(), "at least one of latency, jitter, loss, down", "none");
  ok = ok && any && (link.latency || !tr.has("latency")) && (link.jitter || !tr.has("jitter")) &&
       (link.loss || !tr.has("loss")) && (link.down || !tr.has("down"));
  if (!ok) return std::nullopt;
  return link;
}

std::optional<SettingValue> read_setting_value(Reader& r, const toml::node& n, const Path& p) {
  if (const auto* i = n.as_integer()) return SettingValue(i->get());
  if (const auto* f = n.as_floating_point()) return SettingValue(f->get());
  if (const auto* b = n.as_boolean()) return SettingValue(b->get());
  if (const auto* s = n.as_string()) return SettingValue(s->get());
  if (const auto* a = n.as_array()) {
    std::vector<std::string> items;
    for (const toml::node& e : *a) {
      if (!e.is_string()) {
        items.clear();
        break;
      }
      items.push_back(e.as_string()->get());
    }
    if (!items.empty() || a->empty()) return SettingValue(items);
  }
  r.error_at(n, p,
             "a Kafka setting value: a string, an integer, a number, true or false, or an "
             "array of strings");
  return std::nullopt;
}

const toml::array* tables_of(Reader& r, const toml::node& n, std::string_view key) {
  const Path p = Path::root().key(key);
  const std::string expected = "[[" + std::string(key) + "]] blocks (an array of tables)";
  const toml::array* a = n.as_array();
  if (a == nullptr) {
    r.error_at(n, p, expected,
               n.is_table() ? "write [[" + std::string(key) + "]] with double brackets" : "");
    return nullptr;
  }
  for (size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_table()) {
      r.error_at((*a)[i], p.index(i), expected);
      return nullptr;
    }
  }
  return a;
}

}  // namespace detail

namespace {

using detail::Growth;
using detail::kPartitionsPerTopicMax;

/// Reports a refused Kafka setting: at the key when its name is the problem, else at its value.
void report_setting(Reader& r, const toml::key& k, const toml::node& v, const Path& p,
                    const SettingError& e) {
  if (e.about_name) {
    r.error(detail::pos_of(k), p, e.expected,
            detail::quote(k.str()) + (e.found_note.empty() ? "" : ", " + e.found_note), e.hint);
  } else {
    r.error_at(v, p, e.expected, e.hint);
  }
}

/// The entries of a config table in the order Kafka's precedence needs (setting_rank), then
/// by name.
std::vector<std::pair<const toml::key*, const toml::node*>> ordered_settings(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> out;
  for (auto&& [k, v] : t)
    out.emplace_back(&k, &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return setting_rank(a.first->str()) < setting_rank(b.first->str());
  });
  return out;
}

// [SECTION] [scenario]
// ---------------------------------------------------------------------------------------------
void load_scenario_table(LoadContext& c, const toml::table& root) {
  const toml::node* node = root.get("scenario");
  if (node == nullptr) {
    c.r.error(SourcePos{1, 1}, Path::table("scenario"), "a [scenario] table with name and duration",
              "none");
    return;
  }
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    c.r.error_at(*node, Path::table("scenario"), "a [scenario] table with name and duration");
    return;
  }
  TableReader tr(c.r, *t, Path::table("scenario"));
  tr.allow({"name", "description", "seed", "duration", "speed"});
  if (tr.require("name", "a name such as \"Leader failover\"")) {
    if (auto v = tr.string("name", true)) c.s.name = *v;
  }
  if (auto v = tr.string("description")) c.s.description = *v;
  if (tr.has("speed")) c.s.speed = tr.number("speed", kSpeedMin, kSpeedMax);
  if (auto v =
          tr.integer("seed", 0, std::numeric_limits<int64_t>::max(), "a non-negative integer")) {
    c.s.seed = static_cast<uint64_t>(*v);
  }
  if (tr.require("duration", "a duration such as \"60s\"")) {
    if (auto d = tr.duration("duration")) {
      if (*d <= sim::Time::zero()) {
        c.r.error_at(*tr.get("duration"), tr.at("duration"), "a duration above zero");
      } else if (*d > world::kRunDurationMax) {
        c.r.error_at(*tr.get("duration"), tr.at("duration"),
                     "a run of at most " + sim::to_string(world::kRunDurationMax) +
                         " (the longest kafkasim simulates)",
                     "shorten the run; to show hours of retention, lower retention.ms instead");
      } else {
        c.s.duration = *d;
        c.duration_ok = true;
      }
    }
  }
  c.s.spec.seed = c.s.seed;
}

// [SECTION] [cluster]
// ---------------------------------------------------------------------------------------------
/// Reads an array of distinct node ids (0..kClientIdBase-1); nullopt (reported) when invalid.
std::optional<std::vector<int32_t>> read_ids(Reader& r, const toml::node& n, const Path& p) {
  const toml::array* a = n.as_array();
  if (a == nullptr || a->empty()) {
    r.error_at(n, p, "a non-empty array of node ids, such as [101, 102, 103]");
    return std::nullopt;
  }
  std::vector<int32_t> ids;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    const std::string range = "a node id from 0 to " + std::to_string(world::kClientIdBase - 1);
    auto id = detail::read_int(r, (*a)[i], p.index(i), 0, world::kClientIdBase - 1, range);
    if (!id) {
      ok = false;
      continue;
    }
    if (std::find(ids.begin(), ids.end(), *id) != ids.end()) {
      r.error_at((*a)[i], p.index(i), "distinct node ids",
                 std::to_string(*id) + " is listed twice");
      ok = false;
      continue;
    }
    ids.push_back(static_cast<int32_t>(*id));
  }
  if (!ok) return std::nullopt;
  return ids;
}

void load_racks(LoadContext& c, TableReader& tr) {
  const toml::table* racks = tr.table("racks");
  if (racks == nullptr) return;
  const Path p = tr.at("racks");
  for (auto&& [k, v] : *racks) {
    const std::string key(k.str());
    const Path kp = p.key(key);
    int64_t id = -1;
    const bool digits =
        !key.empty() && key.size() <= 9 &&
        std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits) id = std::stoll(key);
    if (!digits || std::find(c.brokers.begin(), c.brokers.end(), static_cast<int32_t>(id)) ==
                       c.brokers.end()) {
      if (c.cluster_ok || !digits) {
        c.r.error(detail::pos_of(k), kp, "a broker id (" + LoadContext::id_list(c.brokers) + ")",
                  detail::quote(key));
      }
      continue;
    }
    if (auto rack = detail::read_string(c.r, v, kp, true))
      c.s.spec.racks[static_cast<int32_t>(id)] = *rack;
  }
}

void load_cluster_config(LoadContext& c, TableReader& tr) {
  const toml::table* config = tr.table("config");
  if (config == nullptr) return;
  const Path p = tr.path().sub_table("config");
  for (const auto& [k, v] : ordered_settings(*config)) {
    const Path kp = p.setting(k->str());
    auto value = detail::read_setting_value(c.r, *v, kp);
    if (!value) continue;
    if (auto e = set_broker_setting(c.s.spec, k->str(), *value))
      report_setting(c.r, *k, *v, kp, *e);
  }
}

void load_cluster(LoadContext& c, const toml::table& root) {
  world::ClusterSpec& spec = c.s.spec;
  const toml::node* node = root.get("cluster");
  const toml::table empty;
  const toml::table* t = node ? node->as_table() : &empty;
  if (t == nullptr) {
    c.r.error_at(*node, Path::table("cluster"), "a [cluster] table");
    t = &empty;
  }
  TableReader tr(c.r, *t, Path::table("cluster"));
  tr.allow({"mode", "brokers", "controllers", "zookeeper", "racks", "config"});
  if (const toml::node* n = tr.get("mode")) {
    auto mode = detail::read_choice(c.r, *n, tr.at("mode"), {"kraft", "zookeeper"},
                                    "\"kraft\" or \"zookeeper\"");
    if (mode == "zookeeper") spec.mode = world::ClusterSpec::Mode::zookeeper;
  }
  const bool zk = spec.mode == world::ClusterSpec::Mode::zookeeper;
  // `controllers` is read in KRaft mode and `zookeeper` in ZooKeeper mode; the other is
  // checked and kept, so one file switches modes by changing `mode` alone.
  struct IdList {
    const char* key;
    std::vector<int32_t>& ids;
    bool used;  // by this mode
  };
  for (IdList l :
       {IdList{"brokers", spec.brokers, true}, IdList{"controllers", spec.controllers, !zk},
        IdList{"zookeeper", spec.zookeeper, zk}}) {
    const toml::node* n = tr.get(l.key);
    if (n == nullptr) continue;
    if (auto ids = read_ids(c.r, *n, tr.at(l.key))) {
      l.ids = *ids;
    } else if (l.used) {
      c.cluster_ok = false;  // node checks against a wrong list would only mislead
    }
  }
  const std::vector<int32_t>& others = zk ? spec.zookeeper : spec.controllers;
  if (zk && c.cluster_ok) {
    const toml::node* n = tr.get("zookeeper");
    for (int32_t id : spec.zookeeper) {
      if (std::find(spec.brokers.begin(), spec.brokers.end(), id) == spec.brokers.end()) continue;
      c.r.error(n ? detail::pos_of(*n) : tr.pos(), tr.at("zookeeper"),
                "ZooKeeper ids that are not broker ids", std::to_string(id) + ", also in brokers");
      c.cluster_ok = false;
    }
  }
  c.brokers = spec.brokers;
  c.controllers = zk ? spec.brokers : spec.controllers;
  c.nodes = spec.brokers;
  c.nodes.insert(c.nodes.end(), others.begin(), others.end());
  std::sort(c.nodes.begin(), c.nodes.end());
  c.nodes.erase(std::unique(c.nodes.begin(), c.nodes.end()), c.nodes.end());
  load_racks(c, tr);
  load_cluster_config(c, tr);
}

// [SECTION] [network]
// ---------------------------------------------------------------------------------------------
void load_link_override(LoadContext& c, const toml::table& t, const Path& p) {
  TableReader tr(c.r, t, p);
  tr.allow({"between", "latency", "jitter", "loss", "down"});
  if (auto link = c.link(tr)) c.s.links.push_back(LinkOverride{tr.pos(), *link});
}

void load_network(LoadContext& c, const toml::table& root) {
  const toml::node* node = root.get("network");
  if (node == nullptr) return;
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    c.r.error_at(*node, Path::table("network"), "a [network] table");
    return;
  }
  TableReader tr(c.r, *t, Path::table("network"));
  tr.allow({"latency", "jitter", "loss", "link"});
  if (auto v = tr.duration("latency")) c.s.spec.link.latency = *v;
  if (auto v = tr.duration("jitter")) c.s.spec.link.jitter = *v;
  if (auto v = tr.number("loss", 0.0, 1.0)) c.s.spec.link.loss = *v;
  const toml::node* links = tr.get("link");
  if (links == nullptr) return;
  const toml::array* a = links->as_array();
  if (a == nullptr ||
      !std::all_of(a->begin(), a->end(), [](const toml::node& e) { return e.is_table(); })) {
    c.r.error_at(*links, tr.at("link"), "[[network.link]] blocks (an array of tables)");
    return;
  }
  for (size_t i = 0; i < a->size(); ++i)
    load_link_override(c, *(*a)[i].as_table(), Path::table("network").sub_element("link", i));
}

// [SECTION] [[topic]]
// ---------------------------------------------------------------------------------------------
/// Kafka's rule for topic names: 1 to 249 of [a-zA-Z0-9._-], not "." or "..".
bool legal_topic_name(const std::string& name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
  });
}

/// `assignment = [[101, 102], [102, 103]]`: replicas per partition, distinct brokers, one
/// replication factor for all. nullopt (reported) when invalid.
std::optional<std::vector<std::vector<int32_t>>> read_assignment(LoadContext& c, TableReader& tr) {
  const toml::array* a = tr.array("assignment",
                                  "an array of replica lists, such as "
                                  "[[101, 102], [102, 103]]");
  if (a == nullptr) return std::nullopt;
  const Path p = tr.at("assignment");
  if (a->empty() || static_cast<int64_t>(a->size()) > kPartitionsPerTopicMax) {
    c.r.error_at(*tr.get("assignment"), p,
                 "one replica list per partition (1 to " + std::to_string(kPartitionsPerTopicMax) +
                     " partitions)");
    return std::nullopt;
  }
  std::vector<std::vector<int32_t>> out;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::array* replicas = (*a)[i].as_array();
    if (replicas == nullptr || replicas->empty()) {
      c.r.error_at((*a)[i], p.index(i), "a non-empty list of broker ids, such as [101, 102]");
      ok = false;
      continue;
    }
    std::vector<int32_t> ids;
    for (size_t j = 0; j < replicas->size(); ++j) {
      auto id = c.node_id((*replicas)[j], p.index(i).index(j), true);
      if (!id) {
        ok = false;
      } else if (std::find(ids.begin(), ids.end(), *id) != ids.end()) {
        c.r.error_at((*replicas)[j], p.index(i).index(j),
                     "distinct brokers (INVALID_REPLICA_ASSIGNMENT)");
        ok = false;
      } else {
        ids.push_back(*id);
      }
    }
    if (!out.empty() && !ids.empty() && ids.size() != out.front().size() && ok) {
      c.r.error_at((*a)[i], p.index(i),
                   std::to_string(out.front().size()) +
                       " replicas like the first partition (one replication factor per topic)");
      ok = false;
    }
    out.push_back(ids);
  }
  if (!ok) return std::nullopt;
  return out;
}

void load_topic_config(LoadContext& c, TableReader& tr, kafka::TopicSpec& topic) {
  const toml::table* config = tr.table("config");
  if (config == nullptr) return;
  kafka::TopicOverrides overrides;
  overrides.log = c.s.spec.default_log;  // a topic's log settings start from the brokers'
  const Path p = tr.path().sub_table("config");
  for (const auto& [k, v] : ordered_settings(*config)) {
    const Path kp = p.setting(k->str());
    auto value = detail::read_setting_value(c.r, *v, kp);
    if (!value) continue;
    if (auto e = set_topic_setting(topic, overrides, k->str(), *value))
      report_setting(c.r, *k, *v, kp, *e);
  }
  if (!topic.name.empty()) c.s.spec.topic_overrides[topic.name] = overrides;
}

void load_topic(LoadContext& c, const toml::table& t, const Path& p) {
  TableReader tr(c.r, t, p);
  tr.allow({"name", "partitions", "replication_factor", "assignment", "config"});
  kafka::TopicSpec topic;
  bool ok = true;
  if (tr.require("name", "a topic name such as \"orders\"")) {
    if (auto name = tr.string("name")) {
      if (!legal_topic_name(*name)) {
        c.r.error_at(*tr.get("name"), tr.at("name"),
                     "a topic name of 1 to 249 letters, digits, '.', '_' or '-'");
        ok = false;
      } else if (auto it = c.topics.find(*name); it != c.topics.end()) {
        c.r.error_at(*tr.get("name"), tr.at("name"),
                     "a topic name not used before (" + *name + " is defined at line " +
                         std::to_string(it->second.pos.line) + ")");
        ok = false;
        name.reset();
      }
      if (name) topic.name = *name;
    }
  }
  const auto partitions = tr.integer("partitions", 1, kPartitionsPerTopicMax);
  const auto rf = tr.integer("replication_factor", 1, std::numeric_limits<int16_t>::max());
  ok = ok && (partitions || !tr.has("partitions")) && (rf || !tr.has("replication_factor"));
  const auto assignment = tr.has("assignment") ? read_assignment(c, tr) : std::nullopt;
  if (tr.has("assignment") && !assignment) ok = false;
  if (assignment) {
    topic.assignment = *assignment;
    topic.partitions = static_cast<int32_t>(assignment->size());
    topic.replication_factor = static_cast<int32_t>(assignment->front().size());
    if (partitions && *partitions != topic.partitions) {
      c.r.error_at(*tr.get("partitions"), tr.at("partitions"),
                   std::to_string(topic.partitions) + ", the partitions in assignment");
      ok = false;
    }
    if (rf && *rf != topic.replication_factor) {
      c.r.error_at(
          *tr.get("replication_factor"), tr.at("replication_factor"),
          std::to_string(topic.replication_factor) + ", the replicas per partition in assignment");
      ok = false;
    }
  } else {
    // Kafka's defaults for a topic created without them.
    topic.partitions = static_cast<int32_t>(partitions.value_or(
        std::min<int64_t>(c.s.spec.config.num_partitions, kPartitionsPerTopicMax)));
    topic.replication_factor = static_cast<int32_t>(
        rf.value_or(std::min<int64_t>(c.s.spec.config.default_replication_factor, 32767)));
    const auto brokers = static_cast<int32_t>(c.brokers.size());
    if (c.cluster_ok && topic.replication_factor > brokers) {
      const toml::node* n = tr.get("replication_factor");
      c.r.error(
          n ? detail::pos_of(*n) : tr.pos(), tr.at("replication_factor"),
          "at most " + std::to_string(brokers) +
              ", the number of brokers (INVALID_REPLICATION_FACTOR)",
          std::to_string(topic.replication_factor) + (n ? "" : " (default.replication.factor)"));
      ok = false;
    }
  }
  load_topic_config(c, tr, topic);
  if (topic.name.empty()) return;
  c.topics[topic.name] = detail::TopicInfo{ok ? topic.partitions : -1, tr.pos()};
  c.s.spec.topics.push_back(topic);
}

void load_topics(LoadContext& c, const toml::table& root) {
  const toml::node* node = root.get("topic");
  if (node == nullptr) return;
  const toml::array* a = detail::tables_of(c.r, *node, "topic");
  if (a == nullptr) return;
  for (size_t i = 0; i < a->size(); ++i)
    load_topic(c, *(*a)[i].as_table(), Path::element("topic", i));
}

// [SECTION] [[producer]]
// ---------------------------------------------------------------------------------------------
/// Most records per second one producer makes.
constexpr double kRateMax = 1e6;
/// Most records one producer sends with `records`.
constexpr int64_t kRecordsMax = 1'000'000'000;

/// A record template: literal text with {seq} and {seq % N} (N >= 1). Returns what is wrong.
std::optional<std::string> template_problem(const std::string& text) {
  size_t i = 0;
  while ((i = text.find("{seq", i)) != std::string::npos) {
    const size_t close = text.find('}', i);
    if (close == std::string::npos) return "an unclosed {seq";
    std::string inner = text.substr(i + 4, close - i - 4);  // "" or " % 100"
    inner.erase(std::remove(inner.begin(), inner.end(), ' '), inner.end());
    if (!inner.empty()) {
      const std::string n = inner.substr(1);
      const bool number =
          inner[0] == '%' && !n.empty() && n.size() <= 18 &&
          std::all_of(n.begin(), n.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (!number || std::stoll(n) < 1) return text.substr(i, close - i + 1);
    }
    i = close + 1;
  }
  return std::nullopt;
}

void load_record_template(LoadContext& c, TableReader& tr, std::string_view key, std::string& out) {
  auto text = tr.string(key);
  if (!text) return;
  if (auto bad = template_problem(*text)) {
    c.r.error_at(*tr.get(key), tr.at(key), "a template of text, {seq} and {seq % N} (N at least 1)",
                 "the template has " + *bad);
    return;
  }
  out = *text;
}

/// Most bytes a client or group id may have: it is a node's name on screen and in the trace.
constexpr size_t kIdBytesMax = 249;

/// What makes `id` unfit to name a client or group, or nullopt: control characters (NUL, line
/// breaks, escapes) and Unicode's bidirectional controls (U+200E/F, U+202A..U+202E,
/// U+2066..U+2069, U+061C), which reorder the text around them in the trace and the studio
/// (a "Trojan Source" name can show as another client's).
std::optional<std::string> id_problem(const std::string& id) {
  if (id.size() > kIdBytesMax) return "more than " + std::to_string(kIdBytesMax) + " bytes";
  for (size_t i = 0; i < id.size(); ++i) {
    const auto b = static_cast<unsigned char>(id[i]);
    if (b < 0x20 || b == 0x7F) return "a control character (byte " + std::to_string(b) + ")";
    if (detail::bidi_control(id, i) != 0)
      return std::string("a Unicode bidirectional control character");
  }
  return std::nullopt;
}

/// A client or group id at `key` of `tr`: not empty, and fit to show (id_problem).
std::optional<std::string> read_id(LoadContext& c, TableReader& tr, std::string_view key) {
  auto id = tr.string(key, true);
  if (!id) return std::nullopt;
  if (auto bad = id_problem(*id)) {
    c.r.error_at(
        *tr.get(key), tr.at(key),
        "an id of printable characters (at most " + std::to_string(kIdBytesMax) + " bytes)",
        "it has " + *bad);
    return std::nullopt;
  }
  return id;
}

bool claim_client_id(LoadContext& c, TableReader& tr, std::string& out) {
  if (!tr.require("id", "a client id such as \"checkout\"")) return false;
  auto id = read_id(c, tr, "id");
  if (!id) return false;
  auto used = [&](const std::map<std::string, SourcePos>& m) {
    auto it = m.find(*id);
    return it == m.end() ? 0 : it->second.line;
  };
  if (const int32_t line = std::max(used(c.producers), used(c.consumers)); line > 0) {
    c.r.error_at(*tr.get("id"), tr.at("id"),
                 "a client id unique among clients (" + *id + " is used at line " +
                     std::to_string(line) + ")");
    return false;
  }
  out = *id;
  return true;
}

void load_producer_config(LoadContext& c, TableReader& tr, kafka::ProducerConfig& p) {
  const toml::table* config = tr.table("config");
  if (config == nullptr) return;
  const Path cp = tr.path().sub_table("config");
  std::vector<std::string> names;
  std::map<std::string, std::pair<const toml::key*, const toml::node*>> where;
  for (const auto& [k, v] : ordered_settings(*config)) {
    const Path kp = cp.setting(k->str());
    auto value = detail::read_setting_value(c.r, *v, kp);
    if (!value) continue;
    if (auto e = set_producer_setting(p, k->str(), *value)) {
      report_setting(c.r, *k, *v, kp, *e);
      continue;
    }
    names.emplace_back(k->str());
    where[std::string(k->str())] = {k, v};
  }
  if (auto e = finish_producer_settings(p, names)) {
    auto it = where.find(e->first);
    if (it != where.end()) {
      report_setting(c.r, *it->second.first, *it->second.second, cp.setting(e->first), e->second);
    } else {
      c.r.error(tr.pos(), cp.setting(e->first), e->second.expected, "the default", e->second.hint);
    }
  }
}

void load_producer(LoadContext& c, const toml::table& t, const Path& path) {
  TableReader tr(c.r, t, path);
  tr.allow({"id", "topic", "rate", "records", "key", "value", "start", "stop", "config"});
  kafka::ProducerConfig p;
  bool ok = claim_client_id(c, tr, p.client_id);
  if (ok) c.producers[p.client_id] = tr.pos();
  if (tr.require("topic", "the topic it writes to")) {
    auto topic = c.topic(*tr.get("topic"), tr.at("topic"));
    ok = ok && topic.has_value();
    if (topic) p.topic = *topic;
  } else {
    ok = false;
  }
  if (tr.has("rate") && tr.has("records")) {
    c.r.error_at(*tr.get("records"), tr.at("records"), "rate or records, not both");
    ok = false;
  } else if (!tr.has("rate") && !tr.has("records")) {
    c.r.error(tr.pos(), path,
              "rate (records per second) or records (a count sent as fast as it can)", "neither");
    ok = false;
  }
  if (auto rate = tr.number("rate", 0.001, kRateMax)) p.rate = *rate;
  if (auto records = tr.integer("records", 0, kRecordsMax)) p.records = *records;
  load_record_template(c, tr, "key", p.key);
  load_record_template(c, tr, "value", p.value);
  if (auto start = tr.duration("start")) p.start = *start;
  if (auto stop = tr.duration("stop")) {
    p.stop = *stop;
    if (p.stop <= p.start) {
      c.r.error_at(*tr.get("stop"), tr.at("stop"),
                   "a stop time after start (" + sim::to_string(p.start) + ")");
      ok = false;
    }
  }
  load_producer_config(c, tr, p);
  if (ok) c.s.spec.producers.push_back(p);
}

void load_producers(LoadContext& c, const toml::table& root) {
  const toml::node* node = root.get("producer");
  if (node == nullptr) return;
  const toml::array* a = detail::tables_of(c.r, *node, "producer");
  if (a == nullptr) return;
  for (size_t i = 0; i < a->size(); ++i)
    load_producer(c, *(*a)[i].as_table(), Path::element("producer", i));
}

// [SECTION] [[consumer]]
// ---------------------------------------------------------------------------------------------
void load_consumer_config(LoadContext& c, TableReader& tr, ConsumerInfo& info) {
  const toml::table* config = tr.table("config");
  if (config == nullptr) return;
  const Path cp = tr.path().sub_table("config");
  for (const auto& [k, v] : ordered_settings(*config)) {
    const Path kp = cp.setting(k->str());
    auto value = detail::read_setting_value(c.r, *v, kp);
    if (!value) continue;
    if (auto e = set_consumer_setting(info.config, info.group_settings, !info.group.empty(),
                                      k->str(), *value)) {
      report_setting(c.r, *k, *v, kp, *e);
    }
  }
}

/// `topics = [...]` and `partitions = [...]`: what the consumer reads. A standalone consumer
/// assign()s the partitions it names (and asks for their topics' metadata); a group consumer
/// subscribes to topics and lets its group assign partitions.
bool load_consumer_reads(LoadContext& c, TableReader& tr, ConsumerInfo& info) {
  kafka::ConsumerConfig& cfg = info.config;
  auto add_topic = [&](const std::string& t) {
    if (std::find(cfg.topics.begin(), cfg.topics.end(), t) == cfg.topics.end())
      cfg.topics.push_back(t);
  };
  bool ok = !tr.has("topics") || tr.get("topics")->is_array();
  if (const toml::array* topics = tr.array("topics",
                                           "an array of topic names, such as "
                                           "[\"orders\"]")) {
    for (size_t i = 0; i < topics->size(); ++i) {
      auto name = c.topic((*topics)[i], tr.at("topics").index(i));
      ok = ok && name.has_value();
      if (name) add_topic(*name);
    }
  }
  ok = ok && (!tr.has("partitions") || tr.get("partitions")->is_array());
  if (const toml::array* parts = tr.array("partitions",
                                          "an array of partition names, such as "
                                          "[\"orders-0\"]")) {
    if (tr.has("group")) {
      c.r.error_at(*tr.get("partitions"), tr.at("partitions"),
                   "no partitions for a group consumer (its group assigns them)",
                   "remove group for a standalone consumer that assign()s partitions");
      ok = false;
    }
    std::set<kafka::TopicPartitionName> assigned;
    for (size_t i = 0; i < parts->size(); ++i) {
      auto name = c.partition((*parts)[i], tr.at("partitions").index(i), sim::Time::zero());
      if (!name) {
        ok = false;
        continue;
      }
      const auto parts = *world::split_partition_name(*name);  // checked by c.partition
      const kafka::TopicPartitionName tp{parts.first, parts.second};
      if (assigned.insert(tp).second) cfg.partitions.push_back(tp);
      add_topic(tp.topic);
    }
  }
  if (!tr.has("topics") && !tr.has("partitions")) {
    c.r.error(tr.pos(), tr.path().key("topics"), "the topics it reads (or partitions = [...])",
              "neither");
    ok = false;
  }
  return ok;
}

void load_consumer(LoadContext& c, const toml::table& t, const Path& path) {
  TableReader tr(c.r, t, path);
  tr.allow({"id", "group", "topics", "partitions", "start", "config"});
  ConsumerInfo info;
  info.pos = tr.pos();
  bool ok = claim_client_id(c, tr, info.config.client_id);
  if (ok) c.consumers[info.config.client_id] = tr.pos();
  if (tr.has("group")) {
    if (auto group = read_id(c, tr, "group")) info.group = *group;
  }
  ok = ok && (!info.group.empty() || !tr.has("group"));
  ok = load_consumer_reads(c, tr, info) && ok;
  if (auto start = tr.duration("start")) info.config.start = *start;
  load_consumer_config(c, tr, info);
  if (!ok) return;
  if (!info.group.empty()) {
    info.config.group = info.group_settings;
    info.config.group.group_id = info.group;
    info.group_settings = info.config.group;
    c.groups[info.group].push_back(info.config.client_id);
  }
  c.s.spec.consumers.push_back(info.config);
  c.s.consumers.push_back(info);
}

void load_consumers(LoadContext& c, const toml::table& root) {
  const toml::node* node = root.get("consumer");
  if (node == nullptr) return;
  const toml::array* a = detail::tables_of(c.r, *node, "consumer");
  if (a == nullptr) return;
  for (size_t i = 0; i < a->size(); ++i)
    load_consumer(c, *(*a)[i].as_table(), Path::element("consumer", i));
}

// [SECTION] the engine's own check (world::check_spec)
// ---------------------------------------------------------------------------------------------
/// Runs when the loader found nothing wrong: check_spec is the engine's last word, and its
/// error goes to the table it is about.
/// The memory a run may need before it is refused. Runs are held whole (every record's history
/// for the checker, every replica's log, every delivery), so memory grows with the records
/// produced; a laptop has 8 to 16 GB.
constexpr double kRunBytesMax = 6.0 * (1ull << 30);
/// Per record, rounded up from peak RSS measured in Release builds (lesson 3 at 20,000 and
/// 100,000 records/s for 60 s: 151 and 132 B per record with two replicas and one consumer): the
/// producer's history and the checker's bookkeeping, per replica a log entry beside the key and
/// value bytes, per consumer its delivery log.
constexpr double kRecordBytes = 40;
constexpr double kReplicaRecordBytes = 32;
constexpr double kDeliveryBytes = 16;

/// A clear error before anything runs (not an abort hours in) when the workload would not fit
/// in memory: per producer, the records it makes in the run times what each one costs.
void check_run_memory(LoadContext& c) {
  const world::ClusterSpec& spec = c.s.spec;
  double total = 0;
  struct Biggest {
    double bytes = 0;
    double records = 0;
    double record_bytes = 0;
    const kafka::ProducerConfig* p = nullptr;
    size_t index = 0;
  } biggest;
  for (const kafka::ProducerConfig& p : spec.producers) {
    double records = static_cast<double>(p.records);
    if (p.records < 0) {
      const sim::Time stop = std::min(p.stop, c.s.duration);
      records = stop > p.start ? p.rate * (stop - p.start).seconds() : 0.0;
    }
    int32_t rf = 1;
    for (const kafka::TopicSpec& t : spec.topics)
      if (t.name == p.topic) rf = std::max<int32_t>(1, t.replication_factor);
    double readers = 0;
    for (const kafka::ConsumerConfig& k : spec.consumers)
      if (std::find(k.topics.begin(), k.topics.end(), p.topic) != k.topics.end()) ++readers;
    // A typical record: the templates expanded half-way through the run.
    const auto middle = static_cast<uint64_t>(std::min(records / 2, 1e18));
    const double bytes = static_cast<double>(kafka::RecordTemplate(p.key).expand(middle).size() +
                                             kafka::RecordTemplate(p.value).expand(middle).size());
    const double each =
        kRecordBytes + rf * (kReplicaRecordBytes + bytes) + readers * kDeliveryBytes;
    total += records * each;
    if (records * each > biggest.bytes)
      biggest = {records * each, records, bytes, &p,
                 static_cast<size_t>(&p - spec.producers.data())};
  }
  if (total <= kRunBytesMax || biggest.p == nullptr) return;
  auto gb = [](double b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f GB", b / (1ull << 30));
    return std::string(buf);
  };
  auto it = c.producers.find(biggest.p->client_id);
  const SourcePos at = it != c.producers.end() ? it->second : SourcePos{1, 1};
  char what[160];
  std::snprintf(what, sizeof what, "%.0f records of about %.0f bytes", biggest.records,
                biggest.record_bytes);
  c.r.error(
      at, Path::element("producer", biggest.index),
      "a workload that fits in " + gb(kRunBytesMax) + " (kafkasim holds a whole run in memory)",
      "a run needing about " + gb(total) + "; producer " + biggest.p->client_id + " makes " + what,
      "lower rate or records, the value's size, or the scenario's duration");
}

void check_with_engine(LoadContext& c, const toml::table& root) {
  const world::ClusterSpec& spec = c.s.spec;
  const size_t kafka_nodes = c.nodes.size();
  const size_t clients = spec.producers.size() + spec.consumers.size();
  if (kafka_nodes + clients > world::World::kNodesMax) {
    const toml::node* cluster = root.get("cluster");
    c.r.error(cluster ? detail::pos_of(*cluster) : SourcePos{1, 1}, Path::table("cluster"),
              "at most " + std::to_string(world::World::kNodesMax) + " nodes and clients",
              std::to_string(kafka_nodes + clients));
    return;
  }
  auto checked = world::check_spec(spec);
  if (checked.ok()) return;
  const std::string& why = checked.error();
  SourcePos pos{1, 1};
  Path path = Path::table("cluster");
  if (const toml::node* cluster = root.get("cluster")) pos = detail::pos_of(*cluster);
  auto about = [&](const std::string& noun, const std::map<std::string, SourcePos>& where,
                   const char* table) {
    for (const auto& [name, at] : where) {
      if (why.rfind(noun + " " + name + " ", 0) == 0 ||
          why.rfind(noun + " " + name + ":", 0) == 0) {
        pos = at;
        path = Path::root().key(table);
        return true;
      }
    }
    return false;
  };
  std::map<std::string, SourcePos> topics;
  for (const auto& [name, info] : c.topics)
    topics[name] = info.pos;
  if (!about("topic", topics, "topic") && !about("producer", c.producers, "producer"))
    about("consumer", c.consumers, "consumer");
  c.r.error(pos, path, "a cluster the engine can build", why);
}

}  // namespace

// [SECTION] public API
// ---------------------------------------------------------------------------------------------
namespace {
void load_tree(LoadContext& c, const toml::table& root) {
  TableReader top(c.r, root, Path::root());
  top.allow({"scenario", "cluster", "network", "topic", "producer", "consumer", "at", "expect"});
  load_scenario_table(c, root);
  load_cluster(c, root);
  load_network(c, root);
  load_topics(c, root);
  load_producers(c, root);
  load_consumers(c, root);
  if (const toml::node* at = root.get("at")) detail::load_timeline(c, *at);
  if (const toml::node* expect = root.get("expect")) detail::load_expectations(c, *expect);
  if (c.r.errors() == 0) check_with_engine(c, root);
  if (c.r.errors() == 0) check_run_memory(c);
}

LoadResult failure(std::string_view file, std::string expected, std::string found) {
  Diagnostic d;
  d.file = std::string(file);
  d.expected = std::move(expected);
  d.found = std::move(found);
  return sim::Err{std::vector<Diagnostic>{d}};
}
}  // namespace

LoadResult parse_scenario(std::string_view text, std::string_view file_name) {
  try {
    if (text.size() > kScenarioBytesMax) {
      return failure(file_name,
                     "a scenario file of at most " + std::to_string(kScenarioBytesMax) + " bytes",
                     std::to_string(text.size()) + " bytes");
    }
    toml::table root;
    try {
      root = toml::parse(text, std::string_view(file_name));
    } catch (const toml::parse_error& e) {
      Diagnostic d;
      d.file = std::string(file_name);
      d.line = std::max<int32_t>(1, static_cast<int32_t>(e.source().begin.line));
      d.column = std::max<int32_t>(1, static_cast<int32_t>(e.source().begin.column));
      d.expected = "valid TOML";
      d.found = std::string(e.description());
      return sim::Err{std::vector<Diagnostic>{d}};
    }
    Reader r{std::string(file_name)};
    Scenario s;
    LoadContext c(r, s);
    load_tree(c, root);
    if (r.errors() > 0) return sim::Err{r.take()};
    return s;
  } catch (const std::exception& e) {
    // Only resource exhaustion can get here; the API promises no exceptions.
    return failure(file_name, "a scenario the loader can read",
                   std::string("an error: ") + e.what());
  }
}

LoadResult load_scenario(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    return failure(path, "a scenario file", "no file at this path");
  if (std::filesystem::is_directory(status)) return failure(path, "a scenario file", "a directory");
  // A named pipe, socket or device would block the read or never end: only regular files.
  if (!std::filesystem::is_regular_file(status))
    return failure(path, "a scenario file (a regular file)",
                   std::filesystem::is_fifo(status) ? "a named pipe" : "a special file");
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kScenarioBytesMax) {
    return failure(path,
                   "a scenario file of at most " + std::to_string(kScenarioBytesMax) + " bytes",
                   std::to_string(size) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure(path, "a readable scenario file", "a file that cannot be opened");
  std::string text;
  char buf[4096];
  while (in && text.size() <= kScenarioBytesMax) {
    in.read(buf, sizeof buf);
    text.append(buf, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return failure(path, "a readable scenario file", "a read error");
  return parse_scenario(text, path);
}

}  // namespace kafkasim::scenario
