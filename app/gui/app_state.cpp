#include "app_state.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kafkasim::gui {

namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

bool interesting(sim::TraceKind k) {
  using K = sim::TraceKind;
  switch (k) {
    case K::node_crash:
    case K::node_power_loss:
    case K::node_restart:
    case K::node_pause:
    case K::link_cut:
    case K::raft_leader:
    case K::controller_active:
    case K::controller_inactive:
    case K::broker_fenced:
    case K::broker_unfenced:
    case K::leader_change:
    case K::isr_change:
    case K::admin_error:
    case K::raft_truncate:
    case K::demo_suspect:
      return true;
    default:
      return false;
  }
}

AppState::AppState(world::World w, sim::Time end_time) : world(std::move(w)), end(end_time) {
  pull_trace();
  snapshots_.push_back(Snapshot{world, log_now_, 0, 0, 0, std::nullopt, std::nullopt});
}

void AppState::advance(double real_dt) {
  if (!playing) return;
  const double wall = std::clamp(real_dt, 0.0, 0.25);
  double dt_ns = wall * speed * 1e9;
  if (slow_motion_s > 0) {
    // The shortest flight of the shown messages in flight takes slow_motion_s of wall time.
    int64_t shortest = INT64_MAX;
    for (const net::Envelope& e : world.network().slots())
      if (e.live && shown(e.kind)) shortest = std::min(shortest, (e.deliver_at - e.sent_at).ns());
    if (shortest != INT64_MAX)
      dt_ns = std::min(dt_ns,
                       wall * static_cast<double>(std::max<int64_t>(shortest, 1)) / slow_motion_s);
  }
  const sim::Time from = world.now();
  sim::Time target = std::min(end, world.now() + sim::Time::from_ns(std::llround(dt_ns)));
  const auto next_pause = std::upper_bound(pauses.begin(), pauses.end(), world.now());
  const bool pausing = next_pause != pauses.end() && *next_pause <= target;
  if (pausing) target = *next_pause;
  const bool reached = run_forward_to(
      target, frame_budget_s > 0 ? wall_seconds() + frame_budget_s : 0.0, slow_motion_s > 0);
  if (wall > 0) effective_speed = (world.now() - from).seconds() / wall;
  // The lesson's own speeds, from the steps just played through.
  for (const auto& [t, s] : speeds)
    if (t > from && t <= world.now()) speed = s;
  if (world.now() >= end || (pausing && reached)) playing = false;
}

void AppState::step_event() {
  playing = false;
  if (world.sim().has_pending() && world.sim().next_time() <= end) run_forward_events(events() + 1);
}

void AppState::step_back() {
  playing = false;
  if (events() > 0) goto_event(events() - 1);
}

void AppState::goto_event(uint64_t n) {
  if (n < events()) {
    // The latest snapshot at or before n, on this branch of the user's commands.
    size_t k = 0;
    for (size_t i = 0; i < snapshots_.size(); ++i)
      if (snapshots_[i].world.sim().events_executed() <= n) k = i;
    restore(k);
  }
  run_forward_events(n);
}

void AppState::goto_time(sim::Time t) {
  t = std::clamp(t, sim::Time{}, end);
  if (t < world.now()) {
    size_t k = 0;
    for (size_t i = 0; i < snapshots_.size(); ++i)
      if (snapshots_[i].world.now() <= t) k = i;
    restore(k);
  }
  run_forward_to(t, 0.0);
  // A jump lands where the lesson plays at some speed: that one (its election in slow time).
  if (lesson_ && (lesson_->speed || !speeds.empty())) {
    double at = lesson_->speed.value_or(speed);
    for (const auto& [when, s] : speeds)
      if (when <= world.now()) at = s;
    speed = at;
  }
}

bool AppState::next_interesting() {
  playing = false;
  // Whether a record made since log position `mark` is interesting.
  auto found_since = [&](size_t mark) {
    for (size_t i = mark; i < log_now_; ++i)
      if (interesting(log_[i].kind)) return true;
    return false;
  };
  for (;;) {
    size_t mark = log_now_;
    apply_due_commands(end);  // a command of the user's can be the interesting thing
    if (found_since(mark)) return true;
    if (!world.sim().has_pending() || world.sim().next_time() > end) break;
    mark = log_now_;
    step_observed();
    if (found_since(mark)) return true;
  }
  if (world.now() < end) world.run_until(end);
  return false;
}

bool AppState::next_change(const std::function<uint64_t(const world::World&)>& signature,
                           uint64_t max_events) {
  playing = false;
  const uint64_t from = signature(world);
  bool changed = false;
  for (uint64_t k = 0; k < max_events && !changed; ++k) {
    apply_due_commands(end);
    if ((changed = signature(world) != from)) break;
    if (!world.sim().has_pending() || world.sim().next_time() > end) break;
    step_observed();
    changed = signature(world) != from;
  }
  judge_before_next_event();
  return changed;
}

