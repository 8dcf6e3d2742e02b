// ZkServer: one server of a ZooKeeper ensemble (the `zookeeper = [...]` nodes of a scenario in
// mode = "zookeeper"). Writes go through the ensemble leader and commit by majority; every
// server applies committed transactions to its own DataTree in order and serves reads from it,
// so a read can be stale, as in ZooKeeper. Sessions live on the leader: it expires a session
// that has not been touched within its timeout and deletes its ephemeral nodes.
//
// Simplified (documented in docs/architecture.md): the atomic broadcast is our Raft model
// (leader with the most up-to-date history, majority commit, epochs) rather than ZAB's exact
// phases; one client connection per client node; watches are not re-registered after a
// client reconnects to another server.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/raft/raft.h"
#include "kafka/zk/data_tree.h"
#include "kafka/zk/types.h"
#include "net/message.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka::zk {

struct ZkServerConfig {
  int32_t id = 0;
  std::vector<int32_t> ensemble;
  int64_t tick_time_ms = 2000;  // ZooKeeper's tickTime
  int64_t sync_limit = 5;       // ticks a follower may lag before it is dropped
};

class ZkServer {
 public:
  enum TimerKind : uint16_t { tick_timer = 60 };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);

  ZkServer() = default;
  explicit ZkServer(ZkServerConfig cfg);

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss);

  const raft::Raft& raft() const { return raft_; }
  const DataTree& tree() const { return tree_; }
  /// Serving clients: the leader, or a follower of a leader.
  bool serving() const;
  const std::map<int32_t, int64_t>& connections() const { return connections_; }

 private:
  struct Client {
    int64_t session = 0;
    std::deque<ZkRequest> queue;
    bool write_in_flight = false;
  };
  void sync(world::Ctx& ctx);
  bool leader_active() const { return pending_tree_.has_value(); }
  void handle_connect(world::Ctx& ctx, int32_t client, const ZkConnect& m);
  void connect_reply(world::Ctx& ctx, int32_t client, ZkConnectResponse r);
  void pump(world::Ctx& ctx, int32_t client);
  void leader_write(world::Ctx& ctx, const ZkForward& f);
  void reply(world::Ctx& ctx, int32_t client, ZkResponse r);
  void fire(world::Ctx& ctx, const Change& c);
  ZkTxn txn_for(const ZkRequest& r) const;

  ZkServerConfig cfg_;
  raft::Raft raft_;
  // volatile
  DataTree tree_;  // committed, applied in order
  kafka::Offset applied_ = -1;
  std::optional<DataTree> pending_tree_;  // leader: committed + accepted, not yet committed
  int32_t active_epoch_ = -1;
  std::map<int64_t, sim::Time> last_touch_;  // leader: session liveness
  std::set<int64_t> touched_;                // follower: sessions to report to the leader
  std::map<int32_t, int64_t> connections_;   // client node -> session
  std::map<int32_t, Client> clients_;
  std::map<std::string, std::set<int32_t>> data_watches_, child_watches_;
  uint64_t next_session_ = 1;
  std::map<int32_t, uint32_t> attempts_;  // latest connection attempt per client
  int64_t serving_as_ = -1;  // (epoch, leader) it serves clients under; -1 when not serving
};

}  // namespace kafkasim::kafka::zk
