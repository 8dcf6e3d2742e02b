// Recordings (engine/record): every lesson recorded and re-executed to the same trace hash,
// commands made interactively replayed, commands as text and back, and files that are not
// recordings, damaged, cut off or of another schema version refused with a clear error.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "record/command_codec.h"
#include "record/recording.h"
#include "record_builtin.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "version.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
namespace fs = std::filesystem;

using test::record_builtin;

namespace {
std::string temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / "kafkasim-record-test";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"})
    fs::remove(p.string() + suffix);
  return p.string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A recording's header for scenario `file` loaded as `s`.
record::Header header_of(const std::string& file, const scenario::Scenario& s) {
  record::Header h;
  h.scenario_file = file;
  h.scenario_text = read_file(file);
  h.seed = s.seed;
  return h;
}

/// Runs `file` (with `extra` commands) into a new recording at `out`; returns the run's result.
scenario::RunResult record_run(const std::string& file, const std::string& out,
                               std::vector<world::StampedCommand> extra = {},
                               world::World* world_out = nullptr) {
  auto s = scenario::load_scenario(file);
  REQUIRE(s.ok());
  record::Header h = header_of(file, *s);
  h.extra = extra;
  auto rec = record::Recorder::create(out, h);
  if (!rec) FAIL(rec.error());
  scenario::RunOptions o;
  o.keep_trace = true;
  o.extra = std::move(extra);
  o.on_built = [&](const world::World& w) { rec->start(w); };
  o.on_event = [&](const world::World& w) { rec->observe(w); };
  world::World w;
  auto r = scenario::run_scenario(*s, o, &w);
  REQUIRE(r.ok());
  REQUIRE(rec->finish(w, record::Summary{r->trace_hash, r->events, r->end}).ok());
  if (world_out != nullptr) *world_out = std::move(w);
  return *r;
}

/// Re-executes a recording as `kafkasim replay` does.
scenario::RunResult replay(const record::Recording& rec) {
  scenario::RunOptions o = record::replay_options(rec);
  o.keep_trace = false;
  auto r = record::replay(rec, o);
  if (!r) FAIL(r.error());
  return *r;
}

/// The recording at `out` keeps the `commands` made during its run and replays with them to
/// the run's `hash`; without them it is another run (they are what makes it reproducible).
void check_commands_replayed(const std::string& out, size_t commands, uint64_t hash) {
  auto rec = record::open_recording(out);
  if (!rec) FAIL(rec.error());
  CHECK(rec->commands.size() == commands);
  CHECK(replay(*rec).trace_hash == hash);
  record::Recording bare = *rec;
  bare.commands.clear();
  CHECK(replay(bare).trace_hash != hash);
}

int64_t sql_number(const std::string& path, const char* query) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, query, -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  const int64_t v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

void sql(const std::string& path, const char* statement) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, statement, nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}
}  // namespace

TEST_CASE("every lesson records and replays to the same trace hash", "[record][library]") {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(KAFKASIM_SCENARIO_DIR))
    if (e.path().extension() == ".toml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 12);
  for (const std::string& f : files) {
    INFO(f);
    const std::string out = temp_path(fs::path(f).stem().string() + ".db");
    const scenario::RunResult r = record_run(f, out);
    auto rec = record::open_recording(out);
    if (!rec) FAIL(rec.error());
    REQUIRE(rec->summary);
    CHECK(rec->summary->trace_hash == r.trace_hash);
    CHECK(rec->header.scenario_text == read_file(f));
    const scenario::RunResult again = replay(*rec);
    CHECK(again.trace_hash == r.trace_hash);
    CHECK(again.events == r.events);
  }
}

