#include "record/recording.h"

#include <sqlite3.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "kafka/client/consumer.h"
#include "kafka/client/producer.h"
#include "record/command_codec.h"
#include "scenario/loader.h"
#include "version.h"
#include "world/cluster.h"
#include "world/demo_worlds.h"
#include "world/limits.h"

namespace kafkasim::record {

using sim::Err;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE scenario(id INTEGER PRIMARY KEY CHECK (id = 1), file TEXT NOT NULL, text TEXT NOT NULL,
                      seed INTEGER NOT NULL, until_ns INTEGER, until_event INTEGER);
CREATE TABLE commands(seq INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, after_event INTEGER NOT NULL,
                      source TEXT NOT NULL, description TEXT NOT NULL, encoded TEXT NOT NULL);
CREATE TABLE applied(seq INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, event INTEGER NOT NULL,
                     description TEXT NOT NULL);
CREATE TABLE trace(seq INTEGER PRIMARY KEY, at_ns INTEGER NOT NULL, event INTEGER NOT NULL,
                   node INTEGER NOT NULL, kind TEXT NOT NULL, partition TEXT, reason TEXT NOT NULL);
CREATE TABLE produced_ranges(producer TEXT NOT NULL, grp TEXT, partition INTEGER NOT NULL,
                             second INTEGER NOT NULL, base_seq INTEGER NOT NULL,
                             base_offset INTEGER NOT NULL, ranges TEXT NOT NULL);
CREATE TABLE consumed_ranges(consumer TEXT NOT NULL, grp TEXT, partition INTEGER NOT NULL,
                             second INTEGER NOT NULL, base_seq INTEGER NOT NULL,
                             base_offset INTEGER NOT NULL, ranges TEXT NOT NULL);
CREATE VIEW produced AS
  SELECT p.producer, p.partition, p.base_seq + json_extract(r.value, '$[0]') AS first_seq,
         json_extract(r.value, '$[1]') AS count,
         p.base_offset + json_extract(r.value, '$[2]') AS first_offset,
         (p.second * 1000 + json_extract(r.value, '$[3]')) / 1e3 AS created_t,
         CASE json_extract(r.value, '$[4]') WHEN 1 THEN 'acked' WHEN 2 THEN 'failed'
                                            ELSE 'pending' END AS state,
         CASE WHEN json_extract(r.value, '$[5]') >= 0
              THEN (p.second * 1000 + json_extract(r.value, '$[3]') +
                    json_extract(r.value, '$[5]')) / 1e3 END AS acked_t,
         json_extract(r.value, '$[6]') AS error
  FROM produced_ranges p, json_each(p.ranges) r;
CREATE VIEW consumed AS
  SELECT c.consumer, c.grp, c.partition, c.base_offset + json_extract(r.value, '$[2]') AS first_offset,
         json_extract(r.value, '$[1]') AS count,
         (c.second * 1000 + json_extract(r.value, '$[3]')) / 1e3 AS t
  FROM consumed_ranges c, json_each(c.ranges) r;
CREATE TABLE partition_metrics(at_ns INTEGER NOT NULL, partition TEXT NOT NULL, leader INTEGER NOT NULL,
                               leader_epoch INTEGER NOT NULL, isr TEXT NOT NULL,
                               high_watermark INTEGER, log_end_offset INTEGER);
CREATE TABLE summary(id INTEGER PRIMARY KEY CHECK (id = 1), trace_hash TEXT NOT NULL,
                     events INTEGER NOT NULL, end_ns INTEGER NOT NULL);
CREATE VIEW leader_changes AS
  SELECT at_ns / 1e9 AS t, partition, node AS controller, reason FROM trace WHERE kind = 'leader_change';
CREATE VIEW isr_changes AS
  SELECT at_ns / 1e9 AS t, partition, node, reason FROM trace WHERE kind = 'isr_change';
CREATE VIEW faults AS
  SELECT at_ns / 1e9 AS t, node, kind, reason FROM trace
  WHERE kind IN ('node_crash', 'node_power_loss', 'node_restart', 'node_pause', 'link_cut', 'link_restore');
CREATE VIEW group_events AS
  SELECT at_ns / 1e9 AS t, node, kind, reason FROM trace
  WHERE kind IN ('group_state', 'group_member', 'group_load', 'group_assign', 'offset_commit');
)sql";

constexpr const char* kIndexes = R"sql(
CREATE INDEX IF NOT EXISTS trace_by_kind ON trace(kind, partition, at_ns);
CREATE INDEX IF NOT EXISTS trace_by_time ON trace(at_ns);
CREATE INDEX IF NOT EXISTS produced_by_partition ON produced_ranges(partition, second);
CREATE INDEX IF NOT EXISTS consumed_by_consumer ON consumed_ranges(consumer, partition, second);
CREATE INDEX IF NOT EXISTS metrics_by_partition ON partition_metrics(partition, at_ns);
)sql";

std::string sql_error(sqlite3* db, const std::string& what) {
  return what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "out of memory");
}

bool exec(sqlite3* db, const char* sql, std::string* error = nullptr) {
  char* msg = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK) return true;
  if (error != nullptr) *error = msg != nullptr ? msg : "unknown error";
  sqlite3_free(msg);
  return false;
}

