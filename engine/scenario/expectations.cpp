// [[expect]]: what must hold at a time or at the end. Each row of the format's table takes
// its own keys and compares one kind of value; both are checked here so `kafkasim check`
// only ever evaluates well-formed expectations.
#include <algorithm>
#include <set>

#include "kafka/common/errc.h"
#include "scenario/load_context.h"

namespace kafkasim::scenario::detail {

namespace {

enum Key : uint8_t {
  kPartition = 1,
  kNode = 2,
  kTopic = 4,
  kGroup = 8,
  kMember = 16,
  kClient = 32,
  kError = 64,
};
constexpr std::string_view kKeyNames[] = {"partition", "node",   "topic", "group",
                                          "member",    "client", "error"};

/// What a row compares.
enum class Kind : uint8_t {
  leader,      // a broker id, or -1 when offline
  controller,  // a controller id, or -1 when none
  count,       // >= 0
  offset,      // >= 0
  epoch,       // >= -1 (offsets and epochs Kafka reports as -1 when unknown)
  isr,         // a list of broker ids
  state,       // a group state name
  partitions,  // a list of partition names
};

/// One row of the format's table; its file name is check::what_name(what).
struct Row {
  What what;
  uint8_t required;
  uint8_t optional;
  Kind kind;
};

constexpr Row kRows[] = {
    {What::leader, kPartition, 0, Kind::leader},
    {What::isr, kPartition, 0, Kind::isr},
    {What::leader_epoch, kPartition, 0, Kind::epoch},
    {What::high_watermark, kPartition, kNode, Kind::offset},
    {What::log_end_offset, kPartition, kNode, Kind::offset},
    {What::controller, 0, 0, Kind::controller},
    {What::online_partitions, 0, kTopic, Kind::count},
    {What::offline_partitions, 0, kTopic, Kind::count},
    {What::acked_records_lost, 0, kTopic, Kind::count},
    {What::duplicates, 0, kTopic, Kind::count},
    {What::replica_divergence, 0, kTopic, Kind::count},
    {What::out_of_order, 0, kTopic, Kind::count},
    {What::consumed, 0, kGroup | kTopic | kClient, Kind::count},
    {What::committed_offset, kGroup | kPartition, 0, Kind::epoch},
    {What::lag, kGroup, kPartition, Kind::count},
    {What::group_state, kGroup, 0, Kind::state},
    {What::assignment, kGroup | kMember, 0, Kind::partitions},
    {What::produce_errors, 0, kClient | kError, Kind::count},
    {What::rebalances, kGroup, 0, Kind::count},
    {What::redelivered, kGroup, kTopic, Kind::count},
    {What::coordinator, kGroup, 0, Kind::leader},
};
static_assert(std::size(kRows) == kWhatCount, "one row per What");

constexpr std::string_view kGroupStates[] = {"Stable", "PreparingRebalance", "CompletingRebalance",
                                             "Empty", "Dead"};

struct ExpectReader {
  LoadContext& c;
  TableReader& tr;
  const Row& row;
  Expectation& e;

