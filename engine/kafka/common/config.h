// Broker and controller settings, by Kafka's names, with Kafka 4.x defaults
// (../shared/KAFKA_REFERENCE.md sections 2 and 3). Only settings the simulator models are here;
// the scenario loader rejects any other name (unknown, or known to Kafka but not modelled).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/result.h"
#include "sim/time.h"

namespace kafkasim::kafka {

struct KafkaConfig {
  // KRaft quorum (QuorumConfig)
  int64_t controller_quorum_election_timeout_ms = 1000;
  int64_t controller_quorum_fetch_timeout_ms = 2000;
  int64_t controller_quorum_election_backoff_max_ms = 1000;
  int64_t controller_quorum_request_timeout_ms = 2000;
  int64_t controller_quorum_retry_backoff_ms = 20;
  int64_t metadata_max_idle_interval_ms = 500;
  // Broker lifecycle (KRaftConfigs)
  int64_t broker_heartbeat_interval_ms = 2000;
  int64_t broker_session_timeout_ms = 9000;
  // Leadership (ReplicationConfigs)
  bool unclean_leader_election_enable = false;
  // Internal in Kafka (ReplicationConfigs): how often the KRaft controller retries unclean
  // elections for leaderless partitions, which is how a dynamically enabled
  // unclean.leader.election.enable takes effect (KAFKA-12670).
  int64_t unclean_leader_election_interval_ms = 300000;
  bool auto_leader_rebalance_enable = true;
  int64_t leader_imbalance_check_interval_seconds = 300;
  int64_t replica_lag_time_max_ms = 30000;
  int64_t min_insync_replicas = 1;
  int64_t default_replication_factor = 1;
  int64_t num_partitions = 1;
  // Replication and logs (ReplicationConfigs, ServerLogConfigs)
  int64_t replica_fetch_wait_max_ms = 500;
  int64_t replica_fetch_min_bytes = 1;
  int64_t replica_fetch_max_bytes = 1048576;
  int64_t replica_high_watermark_checkpoint_interval_ms = 5000;
  int64_t log_retention_check_interval_ms = 300000;
  int64_t log_cleaner_backoff_ms = 15000;
  // Group coordinator (GroupCoordinatorConfig; KAFKA_REFERENCE 5.3)
  int64_t offsets_topic_num_partitions = 50;
  int64_t offsets_topic_replication_factor = 3;
  int64_t offsets_commit_timeout_ms = 5000;
  int64_t group_initial_rebalance_delay_ms = 3000;
  int64_t group_min_session_timeout_ms = 6000;
  int64_t group_max_session_timeout_ms = 1800000;
  // ZooKeeper mode only (KRaft has metadata.version instead): "" is the newest. Below 0.11
  // followers truncate to their high watermark on becoming followers, as before KIP-101.
  std::string inter_broker_protocol_version;

  /// A setting's value, typed as Kafka types it: LONG/INT, BOOLEAN, DOUBLE
  /// (min.cleanable.dirty.ratio), STRING or LIST (cleanup.policy = "compact,delete").
  using Value = std::variant<int64_t, bool, std::string, double>;
  struct Key {
    const char* name;
    Value default_value;
    const char* doc;
  };
  /// Every setting modelled, with its default and a one-line meaning (for errors and the UI).
  static const std::vector<Key>& keys();
  /// Sets `name` to `value`; an unknown name or a wrong type is an error saying so.
  sim::Result<sim::Ok, std::string> set(std::string_view name, const Value& value);
  /// The current value of `name` (a name from keys()), or nullopt for an unknown name.
  std::optional<Value> get(std::string_view name) const;

  sim::Time ms(int64_t v) const { return sim::Time::from_ms(v); }
  /// inter.broker.protocol.version is set and older than 0.11 (pre-KIP-101 truncation).
  bool truncates_to_high_watermark() const;
};

}  // namespace kafkasim::kafka