/// A prepared statement, reset after each step.
struct Stmt {
  sqlite3_stmt* s = nullptr;
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : s(std::exchange(o.s, nullptr)) {}
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(s, o.s);
    return *this;
  }
  ~Stmt() { sqlite3_finalize(s); }
  Stmt& bind(int i, int64_t v) {
    sqlite3_bind_int64(s, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& null(int i) {
    sqlite3_bind_null(s, i);
    return *this;
  }
  bool run() {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc == SQLITE_DONE;
  }
};

/// "orders-0" when the reason starts with a partition name ("orders-0 leader 101 -> 102").
std::optional<std::string> partition_of(const std::string& reason) {
  const size_t space = reason.find(' ');
  const std::string first = reason.substr(0, space);
  const size_t dash = first.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == first.size()) return std::nullopt;
  for (size_t i = dash + 1; i < first.size(); ++i)
    if (first[i] < '0' || first[i] > '9') return std::nullopt;
  return first;
}
}  // namespace

// [SECTION] writing
// ---------------------------------------------------------------------------------------------

struct Recorder::Impl {
  sqlite3* db = nullptr;
  Stmt command, applied, trace, produced, consumed, metric;
  size_t commands_done = 0, trace_done = 0;
  std::vector<size_t> producer_done;  // per producer node: history entries written
  std::vector<size_t> consumer_done;  // per consumer node: deliveries written
  uint64_t events_at_commit = 0;
  sim::Time next_metrics;
  bool in_tx = false;

  ~Impl() {
    for (Stmt* s : {&command, &applied, &trace, &produced, &consumed, &metric})
      *s = Stmt();
    if (db != nullptr) sqlite3_close(db);
  }
  void begin() {
    if (!in_tx) exec(db, "BEGIN");
    in_tx = true;
  }
  void commit() {
    if (in_tx) exec(db, "COMMIT");
    in_tx = false;
  }

  /// A command made interactively: what re-execution applies after its event.
  void write_interactive(const world::StampedCommand& c) {
    command.bind(1, c.at.ns())
        .bind(2, static_cast<int64_t>(c.after_event))
        .bind(3, std::string("interactive"))
        .bind(4, world::describe(c.command))
        .bind(5, encode(c.command))
        .run();
  }
  void write_trace(const sim::TraceRecord& r) {
    trace.bind(1, r.at.ns())
        .bind(2, static_cast<int64_t>(r.event))
        .bind(3, int64_t{r.node})
        .bind(4, std::string(sim::trace_kind_name(r.kind)));
    if (auto p = partition_of(r.reason))
      trace.bind(5, *p);
    else
      trace.null(5);
    trace.bind(6, r.reason).run();
  }

