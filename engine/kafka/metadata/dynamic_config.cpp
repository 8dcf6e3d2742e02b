// Dynamic configuration. See dynamic_config.h.
#include "kafka/metadata/dynamic_config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "sim/overloaded.h"

namespace kafkasim::kafka {

namespace {

enum class Kind : uint8_t { long_value, boolean, ratio, policy };

/// A topic-level setting the simulator models, with its broker synonyms (strongest first, each
/// with the factor that turns its unit into the topic setting's), range and LogConfig field.
struct TopicKey {
  std::string_view name;
  Kind kind;
  int64_t min;
  std::vector<std::pair<std::string_view, int64_t>> synonyms;
  int64_t LogConfig::*field;  // nullptr: not a LogConfig field (min ISR, unclean, ratio, policy)
};

const std::vector<TopicKey>& topic_keys() {
  static const std::vector<TopicKey> keys = {
      {"min.insync.replicas", Kind::long_value, 1, {{"min.insync.replicas", 1}}, nullptr},
      {"unclean.leader.election.enable",
       Kind::boolean,
       0,
       {{"unclean.leader.election.enable", 1}},
       nullptr},
      {"retention.ms",
       Kind::long_value,
       -1,
       {{"log.retention.ms", 1},
        {"log.retention.minutes", 60000},
        {"log.retention.hours", 3600000}},
       &LogConfig::retention_ms},
      {"retention.bytes",
       Kind::long_value,
       -1,
       {{"log.retention.bytes", 1}},
       &LogConfig::retention_bytes},
      // Kafka 4.0 raises segment.bytes' minimum to 1 MiB (KIP-1030).
      {"segment.bytes",
       Kind::long_value,
       1048576,
       {{"log.segment.bytes", 1}},
       &LogConfig::segment_bytes},
      {"segment.ms",
       Kind::long_value,
       1,
       {{"log.roll.ms", 1}, {"log.roll.hours", 3600000}},
       &LogConfig::segment_ms},
      {"cleanup.policy", Kind::policy, 0, {{"log.cleanup.policy", 1}}, nullptr},
      {"flush.messages",
       Kind::long_value,
       1,
       {{"log.flush.interval.messages", 1}},
       &LogConfig::flush_messages},
      {"flush.ms", Kind::long_value, 0, {{"log.flush.interval.ms", 1}}, &LogConfig::flush_ms},
      {"min.compaction.lag.ms",
       Kind::long_value,
       0,
       {{"log.cleaner.min.compaction.lag.ms", 1}},
       &LogConfig::min_compaction_lag_ms},
      {"delete.retention.ms",
       Kind::long_value,
       0,
       {{"log.cleaner.delete.retention.ms", 1}},
       &LogConfig::delete_retention_ms},
      {"min.cleanable.dirty.ratio",
       Kind::ratio,
       0,
       {{"log.cleaner.min.cleanable.ratio", 1}},
       nullptr},
  };
  return keys;
}

/// Broker settings Kafka reconfigures without a restart that have no topic-level name.
constexpr std::string_view kBrokerOnly[] = {"log.cleaner.backoff.ms"};

const TopicKey* topic_key(std::string_view name) {
  for (const TopicKey& k : topic_keys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}
/// The topic setting a broker synonym stands for, and the unit factor.
const TopicKey* synonym_of(std::string_view broker_name, int64_t* factor = nullptr) {
  for (const TopicKey& k : topic_keys()) {
    for (const auto& [name, f] : k.synonyms) {
      if (name == broker_name) {
        if (factor) *factor = f;
        return &k;
      }
    }
  }
  return nullptr;
}
bool broker_only(std::string_view name) {
  return std::find(std::begin(kBrokerOnly), std::end(kBrokerOnly), name) != std::end(kBrokerOnly);
}

std::optional<std::pair<bool, bool>> parse_policy(const std::string& s) {
  bool del = false, compact = false;
  size_t i = 0;
  while (i <= s.size()) {
    size_t comma = s.find(',', i);
    if (comma == std::string::npos) comma = s.size();
    std::string part = s.substr(i, comma - i);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (part == "delete") {
      del = true;
    } else if (part == "compact") {
      compact = true;
    } else {
      return std::nullopt;
    }
    i = comma + 1;
  }
  return std::make_pair(del, compact);
}

sim::Result<sim::Ok, std::string> check_value(std::string_view name, Kind kind, int64_t min,
                                              const KafkaConfig::Value& v) {
  using Err = sim::Err<std::string>;
  const std::string n(name);
  switch (kind) {
    case Kind::long_value: {
      const int64_t* x = std::get_if<int64_t>(&v);
      if (x == nullptr) return Err{n + " expects an integer (Kafka type LONG or INT)"};
      if (*x < min) return Err{n + " must be at least " + std::to_string(min)};
      return sim::Ok{};
    }
    case Kind::boolean:
      if (!std::holds_alternative<bool>(v)) return Err{n + " expects true or false"};
      return sim::Ok{};
    case Kind::ratio: {
      double d = 0;
      if (const double* x = std::get_if<double>(&v)) {
        d = *x;
      } else if (const int64_t* i = std::get_if<int64_t>(&v)) {
        d = static_cast<double>(*i);
      } else {
        return Err{n + " expects a number between 0 and 1 (Kafka type DOUBLE)"};
      }
      if (!(d >= 0.0 && d <= 1.0)) return Err{n + " must be between 0 and 1"};
      return sim::Ok{};
    }
    case Kind::policy: {
      const std::string* s = std::get_if<std::string>(&v);
      if (s == nullptr || !parse_policy(*s))
        return Err{n + " expects \"delete\", \"compact\" or \"compact,delete\""};
      return sim::Ok{};
    }
  }
  return sim::Ok{};
}

int64_t as_long(const KafkaConfig::Value& v) {
  const int64_t* x = std::get_if<int64_t>(&v);
  return x ? *x : 0;
}
double as_double(const KafkaConfig::Value& v) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  return static_cast<double>(as_long(v));
}

}  // namespace

std::string ConfigResource::describe() const {
  if (type == ConfigResourceType::topic) return "topic " + name;
  return name.empty() ? std::string("cluster-wide broker default") : "broker " + name;
}

std::string config_value_text(const KafkaConfig::Value& v) {
  return std::visit(sim::overloaded{
                        [](int64_t x) { return std::to_string(x); },
                        [](bool b) { return std::string(b ? "true" : "false"); },
                        [](const std::string& s) { return s; },
                        [](double d) {
                          std::string s = std::to_string(d);
                          while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.')
                            s.pop_back();
                          return s;
                        },
                    },
                    v);
}

std::optional<KafkaConfig::Value> parse_config_value(std::string_view key,
                                                     const std::string& text) {
  const TopicKey* k = topic_key(key);
  if (k == nullptr) k = synonym_of(key);
  const Kind kind = k ? k->kind : Kind::long_value;  // broker-only settings are longs
  switch (kind) {
    case Kind::boolean:
      if (text == "true") return KafkaConfig::Value(true);
      if (text == "false") return KafkaConfig::Value(false);
      return std::nullopt;
    case Kind::policy:
      return KafkaConfig::Value(text);
    case Kind::ratio: {
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (end == text.c_str()) return std::nullopt;
      return KafkaConfig::Value(d);
    }
    case Kind::long_value: {
      char* end = nullptr;
      const long long x = std::strtoll(text.c_str(), &end, 10);
      if (end == text.c_str()) return std::nullopt;
      return KafkaConfig::Value(static_cast<int64_t>(x));
    }
  }
  return std::nullopt;
}

const std::vector<std::string_view>& dynamic_topic_config_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const TopicKey& k : topic_keys())
      out.push_back(k.name);
    return out;
  }();
  return names;
}

