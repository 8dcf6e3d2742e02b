// Sim: the kernel of a run. Owns the clock, the pending events, the timers, the trace and the
// run seed. It is plain data (copyable): the World that owns it is a value, and a copy of it
// is a snapshot that runs on independently and identically.
//
// Nodes never hold a Sim& (a copied World would point at the old one); the World hands them a
// context for the duration of each callback instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/assert.h"
#include "sim/event_queue.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "sim/timer.h"
#include "sim/trace.h"

namespace kafkasim::sim {

class Sim {
 public:
  explicit Sim(uint64_t seed = 1) : seed_(seed) {}

  Time now() const { return now_; }
  uint64_t seed() const { return seed_; }

  /// Queues `e` at absolute time `at`, which may not be in the past.
  void schedule_at(Time at, Event e, Priority p = Priority::normal) {
    SIM_ASSERT(at >= now_, "cannot schedule an event in the past");
    e.at = at;
    queue_.push(e, p);
  }
  void schedule_after(Time after, Event e, Priority p = Priority::normal) {
    schedule_at(now_ + after, e, p);
  }

  /// Arms a timer for node `owner` firing after `after`; `kind` and `arg` are the owner's.
  TimerId set_timer(Time after, uint16_t owner, uint16_t kind, uint64_t arg = 0) {
    const TimerId id = timers_.arm(owner, kind, arg);
    Event e;
    e.kind = EventKind::timer;
    e.target = owner;
    e.a = id.slot;
    e.b = id.gen;
    schedule_after(after, e);
    return id;
  }
  void cancel_timer(TimerId& id) {
    if (timers_.live(id)) {
      timers_.cancel(id);
      // A cancelled timer's event stays queued until it pops and is skipped. When such dead
      // events are most of the queue (request timeouts cancelled by their responses), drop
      // them: a smaller heap pops faster. When this happens depends only on the run.
      if (++cancelled_ > 4096 && cancelled_ > queue_.size() / 2) drop_cancelled_timers();
    }
    id = TimerId{};
  }

  bool has_pending() const { return !queue_.empty(); }
  Time next_time() const { return queue_.top().at; }
  size_t pending() const { return queue_.size(); }

  /// Pops the next event, moves the clock to it and folds it into the fingerprint.
  Event pop_next() {
    Event e = queue_.pop();
    SIM_ASSERT(e.at >= now_, "time went backwards");
    now_ = e.at;
    ++executed_;
    trace_.fold_event(
        static_cast<uint64_t>(e.at.ns()),
        (static_cast<uint64_t>(e.kind) << 48) | (static_cast<uint64_t>(e.target) << 32) | e.a);
    return e;
  }

  /// Moves the clock forward with no event (run_until a time past the last event).
  void advance_to(Time t) {
    if (t > now_) now_ = t;
  }

  /// The stream called `name` of this run: independent of every other stream.
  Rng stream(std::string_view name) const { return Rng(seed_, name); }

  TimerTable& timers() { return timers_; }
  const TimerTable& timers() const { return timers_; }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  void trace(int32_t node, TraceKind kind, std::string reason) {
    trace_.add(now_, node, kind, std::move(reason));
  }
  const EventQueue& queue() const { return queue_; }
  uint64_t events_executed() const { return executed_; }

 private:
  uint64_t seed_;
  Time now_;
  EventQueue queue_;
  TimerTable timers_;
  Trace trace_;
  uint64_t executed_ = 0;
  size_t cancelled_ = 0;  // timers cancelled since the queue was last swept

  void drop_cancelled_timers() {
    queue_.remove_if([this](const Event& e) {
      return e.kind == EventKind::timer &&
             !timers_.live(TimerId{static_cast<uint32_t>(e.a), static_cast<uint32_t>(e.b)});
    });
    cancelled_ = 0;
  }
};

}  // namespace kafkasim::sim