  void take(const world::World& w, bool all) {
    begin();
    // Commands as they were applied (for people); those made interactively also for
    // re-execution (scheduled ones are in the scenario's timeline or Header::extra).
    const auto& log = w.command_log();
    for (; commands_done < log.size(); ++commands_done) {
      const world::StampedCommand& c = log[commands_done];
      const auto event = static_cast<int64_t>(w.sim().events_executed());
      applied.bind(1, c.at.ns()).bind(2, event).bind(3, world::describe(c.command)).run();
      if (!c.from_timeline) {
        write_interactive(c);
      }
    }
    // Trace records.
    const auto& recs = w.trace().records();
    for (; trace_done < recs.size(); ++trace_done)
      write_trace(recs[trace_done]);
    // Client records as ranges: consecutive records of one partition with consecutive offsets
    // and the same outcome are one row. A producer's records are written once they are decided
    // (acked or failed), in order; consumers' deliveries as they happen.
    size_t pi = 0, ci = 0;
    for (const world::World::Node& n : w.nodes()) {
      if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) {
        if (producer_done.size() <= pi) producer_done.push_back(0);
        write_produced(*p, pi, producer_done[pi], all);
        ++pi;
      } else if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) {
        if (consumer_done.size() <= ci) consumer_done.push_back(0);
        write_consumed(*c, ci, consumer_done[ci]);
        ++ci;
      }
    }
    // Partition metrics every simulated second.
    while (w.now() >= next_metrics) {
      write_metrics(w, next_metrics);
      next_metrics += sim::Time::from_s(1);
    }
  }

  /// Client records are written as ranges (consecutive offsets of one partition, one outcome),
  /// gathered per client, partition and simulated second into one row holding a JSON array:
  /// a few thousand rows for millions of records, expanded by the `produced` and `consumed`
  /// views with SQLite's json_each.
  struct Range {
    int64_t first_seq = 0, count = 0, first_offset = -1;
    int state = 0;
    std::string error;
    int64_t created_ms = 0, acked_ms = -1;
  };
  struct Chunk {
    int64_t second = -1;
    int64_t base_seq = 0, base_offset = 0;  // ranges hold numbers relative to these
    std::string json;                       // "[...],[...]" without the outer brackets
  };
  struct Open {
    std::optional<Range> range;
    Chunk chunk;
  };
  std::map<std::pair<std::string, int32_t>, Open> open_produced, open_consumed;

  void flush_chunk(Stmt& st, const std::string& client, const std::string& group, int32_t partition,
                   Chunk& c) {
    if (c.json.empty()) return;
    st.bind(1, client);
    if (!group.empty())
      st.bind(2, group);
    else
      st.null(2);
    st.bind(3, int64_t{partition})
        .bind(4, c.second)
        .bind(5, c.base_seq)
        .bind(6, c.base_offset)
        .bind(7, "[" + c.json + "]")
        .run();
    c.json.clear();
  }
  /// [seq, count, offset, ms] relative to the chunk's bases (offset null when none), and for
  /// producers [..., state (0 pending, 1 acked, 2 failed), ack delay in ms or -1, error?].
  static void json_range(std::string& out, const Range& r, const Chunk& c, bool produced) {
    char buf[160];
    char* p = buf;
    char* const end = buf + sizeof buf;
    // 160 bytes hold six 20-digit numbers and the punctuation; the limit leaves room for the
    // separators after each (and keeps GCC's -Wstringop-overflow from seeing a write past end).
    auto num = [&](int64_t v) { p = std::to_chars(p, end - 8, v).ptr; };
    *p++ = '[';
    num(r.first_seq - c.base_seq);
    *p++ = ',';
    num(r.count);
    *p++ = ',';
    if (r.first_offset >= 0) {
      num(r.first_offset - c.base_offset);
    } else {
      p = std::copy_n("null", 4, p);
    }
    *p++ = ',';
    num(r.created_ms - c.second * 1000);
    if (produced) {
      *p++ = ',';
      num(r.state);
      *p++ = ',';
      num(r.acked_ms >= 0 ? r.acked_ms - r.created_ms : -1);
    }
    out.append(buf, static_cast<size_t>(p - buf));
    if (produced && !r.error.empty()) out += ",\"" + r.error + "\"";
    out += ']';
  }
  void close_range(Stmt& st, const std::string& client, const std::string& group, int32_t partition,
                   Open& o, bool produced) {
    if (!o.range) return;
    const int64_t second = o.range->created_ms / 1000;
    if (o.chunk.second != second) {
      flush_chunk(st, client, group, partition, o.chunk);
      o.chunk.second = second;
      o.chunk.base_seq = o.range->first_seq;
      o.chunk.base_offset = std::max<int64_t>(o.range->first_offset, 0);
    }
    if (!o.chunk.json.empty()) o.chunk.json += ',';
    json_range(o.chunk.json, *o.range, o.chunk, produced);
    o.range.reset();
  }
  void flush_all() {
    for (auto* table : {&open_produced, &open_consumed}) {
      Stmt& st = table == &open_produced ? produced : consumed;
      for (auto& [key, o] : *table) {
        close_range(st, key.first, o.chunk.second < 0 ? "" : group_of[key.first], key.second, o,
                    table == &open_produced);
        flush_chunk(st, key.first, group_of[key.first], key.second, o.chunk);
      }
    }
  }
  std::map<std::string, std::string> group_of;  // consumer -> group

  /// Per client, its open ranges by partition (pointers into the maps, whose nodes stay put).
  std::vector<std::vector<Open*>> producer_slots, consumer_slots;
  static Open& slot(std::vector<Open*>& v, std::map<std::pair<std::string, int32_t>, Open>& table,
                    const std::string& client, int32_t partition) {
    const auto i = static_cast<size_t>(std::max(partition, 0));
    if (v.size() <= i) v.resize(i + 1, nullptr);
    if (v[i] == nullptr) v[i] = &table[{client, partition}];
    return *v[i];
  }

  void write_produced(const kafka::Producer& p, size_t index, size_t& done, bool all) {
    const auto& h = p.history();
    const std::string& client = p.config().client_id;
    if (producer_slots.size() <= index) producer_slots.resize(index + 1);
    std::vector<Open*>& slots = producer_slots[index];
    size_t i = done;
    for (; i < h.size(); ++i) {
      const kafka::SentRecord& r = h[i];
      if (r.state == kafka::SentRecord::State::pending && !all) break;
      Open& o = slot(slots, open_produced, client, r.partition);
      const int state = static_cast<int>(r.state);
      const std::string_view error =
          r.error == kafka::Errc::NONE ? std::string_view() : kafka::errc_name(r.error);
      const bool continues = o.range && o.range->state == state && o.range->error == error &&
                             r.offset >= 0 && r.offset == o.range->first_offset + o.range->count &&
                             static_cast<int64_t>(i) == o.range->first_seq + o.range->count;
      if (continues) {
        ++o.range->count;
        continue;
      }
      close_range(produced, client, "", r.partition, o, true);
      Range nr;
      nr.first_seq = static_cast<int64_t>(i);
      nr.count = 1;
      nr.first_offset = r.offset;
      nr.state = state;
      nr.error = std::string(error);
      nr.created_ms = r.created.ns() / 1000000;
      nr.acked_ms = r.state == kafka::SentRecord::State::acked ? r.acked.ns() / 1000000 : -1;
      o.range = nr;
    }
    done = i;
  }

  void write_consumed(const kafka::Consumer& c, size_t index, size_t& done) {
    const auto& d = c.deliveries();
    const std::string& client = c.config().client_id;
    if (consumer_slots.size() <= index) consumer_slots.resize(index + 1);
    std::vector<Open*>& slots = consumer_slots[index];
    group_of[client] = c.config().group.group_id;
    size_t i = done;
    for (auto it = d.begin() + static_cast<std::ptrdiff_t>(i); it != d.end(); ++it, ++i) {
      const kafka::Delivery x = *it;
      Open& o = slot(slots, open_consumed, client, x.partition);
      if (o.range && x.offset == o.range->first_offset + o.range->count) {
        ++o.range->count;
        continue;
      }
      close_range(consumed, client, c.config().group.group_id, x.partition, o, false);
      Range nr;
      nr.first_seq = static_cast<int64_t>(i);
      nr.count = 1;
      nr.first_offset = x.offset;
      nr.created_ms = x.at.ns() / 1000000;
      o.range = nr;
    }
    done = i;
  }

  void write_metrics(const world::World& w, sim::Time at) {
    const kafka::MetadataImage* img = world::cluster_image(w);
    if (img == nullptr) return;
    for (const kafka::TopicImage& t : img->topics()) {
      for (size_t p = 0; p < t.partitions.size(); ++p) {
        const kafka::PartitionRegistration& reg = t.partitions[p];
        const std::string name = t.name + "-" + std::to_string(p);
        metric.bind(1, at.ns())
            .bind(2, name)
            .bind(3, int64_t{reg.leader})
            .bind(4, int64_t{reg.leader_epoch})
            .bind(5, kafka::to_string(reg.isr));
        const kafka::PartitionLog* log = nullptr;
        if (const int li = w.index_of(reg.leader); li >= 0) {
          const world::World::Node& n = w.node(static_cast<net::NodeIndex>(li));
          const kafka::ReplicaManager* rm = nullptr;
          if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) rm = k->replicas();
          if (const auto* z = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) rm = &z->replicas();
          if (rm != nullptr)
            if (const auto* hp =
                    rm->partition(kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)}))
              log = &hp->log;
        }
        if (log != nullptr)
          metric.bind(6, log->high_watermark()).bind(7, log->log_end_offset());
        else
          metric.null(6).null(7);
        metric.run();
      }
    }
  }
};

