#include "kafka/zk/zk_client.h"

#include "world/world.h"

namespace kafkasim::kafka::zk {

using sim::Time;

ZkClient::ZkClient(int32_t self, std::vector<int32_t> servers, int32_t session_timeout_ms)
    : self_(self), servers_(std::move(servers)), session_timeout_ms_(session_timeout_ms) {}

void ZkClient::crash() {
  *this = ZkClient(self_, servers_, session_timeout_ms_);
}

void ZkClient::start(world::Ctx& ctx) {
  server_index_ = ctx.rng().uniform(servers_.size());
  connect(ctx, false);
}

void ZkClient::connect(world::Ctx& ctx, bool next_server) {
  if (next_server) server_index_ = (server_index_ + 1) % servers_.size();
  server_ = servers_[server_index_];
  state_ = State::connecting;
  ctx.send(server_, net::MessageKind::heartbeat,
           ZkConnect{session_, session_timeout_ms_, ++attempt_}, 48);
  ctx.cancel(connect_timer_);
  // Connection attempts give up after a third of the session timeout, then try the next server.
  connect_timer_ = ctx.set_timer(Time::from_ms(session_timeout_ms_ / 3), connect_timer, 0);
}

void ZkClient::connection_lost(world::Ctx& ctx) {
  // Requests in flight fail with CONNECTIONLOSS: the caller decides whether to retry.
  for (int64_t xid : in_flight_) {
    ZkEvent e;
    e.kind = ZkEvent::Kind::response;
    e.xid = xid;
    e.response.xid = xid;
    e.response.code = Code::CONNECTIONLOSS;
    events_.push_back(e);
  }
  in_flight_.clear();
  ctx.cancel(ping_timer_);
  connected_to_ = -1;  // whatever server we land on next, its watches must be set again
  connect(ctx, true);
}

int64_t ZkClient::submit(world::Ctx& ctx, ZkRequest r) {
  r.xid = next_xid_++;
  if (r.watch) (r.op == ZkOp::get_children ? child_watches_ : data_watches_).insert(r.path);
  waiting_.push_back(r);
  flush(ctx);
  return r.xid;
}

void ZkClient::flush(world::Ctx& ctx) {
  if (state_ != State::connected) return;
  while (!waiting_.empty()) {
    ZkRequest r = waiting_.front();
    waiting_.pop_front();
    r.session = session_;
    in_flight_.push_back(r.xid);
    ctx.send(server_, net::MessageKind::metadata, r, static_cast<uint32_t>(64 + r.data.size()));
  }
}

void ZkClient::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t) {
  if (kind == connect_timer) {
    connect_timer_ = {};
    if (state_ == State::connecting) connect(ctx, true);
  } else if (kind == ping_timer) {
    ping_timer_ = {};
    if (state_ != State::connected) return;
    // No word from the server for 2/3 of the session timeout: the connection is dead.
    if (ctx.now() - last_heard_ > Time::from_ms(negotiated_timeout_ms_ * 2 / 3)) {
      connection_lost(ctx);
      return;
    }
    ctx.send(server_, net::MessageKind::heartbeat, ZkPing{session_}, 16);
    ping_timer_ = ctx.set_timer(Time::from_ms(negotiated_timeout_ms_ / 3), ping_timer, 0);
  }
}

