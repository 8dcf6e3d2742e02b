#include "demo/ring_node.h"

namespace kafkasim::demo {

void RingNode::on_start(world::Ctx& ctx) {
  for (uint64_t t = 0; t < tokens_at_start; ++t) {
    ctx.send(next_id, net::MessageKind::demo, Token{first_token_id + t, 0}, 16);
  }
}

void RingNode::on_message(world::Ctx& ctx, const net::Envelope&, world::Payload&& payload) {
  Token* tok = std::get_if<Token>(&payload);
  if (tok == nullptr) return;
  ++received;
  if (++tok->hops < hops_max) ctx.send(next_id, net::MessageKind::demo, *tok, 16);
}

}  // namespace kafkasim::demo