Recorder::Recorder(Recorder&&) noexcept = default;
Recorder& Recorder::operator=(Recorder&&) noexcept = default;
Recorder::~Recorder() {
  if (impl_) impl_->commit();
}

namespace {
/// A recording holds a scenario file, or names a built-in world this kafkasim has (not both).
sim::Result<sim::Ok, std::string> check_world(const Header& h) {
  if (h.world.empty() && h.scenario_text.empty())
    return Err{" is damaged: it holds no scenario file and names no built-in world"};
  if (h.world.empty()) return sim::Ok{};
  const auto names = world::builtin_world_names();
  if (std::find(names.begin(), names.end(), h.world) == names.end())
    return Err{" is a recording of the built-in world \"" + h.world + "\" (made by kafkasim " +
               h.engine_version + "), which this kafkasim (" + kVersion +
               ") does not have (built-in worlds: " + world::builtin_world_list() + ")"};
  if (!h.scenario_text.empty())
    return Err{" is damaged: it names the built-in world \"" + h.world +
               "\" and holds a scenario file too (" + h.scenario_file + ")"};
  return sim::Ok{};
}

}  // namespace

sim::Result<Recorder, std::string> Recorder::create(const std::string& path, Header header) {
  header.engine_version = kVersion;
  if (!header.world.empty()) {  // one that would not open is refused before it is written
    if (auto ok = check_world(header); !ok) return Err{"cannot record: " + path + ok.error()};
  }
  if (path.empty()) return Err{std::string("cannot record: no file name given")};
  // Created exclusively ("x": O_CREAT | O_EXCL), so a file made by anyone between a check and
  // the create is never taken over; SQLite then opens the empty file as a new database.
  std::FILE* fresh = std::fopen(path.c_str(), "wx");
  if (fresh == nullptr) {
    const int why = errno;
    std::error_code ec;
    if (why == EEXIST || std::filesystem::exists(path, ec))
      return Err{path + " exists already: a recording never overwrites a file"};
    return Err{"cannot create " + path + ": " + std::strerror(why)};
  }
  std::fclose(fresh);
  auto made = create_schema(path, header);
  if (!made) {
    for (const char* suffix : {"", "-wal", "-shm"}) {  // the file this call made, not a user's
      std::error_code ec;
      std::filesystem::remove(path + suffix, ec);
    }
  }
  return made;
}

