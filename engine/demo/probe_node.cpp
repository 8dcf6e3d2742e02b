#include "demo/probe_node.h"

#include "world/world.h"

namespace kafkasim::demo {

void ProbeNode::on_start(world::Ctx& ctx) {
  ++starts;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].at >= ctx.now()) ctx.set_timer(plan[i].at - ctx.now(), send_timer, i);
  }
  for (size_t i = 0; i < timer_plan.size(); ++i) {
    if (timer_plan[i] >= ctx.now()) ctx.set_timer(timer_plan[i] - ctx.now(), plain_timer, i);
  }
}

void ProbeNode::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  uint64_t seq = 0;
  if (const Ping* p = std::get_if<Ping>(&payload)) seq = p->seq;
  received.push_back(
      Received{ctx.now(), ctx.world().node_id(env.src), seq, env.sent_at, std::move(payload)});
}

void ProbeNode::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  if (kind == send_timer) {
    if (std::holds_alternative<std::monostate>(plan[arg].payload)) {
      ctx.send(plan[arg].dst, net::MessageKind::demo, Ping{plan[arg].seq}, 32);
    } else {
      ctx.send(plan[arg].dst, net::MessageKind::other, plan[arg].payload, 64);
    }
  } else {
    fired.push_back(Fired{ctx.now(), arg});
  }
}

void ProbeNode::on_disconnect(world::Ctx& ctx, int32_t peer) {
  disconnects.push_back(Disconnect{ctx.now(), peer});
}

const char* ProbeNode::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case send_timer:
      return "the probe's next send";
    case plain_timer:
      return "the probe's timer";
  }
  return nullptr;
}

}  // namespace kafkasim::demo