TEST_CASE("commands made during a run are recorded and replayed exactly", "[record]") {
  const std::string file = std::string(KAFKASIM_SCENARIO_DIR) + "/03-leader-failover.toml";
  const std::string out = temp_path("interactive.db");
  // What a user clicking in the studio makes: a pause, a cut link, a partition, a config change.
  std::vector<world::StampedCommand> extra = {
      {4_s, world::Pause{102, 1500_ms}, false},
      {6_s, world::SetLink{101, 103, 40_ms, std::nullopt, 0.25, std::nullopt}, false},
      {7_s, world::Partition{{{101}, {102, 103}}}, false},
      {9_s, world::Heal{}, false},
      {12_s, world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{2}}, false},
      {14_s, world::Crash{world::NodeRef::of_role("leader:orders-1")}, false},
      {16_s, world::Restart{world::NodeRef::of_role("leader:orders-1")}, false},
  };
  const scenario::RunResult r = record_run(file, out, extra);
  check_commands_replayed(out, extra.size(), r.trace_hash);
}

TEST_CASE("built-in worlds record and replay to the same trace hash", "[record]") {
  for (std::string_view name : world::builtin_world_names()) {
    INFO(name);
    const std::string out = temp_path("builtin-" + std::string(name) + ".db");
    // Past the story's end (the lessons' clients go on producing and consuming).
    const scenario::RunResult r = record_builtin(std::string(name), 3, 90_s, out);
    auto rec = record::open_recording(out);
    if (!rec) FAIL(rec.error());
    CHECK(rec->header.world == name);
    CHECK(rec->header.scenario_text.empty());
    CHECK(rec->header.seed == 3);
    CHECK(rec->header.until == 90_s);
    REQUIRE(rec->summary);
    CHECK(rec->summary->trace_hash == r.trace_hash);
    CHECK(r.end == 90_s);
    const scenario::RunResult again = replay(*rec);
    CHECK(again.trace_hash == r.trace_hash);
    CHECK(again.events == r.events);
    // The same world as its maker builds, run directly.
    auto direct = world::make_builtin_world(name, 3);
    REQUIRE(direct.ok());
    direct->world.run_until(90_s);
    CHECK(direct->world.trace_hash() == r.trace_hash);
    // Another seed is another run: the seed is what the recording keeps.
    record::Recording other = *rec;
    other.header.seed = 4;
    CHECK(replay(other).trace_hash != r.trace_hash);
  }
  // Commands on top of the lesson's timeline, scheduled from the start, replay too.
  const std::string out = temp_path("builtin-commands.db");
  const std::vector<world::StampedCommand> extra = {
      {5_s, world::Partition{{{101}, {102, 103}}}, false},
      {8_s, world::Heal{}, false},
      {45_s, world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{2}}, false},
  };
  const scenario::RunResult r = record_builtin("orders", 1, 60_s, out, extra);
  check_commands_replayed(out, extra.size(), r.trace_hash);
}

TEST_CASE("every command survives the trip to text and back", "[record][unit]") {
  const std::vector<world::Command> all = {
      world::Crash{101},
      world::PowerLoss{world::NodeRef::of_role("leader:orders-0")},
      world::Restart{world::NodeRef::of_role("coordinator:billing|x=1")},
      world::Isolate{3},
      world::Partition{{{1, 2}, {3}}},
      world::Heal{},
      world::SetLink{101, 102, 5_ms, 1_ms, 0.125, true},
      world::SetLink{101, 102, std::nullopt, std::nullopt, std::nullopt, false},
      world::Pause{102, 2500_ms},
      world::Shutdown{103},
      world::ElectPreferred{""},
      world::ElectPreferred{"orders-1"},
      world::Flush{101},
      world::Narrate{"Broker 101 = leader | watch 100% of it\nnext line"},
      world::AddPartitions{"orders", 6},
      world::Reassign{"orders-0", {103, 101}},
      world::SetConfig{world::NodeRef(101), "", "min.insync.replicas", int64_t{2}},
      world::SetConfig{std::nullopt, "orders", "unclean.leader.election.enable", true},
      world::SetConfig{std::nullopt, "orders", "cleanup.policy", std::string("compact,delete")},
      world::SetConfig{std::nullopt, "orders", "min.cleanable.dirty.ratio", 0.3},
  };
  for (const world::Command& c : all) {
    const std::string line = record::encode(c);
    INFO(line);
    CHECK(line.find('\n') == std::string::npos);
    auto back = record::decode(line);
    if (!back) FAIL(back.error());
    CHECK(back->index() == c.index());
    CHECK(record::encode(*back) == line);
    CHECK(world::describe(*back) == world::describe(c));
  }
  CHECK(!record::decode("explode|node=1").ok());
  CHECK(!record::decode("crash|node").ok());
  CHECK(!record::decode("crash|node=abc").ok());
  CHECK(!record::decode("crash").ok());
}

