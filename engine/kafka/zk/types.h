// ZooKeeper's data model and wire messages, as the ZooKeeper client API names them
// (KeeperException.Code, Watcher.Event.EventType, Stat). Only what Kafka's ZooKeeper mode uses.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kafkasim::kafka::zk {

enum class Code : int8_t {
  OK,
  NONODE,
  NODEEXISTS,
  BADVERSION,
  NOTEMPTY,
  SESSIONEXPIRED,
  CONNECTIONLOSS
};
const char* code_name(Code c);

enum class EventType : uint8_t { NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged };
const char* event_type_name(EventType t);

struct Stat {
  int64_t czxid = 0;  // zxid of the create (we use the ensemble log offset)
  int64_t mzxid = 0;
  int32_t version = 0;          // data version, +1 per setData
  int64_t ephemeral_owner = 0;  // session id, 0 for persistent nodes
  int32_t cversion = 0;         // +1 per child created or deleted (names sequential children)
};

/// A committed change to the tree, replicated through the ensemble's atomic broadcast.
struct ZkTxn {
  enum class Op : uint8_t {
    create_session,
    close_session,
    create,
    remove,
    set_data,
    check_and_set
  };
  Op op = Op::create;
  int64_t session = 0;
  int32_t session_timeout_ms = 0;
  std::string path;
  std::string data;
  bool ephemeral = false;
  bool sequential = false;  // create: `path` got the parent's 10-digit counter appended
  // check_and_set: a multi() of check(check_path, check_version) + setData(path, data, version)
  std::string check_path;
  int32_t check_version = -1;
  int32_t version = -1;
  // who asked, so the server the client is connected to can answer once it applies the txn
  int32_t origin_server = -1;
  int32_t client = -1;
  int64_t xid = 0;
};
std::string describe(const ZkTxn& t);

// [client <-> server]
// --------------------------------------------------------------------------------
struct ZkConnect {
  static constexpr const char* kName = "ZkConnect";
  int64_t session = 0;  // 0: a new session
  int32_t session_timeout_ms = 0;
  uint32_t attempt = 0;  // which connection attempt (answers to older ones are ignored)
};
struct ZkConnectResponse {
  static constexpr const char* kName = "ZkConnectResponse";
  Code code = Code::OK;
  int64_t session = 0;
  int32_t session_timeout_ms = 0;
  uint32_t attempt = 0;
};
struct ZkPing {
  static constexpr const char* kName = "ZkPing";
  int64_t session = 0;
};
struct ZkPingResponse {
  static constexpr const char* kName = "ZkPingResponse";
  int64_t session = 0;
};

enum class ZkOp : uint8_t {
  create,
  remove,
  set_data,
  get_data,
  exists,
  get_children,
  check_and_set
};
const char* op_name(ZkOp op);

struct ZkRequest {
  static constexpr const char* kName = "ZkRequest";
  int64_t xid = 0;
  int64_t session = 0;
  ZkOp op = ZkOp::get_data;
  std::string path;
  std::string data;
  bool ephemeral = false;
  /// create: CreateMode.PERSISTENT_SEQUENTIAL, the server appends the parent's counter as 10
  /// digits ("/config/changes/config_change_0000000003"); the response's data is the name.
  bool sequential = false;
  int32_t version = -1;  // expected data version for set/remove/check_and_set; -1 any
  bool watch = false;
  std::string check_path;
  int32_t check_version = -1;
};
struct ZkResponse {
  static constexpr const char* kName = "ZkResponse";
  int64_t xid = 0;
  Code code = Code::OK;
  std::string data;
  Stat stat;
  std::vector<std::string> children;
};
struct ZkWatchEvent {
  static constexpr const char* kName = "ZkWatchEvent";
  EventType type = EventType::NodeCreated;
  std::string path;
};
/// The server closes its client connections: it left the quorum it served in (a new leader,
/// a new epoch, or no quorum at all). Clients reconnect, to another server if need be.
struct ZkConnectionClosed {
  static constexpr const char* kName = "ZkConnectionClosed";
};
/// The server tells a connected client its session is gone (ephemerals deleted).
struct ZkSessionExpired {
  static constexpr const char* kName = "ZkSessionExpired";
  int64_t session = 0;
};

// [server <-> server]
// --------------------------------------------------------------------------------
/// A follower passes a client's write to the leader (ZooKeeper's FollowerRequestProcessor).
struct ZkForward {
  static constexpr const char* kName = "ZkForward";
  int32_t origin_server = 0;
  int32_t client = 0;
  ZkRequest request;
  int32_t session_timeout_ms = 0;  // for create_session forwards
  bool create_session = false;
};
/// The leader refused a forwarded write: the origin answers the client with `response`.
struct ZkForwardError {
  static constexpr const char* kName = "ZkForwardError";
  int32_t client = 0;
  ZkResponse response;
  bool create_session = false;  // the refused write was a new session: answer with a connect error
};
/// A follower tells the leader which sessions pinged it (sessions live on the leader).
struct ZkTouch {
  static constexpr const char* kName = "ZkTouch";
  std::vector<int64_t> sessions;
};

}  // namespace kafkasim::kafka::zk