bool AppState::previous_change(const std::function<uint64_t(const world::World&)>& signature) {
  playing = false;
  const uint64_t now = events();
  // The first event, in [lo, hi], after which the signature is `value` (one-way journeys:
  // before it, another value; from it to hi, this one).
  auto first_with = [&](uint64_t value, uint64_t lo, uint64_t hi) {
    while (lo < hi) {
      const uint64_t mid = lo + (hi - lo) / 2;
      goto_event(mid);
      if (signature(world) == value)
        hi = mid;
      else
        lo = mid + 1;
    }
    return lo;
  };
  const uint64_t value = signature(world);
  uint64_t start = first_with(value, 0, now);
  if (start == now) {
    // Already at the start of this moment: the one before it.
    if (now == 0) return false;
    goto_event(now - 1);
    const uint64_t before = signature(world);
    start = first_with(before, 0, now - 1);
  }
  goto_event(start);
  return start < now;
}

namespace {
/// What changes when the followed record's journey moves on.
std::function<uint64_t(const world::World&)> journey_signature(const FollowedRecord& f) {
  return [f](const world::World& w) { return journey(w, f).signature(); };
}
}  // namespace

bool AppState::next_moment() {
  return followed ? next_change(journey_signature(*followed)) : next_interesting();
}

bool AppState::previous_moment() {
  return followed ? previous_change(journey_signature(*followed)) : previous_interesting();
}

bool AppState::previous_interesting() {
  playing = false;
  const uint64_t now = events();
  for (size_t i = log_now_; i > 0; --i) {
    const sim::TraceRecord& r = log_[i - 1];
    if (r.event < now && interesting(r.kind)) {
      goto_event(r.event);
      return true;
    }
  }
  return false;
}