const std::vector<std::string_view>& dynamic_broker_config_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const TopicKey& k : topic_keys()) {
      for (const auto& [name, f] : k.synonyms)
        out.push_back(name);
    }
    for (std::string_view b : kBrokerOnly)
      out.push_back(b);
    std::sort(out.begin(), out.end());
    return out;
  }();
  return names;
}

sim::Result<sim::Ok, std::string> check_dynamic_config(ConfigResourceType type,
                                                       std::string_view key,
                                                       const KafkaConfig::Value& value) {
  using Err = sim::Err<std::string>;
  const std::string name(key);
  if (type == ConfigResourceType::topic) {
    if (const TopicKey* k = topic_key(key)) return check_value(key, k->kind, k->min, value);
    if (const TopicKey* k = synonym_of(key); k && k->name != key) {
      return Err{name + " is a broker setting; the topic-level name is " + std::string(k->name) +
                 " (INVALID_CONFIG)"};
    }
    return Err{"unknown topic config name: " + name +
               " (INVALID_CONFIG; the simulator models min.insync.replicas, "
               "unclean.leader.election.enable, retention.ms, retention.bytes, segment.bytes, "
               "segment.ms, cleanup.policy, flush.messages, flush.ms, min.compaction.lag.ms, "
               "delete.retention.ms and min.cleanable.dirty.ratio)"};
  }
  int64_t factor = 1;
  if (const TopicKey* k = synonym_of(key, &factor)) {
    // A synonym in coarser units (log.retention.hours) keeps the topic setting's minimum.
    const int64_t min = k->min <= 0 ? k->min : std::max<int64_t>(1, k->min / factor);
    return check_value(key, k->kind, min, value);
  }
  if (broker_only(key)) return check_value(key, Kind::long_value, 0, value);
  if (const TopicKey* k = topic_key(key)) {
    return Err{name + " is a topic setting: give a topic, or use its broker synonym " +
               std::string(k->synonyms.front().first) + " (INVALID_CONFIG)"};
  }
  for (const KafkaConfig::Key& k : KafkaConfig::keys()) {
    if (name == k.name) {
      return Err{"Cannot update these configs dynamically: " + name +
                 " is a read-only broker setting (it changes only in server.properties, with a "
                 "restart)"};
    }
  }
  return Err{"unknown broker config name: " + name + " (INVALID_CONFIG)"};
}

