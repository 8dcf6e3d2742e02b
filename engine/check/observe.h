// What a scenario's [[expect]] blocks look at: one observable of the cluster, by the names of
// the scenario format ("leader", "isr", "high_watermark", "acked_records_lost", ...), read from
// a World at the moment it is asked. The scenario checker compares it with what was expected.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/result.h"
#include "world/world.h"

namespace kafkasim::check {

enum class What : uint8_t {
  leader,
  isr,
  leader_epoch,
  high_watermark,
  log_end_offset,
  controller,
  online_partitions,
  offline_partitions,
  acked_records_lost,
  duplicates,
  replica_divergence,
  out_of_order,
  consumed,
  committed_offset,
  lag,
  group_state,
  assignment,
  produce_errors,
  rebalances,
  redelivered,
  coordinator,
};
/// Every observable with its scenario-format name, in the order of the format's table.
const std::vector<std::pair<What, const char*>>& whats();
std::string_view what_name(What w);
std::optional<What> what_from_name(std::string_view name);

struct Query {
  What what = What::leader;
  std::string partition;        // "orders-0"
  std::optional<int32_t> node;  // high_watermark / log_end_offset on this broker
  std::string topic;            // limits counts to one topic ("" = all)
  std::string group;            // consumer groups
  std::string member;
  std::string client;  // produce_errors / consumed: one client ("" = all)
  std::string error;   // produce_errors: one Kafka error name ("" = all)
};

/// An observed value: a number, a name, or a sorted list of either.
using Observed = std::variant<int64_t, std::string, std::vector<int64_t>, std::vector<std::string>>;
std::string format(const Observed& v);

/// Reads `q` from `w` now; an error when the question cannot be answered (no such partition,
/// a consumer group feature the simulator does not model yet).
sim::Result<Observed, std::string> observe(const world::World& w, const Query& q);

}  // namespace kafkasim::check