void AppState::set_lesson(scenario::Scenario s) {
  lesson_.emplace(std::move(s));
  const scenario::Scenario& l = *lesson_;
  pauses.clear();
  speeds.clear();
  for (const scenario::Step& st : l.timeline) {
    if (st.pause) pauses.push_back(st.time);
    if (st.speed) speeds.emplace_back(st.time, *st.speed);
  }
  std::sort(pauses.begin(), pauses.end());
  std::stable_sort(speeds.begin(), speeds.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  if (l.speed) speed = *l.speed;
  order_.clear();
  for (size_t i = 0; i < l.expectations.size(); ++i)
    order_.push_back(i);
  auto when = [&](size_t i) { return l.expectations[i].at.value_or(l.duration); };
  std::stable_sort(order_.begin(), order_.end(),
                   [&](size_t a, size_t b) { return when(a) < when(b); });
  due_.clear();
  for (size_t i : order_)
    due_.push_back(when(i));
  outcomes_.assign(order_.size(), scenario::Outcome{});
  judged_ = 0;
  checker_.emplace(l.spec);
  violation_event_.reset();
  // The first snapshot now carries the lesson's state too.
  Snapshot& first = snapshots_.front();
  first.judged = 0;
  first.checker = checker_;
  first.violation_event.reset();
  judge_before_next_event();
}

void AppState::judge_due(sim::Time t, bool inclusive) {
  if (!lesson_) return;
  while (judged_ < order_.size() && (inclusive ? due_[judged_] <= t : due_[judged_] < t)) {
    outcomes_[judged_] = scenario::judge(lesson_->expectations[order_[judged_]], world);
    outcomes_[judged_].at = due_[judged_];
    ++judged_;
  }
}

void AppState::judge_before_next_event() {
  if (!lesson_) return;
  if (world.sim().has_pending())
    judge_due(world.sim().next_time(), false);
  else
    judge_due(world.now(), true);
}

bool AppState::submit(const world::Command& c) {
  judge_due(world.now(), true);  // what was due before the command is judged without it
  auto ok = world.apply(c);
  if (!ok) {
    status_line = "refused: " + ok.error();
    return false;
  }
  log_.resize(log_now_);
  // A new command forks history: what the user had done ahead of this point is dropped, and
  // so are the snapshots taken on that branch.
  commands_.resize(next_command_);
  const uint64_t n = events();
  std::erase_if(snapshots_, [&](const Snapshot& s) {
    return s.world.sim().events_executed() > n || s.commands > next_command_;
  });
  commands_.push_back(UserCommand{n, world.now(), c});
  ++next_command_;
  pull_trace();
  status_line = "at " + sim::to_string(world.now()) + ": " + world::describe(c);
  return true;
}

bool AppState::shown_sent_since(uint64_t sent_before) const {
  if (world.network().sent_count() == sent_before) return false;
  for (const net::Envelope& e : world.network().slots())
    if (e.live && e.id > sent_before && shown(e.kind)) return true;
  return false;
}

bool AppState::run_forward_to(sim::Time t, double deadline_s, bool stop_at_send) {
  uint32_t since_check = 0;
  for (;;) {
    apply_due_commands(t);
    if (!world.sim().has_pending() || world.sim().next_time() > t) break;
    const uint64_t sent = world.network().sent_count();
    step_observed();
    // Slow motion: stop where a shown message leaves, so the next frames draw it crossing.
    if (stop_at_send && shown_sent_since(sent)) return false;
    if (deadline_s > 0 && ++since_check >= 512) {
      since_check = 0;
      if (wall_seconds() > deadline_s) return false;
    }
  }
  judge_due(t, true);
  if (world.now() < t) world.run_until(t);  // only the clock moves: nothing is due before t
  apply_due_commands(t);
  return true;
}

void AppState::run_forward_events(uint64_t n) {
  for (;;) {
    apply_due_commands(sim::Time::from_ns(INT64_MAX));
    if (events() >= n || !world.sim().has_pending()) break;
    step_observed();
  }
  judge_before_next_event();
}

void AppState::apply_due_commands(sim::Time limit) {
  while (next_command_ < commands_.size()) {
    const UserCommand& u = commands_[next_command_];
    if (u.after_event > events() || u.at > limit) return;
    if (u.after_event == events()) {
      // The command was made after a run to time u.at that executed nothing past this event:
      // moving the clock there executes nothing either, so it lands exactly where it was.
      judge_due(u.at, true);
      if (world.now() < u.at) world.run_until(u.at);
      (void)world.apply(u.command);
      pull_trace();
    }
    ++next_command_;
  }
}

void AppState::step_observed() {
  judge_before_next_event();
  world.step();
  if (checker_) {
    checker_->after_event(world);
    if (!violation_event_ && checker_->violation()) {
      violation_event_ = events();
      playing = false;  // an alert: stop where it broke
    }
  }
  observe_event();
}

void AppState::observe_event() {
  const world::World::LastEvent e = world.last_event();
  if (e.kind == sim::EventKind::deliver && e.from >= 0) {
    if (messages_.size() >= kMessagesKept) {
      const size_t drop = kMessagesKept / 4;
      messages_.erase(messages_.begin(), messages_.begin() + static_cast<std::ptrdiff_t>(drop));
      messages_dropped_ += drop;
    }
    messages_.push_back(
        MessageLine{e.number, e.sent_at, e.at, e.from, e.node, e.message, e.message_kind, e.bytes});
  }
  pull_trace();
  maybe_snapshot();
}

void AppState::pull_trace() {
  if (world.trace().records().empty()) return;
  std::vector<sim::TraceRecord> fresh = world.take_trace_records();
  for (sim::TraceRecord& r : fresh) {
    if (log_now_ < log_.size()) {
      const sim::TraceRecord& known = log_[log_now_];
      if (known.event == r.event && known.at == r.at && known.kind == r.kind &&
          known.node == r.node) {
        ++log_now_;  // re-executing what was seen before going back
        continue;
      }
      log_.resize(log_now_);  // cannot happen on one branch; if it does, the new run wins
    }
    log_.push_back(std::move(r));
    ++log_now_;
  }
}

void AppState::maybe_snapshot() {
  const Snapshot& last = snapshots_.back();
  if (events() < last.world.sim().events_executed() + snapshot_every_) return;
  snapshots_.push_back(Snapshot{world, log_now_, messages_dropped_ + messages_.size(),
                                next_command_, judged_, checker_, violation_event_});
  if (snapshots_.size() > kSnapshotsMax) {
    // Keep every other one (the first always) and space the next ones twice as far apart:
    // memory stays bounded and a step back re-executes at most a few snapshots' worth.
    std::vector<Snapshot> kept;
    for (size_t i = 0; i < snapshots_.size(); i += 2)
      kept.push_back(std::move(snapshots_[i]));
    snapshots_ = std::move(kept);
    snapshot_every_ *= 2;
  }
}

void AppState::restore(size_t k) {
  const Snapshot& s = snapshots_[k];
  world = s.world;
  log_now_ = s.log_size;
  if (s.messages_total < messages_dropped_) {
    messages_.clear();
    messages_dropped_ = s.messages_total;
  } else {
    messages_.resize(static_cast<size_t>(s.messages_total - messages_dropped_));
  }
  next_command_ = s.commands;
  judged_ = std::min(s.judged, order_.size());
  checker_ = s.checker;
  violation_event_ = s.violation_event;
  ++rewinds_;
}

}  // namespace kafkasim::gui
