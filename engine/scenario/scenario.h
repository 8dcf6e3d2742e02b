// Scenario: one scenario file (scenarios/*.toml, ../shared/SCENARIO_FORMAT.md) as a plain,
// copyable value. The loader (loader.h) builds it from TOML and validates everything once;
// whoever runs it (the CLI, the studio, the checker) trusts it.
//
// What it holds: the cluster to build (a world::ClusterSpec that has passed check_spec), the
// per-link network overrides, every consumer as declared (group consumers included), the
// timeline of faults, operator actions and narration sorted by time, and the expectations.
// Steps and expectations keep their place in the file so later errors and `kafkasim check`
// output can point at it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "check/observe.h"
#include "kafka/client/consumer.h"
#include "sim/time.h"
#include "world/cluster.h"
#include "world/command.h"

namespace kafkasim::scenario {

/// A place in the scenario file, 1-based; 0 when unknown.
struct SourcePos {
  int32_t line = 0;
  int32_t column = 0;
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

/// A Kafka setting's value as written: Kafka's own types (lists as TOML arrays of strings).
using SettingValue = std::variant<int64_t, double, bool, std::string, std::vector<std::string>>;

// [timeline]
// ---------------------------------------------------------------------------------------------
/// Nothing (a narration-only step) or a World command (every action of the format is one).
using Action = std::variant<std::monostate, world::Command>;

/// One [[at]] block.
struct Step {
  SourcePos pos;        // the [[at]] header
  sim::Time time;       // when it happens
  std::string action;   // the action's name as written ("crash"); empty when none
  Action what;          // monostate when the step only narrates
  std::string narrate;  // text for the trace and the lesson panel; may be empty
  bool pause = false;   // the studio pauses here in lesson mode; headless runs ignore it
  /// The studio plays on at this speed from here (simulated seconds per real second);
  /// headless runs ignore it.
  std::optional<double> speed;
};

/// The studio's playback speeds a lesson may ask for (the time bar's range).
inline constexpr double kSpeedMin = 0.01, kSpeedMax = 1000.0;

// [expectations]
// ---------------------------------------------------------------------------------------------
/// Every row of the format's expectation table: the checker's observables (check/observe.h),
/// with their file names ("leader", "acked_records_lost"...).
using What = check::What;
using check::what_name;
inline constexpr int kWhatCount = 21;

enum class Compare : uint8_t { equals, not_equals, in, at_least, at_most };
/// The key used in files: "equals", "not", "in", "at_least", "at_most".
std::string_view compare_name(Compare c);

/// A compared value: a number (node id, offset, count), a string (group state), or a sorted
/// list (an ISR of node ids, an assignment of partition names).
using ExpectValue =
    std::variant<int64_t, std::string, std::vector<int64_t>, std::vector<std::string>>;

/// One [[expect]] block: what must hold at a time (or at the end of the run).
struct Expectation {
  SourcePos pos;                // the [[expect]] header
  std::optional<sim::Time> at;  // nullopt: at the end of the run
  What what = What::leader;
  // Keys; empty (or nullopt) when not given. Which ones a row takes: SCENARIO_FORMAT.md.
  std::string partition;  // "orders-0"
  std::optional<int32_t> node;
  std::string topic;
  std::string group;
  std::string member;  // a consumer id of `group`
  std::string client;  // a producer id
  std::string error;   // a Kafka error name, "NOT_ENOUGH_REPLICAS"
  Compare compare = Compare::equals;
  ExpectValue value;                // equals, not, at_least, at_most
  std::vector<ExpectValue> any_of;  // in
};

// [clients]
// ---------------------------------------------------------------------------------------------
/// Consumer-group settings (Kafka 4.x defaults): the engine's own.
using GroupSettings = kafka::GroupConfig;

/// A [[consumer]] as declared; also in spec.consumers (with `config.group` filled in).
struct ConsumerInfo {
  SourcePos pos;
  kafka::ConsumerConfig config;  // client id, topics, partitions, start, fetch settings
  std::string group;             // empty: standalone, assign()s `config.partitions`
  GroupSettings group_settings;
};

/// A [[network.link]] override, symmetric; apply it right after building the World.
struct LinkOverride {
  SourcePos pos;
  world::SetLink link;
};

struct Scenario {
  std::string name;
  std::string description;
  uint64_t seed = 1;
  sim::Time duration;           // how long a headless run lasts
  std::optional<double> speed;  // the studio's starting speed for this lesson (none: its own)
  world::ClusterSpec spec;      // brokers, controllers, topics, settings, producers, standalone
                                // consumers; spec.seed == seed; passes world::check_spec
  std::vector<LinkOverride> links;
  std::vector<ConsumerInfo> consumers;    // every [[consumer]], in file order
  std::vector<Step> timeline;             // sorted by time; equal times keep file order
  std::vector<Expectation> expectations;  // in file order
};

}  // namespace kafkasim::scenario