TEST_CASE("decoding checks every field as the scenario loader checks its values",
          "[record][unit]") {
  auto error_of = [](const char* line) {
    auto c = record::decode(line);
    INFO(line);
    REQUIRE(!c);
    return c.error();
  };
  // Durations past world::kDurationMax (here 2^63-1 ns) or negative would overflow sim::Time.
  CHECK(error_of("pause|node=101|for=9223372036854775807").find("outside") != std::string::npos);
  CHECK(error_of("pause|node=101|for=0").find("outside 1..") != std::string::npos);
  CHECK(error_of("link|a=101|b=102|latency=9223372036854775807").find("latency") !=
        std::string::npos);
  CHECK(error_of("link|a=101|b=102|jitter=-5").find("jitter") != std::string::npos);
  CHECK(error_of("link|a=101|b=102").find("without latency") != std::string::npos);
  CHECK(error_of("link|a=101|b=102|loss=1.5").find("[0, 1]") != std::string::npos);
  CHECK(error_of("link|a=101|b=102|loss=nan").find("finite") != std::string::npos);
  CHECK(error_of("link|a=101|b=102|down=maybe").find("true or false") != std::string::npos);
  // Numbers whole, ids in range, lists not empty.
  CHECK(error_of("crash|node=-3").find("node id") != std::string::npos);
  CHECK(error_of("crash|node=99999999999").find("node id") != std::string::npos);
  CHECK(error_of("crash|node=12abc").find("node id") != std::string::npos);
  CHECK(error_of("crash|node=r:").find("empty role") != std::string::npos);
  CHECK(error_of("reassign|partition=orders-0|replicas=").find("empty list") != std::string::npos);
  CHECK(error_of("reassign|partition=orders-0|replicas=101,,102").find("node id") !=
        std::string::npos);
  CHECK(error_of("partition|groups=101;").find("empty list") != std::string::npos);
  CHECK(error_of("add_partitions|topic=orders|count=0").find("outside 1..") != std::string::npos);
  // Typed setting values hold their type.
  CHECK(error_of("set_config|key=min.insync.replicas|value=i:abc").find("whole number") !=
        std::string::npos);
  CHECK(error_of("set_config|key=x|value=i:").find("whole number") != std::string::npos);
  CHECK(error_of("set_config|key=x|value=b:yes").find("true or false") != std::string::npos);
  CHECK(error_of("set_config|key=x|value=d:1e999").find("finite") != std::string::npos);
  CHECK(error_of("set_config|key=x|value=2").find("without its type") != std::string::npos);
  // The line itself: fields once each, none unknown, escapes as encode() writes them.
  CHECK(error_of("crash|node=101|node=102").find("twice") != std::string::npos);
  CHECK(error_of("crash|node=101|colour=red").find("unknown field colour") != std::string::npos);
  CHECK(error_of("narrate|text=100%").find("'%'") != std::string::npos);
  CHECK(error_of("narrate|text=%ZZ").find("'%'") != std::string::npos);
  CHECK(record::decode("narrate|text=100%25").ok());
}

