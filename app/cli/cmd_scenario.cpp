// kafkasim run FILE / check FILE... / fuzz FILE / validate FILE: scenario files headless.
// Wall-clock time and the terminal are app/ business, never the engine's.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>

#include "check/history.h"
#include "cli_args.h"
#include "commands.h"
#include "record/recording.h"
#include "scenario/loader.h"
#include "scenario/nemesis.h"
#include "scenario/runner.h"
#include "sim/time.h"
#include "world/cluster.h"

namespace kafkasim::cli {

int usage(const char* cmd, const char* text, const std::string& what) {
  std::fprintf(stderr, "kafkasim %s: %s\n%s", cmd, what.c_str(), text);
  return 2;
}

namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::optional<scenario::Scenario> load_or_report(const std::string& path) {
  auto s = scenario::load_scenario(path);
  if (!s) {
    std::fflush(stdout);  // what was printed so far comes first, also when both are piped
    std::fputs(scenario::format_diagnostics(s.error()).c_str(), stderr);
    std::fprintf(stderr, "%s: %zu error%s; nothing was run\n", path.c_str(), s.error().size(),
                 s.error().size() == 1 ? "" : "s");
    return std::nullopt;
  }
  return std::move(*s);
}

std::string outcome_line(const std::string& file, const scenario::Outcome& o) {
  const scenario::Expectation& e = *o.expectation;
  return std::string(o.passed ? "PASS" : "FAIL") + "  " + file + ":" + std::to_string(e.pos.line) +
         "  at " + sim::to_string(o.at) + ": " + o.subject + " " + o.expected + " (found " +
         o.found + ")";
}

const char* const kCheckUsage =
    "usage: kafkasim check FILE... [--seed N]\n"
    "  runs each scenario to its duration, checks the invariants after every event and\n"
    "  evaluates its [[expect]] blocks: a line per expectation, then \"N passed, M failed\";\n"
    "  exit 1 when anything failed, 2 when a file does not load\n";
const char* const kFuzzUsage =
    "usage: kafkasim fuzz FILE [--seeds N] [--seed S [--trace]]\n"
    "  runs the scenario with seeds 1..N (default 20), adding random crashes, restarts,\n"
    "  network partitions, heals and link faults on top of its timeline, and checks the\n"
    "  invariants after every event; prints the first failing seed and the command that\n"
    "  replays it (--seed S runs that one seed)\n";
const char* const kValidateUsage =
    "usage: kafkasim validate FILE...\n"
    "  loads each file and reports every error in it (exit 2), or \"ok\"\n";

}  // namespace

