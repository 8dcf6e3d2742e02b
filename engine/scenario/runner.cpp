#include "scenario/runner.h"

#include <algorithm>

#include "world/cluster.h"

namespace kafkasim::scenario {

using sim::Err;
using sim::Time;

namespace {

std::string value_text(const ExpectValue& v) {
  return std::visit([](const auto& x) { return check::format(check::Observed{x}); }, v);
}

check::Query query_of(const Expectation& e) {
  check::Query q;
  q.what = e.what;
  q.partition = e.partition;
  q.node = e.node;
  q.topic = e.topic;
  q.group = e.group;
  q.member = e.member;
  q.client = e.client;
  q.error = e.error;
  return q;
}

}  // namespace

std::string subject_of(const Expectation& e) {
  std::string s(what_name(e.what));
  if (!e.partition.empty()) s += " of " + e.partition;
  if (e.node) s += " on broker " + std::to_string(*e.node);
  if (!e.topic.empty()) s += " on topic " + e.topic;
  if (!e.group.empty()) s += " of group " + e.group;
  if (!e.member.empty()) s += " member " + e.member;
  if (!e.client.empty()) s += " of client " + e.client;
  if (!e.error.empty()) s += " " + e.error;
  return s;
}

namespace {

/// Where a run is in its interactive commands.
struct Interactive {
  size_t next = 0;
  std::optional<std::string> refused;  // the first one the World refused
};

/// Applies the interactive commands due after the events executed so far.
void apply_interactive(world::World& w, const RunOptions& o, Interactive& in) {
  while (in.next < o.interactive.size() &&
         o.interactive[in.next].after_event <= w.sim().events_executed()) {
    const world::StampedCommand& c = o.interactive[in.next++];
    // The studio applied it with its clock at `at` and every event up to then executed.
    if (c.at > w.now()) w.run_until(c.at);
    // The studio keeps only commands the World took, so one refused now was not made so.
    if (auto ok = w.apply(c.command); !ok && !in.refused)
      in.refused = "\"" + world::describe(c.command) + "\" (made interactively at " +
                   sim::to_string(c.at) + ", after event " + std::to_string(c.after_event) +
                   ") is refused: " + ok.error();
  }
}

/// Moves the run to `t`, checking invariants after every event.
void advance(world::World& w, Time t, const RunOptions& o, check::InvariantChecker* checker,
             Interactive& in) {
  apply_interactive(w, o, in);
  while (w.sim().has_pending() && w.sim().next_time() <= t) {
    if (o.until_event && w.sim().events_executed() >= *o.until_event) return;
    w.step();
    if (checker != nullptr) checker->after_event(w);
    if (o.on_event) o.on_event(w);
    apply_interactive(w, o, in);
  }
  if (o.until_event && w.sim().events_executed() >= *o.until_event) return;
  w.run_until(t);
}

}  // namespace

Outcome judge(const Expectation& e, const world::World& w) {
  Outcome out;
  out.expectation = &e;
  out.at = w.now();
  out.expected = describe_expected(e);
  out.subject = subject_of(e);
  auto v = check::observe(w, query_of(e));
  if (!v) {
    out.found = v.error();
  } else {
    out.found = check::format(*v);
    out.passed = satisfies(e, *v);
  }
  return out;
}

int RunResult::passed() const {
  return static_cast<int>(
      std::count_if(outcomes.begin(), outcomes.end(), [](const Outcome& x) { return x.passed; }));
}
int RunResult::failed() const {
  return static_cast<int>(outcomes.size()) - passed();
}

std::string describe_expected(const Expectation& e) {
  switch (e.compare) {
    case Compare::equals:
      return "equals " + value_text(e.value);
    case Compare::not_equals:
      return "not " + value_text(e.value);
    case Compare::at_least:
      return "at least " + value_text(e.value);
    case Compare::at_most:
      return "at most " + value_text(e.value);
    case Compare::in: {
      std::string out = "in [";
      for (size_t i = 0; i < e.any_of.size(); ++i)
        out += (i ? ", " : "") + value_text(e.any_of[i]);
      return out + "]";
    }
  }
  return "?";
}

bool satisfies(const Expectation& e, const check::Observed& v) {
  auto same = [&](const ExpectValue& x) {
    return std::visit(
        [&](const auto& want) {
          using T = std::decay_t<decltype(want)>;
          const T* got = std::get_if<T>(&v);
          return got != nullptr && *got == want;
        },
        x);
  };
  switch (e.compare) {
    case Compare::equals:
      return same(e.value);
    case Compare::not_equals:
      return !same(e.value);
    case Compare::in:
      return std::any_of(e.any_of.begin(), e.any_of.end(), same);
    case Compare::at_least:
    case Compare::at_most: {
      const auto* got = std::get_if<int64_t>(&v);
      const auto* want = std::get_if<int64_t>(&e.value);
      if (got == nullptr || want == nullptr) return false;
      return e.compare == Compare::at_least ? *got >= *want : *got <= *want;
    }
  }
  return false;
}

sim::Result<world::World, std::string> build_world(const Scenario& s, uint64_t seed,
                                                   bool keep_trace) {
  world::ClusterSpec spec = s.spec;
  spec.seed = seed;
  spec.keep_trace = keep_trace;
  world::World w = world::make_cluster(spec);
  for (const LinkOverride& l : s.links) {
    if (auto ok = w.apply(l.link); !ok) return Err{"[[network.link]]: " + ok.error()};
  }
  for (const Step& st : s.timeline) {
    if (!st.narrate.empty()) {
      if (auto ok = w.schedule(st.time, world::Narrate{st.narrate}); !ok) return Err{ok.error()};
    }
    if (const auto* c = std::get_if<world::Command>(&st.what)) {
      if (auto ok = w.schedule(st.time, *c); !ok) {
        return Err{"line " + std::to_string(st.pos.line) + ": " + st.action + ": " + ok.error()};
      }
    }
  }
  return w;
}

namespace {

/// Schedules the commands added on top of the timeline (the fuzzer's, a recording's).
void schedule_extra(world::World& w, const RunOptions& o) {
  if (o.on_built) o.on_built(w);
  for (const world::StampedCommand& c : o.extra) {
    if (c.at < w.now()) continue;
    (void)w.schedule(c.at, c.command);  // a fault that makes no sense then is skipped
  }
}

void finish_run(world::World& w, RunResult& r, Interactive& in, world::World* world_out) {
  r.refused = std::move(in.refused);
  r.trace_hash = w.trace_hash();
  r.events = w.sim().events_executed();
  r.end = w.now();
  if (world_out != nullptr) *world_out = std::move(w);
}

}  // namespace

RunResult run_world(world::World w, sim::Time duration, const RunOptions& o,
                    world::World* world_out) {
  RunResult r;
  r.seed = o.seed.value_or(1);
  schedule_extra(w, o);
  Interactive in;
  advance(w, o.until.value_or(duration), o, nullptr, in);
  finish_run(w, r, in, world_out);
  return r;
}

sim::Result<RunResult, std::string> run_scenario(const Scenario& s, const RunOptions& o,
                                                 world::World* world_out) {
  RunResult r;
  r.seed = o.seed.value_or(s.seed);
  auto built = build_world(s, r.seed, o.keep_trace);
  if (!built) return Err{built.error()};
  world::World w = std::move(*built);
  schedule_extra(w, o);
  const Time end = o.until.value_or(s.duration);
  Interactive in;
  std::optional<check::InvariantChecker> checker;
  if (o.invariants) checker.emplace(s.spec);

  // Expectations in time order (end ones last), evaluated once the run reaches their time.
  std::vector<size_t> order;
  if (o.expectations) {
    for (size_t i = 0; i < s.expectations.size(); ++i)
      order.push_back(i);
  }
  auto when = [&](size_t i) { return s.expectations[i].at.value_or(s.duration); };
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return when(a) < when(b); });
  r.outcomes.resize(o.expectations ? s.expectations.size() : 0);
  for (size_t i : order) {
    const Expectation& e = s.expectations[i];
    const Time t = when(i);
    if (t > end) {
      r.outcomes[i] = Outcome{&e,
                              t,
                              false,
                              describe_expected(e),
                              "not reached: the run stopped at " + sim::to_string(end),
                              subject_of(e)};
      continue;
    }
    advance(w, t, o, checker ? &*checker : nullptr, in);
    r.outcomes[i] = judge(e, w);
  }
  advance(w, end, o, checker ? &*checker : nullptr, in);
  if (checker) {
    checker->finish(w);
    r.violation = checker->violation();
  }
  finish_run(w, r, in, world_out);
  return r;
}

}  // namespace kafkasim::scenario
