// Always-on invariants, checked after every event of a run (`kafkasim check`, `kafkasim fuzz`):
//   * no acknowledged record lost, for the producers and topics whose settings promise it
//     (acks=all, min.insync.replicas >= 2 with a replication factor of 2 or more, unclean leader
//     election off, followers that truncate by leader epoch (not legacy ZooKeeper mode), and no
//     power loss unless the topic flushes every message);
//   * at most one leader per partition and leader epoch;
//   * a leader's high watermark never decreases within its epoch;
//   * per-partition order: a consumer reading a partition forward sees each idempotent (or
//     max.in.flight=1) producer's records in the order they were sent;
//   * consumer groups: a group's committed offset of a partition never goes backwards (as its
//     coordinator holds it, across coordinator failovers), and within one generation no
//     partition is owned by two members (as the members themselves hold it).
// Operator commands that weaken a topic (set_config unclean.leader.election.enable=true or
// min.insync.replicas below 2, a reassignment to a single replica) withdraw the no-loss promise
// for that topic's producers (for every producer when set on a broker or the cluster default).
// The first violation is kept with the event that broke it (World::describe_event(last_event())).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "world/cluster.h"

namespace kafkasim::check {

struct Violation {
  std::string invariant;  // "acked_records_lost", "one_leader_per_epoch", ...
  std::string what;       // what is wrong, in Kafka's terms
  std::string event;      // the event after which it was first seen
  sim::Time at;
};

class InvariantChecker {
 public:
  InvariantChecker() = default;
  explicit InvariantChecker(const world::ClusterSpec& spec);

  /// Call after every World::step(). Cheap when nothing relevant moved.
  void after_event(const world::World& w);
  /// A last full check (at the end of a run).
  void finish(const world::World& w);

  const std::optional<Violation>& violation() const { return first_; }
  /// Producers (client ids) whose settings promise no acknowledged record is lost.
  const std::vector<std::string>& promised() const { return promised_; }

 private:
  void fail(const world::World& w, std::string invariant, std::string what);
  void withdraw_promises(const world::Command& c);
  void check_leaders(const world::World& w, bool& suspect);
  void check_order(const world::World& w);
  void check_acked(const world::World& w);
  void check_groups(const world::World& w);

  world::ClusterSpec spec_;
  std::vector<std::string> promised_;
  std::vector<std::string> flush_every_message_topics_;  // power loss cannot take their data
  bool power_lost_ = false;
  bool acked_pending_ = false;  // something moved that may lose records: check when possible
  size_t commands_seen_ = 0;
  std::optional<Violation> first_;
  // one leader per epoch: (topic, partition, epoch) -> broker
  std::map<std::tuple<std::string, int32_t, int32_t>, int32_t> leader_of_epoch_;
  // HW per (broker, topic, partition, epoch) while leader
  std::map<std::tuple<int32_t, std::string, int32_t, int32_t>, int64_t> leader_hw_;
  // what every replica looked like after the previous event: (role, epoch, log end offset)
  std::map<std::tuple<int32_t, std::string, int32_t>, std::tuple<int, int32_t, int64_t>> shape_;
  std::vector<uint8_t> status_;  // node statuses after the previous event
  // order: per consumer node, deliveries checked so far and, per partition, the last offset
  // and each producer's last record
  struct ConsumerCursor {
    size_t checked = 0;
    std::map<int32_t, std::pair<int64_t, std::map<uint32_t, uint64_t>>> by_partition;
  };
  std::map<int32_t, ConsumerCursor> consumers_;
  std::vector<uint32_t> ordered_producers_;  // producer indexes whose order is promised
  // groups: the highest committed offset seen per (group, partition)
  std::vector<std::string> groups_;
  std::map<std::pair<std::string, kafka::TopicPartitionName>, int64_t> committed_;
  bool offsets_promised_ = true;  // withdrawn by a power loss or an unclean election setting
};

}  // namespace kafkasim::check