int cmd_run_scenario(const std::string& path, const std::vector<std::string>& argv) {
  Args args(argv, {"--seed", "--until", "--record"}, {"--trace", "--quiet"});
  if (!args.ok()) return usage("run", kRunUsage, args.error());
  auto s = load_or_report(path);
  if (!s) return 2;
  std::optional<record::Recorder> recorder;
  scenario::RunOptions o;
  if (auto v = args.value("--seed")) {
    std::string err;
    o.seed = parse_seed(*v, err);
    if (!o.seed) return usage("run", kRunUsage, "--seed " + err);
  }
  if (auto u = args.value("--until")) {
    std::string err;
    o.until = parse_until(*u, err);
    if (!o.until) return usage("run", kRunUsage, "--until: " + err);
  }
  if (auto out = args.value("--record")) {
    std::string err;
    if (!parse_record_path(*out, err)) return usage("run", kRunUsage, "--record " + err);
  }
  const bool trace = args.has("--trace");
  const bool quiet = args.has("--quiet");
  const bool bar = !trace && !quiet && isatty(STDERR_FILENO) != 0;
  const sim::Time end = o.until.value_or(s->duration);
  o.keep_trace = true;
  if (auto out = args.value("--record")) {
    record::Header h;
    h.scenario_file = path;
    std::ifstream in(path, std::ios::binary);
    h.scenario_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    h.seed = o.seed.value_or(s->seed);
    h.until = o.until;
    recorder = start_recording(*out, std::move(h));
    if (!recorder) return 2;
  }
  size_t printed = 0;
  sim::Time shown;
  if (trace) print_trace_header();
  o.on_built = [&](const world::World& w) {
    if (recorder) recorder->start(w);
  };
  o.on_event = [&](const world::World& w) {
    if (recorder) recorder->observe(w);
    if (trace) {
      const auto& recs = w.trace().records();
      for (; printed < recs.size(); ++printed)
        print_trace_record(w, recs[printed]);
    } else if (!quiet) {
      // Narration is the story: print it even without the full trace.
      const auto& recs = w.trace().records();
      for (; printed < recs.size(); ++printed) {
        if (recs[printed].kind == sim::TraceKind::narration)
          std::printf("%10s  %s\n", sim::format_clock(recs[printed].at).c_str(),
                      recs[printed].reason.c_str());
      }
    }
    if (bar && w.now() - shown >= sim::Time::from_ms(250)) {
      shown = w.now();
      const int pct = static_cast<int>(100.0 * w.now().seconds() / std::max(end.seconds(), 1e-9));
      std::fprintf(stderr, "\r[%-40s] %3d%%  %s / %s", std::string(pct * 40 / 100, '#').c_str(),
                   pct, sim::to_string(w.now()).c_str(), sim::to_string(end).c_str());
    }
  };
  const double start = wall_seconds();
  world::World w;
  auto r = scenario::run_scenario(*s, o, &w);
  const double wall = wall_seconds() - start;
  if (bar) std::fprintf(stderr, "\r%60s\r", "");
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), r.error().c_str());
    return 2;
  }
  if (recorder) {
    if (auto ok = recorder->finish(w, record::Summary{r->trace_hash, r->events, r->end}); !ok) {
      std::fprintf(stderr, "kafkasim run: %s\n", ok.error().c_str());
      return 2;
    }
  }
  const check::DataSummary d = check::summarize(w);
  int64_t leader_changes = 0;
  for (const sim::TraceRecord& rec : w.trace().records()) {
    if (rec.kind == sim::TraceKind::leader_change) ++leader_changes;
  }
  std::map<std::string, int64_t> errors;
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) {
      for (const auto& [e, c] : p->errors())
        errors[std::string(kafka::errc_name(e))] += c;
    } else if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) {
      for (const auto& [e, k] : c->errors())
        errors[std::string(kafka::errc_name(e))] += k;
    }
  }
  std::printf("\nsummary: %s (\"%s\") seed=%llu\n", path.c_str(), s->name.c_str(),
              static_cast<unsigned long long>(r->seed));
  std::printf("  time:     simulated %s in %.3f s wall (%.0fx real time), %llu events\n",
              sim::to_string(r->end).c_str(), wall, wall > 0 ? r->end.seconds() / wall : 0.0,
              static_cast<unsigned long long>(r->events));
  std::printf("  records:  produced %lld, acked %lld, failed %lld, consumed %lld\n",
              static_cast<long long>(d.produced), static_cast<long long>(d.acked),
              static_cast<long long>(d.failed), static_cast<long long>(d.consumed));
  std::printf(
      "  checks:   acked_records_lost %lld, duplicates %lld, replica_divergence %lld, "
      "out_of_order %lld\n",
      static_cast<long long>(d.acked_records_lost), static_cast<long long>(d.duplicates),
      static_cast<long long>(d.replica_divergence), static_cast<long long>(d.out_of_order));
  std::printf("  leaders:  %lld partition leader changes\n",
              static_cast<long long>(leader_changes));
  std::string err_line;
  for (const auto& [name, count] : errors)
    err_line += (err_line.empty() ? "" : ", ") + name + " " + std::to_string(count);
  std::printf("  errors:   %s\n", err_line.empty() ? "none" : err_line.c_str());
  // Consumer groups: the coordinator's view, then each member's.
  std::map<std::string, std::vector<const kafka::Consumer*>> groups;
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* c = std::get_if<kafka::Consumer>(&n.impl); c != nullptr && c->in_group())
      groups[c->config().group.group_id].push_back(c);
  }
  for (const auto& [gid, members] : groups) {
    const world::GroupView v = world::find_group(w, gid);
    if (v.group == nullptr) {
      std::printf("  group %s: %s\n", gid.c_str(),
                  v.coordinator < 0 ? "no coordinator now" : "unknown to its coordinator");
    } else {
      std::printf("  group %s: %s, generation %d, coordinator %d, %zu members\n", gid.c_str(),
                  std::string(kafka::group::group_state_name(v.group->state)).c_str(),
                  v.group->generation_id, v.coordinator, v.group->members.size());
    }
    for (const kafka::Consumer* c : members) {
      std::string owned;
      for (const auto& [tp, a] : c->assignment())
        owned += (owned.empty() ? "" : ", ") + tp.str() + "@" + std::to_string(a.position);
      std::printf("    %s: %s, generation %d, consumed %zu, owns [%s]\n",
                  c->config().client_id.c_str(),
                  std::string(kafka::member_phase_name(c->phase())).c_str(), c->generation(),
                  c->deliveries().size(), owned.c_str());
    }
  }
  if (r->violation) {
    std::printf("  invariant %s broken: %s\n    first seen after %s\n",
                r->violation->invariant.c_str(), r->violation->what.c_str(),
                r->violation->event.c_str());
  }
  if (!r->outcomes.empty())
    std::printf("  expect:   %d passed, %d failed\n", r->passed(), r->failed());
  std::printf("  trace_hash=%s\n", sim::hash_hex(r->trace_hash).c_str());
  return 0;
}

