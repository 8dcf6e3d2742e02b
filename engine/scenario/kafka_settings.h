// Kafka settings by Kafka's own names, for the four tables where a scenario sets them:
// [cluster.config] (brokers and controllers), [topic.config], [producer.config] and
// [consumer.config]. A name the simulator models is applied to the engine's structs with its
// type and range checked; a real Kafka 4.x setting the simulator does not model, a setting of
// another table, or an unknown name is refused with a reason and, where one is near, the
// closest known name. Settings that belong to the simulator start with `sim.`.
//
// Nothing here knows TOML: the loader turns values into SettingValue and the refusals into
// diagnostics with the file position.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/scenario.h"

namespace kafkasim::scenario {

enum class SettingScope : uint8_t { broker, topic, producer, consumer };

/// Why a setting was refused. When `about_name` the name is the problem (unknown, not
/// modelled, in the wrong table); otherwise its value is.
struct SettingError {
  bool about_name = false;
  std::string expected;
  std::string found_note;  // said after what was found: "a Kafka setting the simulator ..."
  std::string hint;        // "did you mean ...?", "put it in [producer.config]"
};
/// nullopt: the setting was applied.
using SettingResult = std::optional<SettingError>;

/// One [cluster.config] entry: KafkaConfig, the broker log defaults (log.retention.ms ...),
/// zookeeper.session.timeout.ms and the simulator's own sim.* settings. `spec.mode` must be
/// final: settings of the other mode are refused.
SettingResult set_broker_setting(world::ClusterSpec& spec, std::string_view name,
                                 const SettingValue& value);
/// One [topic.config] entry. `overrides.log` must start as the broker defaults.
SettingResult set_topic_setting(kafka::TopicSpec& topic, kafka::TopicOverrides& overrides,
                                std::string_view name, const SettingValue& value);
SettingResult set_producer_setting(kafka::ProducerConfig& producer, std::string_view name,
                                   const SettingValue& value);
/// Consumer-group settings go to `group` and need `in_group` (Kafka refuses, for example,
/// enable.auto.commit = true without a group.id).
SettingResult set_consumer_setting(kafka::ConsumerConfig& consumer, GroupSettings& group,
                                   bool in_group, std::string_view name, const SettingValue& value);

/// Kafka's checks between producer settings, once all are set (ProducerConfig): idempotence
/// needs acks=all, retries > 0 and at most 5 requests in flight; set explicitly with a
/// conflicting setting it is an error, left unset it is turned off. delivery.timeout.ms must
/// be at least linger.ms + request.timeout.ms when set explicitly. `explicit_names` are the
/// names the file set. On error: the name to blame and why.
std::optional<std::pair<std::string, SettingError>> finish_producer_settings(
    kafka::ProducerConfig& producer, const std::vector<std::string>& explicit_names);

/// A broker setting Kafka can change on a running cluster (kafka-configs --alter), among
/// those modelled: what the `set_config` action accepts.
bool is_dynamic_broker_setting(std::string_view name);

/// Kafka's precedence among synonyms (log.retention.ms over .minutes over .hours): apply
/// settings in increasing rank so the stronger name wins whatever the order in the file.
int setting_rank(std::string_view name);

/// Every name the simulator models in a scope, sim.* included (suggestions, docs, the studio).
std::vector<std::string_view> modelled_settings(SettingScope scope);
/// A real Kafka 4.x setting of that scope, modelled or not.
bool is_kafka_setting(SettingScope scope, std::string_view name);

}  // namespace kafkasim::scenario