TEST_CASE("a damaged recording is refused before it runs, naming what is wrong", "[record]") {
  const std::string p = temp_path("tampered.db");
  record_builtin("demo", 1, 5_s, p);
  auto refused = [&](const char* change, const char* expected) {
    const std::string copy = temp_path("tampered-copy.db");
    fs::copy_file(p, copy);
    sql(copy, change);
    INFO(change);
    auto r = record::open_recording(copy);
    std::string error = r ? std::string() : r.error();
    if (r) {
      auto ran = record::replay(*r, record::replay_options(*r));
      REQUIRE(!ran);
      error = ran.error();
    }
    INFO(error);
    CHECK(error.find(expected) != std::string::npos);
  };
  refused("UPDATE summary SET trace_hash = 'not-hex'", "not a trace hash");
  refused("UPDATE summary SET trace_hash = '12'", "not a trace hash");
  refused("UPDATE summary SET events = -1", "column events is -1");
  refused("UPDATE scenario SET seed = 'abc'", "column seed holds \"abc\", not an integer");
  refused("UPDATE scenario SET seed = 1e300", "not an integer");
  refused("UPDATE scenario SET until_ns = 3153600000000000000", "column until_ns");
  refused("UPDATE scenario SET until_ns = 9223372036854775807", "column until_ns");
  refused("UPDATE trace SET at_ns = -5 WHERE seq = 1", "column at_ns is -5");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, -1, 'interactive', 'x', 'crash|node=1')",
      "column after_event is -1");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 0, 'somebody', 'x', 'crash|node=1')",
      "not \"scheduled\" or \"interactive\"");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 0, 'scheduled', 'x', 'pause|node=1|for=9223372036854775807')",
      "cannot read");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 0, 'scheduled', 'x', 'crash|node=99999')",
      "there is no node 99999");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 3, 'interactive', 'x', 'crash|node=99999')",
      "there is no node 99999");
  // Node 1 is running then: the studio would have refused to restart it, so never recorded it.
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 3, 'interactive', 'x', 'restart|node=1')",
      "cannot restart");
  refused(
      "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
      "VALUES (1000, 3, 'interactive', 'x', 'set_config|key=min.insync.replicas|value=i:abc')",
      "whole number");
  // The untouched file still replays.
  auto r = record::open_recording(p);
  if (!r) FAIL(r.error());
  CHECK(record::replay(*r, record::replay_options(*r)).ok());
}

TEST_CASE("recordings and exports never overwrite and leave nothing half-written", "[record]") {
  SECTION("a recording is created exclusively") {
    record::Header h;
    h.world = "demo";
    auto none = record::Recorder::create("", h);
    REQUIRE(!none);
    CHECK(none.error().find("no file name") != std::string::npos);
    const std::string p = temp_path("made-twice.db");
    {
      auto first = record::Recorder::create(p, h);
      REQUIRE(first.ok());
    }
    auto second = record::Recorder::create(p, h);
    REQUIRE(!second);
    CHECK(second.error().find("exists already") != std::string::npos);
    auto missing = record::Recorder::create(temp_path("no-such-dir") + "/x.db", h);
    REQUIRE(!missing);
    CHECK(missing.error().find("cannot create") != std::string::npos);
  }
  SECTION("export writes a new directory, refuses one with files, and cleans up a failure") {
    const std::string p = temp_path("export.db");
    record_builtin("demo", 1, 5_s, p);
    const fs::path dir = fs::temp_directory_path() / "kafkasim-record-test" / "export-out";
    fs::remove_all(dir);
    auto files = record::export_csv(p, dir.string());
    if (!files) FAIL(files.error());
    CHECK(files->size() == 13);
    CHECK(fs::exists(dir / "trace.csv"));
    // A second export into it would overwrite: refused, the files as they were.
    std::ofstream(dir / "trace.csv", std::ios::trunc) << "mine";
    auto again = record::export_csv(p, dir.string());
    REQUIRE(!again);
    CHECK(again.error().find("not empty") != std::string::npos);
    CHECK(read_file((dir / "trace.csv").string()) == "mine");
    // An empty directory is fine.
    fs::remove_all(dir);
    fs::create_directories(dir);
    CHECK(record::export_csv(p, dir.string()).ok());
    // A damaged recording leaves no directory and no staging files behind.
    const std::string bad = temp_path("export-bad.db");
    fs::copy_file(p, bad);
    sql(bad, "DROP VIEW group_events");
    const fs::path out2 = dir.parent_path() / "export-out2";
    fs::remove_all(out2);
    auto failed = record::export_csv(bad, out2.string());
    REQUIRE(!failed);
    CHECK(!fs::exists(out2));
    for (const auto& e : fs::directory_iterator(out2.parent_path()))
      CHECK(e.path().filename().string().rfind(".kafkasim-export-", 0) != 0);
  }
}

