// A ZooKeeper server. See zk_server.h.
#include "kafka/zk/zk_server.h"

#include <algorithm>

#include "world/world.h"

namespace kafkasim::kafka::zk {

using sim::Time;

namespace {
KafkaConfig ensemble_timing(const ZkServerConfig& c) {
  KafkaConfig k;
  k.controller_quorum_election_timeout_ms = 200;  // fast leader election settles in ~200 ms
  k.controller_quorum_fetch_timeout_ms = c.sync_limit * c.tick_time_ms;
  k.controller_quorum_request_timeout_ms = c.tick_time_ms;
  k.controller_quorum_retry_backoff_ms = 20;
  k.controller_quorum_election_backoff_max_ms = 1000;
  return k;
}
}  // namespace

ZkServer::ZkServer(ZkServerConfig cfg) : cfg_(std::move(cfg)) {
  raft_ = raft::Raft(cfg_.id, cfg_.ensemble, ensemble_timing(cfg_), raft::Raft::Flavor::zookeeper);
}

void ZkServer::on_crash(bool) {
  raft_.crash();
  const auto cfg = cfg_;
  const raft::Raft keep = raft_;
  *this = ZkServer(cfg);
  raft_ = keep;
}

void ZkServer::on_start(world::Ctx& ctx) {
  raft_.start(ctx);
  ctx.set_timer(Time::from_ms(cfg_.tick_time_ms / 2), tick_timer, 0);
  sync(ctx);
}

bool ZkServer::serving() const {
  // A follower serves once synced with its leader (ZooKeeper's UPTODATE), never from a stale
  // tree after a restart.
  return leader_active() || (raft_.caught_up() && applied_ + 1 >= raft_.high_watermark());
}

void ZkServer::sync(world::Ctx& ctx) {
  const raft::RaftLog& log = raft_.log();
  for (Offset o = applied_ + 1; o < raft_.high_watermark() && o < log.end_offset(); ++o) {
    applied_ = o;
    const auto* txn = std::get_if<ZkTxn>(&log.at(o).record);
    if (txn == nullptr) continue;
    if (txn->op == ZkTxn::Op::close_session) {
      for (auto it = connections_.begin(); it != connections_.end();) {
        if (it->second == txn->session) {
          ctx.send(it->first, net::MessageKind::heartbeat, ZkSessionExpired{txn->session}, 32);
          clients_.erase(it->first);
          it = connections_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (const Change& c : tree_.apply(o, *txn))
      fire(ctx, c);
    if (txn->origin_server != cfg_.id || !clients_.count(txn->client)) continue;
    if (txn->op == ZkTxn::Op::create_session) {
      connections_[txn->client] = txn->session;
      clients_[txn->client].session = txn->session;
      clients_[txn->client].write_in_flight = false;
      connect_reply(ctx, txn->client,
                    ZkConnectResponse{Code::OK, txn->session, txn->session_timeout_ms});
    } else {
      ZkResponse r;
      r.xid = txn->xid;
      if (const Znode* n = tree_.get(txn->path)) r.stat = n->stat;
      if (txn->sequential) r.data = txn->path;
      reply(ctx, txn->client, r);
      clients_[txn->client].write_in_flight = false;
      pump(ctx, txn->client);
    }
  }
  // Leaving the quorum it served in (new epoch or leader, or none) closes every client
  // connection, as a ZooKeeper server does when it goes back to LOOKING: writes in flight
  // are lost to their clients (CONNECTIONLOSS) and clients reconnect.
  const int64_t serving_as =
      serving() ? (int64_t{raft_.epoch()} << 32) | static_cast<uint32_t>(raft_.leader_id()) : -1;
  if (serving_as != serving_as_) {
    for (const auto& [client, c] : clients_) {
      ctx.send(client, net::MessageKind::heartbeat, ZkConnectionClosed{}, 16);
    }
    clients_.clear();
    connections_.clear();
    data_watches_.clear();
    child_watches_.clear();
    serving_as_ = serving_as;
  }
  // The leader accepts writes once its own epoch's first entry has committed.
  const bool can_lead = raft_.is_leader() && raft_.high_watermark() > raft_.epoch_start_offset() &&
                        applied_ >= raft_.epoch_start_offset();
  if (!raft_.is_leader() || raft_.epoch() != active_epoch_) pending_tree_.reset();
  if (can_lead && !pending_tree_) {
    pending_tree_ = tree_;
    active_epoch_ = raft_.epoch();
    last_touch_.clear();
    for (const auto& [s, t] : tree_.sessions())
      last_touch_[s] = ctx.now();  // fresh, as in ZooKeeper
  }
}

void ZkServer::fire(world::Ctx& ctx, const Change& c) {
  auto& table = c.type == EventType::NodeChildrenChanged ? child_watches_ : data_watches_;
  auto it = table.find(c.path);
  if (it == table.end()) return;
  for (int32_t client : it->second)
    ctx.send(client, net::MessageKind::heartbeat, ZkWatchEvent{c.type, c.path}, 48);
  table.erase(it);  // watches are one-time triggers
}

void ZkServer::reply(world::Ctx& ctx, int32_t client, ZkResponse r) {
  ctx.send(client, net::MessageKind::metadata, std::move(r), 64);
}

ZkTxn ZkServer::txn_for(const ZkRequest& r) const {
  ZkTxn t;
  t.session = r.session;
  t.path = r.path;
  t.data = r.data;
  t.ephemeral = r.ephemeral;
  t.sequential = r.sequential;
  t.version = r.version;
  t.check_path = r.check_path;
  t.check_version = r.check_version;
  switch (r.op) {
    case ZkOp::create:
      t.op = ZkTxn::Op::create;
      break;
    case ZkOp::remove:
      t.op = ZkTxn::Op::remove;
      break;
    case ZkOp::set_data:
      t.op = ZkTxn::Op::set_data;
      break;
    case ZkOp::check_and_set:
      t.op = ZkTxn::Op::check_and_set;
      break;
    default:
      SIM_ASSERT(false, "reads do not become transactions");
  }
  return t;
}

void ZkServer::connect_reply(world::Ctx& ctx, int32_t client, ZkConnectResponse r) {
  r.attempt = attempts_[client];  // so the client can ignore answers to older attempts
  ctx.send(client, net::MessageKind::heartbeat, r, 48);
}

void ZkServer::handle_connect(world::Ctx& ctx, int32_t client, const ZkConnect& m) {
  attempts_[client] = m.attempt;
  const auto timeout = static_cast<int32_t>(
      std::clamp<int64_t>(m.session_timeout_ms, 2 * cfg_.tick_time_ms, 20 * cfg_.tick_time_ms));
  if (!serving()) {
    connect_reply(ctx, client, ZkConnectResponse{Code::CONNECTIONLOSS, 0, 0});
    return;
  }
  clients_[client] = Client{};
  if (m.session == 0) {
    ZkForward f;
    f.origin_server = cfg_.id;
    f.client = client;
    f.create_session = true;
    f.session_timeout_ms = timeout;
    clients_[client].write_in_flight = true;
    if (leader_active()) {
      leader_write(ctx, f);
    } else {
      ctx.send(raft_.leader_id(), net::MessageKind::metadata, f, 64);
    }
  } else if (tree_.session_alive(m.session)) {
    connections_[client] = m.session;
    clients_[client].session = m.session;
    if (leader_active()) {
      last_touch_[m.session] = ctx.now();
    } else {
      touched_.insert(m.session);
    }
    connect_reply(ctx, client,
                  ZkConnectResponse{Code::OK, m.session, tree_.sessions().at(m.session)});
  } else {
    clients_.erase(client);
    connect_reply(ctx, client, ZkConnectResponse{Code::SESSIONEXPIRED, m.session, 0});
  }
}

void ZkServer::pump(world::Ctx& ctx, int32_t client) {
  auto cit = clients_.find(client);
  if (cit == clients_.end()) return;
  Client& c = cit->second;
  while (!c.queue.empty() && !c.write_in_flight) {
    const ZkRequest r = c.queue.front();
    c.queue.pop_front();
    const bool read = r.op == ZkOp::get_data || r.op == ZkOp::exists || r.op == ZkOp::get_children;
    if (!read) {
      c.write_in_flight = true;
      ZkForward f;
      f.origin_server = cfg_.id;
      f.client = client;
      f.request = r;
      if (leader_active()) {
        leader_write(ctx, f);
      } else if (raft_.role() == raft::Role::follower) {
        ctx.send(raft_.leader_id(), net::MessageKind::metadata, f, 64);
      } else {
        c.write_in_flight = false;
        reply(ctx, client, ZkResponse{r.xid, Code::CONNECTIONLOSS, {}, {}, {}});
      }
      return;  // leader_write may have erased or changed clients_
    }
    ZkResponse resp;
    resp.xid = r.xid;
    const Znode* n = tree_.get(r.path);
    if (r.op == ZkOp::get_children) {
      if (n == nullptr) {
        resp.code = Code::NONODE;
      } else {
        resp.children = tree_.children(r.path);
        resp.stat = n->stat;
        if (r.watch) child_watches_[r.path].insert(client);
      }
    } else {
      if (n == nullptr) {
        resp.code = Code::NONODE;
      } else {
        resp.data = n->data;
        resp.stat = n->stat;
      }
      if (r.watch && (n != nullptr || r.op == ZkOp::exists)) data_watches_[r.path].insert(client);
    }
    reply(ctx, client, resp);
  }
}

void ZkServer::leader_write(world::Ctx& ctx, const ZkForward& f) {
  ZkTxn txn;
  if (f.create_session) {
    txn.op = ZkTxn::Op::create_session;
    txn.session = (int64_t{cfg_.id} << 48) | (int64_t{raft_.epoch()} << 32) |
                  static_cast<int64_t>(next_session_++);
    txn.session_timeout_ms = f.session_timeout_ms;
  } else {
    txn = txn_for(f.request);
  }
  txn.origin_server = f.origin_server;
  txn.client = f.client;
  txn.xid = f.request.xid;
  if (txn.sequential && txn.op == ZkTxn::Op::create) {
    // The leader names the node (PrepRequestProcessor): the parent's counter, 10 digits.
    const Znode* parent = pending_tree_->get(DataTree::parent(txn.path));
    const std::string counter = std::to_string(parent ? parent->stat.cversion : 0);
    txn.path += std::string(10 - std::min<size_t>(10, counter.size()), '0') + counter;
  }
  const Code code = pending_tree_->check(txn);
  if (code != Code::OK) {
    ZkResponse r{f.request.xid, code, {}, {}, {}};
    if (f.create_session) {
      ZkForwardError e{f.client, r, true};
      e.response.code = Code::CONNECTIONLOSS;
      if (f.origin_server == cfg_.id) {
        clients_.erase(f.client);
        connect_reply(ctx, f.client, ZkConnectResponse{Code::CONNECTIONLOSS, 0, 0});
      } else {
        ctx.send(f.origin_server, net::MessageKind::metadata, e, 48);
      }
      return;
    }
    if (f.origin_server == cfg_.id) {
      reply(ctx, f.client, r);
      clients_[f.client].write_in_flight = false;
      pump(ctx, f.client);
    } else {
      ctx.send(f.origin_server, net::MessageKind::metadata, ZkForwardError{f.client, r}, 64);
    }
    return;
  }
  const Offset o = raft_.append(ctx, txn);
  pending_tree_->apply(o, txn);
  if (txn.op == ZkTxn::Op::create_session) last_touch_[txn.session] = ctx.now();
}

void ZkServer::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const int32_t from = ctx.world().node_id(env.src);
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ZkConnect>) {
          handle_connect(ctx, from, m);
        } else if constexpr (std::is_same_v<T, ZkPing>) {
          auto it = connections_.find(from);
          if (it != connections_.end() && it->second == m.session &&
              tree_.session_alive(m.session) && serving()) {
            if (leader_active()) {
              last_touch_[m.session] = ctx.now();
            } else {
              touched_.insert(m.session);
            }
            ctx.send(from, net::MessageKind::heartbeat, ZkPingResponse{m.session}, 16);
          }
        } else if constexpr (std::is_same_v<T, ZkRequest>) {
          auto it = connections_.find(from);
          if (!serving() || it == connections_.end() || it->second != m.session) {
            // Only a serving (synced) server may declare a session expired; any other just drops
            // the connection.
            const Code c = serving() && !tree_.session_alive(m.session) ? Code::SESSIONEXPIRED
                                                                        : Code::CONNECTIONLOSS;
            reply(ctx, from, ZkResponse{m.xid, c, {}, {}, {}});
          } else {
            clients_[from].queue.push_back(m);
            pump(ctx, from);
          }
        } else if constexpr (std::is_same_v<T, ZkForward>) {
          if (leader_active()) {
            leader_write(ctx, m);
          } else {
            ctx.send(from, net::MessageKind::metadata,
                     ZkForwardError{m.client,
                                    ZkResponse{m.request.xid, Code::CONNECTIONLOSS, {}, {}, {}},
                                    m.create_session},
                     48);
          }
        } else if constexpr (std::is_same_v<T, ZkForwardError>) {
          if (m.create_session) {
            clients_.erase(m.client);
            connect_reply(ctx, m.client, ZkConnectResponse{Code::CONNECTIONLOSS, 0, 0});
          } else if (clients_.count(m.client)) {
            reply(ctx, m.client, m.response);
            clients_[m.client].write_in_flight = false;
            pump(ctx, m.client);
          }
        } else if constexpr (std::is_same_v<T, ZkTouch>) {
          if (leader_active()) {
            for (int64_t s : m.sessions)
              last_touch_[s] = ctx.now();
          }
        } else if constexpr (requires { raft_.on_message(ctx, from, m); }) {
          raft_.on_message(ctx, from, m);
        }
      },
      payload);
  sync(ctx);
}

