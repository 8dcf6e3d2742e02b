// Commands: the only way to change a World from outside (timeline actions, the studio's
// clicks, the fuzzer's faults). Each is applied at an event boundary, validated first, traced,
// and logged with its simulated time so a run can be re-executed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kafka/common/config.h"
#include "sim/time.h"

namespace kafkasim::world {

/// A node named by id, or by a role resolved at the moment the command runs:
/// "controller" (the active controller) or "leader:orders-0" (that partition's leader).
struct NodeRef {
  int32_t id = -1;
  std::string role;  // empty: `id` names the node
  NodeRef() = default;
  NodeRef(int32_t node_id) : id(node_id) {}  // NOLINT: ids convert implicitly, as in Crash{3}
  static NodeRef of_role(std::string r) {
    NodeRef n;
    n.role = std::move(r);
    return n;
  }
  /// "node 3", "controller", "leader:orders-0"
  std::string describe() const;
};

/// kill -9: in-memory state is lost; what the node wrote survives.
struct Crash {
  NodeRef node;
};
/// The machine loses power: like a crash, and peers only notice by timeout.
struct PowerLoss {
  NodeRef node;
};
/// A crashed or powered-off node starts again.
struct Restart {
  NodeRef node;
};
/// Cut every link of the node, both ways; the process keeps running.
struct Isolate {
  NodeRef node;
};
/// Nodes in different groups cannot reach each other; unlisted nodes form one more group.
struct Partition {
  std::vector<std::vector<int32_t>> groups;
};
/// Every cut link comes back.
struct Heal {};
/// Change the link a <-> b; unset fields keep their value.
struct SetLink {
  int32_t a = 0;
  int32_t b = 0;
  std::optional<sim::Time> latency;
  std::optional<sim::Time> jitter;
  std::optional<double> loss;
  std::optional<bool> down;
};
/// The process freezes (a long GC pause): its timers and incoming messages wait.
struct Pause {
  NodeRef node;
  sim::Time duration;
};
/// A clean, controlled shutdown (SIGTERM): a broker first asks the controller to move its
/// leaderships away, then stops. Restart brings it back.
struct Shutdown {
  NodeRef node;
};
/// Preferred leader election, like kafka-leader-election --election-type preferred; an empty
/// partition means every partition.
struct ElectPreferred {
  std::string partition;
};
/// kafka-topics --alter --partitions: the active controller grows `topic` to `count`
/// partitions in total, placed like a new topic's. A count that is not an increase is refused
/// by the controller (INVALID_PARTITIONS, traced) and changes nothing.
struct AddPartitions {
  std::string topic;
  int32_t count = 0;
};
/// kafka-reassign-partitions --execute (KIP-455): `partition` ("orders-0") moves to `replicas`,
/// the first being the preferred leader. New replicas catch up and join the ISR, then the
/// controller drops the removed ones (they delete their logs) and moves leadership if needed.
struct Reassign {
  std::string partition;
  std::vector<int32_t> replicas;
};
/// kafka-configs --alter --add-config key=value on a topic (`topic`), one broker (`node`), or
/// with neither the cluster-wide broker default (--entity-default). Only settings Kafka can
/// change dynamically are accepted; values are typed as Kafka types them.
struct SetConfig {
  std::optional<NodeRef> node;
  std::string topic;
  std::string key;
  kafka::KafkaConfig::Value value;
};
/// Forces the node's logs to disk now (fsync): what a power loss cannot take any more.
struct Flush {
  NodeRef node;
};
/// Narration: a line for the trace and the studio's lesson panel.
struct Narrate {
  std::string text;
};

using Command =
    std::variant<Crash, PowerLoss, Restart, Isolate, Partition, Heal, SetLink, Pause, Shutdown,
                 ElectPreferred, Flush, Narrate, AddPartitions, Reassign, SetConfig>;

/// One line describing a command, e.g. "crash node 3".
std::string describe(const Command& c);

struct StampedCommand {
  sim::Time at;
  Command command;
  bool from_timeline = false;  // scheduled in advance (scenario), not made interactively
  uint64_t after_event = 0;    // in World::command_log(): events executed before it applied
};

}  // namespace kafkasim::world