sim::Result<Recorder, std::string> Recorder::create_schema(const std::string& path,
                                                           const Header& header) {
  Recorder r;
  r.impl_ = std::make_unique<Impl>();
  Impl& x = *r.impl_;
  if (sqlite3_open_v2(path.c_str(), &x.db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
    return Err{sql_error(x.db, "cannot create " + path)};
  std::string error;
  if (!exec(x.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", &error) ||
      !exec(x.db, "BEGIN", &error) || !exec(x.db, kSchema, &error))
    return Err{"cannot write the schema to " + path + ": " + error};
  {
    Stmt meta(x.db, "INSERT INTO meta(key, value) VALUES (?, ?)");
    meta.bind(1, std::string("format")).bind(2, std::string("kafkasim recording")).run();
    meta.bind(1, std::string("schema_version")).bind(2, std::to_string(kSchemaVersion)).run();
    meta.bind(1, std::string("engine_version")).bind(2, header.engine_version).run();
    // Optional (schema version 1 without it is a scenario file's recording).
    if (!header.world.empty()) meta.bind(1, std::string("world")).bind(2, header.world).run();
    Stmt sc(x.db,
            "INSERT INTO scenario(id, file, text, seed, until_ns, until_event) "
            "VALUES (1, ?, ?, ?, ?, ?)");
    sc.bind(1, header.scenario_file)
        .bind(2, header.scenario_text)
        .bind(3, static_cast<int64_t>(header.seed));
    if (header.until)
      sc.bind(4, header.until->ns());
    else
      sc.null(4);
    if (header.until_event)
      sc.bind(5, static_cast<int64_t>(*header.until_event));
    else
      sc.null(5);
    if (!sc.run()) return Err{sql_error(x.db, "cannot write to " + path)};
    Stmt cmd(x.db,
             "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
             "VALUES (?, 0, 'scheduled', ?, ?)");
    for (const world::StampedCommand& c : header.extra)
      cmd.bind(1, c.at.ns()).bind(2, world::describe(c.command)).bind(3, encode(c.command)).run();
  }
  if (!exec(x.db, "COMMIT", &error)) return Err{"cannot write to " + path + ": " + error};
  x.command = Stmt(x.db,
                   "INSERT INTO commands(at_ns, after_event, source, description, encoded) "
                   "VALUES (?, ?, ?, ?, ?)");
  x.applied = Stmt(x.db, "INSERT INTO applied(at_ns, event, description) VALUES (?, ?, ?)");
  x.trace = Stmt(x.db,
                 "INSERT INTO trace(at_ns, event, node, kind, partition, reason) "
                 "VALUES (?, ?, ?, ?, ?, ?)");
  x.produced = Stmt(x.db,
                    "INSERT INTO produced_ranges(producer, grp, partition, second, base_seq, "
                    "base_offset, ranges) VALUES (?, ?, ?, ?, ?, ?, ?)");
  x.consumed = Stmt(x.db,
                    "INSERT INTO consumed_ranges(consumer, grp, partition, second, base_seq, "
                    "base_offset, ranges) VALUES (?, ?, ?, ?, ?, ?, ?)");
  x.metric = Stmt(x.db,
                  "INSERT INTO partition_metrics(at_ns, partition, leader, leader_epoch, isr, "
                  "high_watermark, log_end_offset) VALUES (?, ?, ?, ?, ?, ?, ?)");
  return r;
}

void Recorder::start(const world::World& w) {
  impl_->commands_done = w.command_log().size();
}

void Recorder::observe(const world::World& w) {
  Impl& x = *impl_;
  if (w.sim().events_executed() - x.events_at_commit < batch_events && w.now() < x.next_metrics)
    return;
  x.take(w, false);
  if (w.sim().events_executed() - x.events_at_commit >= batch_events) {
    x.commit();
    x.events_at_commit = w.sim().events_executed();
  }
}

sim::Result<sim::Ok, std::string> Recorder::finish(const world::World& w, const Summary& s) {
  Impl& x = *impl_;
  x.take(w, true);
  x.flush_all();
  Stmt sum(x.db, "INSERT INTO summary(id, trace_hash, events, end_ns) VALUES (1, ?, ?, ?)");
  sum.bind(1, sim::hash_hex(s.trace_hash))
      .bind(2, static_cast<int64_t>(s.events))
      .bind(3, s.end.ns());
  if (!sum.run()) return Err{sql_error(x.db, "cannot write the summary")};
  x.commit();
  std::string error;
  if (!exec(x.db, kIndexes, &error)) return Err{"cannot index the recording: " + error};
  // Finished: back to one file (the WAL checkpointed and removed), so that readers, which open
  // it read-only, leave no -wal/-shm files beside it. Busy when someone is reading it already:
  // then it stays in WAL mode, complete all the same.
  exec(x.db, "PRAGMA journal_mode=DELETE", &error);
  return sim::Ok{};
}

// [SECTION] reading
// ---------------------------------------------------------------------------------------------

namespace {
struct Db {
  sqlite3* db = nullptr;
  ~Db() {
    if (db != nullptr) sqlite3_close(db);
  }
};

const char* text(sqlite3_stmt* s, int col) {
  const unsigned char* t = sqlite3_column_text(s, col);
  return t != nullptr ? reinterpret_cast<const char*>(t) : "";
}

std::optional<sim::TraceKind> kind_from_name(const std::string& name) {
  for (int k = 0; k < 256; ++k) {
    const auto kind = static_cast<sim::TraceKind>(k);
    if (sim::trace_kind_name(kind) == name && name != "unknown") return kind;
  }
  return std::nullopt;
}

/// Opens `path` read-only and checks it is a recording of this schema.
sim::Result<sim::Ok, std::string> open_checked(const std::string& path, Db& d) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status))
    return Err{path + " is a directory, not a recording (a .db file kafkasim wrote)"};
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    return Err{path + " is not a recording: not a regular file"};
  if (!std::filesystem::is_regular_file(status)) return Err{path + ": no such file"};
  {
    std::ifstream f(path, std::ios::binary);
    char magic[16] = {};
    f.read(magic, 16);
    if (std::string(magic, 15) != "SQLite format 3")
      return Err{path + " is not a kafkasim recording (not an SQLite database)"};
  }
  if (sqlite3_open_v2(path.c_str(), &d.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    return Err{sql_error(d.db, "cannot open " + path)};
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(d.db, "SELECT key, value FROM meta", -1, &s, nullptr) != SQLITE_OK) {
    const std::string why = sqlite3_errmsg(d.db);
    return Err{
        path + " is not a kafkasim recording (" +
        (why.find("no such table") != std::string::npos ? "no meta table" : "damaged: " + why) +
        ")"};
  }
  std::string format, version, engine;
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    const std::string k = text(s, 0), v = text(s, 1);
    if (k == "format") format = v;
    if (k == "schema_version") version = v;
    if (k == "engine_version") engine = v;
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Err{path + " is damaged: " + sqlite3_errmsg(d.db)};
  if (format != "kafkasim recording") return Err{path + " is not a kafkasim recording"};
  if (version != std::to_string(kSchemaVersion)) {
    const bool newer = std::atoi(version.c_str()) > kSchemaVersion;
    return Err{path + " has recording schema version " + version + " (made by kafkasim " + engine +
               "); this kafkasim (" + kVersion + ") reads version " +
               std::to_string(kSchemaVersion) +
               (newer ? ": use a newer kafkasim" : ": re-record it with this one")};
  }
  return sim::Ok{};
}
}  // namespace

namespace {

/// Reads the columns of one row as the loader reads a scenario file's values: each of the type
/// the schema gives it and within its range, or the first problem as an error naming the table,
/// the row and the column (a damaged or hand-edited recording is input like any other).
struct RowReader {
  sqlite3_stmt* s;
  const char* table;
  int64_t row;
  std::string error;

  void fail(int col, const std::string& what) {
    if (error.empty())
      error = std::string("row ") + std::to_string(row) + " of table " + table + ": column " +
              sqlite3_column_name(s, col) + " " + what;
  }
  bool null(int col) const { return sqlite3_column_type(s, col) == SQLITE_NULL; }
  /// An INTEGER in [min, max].
  int64_t integer(int col, int64_t min, int64_t max) {
    if (sqlite3_column_type(s, col) != SQLITE_INTEGER) {
      fail(col, std::string("holds ") +
                    (null(col) ? "NULL" : "\"" + std::string(text(s, col)) + "\"") +
                    ", not an integer");
      return min;
    }
    const int64_t v = sqlite3_column_int64(s, col);
    if (v < min || v > max) {
      fail(col, "is " + std::to_string(v) + ", outside " + std::to_string(min) + ".." +
                    std::to_string(max));
      return min;
    }
    return v;
  }
  /// A simulated time of the run: 0 to world::kRunDurationMax nanoseconds.
  sim::Time sim_time(int col) {
    return sim::Time::from_ns(integer(col, 0, world::kRunDurationMax.ns()));
  }
  /// A count of events: not negative.
  uint64_t count(int col) {
    return static_cast<uint64_t>(integer(col, 0, std::numeric_limits<int64_t>::max()));
  }
  std::string string(int col) {
    if (sqlite3_column_type(s, col) != SQLITE_TEXT) fail(col, "is not text");
    return text(s, col);
  }
};

/// A trace hash as hash_hex writes it: 16 lowercase hexadecimal digits.
std::optional<uint64_t> parse_hash(const std::string& h) {
  if (h.size() != 16) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(h.data(), h.data() + h.size(), v, 16);
  if (ec != std::errc() || p != h.data() + h.size() || sim::hash_hex(v) != h) return std::nullopt;
  return v;
}

/// Runs `sql` on `db` and hands each row of `table` to `row` (a RowReader) until one fails;
/// the first problem, SQLite's or a column's, as "PATH is damaged: ...".
template <typename Row>
sim::Result<sim::Ok, std::string> query_rows(const std::string& path, sqlite3* db,
                                             const char* table, const char* sql, Row&& row) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
    return Err{path + " is damaged: " + sqlite3_errmsg(db)};
  int rc = SQLITE_DONE;
  RowReader rr{s, table, 0, {}};
  while (rr.error.empty() && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    ++rr.row;
    row(rr);
  }
  sqlite3_finalize(s);
  if (!rr.error.empty()) return Err{path + " is damaged: " + rr.error};
  if (rc != SQLITE_DONE) return Err{path + " is damaged: " + sqlite3_errmsg(db)};
  return sim::Ok{};
}

/// The commands table: each line decoded and its fields checked (command_codec), its time
/// within the run, its source known, and those made interactively in the order they were made.
sim::Result<sim::Ok, std::string> read_commands(const std::string& path, sqlite3* db,
                                                Recording& r) {
  const char* sql = "SELECT at_ns, after_event, source, encoded FROM commands ORDER BY seq";
  return query_rows(path, db, "commands", sql, [&](RowReader& x) {
    RecordedCommand c;
    c.command.at = x.sim_time(0);
    c.after_event = x.count(1);
    const std::string source = x.string(2);
    if (source != "interactive" && source != "scheduled")
      x.fail(2, "is \"" + source + "\", not \"scheduled\" or \"interactive\"");
    c.interactive = source == "interactive";
    c.command.from_timeline = !c.interactive;
    c.command.after_event = c.after_event;
    auto decoded = decode(x.string(3));
    if (!decoded) {
      x.fail(3, "holds a command it cannot read: " + decoded.error());
    } else {
      c.command.command = std::move(*decoded);
    }
    if (x.error.empty() && c.interactive) {
      for (auto it = r.commands.rbegin(); it != r.commands.rend(); ++it) {
        if (!it->interactive) continue;
        if (it->after_event > c.after_event || it->command.at > c.command.at)
          x.fail(0, "goes back: a command made interactively after another comes first");
        break;
      }
    }
    if (x.error.empty()) r.commands.push_back(std::move(c));
  });
}

}  // namespace