int cmd_check(const std::vector<std::string>& argv) {
  Args args(argv, {"--seed"}, {"--help"});
  if (!args.ok()) return usage("check", kCheckUsage, args.error());
  if (args.has("--help")) {
    std::fputs(kCheckUsage, stdout);
    return 0;
  }
  if (args.positionals().empty()) return usage("check", kCheckUsage, "expected scenario files");
  std::optional<uint64_t> seed;
  if (auto v = args.value("--seed")) {
    std::string err;
    seed = parse_seed(*v, err);
    if (!seed) return usage("check", kCheckUsage, "--seed " + err);
  }
  int passed = 0, failed = 0;
  bool bad_input = false;
  for (const std::string& path : args.positionals()) {
    auto s = load_or_report(path);
    if (!s) {
      bad_input = true;
      continue;
    }
    scenario::RunOptions o;
    o.seed = seed;
    o.keep_trace = false;
    auto r = scenario::run_scenario(*s, o);
    if (!r) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), r.error().c_str());
      bad_input = true;
      continue;
    }
    for (const scenario::Outcome& out : r->outcomes) {
      std::printf("%s\n", outcome_line(path, out).c_str());
      (out.passed ? passed : failed) += 1;
    }
    if (r->violation) {
      std::printf("FAIL  %s  invariant %s: %s (first seen after %s)\n", path.c_str(),
                  r->violation->invariant.c_str(), r->violation->what.c_str(),
                  r->violation->event.c_str());
      ++failed;
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  if (bad_input) return 2;
  return failed > 0 ? 1 : 0;
}

int cmd_validate(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"--help"});
  if (!args.ok()) return usage("validate", kValidateUsage, args.error());
  if (args.has("--help")) {
    std::fputs(kValidateUsage, stdout);
    return 0;
  }
  if (args.positionals().empty())
    return usage("validate", kValidateUsage, "expected scenario files");
  bool bad = false;
  for (const std::string& path : args.positionals()) {
    auto s = load_or_report(path);
    if (!s) {
      bad = true;
      continue;
    }
    std::printf("%s: ok (\"%s\": %zu steps, %zu expectations)\n", path.c_str(), s->name.c_str(),
                s->timeline.size(), s->expectations.size());
  }
  return bad ? 2 : 0;
}

int cmd_fuzz(const std::vector<std::string>& argv) {
  Args args(argv, {"--seeds", "--seed"}, {"--help", "--trace"});
  if (!args.ok()) return usage("fuzz", kFuzzUsage, args.error());
  if (args.has("--trace") && !args.has("--seed"))
    return usage("fuzz", kFuzzUsage, "--trace needs --seed S (one run)");
  if (args.has("--help")) {
    std::fputs(kFuzzUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1)
    return usage("fuzz", kFuzzUsage, "expected one scenario file");
  const std::string path = args.positionals()[0];
  uint64_t first = 1, last = 20;
  std::string err;
  if (auto v = args.value("--seeds")) {
    auto n = parse_seed(*v, err);
    if (!n || *n == 0) return usage("fuzz", kFuzzUsage, "--seeds expects a positive integer");
    last = *n;
  }
  if (auto v = args.value("--seed")) {
    auto n = parse_seed(*v, err);
    if (!n) return usage("fuzz", kFuzzUsage, "--seed " + err);
    first = last = *n;
  }
  auto s = load_or_report(path);
  if (!s) return 2;
  for (uint64_t seed = first; seed <= last; ++seed) {
    scenario::RunOptions o = scenario::fuzz_options(*s, seed, args.has("--trace"));
    size_t printed = 0;
    if (o.keep_trace) {
      print_trace_header();
      o.on_event = [&printed](const world::World& w) {
        const auto& recs = w.trace().records();
        for (; printed < recs.size(); ++printed)
          print_trace_record(w, recs[printed]);
      };
    }
    auto r = scenario::run_scenario(*s, o);
    if (!r) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), r.error().c_str());
      return 2;
    }
    if (r->violation) {
      std::printf("seed %llu: invariant %s broken: %s\n  first seen after %s\n",
                  static_cast<unsigned long long>(seed), r->violation->invariant.c_str(),
                  r->violation->what.c_str(), r->violation->event.c_str());
      std::printf("replay: kafkasim fuzz %s --seed %llu\n", path.c_str(),
                  static_cast<unsigned long long>(seed));
      return 1;
    }
    std::printf("seed %llu: ok (%llu events, %zu faults)\n", static_cast<unsigned long long>(seed),
                static_cast<unsigned long long>(r->events), o.extra.size());
  }
  std::printf("%llu seed(s), no invariant broken\n",
              static_cast<unsigned long long>(last - first + 1));
  return 0;
}

}  // namespace kafkasim::cli
