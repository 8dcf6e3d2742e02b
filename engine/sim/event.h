// An event is plain data: when, in which order, for whom, and what kind. Never a closure.
// That keeps the queue (and so the whole World) copyable: a copy is a snapshot.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace kafkasim::sim {

/// What the World does when an event is popped.
enum class EventKind : uint16_t {
  deliver,     // a message arrives: a = message slot, b = connection epoch
  timer,       // a node's timer fires: a = timer slot, b = timer generation
  disconnect,  // a node learns a connection broke: a = peer index, b = node incarnation
  resume,      // a paused node resumes: b = pause generation
  command,     // a scheduled operator command: a = index into the command list
  noop,        // used by benchmarks and tests
};

/// Lower runs first among events at the same time. Operator commands act on the state as it
/// is at that instant, before any node reacts at the same instant.
enum class Priority : uint8_t { command = 0, system = 64, normal = 128 };

struct Event {
  Time at;
  uint64_t order = 0;   // priority << 56 | insertion sequence: the tie-breaker
  uint64_t b = 0;       // kind-specific
  uint32_t a = 0;       // kind-specific
  uint16_t target = 0;  // node index (dense), or 0 when not node-bound
  EventKind kind = EventKind::noop;

  Priority priority() const { return static_cast<Priority>(order >> 56); }
  uint64_t seq() const { return order & ((uint64_t{1} << 56) - 1); }
};
static_assert(sizeof(Event) == 32, "events stay small: the queue moves them a lot");

}  // namespace kafkasim::sim
