// Internal to engine/scenario: what the loader knows while it reads a file, for the checks
// that cross tables (a timeline step naming a node, an expectation naming a partition), and
// the readers of the timeline and the expectations, which live in their own files.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scenario/scenario.h"
#include "scenario/toml_reader.h"

namespace kafkasim::scenario::detail {

/// Most partitions one topic may have (world/limits.h).
using world::kPartitionsPerTopicMax;

/// Most names or ids a message lists before "and N more".
inline constexpr size_t kListedMax = 20;
/// "a, b, c" (the first kListedMax, then "and N more"), or `none` when there are none.
std::string name_list(const std::vector<std::string_view>& names, const char* none);
/// The keys of a map, in its (sorted) order.
template <typename Map>
std::vector<std::string_view> keys_of(const Map& m) {
  std::vector<std::string_view> out;
  out.reserve(m.size());
  for (const auto& [key, value] : m)
    out.push_back(key);
  return out;
}

struct TopicInfo {
  int32_t partitions = -1;  // -1: the topic's own table had errors; ranges are not checked
  SourcePos pos;
};

/// A partition growth by add_partitions: from `time` on, `topic` has `count` partitions.
struct Growth {
  sim::Time time;
  std::string topic;
  int32_t count = 0;
};

struct LoadContext {
  LoadContext(Reader& reader, Scenario& scenario) : r(reader), s(scenario) {}

  Reader& r;
  Scenario& s;
  bool duration_ok = false;  // s.duration was read: times can be checked against it
  bool cluster_ok = true;    // node ids were read: references to nodes can be checked
  std::vector<int32_t> brokers;
  std::vector<int32_t> controllers;  // who can be the active controller (brokers in ZK mode)
  std::vector<int32_t> nodes;        // every Kafka node: brokers, controllers or ZooKeeper
  std::map<std::string, TopicInfo> topics;
  std::map<std::string, SourcePos> producers;              // client id -> [[producer]]
  std::map<std::string, SourcePos> consumers;              // client id -> [[consumer]]
  std::map<std::string, std::vector<std::string>> groups;  // group -> member client ids
  std::vector<Growth> growth;                              // add_partitions steps in time order

  /// The partition count of `topic` at `at` (nullopt: the end), -1 when unknown.
  int32_t partitions_at(const std::string& topic, std::optional<sim::Time> at) const;

  // Checks shared by the timeline and the expectations; each reports and gives nullopt.
  /// A node id of the cluster (`brokers_only`: a broker id).
  std::optional<int32_t> node_id(const toml::node& n, const Path& p, bool brokers_only);
  /// A node id, "controller" or "leader:TOPIC-N" (the partition must exist at `at`).
  std::optional<world::NodeRef> node_ref(const toml::node& n, const Path& p,
                                         std::optional<sim::Time> at);
  /// "orders-0": a partition that exists at `at`.
  std::optional<std::string> partition(const toml::node& n, const Path& p,
                                       std::optional<sim::Time> at);
  /// A topic the scenario creates.
  std::optional<std::string> topic(const toml::node& n, const Path& p);
  /// `between = [a, b]` and at least one of latency, jitter, loss, down: [[network.link]]
  /// and the link action.
  std::optional<world::SetLink> link(TableReader& tr);
  /// A time within the run: at most the scenario's duration.
  bool within_run(const toml::node& n, const Path& p, sim::Time t);

  /// "101, 102, 103": ids for messages (the first kListedMax).
  static std::string id_list(const std::vector<int32_t>& ids);
  /// The topic names, for messages and suggestions.
  std::vector<std::string_view> topic_names() const { return keys_of(topics); }

 private:
  std::optional<std::string> check_partition(const std::string& name, const toml::node& n,
                                             const Path& p, std::optional<sim::Time> at);
};

/// Reads a TOML value into a Kafka setting value (string, integer, float, bool, or an array
/// of strings); anything else is reported.
std::optional<SettingValue> read_setting_value(Reader& r, const toml::node& n, const Path& p);

/// [[at]]: parses, sorts by time (stably), and checks each step against the node states the
/// steps before it leave (no restart of a running node, no crash of a crashed one...).
void load_timeline(LoadContext& c, const toml::node& at);
/// [[expect]]
void load_expectations(LoadContext& c, const toml::node& expect);
/// The array of tables under a top-level key ([[topic]], [[at]]...), or nullptr (reported
/// when the key holds anything else).
const toml::array* tables_of(Reader& r, const toml::node& n, std::string_view key);

}  // namespace kafkasim::scenario::detail