sim::Result<Recording, std::string> open_recording(const std::string& path) {
  Db d;
  if (auto ok = open_checked(path, d); !ok) return Err{ok.error()};
  Recording r;
  r.path = path;
  auto query = [&](const char* table, const char* sql, auto&& row) {
    return query_rows(path, d.db, table, sql, row);
  };
  int scenarios = 0;
  if (auto ok = query("scenario", "SELECT file, text, seed, until_ns, until_event FROM scenario",
                      [&](RowReader& x) {
                        r.header.scenario_file = x.string(0);
                        r.header.scenario_text = x.string(1);
                        // Seeds past 2^63 are stored as negative integers (two's complement).
                        r.header.seed =
                            static_cast<uint64_t>(x.integer(2, std::numeric_limits<int64_t>::min(),
                                                            std::numeric_limits<int64_t>::max()));
                        if (!x.null(3)) {
                          r.header.until = x.sim_time(3);
                          if (x.error.empty() && *r.header.until == sim::Time::zero())
                            x.fail(3, "is 0: a run that stops before it starts");
                        }
                        if (!x.null(4)) r.header.until_event = x.count(4);
                        ++scenarios;
                      });
      !ok)
    return Err{ok.error()};
  if (scenarios == 0) return Err{path + " holds no scenario (the recording was cut off early)"};
  if (scenarios > 1)
    return Err{path + " is damaged: it holds " + std::to_string(scenarios) + " scenarios"};
  if (auto ok =
          query("meta", "SELECT key, value FROM meta WHERE key IN ('engine_version', 'world')",
                [&](RowReader& x) {
                  (x.string(0) == "world" ? r.header.world : r.header.engine_version) = x.string(1);
                });
      !ok)
    return Err{ok.error()};
  if (auto ok = check_world(r.header); !ok) return Err{path + ok.error()};
  if (auto ok = read_commands(path, d.db, r); !ok) return Err{ok.error()};
  if (auto ok = query("trace", "SELECT at_ns, event, node, kind, reason FROM trace ORDER BY seq",
                      [&](RowReader& x) {
                        sim::TraceRecord t;
                        t.at = x.sim_time(0);
                        t.event = x.count(1);
                        t.node =
                            static_cast<int32_t>(x.integer(2, std::numeric_limits<int32_t>::min(),
                                                           std::numeric_limits<int32_t>::max()));
                        const std::string kind_name = x.string(3);
                        auto kind = kind_from_name(kind_name);
                        if (!kind) x.fail(3, "names an unknown trace kind \"" + kind_name + "\"");
                        t.kind = kind.value_or(sim::TraceKind::note);
                        t.reason = x.string(4);
                        r.trace.push_back(std::move(t));
                      });
      !ok)
    return Err{ok.error()};
  int summaries = 0;
  if (auto ok = query("summary", "SELECT trace_hash, events, end_ns FROM summary",
                      [&](RowReader& x) {
                        Summary sum;
                        const std::string hash = x.string(0);
                        auto h = parse_hash(hash);
                        if (!h) x.fail(0, "is \"" + hash + "\", not a trace hash (16 hex digits)");
                        sum.trace_hash = h.value_or(0);
                        sum.events = x.count(1);
                        sum.end = x.sim_time(2);
                        r.summary = sum;
                        ++summaries;
                      });
      !ok)
    return Err{ok.error()};
  if (summaries > 1)
    return Err{path + " is damaged: it holds " + std::to_string(summaries) + " summaries"};
  return r;
}