TEST_CASE("files that are not good recordings get a clear error, never a crash", "[record]") {
  const std::string file =
      std::string(KAFKASIM_SCENARIO_DIR) + "/01-topics-partitions-offsets.toml";
  SECTION("a missing file") {
    auto r = record::open_recording(temp_path("missing.db"));
    REQUIRE(!r);
    CHECK(r.error().find("no such file") != std::string::npos);
  }
  SECTION("a text file") {
    const std::string p = temp_path("notes.db");
    std::ofstream(p) << "these are my notes, not a database\n";
    auto r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("not a kafkasim recording (not an SQLite database)") != std::string::npos);
  }
  SECTION("another SQLite database") {
    const std::string p = temp_path("other.db");
    sql(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    auto r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("not a kafkasim recording (no meta table)") != std::string::npos);
  }
  SECTION("a newer and an older schema") {
    const std::string p = temp_path("future.db");
    record_run(file, p);
    sql(p, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    auto r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("schema version 99") != std::string::npos);
    CHECK(r.error().find("use a newer kafkasim") != std::string::npos);
    sql(p, "UPDATE meta SET value = '0' WHERE key = 'schema_version'");
    r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("re-record it") != std::string::npos);
  }
  SECTION("damaged bytes") {
    const std::string p = temp_path("damaged.db");
    record_run(file, p);
    std::string bytes = read_file(p);
    REQUIRE(bytes.size() > 8192);
    for (size_t i = 4096; i < bytes.size(); i += 97)
      bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
    auto r = record::open_recording(p);
    if (r) {
      // SQLite may still read what it needs; then the records it gives back must be whole.
      CHECK(!r->header.scenario_text.empty());
    } else {
      CHECK(!r.error().empty());
    }
  }
  SECTION("a run cut off while recording keeps what was committed") {
    const std::string p = temp_path("cut.db");
    auto s = scenario::load_scenario(file);
    REQUIRE(s.ok());
    const record::Header h = header_of(file, *s);
    {
      auto rec = record::Recorder::create(p, h);
      REQUIRE(rec.ok());
      rec->batch_events = 1000;
      scenario::RunOptions o;
      o.until = 20_s;
      o.on_built = [&](const world::World& w) { rec->start(w); };
      o.on_event = [&](const world::World& w) { rec->observe(w); };
      REQUIRE(scenario::run_scenario(*s, o).ok());
      // No finish(): the process died here.
    }
    auto r = record::open_recording(p);
    if (!r) FAIL(r.error());
    CHECK(!r->summary);
    CHECK(!r->trace.empty());
    CHECK(r->trace.back().at <= 20_s);
  }
  SECTION("a built-in world this kafkasim does not have, or a world and a scenario") {
    const std::string p = temp_path("unknown-world.db");
    record_builtin("demo", 1, 5_s, p);
    sql(p, "UPDATE meta SET value = 'orders-kraft' WHERE key = 'world'");
    auto r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error() == p +
                           " is a recording of the built-in world \"orders-kraft\" (made by "
                           "kafkasim " +
                           kafkasim::kVersion + "), which this kafkasim (" + kafkasim::kVersion +
                           ") does not have (built-in worlds: demo, orders, orders-zk)");
    sql(p, "UPDATE meta SET value = 'orders' WHERE key = 'world'");
    sql(p, "UPDATE scenario SET file = 'x.toml', text = '[scenario]'");
    r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("names the built-in world \"orders\" and holds a scenario file too "
                         "(x.toml)") != std::string::npos);
    sql(p, "DELETE FROM meta WHERE key = 'world'");
    sql(p, "UPDATE scenario SET file = '', text = ''");
    r = record::open_recording(p);
    REQUIRE(!r);
    CHECK(r.error().find("holds no scenario file and names no built-in world") !=
          std::string::npos);
    // A header built in memory is refused the same way when re-executed.
    record::Recording mem;
    mem.header.world = "ring";
    auto again = record::replay(mem, record::replay_options(mem));
    REQUIRE(!again);
    CHECK(again.error().find("built-in world \"ring\"") != std::string::npos);
    CHECK(!record::rebuild(mem));
    record::Header both;
    both.world = "orders";
    both.scenario_text = "[scenario]";
    auto rec = record::Recorder::create(temp_path("both.db"), both);
    REQUIRE(!rec);
    CHECK(rec.error().find("holds a scenario file too") != std::string::npos);
    record::Header ring;
    ring.world = "ring";
    rec = record::Recorder::create(temp_path("ring.db"), ring);
    REQUIRE(!rec);
    CHECK(rec.error().find("built-in world \"ring\"") != std::string::npos);
    CHECK(!fs::exists(temp_path("ring.db")));
  }
  SECTION("an existing file is never overwritten") {
    const std::string p = temp_path("keep.db");
    std::ofstream(p) << "precious";
    record::Header h;
    auto rec = record::Recorder::create(p, h);
    REQUIRE(!rec);
    CHECK(rec.error().find("exists already") != std::string::npos);
    CHECK(read_file(p) == "precious");
  }
}

