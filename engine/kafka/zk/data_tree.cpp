#include "kafka/zk/data_tree.h"

#include "sim/assert.h"

namespace kafkasim::kafka::zk {

const char* code_name(Code c) {
  switch (c) {
    case Code::OK:
      return "OK";
    case Code::NONODE:
      return "NONODE";
    case Code::NODEEXISTS:
      return "NODEEXISTS";
    case Code::BADVERSION:
      return "BADVERSION";
    case Code::NOTEMPTY:
      return "NOTEMPTY";
    case Code::SESSIONEXPIRED:
      return "SESSIONEXPIRED";
    case Code::CONNECTIONLOSS:
      return "CONNECTIONLOSS";
  }
  return "OK";
}

const char* event_type_name(EventType t) {
  switch (t) {
    case EventType::NodeCreated:
      return "NodeCreated";
    case EventType::NodeDeleted:
      return "NodeDeleted";
    case EventType::NodeDataChanged:
      return "NodeDataChanged";
    case EventType::NodeChildrenChanged:
      return "NodeChildrenChanged";
  }
  return "NodeCreated";
}

const char* op_name(ZkOp op) {
  switch (op) {
    case ZkOp::create:
      return "create";
    case ZkOp::remove:
      return "delete";
    case ZkOp::set_data:
      return "setData";
    case ZkOp::get_data:
      return "getData";
    case ZkOp::exists:
      return "exists";
    case ZkOp::get_children:
      return "getChildren";
    case ZkOp::check_and_set:
      return "multi(check, setData)";
  }
  return "getData";
}

std::string describe(const ZkTxn& t) {
  switch (t.op) {
    case ZkTxn::Op::create_session:
      return "createSession 0x" + std::to_string(t.session);
    case ZkTxn::Op::close_session:
      return "closeSession " + std::to_string(t.session);
    case ZkTxn::Op::create:
      return std::string("create ") + (t.ephemeral ? "ephemeral " : "") + t.path + " \"" + t.data +
             "\"";
    case ZkTxn::Op::remove:
      return "delete " + t.path;
    case ZkTxn::Op::set_data:
      return "setData " + t.path + " \"" + t.data + "\"";
    case ZkTxn::Op::check_and_set:
      return "multi(check " + t.check_path + " version " + std::to_string(t.check_version) +
             ", setData " + t.path + " \"" + t.data + "\")";
  }
  return "txn";
}

DataTree::DataTree() {
  nodes_["/"] = Znode{};
}

std::string DataTree::parent(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

const Znode* DataTree::get(const std::string& path) const {
  auto it = nodes_.find(path);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::vector<std::string> DataTree::children(const std::string& path) const {
  std::vector<std::string> out;
  const std::string prefix = path == "/" ? "/" : path + "/";
  for (auto it = nodes_.lower_bound(prefix);
       it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string rest = it->first.substr(prefix.size());
    if (!rest.empty() && rest.find('/') == std::string::npos) out.push_back(rest);
  }
  return out;
}

Code DataTree::check(const ZkTxn& t) const {
  switch (t.op) {
    case ZkTxn::Op::create_session:
      return Code::OK;
    case ZkTxn::Op::close_session:
      return session_alive(t.session) ? Code::OK : Code::SESSIONEXPIRED;
    case ZkTxn::Op::create:
      if (t.session != 0 && t.ephemeral && !session_alive(t.session)) return Code::SESSIONEXPIRED;
      if (get(t.path)) return Code::NODEEXISTS;
      if (!get(parent(t.path))) return Code::NONODE;
      return Code::OK;
    case ZkTxn::Op::remove: {
      const Znode* n = get(t.path);
      if (!n) return Code::NONODE;
      if (t.version >= 0 && n->stat.version != t.version) return Code::BADVERSION;
      if (!children(t.path).empty()) return Code::NOTEMPTY;
      return Code::OK;
    }
    case ZkTxn::Op::set_data: {
      const Znode* n = get(t.path);
      if (!n) return Code::NONODE;
      if (t.version >= 0 && n->stat.version != t.version) return Code::BADVERSION;
      return Code::OK;
    }
    case ZkTxn::Op::check_and_set: {
      const Znode* c = get(t.check_path);
      if (!c) return Code::NONODE;
      if (c->stat.version != t.check_version) return Code::BADVERSION;
      const Znode* n = get(t.path);
      if (!n) return Code::NONODE;
      if (t.version >= 0 && n->stat.version != t.version) return Code::BADVERSION;
      return Code::OK;
    }
  }
  return Code::OK;
}

std::vector<Change> DataTree::apply(int64_t zxid, const ZkTxn& t) {
  std::vector<Change> changes;
  SIM_ASSERT(check(t) == Code::OK, "committed ZooKeeper txns are valid where they apply");
  switch (t.op) {
    case ZkTxn::Op::create_session:
      sessions_[t.session] = t.session_timeout_ms;
      break;
    case ZkTxn::Op::close_session: {
      sessions_.erase(t.session);
      std::vector<std::string> owned;
      for (const auto& [path, n] : nodes_) {
        if (n.stat.ephemeral_owner == t.session) owned.push_back(path);
      }
      for (const std::string& p : owned) {
        nodes_.erase(p);
        if (auto par = nodes_.find(parent(p)); par != nodes_.end()) ++par->second.stat.cversion;
        changes.push_back({EventType::NodeDeleted, p});
        changes.push_back({EventType::NodeChildrenChanged, parent(p)});
      }
      break;
    }
    case ZkTxn::Op::create: {
      Znode& n = nodes_[t.path];
      n.data = t.data;
      n.stat = Stat{zxid, zxid, 0, t.ephemeral ? t.session : 0, 0};
      ++nodes_[parent(t.path)].stat.cversion;
      changes.push_back({EventType::NodeCreated, t.path});
      changes.push_back({EventType::NodeChildrenChanged, parent(t.path)});
      break;
    }
    case ZkTxn::Op::remove:
      nodes_.erase(t.path);
      ++nodes_[parent(t.path)].stat.cversion;
      changes.push_back({EventType::NodeDeleted, t.path});
      changes.push_back({EventType::NodeChildrenChanged, parent(t.path)});
      break;
    case ZkTxn::Op::set_data:
    case ZkTxn::Op::check_and_set: {
      Znode& n = nodes_[t.path];
      n.data = t.data;
      n.stat.mzxid = zxid;
      ++n.stat.version;
      changes.push_back({EventType::NodeDataChanged, t.path});
      break;
    }
  }
  return changes;
}

}  // namespace kafkasim::kafka::zk