void ZkServer::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  if (kind <= raft::Raft::timer_kind_max) {
    raft_.on_timer(ctx, kind, arg);
  } else if (kind == tick_timer) {
    if (leader_active()) {
      std::vector<std::pair<int64_t, int32_t>> expired;
      for (const auto& [s, timeout] : pending_tree_->sessions()) {
        const Time last = last_touch_.count(s) ? last_touch_[s] : ctx.now();
        if (ctx.now() - last > Time::from_ms(timeout)) expired.emplace_back(s, timeout);
      }
      for (const auto& [s, timeout] : expired) {
        std::string owned;
        for (const auto& [path, n] : pending_tree_->nodes()) {
          if (n.stat.ephemeral_owner == s) owned += (owned.empty() ? "" : ", ") + path;
        }
        ctx.trace(sim::TraceKind::note,
                  ctx.name_of(cfg_.id) + " expires ZooKeeper session " +
                      std::to_string(s & 0xffffffff) + ": no heartbeat for over " +
                      std::to_string(timeout) + " ms (its session timeout)" +
                      (owned.empty() ? "" : "; ephemeral nodes deleted: " + owned));
        ZkTxn txn;
        txn.op = ZkTxn::Op::close_session;
        txn.session = s;
        const Offset o = raft_.append(ctx, txn);
        pending_tree_->apply(o, txn);
        last_touch_.erase(s);
      }
    } else if (raft_.role() == raft::Role::follower && !touched_.empty()) {
      ctx.send(raft_.leader_id(), net::MessageKind::heartbeat,
               ZkTouch{std::vector<int64_t>(touched_.begin(), touched_.end())}, 64);
      touched_.clear();
    }
    ctx.set_timer(Time::from_ms(cfg_.tick_time_ms / 2), tick_timer, 0);
  }
  sync(ctx);
}