scenario::RunOptions replay_options(const Recording& r) {
  scenario::RunOptions o;
  o.seed = r.header.seed;
  o.until = r.header.until;
  o.until_event = r.header.until_event;
  o.expectations = false;
  for (const RecordedCommand& c : r.commands)
    (c.interactive ? o.interactive : o.extra).push_back(c.command);
  return o;
}

namespace {

/// The built-in world `r` recorded, for `seed`.
sim::Result<world::BuiltinWorld, std::string> recorded_world(const Recording& r, uint64_t seed) {
  if (auto ok = check_world(r.header); !ok) return Err{"the recording" + ok.error()};
  return world::make_builtin_world(r.header.world, seed);
}

/// The scenario `r` recorded, parsed again from its text. Its errors name the copy in the
/// recording, not the file it was recorded from (which may have changed since, or be gone).
sim::Result<scenario::Scenario, std::string> recorded_scenario(const Recording& r) {
  const std::string name = (r.path.empty() ? std::string("the recording") : r.path) +
                           " (its copy of " + r.header.scenario_file + ")";
  auto s = scenario::parse_scenario(r.header.scenario_text, name);
  if (!s)
    return Err{scenario::format_diagnostics(s.error()) + name +
               ": the recorded scenario does not load in this kafkasim (" + kVersion + ")"};
  return std::move(*s);
}

/// "run.db is damaged: " (or "the recording is damaged: " for one made in memory).
std::string damaged(const Recording& r) {
  return (r.path.empty() ? std::string("the recording") : r.path) + " is damaged: ";
}

/// Every recorded command is one `w` could take: its nodes exist and its values are in range.
/// (Commands made interactively are also checked when they come due: see RunResult::refused.)
sim::Result<sim::Ok, std::string> check_commands(const Recording& r, const world::World& w) {
  for (size_t i = 0; i < r.commands.size(); ++i) {
    const world::StampedCommand& c = r.commands[i].command;
    if (auto ok = w.check(c.command); !ok)
      return Err{damaged(r) + "its command " + std::to_string(i + 1) + " (\"" +
                 world::describe(c.command) + "\" at " + sim::to_string(c.at) + "): " + ok.error()};
  }
  return sim::Ok{};
}

}  // namespace

sim::Result<Rebuilt, std::string> rebuild(const Recording& r) {
  if (!r.header.world.empty()) {
    auto b = recorded_world(r, r.header.seed);
    if (!b) return Err{b.error()};
    if (auto ok = check_commands(r, b->world); !ok) return Err{ok.error()};
    return Rebuilt{std::move(b->world), b->duration, std::nullopt};
  }
  auto s = recorded_scenario(r);
  if (!s) return Err{s.error()};
  auto w = scenario::build_world(*s, r.header.seed);
  if (!w) return Err{r.header.scenario_file + ": " + w.error()};
  if (auto ok = check_commands(r, *w); !ok) return Err{ok.error()};
  return Rebuilt{std::move(*w), s->duration, std::move(*s)};
}

