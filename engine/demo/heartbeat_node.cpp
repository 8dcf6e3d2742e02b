#include "demo/heartbeat_node.h"

#include "sim/assert.h"
#include "world/world.h"

namespace kafkasim::demo {

size_t HeartbeatNode::peer_slot(int32_t id) const {
  for (size_t i = 0; i < peers.size(); ++i) {
    if (peers[i] == id) return i;
  }
  SIM_ASSERT(false, "message from a node that is not a peer");
  return 0;
}

void HeartbeatNode::on_start(world::Ctx& ctx) {
  state.assign(peers.size(), PeerState{ctx.now(), false});
  // Spread first ticks so nodes do not all beat in lockstep: a draw from the node's own stream.
  tick = ctx.set_timer(ctx.rng().uniform_time(sim::Time::zero(), interval), tick_timer);
}

void HeartbeatNode::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t) {
  if (kind != tick_timer) return;
  ++seq;
  for (size_t i = 0; i < peers.size(); ++i) {
    ctx.send(peers[i], net::MessageKind::heartbeat, Ping{seq}, 32);
    PeerState& p = state[i];
    if (!p.suspected && ctx.now() - p.last_heard > suspect_after) {
      p.suspected = true;
      ctx.trace(sim::TraceKind::demo_suspect, ctx.name_of(peers[i]) + " suspected: no reply for " +
                                                  sim::to_string(ctx.now() - p.last_heard) +
                                                  " > suspect_after " +
                                                  sim::to_string(suspect_after));
    }
  }
  tick = ctx.set_timer(interval, tick_timer);
}

void HeartbeatNode::on_message(world::Ctx& ctx, const net::Envelope& env,
                               world::Payload&& payload) {
  const int32_t from = ctx.world().node_id(env.src);
  if (const Ping* ping = std::get_if<Ping>(&payload)) {
    ctx.send(from, net::MessageKind::heartbeat, Pong{ping->seq}, 32);
  } else if (std::get_if<Pong>(&payload) != nullptr) {
    ++pongs;
    PeerState& p = state[peer_slot(from)];
    if (p.suspected) {
      ctx.trace(sim::TraceKind::demo_recover, ctx.name_of(from) + " answers again after " +
                                                  sim::to_string(ctx.now() - p.last_heard) +
                                                  " of silence");
    }
    p.last_heard = ctx.now();
    p.suspected = false;
  }
}

void HeartbeatNode::on_disconnect(world::Ctx&, int32_t) {
  // The World already traces the disconnect; the detector relies on its own timeout.
}

void HeartbeatNode::on_crash(bool) {
  state.clear();
  seq = 0;
  pongs = 0;
  tick = sim::TimerId{};
}

const char* HeartbeatNode::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case tick_timer:
      return "the heartbeat tick";
  }
  return nullptr;
}

}  // namespace kafkasim::demo