TEST_CASE("the produced and consumed views give back every record with its offset", "[record]") {
  const std::string file = std::string(KAFKASIM_SCENARIO_DIR) + "/20-coordinator-failover.toml";
  const std::string out = temp_path("views.db");
  world::World w;
  record_run(file, out, {}, &w);
  int64_t produced = 0, acked = 0, consumed = 0, highest = -1;
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) {
      produced += static_cast<int64_t>(p->history().size());
      for (const kafka::SentRecord& r : p->history()) {
        acked += r.state == kafka::SentRecord::State::acked ? 1 : 0;
        if (r.partition == 0) highest = std::max(highest, r.offset);
      }
    } else if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) {
      consumed += static_cast<int64_t>(c->deliveries().size());
    }
  }
  CHECK(sql_number(out, "SELECT SUM(count) FROM produced") == produced);
  CHECK(sql_number(out, "SELECT SUM(count) FROM produced WHERE state = 'acked'") == acked);
  CHECK(sql_number(out, "SELECT SUM(count) FROM consumed") == consumed);
  CHECK(sql_number(out,
                   "SELECT MAX(first_offset + count - 1) FROM produced WHERE partition = 0 "
                   "AND state = 'acked'") == highest);
  CHECK(sql_number(out, "SELECT COUNT(*) FROM leader_changes") >= 1);
  CHECK(sql_number(out, "SELECT COUNT(*) FROM partition_metrics WHERE partition = 'orders-0'") >=
        60);
}

TEST_CASE("recording by re-executing proves the file as it writes it", "[record]") {
  record::Recording what;
  what.header.world = "demo";
  what.header.seed = 3;
  what.header.until = 5_s;
  auto first = record::replay(what, record::replay_options(what));
  if (!first) FAIL(first.error());
  const record::Summary reached{first->trace_hash, first->events, first->end};

  const std::string good = temp_path("by-replaying.db");
  auto ok = record::record_by_replaying(good, what, reached);
  if (!ok) FAIL(ok.error());
  auto rec = record::open_recording(good);
  if (!rec) FAIL(rec.error());
  REQUIRE(rec->summary);
  CHECK(rec->summary->trace_hash == reached.trace_hash);
  CHECK(rec->summary->events == reached.events);
  CHECK_FALSE(record::record_by_replaying(good, what, reached));  // never overwrites

  // A run that does not reach what it should have is not saved at all.
  const std::string bad = temp_path("by-replaying-bad.db");
  record::Summary wrong = reached;
  wrong.trace_hash ^= 1;
  auto refused = record::record_by_replaying(bad, what, wrong);
  REQUIRE_FALSE(refused);
  CHECK_THAT(refused.error(), Catch::Contains("determinism bug"));
  CHECK_FALSE(fs::exists(bad));
  CHECK_FALSE(fs::exists(bad + "-wal"));
}
