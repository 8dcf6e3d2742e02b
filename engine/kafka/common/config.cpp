#include "kafka/common/config.h"

#include <optional>
#include <utility>

namespace kafkasim::kafka {

namespace {
struct Binding {
  const char* name;
  int64_t KafkaConfig::*i = nullptr;
  bool KafkaConfig::*b = nullptr;
  const char* doc;
  std::string KafkaConfig::*s = nullptr;
};

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> v = {
      {"controller.quorum.election.timeout.ms", &KafkaConfig::controller_quorum_election_timeout_ms,
       nullptr, "a voter that knows no leader starts an election after a random time in [T, 2T)"},
      {"controller.quorum.fetch.timeout.ms", &KafkaConfig::controller_quorum_fetch_timeout_ms,
       nullptr, "a follower that has not fetched from the leader this long starts an election"},
      {"controller.quorum.election.backoff.max.ms",
       &KafkaConfig::controller_quorum_election_backoff_max_ms, nullptr,
       "the longest wait before retrying a lost election"},
      {"controller.quorum.request.timeout.ms", &KafkaConfig::controller_quorum_request_timeout_ms,
       nullptr, "how long a quorum request waits for its response"},
      {"controller.quorum.retry.backoff.ms", &KafkaConfig::controller_quorum_retry_backoff_ms,
       nullptr, "wait before retrying a failed quorum request"},
      {"metadata.max.idle.interval.ms", &KafkaConfig::metadata_max_idle_interval_ms, nullptr,
       "the active controller appends a NoOpRecord at least this often"},
      {"broker.heartbeat.interval.ms", &KafkaConfig::broker_heartbeat_interval_ms, nullptr,
       "how often a broker sends BrokerHeartbeat to the active controller"},
      {"broker.session.timeout.ms", &KafkaConfig::broker_session_timeout_ms, nullptr,
       "the controller fences a broker that has not heartbeated this long"},
      {"unclean.leader.election.enable", nullptr, &KafkaConfig::unclean_leader_election_enable,
       "elect a replica outside the ISR when no ISR member is available (may lose data)"},
      {"unclean.leader.election.interval.ms", &KafkaConfig::unclean_leader_election_interval_ms,
       nullptr,
       "KRaft: how often the controller retries unclean elections for leaderless partitions"},
      {"auto.leader.rebalance.enable", nullptr, &KafkaConfig::auto_leader_rebalance_enable,
       "move leadership back to preferred replicas periodically"},
      {"leader.imbalance.check.interval.seconds",
       &KafkaConfig::leader_imbalance_check_interval_seconds, nullptr,
       "how often the controller checks for partitions not led by their preferred replica"},
      {"replica.lag.time.max.ms", &KafkaConfig::replica_lag_time_max_ms, nullptr,
       "a follower not caught up for this long leaves the ISR"},
      {"min.insync.replicas", &KafkaConfig::min_insync_replicas, nullptr,
       "the fewest in-sync replicas an acks=all write needs"},
      {"default.replication.factor", &KafkaConfig::default_replication_factor, nullptr,
       "replication factor of topics created without one"},
      {"num.partitions", &KafkaConfig::num_partitions, nullptr,
       "partition count of topics created without one"},
      {"replica.fetch.wait.max.ms", &KafkaConfig::replica_fetch_wait_max_ms, nullptr,
       "how long a leader holds a follower's fetch when there is nothing new"},
      {"replica.fetch.min.bytes", &KafkaConfig::replica_fetch_min_bytes, nullptr,
       "bytes a follower's fetch waits for"},
      {"replica.fetch.max.bytes", &KafkaConfig::replica_fetch_max_bytes, nullptr,
       "most bytes a follower fetches per partition"},
      {"replica.high.watermark.checkpoint.interval.ms",
       &KafkaConfig::replica_high_watermark_checkpoint_interval_ms, nullptr,
       "how often the high watermark is written to disk"},
      {"log.retention.check.interval.ms", &KafkaConfig::log_retention_check_interval_ms, nullptr,
       "how often retention deletes old segments"},
      {"log.cleaner.backoff.ms", &KafkaConfig::log_cleaner_backoff_ms, nullptr,
       "how often the log cleaner looks for logs to compact"},
      {"offsets.topic.num.partitions", &KafkaConfig::offsets_topic_num_partitions, nullptr,
       "partitions of __consumer_offsets; a group's coordinator leads one of them"},
      {"offsets.topic.replication.factor", &KafkaConfig::offsets_topic_replication_factor, nullptr,
       "replication factor of __consumer_offsets"},
      {"offsets.commit.timeout.ms", &KafkaConfig::offsets_commit_timeout_ms, nullptr,
       "how long an offset commit waits for every in-sync replica of __consumer_offsets"},
      {"group.initial.rebalance.delay.ms", &KafkaConfig::group_initial_rebalance_delay_ms, nullptr,
       "an empty group waits this long for more members before its first rebalance"},
      {"group.min.session.timeout.ms", &KafkaConfig::group_min_session_timeout_ms, nullptr,
       "the smallest session.timeout.ms a consumer may ask for"},
      {"group.max.session.timeout.ms", &KafkaConfig::group_max_session_timeout_ms, nullptr,
       "the largest session.timeout.ms a consumer may ask for"},
      {"inter.broker.protocol.version", nullptr, nullptr,
       "ZooKeeper mode: below 0.11 followers truncate to their high watermark (before KIP-101)",
       &KafkaConfig::inter_broker_protocol_version},
  };
  return v;
}
/// "0.10.2", "2.8", "3.9-IV1" -> {major, minor}; nullopt when not a version.
std::optional<std::pair<int, int>> parse_version(const std::string& v) {
  int major = 0, minor = 0;
  size_t i = 0;
  auto number = [&](int& out) {
    const size_t start = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9' && i - start < 4)
      out = out * 10 + (v[i++] - '0');
    return i > start;
  };
  if (!number(major) || i >= v.size() || v[i++] != '.' || !number(minor)) return std::nullopt;
  if (i < v.size() && v[i] == '.') {
    ++i;
    int patch = 0;
    if (!number(patch)) return std::nullopt;
  }
  if (i < v.size() && v.compare(i, 3, "-IV") == 0) {
    i += 3;
    int iv = 0;
    if (!number(iv)) return std::nullopt;
  }
  if (i != v.size()) return std::nullopt;
  return std::make_pair(major, minor);
}
}  // namespace