  std::optional<ExpectValue> value(const toml::node& n, const Path& p);
  std::optional<int64_t> node_value(const toml::node& n, const Path& p,
                                    const std::vector<int32_t>& ids, const char* noun);
  std::optional<ExpectValue> broker_list(const toml::node& n, const Path& p);
  std::optional<ExpectValue> partition_list(const toml::node& n, const Path& p);
  bool keys();
  bool key(Key bit, const toml::node& n, const Path& p);
  bool member(const toml::node& n);
};

std::optional<int64_t> ExpectReader::node_value(const toml::node& n, const Path& p,
                                                const std::vector<int32_t>& ids, const char* noun) {
  const std::string expected = std::string(noun) + " (" + LoadContext::id_list(ids) + ") or -1 (" +
                               (row.kind == Kind::leader ? "no leader" : "no active controller") +
                               ")";
  const auto* v = n.as_integer();
  if (v == nullptr) {
    c.r.error_at(n, p, expected);
    return std::nullopt;
  }
  const bool known = v->get() == -1 || std::find(ids.begin(), ids.end(), v->get()) != ids.end();
  if (!known && (c.cluster_ok || v->get() < -1 || v->get() >= world::kClientIdBase)) {
    c.r.error_at(n, p, expected);
    return std::nullopt;
  }
  return v->get();
}

/// An ISR: distinct broker ids, compared as a sorted list.
std::optional<ExpectValue> ExpectReader::broker_list(const toml::node& n, const Path& p) {
  const toml::array* a = n.as_array();
  if (a == nullptr) {
    c.r.error_at(n, p, "a list of broker ids, such as [101, 102]");
    return std::nullopt;
  }
  std::vector<int64_t> ids;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    auto id = c.node_id((*a)[i], p.index(i), true);
    if (!id) {
      ok = false;
    } else if (std::find(ids.begin(), ids.end(), *id) != ids.end()) {
      c.r.error_at((*a)[i], p.index(i), "distinct broker ids");
      ok = false;
    } else {
      ids.push_back(*id);
    }
  }
  if (!ok) return std::nullopt;
  std::sort(ids.begin(), ids.end());
  return ExpectValue(ids);
}

/// An assignment: distinct partitions, sorted by topic, then number.
std::optional<ExpectValue> ExpectReader::partition_list(const toml::node& n, const Path& p) {
  const toml::array* a = n.as_array();
  if (a == nullptr) {
    c.r.error_at(n, p, "a list of partitions, such as [\"orders-0\", \"orders-1\"]");
    return std::nullopt;
  }
  std::set<std::pair<std::string, int32_t>> tps;  // sorted by topic, then partition number
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    auto name = c.partition((*a)[i], p.index(i), e.at);
    if (!name) {
      ok = false;
      continue;
    }
    const std::pair<std::string, int32_t> tp = *world::split_partition_name(*name);
    if (!tps.insert(tp).second) {
      c.r.error_at((*a)[i], p.index(i), "distinct partitions");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& [topic, index] : tps)
    names.push_back(topic + "-" + std::to_string(index));
  return ExpectValue(names);
}

/// One compared value of the row's kind.
std::optional<ExpectValue> ExpectReader::value(const toml::node& n, const Path& p) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::optional<int64_t> number;
  switch (row.kind) {
    case Kind::leader:
      number = node_value(n, p, c.brokers, "a broker id");
      break;
    case Kind::controller:
      number = node_value(n, p, c.controllers, "a controller id");
      break;
    case Kind::count:
    case Kind::offset:
      number = read_int(c.r, n, p, 0, kMax, "a non-negative integer");
      break;
    case Kind::epoch:
      number = read_int(c.r, n, p, -1, kMax, "an integer, -1 or more");
      break;
    case Kind::state: {
      auto state = read_choice(c.r, n, p, {std::begin(kGroupStates), std::end(kGroupStates)},
                               "a group state (\"Stable\", \"PreparingRebalance\", "
                               "\"CompletingRebalance\", \"Empty\", \"Dead\")");
      if (!state) return std::nullopt;
      return ExpectValue(*state);
    }
    case Kind::isr:
      return broker_list(n, p);
    case Kind::partitions:
      return partition_list(n, p);
  }
  if (!number) return std::nullopt;
  return ExpectValue(*number);
}

