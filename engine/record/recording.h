// Recordings: a run in one SQLite file (docs/recording.md). What re-execution needs (the engine
// version, the scenario's text, the seed, every command with its simulated time, those made
// interactively too) and the trace for people to query with plain SQL (events, records produced
// and consumed as offset ranges, partition metrics every simulated second, leader and ISR
// changes as views). This is the only part of the engine that includes sqlite3.h.
//
// Writes go in transactions of a batch (WAL journal): a crash while recording leaves a file that
// opens, holding everything up to the last committed batch. Opening checks that the file is
// SQLite, is a kafkasim recording, and has this schema version; anything else is a clear error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario/runner.h"
#include "scenario/scenario.h"
#include "sim/result.h"
#include "sim/trace.h"
#include "world/command.h"
#include "world/world.h"

struct sqlite3;

namespace kafkasim::record {

inline constexpr int kSchemaVersion = 1;

struct Header {
  std::string engine_version;  // kafkasim's version (filled in by create())
  /// The built-in world recorded (world::make_builtin_world: "orders", "orders-zk", "demo"),
  /// or empty for a scenario file, which scenario_file and scenario_text then hold.
  std::string world;
  std::string scenario_file;  // where the text came from (for people)
  std::string scenario_text;  // the whole scenario file
  uint64_t seed = 1;
  std::optional<sim::Time> until;       // --until, when the run stopped early
  std::optional<uint64_t> until_event;  // ... right after this many events (studio saves)
  /// Commands on top of the scenario's timeline (the fuzzer's faults, a script's), scheduled
  /// at their times from the start: re-execution schedules them the same way.
  std::vector<world::StampedCommand> extra;
};

struct Summary {
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  sim::Time end;
};

/// One command on top of the scenario's timeline, as recorded: scheduled from the start
/// (`Header::extra`), or made interactively while the run went on (after `after_event` events).
struct RecordedCommand {
  world::StampedCommand command;
  uint64_t after_event = 0;
  bool interactive = false;
};

class Recorder {
 public:
  /// Creates `path` (it must not exist: nothing the user has is overwritten) with the schema.
  static sim::Result<Recorder, std::string> create(const std::string& path, Header header);
  Recorder(Recorder&&) noexcept;
  Recorder& operator=(Recorder&&) noexcept;
  ~Recorder();

  /// The World as the scenario built it, before it runs: what is already there (the
  /// scenario's own link settings) is the scenario's, not the run's.
  void start(const world::World& w);
  /// After every event (cheap): takes what the World added since the last call (commands,
  /// trace records, client records) and commits a batch every `batch_events` events.
  void observe(const world::World& w);
  /// The end of the run: the rest, the summary and the indexes.
  sim::Result<sim::Ok, std::string> finish(const world::World& w, const Summary& s);

  size_t batch_events = 20000;

 private:
  Recorder() = default;
  /// Opens the empty file create() made and writes the schema and `header`.
  static sim::Result<Recorder, std::string> create_schema(const std::string& path,
                                                          const Header& header);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A recording read back.
struct Recording {
  std::string path;  // the file it was read from (for messages)
  Header header;
  std::vector<RecordedCommand> commands;  // what re-execution adds to the scenario's timeline
  std::vector<sim::TraceRecord> trace;
  std::optional<Summary> summary;  // absent when the run did not finish (crash while recording)
};

sim::Result<Recording, std::string> open_recording(const std::string& path);

/// How to re-execute `r` as it was recorded: its seed and end, the commands scheduled from the
/// start and those made interactively (no expectations judged).
scenario::RunOptions replay_options(const Recording& r);

/// What `r` re-executes, at time 0 for its seed: its built-in world, or its scenario parsed
/// again from the recorded text (`scenario` holds it) and built. The recorded commands are not
/// scheduled (replay_options has them). An error when the scenario no longer loads (every
/// problem in it) or the built-in world is not this kafkasim's.
struct Rebuilt {
  world::World world;
  sim::Time duration;  // the scenario's or the built-in world's (the recording may go on)
  std::optional<scenario::Scenario> scenario;
};
sim::Result<Rebuilt, std::string> rebuild(const Recording& r);

/// Re-executes `r` with `o` (replay_options(r), plus callbacks): run_scenario on its scenario,
/// or run_world on its built-in world. Errors as rebuild()'s.
sim::Result<scenario::RunResult, std::string> replay(const Recording& r,
                                                     const scenario::RunOptions& o,
                                                     world::World* world_out = nullptr);

/// Writes a new recording at `path` (never overwriting) by re-executing `what` (its header and
/// commands; its trace is not used) with a Recorder observing every event: the same tables as
/// `kafkasim run --record` writes, per-second partition metrics included. The re-execution must
/// reach `expected` (the same trace hash after the same number of events), which proves the file
/// as it is written; when it does not, as on any failure, no file is left.
sim::Result<sim::Ok, std::string> record_by_replaying(const std::string& path,
                                                      const Recording& what,
                                                      const Summary& expected);

/// Writes every table as DIR/<table>.csv (RFC 4180 quoting); returns the files written.
sim::Result<std::vector<std::string>, std::string> export_csv(const std::string& path,
                                                              const std::string& dir);

}  // namespace kafkasim::record
