// AppState: everything the studio knows, owned in one place. The World is only read (const)
// by panels; every change goes through submit(), which applies a Command at the current event
// boundary and remembers it, stamped with the event count and the simulated time, so that
// moving back and forth in time replays it exactly where it was made.
//
// Time travel: the studio keeps copies of the World (snapshots) every few thousand events.
// Going back to event N restores the latest snapshot at or before N and re-executes from
// there, re-applying the user's commands at their boundaries; the run is deterministic, so
// the state reached is the one the World had at N. A command made after going back forks:
// the commands that were ahead of it are dropped, like typing after an undo.
//
// The trace records leave the World as they are made (World::take_trace_records) into `log`,
// so snapshots stay small; deliveries are observed after every event into `messages`. Going
// back keeps the records ahead of the new present (the event log and the timeline still show
// them, and they can be clicked to go there); re-executing finds them again, and a fork drops
// them.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/invariants.h"
#include "journey.h"
#include "scenario/runner.h"
#include "world/world.h"

namespace kafkasim::gui {

/// What the user has picked to look at: a node (broker, controller, producer, consumer...) and
/// a partition. Clicking in the cluster view, the partition table or the inspector sets these.
struct Selection {
  int node = -1;          // dense index into World::nodes(), -1: none
  std::string partition;  // "orders-0", empty: none
};

/// A message that arrived: an arrow in the sequence diagram.
struct MessageLine {
  uint64_t event = 0;  // the delivery event
  sim::Time sent_at;
  sim::Time delivered_at;
  int32_t from = -1;  // Kafka node ids
  int32_t to = -1;
  int16_t message = -1;  // payload alternative (world::payload_name)
  net::MessageKind kind = net::MessageKind::other;
  uint32_t bytes = 0;
};

/// A command the user made, where it was made.
struct UserCommand {
  uint64_t after_event = 0;  // events executed when it was applied
  sim::Time at;              // the simulated time it was applied at
  world::Command command;
};

/// Trace kinds worth stopping at ("step to the next interesting event"): elections, fences,
/// ISR changes, faults and errors.
bool interesting(sim::TraceKind k);

class AppState {
 public:
  world::World world;
  sim::Time end;  // where the lesson stops (its duration)
  bool playing = true;
  double speed = 0.1;  // simulated seconds per real second
  Selection selected;
  std::string status_line;  // last command result, shown in the timeline bar
  bool show_help = false;
  /// Wall-clock budget of one advance() in seconds: at high speed on a busy cluster the
  /// studio runs as fast as it can rather than freezing (0: no limit).
  double frame_budget_s = 0.030;
  /// Slow motion: while a message of a shown kind is in flight, time runs no faster than lets
  /// it cross in this many seconds of wall time, and playing stops at each send, so every
  /// message drawn is seen crossing (0: off, full speed).
  double slow_motion_s = 0.0;
  /// Message kinds hidden from the cluster view (bit k: net::MessageKind k); slow motion waits
  /// only for shown ones.
  uint32_t hidden_kinds = 0;
  bool shown(net::MessageKind k) const {
    return ((hidden_kinds >> static_cast<unsigned>(k)) & 1u) == 0;
  }
  /// The speed the last advance() ran at (below `speed` while slow motion holds it back).
  double effective_speed = 0.1;
  /// Lesson mode: playing stops when it reaches one of these times (a scenario's steps with
  /// `pause = true`). Sorted. Stepping and jumping ignore them.
  std::vector<sim::Time> pauses;
  /// Lesson mode: playing through one of these times sets `speed` (a scenario's [[at]] speed).
  std::vector<std::pair<sim::Time, double>> speeds;

  AppState(world::World w, sim::Time end_time);

  // [time] ----------------------------------------------------------------------------------
  /// Advances simulated time by `real_dt` seconds of wall time at the current speed.
  void advance(double real_dt);
  /// Executes exactly one event (the "step" button).
  void step_event();
  /// Goes back one event.
  void step_back();
  /// The state right after event `n` (and the user's commands made at that boundary).
  void goto_event(uint64_t n);
  /// The state at simulated time `t` (every event up to and including t executed).
  void goto_time(sim::Time t);
  /// Runs forward to the next interesting trace record (interesting()); false when there is
  /// none before the end of the lesson (the state is then at the end).
  bool next_interesting();
  /// Runs back to the previous interesting record before now; false when there is none.
  bool previous_interesting();
  /// Runs forward event by event until `signature` of the World differs from now's (at most
  /// `max_events` events); false when it reached the end (or the limit) unchanged.
  bool next_change(const std::function<uint64_t(const world::World&)>& signature,
                   uint64_t max_events = 5'000'000);
  /// Goes back to the event where the signature took the value it had before now's (or, when
  /// now is the first event of its value, the one before): the previous moment of a journey
  /// that moves one way, found by bisection over events. False when there is none.
  bool previous_change(const std::function<uint64_t(const world::World&)>& signature);
  /// The record the studio follows (the log strip), if any: Shift+Right / Shift+Left step
  /// through its journey instead of the interesting trace records.
  std::optional<FollowedRecord> followed;
  /// Shift+Right / Shift+Left: the next / previous moment of the followed record's journey
  /// (next_change / previous_change on its signature), or without one the next / previous
  /// interesting trace record.
  bool next_moment();
  bool previous_moment();
  uint64_t events() const { return world.sim().events_executed(); }