/// Reads one key the row takes into the expectation.
bool ExpectReader::key(Key bit, const toml::node& n, const Path& p) {
  std::optional<std::string> v;
  switch (bit) {
    case kPartition:
      v = c.partition(n, p, e.at);
      e.partition = v.value_or("");
      break;
    case kNode:
      e.node = c.node_id(n, p, true);
      return e.node.has_value();
    case kTopic:
      v = c.topic(n, p);
      e.topic = v.value_or("");
      break;
    case kGroup: {
      const auto groups = keys_of(c.groups);
      v = read_choice(c.r, n, p, groups,
                      "a group of a [[consumer]] (" + name_list(groups, "none has a group") + ")");
      e.group = v.value_or("");
      break;
    }
    case kMember:
      return member(n);
    case kClient: {
      // produce_errors names a producer; consumed a consumer (a standalone one, or any
      // consumer while groups are not modelled).
      if (e.what == What::consumed) {
        const auto consumers = keys_of(c.consumers);
        v = read_choice(c.r, n, p, consumers,
                        "a consumer id (" + name_list(consumers, "none") + ")");
      } else {
        const auto producers = keys_of(c.producers);
        v = read_choice(c.r, n, p, producers,
                        "a producer id (" + name_list(producers, "none") + ")");
      }
      e.client = v.value_or("");
      break;
    }
    case kError: {
      static constexpr std::string_view kErrors[] = {
#define KAFKASIM_ERRC_NAME(name, code) #name,
          KAFKASIM_ERRORS(KAFKASIM_ERRC_NAME)
#undef KAFKASIM_ERRC_NAME
      };
      std::vector<std::string_view> names;
      for (std::string_view name : kErrors)
        if (name != "NONE") names.push_back(name);
      v = read_choice(c.r, n, p, names,
                      "a Kafka error name the simulator reports, such as \"NOT_ENOUGH_REPLICAS\"");
      e.error = v.value_or("");
      break;
    }
  }
  return v.has_value();
}

/// `member`: a consumer of the expectation's group (read after the group).
bool ExpectReader::member(const toml::node& n) {
  auto it = c.groups.find(e.group);
  if (it == c.groups.end()) return false;  // the group itself was reported
  const std::vector<std::string_view> members(it->second.begin(), it->second.end());
  auto v =
      read_choice(c.r, n, tr.at("member"), members,
                  "a consumer id of group " + e.group + " (" + name_list(members, "none") + ")");
  e.member = v.value_or("");
  return v.has_value();
}

/// The row's keys: required ones present, others absent, each value valid.
bool ExpectReader::keys() {
  std::string takes;
  for (size_t i = 0; i < std::size(kKeyNames); ++i) {
    const auto bit = static_cast<uint8_t>(1u << i);
    if ((row.required | row.optional) & bit)
      takes += (takes.empty() ? "" : ", ") + std::string(kKeyNames[i]) +
               (row.optional & bit ? " (optional)" : "");
  }
  bool ok = true;
  // Keys in kKeyNames order: group is read before member needs it.
  for (size_t i = 0; i < std::size(kKeyNames); ++i) {
    const auto bit = static_cast<uint8_t>(1u << i);
    const std::string name(kKeyNames[i]);
    const toml::node* n = tr.get(name);
    if (n == nullptr) {
      if (row.required & bit) {
        tr.require(name, "a " + name + " for what = \"" + std::string(what_name(row.what)) + "\"");
        ok = false;
      }
    } else if (!((row.required | row.optional) & bit)) {
      c.r.error_at(*n, tr.at(name),
                   "no " + name + " for what = \"" + std::string(what_name(row.what)) +
                       "\" (it takes " + (takes.empty() ? std::string("no keys") : takes) + ")");
      ok = false;
    } else {
      ok = key(static_cast<Key>(bit), *n, tr.at(name)) && ok;
    }
  }
  return ok;
}

