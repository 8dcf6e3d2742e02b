// ProbeNode: a scriptable node for tests and examples. It sends planned messages at planned
// times and records everything it observes (messages with their send and arrival times,
// timers firing, disconnects, restarts), so tests can state exactly what the network did.
#pragma once

#include <cstdint>
#include <vector>

#include "net/message.h"
#include "sim/time.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::demo {

struct ProbeNode {
  enum TimerKind : uint16_t { send_timer = 1, plain_timer = 2 };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  struct Planned {
    sim::Time at;
    int32_t dst = 0;
    uint64_t seq = 0;
    world::Payload payload = {};  // sent as is when set; else a Ping{seq}
  };
  struct Received {
    sim::Time at;
    int32_t from = 0;
    uint64_t seq = 0;
    sim::Time sent_at;
    world::Payload payload;
  };
  struct Disconnect {
    sim::Time at;
    int32_t peer = 0;
  };
  struct Fired {
    sim::Time at;
    uint64_t arg = 0;
  };

  std::vector<Planned> plan;          // sends, at absolute times
  std::vector<sim::Time> timer_plan;  // plain timers, at absolute times (arg = index)
  // Observations: the test's notebook, kept across crashes on purpose.
  std::vector<Received> received;
  std::vector<Disconnect> disconnects;
  std::vector<Fired> fired;
  uint32_t starts = 0;
  uint32_t crashes = 0;

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool) { ++crashes; }
};

}  // namespace kafkasim::demo