sim::Result<scenario::RunResult, std::string> replay(const Recording& r,
                                                     const scenario::RunOptions& o,
                                                     world::World* world_out) {
  if (auto ok = rebuild(r); !ok) return Err{ok.error()};  // the commands checked first
  sim::Result<scenario::RunResult, std::string> result = Err{std::string()};
  if (!r.header.world.empty()) {
    auto b = recorded_world(r, o.seed.value_or(r.header.seed));
    if (!b) return Err{b.error()};
    result = scenario::run_world(std::move(b->world), b->duration, o, world_out);
  } else {
    auto s = recorded_scenario(r);
    if (!s) return Err{s.error()};
    result = scenario::run_scenario(*s, o, world_out);
  }
  if (result && result->refused) return Err{damaged(r) + "its command " + *result->refused};
  return result;
}

sim::Result<sim::Ok, std::string> record_by_replaying(const std::string& path,
                                                      const Recording& what,
                                                      const Summary& expected) {
  auto created = Recorder::create(path, what.header);  // refuses a file that exists
  if (!created) return Err{created.error()};
  std::optional<Recorder> rec(std::move(*created));
  auto written = [&]() -> sim::Result<sim::Ok, std::string> {
    scenario::RunOptions o = replay_options(what);
    o.on_built = [&](const world::World& w) { rec->start(w); };
    o.on_event = [&](const world::World& w) { rec->observe(w); };
    world::World done;
    auto r = replay(what, o, &done);
    if (!r) return Err{r.error()};
    if (r->trace_hash != expected.trace_hash || r->events != expected.events) {
      return Err{"re-executing the run reached trace hash " + sim::hash_hex(r->trace_hash) +
                 " after " + std::to_string(r->events) + " events, not " +
                 sim::hash_hex(expected.trace_hash) + " after " + std::to_string(expected.events) +
                 " (a determinism bug: please report it)"};
    }
    return rec->finish(done, Summary{r->trace_hash, r->events, r->end});
  }();
  // The file this call created and could not complete is not left behind.
  if (!written) {
    rec.reset();  // closes the database first
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ec;
      std::filesystem::remove(path + suffix, ec);
    }
  }
  return written;
}

namespace {

/// Writes `table` of `db` as RFC 4180 CSV to `file`.
sim::Result<sim::Ok, std::string> write_csv(sqlite3* db, const std::string& path, const char* table,
                                            const std::string& file) {
  sqlite3_stmt* s = nullptr;
  const std::string sql = std::string("SELECT * FROM ") + table;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    return Err{path + " is damaged: " + sqlite3_errmsg(db)};
  std::ofstream out(file, std::ios::binary);
  if (!out) {
    sqlite3_finalize(s);
    return Err{"cannot write " + file + ": " + std::strerror(errno)};
  }
  auto field = [&](const char* v) {
    const std::string f = v;
    if (f.find_first_of(",\"\n\r") == std::string::npos) {
      out << f;
      return;
    }
    out << '"';
    for (char c : f)
      out << (c == '"' ? "\"\"" : std::string(1, c));
    out << '"';
  };
  const int cols = sqlite3_column_count(s);
  for (int c = 0; c < cols; ++c) {
    if (c) out << ',';
    field(sqlite3_column_name(s, c));
  }
  out << "\r\n";
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    for (int c = 0; c < cols; ++c) {
      if (c) out << ',';
      field(text(s, c));
    }
    out << "\r\n";
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return Err{path + " is damaged: " + sqlite3_errmsg(db)};
  out.flush();
  if (!out) return Err{"cannot write " + file + " (disk full?)"};
  return sim::Ok{};
}

}  // namespace

sim::Result<std::vector<std::string>, std::string> export_csv(const std::string& path,
                                                              const std::string& dir) {
  namespace fs = std::filesystem;
  Db d;
  if (auto ok = open_checked(path, d); !ok) return Err{ok.error()};
  if (dir.empty()) return Err{std::string("--csv needs a directory to create")};
  // Nothing the user has is overwritten: DIR is new (or an empty directory). The files are
  // written in a fresh directory beside it and moved into place whole, so a failed export
  // leaves nothing behind.
  std::error_code ec;
  const fs::path target = fs::path(dir).lexically_normal();
  if (fs::exists(fs::symlink_status(target, ec))) {
    if (!fs::is_directory(fs::symlink_status(target, ec)))
      return Err{dir + " exists and is not a directory: export writes into a new directory"};
    if (!fs::is_empty(target, ec))
      return Err{dir +
                 " is not empty: export writes into a new (or empty) directory, so "
                 "nothing already there is overwritten"};
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  std::string staging = (parent / (".kafkasim-export-XXXXXX")).string();
  if (::mkdtemp(staging.data()) == nullptr)
    return Err{"cannot create a directory in " + parent.string() + ": " + std::strerror(errno)};
  // mkdtemp makes it private (0700); the export is an ordinary directory (0755).
  fs::permissions(staging,
                  fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                      fs::perms::others_read | fs::perms::others_exec,
                  ec);
  std::vector<std::string> written;
  auto made = [&]() -> sim::Result<sim::Ok, std::string> {
    for (const char* table : {"meta", "scenario", "commands", "applied", "trace", "produced",
                              "consumed", "partition_metrics", "leader_changes", "isr_changes",
                              "faults", "group_events", "summary"}) {
      const std::string name = std::string(table) + ".csv";
      if (auto ok = write_csv(d.db, path, table, (fs::path(staging) / name).string()); !ok)
        return ok;
      written.push_back((target / name).string());
    }
    // rename(2) moves the directory into place at once; it may replace only an empty one.
    if (std::rename(staging.c_str(), target.c_str()) != 0)
      return Err{"cannot create " + dir + ": " + std::strerror(errno)};
    return sim::Ok{};
  }();
  if (!made) {
    fs::remove_all(staging, ec);
    return Err{made.error()};
  }
  return written;
}

}  // namespace kafkasim::record
