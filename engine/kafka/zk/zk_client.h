// ZkClient: the ZooKeeper client inside a Kafka broker in ZooKeeper mode. It connects to one
// server of the ensemble, keeps its session alive with pings (every third of the session
// timeout), moves to another server when its connection breaks (the session survives if it
// reconnects in time), and reports what happened as events for its owner to drain:
// responses to requests (in order), watch notifications, session established / expired.
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "kafka/zk/types.h"
#include "sim/timer.h"
#include "world/ctx.h"

namespace kafkasim::kafka::zk {

struct ZkEvent {
  enum class Kind : uint8_t { session_established, session_expired, response, watch };
  Kind kind = Kind::response;
  bool new_session = false;  // session_established: a fresh session (ephemerals are gone)
  int64_t xid = 0;
  ZkResponse response;
  ZkWatchEvent watch;
};

class ZkClient {
 public:
  enum TimerKind : uint16_t { ping_timer = 70, connect_timer = 71 };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  enum class State : uint8_t { disconnected, connecting, connected };

  ZkClient() = default;
  ZkClient(int32_t self, std::vector<int32_t> servers, int32_t session_timeout_ms);

  void start(world::Ctx& ctx);
  void crash();
  /// Queues a request; its response comes back as an event with the returned xid. While
  /// disconnected, requests wait (and fail with CONNECTIONLOSS if the connection drops).
  int64_t submit(world::Ctx& ctx, ZkRequest r);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_message(world::Ctx& ctx, int32_t from, const ZkConnectResponse& m);
  void on_message(world::Ctx& ctx, int32_t from, const ZkResponse& m);
  void on_message(world::Ctx& ctx, int32_t from, const ZkPingResponse& m);
  void on_message(world::Ctx& ctx, int32_t from, const ZkWatchEvent& m);
  void on_message(world::Ctx& ctx, int32_t from, const ZkSessionExpired& m);
  void on_message(world::Ctx& ctx, int32_t from, const ZkConnectionClosed& m);

  /// Events since the last call, in order.
  std::vector<ZkEvent> drain() {
    std::vector<ZkEvent> out = std::move(events_);
    events_.clear();
    return out;
  }
  State state() const { return state_; }
  int64_t session() const { return session_; }
  int32_t server() const { return server_; }
  /// Requests sent and not yet answered, and requests waiting for a connection.
  size_t requests_in_flight() const { return in_flight_.size(); }
  size_t requests_waiting() const { return waiting_.size(); }
  int32_t negotiated_timeout_ms() const { return negotiated_timeout_ms_; }

 private:
  void connect(world::Ctx& ctx, bool next_server);
  void connection_lost(world::Ctx& ctx);
  void flush(world::Ctx& ctx);

  int32_t self_ = 0;
  std::vector<int32_t> servers_;
  int32_t session_timeout_ms_ = 18000;
  // volatile
  State state_ = State::disconnected;
  int32_t server_ = -1;
  size_t server_index_ = 0;
  int64_t session_ = 0;
  int32_t negotiated_timeout_ms_ = 0;
  int64_t next_xid_ = 1;
  std::deque<ZkRequest> waiting_;  // not yet sent
  std::deque<int64_t> in_flight_;  // sent, in order
  std::vector<ZkEvent> events_;
  // Watches set and not yet triggered. ZooKeeper's client re-arms them on a new connection
  // (SetWatches) and they fire if the node changed meanwhile; we fire them on reconnection so
  // the owner re-reads, which is what a changed node would cause.
  std::set<std::string> data_watches_, child_watches_;
  int32_t connected_to_ = -1;
  uint32_t attempt_ = 0;
  sim::Time last_heard_;
  sim::TimerId ping_timer_, connect_timer_;
};

}  // namespace kafkasim::kafka::zk
