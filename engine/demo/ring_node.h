// RingNode: passes tokens to the next node of a ring; a token stops after `hops_max` hops.
// The workload of the ring benchmark (../shared/bench-peers), run over the real simulated
// network so the figure includes everything a Kafka message pays for.
#pragma once

#include <cstdint>

#include "net/message.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::demo {

struct RingNode {
  int32_t next_id = 0;
  uint64_t tokens_at_start = 1;
  uint64_t hops_max = 0;
  uint64_t first_token_id = 0;
  // volatile state
  uint64_t received = 0;

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx&, uint16_t, uint64_t) {}
  void on_disconnect(world::Ctx&, int32_t) {}
  void on_crash(bool /*power_loss*/) { received = 0; }
  /// It arms no timers.
  static const char* timer_name(uint16_t) { return nullptr; }
};

}  // namespace kafkasim::demo
