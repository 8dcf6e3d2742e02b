// The few JSON shapes Kafka stores in ZooKeeper, written and read without a JSON library.
#include <cctype>
#include <cstdlib>

#include "kafka/zkmode/messages.h"

namespace kafkasim::kafka::zkmode {

namespace {
std::string ints(const std::vector<BrokerId>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}
// Finds "key": and returns the position after the colon, or npos.
size_t after_key(const std::string& j, const std::string& key, size_t from = 0) {
  const size_t k = j.find("\"" + key + "\":", from);
  return k == std::string::npos ? k : k + key.size() + 3;
}
bool read_int(const std::string& j, size_t& pos, int64_t& out) {
  if (pos >= j.size()) return false;
  char* end = nullptr;
  out = std::strtoll(j.c_str() + pos, &end, 10);
  if (end == j.c_str() + pos) return false;
  pos = static_cast<size_t>(end - j.c_str());
  return true;
}
bool read_ints(const std::string& j, size_t& pos, std::vector<BrokerId>& out) {
  if (pos >= j.size() || j[pos] != '[') return false;
  ++pos;
  out.clear();
  while (pos < j.size() && j[pos] != ']') {
    int64_t v;
    if (!read_int(j, pos, v)) return false;
    out.push_back(static_cast<BrokerId>(v));
    if (pos < j.size() && j[pos] == ',') ++pos;
  }
  ++pos;
  return true;
}
}  // namespace

std::string state_json(const ZkPartitionState& s) {
  return "{\"controller_epoch\":" + std::to_string(s.controller_epoch) +
         ",\"leader\":" + std::to_string(s.leader) +
         ",\"version\":1,\"leader_epoch\":" + std::to_string(s.leader_epoch) +
         ",\"isr\":" + ints(s.isr) + "}";
}

bool parse_state_json(const std::string& j, ZkPartitionState& out) {
  int64_t v;
  size_t p = after_key(j, "controller_epoch");
  if (p == std::string::npos || !read_int(j, p, v)) return false;
  out.controller_epoch = static_cast<int32_t>(v);
  p = after_key(j, "leader");
  if (p == std::string::npos || !read_int(j, p, v)) return false;
  out.leader = static_cast<BrokerId>(v);
  p = after_key(j, "leader_epoch");
  if (p == std::string::npos || !read_int(j, p, v)) return false;
  out.leader_epoch = static_cast<LeaderEpoch>(v);
  p = after_key(j, "isr");
  return p != std::string::npos && read_ints(j, p, out.isr);
}

namespace {
std::string partition_map(const std::map<int32_t, std::vector<BrokerId>>& m) {
  std::string s = "{";
  bool first = true;
  for (const auto& [p, r] : m) {
    s += (first ? "\"" : ",\"") + std::to_string(p) + "\":" + ints(r);
    first = false;
  }
  return s + "}";
}
// The text of the object that follows "field": (from its '{' to the matching '}').
std::string object_of(const std::string& j, const std::string& field) {
  size_t p = after_key(j, field);
  if (p == std::string::npos || p >= j.size() || j[p] != '{') return "";
  int depth = 0;
  for (size_t i = p; i < j.size(); ++i) {
    if (j[i] == '{') ++depth;
    if (j[i] == '}' && --depth == 0) return j.substr(p, i - p + 1);
  }
  return "";
}
// Reads a JSON string starting at the quote at `pos`; escapes are not used by these shapes.
bool read_string(const std::string& j, size_t& pos, std::string& out) {
  if (pos >= j.size() || j[pos] != '"') return false;
  const size_t end = j.find('"', pos + 1);
  if (end == std::string::npos) return false;
  out = j.substr(pos + 1, end - pos - 1);
  pos = end + 1;
  return true;
}
}  // namespace

std::string assignment_json(const std::vector<std::vector<BrokerId>>& replicas,
                            const std::map<int32_t, std::vector<BrokerId>>& adding,
                            const std::map<int32_t, std::vector<BrokerId>>& removing) {
  std::string s = "{\"version\":2,\"partitions\":{";
  for (size_t p = 0; p < replicas.size(); ++p) {
    s += (p ? "," : "") + std::string("\"") + std::to_string(p) + "\":" + ints(replicas[p]);
  }
  s += "}";
  if (!adding.empty()) s += ",\"adding_replicas\":" + partition_map(adding);
  if (!removing.empty()) s += ",\"removing_replicas\":" + partition_map(removing);
  return s + "}";
}

bool parse_assignment_json(const std::string& json, std::vector<std::vector<BrokerId>>& out) {
  out.clear();
  const std::string j = object_of(json, "partitions");
  for (size_t p = 0;; ++p) {
    size_t pos = after_key(j, std::to_string(p));
    if (pos == std::string::npos) return !out.empty();
    std::vector<BrokerId> r;
    if (!read_ints(j, pos, r)) return false;
    out.push_back(r);
  }
}

std::map<int32_t, std::vector<BrokerId>> parse_reassigning_json(const std::string& json,
                                                                const std::string& field) {
  std::map<int32_t, std::vector<BrokerId>> out;
  const std::string j = object_of(json, field);
  size_t pos = 1;
  while (pos < j.size() && j[pos] == '"') {
    std::string key;
    if (!read_string(j, pos, key) || pos >= j.size() || j[pos] != ':') break;
    ++pos;
    std::vector<BrokerId> r;
    if (!read_ints(j, pos, r)) break;
    out[std::atoi(key.c_str())] = r;
    if (pos < j.size() && j[pos] == ',') ++pos;
  }
  return out;
}

std::string reassignment_json(const std::vector<ReassignEntry>& entries) {
  std::string s = "{\"version\":1,\"partitions\":[";
  for (size_t i = 0; i < entries.size(); ++i) {
    s += (i ? "," : "") + std::string("{\"topic\":\"") + entries[i].topic +
         "\",\"partition\":" + std::to_string(entries[i].partition) +
         ",\"replicas\":" + ints(entries[i].replicas) + "}";
  }
  return s + "]}";
}

std::vector<ReassignEntry> parse_reassignment_json(const std::string& j) {
  std::vector<ReassignEntry> out;
  size_t from = 0;
  for (;;) {
    size_t p = after_key(j, "topic", from);
    if (p == std::string::npos) return out;
    ReassignEntry e;
    if (!read_string(j, p, e.topic)) return out;
    size_t q = after_key(j, "partition", p);
    int64_t v = 0;
    if (q == std::string::npos || !read_int(j, q, v)) return out;
    e.partition = static_cast<int32_t>(v);
    size_t r = after_key(j, "replicas", q);
    if (r == std::string::npos || !read_ints(j, r, e.replicas)) return out;
    out.push_back(std::move(e));
    from = r;
  }
}

std::string config_json(const std::map<std::string, std::string>& config) {
  std::string s = "{\"version\":1,\"config\":{";
  bool first = true;
  for (const auto& [k, v] : config) {
    s += (first ? "\"" : ",\"") + k + "\":\"" + v + "\"";
    first = false;
  }
  return s + "}}";
}

std::map<std::string, std::string> parse_config_json(const std::string& json) {
  std::map<std::string, std::string> out;
  const std::string j = object_of(json, "config");
  size_t pos = 1;
  while (pos < j.size() && j[pos] == '"') {
    std::string key, value;
    if (!read_string(j, pos, key) || pos >= j.size() || j[pos] != ':') break;
    ++pos;
    if (!read_string(j, pos, value)) break;
    out[key] = value;
    if (pos < j.size() && j[pos] == ',') ++pos;
  }
  return out;
}

std::string config_change_json(const std::string& entity_path) {
  return "{\"version\":2,\"entity_path\":\"" + entity_path + "\"}";
}

std::string parse_config_change_json(const std::string& j) {
  size_t p = after_key(j, "entity_path");
  std::string out;
  if (p != std::string::npos) read_string(j, p, out);
  return out;
}

}  // namespace kafkasim::kafka::zkmode
