// kafkasim replay FILE.db [--verify] [--trace] / export FILE.db --csv DIR: recordings
// (engine/record, docs/recording.md). `run FILE --record OUT.db` is in cmd_scenario.cpp, `run
// orders --record OUT.db` (built-in worlds) in cmd_run.cpp.
#include <cstdio>
#include <string>
#include <vector>

#include "cli_args.h"
#include "commands.h"
#include "record/recording.h"
#include "scenario/runner.h"

namespace kafkasim::cli {

namespace {
const char* const kReplayUsage =
    "usage: kafkasim replay FILE.db [--verify] [--trace]\n"
    "  re-executes a recording (its scenario file or built-in world, seed and commands) and\n"
    "  prints its trace; --verify compares the run with the recorded trace and hash instead:\n"
    "  exit 1 naming the first event that differs\n";
const char* const kExportUsage =
    "usage: kafkasim export FILE.db --csv DIR\n"
    "  writes every table of a recording as DIR/<table>.csv\n";

std::string describe(const sim::TraceRecord& r) {
  return "event " + std::to_string(r.event) + " at " + sim::to_string(r.at) + ": node " +
         std::to_string(r.node) + " " + std::string(sim::trace_kind_name(r.kind)) + " " + r.reason;
}
}  // namespace

std::optional<record::Recorder> start_recording(const std::string& out, record::Header h) {
  auto rec = record::Recorder::create(out, std::move(h));
  if (!rec) {
    std::fprintf(stderr, "kafkasim run: %s\n", rec.error().c_str());
    return std::nullopt;
  }
  return std::move(*rec);
}

int cmd_replay(const std::vector<std::string>& argv) {
  Args args(argv, {}, {"--verify", "--trace", "--help"});
  if (!args.ok()) return usage("replay", kReplayUsage, args.error());
  if (args.has("--help")) {
    std::fputs(kReplayUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1)
    return usage("replay", kReplayUsage, "expected one recording");
  const std::string path = args.positionals()[0];
  auto rec = record::open_recording(path);
  if (!rec) {
    std::fprintf(stderr, "kafkasim replay: %s\n", rec.error().c_str());
    return 2;
  }
  scenario::RunOptions o = record::replay_options(*rec);
  o.keep_trace = true;
  if (!rec->summary && o.until == std::nullopt && !rec->trace.empty()) {
    // A recording cut off by a crash: replay as far as it got.
    o.until = rec->trace.back().at;
  }
  const bool verify = args.has("--verify");
  const bool trace = args.has("--trace") || !verify;
  size_t printed = 0;
  bool header = false;  // printed once the re-execution runs (not above a load error)
  if (trace) {
    o.on_event = [&](const world::World& w) {
      if (!header) print_trace_header();
      header = true;
      const auto& recs = w.trace().records();
      for (; printed < recs.size(); ++printed)
        print_trace_record(w, recs[printed]);
    };
  }
  world::World w;
  auto r = record::replay(*rec, o, &w);
  if (!r) {
    std::fprintf(stderr, "kafkasim replay: %s\n", r.error().c_str());
    return 2;
  }
  if (trace && !header) print_trace_header();
  if (!verify) return 0;
  // The trace, record by record, then the fingerprint of every event.
  const auto& now = w.trace().records();
  const auto& then = rec->trace;
  for (size_t i = 0; i < std::max(now.size(), then.size()); ++i) {
    const bool same = i < now.size() && i < then.size() && now[i].at == then[i].at &&
                      now[i].node == then[i].node && now[i].kind == then[i].kind &&
                      now[i].reason == then[i].reason && now[i].event == then[i].event;
    if (same) continue;
    std::printf("DIFFERS at trace record %zu\n  recorded: %s\n  replayed: %s\n", i + 1,
                i < then.size() ? describe(then[i]).c_str() : "(nothing more)",
                i < now.size() ? describe(now[i]).c_str() : "(nothing more)");
    return 1;
  }
  if (!rec->summary) {
    std::printf("the recording has no summary (cut off); its %zu trace records replay the same\n",
                then.size());
    return 0;
  }
  if (rec->summary->trace_hash != r->trace_hash || rec->summary->events != r->events) {
    std::printf("DIFFERS: recorded %llu events, trace hash %s; replayed %llu events, %s\n",
                static_cast<unsigned long long>(rec->summary->events),
                sim::hash_hex(rec->summary->trace_hash).c_str(),
                static_cast<unsigned long long>(r->events), sim::hash_hex(r->trace_hash).c_str());
    return 1;
  }
  std::printf("verified: %llu events, %zu trace records, trace hash %s (recorded by kafkasim %s)\n",
              static_cast<unsigned long long>(r->events), now.size(),
              sim::hash_hex(r->trace_hash).c_str(), rec->header.engine_version.c_str());
  return 0;
}

int cmd_export(const std::vector<std::string>& argv) {
  Args args(argv, {"--csv"}, {"--help"});
  if (!args.ok()) return usage("export", kExportUsage, args.error());
  if (args.has("--help")) {
    std::fputs(kExportUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1 || !args.value("--csv"))
    return usage("export", kExportUsage, "expected a recording and --csv DIR");
  auto files = record::export_csv(args.positionals()[0], *args.value("--csv"));
  if (!files) {
    std::fprintf(stderr, "kafkasim export: %s\n", files.error().c_str());
    return 2;
  }
  for (const std::string& f : *files)
    std::printf("%s\n", f.c_str());
  return 0;
}

}  // namespace kafkasim::cli
