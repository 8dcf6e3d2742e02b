// kafkasim run: executes a built-in world headless and prints its trace as it happens, then a
// summary; --record writes the run to a recording. Wall-clock time is measured here, in app/,
// never inside the engine.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "check/history.h"
#include "cli_args.h"
#include "commands.h"
#include "record/recording.h"
#include "scenario/runner.h"
#include "sim/time.h"
#include "world/demo_worlds.h"

namespace kafkasim::cli {

const char* const kRunUsage =
    "usage: kafkasim run FILE|demo|orders|orders-zk|ring [--seed N] [--until T] [--trace]\n"
    "                    [--quiet] [--record OUT.db]\n"
    "  FILE       a scenario file (scenarios/*.toml): narration, then a summary\n"
    "  demo       five nodes, a heartbeat failure detector and a timeline of faults (default)\n"
    "  orders     a KRaft cluster (3 controllers, brokers 101-103, topic orders): broker and\n"
    "             controller failover\n"
    "  orders-zk  the same story in ZooKeeper mode (Kafka 3.x)\n"
    "  ring       100 nodes passing 1,000,000 messages, 10us per hop (the benchmark workload)\n"
    "  --seed N   run seed (default 1)\n"
    "  --until T  stop at simulated time T, a duration with a unit (\"12s\", \"500ms\")\n"
    "  --trace    print every trace record (default for demo)\n"
    "  --quiet    print only the summary\n"
    "  --record OUT.db  write the run (a scenario file's, or demo, orders, orders-zk) to a\n"
    "             new SQLite recording: kafkasim replay OUT.db --verify re-executes it,\n"
    "             kafkasim-gui OUT.db opens it (docs/recording.md)\n";

namespace {

int fail(const std::string& what) {
  std::fprintf(stderr, "kafkasim run: %s\n%s", what.c_str(), kRunUsage);
  return 2;
}

}  // namespace

void print_trace_header() {
  std::printf("%10s  %-13s %-16s %s\n", "time", "node", "kind", "reason");
}

void print_trace_record(const world::World& w, const sim::TraceRecord& r) {
  const std::string who = r.node == sim::kNoNode ? "-" : w.name_of(r.node);
  std::printf("%10s  %-13s %-16s %s\n", sim::format_clock(r.at).c_str(), who.c_str(),
              std::string(sim::trace_kind_name(r.kind)).c_str(), r.reason.c_str());
}

namespace {

void print_summary(const std::string& which, uint64_t seed, const world::World& w, double wall) {
  std::printf("\nsummary: world=%s seed=%llu sim_time=%s wall_time=%.3fs (%.0fx real time)\n",
              which.c_str(), static_cast<unsigned long long>(seed), sim::to_string(w.now()).c_str(),
              wall, wall > 0 ? w.now().seconds() / wall : 0.0);
  std::printf("         events=%llu messages_sent=%llu messages_lost=%llu trace_records=%llu\n",
              static_cast<unsigned long long>(w.sim().events_executed()),
              static_cast<unsigned long long>(w.network().sent_count()),
              static_cast<unsigned long long>(w.network().lost_count()),
              static_cast<unsigned long long>(w.trace().count()));
  const check::DataSummary d = check::summarize(w);
  if (d.produced > 0 || d.consumed > 0) {
    std::printf(
        "         records: produced=%lld acked=%lld failed=%lld consumed=%lld\n"
        "         checks: acked_records_lost=%lld duplicates=%lld replica_divergence=%lld "
        "out_of_order=%lld\n",
        static_cast<long long>(d.produced), static_cast<long long>(d.acked),
        static_cast<long long>(d.failed), static_cast<long long>(d.consumed),
        static_cast<long long>(d.acked_records_lost), static_cast<long long>(d.duplicates),
        static_cast<long long>(d.replica_divergence), static_cast<long long>(d.out_of_order));
  }
  std::printf("         trace_hash=%s\n", sim::hash_hex(w.trace_hash()).c_str());
}

}  // namespace

int cmd_run(const std::vector<std::string>& argv) {
  Args args(argv, {"--seed", "--until", "--record"}, {"--trace", "--quiet", "--help"});
  if (!args.ok()) return fail(args.error());
  if (args.has("--help")) {
    std::fputs(kRunUsage, stdout);
    return 0;
  }
  if (args.positionals().size() > 1) return fail("expected at most one world name or file");
  const std::string which = args.positionals().empty() ? "demo" : args.positionals()[0];
  if (which.find('.') != std::string::npos || which.find('/') != std::string::npos) {
    std::vector<std::string> rest;
    for (size_t i = 0; i < argv.size(); ++i) {
      if (argv[i] != which) rest.push_back(argv[i]);
    }
    return cmd_run_scenario(which, rest);
  }
  uint64_t seed = 1;
  if (auto s = args.value("--seed")) {
    std::string err;
    auto parsed = parse_seed(*s, err);
    if (!parsed) return fail("--seed " + err);
    seed = *parsed;
  }
  scenario::RunOptions o;
  o.seed = seed;
  if (auto u = args.value("--until")) {
    std::string err;
    o.until = parse_until(*u, err);
    if (!o.until) return fail("--until: " + err);
  }
  std::optional<std::string> record_path;
  if (auto out = args.value("--record")) {
    std::string err;
    record_path = parse_record_path(*out, err);
    if (!record_path) return fail("--record " + err);
  }
  const bool quiet = args.has("--quiet");
  const bool print_trace = !quiet && (which != "ring" || args.has("--trace"));

  world::World w;
  sim::Time duration;
  if (which == "ring") {
    world::RingSpec ring;
    ring.seed = seed;
    ring.keep_trace = print_trace;
    w = world::make_ring(ring);
    duration = ring.latency * static_cast<int64_t>(ring.messages / ring.nodes);  // the last hop
  } else {
    auto built = world::make_builtin_world(which, seed);
    if (!built) {
      return fail("unknown world \"" + which + "\" (built-in worlds: " +
                  world::builtin_world_list() + ", ring; or a scenario file path)");
    }
    w = std::move(built->world);
    duration = built->duration;
  }

  std::optional<record::Recorder> recorder;
  if (auto out = record_path) {
    if (which == "ring")
      return fail("--record: the ring is a benchmark workload, not recorded (record " +
                  world::builtin_world_list() + " or a scenario file)");
    record::Header h;
    h.world = which;
    h.seed = seed;
    h.until = o.until;
    recorder = start_recording(*out, std::move(h));
    if (!recorder) return 2;
    o.on_built = [&](const world::World& now) { recorder->start(now); };
  }
  size_t printed = 0;
  if (print_trace) print_trace_header();
  if (print_trace || recorder) {
    o.on_event = [&](const world::World& now) {
      if (recorder) recorder->observe(now);
      if (!print_trace) return;
      const auto& recs = now.trace().records();
      for (; printed < recs.size(); ++printed)
        print_trace_record(now, recs[printed]);
    };
  }
  const auto wall_start = std::chrono::steady_clock::now();
  world::World done;
  const scenario::RunResult r = scenario::run_world(std::move(w), duration, o, &done);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (recorder) {
    if (auto ok = recorder->finish(done, record::Summary{r.trace_hash, r.events, r.end}); !ok) {
      std::fprintf(stderr, "kafkasim run: %s\n", ok.error().c_str());
      return 2;
    }
  }
  print_summary(which, seed, done, wall);
  return 0;
}

}  // namespace kafkasim::cli
