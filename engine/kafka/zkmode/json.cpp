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

std::string assignment_json(const std::vector<std::vector<BrokerId>>& replicas) {
  std::string s = "{\"version\":2,\"partitions\":{";
  for (size_t p = 0; p < replicas.size(); ++p) {
    s += (p ? "," : "") + std::string("\"") + std::to_string(p) + "\":" + ints(replicas[p]);
  }
  return s + "}}";
}

bool parse_assignment_json(const std::string& j, std::vector<std::vector<BrokerId>>& out) {
  out.clear();
  for (size_t p = 0;; ++p) {
    size_t pos = after_key(j, std::to_string(p));
    if (pos == std::string::npos) return !out.empty();
    std::vector<BrokerId> r;
    if (!read_ints(j, pos, r)) return false;
    out.push_back(r);
  }
}

}  // namespace kafkasim::kafka::zkmode
