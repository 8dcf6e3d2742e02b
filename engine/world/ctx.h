// Ctx: what a node may do during one callback: read the time, send, arm and cancel timers,
// draw from its own random stream, and trace. Nodes receive a Ctx per callback and never keep
// it, so a copied World (a snapshot) shares nothing with the original.
#pragma once

#include <cstdint>
#include <string>

#include "net/message.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "sim/timer.h"
#include "sim/trace.h"
#include "world/payload.h"

namespace kafkasim::world {

class World;

class Ctx {
 public:
  Ctx(World& world, net::NodeIndex self, sim::Time now) : world_(world), self_(self), now_(now) {}

  /// The simulated time of the event being handled (it does not move during a callback).
  sim::Time now() const { return now_; }
  /// This node's Kafka id (101, 1, ...).
  int32_t self_id() const;
  net::NodeIndex self() const { return self_; }

  /// Sends `payload` to node `dst_id`. Delivery is not guaranteed (faults); a broken
  /// connection is reported later through on_disconnect().
  void send(int32_t dst_id, net::MessageKind kind, Payload payload, uint32_t bytes = 64);

  /// Arms a timer; `kind` and `arg` come back in on_timer().
  sim::TimerId set_timer(sim::Time after, uint16_t kind, uint64_t arg = 0);
  /// Cancels `id` (a no-op when it already fired) and clears it.
  void cancel(sim::TimerId& id);

  /// This node's own random stream ("node/<id>").
  sim::Rng& rng();

  void trace(sim::TraceKind kind, std::string reason);
  /// Stops this node cleanly after the current callback (a finished controlled shutdown).
  void stop_self(std::string reason);
  /// "broker 101", "node 3": how traces name a node.
  const std::string& name_of(int32_t id) const;
  const World& world() const { return world_; }

 private:
  World& world_;
  net::NodeIndex self_;
  sim::Time now_;
};

}  // namespace kafkasim::world