bool KafkaConfig::truncates_to_high_watermark() const {
  if (inter_broker_protocol_version.empty()) return false;
  const auto v = parse_version(inter_broker_protocol_version);
  return v && *v < std::make_pair(0, 11);
}

const std::vector<KafkaConfig::Key>& KafkaConfig::keys() {
  static const std::vector<Key> keys = [] {
    std::vector<Key> out;
    const KafkaConfig defaults;
    for (const Binding& b : bindings()) {
      const Value v = b.i   ? Value(defaults.*(b.i))
                      : b.b ? Value(defaults.*(b.b))
                            : Value(defaults.*(b.s));
      out.push_back(Key{b.name, v, b.doc});
    }
    return out;
  }();
  return keys;
}

std::optional<KafkaConfig::Value> KafkaConfig::get(std::string_view name) const {
  for (const Binding& b : bindings()) {
    if (name != b.name) continue;
    if (b.i) return Value(this->*(b.i));
    if (b.b) return Value(this->*(b.b));
    return Value(this->*(b.s));
  }
  return std::nullopt;
}

sim::Result<sim::Ok, std::string> KafkaConfig::set(std::string_view name, const Value& value) {
  for (const Binding& b : bindings()) {
    if (name != b.name) continue;
    if (b.i) {
      const int64_t* v = std::get_if<int64_t>(&value);
      if (!v) return sim::Err{std::string(name) + " expects an integer"};
      if (*v < 0) return sim::Err{std::string(name) + " cannot be negative"};
      this->*(b.i) = *v;
    } else if (b.s) {
      const std::string* v = std::get_if<std::string>(&value);
      if (!v) return sim::Err{std::string(name) + " expects a string"};
      if (!parse_version(*v))
        return sim::Err{std::string(name) + " expects a version such as \"0.10.2\" or \"3.9\""};
      this->*(b.s) = *v;
    } else {
      const bool* v = std::get_if<bool>(&value);
      if (!v) return sim::Err{std::string(name) + " expects true or false"};
      this->*(b.b) = *v;
    }
    return sim::Ok{};
  }
  return sim::Err{"unknown setting " + std::string(name)};
}

}  // namespace kafkasim::kafka
