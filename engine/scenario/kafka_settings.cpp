// Kafka settings for scenario files: which names exist in Kafka 4.x, which the simulator
// models, and how each modelled one is checked and applied.
//
// Index:
//   [SECTION] Kafka's names: real settings per scope that the simulator does not model
//   [SECTION] value checks
//   [SECTION] refusing a name: unknown, not modelled, in another table
//   [SECTION] broker ([cluster.config])
//   [SECTION] topic ([topic.config])
//   [SECTION] producer ([producer.config])
//   [SECTION] consumer ([consumer.config])
#include "scenario/kafka_settings.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "scenario/diagnostic.h"
#include "world/limits.h"

namespace kafkasim::scenario {

namespace {

// [SECTION] Kafka's names: real settings per scope that the simulator does not model
// ---------------------------------------------------------------------------------------------
// Taken from Kafka 4.x's config definitions (ServerConfigs, ServerLogConfigs, KRaftConfigs,
// ReplicationConfigs, SocketServerConfigs, GroupCoordinatorConfig, TopicConfig, ProducerConfig,
// ConsumerConfig, CommonClientConfigs, SslConfigs, SaslConfigs...). A name here is refused
// with "a Kafka setting the simulator does not model" rather than "unknown".

/// Security settings every broker and client has (listener prefixes aside).
constexpr std::string_view kSecurityNames[] = {
    "sasl.client.callback.handler.class",
    "sasl.jaas.config",
    "sasl.kerberos.kinit.cmd",
    "sasl.kerberos.min.time.before.relogin",
    "sasl.kerberos.service.name",
    "sasl.kerberos.ticket.renew.jitter",
    "sasl.kerberos.ticket.renew.window.factor",
    "sasl.login.callback.handler.class",
    "sasl.login.class",
    "sasl.login.connect.timeout.ms",
    "sasl.login.read.timeout.ms",
    "sasl.login.refresh.buffer.seconds",
    "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.window.factor",
    "sasl.login.refresh.window.jitter",
    "sasl.login.retry.backoff.max.ms",
    "sasl.login.retry.backoff.ms",
    "sasl.mechanism",
    "sasl.oauthbearer.clock.skew.seconds",
    "sasl.oauthbearer.expected.audience",
    "sasl.oauthbearer.expected.issuer",
    "sasl.oauthbearer.jwks.endpoint.refresh.ms",
    "sasl.oauthbearer.jwks.endpoint.url",
    "sasl.oauthbearer.scope.claim.name",
    "sasl.oauthbearer.sub.claim.name",
    "sasl.oauthbearer.token.endpoint.url",
    "security.protocol",
    "security.providers",
    "ssl.cipher.suites",
    "ssl.enabled.protocols",
    "ssl.endpoint.identification.algorithm",
    "ssl.engine.factory.class",
    "ssl.key.password",
    "ssl.keymanager.algorithm",
    "ssl.keystore.certificate.chain",
    "ssl.keystore.key",
    "ssl.keystore.location",
    "ssl.keystore.password",
    "ssl.keystore.type",
    "ssl.protocol",
    "ssl.provider",
    "ssl.secure.random.implementation",
    "ssl.trustmanager.algorithm",
    "ssl.truststore.certificates",
    "ssl.truststore.location",
    "ssl.truststore.password",
    "ssl.truststore.type",
};

constexpr std::string_view kBrokerUnmodelled[] = {
    "advertised.listeners",
    "alter.config.policy.class.name",
    "alter.log.dirs.replication.quota.window.num",
    "alter.log.dirs.replication.quota.window.size.seconds",
    "authorizer.class.name",
    "auto.create.topics.enable",
    "background.threads",
    "broker.id",
    "broker.id.generation.enable",
    "broker.rack",
    "client.quota.callback.class",
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.type",
    "compression.zstd.level",
    "connection.failed.authentication.delay.ms",
    "connections.max.idle.ms",
    "connections.max.reauth.ms",
    "control.plane.listener.name",
    "controlled.shutdown.enable",
    "controlled.shutdown.max.retries",
    "controlled.shutdown.retry.backoff.ms",
    "controller.listener.names",
    "controller.quorum.append.linger.ms",
    "controller.quorum.bootstrap.servers",
    "controller.quorum.voters",
    "controller.quota.window.num",
    "controller.quota.window.size.seconds",
    "controller.socket.timeout.ms",
    "create.topic.policy.class.name",
    "delegation.token.expiry.check.interval.ms",
    "delegation.token.expiry.time.ms",
    "delegation.token.max.lifetime.ms",
    "delegation.token.secret.key",
    "delete.records.purgatory.purge.interval.requests",
    "delete.topic.enable",
    "early.start.listeners",
    "eligible.leader.replicas.enable",
    "fetch.max.bytes",
    "fetch.purgatory.purge.interval.requests",
    "follower.replication.throttled.rate",
    "group.consumer.assignors",
    "group.consumer.heartbeat.interval.ms",
    "group.consumer.max.heartbeat.interval.ms",
    "group.consumer.max.session.timeout.ms",
    "group.consumer.max.size",
    "group.consumer.migration.policy",
    "group.consumer.min.heartbeat.interval.ms",
    "group.consumer.min.session.timeout.ms",
    "group.consumer.session.timeout.ms",
    "group.coordinator.append.linger.ms",
    "group.coordinator.new.enable",
    "group.coordinator.rebalance.protocols",
    "group.coordinator.threads",
    "group.max.size",
    "initial.broker.registration.timeout.ms",
    "inter.broker.listener.name",
    "kafka.metrics.polling.interval.secs",
    "kafka.metrics.reporters",
    "leader.imbalance.per.broker.percentage",
    "leader.replication.throttled.rate",
    "listener.security.protocol.map",
    "listeners",
    "log.cleaner.dedupe.buffer.size",
    "log.cleaner.enable",
    "log.cleaner.io.buffer.load.factor",
    "log.cleaner.io.buffer.size",
    "log.cleaner.io.max.bytes.per.second",
    "log.cleaner.max.compaction.lag.ms",
    "log.cleaner.threads",
    "log.dir",
    "log.dir.failure.timeout.ms",
    "log.dirs",
    "log.flush.offset.checkpoint.interval.ms",
    "log.flush.scheduler.interval.ms",
    "log.flush.start.offset.checkpoint.interval.ms",
    "log.index.interval.bytes",
    "log.index.size.max.bytes",
    "log.initial.task.delay.ms",
    "log.local.retention.bytes",
    "log.local.retention.ms",
    "log.message.downconversion.enable",
    "log.message.format.version",
    "log.message.timestamp.after.max.ms",
    "log.message.timestamp.before.max.ms",
    "log.message.timestamp.difference.max.ms",
    "log.message.timestamp.type",
    "log.preallocate",
    "log.roll.jitter.hours",
    "log.roll.jitter.ms",
    "log.segment.delete.delay.ms",
    "max.connection.creation.rate",
    "max.connections",
    "max.connections.per.ip",
    "max.connections.per.ip.overrides",
    "max.incremental.fetch.session.cache.slots",
    "max.request.partition.size.limit",
    "message.max.bytes",
    "metadata.log.dir",
    "metadata.log.max.record.bytes.between.snapshots",
    "metadata.log.max.snapshot.interval.ms",
    "metadata.log.segment.bytes",
    "metadata.log.segment.min.bytes",
    "metadata.log.segment.ms",
    "metadata.max.retention.bytes",
    "metadata.max.retention.ms",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.recording.level",
    "metrics.sample.window.ms",
    "node.id",
    "num.io.threads",
    "num.network.threads",
    "num.recovery.threads.per.data.dir",
    "num.replica.alter.log.dirs.threads",
    "num.replica.fetchers",
    "offset.metadata.max.bytes",
    "offsets.load.buffer.size",
    "offsets.retention.check.interval.ms",
    "offsets.retention.minutes",
    "offsets.topic.compression.codec",
    "offsets.topic.segment.bytes",
    "principal.builder.class",
    "process.roles",
    "producer.id.expiration.check.interval.ms",
    "producer.id.expiration.ms",
    "producer.purgatory.purge.interval.requests",
    "queued.max.request.bytes",
    "queued.max.requests",
    "quota.window.num",
    "quota.window.size.seconds",
    "remote.fetch.max.wait.ms",
    "remote.log.manager.thread.pool.size",
    "remote.log.metadata.manager.class.name",
    "remote.log.storage.manager.class.name",
    "remote.log.storage.system.enable",
    "replica.alter.log.dirs.io.max.bytes.per.second",
    "replica.fetch.backoff.ms",
    "replica.fetch.response.max.bytes",
    "replica.selector.class",
    "replica.socket.receive.buffer.bytes",
    "replica.socket.timeout.ms",
    "replication.quota.window.num",
    "replication.quota.window.size.seconds",
    "request.timeout.ms",
    "reserved.broker.max.id",
    "sasl.enabled.mechanisms",
    "sasl.kerberos.principal.to.local.rules",
    "sasl.mechanism.controller.protocol",
    "sasl.mechanism.inter.broker.protocol",
    "sasl.server.callback.handler.class",
    "sasl.server.max.receive.size",
    "security.inter.broker.protocol",
    "server.max.startup.time.ms",
    "socket.connection.setup.timeout.max.ms",
    "socket.connection.setup.timeout.ms",
    "socket.listen.backlog.size",
    "socket.receive.buffer.bytes",
    "socket.request.max.bytes",
    "socket.send.buffer.bytes",
    "ssl.allow.dn.changes",
    "ssl.allow.san.changes",
    "ssl.client.auth",
    "ssl.principal.mapping.rules",
    "telemetry.max.bytes",
    "transaction.abort.timed.out.transaction.cleanup.interval.ms",
    "transaction.max.timeout.ms",
    "transaction.partition.verification.enable",
    "transaction.remove.expired.transaction.cleanup.interval.ms",
    "transaction.state.log.load.buffer.size",
    "transaction.state.log.min.isr",
    "transaction.state.log.num.partitions",
    "transaction.state.log.replication.factor",
    "transaction.state.log.segment.bytes",
    "transactional.id.expiration.ms",
    "unclean.leader.election.interval.ms",
    "unstable.api.versions.enable",
    "unstable.feature.versions.enable",
    "zookeeper.connect",
    "zookeeper.connection.timeout.ms",
    "zookeeper.max.in.flight.requests",
    "zookeeper.metadata.migration.enable",
    "zookeeper.set.acl",
    "zookeeper.ssl.client.enable",
};

constexpr std::string_view kTopicUnmodelled[] = {
    "compression.gzip.level",
    "compression.lz4.level",
    "compression.type",
    "compression.zstd.level",
    "file.delete.delay.ms",
    "follower.replication.throttled.replicas",
    "index.interval.bytes",
    "leader.replication.throttled.replicas",
    "local.retention.bytes",
    "local.retention.ms",
    "max.compaction.lag.ms",
    "max.message.bytes",
    "message.downconversion.enable",
    "message.format.version",
    "message.timestamp.after.max.ms",
    "message.timestamp.before.max.ms",
    "message.timestamp.difference.max.ms",
    "message.timestamp.type",
    "preallocate",
    "remote.log.copy.disable",
    "remote.log.delete.on.disable",
    "remote.storage.enable",
    "segment.index.bytes",
    "segment.jitter.ms",
};

/// Settings both clients have (CommonClientConfigs) that the simulator does not model.
constexpr std::string_view kClientUnmodelled[] = {
    "bootstrap.servers",
    "client.dns.lookup",
    "client.id",
    "connections.max.idle.ms",
    "enable.metrics.push",
    "interceptor.classes",
    "metadata.recovery.strategy",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.recording.level",
    "metrics.sample.window.ms",
    "receive.buffer.bytes",
    "reconnect.backoff.max.ms",
    "reconnect.backoff.ms",
    "send.buffer.bytes",
    "socket.connection.setup.timeout.max.ms",
    "socket.connection.setup.timeout.ms",
};

constexpr std::string_view kProducerUnmodelled[] = {
    "compression.gzip.level", "compression.lz4.level",  "compression.type",
    "compression.zstd.level", "key.serializer",         "max.block.ms",
    "max.request.size",       "metadata.max.idle.ms",   "partitioner.availability.timeout.ms",
    "partitioner.class",      "transaction.timeout.ms", "transactional.id",
    "value.serializer",
};

constexpr std::string_view kConsumerUnmodelled[] = {
    "allow.auto.create.topics", "check.crcs",       "client.rack",
    "exclude.internal.topics",  "group.id",         "group.remote.assignor",
    "isolation.level",          "key.deserializer", "value.deserializer",
};

/// Real settings that a scenario sets with a key of its own, and where.
struct SetElsewhere {
  SettingScope scope;
  std::string_view name;
  std::string_view hint;
};
constexpr SetElsewhere kSetElsewhere[] = {
    {SettingScope::broker, "broker.id", "node ids come from brokers = [...] in [cluster]"},
    {SettingScope::broker, "node.id", "node ids come from brokers and controllers in [cluster]"},
    {SettingScope::broker, "process.roles",
     "roles come from brokers and controllers in [cluster] (an id in both is a combined node)"},
    {SettingScope::broker, "controller.quorum.voters", "use controllers = [...] in [cluster]"},
    {SettingScope::broker, "controller.quorum.bootstrap.servers",
     "use controllers = [...] in [cluster]"},
    {SettingScope::broker, "zookeeper.connect", "use zookeeper = [...] in [cluster]"},
    {SettingScope::broker, "broker.rack", "use racks = { 101 = \"a\", ... } in [cluster]"},
    {SettingScope::producer, "client.id", "use id = \"...\" in [[producer]]"},
    {SettingScope::producer, "bootstrap.servers", "clients bootstrap from every broker"},
    {SettingScope::consumer, "client.id", "use id = \"...\" in [[consumer]]"},
    {SettingScope::consumer, "group.id", "use group = \"...\" in [[consumer]]"},
    {SettingScope::consumer, "bootstrap.servers", "clients bootstrap from every broker"},
};

template <size_t N>
bool listed(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

bool unmodelled(SettingScope scope, std::string_view name) {
  switch (scope) {
    case SettingScope::broker:
      return listed(kBrokerUnmodelled, name) || listed(kSecurityNames, name);
    case SettingScope::topic:
      return listed(kTopicUnmodelled, name);
    case SettingScope::producer:
      return listed(kProducerUnmodelled, name) || listed(kClientUnmodelled, name) ||
             listed(kSecurityNames, name);
    case SettingScope::consumer:
      return listed(kConsumerUnmodelled, name) || listed(kClientUnmodelled, name) ||
             listed(kSecurityNames, name);
  }
  return false;
}

const char* scope_noun(SettingScope scope) {
  switch (scope) {
    case SettingScope::broker:
      return "broker";
    case SettingScope::topic:
      return "topic";
    case SettingScope::producer:
      return "producer";
    case SettingScope::consumer:
      return "consumer";
  }
  return "";
}

const char* scope_table(SettingScope scope) {
  switch (scope) {
    case SettingScope::broker:
      return "[cluster.config]";
    case SettingScope::topic:
      return "[topic.config]";
    case SettingScope::producer:
      return "[producer.config]";
    case SettingScope::consumer:
      return "[consumer.config]";
  }
  return "";
}

// [SECTION] value checks
// ---------------------------------------------------------------------------------------------
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
/// The longest time setting: the engine adds it to the clock in nanoseconds (about 3 years).
constexpr int64_t kMsMax = 100'000'000'000;

SettingError value_error(std::string expected) {
  SettingError e;
  e.expected = std::move(expected);
  return e;
}

std::string range_text(int64_t min, int64_t max) {
  if (max >= kInt64Max && min == 0) return "a non-negative integer";
  if (max >= kInt64Max && min == 1) return "a positive integer";
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

SettingResult want_int(const SettingValue& v, int64_t min, int64_t max, int64_t& out) {
  const int64_t* i = std::get_if<int64_t>(&v);
  if (i == nullptr || *i < min || *i > max) return value_error(range_text(min, max));
  out = *i;
  return std::nullopt;
}

SettingResult want_bool(const SettingValue& v, bool& out) {
  const bool* b = std::get_if<bool>(&v);
  if (b == nullptr) return value_error("true or false");
  out = *b;
  return std::nullopt;
}

SettingResult want_ratio(const SettingValue& v, double& out) {
  double d = -1;
  if (const double* f = std::get_if<double>(&v)) d = *f;
  if (const int64_t* i = std::get_if<int64_t>(&v)) d = static_cast<double>(*i);
  if (!(d >= 0.0 && d <= 1.0)) return value_error("a number from 0 to 1");
  out = d;
  return std::nullopt;
}

/// A Kafka list: a TOML array of strings, or one string with commas ("compact,delete").
std::optional<std::vector<std::string>> as_list(const SettingValue& v) {
  if (const auto* l = std::get_if<std::vector<std::string>>(&v)) return *l;
  const std::string* s = std::get_if<std::string>(&v);
  if (s == nullptr) return std::nullopt;
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s->size()) {
    size_t end = s->find(',', start);
    if (end == std::string::npos) end = s->size();
    std::string item = s->substr(start, end - start);
    const size_t first = item.find_first_not_of(" \t");
    const size_t last = item.find_last_not_of(" \t");
    out.push_back(first == std::string::npos ? "" : item.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

/// cleanup.policy: "delete", "compact", or both.
SettingResult set_cleanup_policy(kafka::LogConfig& log, const SettingValue& v) {
  const auto items = as_list(v);
  const char* expected = "\"delete\", \"compact\" or both (\"compact,delete\")";
  if (!items || items->empty()) return value_error(expected);
  bool del = false, compact = false;
  for (const std::string& item : *items) {
    if (item == "delete") {
      del = true;
    } else if (item == "compact") {
      compact = true;
    } else {
      return value_error(expected);
    }
  }
  log.cleanup_delete = del;
  log.cleanup_compact = compact;
  return std::nullopt;
}

// [SECTION] refusing a name: unknown, not modelled, in another table
// ---------------------------------------------------------------------------------------------
/// Broker names of topic settings (ServerTopicConfigSynonyms), for "topics call it ...".
struct Synonym {
  std::string_view topic;
  std::string_view broker;
};
constexpr Synonym kSynonyms[] = {
    {"segment.bytes", "log.segment.bytes"},
    {"segment.ms", "log.roll.ms"},
    {"retention.ms", "log.retention.ms"},
    {"retention.bytes", "log.retention.bytes"},
    {"cleanup.policy", "log.cleanup.policy"},
    {"min.cleanable.dirty.ratio", "log.cleaner.min.cleanable.ratio"},
    {"min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms"},
    {"delete.retention.ms", "log.cleaner.delete.retention.ms"},
    {"flush.messages", "log.flush.interval.messages"},
    {"flush.ms", "log.flush.interval.ms"},
    {"max.message.bytes", "message.max.bytes"},
    {"segment.index.bytes", "log.index.size.max.bytes"},
    {"index.interval.bytes", "log.index.interval.bytes"},
    {"file.delete.delay.ms", "log.segment.delete.delay.ms"},
    {"preallocate", "log.preallocate"},
    {"message.timestamp.type", "log.message.timestamp.type"},
    {"max.compaction.lag.ms", "log.cleaner.max.compaction.lag.ms"},
    {"segment.jitter.ms", "log.roll.jitter.ms"},
};

bool modelled(SettingScope scope, std::string_view name) {
  const auto names = modelled_settings(scope);
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The refusal of an unknown sim.* name: the nearest simulator setting of this table, or the
/// table a known one belongs to.
SettingError refuse_sim_name(SettingScope scope, std::string_view name, SettingError e) {
  std::vector<std::string_view> sims;
  for (std::string_view n : modelled_settings(scope))
    if (n.rfind("sim.", 0) == 0) sims.push_back(n);
  e.found_note = "an unknown simulator setting";
  if (const std::string near = nearest_name(name, sims); !near.empty()) {
    e.hint = "did you mean \"" + near + "\"?";
    return e;
  }
  for (SettingScope other : {SettingScope::broker, SettingScope::topic, SettingScope::producer,
                             SettingScope::consumer}) {
    if (other != scope && modelled(other, name)) {
      e.found_note = std::string("a simulator setting of the ") + scope_noun(other) + "s";
      e.hint = std::string("put it in ") + scope_table(other);
    }
  }
  return e;
}

/// The known name nearest to a misspelt one, modelled or not, with a note when it is not.
std::string suggest_setting(SettingScope scope, std::string_view name) {
  std::vector<std::string_view> known = modelled_settings(scope);
  auto add = [&](const auto& names) {
    known.insert(known.end(), std::begin(names), std::end(names));
  };
  if (scope == SettingScope::broker) add(kBrokerUnmodelled);
  if (scope == SettingScope::topic) add(kTopicUnmodelled);
  if (scope == SettingScope::producer) add(kProducerUnmodelled);
  if (scope == SettingScope::consumer) add(kConsumerUnmodelled);
  if (scope == SettingScope::producer || scope == SettingScope::consumer) add(kClientUnmodelled);
  const std::string near = nearest_name(name, known);
  if (near.empty()) return "";
  return "did you mean \"" + near + "\"?" +
         (modelled(scope, near) ? "" : " (a Kafka setting the simulator does not model)");
}

/// The refusal for a name that is not modelled in `scope`.
SettingError refuse_name(SettingScope scope, std::string_view name) {
  SettingError e;
  e.about_name = true;
  e.expected = std::string("a ") + scope_noun(scope) + " setting the simulator models";
  for (const SetElsewhere& s : kSetElsewhere) {
    if (s.scope == scope && s.name == name) {
      e.found_note = "which the scenario sets with a key of its own";
      e.hint = std::string(s.hint);
      return e;
    }
  }
  if (name.rfind("sim.", 0) == 0) return refuse_sim_name(scope, name, e);
  if (unmodelled(scope, name)) {
    e.found_note = "a Kafka setting the simulator does not model";
    return e;
  }
  // A topic setting given to the brokers by its topic name, or the other way round.
  for (const Synonym& s : kSynonyms) {
    if (scope == SettingScope::broker && name == s.topic) {
      e.found_note = "a topic setting";
      e.hint = "the brokers' default is \"" + std::string(s.broker) +
               "\"; for one topic put it in [topic.config]";
      return e;
    }
    if (scope == SettingScope::topic && name == s.broker) {
      e.found_note = "the brokers' name for it";
      e.hint = "topics call it \"" + std::string(s.topic) + "\"";
      return e;
    }
  }
  for (SettingScope other : {SettingScope::broker, SettingScope::topic, SettingScope::producer,
                             SettingScope::consumer}) {
    if (other != scope && (modelled(other, name) || unmodelled(other, name))) {
      e.found_note = std::string("a ") + scope_noun(other) + " setting";
      e.hint = std::string("put it in ") + scope_table(other);
      return e;
    }
  }
  e.found_note = "an unknown setting";
  e.hint = suggest_setting(scope, name);
  return e;
}

// [SECTION] broker ([cluster.config])
// ---------------------------------------------------------------------------------------------
/// A log setting: its topic name, its broker name, the LogConfig field and the range.
struct LogRow {
  std::string_view topic;
  std::string_view broker;
  int64_t kafka::LogConfig::*field;
  int64_t scale;  // broker unit to ms (log.retention.hours: 3600000)
  int64_t min;
  int64_t max;
  bool never_allowed = false;  // Long.MAX_VALUE ("never") is accepted too
};
constexpr int64_t kHourMs = 3600000;
const LogRow kLogRows[] = {
    {"segment.bytes", "log.segment.bytes", &kafka::LogConfig::segment_bytes, 1, 1, kInt32Max},
    {"segment.ms", "log.roll.ms", &kafka::LogConfig::segment_ms, 1, 1, kMsMax},
    {"", "log.roll.hours", &kafka::LogConfig::segment_ms, kHourMs, 1, kMsMax / kHourMs},
    {"retention.ms", "log.retention.ms", &kafka::LogConfig::retention_ms, 1, -1, kInt64Max},
    {"", "log.retention.minutes", &kafka::LogConfig::retention_ms, 60000, -1, kMsMax / 60000},
    {"", "log.retention.hours", &kafka::LogConfig::retention_ms, kHourMs, -1, kMsMax / kHourMs},
    {"retention.bytes", "log.retention.bytes", &kafka::LogConfig::retention_bytes, 1, -1,
     kInt64Max},
    {"min.compaction.lag.ms", "log.cleaner.min.compaction.lag.ms",
     &kafka::LogConfig::min_compaction_lag_ms, 1, 0, kMsMax},
    {"delete.retention.ms", "log.cleaner.delete.retention.ms",
     &kafka::LogConfig::delete_retention_ms, 1, 0, kMsMax},
    {"flush.messages", "log.flush.interval.messages", &kafka::LogConfig::flush_messages, 1, 1,
     kInt64Max},
    {"flush.ms", "log.flush.interval.ms", &kafka::LogConfig::flush_ms, 1, 0, kMsMax, true},
    {"", "sim.os.dirty.expire.ms", &kafka::LogConfig::os_dirty_expire_ms, 1, 0, kMsMax},
};

/// Applies a log setting by its topic or broker name; nullopt result and false: not a log name.
bool set_log_setting(kafka::LogConfig& log, std::string_view name, bool broker_names,
                     const SettingValue& v, SettingResult& result) {
  if (name == (broker_names ? "log.cleanup.policy" : "cleanup.policy")) {
    result = set_cleanup_policy(log, v);
    return true;
  }
  if (name == (broker_names ? "log.cleaner.min.cleanable.ratio" : "min.cleanable.dirty.ratio")) {
    result = want_ratio(v, log.min_cleanable_dirty_ratio);
    return true;
  }
  for (const LogRow& row : kLogRows) {
    if ((broker_names ? row.broker : row.topic) != name || name.empty()) continue;
    int64_t n = 0;
    const int64_t* raw = std::get_if<int64_t>(&v);
    if (row.never_allowed && raw != nullptr && *raw == kInt64Max) {
      log.*row.field = kInt64Max;
      result = std::nullopt;
      return true;
    }
    result = want_int(v, row.min, row.max, n);
    if (result && row.never_allowed)
      result->expected += " (or " + std::to_string(kInt64Max) + ", never)";
    if (!result) log.*row.field = n < 0 ? n : n * row.scale;
    return true;
  }
  return false;
}

/// The least value of every modelled KafkaConfig integer: its periods and timeouts must be
/// positive (a zero period would fire forever at one instant) and its counts at least one.
constexpr int64_t kBrokerIntMin = 1;

SettingResult set_kafka_config(world::ClusterSpec& spec, const kafka::KafkaConfig::Key& key,
                               const SettingValue& v) {
  const std::string name = key.name;
  if (std::holds_alternative<int64_t>(key.default_value)) {
    int64_t n = 0;
    // Partition counts are bounded as a topic's are (each partition is a log on every replica);
    // times in ms by kMsMax; every other count by Kafka's int32.
    const bool partitions = name == "num.partitions" || name == "offsets.topic.num.partitions";
    const int64_t max = partitions ? world::kPartitionsPerTopicMax
                        : name.size() > 3 && name.compare(name.size() - 3, 3, ".ms") == 0
                            ? kMsMax
                            : kInt32Max;
    if (auto e = want_int(v, kBrokerIntMin, max, n)) return e;
    if (!spec.config.set(name, n).ok()) return value_error(range_text(kBrokerIntMin, max));
    return std::nullopt;
  }
  if (std::holds_alternative<bool>(key.default_value)) {
    bool b = false;
    if (auto e = want_bool(v, b)) return e;
    if (!spec.config.set(name, b).ok()) return value_error("true or false");
    return std::nullopt;
  }
  // inter.broker.protocol.version, the only string setting: ZooKeeper mode only.
  if (spec.mode != world::ClusterSpec::Mode::zookeeper) {
    SettingError e;
    e.about_name = true;
    e.expected = "a setting of a KRaft cluster";
    e.found_note = "a ZooKeeper-mode setting (KRaft versions its protocol with metadata.version)";
    e.hint = "set mode = \"zookeeper\" in [cluster], or remove it";
    return e;
  }
  const std::string* s = std::get_if<std::string>(&v);
  const char* expected = "a version such as \"0.10.2\" or \"3.9\"";
  if (s == nullptr) return value_error(expected);
  if (!spec.config.set(name, *s).ok()) return value_error(expected);
  return std::nullopt;
}

constexpr std::string_view kBrokerExtra[] = {
    "log.segment.bytes",
    "log.roll.ms",
    "log.roll.hours",
    "log.retention.ms",
    "log.retention.minutes",
    "log.retention.hours",
    "log.retention.bytes",
    "log.cleanup.policy",
    "log.cleaner.min.cleanable.ratio",
    "log.cleaner.min.compaction.lag.ms",
    "log.cleaner.delete.retention.ms",
    "log.flush.interval.messages",
    "log.flush.interval.ms",
    "zookeeper.session.timeout.ms",
    "sim.os.dirty.expire.ms",
    "sim.net.disconnect.timeout.ms",
};

constexpr std::string_view kTopicModelled[] = {
    "cleanup.policy",
    "delete.retention.ms",
    "flush.messages",
    "flush.ms",
    "min.cleanable.dirty.ratio",
    "min.compaction.lag.ms",
    "min.insync.replicas",
    "retention.bytes",
    "retention.ms",
    "segment.bytes",
    "segment.ms",
    "unclean.leader.election.enable",
};

constexpr std::string_view kDynamicBroker[] = {
    "log.cleaner.backoff.ms",
    "log.cleaner.delete.retention.ms",
    "log.cleaner.min.cleanable.ratio",
    "log.cleaner.min.compaction.lag.ms",
    "log.cleanup.policy",
    "log.flush.interval.messages",
    "log.flush.interval.ms",
    "log.retention.bytes",
    "log.retention.hours",
    "log.retention.minutes",
    "log.retention.ms",
    "log.roll.hours",
    "log.roll.ms",
    "log.segment.bytes",
    "min.insync.replicas",
    "unclean.leader.election.enable",
};

}  // namespace

SettingResult set_broker_setting(world::ClusterSpec& spec, std::string_view name,
                                 const SettingValue& value) {
  for (const kafka::KafkaConfig::Key& key : kafka::KafkaConfig::keys()) {
    if (name == key.name) return set_kafka_config(spec, key, value);
  }
  SettingResult result;
  if (set_log_setting(spec.default_log, name, true, value, result)) return result;
  if (name == "zookeeper.session.timeout.ms") {
    if (spec.mode != world::ClusterSpec::Mode::zookeeper) {
      SettingError e;
      e.about_name = true;
      e.expected = "a setting of a KRaft cluster";
      e.found_note = "a ZooKeeper-mode setting";
      e.hint = "set mode = \"zookeeper\" in [cluster], or remove it";
      return e;
    }
    int64_t n = 0;
    if (auto e = want_int(value, 1, kInt32Max, n)) return e;
    spec.zookeeper_session_timeout_ms = static_cast<int32_t>(n);
    return std::nullopt;
  }
  if (name == "sim.net.disconnect.timeout.ms") {
    int64_t n = 0;
    if (auto e = want_int(value, 1, kMsMax, n)) return e;
    spec.disconnect_timeout = sim::Time::from_ms(n);
    return std::nullopt;
  }
  return refuse_name(SettingScope::broker, name);
}

bool is_dynamic_broker_setting(std::string_view name) {
  return listed(kDynamicBroker, name);
}

int setting_rank(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".hours")) return 0;
  if (ends_with(".minutes")) return 1;
  return 2;
}

// [SECTION] topic ([topic.config])
// ---------------------------------------------------------------------------------------------
SettingResult set_topic_setting(kafka::TopicSpec& topic, kafka::TopicOverrides& overrides,
                                std::string_view name, const SettingValue& value) {
  if (name == "min.insync.replicas") {
    int64_t n = 0;
    if (auto e = want_int(value, 1, kInt32Max, n)) return e;
    topic.min_insync_replicas = n;
    overrides.min_insync_replicas = n;
    return std::nullopt;
  }
  if (name == "unclean.leader.election.enable") {
    bool b = false;
    if (auto e = want_bool(value, b)) return e;
    topic.unclean_leader_election_enable = b;
    return std::nullopt;
  }
  SettingResult result;
  if (set_log_setting(overrides.log, name, false, value, result)) return result;
  return refuse_name(SettingScope::topic, name);
}

// [SECTION] producer ([producer.config])
// ---------------------------------------------------------------------------------------------
namespace {
struct ProducerRow {
  std::string_view name;
  int64_t kafka::ProducerConfig::*field;
  int64_t min;
  int64_t max;
};
const ProducerRow kProducerRows[] = {
    {"linger.ms", &kafka::ProducerConfig::linger_ms, 0, kMsMax},
    {"batch.size", &kafka::ProducerConfig::batch_size, 0, kInt32Max},
    {"max.in.flight.requests.per.connection",
     &kafka::ProducerConfig::max_in_flight_requests_per_connection, 1, kInt32Max},
    {"retries", &kafka::ProducerConfig::retries, 0, kInt32Max},
    {"retry.backoff.ms", &kafka::ProducerConfig::retry_backoff_ms, 0, kMsMax},
    {"retry.backoff.max.ms", &kafka::ProducerConfig::retry_backoff_max_ms, 0, kMsMax},
    {"request.timeout.ms", &kafka::ProducerConfig::request_timeout_ms, 1, kInt32Max},
    {"delivery.timeout.ms", &kafka::ProducerConfig::delivery_timeout_ms, 1, kInt32Max},
    {"buffer.memory", &kafka::ProducerConfig::buffer_memory, 0, kInt64Max},
    {"metadata.max.age.ms", &kafka::ProducerConfig::metadata_max_age_ms, 1, kMsMax},
};
struct ProducerFlag {
  std::string_view name;
  bool kafka::ProducerConfig::*field;
};
const ProducerFlag kProducerFlags[] = {
    {"enable.idempotence", &kafka::ProducerConfig::enable_idempotence},
    {"partitioner.ignore.keys", &kafka::ProducerConfig::partitioner_ignore_keys},
    {"partitioner.adaptive.partitioning.enable",
     &kafka::ProducerConfig::partitioner_adaptive_partitioning_enable},
};
}  // namespace

SettingResult set_producer_setting(kafka::ProducerConfig& producer, std::string_view name,
                                   const SettingValue& value) {
  if (name == "acks") {
    // Kafka's type is a string of "all", "-1", "0" or "1"; TOML integers are fine too.
    int16_t acks = 2;
    if (const auto* i = std::get_if<int64_t>(&value)) {
      if (*i == -1 || *i == 0 || *i == 1) acks = static_cast<int16_t>(*i);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      if (*s == "all" || *s == "-1") acks = -1;
      if (*s == "0") acks = 0;
      if (*s == "1") acks = 1;
    }
    if (acks == 2) return value_error("one of 0, 1, \"all\", -1");
    producer.acks = acks;
    return std::nullopt;
  }
  for (const ProducerRow& row : kProducerRows) {
    if (row.name == name) return want_int(value, row.min, row.max, producer.*row.field);
  }
  for (const ProducerFlag& flag : kProducerFlags) {
    if (flag.name == name) return want_bool(value, producer.*flag.field);
  }
  return refuse_name(SettingScope::producer, name);
}

std::optional<std::pair<std::string, SettingError>> finish_producer_settings(
    kafka::ProducerConfig& p, const std::vector<std::string>& explicit_names) {
  auto set = [&](std::string_view n) {
    return std::find(explicit_names.begin(), explicit_names.end(), n) != explicit_names.end();
  };
  // Kafka's ProducerConfig.postProcessAndValidateIdempotenceConfigs.
  struct Conflict {
    bool bad;
    const char* name;
    const char* expected;
  };
  const Conflict conflicts[] = {
      {p.acks != -1, "acks", "acks = \"all\" (-1) with enable.idempotence = true"},
      {p.retries == 0, "retries", "retries above 0 with enable.idempotence = true"},
      {p.max_in_flight_requests_per_connection > 5, "max.in.flight.requests.per.connection",
       "at most 5 requests in flight with enable.idempotence = true"},
  };
  for (const Conflict& c : conflicts) {
    if (!c.bad || !p.enable_idempotence) continue;
    if (!set("enable.idempotence")) {
      p.enable_idempotence = false;  // as Kafka: idempotence left at its default turns off
      continue;
    }
    SettingError e = value_error(c.expected);
    e.hint = "or set enable.idempotence = false";
    return std::make_pair(std::string(c.name), e);
  }
  if (set("delivery.timeout.ms") && p.delivery_timeout_ms < p.linger_ms + p.request_timeout_ms) {
    SettingError e = value_error("at least linger.ms + request.timeout.ms (" +
                                 std::to_string(p.linger_ms + p.request_timeout_ms) + ")");
    return std::make_pair(std::string("delivery.timeout.ms"), e);
  }
  if (!set("delivery.timeout.ms"))
    p.delivery_timeout_ms = std::max(p.delivery_timeout_ms, p.linger_ms + p.request_timeout_ms);
  return std::nullopt;
}

// [SECTION] consumer ([consumer.config])
// ---------------------------------------------------------------------------------------------
namespace {
struct ConsumerRow {
  std::string_view name;
  int64_t kafka::ConsumerConfig::*field;
  int64_t min;
  int64_t max;
};
const ConsumerRow kConsumerRows[] = {
    {"fetch.min.bytes", &kafka::ConsumerConfig::fetch_min_bytes, 0, kInt32Max},
    {"fetch.max.wait.ms", &kafka::ConsumerConfig::fetch_max_wait_ms, 0, kInt32Max},
    {"max.partition.fetch.bytes", &kafka::ConsumerConfig::max_partition_fetch_bytes, 0, kInt32Max},
    {"fetch.max.bytes", &kafka::ConsumerConfig::fetch_max_bytes, 0, kInt32Max},
    {"request.timeout.ms", &kafka::ConsumerConfig::request_timeout_ms, 1, kInt32Max},
    {"retry.backoff.ms", &kafka::ConsumerConfig::retry_backoff_ms, 0, kMsMax},
    {"metadata.max.age.ms", &kafka::ConsumerConfig::metadata_max_age_ms, 1, kMsMax},
    {"max.poll.records", &kafka::ConsumerConfig::max_poll_records, 1, kInt32Max},
    {"retry.backoff.max.ms", &kafka::ConsumerConfig::retry_backoff_max_ms, 0, kMsMax},
    {"default.api.timeout.ms", &kafka::ConsumerConfig::default_api_timeout_ms, 0, kInt32Max},
    // The simulated application: how long it works on each record poll() returns.
    {"sim.processing.ms", &kafka::ConsumerConfig::processing_ms, 0, kMsMax},
};
struct GroupRow {
  std::string_view name;
  int64_t GroupSettings::*field;
  int64_t min;
  int64_t max;
};
const GroupRow kGroupRows[] = {
    {"auto.commit.interval.ms", &GroupSettings::auto_commit_interval_ms, 0, kInt32Max},
    {"session.timeout.ms", &GroupSettings::session_timeout_ms, 1, kInt32Max},
    {"heartbeat.interval.ms", &GroupSettings::heartbeat_interval_ms, 1, kInt32Max},
    {"max.poll.interval.ms", &GroupSettings::max_poll_interval_ms, 1, kInt32Max},
};
constexpr std::string_view kGroupOther[] = {
    "enable.auto.commit",
    "partition.assignment.strategy",
    "group.instance.id",
    "group.protocol",
};

/// "range", or the class name Kafka documents ("org.apache...RangeAssignor"), as a short name.
std::optional<std::string> assignor_name(const std::string& s) {
  static constexpr std::pair<std::string_view, std::string_view> kAssignors[] = {
      {"range", "org.apache.kafka.clients.consumer.RangeAssignor"},
      {"roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor"},
      {"sticky", "org.apache.kafka.clients.consumer.StickyAssignor"},
      {"cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
  };
  for (const auto& [short_name, class_name] : kAssignors) {
    if (s == short_name || s == class_name) return std::string(short_name);
  }
  return std::nullopt;
}

SettingResult set_group_setting(GroupSettings& g, std::string_view name, const SettingValue& v) {
  for (const GroupRow& row : kGroupRows) {
    if (row.name == name) return want_int(v, row.min, row.max, g.*row.field);
  }
  if (name == "enable.auto.commit") return want_bool(v, g.enable_auto_commit);
  if (name == "partition.assignment.strategy") {
    const auto items = as_list(v);
    const char* expected =
        "assignors from \"range\", \"roundrobin\", \"sticky\", \"cooperative-sticky\"";
    if (!items || items->empty()) return value_error(expected);
    std::vector<std::string> out;
    for (const std::string& item : *items) {
      const auto a = assignor_name(item);
      if (!a) return value_error(expected);
      out.push_back(*a);
    }
    g.partition_assignment_strategy = out;
    return std::nullopt;
  }
  if (name == "group.instance.id") {
    const std::string* s = std::get_if<std::string>(&v);
    if (s == nullptr || s->empty()) return value_error("a non-empty string");
    g.group_instance_id = *s;
    return std::nullopt;
  }
  // group.protocol: Kafka compares case-insensitively.
  const std::string* s = std::get_if<std::string>(&v);
  std::string lower;
  if (s != nullptr)
    for (char c : *s)
      lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower != "classic" && lower != "consumer") return value_error("\"classic\" or \"consumer\"");
  g.group_protocol = lower;
  return std::nullopt;
}

bool is_group_setting(std::string_view name) {
  for (const GroupRow& row : kGroupRows)
    if (row.name == name) return true;
  return listed(kGroupOther, name);
}
}  // namespace

SettingResult set_consumer_setting(kafka::ConsumerConfig& consumer, GroupSettings& group,
                                   bool in_group, std::string_view name,
                                   const SettingValue& value) {
  if (name == "auto.offset.reset") {
    const std::string* s = std::get_if<std::string>(&value);
    if (s == nullptr || (*s != "earliest" && *s != "latest" && *s != "none"))
      return value_error("one of \"earliest\", \"latest\", \"none\"");
    consumer.auto_offset_reset = *s;
    return std::nullopt;
  }
  for (const ConsumerRow& row : kConsumerRows) {
    if (row.name == name) return want_int(value, row.min, row.max, consumer.*row.field);
  }
  // A group setting on a consumer without a group.
  auto needs_group = [](const char* what) {
    SettingError e;
    e.about_name = true;
    e.expected = "a setting of a standalone consumer";
    e.found_note = what;
    e.hint = "give this consumer a group = \"...\", or remove it";
    return e;
  };
  if (name == "sim.commit") {
    // What the simulated application does about commits (code, not a Kafka config).
    if (!in_group)
      return needs_group("a consumer-group setting (commits go to the group's coordinator)");
    static constexpr std::pair<std::string_view, kafka::CommitMode> kModes[] = {
        {"none", kafka::CommitMode::none},
        {"sync", kafka::CommitMode::sync_after},
        {"async", kafka::CommitMode::async_after},
        {"sync-before-processing", kafka::CommitMode::sync_before},
    };
    const std::string* s = std::get_if<std::string>(&value);
    for (const auto& [n, mode] : kModes) {
      if (s != nullptr && *s == n) {
        consumer.commit = mode;
        return std::nullopt;
      }
    }
    return value_error(
        "one of \"none\", \"sync\", \"async\" (commit after processing each poll), "
        "\"sync-before-processing\"");
  }
  if (is_group_setting(name)) {
    const bool* b = std::get_if<bool>(&value);
    // Kafka forces enable.auto.commit off without a group.id; only an explicit true fails.
    const bool harmless = name == "enable.auto.commit" && b != nullptr && !*b;
    if (!in_group && !harmless) return needs_group("a consumer-group setting");
    return set_group_setting(group, name, value);
  }
  return refuse_name(SettingScope::consumer, name);
}

std::vector<std::string_view> modelled_settings(SettingScope scope) {
  std::vector<std::string_view> out;
  switch (scope) {
    case SettingScope::broker:
      for (const kafka::KafkaConfig::Key& k : kafka::KafkaConfig::keys())
        out.push_back(k.name);
      out.insert(out.end(), std::begin(kBrokerExtra), std::end(kBrokerExtra));
      break;
    case SettingScope::topic:
      out.assign(std::begin(kTopicModelled), std::end(kTopicModelled));
      break;
    case SettingScope::producer:
      out.push_back("acks");
      for (const ProducerRow& r : kProducerRows)
        out.push_back(r.name);
      for (const ProducerFlag& f : kProducerFlags)
        out.push_back(f.name);
      break;
    case SettingScope::consumer:
      out.push_back("auto.offset.reset");
      for (const ConsumerRow& r : kConsumerRows)
        out.push_back(r.name);
      for (const GroupRow& r : kGroupRows)
        out.push_back(r.name);
      out.insert(out.end(), std::begin(kGroupOther), std::end(kGroupOther));
      out.push_back("sim.commit");
      break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_kafka_setting(SettingScope scope, std::string_view name) {
  if (name.rfind("sim.", 0) == 0) return false;
  return modelled(scope, name) || unmodelled(scope, name);
}

}  // namespace kafkasim::scenario