  // [lesson mode] ---------------------------------------------------------------------------
  /// Opens lesson mode on `s`, whose World this AppState was built with (before any event):
  /// its `pause = true` steps pause playing, its expectations are judged as the run reaches
  /// their time, and the invariants are checked after every event. All of it rewinds with
  /// the World.
  void set_lesson(scenario::Scenario s);
  const scenario::Scenario* lesson() const { return lesson_ ? &*lesson_ : nullptr; }
  /// Expectation indexes in the order they come due (by time, end ones last), their times,
  /// and the outcomes of the first judged() of them.
  const std::vector<size_t>& expectation_order() const { return order_; }
  sim::Time expectation_time(size_t k) const { return due_[k]; }
  size_t judged() const { return judged_; }
  const scenario::Outcome& outcome(size_t k) const { return outcomes_[k]; }
  /// The first invariant violation so far, and the event after which it was seen.
  const std::optional<check::Violation>& violation() const {
    return checker_ ? checker_->violation() : no_violation_;
  }
  std::optional<uint64_t> violation_event() const { return violation_event_; }

  // [commands] ------------------------------------------------------------------------------
  /// Applies a user command now; the result (or the reason it was refused) goes to status_line.
  /// Returns whether it was applied.
  bool submit(const world::Command& c);
  const std::vector<UserCommand>& commands() const { return commands_; }
  /// Commands to replay as the run reaches them (an opened recording's clicks), in order; call
  /// before running.
  void queue_commands(std::vector<UserCommand> cs) {
    commands_ = std::move(cs);
    next_command_ = 0;
  }
  /// How many of commands() the current state includes.
  size_t commands_applied() const { return next_command_; }

  // [what happened] -------------------------------------------------------------------------
  /// Every trace record known on this branch, in order (each carries its event number): the
  /// first log_now() are the present's, the rest lie ahead (seen before going back).
  const std::vector<sim::TraceRecord>& log() const { return log_; }
  size_t log_now() const { return log_now_; }
  /// Delivered messages, oldest first; the oldest are dropped past kMessagesKept.
  const std::vector<MessageLine>& messages() const { return messages_; }
  static constexpr size_t kMessagesKept = 1 << 20;
  size_t snapshot_count() const { return snapshots_.size(); }
  /// Bumped whenever the state moved backwards (panels holding cursors start over).
  uint64_t rewinds() const { return rewinds_; }

 private:
  struct Snapshot {
    world::World world;
    size_t log_size = 0;
    uint64_t messages_total = 0;  // messages ever observed at the snapshot
    size_t commands = 0;          // next_command_ at the snapshot
    size_t judged = 0;
    std::optional<check::InvariantChecker> checker;
    std::optional<uint64_t> violation_event;
  };
  /// Forward to time `t`, applying due commands and observing; stops early (returns false)
  /// when the wall-clock `deadline_s` (seconds of steady clock, 0: none) passes.
  bool run_forward_to(sim::Time t, double deadline_s, bool stop_at_send = false);
  /// Whether a message of a shown kind was sent after message number `sent_before`.
  bool shown_sent_since(uint64_t sent_before) const;
  /// Forward until events() == n (n >= events()).
  void run_forward_events(uint64_t n);
  /// Applies the user's commands due at the current boundary whose time is <= `limit`.
  void apply_due_commands(sim::Time limit);
  void step_observed();
  void observe_event();
  void pull_trace();
  void maybe_snapshot();
  /// Makes snapshot k the current state (and truncates what was observed after it).
  void restore(size_t k);
  /// Judges the expectations due at or before `t` (inclusive) or before `t` (exclusive) on
  /// the current state. Observations do not read the clock, so the state is what matters.
  void judge_due(sim::Time t, bool inclusive);
  void judge_before_next_event();

  std::vector<sim::TraceRecord> log_;
  size_t log_now_ = 0;
  std::vector<MessageLine> messages_;
  uint64_t messages_dropped_ = 0;
  std::vector<UserCommand> commands_;
  size_t next_command_ = 0;
  std::vector<Snapshot> snapshots_;
  uint64_t snapshot_every_ = 2048;  // events between snapshots (doubles as they thin out)
  static constexpr size_t kSnapshotsMax = 64;
  uint64_t rewinds_ = 0;
  std::optional<scenario::Scenario> lesson_;
  std::vector<size_t> order_;
  std::vector<sim::Time> due_;
  std::vector<scenario::Outcome> outcomes_;
  size_t judged_ = 0;
  std::optional<check::InvariantChecker> checker_;
  std::optional<uint64_t> violation_event_;
  static inline const std::optional<check::Violation> no_violation_{};
};

}  // namespace kafkasim::gui