void ZkClient::on_disconnect(world::Ctx& ctx, int32_t peer) {
  if (peer != server_) return;
  if (state_ == State::connected) {
    connection_lost(ctx);
  } else if (state_ == State::connecting) {
    connect(ctx, true);
  }
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkConnectResponse& m) {
  if (from != server_ || state_ != State::connecting || m.attempt != attempt_) return;
  ctx.cancel(connect_timer_);
  if (m.code == Code::SESSIONEXPIRED) {
    ctx.trace(sim::TraceKind::note, ctx.name_of(self_) + ": " + ctx.name_of(from) +
                                        " refuses to resume session " +
                                        std::to_string(session_ & 0xffffffff) + ": SESSIONEXPIRED");
    session_ = 0;  // the ensemble expired us: start a new session (ephemerals are gone)
    ZkEvent e;
    e.kind = ZkEvent::Kind::session_expired;
    events_.push_back(e);
    connect(ctx, false);
    return;
  }
  if (m.code != Code::OK) {
    connect(ctx, true);
    return;
  }
  const bool fresh = session_ != m.session;
  const bool moved = connected_to_ != server_;
  if (fresh || moved) {
    ctx.trace(sim::TraceKind::note,
              ctx.name_of(self_) +
                  (fresh ? " opened ZooKeeper session " : " resumed ZooKeeper session ") +
                  std::to_string(m.session & 0xffffffff) + " on " + ctx.name_of(server_));
  }
  connected_to_ = server_;
  session_ = m.session;
  negotiated_timeout_ms_ = m.session_timeout_ms;
  state_ = State::connected;
  last_heard_ = ctx.now();
  ZkEvent e;
  e.kind = ZkEvent::Kind::session_established;
  e.new_session = fresh;
  events_.push_back(e);
  if (fresh) {
    data_watches_.clear();
    child_watches_.clear();
  } else if (moved) {
    for (const std::string& p : data_watches_)
      events_.push_back(
          ZkEvent{ZkEvent::Kind::watch, false, 0, {}, {EventType::NodeDataChanged, p}});
    for (const std::string& p : child_watches_)
      events_.push_back(
          ZkEvent{ZkEvent::Kind::watch, false, 0, {}, {EventType::NodeChildrenChanged, p}});
    data_watches_.clear();
    child_watches_.clear();
  }
  ping_timer_ = ctx.set_timer(Time::from_ms(negotiated_timeout_ms_ / 3), ping_timer, 0);
  flush(ctx);
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkResponse& m) {
  if (from != server_ || in_flight_.empty()) return;
  last_heard_ = ctx.now();
  if (in_flight_.front() != m.xid) return;
  in_flight_.pop_front();
  ZkEvent e;
  e.kind = ZkEvent::Kind::response;
  e.xid = m.xid;
  e.response = m;
  events_.push_back(e);
  if (m.code == Code::SESSIONEXPIRED && session_ != 0) {
    ctx.trace(sim::TraceKind::note, ctx.name_of(self_) + ": " + ctx.name_of(from) +
                                        " answers a request with SESSIONEXPIRED");
    session_ = 0;
    ZkEvent x;
    x.kind = ZkEvent::Kind::session_expired;
    events_.push_back(x);
    state_ = State::disconnected;
    connect(ctx, false);
  }
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkPingResponse&) {
  if (from == server_) last_heard_ = ctx.now();
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkWatchEvent& m) {
  if (from != server_) return;
  last_heard_ = ctx.now();
  (m.type == EventType::NodeChildrenChanged ? child_watches_ : data_watches_).erase(m.path);
  ZkEvent e;
  e.kind = ZkEvent::Kind::watch;
  e.watch = m;
  events_.push_back(e);
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkConnectionClosed&) {
  if (from != server_) return;
  if (state_ == State::connected) {
    connection_lost(ctx);
  } else if (state_ == State::connecting) {
    connect(ctx, true);
  }
}

void ZkClient::on_message(world::Ctx& ctx, int32_t from, const ZkSessionExpired& m) {
  if (from != server_ || m.session != session_) return;
  ctx.cancel(ping_timer_);
  for (int64_t xid : in_flight_) {
    ZkEvent e;
    e.kind = ZkEvent::Kind::response;
    e.xid = xid;
    e.response.xid = xid;
    e.response.code = Code::SESSIONEXPIRED;
    events_.push_back(e);
  }
  in_flight_.clear();
  session_ = 0;
  ZkEvent e;
  e.kind = ZkEvent::Kind::session_expired;
  events_.push_back(e);
  connect(ctx, false);
}

const char* ZkClient::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case ping_timer:
      return "the ZooKeeper ping timer";
    case connect_timer:
      return "the ZooKeeper connect timeout";
  }
  return nullptr;
}

}  // namespace kafkasim::kafka::zk
