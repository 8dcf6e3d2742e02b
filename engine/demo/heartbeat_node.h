// HeartbeatNode: the demo world's member. It pings every peer on a fixed interval, answers
// pings, and suspects a peer it has not heard from within `suspect_after`; a reply clears the
// suspicion. A toy failure detector, so the foundation can show crashes, partitions, pauses
// and healing in a readable trace before Kafka's own nodes exist.
#pragma once

#include <cstdint>
#include <vector>

#include "net/message.h"
#include "sim/time.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::demo {

struct HeartbeatNode {
  enum TimerKind : uint16_t { tick_timer = 1 };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);

  std::vector<int32_t> peers;
  sim::Time interval = sim::Time::from_ms(500);
  sim::Time suspect_after = sim::Time::from_s(2);

  // volatile state (lost in a crash)
  struct PeerState {
    sim::Time last_heard;
    bool suspected = false;
  };
  std::vector<PeerState> state;
  uint64_t seq = 0;
  uint64_t pongs = 0;
  sim::TimerId tick;

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss);

 private:
  size_t peer_slot(int32_t id) const;
};

}  // namespace kafkasim::demo
