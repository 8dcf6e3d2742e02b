// DataTree: ZooKeeper's hierarchical namespace on one server, built by applying committed
// transactions in order, with its sessions and the ephemeral nodes they own.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/zk/types.h"

namespace kafkasim::kafka::zk {

struct Znode {
  std::string data;
  Stat stat;
};

/// A change that watchers may care about.
struct Change {
  EventType type;
  std::string path;
};

class DataTree {
 public:
  DataTree();
  /// Validates a write against this tree: OK, or the error ZooKeeper would return.
  Code check(const ZkTxn& t) const;
  /// Applies a validated txn committed at `zxid`; returns the changes for watches.
  std::vector<Change> apply(int64_t zxid, const ZkTxn& t);

  const Znode* get(const std::string& path) const;
  std::vector<std::string> children(const std::string& path) const;  // names, sorted
  bool session_alive(int64_t s) const { return sessions_.count(s) != 0; }
  const std::map<int64_t, int32_t>& sessions() const { return sessions_; }
  const std::map<std::string, Znode>& nodes() const { return nodes_; }
  static std::string parent(const std::string& path);

 private:
  std::map<std::string, Znode> nodes_;   // ordered: deterministic iteration
  std::map<int64_t, int32_t> sessions_;  // session -> timeout ms
};

}  // namespace kafkasim::kafka::zk