// [DynamicConfigs]
// ------------------------------------------------------------------------------

void DynamicConfigs::set(const ConfigResource& resource, const std::string& key,
                         const std::optional<KafkaConfig::Value>& value) {
  auto& by_name = resource.type == ConfigResourceType::topic ? topics_ : brokers_;
  ++version_;
  if (value) {
    by_name[resource.name][key] = *value;
    return;
  }
  auto it = by_name.find(resource.name);
  if (it == by_name.end()) return;
  it->second.erase(key);
  if (it->second.empty()) by_name.erase(it);
}

const DynamicConfigs::Settings* DynamicConfigs::topic(const std::string& name) const {
  auto it = topics_.find(name);
  return it == topics_.end() ? nullptr : &it->second;
}

const DynamicConfigs::Settings* DynamicConfigs::broker(BrokerId id) const {
  auto it = brokers_.find(id == kNoLeader ? std::string() : std::to_string(id));
  return it == brokers_.end() ? nullptr : &it->second;
}

const KafkaConfig::Value* DynamicConfigs::topic_value(const std::string& topic,
                                                      std::string_view key) const {
  const Settings* s = this->topic(topic);
  if (s == nullptr) return nullptr;
  auto it = s->find(std::string(key));
  return it == s->end() ? nullptr : &it->second;
}