/// The comparison: exactly one of equals, not, in, at_least, at_most.
bool read_comparison(ExpectReader& x) {
  struct Op {
    std::string_view key;
    Compare compare;
  };
  static constexpr Op kOps[] = {{"equals", Compare::equals},
                                {"not", Compare::not_equals},
                                {"in", Compare::in},
                                {"at_least", Compare::at_least},
                                {"at_most", Compare::at_most}};
  std::vector<const Op*> given;
  for (const Op& op : kOps)
    if (x.tr.has(op.key)) given.push_back(&op);
  if (given.empty()) {
    x.c.r.error(x.tr.pos(), x.tr.path(), "one comparison: equals, not, in, at_least or at_most",
                "none");
    return false;
  }
  if (given.size() > 1) {
    std::string names;
    for (const Op* op : given)
      names += (names.empty() ? "" : " and ") + std::string(op->key);
    const toml::node* second = x.tr.get(given[1]->key);
    x.c.r.error(pos_of(*second), x.tr.at(given[1]->key),
                "one comparison: equals, not, in, at_least or at_most", names,
                "split it into two [[expect]] blocks");
    return false;
  }
  const Op& op = *given[0];
  const toml::node& n = *x.tr.get(op.key);
  const Path p = x.tr.at(op.key);
  x.e.compare = op.compare;
  const bool numeric =
      x.row.kind == Kind::count || x.row.kind == Kind::offset || x.row.kind == Kind::epoch;
  if ((op.compare == Compare::at_least || op.compare == Compare::at_most) && !numeric) {
    x.c.r.error(pos_of(n), p,
                "equals, not or in for what = \"" + std::string(what_name(x.row.what)) +
                    "\" (at_least and at_most compare counts, offsets and epochs)",
                std::string(op.key));
    return false;
  }
  if (op.compare != Compare::in) {
    auto v = x.value(n, p);
    if (!v) return false;
    x.e.value = *v;
    return true;
  }
  const toml::array* a = n.as_array();
  if (a == nullptr || a->empty()) {
    x.c.r.error_at(n, p, "a non-empty list of the values it may be, such as [101, 102]");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    auto v = x.value((*a)[i], p.index(i));
    if (v) {
      x.e.any_of.push_back(*v);
    } else {
      ok = false;
    }
  }
  return ok;
}

void load_expectation(LoadContext& c, const toml::table& t, const Path& path) {
  TableReader tr(c.r, t, path);
  tr.allow({"at", "what", "partition", "node", "topic", "group", "member", "client", "error",
            "equals", "not", "in", "at_least", "at_most"});
  Expectation e;
  e.pos = tr.pos();
  bool ok = true;
  if (const toml::node* at = tr.get("at")) {
    const auto* s = at->as_string();
    if (s == nullptr || s->get() != "end") {
      auto time = read_duration(c.r, *at, tr.at("at"));
      ok = time && c.within_run(*at, tr.at("at"), *time);
      e.at = time;
    }
  }
  std::vector<std::string_view> names;
  for (const Row& row : kRows)
    names.push_back(what_name(row.what));
  if (!tr.require("what", "what to compare, such as \"leader\"")) return;
  auto what = tr.string("what");
  if (!what) return;
  const Row* row = nullptr;
  for (const Row& r : kRows)
    if (what_name(r.what) == *what) row = &r;
  if (row == nullptr) {
    const std::string near = nearest_name(*what, names);
    c.r.error_at(*tr.get("what"), tr.at("what"), "an expectation (see the format's table)",
                 near.empty() ? "" : "did you mean \"" + near + "\"?");
    return;
  }
  e.what = row->what;
  ExpectReader x{c, tr, *row, e};
  ok = x.keys() && ok;
  ok = read_comparison(x) && ok;
  if (ok) c.s.expectations.push_back(e);
}

}  // namespace

void load_expectations(LoadContext& c, const toml::node& node) {
  const toml::array* a = tables_of(c.r, node, "expect");
  if (a == nullptr) return;
  for (size_t i = 0; i < a->size(); ++i)
    load_expectation(c, *(*a)[i].as_table(), Path::element("expect", i));
}

}  // namespace kafkasim::scenario::detail

namespace kafkasim::scenario {

std::string_view compare_name(Compare c) {
  switch (c) {
    case Compare::equals:
      return "equals";
    case Compare::not_equals:
      return "not";
    case Compare::in:
      return "in";
    case Compare::at_least:
      return "at_least";
    case Compare::at_most:
      return "at_most";
  }
  return "?";
}

}  // namespace kafkasim::scenario
