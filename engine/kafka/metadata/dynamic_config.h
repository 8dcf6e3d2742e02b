// Dynamic configuration: what `kafka-configs --alter` changes on a running cluster, and how a
// broker or controller resolves a setting from it (Kafka's DynamicBrokerConfig, LogConfig and,
// in KRaft, ConfigurationControlManager / KafkaConfigSchema; KAFKA-12670 for the controller's
// own lookup of unclean.leader.election.enable).
//
// Three kinds of entity hold settings: a topic, one broker ("101"), and the cluster-wide broker
// default (Kafka's `<default>`, here the empty name). KRaft stores them as ConfigRecords in the
// metadata log; ZooKeeper mode as /config/topics/<t> and /config/brokers/<id|<default>> znodes
// announced through /config/changes. Either way every node ends up with one DynamicConfigs
// value and reads its settings through it.
//
// Precedence, strongest first (Kafka's synonym order):
//   topic setting (set dynamically, or given when the topic was created)
//   > this broker's dynamic setting (log.retention.ms before .minutes before .hours)
//   > the cluster-wide dynamic default
//   > the static server.properties value (ClusterSpec.config / default_log) > Kafka's default.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/common/ids.h"
#include "kafka/log/partition_log.h"
#include "sim/result.h"

namespace kafkasim::kafka {

/// Kafka's ConfigResource.Type ids.
enum class ConfigResourceType : uint8_t { topic = 2, broker = 4 };

/// Which entity a dynamic setting belongs to: a topic, one broker, or (broker, "") the cluster
/// default.
struct ConfigResource {
  ConfigResourceType type = ConfigResourceType::topic;
  std::string name;  // topic name, broker id ("101"), or "" for the cluster-wide default
  /// "topic orders", "broker 101", "cluster-wide broker default"
  std::string describe() const;
  friend auto operator<=>(const ConfigResource&, const ConfigResource&) = default;
};

/// "3", "true", "0.5", "compact,delete": how kafka-configs and ZooKeeper write a value.
std::string config_value_text(const KafkaConfig::Value& v);
/// Reads a value written by config_value_text back, typed as `key` wants; nullopt if it is not.
std::optional<KafkaConfig::Value> parse_config_value(std::string_view key, const std::string& text);

/// Whether `key` = `value` may be set dynamically on `resource`'s kind of entity, with the
/// value typed and in range as Kafka checks it. The error names the setting and says why
/// (unknown, a read-only broker setting, a setting of the other entity kind, a bad value).
sim::Result<sim::Ok, std::string> check_dynamic_config(ConfigResourceType type,
                                                       std::string_view key,
                                                       const KafkaConfig::Value& value);
/// The topic-level settings the simulator models, and the broker ones kafka-configs may change.
const std::vector<std::string_view>& dynamic_topic_config_names();
const std::vector<std::string_view>& dynamic_broker_config_names();

class DynamicConfigs {
 public:
  using Settings = std::map<std::string, KafkaConfig::Value>;

  /// Sets `key` on `resource` (nullopt removes it: kafka-configs --delete-config).
  void set(const ConfigResource& resource, const std::string& key,
           const std::optional<KafkaConfig::Value>& value);
  const Settings* topic(const std::string& name) const;
  /// One broker's settings (`id` >= 0) or, with kNoLeader, the cluster-wide default.
  const Settings* broker(BrokerId id) const;
  bool empty() const { return topics_.empty() && brokers_.empty(); }
  /// Bumped on every change: cheap "did anything change" for whoever applies them.
  uint64_t version() const { return version_; }
  const std::map<std::string, Settings>& topics() const { return topics_; }
  const std::map<std::string, Settings>& brokers() const { return brokers_; }

  // [resolution] -----------------------------------------------------------------------------
  /// The log settings of `topic`'s replicas on broker `node`: `static_default` is the broker's
  /// server.properties log settings, `static_topic` the topic's creation-time settings (a field
  /// equal to the static default counts as not set at topic level).
  LogConfig log_config(const std::string& topic, BrokerId node, const LogConfig& static_default,
                       const LogConfig* static_topic) const;
  int64_t min_insync_replicas(const std::string& topic, BrokerId node, int64_t static_broker,
                              std::optional<int64_t> static_topic) const;
  bool unclean_leader_election_enable(const std::string& topic, BrokerId node, bool static_broker,
                                      std::optional<bool> static_topic) const;
  /// A broker-only long setting (log.cleaner.backoff.ms) on `node`.
  int64_t broker_long(std::string_view key, BrokerId node, int64_t static_value) const;
  /// Whether any entity turns unclean.leader.election.enable on.
  bool any_unclean_enabled() const;

 private:
  /// The broker-level value of `key` (and its synonyms) on `node`, strongest first.
  /// `factor` (if given) receives the unit factor of the synonym that matched.
  const KafkaConfig::Value* broker_value(std::string_view key, BrokerId node,
                                         int64_t* factor = nullptr) const;
  const KafkaConfig::Value* topic_value(const std::string& topic, std::string_view key) const;

  std::map<std::string, Settings> topics_;
  std::map<std::string, Settings> brokers_;  // by broker id; "" = the cluster-wide default
  uint64_t version_ = 0;
};

}  // namespace kafkasim::kafka