const KafkaConfig::Value* DynamicConfigs::broker_value(std::string_view key, BrokerId node,
                                                       int64_t* factor) const {
  // The setting and its synonyms on this broker first, then the cluster-wide default.
  const TopicKey* k = synonym_of(key);
  for (const Settings* s : {broker(node), broker(kNoLeader)}) {
    if (s == nullptr) continue;
    if (k == nullptr) {
      auto it = s->find(std::string(key));
      if (it != s->end()) return &it->second;
      continue;
    }
    for (const auto& [name, f] : k->synonyms) {
      auto it = s->find(std::string(name));
      if (it == s->end()) continue;
      if (factor) *factor = f;
      return &it->second;
    }
  }
  return nullptr;
}

LogConfig DynamicConfigs::log_config(const std::string& topic, BrokerId node,
                                     const LogConfig& static_default,
                                     const LogConfig* static_topic) const {
  LogConfig out = static_topic ? *static_topic : static_default;
  for (const TopicKey& k : topic_keys()) {
    // Where the topic's own value comes from: a dynamic topic setting, else a creation-time
    // one (a field that differs from the broker default), else the broker levels.
    const KafkaConfig::Value* v = topic_value(topic, k.name);
    bool topic_level = v != nullptr;
    if (!topic_level && static_topic != nullptr) {
      if (k.field) topic_level = static_topic->*(k.field) != static_default.*(k.field);
      if (k.kind == Kind::policy)
        topic_level = static_topic->cleanup_delete != static_default.cleanup_delete ||
                      static_topic->cleanup_compact != static_default.cleanup_compact;
      if (k.kind == Kind::ratio)
        topic_level =
            static_topic->min_cleanable_dirty_ratio != static_default.min_cleanable_dirty_ratio;
    }
    int64_t factor = 1;
    if (v == nullptr && !topic_level) v = broker_value(k.synonyms.front().first, node, &factor);
    if (v == nullptr) continue;
    if (k.field) {
      out.*(k.field) = as_long(*v) * factor;
    } else if (k.kind == Kind::ratio) {
      out.min_cleanable_dirty_ratio = as_double(*v);
    } else if (k.kind == Kind::policy) {
      if (const std::string* s = std::get_if<std::string>(v)) {
        if (auto p = parse_policy(*s)) {
          out.cleanup_delete = p->first;
          out.cleanup_compact = p->second;
        }
      }
    }
  }
  return out;
}

int64_t DynamicConfigs::min_insync_replicas(const std::string& topic, BrokerId node,
                                            int64_t static_broker,
                                            std::optional<int64_t> static_topic) const {
  if (const KafkaConfig::Value* v = topic_value(topic, "min.insync.replicas")) return as_long(*v);
  if (static_topic) return *static_topic;
  if (const KafkaConfig::Value* v = broker_value("min.insync.replicas", node)) return as_long(*v);
  return static_broker;
}

bool DynamicConfigs::unclean_leader_election_enable(const std::string& topic, BrokerId node,
                                                    bool static_broker,
                                                    std::optional<bool> static_topic) const {
  const char* key = "unclean.leader.election.enable";
  if (const KafkaConfig::Value* v = topic_value(topic, key)) return std::get<bool>(*v);
  if (static_topic) return *static_topic;
  if (const KafkaConfig::Value* v = broker_value(key, node)) return std::get<bool>(*v);
  return static_broker;
}

int64_t DynamicConfigs::broker_long(std::string_view key, BrokerId node,
                                    int64_t static_value) const {
  const KafkaConfig::Value* v = broker_value(key, node);
  return v ? as_long(*v) : static_value;
}

bool DynamicConfigs::any_unclean_enabled() const {
  for (const auto* m : {&topics_, &brokers_}) {
    for (const auto& [name, s] : *m) {
      auto it = s.find("unclean.leader.election.enable");
      if (it != s.end() && std::get_if<bool>(&it->second) && std::get<bool>(it->second))
        return true;
    }
  }
  return false;
}

}  // namespace kafkasim::kafka