void ZkServer::on_disconnect(world::Ctx& ctx, int32_t peer) {
  raft_.on_disconnect(ctx, peer);
  if (connections_.erase(peer) || clients_.erase(peer)) {
    for (auto* table : {&data_watches_, &child_watches_}) {
      for (auto& [path, who] : *table)
        who.erase(peer);
    }
  }
  clients_.erase(peer);
  sync(ctx);
}

const char* ZkServer::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case tick_timer:
      return "the ZooKeeper tick";
  }
  // The ensemble's own election and leader-follower protocol runs on the model's Raft: its
  // timers, in ZooKeeper's words.
  switch (static_cast<raft::Raft::TimerKind>(kind)) {
    case raft::Raft::election_timer:
      return "the ensemble's election timeout";
    case raft::Raft::fetch_timeout_timer:
      return "a follower's timeout waiting for its leader";
    case raft::Raft::check_quorum_timer:
      return "the leader's quorum check";
    case raft::Raft::begin_epoch_timer:
      return "the new epoch's announcement resend";
    case raft::Raft::fetch_request_timer:
      return "a follower's sync request timeout";
    case raft::Raft::fetch_retry_timer:
      return "a follower's sync backoff";
    case raft::Raft::parked_fetch_timer:
      return "the leader's long-poll expiry";
    case raft::Raft::timer_kind_max:  // a bound, not a timer
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka::zk
