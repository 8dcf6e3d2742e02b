// The scenario loader: the format's own example loads into the cluster it describes, every
// kind of bad input gets a diagnostic naming file:line:col, the key path, what was expected and
// what was found (with the nearest name where one is near), every error of a file is reported,
// and no input, however broken, makes the loader throw or crash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kafka/client/producer.h"
#include "scenario/kafka_settings.h"
#include "scenario/loader.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
using scenario::Diagnostic;

namespace {

// [helpers]
// ---------------------------------------------------------------------------------------------
/// The example of ../shared/SCENARIO_FORMAT.md, verbatim.
const std::string kFormatExample = R"toml([scenario]
name = "Leader failover"                  # required
description = "What this scenario shows." # shown in the GUI lesson panel
seed = 42                                 # optional; --seed overrides; default 1
duration = "60s"                          # simulated time to run headless; required

[cluster]
mode = "kraft"                 # "kraft" (default) or "zookeeper"
brokers = [101, 102, 103]      # broker node ids
controllers = [1, 2, 3]        # KRaft quorum voters. An id also in brokers = combined
                               # broker+controller node. Default: [1, 2, 3] dedicated.
zookeeper = [1, 2, 3]          # zookeeper mode only: ensemble node ids
racks = { 101 = "a", 102 = "b", 103 = "c" }   # optional broker.rack

[cluster.config]               # broker/controller settings, Kafka names, applied to all
"replica.lag.time.max.ms" = 30000
"unclean.leader.election.enable" = false
"broker.session.timeout.ms" = 9000

[network]
latency = "1ms"                # one-way base latency between any two nodes
jitter = "200us"               # uniform extra delay, drawn from the seeded RNG
loss = 0.0                     # probability that a message is dropped (0..1)
[[network.link]]               # per-link override, optional, symmetric
between = [101, 103]
latency = "40ms"

[[topic]]
name = "orders"
partitions = 2
replication_factor = 2
assignment = [[101, 102], [102, 103]]  # optional explicit replicas per partition;
                                       # first = preferred leader
[topic.config]
"min.insync.replicas" = 1
"retention.ms" = 604800000

[[producer]]
id = "checkout"                # client id, unique among clients
topic = "orders"
rate = 200                     # records per simulated second (steady); or
# records = 1000               # a fixed count, sent as fast as the producer allows
key = "order-{seq % 100}"      # key template ({seq} = per-producer sequence); "" = null key
value = "{\"amount\": {seq}}"  # value template
start = "0s"                   # optional start/stop times
stop = "50s"
[producer.config]
"acks" = "all"
"enable.idempotence" = true
"linger.ms" = 5

[[consumer]]
id = "billing-1"
group = "billing"              # omit for a standalone consumer with manual assignment:
topics = ["orders"]            # then `partitions = ["orders-0"]` picks what it assign()s
                               # (default: every partition of its topics)
start = "2s"
[consumer.config]
"auto.offset.reset" = "earliest"
"enable.auto.commit" = true
"partition.assignment.strategy" = "range"

# The timeline: faults, operator actions, narration. Ordered by time.
[[at]]
time = "10s"
action = "crash"               # see the action table below
node = 101

[[at]]
time = "10s"
narrate = "Broker 101 led orders-0. Watch who takes over, and what the ISR does."
pause = true                   # the GUI pauses here in lesson mode; headless ignores it

[[at]]
time = "30s"
action = "restart"
node = 101

# Expectations: what must hold. `kafkasim check` evaluates them; the GUI shows them.
[[expect]]
at = "20s"                     # a time, or "end" (default)
what = "leader"                # see the expectation table below
partition = "orders-0"
not = 101

[[expect]]
what = "acked_records_lost"
equals = 0
)toml";

/// A small valid scenario that tests extend.
const std::string kBase = R"toml([scenario]
name = "base"
duration = "60s"

[cluster]
brokers = [101, 102, 103]

[[topic]]
name = "orders"
partitions = 2
replication_factor = 2
)toml";

scenario::Scenario load_ok(const std::string& text) {
  auto r = scenario::parse_scenario(text, "t.toml");
  if (!r) FAIL(scenario::format_diagnostics(r.error()));
  return *r;
}

std::vector<Diagnostic> errors_of(const std::string& text) {
  auto r = scenario::parse_scenario(text, "t.toml");
  if (r) FAIL("expected the scenario to be refused:\n" << text);
  return r.error();
}

/// The one diagnostic of a file with exactly one problem, as printed.
std::string one_error(const std::string& text) {
  const auto errors = errors_of(text);
  INFO(scenario::format_diagnostics(errors));
  REQUIRE(errors.size() == 1);
  return errors[0].str();
}

/// "t.toml:L:C:" for the `nth` occurrence of `needle` in `text`.
std::string at(const std::string& text, const std::string& needle, int nth = 1) {
  size_t pos = std::string::npos;
  for (int i = 0; i < nth; ++i) {
    pos = text.find(needle, pos == std::string::npos ? 0 : pos + 1);
    REQUIRE(pos != std::string::npos);
  }
  const size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n');
  const size_t start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
  const size_t column = start == std::string::npos || pos == 0 ? pos + 1 : pos - start;
  return "t.toml:" + std::to_string(line) + ":" + std::to_string(column) + ":";
}

/// "t.toml:L:C:" for the last occurrence of `needle`.
std::string at_last(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return at(text, needle, n);
}

}  // namespace

// [the example]
// ---------------------------------------------------------------------------------------------
TEST_CASE("the format's example loads into the cluster, clients, timeline and checks it describes",
          "[unit][scenario]") {
  const scenario::Scenario s = load_ok(kFormatExample);
  CHECK(s.name == "Leader failover");
  CHECK(s.description == "What this scenario shows.");
  CHECK(s.seed == 42);
  CHECK(s.duration == 60_s);

  const world::ClusterSpec& spec = s.spec;
  CHECK(spec.seed == 42);
  CHECK(spec.mode == world::ClusterSpec::Mode::kraft);
  CHECK(spec.brokers == std::vector<int32_t>{101, 102, 103});
  CHECK(spec.controllers == std::vector<int32_t>{1, 2, 3});
  CHECK(spec.racks == std::map<int32_t, std::string>{{101, "a"}, {102, "b"}, {103, "c"}});
  CHECK(spec.config.replica_lag_time_max_ms == 30000);
  CHECK(spec.config.unclean_leader_election_enable == false);
  CHECK(spec.config.broker_session_timeout_ms == 9000);
  CHECK(spec.link.latency == 1_ms);
  CHECK(spec.link.jitter == 200_us);
  CHECK(spec.link.loss == 0.0);
  REQUIRE(s.links.size() == 1);
  CHECK(s.links[0].link.a == 101);
  CHECK(s.links[0].link.b == 103);
  CHECK(s.links[0].link.latency == std::optional<sim::Time>(40_ms));
  CHECK_FALSE(s.links[0].link.jitter.has_value());

  REQUIRE(spec.topics.size() == 1);
  const kafka::TopicSpec& orders = spec.topics[0];
  CHECK(orders.name == "orders");
  CHECK(orders.partitions == 2);
  CHECK(orders.replication_factor == 2);
  CHECK(orders.assignment == std::vector<std::vector<int32_t>>{{101, 102}, {102, 103}});
  CHECK(orders.min_insync_replicas == std::optional<int64_t>(1));
  REQUIRE(spec.topic_overrides.count("orders"));
  CHECK(spec.topic_overrides.at("orders").min_insync_replicas == std::optional<int64_t>(1));
  CHECK(spec.topic_overrides.at("orders").log.retention_ms == 604800000);

  REQUIRE(spec.producers.size() == 1);
  const kafka::ProducerConfig& p = spec.producers[0];
  CHECK(p.client_id == "checkout");
  CHECK(p.topic == "orders");
  CHECK(p.rate == 200);
  CHECK(p.records == -1);
  CHECK(p.key == "order-{seq % 100}");
  CHECK(p.value == "{\"amount\": {seq}}");
  CHECK(kafka::RecordTemplate(p.key).expand(142) == "order-42");
  CHECK(p.start == 0_s);
  CHECK(p.stop == 50_s);
  CHECK(p.acks == -1);
  CHECK(p.enable_idempotence);
  CHECK(p.linger_ms == 5);

  // The consumer is in a group: it runs, its group settings in its config.
  REQUIRE(spec.consumers.size() == 1);
  CHECK(spec.consumers[0].group.group_id == "billing");
  REQUIRE(s.consumers.size() == 1);
  const scenario::ConsumerInfo& c = s.consumers[0];
  CHECK(c.config.client_id == "billing-1");
  CHECK(c.group == "billing");
  CHECK(c.config.topics == std::vector<std::string>{"orders"});
  CHECK(c.config.start == 2_s);
  CHECK(c.config.auto_offset_reset == "earliest");
  CHECK(c.group_settings.enable_auto_commit);
  CHECK(c.group_settings.partition_assignment_strategy == std::vector<std::string>{"range"});

  REQUIRE(s.timeline.size() == 3);
  CHECK(s.timeline[0].time == 10_s);
  CHECK(s.timeline[0].action == "crash");
  const auto* crash = std::get_if<world::Command>(&s.timeline[0].what);
  REQUIRE(crash != nullptr);
  REQUIRE(std::holds_alternative<world::Crash>(*crash));
  CHECK(std::get<world::Crash>(*crash).node.id == 101);
  CHECK(s.timeline[0].pos.line == 64);
  CHECK(s.timeline[1].time == 10_s);
  CHECK(std::holds_alternative<std::monostate>(s.timeline[1].what));
  CHECK(s.timeline[1].narrate.rfind("Broker 101 led orders-0.", 0) == 0);
  CHECK(s.timeline[1].pause);
  CHECK(s.timeline[2].time == 30_s);
  CHECK(s.timeline[2].action == "restart");

  REQUIRE(s.expectations.size() == 2);
  const scenario::Expectation& leader = s.expectations[0];
  CHECK(leader.at == std::optional<sim::Time>(20_s));
  CHECK(leader.what == scenario::What::leader);
  CHECK(leader.partition == "orders-0");
  CHECK(leader.compare == scenario::Compare::not_equals);
  CHECK(leader.value == scenario::ExpectValue(int64_t{101}));
  CHECK(leader.pos == scenario::SourcePos{80, 1});
  const scenario::Expectation& lost = s.expectations[1];
  CHECK_FALSE(lost.at.has_value());
  CHECK(lost.what == scenario::What::acked_records_lost);
  CHECK(lost.compare == scenario::Compare::equals);
  CHECK(lost.value == scenario::ExpectValue(int64_t{0}));
  CHECK(scenario::what_name(lost.what) == "acked_records_lost");
  CHECK(scenario::compare_name(leader.compare) == "not");

  // What it built runs: the cluster elects leaders and the producer's records are acked.
  REQUIRE(world::check_spec(spec).ok());
  world::World w = world::make_cluster(spec);
  w.run_until(5_s);
  const int32_t leader0 = world::partition_leader(w, "orders-0");
  CHECK((leader0 == 101 || leader0 == 102));
  const auto* producer = w.impl_as<kafka::Producer>(world::kClientIdBase);
  REQUIRE(producer != nullptr);
  CHECK(producer->acked() > 0);
}

TEST_CASE("a diagnostic reads file:line:col: where: expected ..., found ...; hint",
          "[unit][scenario]") {
  Diagnostic d;
  d.file = "orders.toml";
  d.line = 12;
  d.column = 3;
  d.where = "[[producer]] #1 config \"acks\"";
  d.expected = "one of 0, 1, \"all\", -1";
  d.found = "\"most\"";
  CHECK(d.str() ==
        "orders.toml:12:3: [[producer]] #1 config \"acks\": expected one of 0, 1, \"all\", -1, "
        "found \"most\"");
  d.hint = "did you mean \"all\"?";
  const std::string with_hint = d.str();
  CHECK(with_hint.substr(with_hint.size() - 21) == "; did you mean \"all\"?");
  CHECK(scenario::edit_distance("replicaton_factor", "replication_factor") == 1);
  CHECK(scenario::nearest_name("partitons", {"name", "partitions", "config"}) == "partitions");
  CHECK(scenario::nearest_name("foo", {"seed", "name"}).empty());
}

// [syntax, keys, types]
// ---------------------------------------------------------------------------------------------
TEST_CASE("malformed TOML gives toml++'s error with its position, as one diagnostic",
          "[unit][scenario]") {
  const auto errors = errors_of("[scenario]\nname = \"x\nduration = \"5s\"\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file == "t.toml");
  CHECK(errors[0].line == 2);
  CHECK(errors[0].expected == "valid TOML");
  CHECK_FALSE(errors[0].found.empty());
  CHECK(errors[0].str().rfind("t.toml:2:", 0) == 0);

  const auto dup = errors_of("[scenario]\nname = \"x\"\nname = \"y\"\n");
  REQUIRE(dup.size() == 1);
  CHECK(dup[0].line == 3);
}

TEST_CASE("unknown keys are refused in every table, with the nearest known name",
          "[unit][scenario]") {
  std::string text = kBase + "replicaton_factor = 2\n";
  CHECK(one_error(text) ==
        at(text, "replicaton_factor") +
            " [[topic]] #1 replicaton_factor: expected a key of [[topic]] (name, partitions, "
            "replication_factor, assignment, config), found \"replicaton_factor\"; did you mean "
            "\"replication_factor\"?");
  CHECK(errors_of(text)[0].key_path == "topic[0].replicaton_factor");

  text = kBase + "[[producers]]\nid = \"p\"\n";
  CHECK(one_error(text) == at(text, "producers") +
                               " producers: expected a key of the top level (scenario, cluster, "
                               "network, topic, producer, consumer, at, expect), found "
                               "\"producers\"; did you mean \"producer\"?");

  text = kBase + "[network]\nlatancy = \"1ms\"\n";
  CHECK(one_error(text).find("[network] latancy: expected a key of [network] (latency, jitter, "
                             "loss, link), found \"latancy\"; did you mean \"latency\"?") !=
        std::string::npos);

  text = kBase + "[[expect]]\nwhat = \"controller\"\nequal = 1\n";
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 2);  // the unknown key, and then no comparison at all
  CHECK(errors[1].str() == at(text, "equal") +
                               " [[expect]] #1 equal: expected a key of [[expect]] (at, what, "
                               "partition, node, topic, group, member, client, error, equals, "
                               "not, in, at_least, at_most), found \"equal\"; did you mean "
                               "\"equals\"?");
}

TEST_CASE("values of the wrong type name the key, what was expected and what was found",
          "[unit][scenario]") {
  std::string text = kBase;
  text.replace(text.find("partitions = 2"), 14, "partitions = \"2\"");
  CHECK(one_error(text) == at(text, "\"2\"") +
                               " [[topic]] #1 partitions: expected an integer from 1 to 10000, "
                               "found \"2\"");
  text = kBase;
  text.replace(text.find("brokers = [101, 102, 103]"), 25, "brokers = 101");
  CHECK(one_error(text) ==
        at(text, "101") +
            " [cluster] brokers: expected a non-empty array of node ids, such as [101, 102, 103], "
            "found 101");
  text = kBase + "[[producer]]\nid = \"p\"\ntopic = \"orders\"\nrate = \"fast\"\n";
  CHECK(one_error(text) == at(text, "\"fast\"") +
                               " [[producer]] #1 rate: expected a number from 0.001 to 1000000, "
                               "found \"fast\"");
  text = kBase + "[[topic]]\nname = \"payments\"\n[topic.config]\n\"retention.ms\" = { a = 1 }\n";
  CHECK(one_error(text) == at(text, "{ a") +
                               " [[topic]] #2 config \"retention.ms\": expected a Kafka setting "
                               "value: a string, an integer, a number, true or false, or an array "
                               "of strings, found a table");
  // [topic] instead of [[topic]]
  text = "[scenario]\nname = \"x\"\nduration = \"1s\"\n[topic]\nname = \"orders\"\n";
  CHECK(one_error(text) ==
        "t.toml:4:1: topic: expected [[topic]] blocks (an array of tables), "
        "found a table; write [[topic]] with double brackets");
}

TEST_CASE("missing required keys are reported at their table", "[unit][scenario]") {
  CHECK(one_error("[cluster]\nbrokers = [1]\n") ==
        "t.toml:1:1: [scenario]: expected a [scenario] table with name and duration, found none");
  const auto errors = errors_of("[scenario]\ndescription = \"no name, no duration\"\n");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].str() ==
        "t.toml:1:1: [scenario] name: expected a name such as \"Leader failover\" (required), "
        "found no name key");
  CHECK(errors[1].str() ==
        "t.toml:1:1: [scenario] duration: expected a duration such as \"60s\" (required), found "
        "no duration key");
  std::string text = kBase + "[[topic]]\npartitions = 1\n";
  CHECK(one_error(text) == at(text, "[[topic]]", 2) +
                               " [[topic]] #2 name: expected a topic name such as \"orders\" "
                               "(required), found no name key");
}

// [durations]
// ---------------------------------------------------------------------------------------------
TEST_CASE(
    "durations are strings with a unit; bare numbers, unit-less and negative ones are "
    "refused",
    "[unit][scenario]") {
  const std::string allowed =
      "expected a duration with a unit, such as \"250us\", \"5ms\", \"1.5s\" or \"2m\" (units: "
      "ns, us, ms, s, m, h)";
  auto with_duration = [](const std::string& d) {
    return "[scenario]\nname = \"d\"\nduration = " + d + "\n";
  };
  CHECK(one_error(with_duration("60")) ==
        "t.toml:3:12: [scenario] duration: " + allowed + ", found 60");
  CHECK(one_error(with_duration("\"60\"")) ==
        "t.toml:3:12: [scenario] duration: " + allowed + ", found \"60\"");
  CHECK(one_error(with_duration("\"60 s\"")) ==
        "t.toml:3:12: [scenario] duration: " + allowed + ", found \"60 s\"");
  CHECK(one_error(with_duration("\"5weeks\"")) ==
        "t.toml:3:12: [scenario] duration: " + allowed + ", found \"5weeks\"");
  CHECK(one_error(with_duration("\"-5s\"")) ==
        "t.toml:3:12: [scenario] duration: expected a duration that is not negative, found "
        "\"-5s\"");
  CHECK(one_error(with_duration("\"0s\"")) ==
        "t.toml:3:12: [scenario] duration: expected a duration above zero, found \"0s\"");
  struct Case {
    const char* text;
    sim::Time t;
  };
  for (const Case& c : {Case{"\"250us\"", 250_us}, Case{"\"5ms\"", 5_ms}, Case{"\"1.5s\"", 1.5_s},
                        Case{"\"2m\"", 120_s}, Case{"\"700ns\"", 700_ns}, Case{"\"1h\"", 3600_s}}) {
    INFO(c.text);
    CHECK(load_ok(with_duration(c.text)).duration == c.t);
  }
  const std::string text = kBase + "[network]\njitter = 200\n";
  CHECK(one_error(text) == at(text, "200") + " [network] jitter: " + allowed + ", found 200");
}

// [Kafka settings]
// ---------------------------------------------------------------------------------------------
TEST_CASE("Kafka settings are applied by Kafka's names, with their types checked",
          "[unit][scenario]") {
  const std::string text = kBase + R"toml([cluster.config]
"min.insync.replicas" = 2
"unclean.leader.election.enable" = true
"log.segment.bytes" = 4096
"log.retention.ms" = 1000
"log.retention.hours" = 5
"log.cleanup.policy" = ["compact", "delete"]
"sim.os.dirty.expire.ms" = 100
"sim.net.disconnect.timeout.ms" = 2500
[topic.config]
"retention.bytes" = 1000000
"cleanup.policy" = "compact"
"min.cleanable.dirty.ratio" = 0.25
"flush.messages" = 1
"unclean.leader.election.enable" = false
[[producer]]
id = "p"
topic = "orders"
records = 10
[producer.config]
"acks" = "1"
"linger.ms" = 0
"batch.size" = 100
"partitioner.ignore.keys" = true
[[consumer]]
id = "c"
topics = ["orders"]
[consumer.config]
"auto.offset.reset" = "earliest"
"fetch.max.wait.ms" = 100
"enable.auto.commit" = false
)toml";
  const scenario::Scenario s = load_ok(text);
  CHECK(s.spec.config.min_insync_replicas == 2);
  CHECK(s.spec.config.unclean_leader_election_enable);
  CHECK(s.spec.default_log.segment_bytes == 4096);
  CHECK(s.spec.default_log.retention_ms == 1000);  // log.retention.ms wins over .hours
  CHECK(s.spec.default_log.cleanup_compact);
  CHECK(s.spec.default_log.cleanup_delete);
  CHECK(s.spec.default_log.os_dirty_expire_ms == 100);
  CHECK(s.spec.disconnect_timeout == 2500_ms);
  const kafka::TopicOverrides& o = s.spec.topic_overrides.at("orders");
  CHECK(o.log.segment_bytes == 4096);  // the topic starts from the brokers' log settings
  CHECK(o.log.retention_bytes == 1000000);
  CHECK(o.log.cleanup_compact);
  CHECK_FALSE(o.log.cleanup_delete);
  CHECK(o.log.min_cleanable_dirty_ratio == 0.25);
  CHECK(o.log.flush_messages == 1);
  CHECK(s.spec.topics[0].unclean_leader_election_enable == std::optional<bool>(false));
  const kafka::ProducerConfig& p = s.spec.producers[0];
  CHECK(p.acks == 1);
  CHECK_FALSE(p.enable_idempotence);  // as Kafka: acks=1 turns default idempotence off
  CHECK(p.linger_ms == 0);
  CHECK(p.batch_size == 100);
  CHECK(p.partitioner_ignore_keys);
  CHECK(p.records == 10);
  REQUIRE(s.spec.consumers.size() == 1);  // standalone: it runs
  CHECK(s.spec.consumers[0].auto_offset_reset == "earliest");
  CHECK(s.spec.consumers[0].fetch_max_wait_ms == 100);
  CHECK(s.spec.consumers[0].topics == std::vector<std::string>{"orders"});
  CHECK(s.spec.consumers[0].partitions.empty());
  CHECK(load_ok(kBase + "[cluster.config]\n\"log.retention.hours\" = 2\n")
            .spec.default_log.retention_ms == 7200000);
}

TEST_CASE("a wrong value of a Kafka setting says which values it takes", "[unit][scenario]") {
  std::string text = kBase +
                     "[[producer]]\nid = \"checkout\"\ntopic = \"orders\"\nrate = 1\n"
                     "[producer.config]\n\"acks\" = \"most\"\n";
  const std::string acks = one_error(text);
  CHECK(acks == at(text, "\"most\"") +
                    " [[producer]] #1 config \"acks\": expected one of 0, 1, \"all\", -1, found "
                    "\"most\"");
  CHECK(errors_of(text)[0].key_path == "producer[0].config.\"acks\"");
  text = kBase +
         "[[producer]]\nid = \"p\"\ntopic = \"orders\"\nrate = 1\n"
         "[producer.config]\n\"enable.idempotence\" = 1\n";
  CHECK(one_error(text) == at_last(text, "1\n") +
                               " [[producer]] #1 config \"enable.idempotence\": expected true or "
                               "false, found 1");
  text = kBase + "[cluster.config]\n\"replica.lag.time.max.ms\" = \"30s\"\n";
  CHECK(one_error(text) == at(text, "\"30s\"") +
                               " [cluster.config] \"replica.lag.time.max.ms\": expected an "
                               "integer from 1 to 100000000000, found \"30s\"");
  text = kBase + "[topic.config]\n\"cleanup.policy\" = \"shred\"\n";
  CHECK(one_error(text) == at(text, "\"shred\"") +
                               " [[topic]] #1 config \"cleanup.policy\": expected \"delete\", "
                               "\"compact\" or both (\"compact,delete\"), found \"shred\"");
}

TEST_CASE("an unknown setting name is refused with the nearest known one", "[unit][scenario]") {
  std::string text = kBase + "[cluster.config]\n\"min.insync.replica\" = 2\n";
  CHECK(one_error(text) == at(text, "\"min.insync.replica\"") +
                               " [cluster.config] \"min.insync.replica\": expected a broker "
                               "setting the simulator models, found \"min.insync.replica\", an "
                               "unknown setting; did you mean \"min.insync.replicas\"?");
  text = kBase +
         "[[producer]]\nid = \"p\"\ntopic = \"orders\"\nrate = 1\n"
         "[producer.config]\n\"linger.msec\" = 5\n";
  CHECK(one_error(text).find("found \"linger.msec\", an unknown setting; did you mean "
                             "\"linger.ms\"?") != std::string::npos);
  text = kBase + "[cluster.config]\n\"sim.os.dirty.expiry.ms\" = 5\n";
  CHECK(one_error(text).find("found \"sim.os.dirty.expiry.ms\", an unknown simulator setting; "
                             "did you mean \"sim.os.dirty.expire.ms\"?") != std::string::npos);
}

TEST_CASE("a real Kafka setting the simulator does not model is refused, never ignored",
          "[unit][scenario]") {
  struct Case {
    const char* table;
    const char* setting;
    const char* scope;
  };
  for (const Case& c : {Case{"[cluster.config]", "num.io.threads", "broker"},
                        Case{"[cluster.config]", "ssl.keystore.location", "broker"},
                        Case{"[topic.config]", "compression.type", "topic"},
                        Case{"[topic.config]", "max.message.bytes", "topic"},
                        Case{"[producer.config]", "max.request.size", "producer"},
                        Case{"[producer.config]", "transactional.id", "producer"},
                        Case{"[consumer.config]", "isolation.level", "consumer"},
                        Case{"[consumer.config]", "exclude.internal.topics", "consumer"}}) {
    INFO(c.setting);
    std::string text = kBase;
    if (std::string(c.table) == "[producer.config]")
      text += "[[producer]]\nid = \"p\"\ntopic = \"orders\"\nrate = 1\n";
    if (std::string(c.table) == "[consumer.config]")
      text += "[[consumer]]\nid = \"c\"\ntopics = [\"orders\"]\n";
    text += std::string(c.table) + "\n\"" + c.setting + "\" = \"x\"\n";
    const std::string e = one_error(text);
    CHECK(e.find(at(text, std::string("\"") + c.setting)) == 0);
    CHECK(e.find(std::string("expected a ") + c.scope + " setting the simulator models, found \"" +
                 c.setting + "\", a Kafka setting the simulator does not model") !=
          std::string::npos);
    CHECK(scenario::is_kafka_setting(
        c.scope == std::string("broker")     ? scenario::SettingScope::broker
        : c.scope == std::string("topic")    ? scenario::SettingScope::topic
        : c.scope == std::string("producer") ? scenario::SettingScope::producer
                                             : scenario::SettingScope::consumer,
        c.setting));
  }
}

TEST_CASE("a setting in the wrong table says where it belongs", "[unit][scenario]") {
  std::string text = kBase + "[cluster.config]\n\"linger.ms\" = 5\n";
  CHECK(one_error(text).find("[cluster.config] \"linger.ms\": expected a broker setting the "
                             "simulator models, found \"linger.ms\", a producer setting; put it "
                             "in [producer.config]") != std::string::npos);
  text = kBase + "[topic.config]\n\"log.retention.ms\" = 5\n";
  CHECK(one_error(text).find("found \"log.retention.ms\", the brokers' name for it; topics call "
                             "it \"retention.ms\"") != std::string::npos);
  text = kBase + "[cluster.config]\n\"retention.ms\" = 5\n";
  CHECK(one_error(text).find("found \"retention.ms\", a topic setting; the brokers' default is "
                             "\"log.retention.ms\"; for one topic put it in [topic.config]") !=
        std::string::npos);
  text = kBase + "[cluster.config]\n\"broker.rack\" = \"a\"\n";
  CHECK(one_error(text).find("which the scenario sets with a key of its own; use racks = { 101 = "
                             "\"a\", ... } in [cluster]") != std::string::npos);
  text = kBase + "[cluster.config]\n\"zookeeper.session.timeout.ms\" = 6000\n";
  CHECK(one_error(text).find("expected a setting of a KRaft cluster, found "
                             "\"zookeeper.session.timeout.ms\", a ZooKeeper-mode setting") !=
        std::string::npos);
  text = kBase +
         "[[consumer]]\nid = \"c\"\ntopics = [\"orders\"]\n[consumer.config]\n"
         "\"session.timeout.ms\" = 10000\n";
  CHECK(one_error(text).find("expected a setting of a standalone consumer, found "
                             "\"session.timeout.ms\", a consumer-group setting") !=
        std::string::npos);
}

TEST_CASE("producer settings follow Kafka's idempotence and delivery-timeout rules",
          "[unit][scenario]") {
  const std::string producer = kBase +
                               "[[producer]]\nid = \"p\"\ntopic = \"orders\"\nrate = 1\n"
                               "[producer.config]\n";
  std::string text = producer + "\"acks\" = 1\n\"enable.idempotence\" = true\n";
  CHECK(one_error(text) == at(text, "1\n\"enable") +
                               " [[producer]] #1 config \"acks\": expected acks = \"all\" (-1) "
                               "with enable.idempotence = true, found 1; or set "
                               "enable.idempotence = false");
  text = producer + "\"max.in.flight.requests.per.connection\" = 6\n";
  CHECK_FALSE(load_ok(text).spec.producers[0].enable_idempotence);
  text = producer + "\"delivery.timeout.ms\" = 1000\n";
  CHECK(one_error(text).find("expected at least linger.ms + request.timeout.ms (30005), found "
                             "1000") != std::string::npos);
}

// [the cluster and its topics]
// ---------------------------------------------------------------------------------------------
TEST_CASE("node ids that do not exist are refused wherever a node is named", "[unit][scenario]") {
  std::string text = kBase;
  text.replace(text.find("replication_factor = 2\n"), 23,
               "assignment = [[101, 102], [102, 104]]\n");
  CHECK(one_error(text) == at(text, "104") +
                               " [[topic]] #1 assignment[1][1]: expected a broker id (101, 102, "
                               "103), found 104; there is no broker 104 in [cluster]");
  text = kBase;
  text.replace(text.find("[[topic]]"), 9, "racks = { 101 = \"a\", 7 = \"b\" }\n[[topic]]");
  CHECK(one_error(text) == at(text, "7 =") +
                               " [cluster] racks 7: expected a broker id (101, 102, 103), found "
                               "\"7\"");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = 104\n";
  CHECK(one_error(text) == at(text, "104") +
                               " [[at]] #1 node: expected a node id (1, 2, 3, 101, 102, 103), "
                               "found 104; there is no node 104 in [cluster]");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"link\"\nbetween = [101, 9]\nloss = 0.5\n";
  CHECK(one_error(text) == at(text, "9]") +
                               " [[at]] #1 between[1]: expected a node id (1, 2, 3, 101, 102, "
                               "103), found 9; there is no node 9 in [cluster]");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"partition\"\ngroups = [[101], [102, 55]]\n";
  CHECK(one_error(text) == at(text, "55") +
                               " [[at]] #1 groups[1][1]: expected a node id (1, 2, 3, 101, 102, "
                               "103), found 55; there is no node 55 in [cluster]");
  text = kBase + "[[network.link]]\nbetween = [101, 100]\nlatency = \"5ms\"\n";
  CHECK(one_error(text).find("[[network.link]] #1 between[1]: expected a node id") !=
        std::string::npos);
}

TEST_CASE("topics: replication factor, duplicates, names and assignments are checked",
          "[unit][scenario]") {
  std::string text = kBase;
  text.replace(text.find("replication_factor = 2"), 22, "replication_factor = 4");
  CHECK(one_error(text) == at(text, "4\n") +
                               " [[topic]] #1 replication_factor: expected at most 3, the number "
                               "of brokers (INVALID_REPLICATION_FACTOR), found 4");
  text = kBase + "[[topic]]\nname = \"orders\"\n";
  CHECK(one_error(text) == at(text, "\"orders\"", 2) +
                               " [[topic]] #2 name: expected a topic name not used before (orders "
                               "is defined at line 8), found \"orders\"");
  text = kBase + "[[topic]]\nname = \"bad name\"\n";
  CHECK(
      one_error(text).find("expected a topic name of 1 to 249 letters, digits, '.', '_' or '-'") !=
      std::string::npos);
  text = kBase + "[[topic]]\nname = \"t\"\nassignment = [[101, 102], [103]]\n";
  CHECK(one_error(text).find("[[topic]] #2 assignment[1]: expected 2 replicas like the first "
                             "partition (one replication factor per topic), found [103]") !=
        std::string::npos);
  text = kBase + "[[topic]]\nname = \"t\"\npartitions = 3\nassignment = [[101, 102]]\n";
  CHECK(one_error(text).find("[[topic]] #2 partitions: expected 1, the partitions in "
                             "assignment, found 3") != std::string::npos);
  // Defaults from the brokers' settings, as Kafka creates a topic without them.
  const auto s = load_ok(kBase +
                         "[[topic]]\nname = \"t\"\n[cluster.config]\n"
                         "\"num.partitions\" = 3\n\"default.replication.factor\" = 3\n");
  CHECK(s.spec.topics[1].partitions == 3);
  CHECK(s.spec.topics[1].replication_factor == 3);
}

TEST_CASE("clients: unique ids, existing topics, and partitions that exist", "[unit][scenario]") {
  std::string text = kBase +
                     "[[producer]]\nid = \"a\"\ntopic = \"orders\"\nrate = 1\n"
                     "[[consumer]]\nid = \"a\"\ntopics = [\"orders\"]\n";
  CHECK(one_error(text) == at(text, "\"a\"", 2) +
                               " [[consumer]] #1 id: expected a client id unique among clients (a "
                               "is used at line 12), found \"a\"");
  text = kBase + "[[producer]]\nid = \"p\"\ntopic = \"order\"\nrate = 1\n";
  CHECK(one_error(text) == at(text, "\"order\"") +
                               " [[producer]] #1 topic: expected a topic this scenario creates "
                               "(orders), found \"order\"; did you mean \"orders\"?");
  text = kBase + "[[consumer]]\nid = \"c\"\ntopics = [\"payments\"]\n";
  CHECK(one_error(text).find("[[consumer]] #1 topics[0]: expected a topic this scenario creates "
                             "(orders), found \"payments\"") != std::string::npos);
  text = kBase + "[[consumer]]\nid = \"c\"\npartitions = [\"orders-7\"]\n";
  CHECK(one_error(text) == at(text, "\"orders-7\"") +
                               " [[consumer]] #1 partitions[0]: expected a partition of orders, "
                               "which has 2 partitions at 0s (orders-0 to orders-1), found "
                               "\"orders-7\"");
  text = kBase + "[[consumer]]\nid = \"c\"\npartitions = [\"orders_0\"]\n";
  CHECK(one_error(text) == at(text, "\"orders_0\"") +
                               " [[consumer]] #1 partitions[0]: expected a partition named "
                               "TOPIC-N, such as \"orders-0\", found \"orders_0\"");
  text = kBase + "[[consumer]]\nid = \"c\"\ngroup = \"g\"\npartitions = [\"orders-0\"]\n";
  CHECK(one_error(text).find("expected no partitions for a group consumer (its group assigns "
                             "them)") != std::string::npos);
  text = kBase + "[[producer]]\nid = \"p\"\ntopic = \"orders\"\n";
  CHECK(one_error(text).find("[[producer]] #1: expected rate (records per second) or records (a "
                             "count sent as fast as it can), found neither") != std::string::npos);
  // A standalone consumer assign()s the partitions it names; it asks for their topics.
  const auto s = load_ok(kBase + "[[consumer]]\nid = \"c\"\npartitions = [\"orders-1\"]\n");
  REQUIRE(s.spec.consumers.size() == 1);
  CHECK(s.spec.consumers[0].topics == std::vector<std::string>{"orders"});
  CHECK(s.spec.consumers[0].partitions ==
        std::vector<kafka::TopicPartitionName>{kafka::TopicPartitionName{"orders", 1}});
}

TEST_CASE("ZooKeeper mode reads zookeeper, not controllers, and its own settings",
          "[unit][scenario]") {
  std::string text = kBase;
  text.replace(text.find("brokers = [101, 102, 103]"), 25,
               "mode = \"zookeeper\"\nbrokers = [101, 102, 103]\nzookeeper = [7, 8, 9]\n"
               "controllers = [1]");
  text +=
      "[cluster.config]\n\"zookeeper.session.timeout.ms\" = 6000\n"
      "\"inter.broker.protocol.version\" = \"0.10.2\"\n";
  const auto s = load_ok(text + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = 8\n");
  CHECK(s.spec.mode == world::ClusterSpec::Mode::zookeeper);
  CHECK(s.spec.zookeeper == std::vector<int32_t>{7, 8, 9});
  CHECK(s.spec.zookeeper_session_timeout_ms == 6000);
  CHECK(s.spec.config.truncates_to_high_watermark());
  CHECK(one_error(text + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = 1\n")
            .find("expected a node id (7, 8, 9, 101, 102, 103), found 1") != std::string::npos);
  text.replace(text.find("zookeeper = [7, 8, 9]"), 21, "zookeeper = [7, 101]");
  CHECK(one_error(text).find("[cluster] zookeeper: expected ZooKeeper ids that are not broker "
                             "ids, found 101, also in brokers") != std::string::npos);
  CHECK(one_error(kBase + "[cluster.config]\n\"inter.broker.protocol.version\" = \"0.10.2\"\n")
            .find("expected a setting of a KRaft cluster") != std::string::npos);
}

// [the timeline]
// ---------------------------------------------------------------------------------------------
TEST_CASE("timeline steps are sorted by time, stably, and keep their place in the file",
          "[unit][scenario]") {
  const auto s = load_ok(kBase + R"toml([[at]]
time = "30s"
action = "restart"
node = 101
[[at]]
time = "10s"
action = "crash"
node = 101
[[at]]
time = "10s"
narrate = "second at 10s"
[[at]]
time = "0s"
action = "heal"
)toml");
  REQUIRE(s.timeline.size() == 4);
  CHECK(s.timeline[0].action == "heal");
  CHECK(s.timeline[1].action == "crash");
  CHECK(s.timeline[2].narrate == "second at 10s");
  CHECK(s.timeline[3].action == "restart");
  CHECK(s.timeline[3].pos.line == 12);
  CHECK(s.timeline[1].pos.line == 16);
}

TEST_CASE("every action the format lists becomes a command or a scenario action",
          "[unit][scenario]") {
  const auto s = load_ok(kBase + R"toml([[at]]
time = "1s"
action = "power_loss"
node = "leader:orders-1"
[[at]]
time = "2s"
action = "isolate"
node = "controller"
[[at]]
time = "3s"
action = "partition"
groups = [[101], [102, 103]]
[[at]]
time = "4s"
action = "link"
between = [101, 102]
latency = "40ms"
down = false
[[at]]
time = "5s"
action = "pause"
node = 103
for = "5s"
[[at]]
time = "6s"
action = "add_partitions"
topic = "orders"
count = 4
[[at]]
time = "7s"
action = "reassign"
partition = "orders-3"
replicas = [103, 101]
[[at]]
time = "8s"
action = "elect_preferred"
[[at]]
time = "9s"
action = "set_config"
node = 101
key = "min.insync.replicas"
value = 2
[[at]]
time = "10s"
action = "flush"
node = 102
[[at]]
time = "11s"
action = "shutdown"
node = 102
)toml");
  REQUIRE(s.timeline.size() == 11);
  auto command = [&](size_t i) { return std::get<world::Command>(s.timeline[i].what); };
  CHECK(std::get<world::PowerLoss>(command(0)).node.role == "leader:orders-1");
  CHECK(std::get<world::Isolate>(command(1)).node.role == "controller");
  CHECK(std::get<world::Partition>(command(2)).groups ==
        std::vector<std::vector<int32_t>>{{101}, {102, 103}});
  const auto link = std::get<world::SetLink>(command(3));
  CHECK(link.a == 101);
  CHECK(link.b == 102);
  CHECK(link.latency == std::optional<sim::Time>(40_ms));
  CHECK(link.down == std::optional<bool>(false));
  CHECK_FALSE(link.loss.has_value());
  CHECK(std::get<world::Pause>(command(4)).duration == 5_s);
  const auto grow = std::get<world::AddPartitions>(command(5));
  CHECK(grow.topic == "orders");
  CHECK(grow.count == 4);
  const auto move = std::get<world::Reassign>(command(6));
  CHECK(move.partition == "orders-3");
  CHECK(move.replicas == std::vector<int32_t>{103, 101});
  CHECK(std::get<world::ElectPreferred>(command(7)).partition.empty());
  const auto set = std::get<world::SetConfig>(command(8));
  CHECK(set.node.has_value());
  CHECK(set.node->id == 101);
  CHECK(set.key == "min.insync.replicas");
  CHECK(set.value == kafka::KafkaConfig::Value(int64_t{2}));
  CHECK(std::get<world::Flush>(command(9)).node.id == 102);
  CHECK(std::get<world::Shutdown>(command(10)).node.id == 102);
}

TEST_CASE("a step needs an action or narration, and an action the format knows",
          "[unit][scenario]") {
  std::string text = kBase + "[[at]]\ntime = \"1s\"\npause = true\n";
  CHECK(one_error(text) ==
        at(text, "[[at]]") +
            " [[at]] #1: expected an action, narrate, speed, or some of them, found neither");
  // A step may only set the studio's speed; out of the time bar's range it is an error.
  text = kBase + "[[at]]\ntime = \"1s\"\nspeed = 0.5\n";
  CHECK(load_ok(text).timeline.at(0).speed == 0.5);
  text = kBase + "[[at]]\ntime = \"1s\"\nspeed = 5000\n";
  CHECK(one_error(text).find("[[at]] #1 speed: expected") != std::string::npos);
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"crsh\"\nnode = 101\n";
  CHECK(one_error(text) == at(text, "\"crsh\"") +
                               " [[at]] #1 action: expected an action (crash, power_loss, restart, "
                               "isolate, partition, heal, link, pause, add_partitions, reassign, "
                               "elect_preferred, set_config, flush, shutdown), found \"crsh\"; did "
                               "you mean \"crash\"?");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"heal\"\nnode = 101\n";
  CHECK(one_error(text) == at(text, "node = 101") +
                               " [[at]] #1 node: expected a key of action \"heal\" (it takes "
                               "none), found \"node\"");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnod = 101\n";
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].str() == at(text, "[[at]]") +
                               " [[at]] #1 node: expected the node it acts on: an id, "
                               "\"controller\", \"leader:TOPIC-N\", \"coordinator:GROUP\" or a "
                               "client id (required), found no node key");
  CHECK(errors[1].str() == at(text, "nod =") +
                               " [[at]] #1 nod: expected a key of action \"crash\" (node), found "
                               "\"nod\"; did you mean \"node\"?");
  text = kBase + "[[at]]\ntime = \"61s\"\nnarrate = \"too late\"\n";
  CHECK(one_error(text) == at(text, "\"61s\"") +
                               " [[at]] #1 time: expected a time within the run's duration "
                               "(60s), found \"61s\"; raise duration in [scenario] or move this "
                               "earlier");
}

TEST_CASE("contradictory actions are refused: restart of a running node, crash of a crashed one",
          "[unit][scenario]") {
  auto step = [](const char* time, const char* action, const char* node) {
    return std::string("[[at]]\ntime = \"") + time + "\"\naction = \"" + action +
           "\"\nnode = " + node + "\n";
  };
  std::string text = kBase + step("30s", "restart", "101");
  CHECK(one_error(text) == at(text, "101\n") +
                               " [[at]] #1 node: expected a node that is down at 30s (crashed, "
                               "powered off or shut down), found node 101, running at 30s");
  // Out of file order, the crash at 10s still comes first; the second crash is the mistake.
  text = kBase + step("20s", "crash", "101") + step("10s", "crash", "101");
  CHECK(one_error(text) == at(text, "101\n") +
                               " [[at]] #1 node: expected a node that is up at 20s, found node "
                               "101, down since 10s (crash at line 16)");
  text = kBase + step("10s", "power_loss", "102") + step("20s", "pause", "102") + "for = \"1s\"\n";
  CHECK(one_error(text).find("[[at]] #2 node: expected a running node at 20s (not down or "
                             "paused), found node 102, down since 10s (power_loss at line 12)") !=
        std::string::npos);
  text = kBase + step("10s", "pause", "102") + "for = \"5s\"\n" + step("12s", "restart", "102");
  CHECK(one_error(text).find("found node 102, paused until 15s (pause at line 12)") !=
        std::string::npos);
  // A role is resolved when the step runs, so it is never judged here.
  CHECK(
      load_ok(kBase + step("1s", "crash", "\"controller\"") + step("2s", "crash", "\"controller\""))
          .timeline.size() == 2);
  // Crash, restart, crash again: fine.
  CHECK(load_ok(kBase + step("1s", "crash", "101") + step("2s", "restart", "101") +
                step("3s", "shutdown", "101") + step("4s", "restart", "101"))
            .timeline.size() == 4);
  text = kBase + step("1s", "pause", "101");
  CHECK(one_error(text) == at(text, "[[at]]") +
                               " [[at]] #1 for: expected how long the node freezes, such as "
                               "\"5s\" (required), found no for key");
  text = kBase +
         "[[at]]\ntime = \"1s\"\naction = \"link\"\nbetween = [101, 102, 103]\n"
         "latency = \"5ms\"\n";
  CHECK(one_error(text) == at_last(text, "[101, 102, 103]") +
                               " [[at]] #1 between: expected exactly two node ids, such as [101, "
                               "103], found [101, 102, 103]");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"link\"\nlatency = \"5ms\"\n";
  CHECK(one_error(text).find("[[at]] #1 between: expected exactly two node ids, such as [101, "
                             "103] (required), found no between key") != std::string::npos);
}

TEST_CASE("roles and partitions in steps are checked against the topics at that time",
          "[unit][scenario]") {
  std::string text =
      kBase + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = \"leader:orders-2\"\n";
  CHECK(one_error(text) == at(text, "\"leader:") +
                               " [[at]] #1 node: expected a partition of orders, which has 2 "
                               "partitions at 1s (orders-0 to orders-1), found "
                               "\"leader:orders-2\"");
  text = kBase + "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = \"controler\"\n";
  CHECK(one_error(text) == at(text, "\"controler\"") +
                               " [[at]] #1 node: expected a node id (1, 2, 3, 101, 102, 103), "
                               "\"controller\", \"leader:TOPIC-N\", \"coordinator:GROUP\" or a "
                               "client id, found \"controler\"; did you "
                               "mean \"controller\"?");
  const std::string grow =
      "[[at]]\ntime = \"5s\"\naction = \"add_partitions\"\ntopic = \"orders\"\ncount = 3\n";
  const std::string elect =
      "[[at]]\ntime = \"T\"\naction = \"elect_preferred\"\npartition = \"orders-2\"\n";
  auto elect_at = [&](const char* t) {
    std::string e = elect;
    e.replace(e.find('T'), 1, t);
    return e;
  };
  CHECK(load_ok(kBase + elect_at("6s") + grow).timeline.size() == 2);  // grown by then
  text = kBase + grow + elect_at("4s");
  CHECK(one_error(text).find("expected a partition of orders, which has 2 partitions at 4s") !=
        std::string::npos);
  text = kBase + grow + grow;
  CHECK(one_error(text).find("[[at]] #2 count: expected more than the 3 partitions orders has at "
                             "5s (partitions can only be added; INVALID_PARTITIONS), found 3") !=
        std::string::npos);
  text = kBase +
         "[[at]]\ntime = \"1s\"\naction = \"set_config\"\nkey = \"replica.lag.time.max.ms\"\n"
         "value = 100\n";
  CHECK(one_error(text).find("[[at]] #1 key: expected a broker setting kafka-configs can change "
                             "(Cannot update these configs dynamically: replica.lag.time.max.ms "
                             "is a read-only broker setting") != std::string::npos);
  text = kBase +
         "[[at]]\ntime = \"1s\"\naction = \"set_config\"\nkey = \"min.insync.replicas\"\n"
         "value = \"two\"\n";
  CHECK(one_error(text).find("[[at]] #1 value: expected a broker setting kafka-configs can change "
                             "(min.insync.replicas expects an integer") != std::string::npos);
  // A topic's setting: the topic must exist, the name is suggested when misspelt.
  text = kBase +
         "[[at]]\ntime = \"1s\"\naction = \"set_config\"\ntopic = \"orders\"\n"
         "key = \"retention.msx\"\nvalue = 5\n";
  CHECK(one_error(text).find("did you mean \"retention.ms\"?") != std::string::npos);
  text = kBase +
         "[[at]]\ntime = \"1s\"\naction = \"set_config\"\ntopic = \"nope\"\n"
         "key = \"retention.ms\"\nvalue = 5\n";
  CHECK(one_error(text).find("[[at]] #1 topic: ") != std::string::npos);
}

// [expectations]
// ---------------------------------------------------------------------------------------------
TEST_CASE("an expectation needs exactly one comparison and the keys its row takes",
          "[unit][scenario]") {
  std::string text = kBase + "[[expect]]\nwhat = \"leader\"\npartition = \"orders-0\"\n";
  CHECK(one_error(text) == at(text, "[[expect]]") +
                               " [[expect]] #1: expected one comparison: equals, not, in, at_least "
                               "or at_most, found none");
  text = kBase +
         "[[expect]]\nwhat = \"leader\"\npartition = \"orders-0\"\nequals = 101\n"
         "not = 102\n";
  CHECK(one_error(text) == at(text, "102\n") +
                               " [[expect]] #1 not: expected one comparison: equals, not, in, "
                               "at_least or at_most, found equals and not; split it into two "
                               "[[expect]] blocks");
  text = kBase + "[[expect]]\nwhat = \"leader\"\nequals = 101\n";
  CHECK(one_error(text) == at(text, "[[expect]]") +
                               " [[expect]] #1 partition: expected a partition for what = "
                               "\"leader\" (required), found no partition key");
  text = kBase + "[[expect]]\nwhat = \"controller\"\npartition = \"orders-0\"\nequals = 1\n";
  CHECK(one_error(text) == at(text, "\"orders-0\"") +
                               " [[expect]] #1 partition: expected no partition for what = "
                               "\"controller\" (it takes no keys), found \"orders-0\"");
  text = kBase + "[[expect]]\nwhat = \"isr\"\npartition = \"orders-0\"\nat_least = 2\n";
  CHECK(one_error(text).find("[[expect]] #1 at_least: expected equals, not or in for what = "
                             "\"isr\" (at_least and at_most compare counts, offsets and epochs), "
                             "found at_least") != std::string::npos);
  text = kBase + "[[expect]]\nwhat = \"leeder\"\nequals = 1\n";
  CHECK(one_error(text).find("found \"leeder\"; did you mean \"leader\"?") != std::string::npos);
  text = kBase + "[[expect]]\nwhat = \"leader\"\npartition = \"orders-0\"\nequals = 7\n";
  CHECK(one_error(text).find("[[expect]] #1 equals: expected a broker id (101, 102, 103) or -1 "
                             "(no leader), found 7") != std::string::npos);
  text = kBase + "[[expect]]\nat = \"2\"\nwhat = \"controller\"\nequals = 1\n";
  CHECK(one_error(text).find("[[expect]] #1 at: expected a duration with a unit") !=
        std::string::npos);
}

TEST_CASE("expectations keep their keys and values, lists sorted", "[unit][scenario]") {
  const auto s = load_ok(kBase + R"toml([[producer]]
id = "checkout"
topic = "orders"
rate = 10
[[consumer]]
id = "billing-1"
group = "billing"
topics = ["orders"]
[[expect]]
at = "end"
what = "isr"
partition = "orders-1"
equals = [103, 101]
[[expect]]
what = "assignment"
group = "billing"
member = "billing-1"
equals = ["orders-1", "orders-0"]
[[expect]]
what = "high_watermark"
partition = "orders-0"
node = 102
at_least = 10
[[expect]]
at = "30s"
what = "controller"
in = [1, 2, -1]
[[expect]]
what = "produce_errors"
client = "checkout"
error = "NOT_ENOUGH_REPLICAS"
at_most = 3
[[expect]]
what = "group_state"
group = "billing"
equals = "Stable"
)toml");
  REQUIRE(s.expectations.size() == 6);
  CHECK(s.expectations[0].value == scenario::ExpectValue(std::vector<int64_t>{101, 103}));
  CHECK(s.expectations[1].value ==
        scenario::ExpectValue(std::vector<std::string>{"orders-0", "orders-1"}));
  CHECK(s.expectations[1].member == "billing-1");
  CHECK(s.expectations[2].node == std::optional<int32_t>(102));
  CHECK(s.expectations[2].compare == scenario::Compare::at_least);
  CHECK(s.expectations[3].at == std::optional<sim::Time>(30_s));
  CHECK(s.expectations[3].compare == scenario::Compare::in);
  CHECK(s.expectations[3].any_of.size() == 3);
  CHECK(s.expectations[4].error == "NOT_ENOUGH_REPLICAS");
  CHECK(s.expectations[5].value == scenario::ExpectValue(std::string("Stable")));

  std::string text = kBase +
                     "[[expect]]\nwhat = \"group_state\"\ngroup = \"billing\"\n"
                     "equals = \"Stable\"\n";
  CHECK(one_error(text).find("[[expect]] #1 group: expected a group of a [[consumer]] (none has a "
                             "group), found \"billing\"") != std::string::npos);
  text = kBase +
         "[[consumer]]\nid = \"c1\"\ngroup = \"billing\"\ntopics = [\"orders\"]\n"
         "[[expect]]\nwhat = \"group_state\"\ngroup = \"billing\"\nequals = \"stable\"\n";
  CHECK(one_error(text).find("found \"stable\"; did you mean \"Stable\"?") != std::string::npos);
  text = kBase +
         "[[consumer]]\nid = \"c1\"\ngroup = \"billing\"\ntopics = [\"orders\"]\n"
         "[[expect]]\nwhat = \"assignment\"\ngroup = \"billing\"\nmember = \"c2\"\n"
         "equals = []\n";
  CHECK(one_error(text).find("[[expect]] #1 member: expected a consumer id of group billing (c1), "
                             "found \"c2\"") != std::string::npos);
}

// [many errors, any input]
// ---------------------------------------------------------------------------------------------
TEST_CASE("every error in a file is reported, in file order", "[unit][scenario]") {
  const std::string text = R"toml([scenario]
name = "many"
duration = 60
[cluster]
brokers = [101, 102]
[cluster.config]
"num.io.threads" = 8
[[topic]]
name = "orders"
replication_factor = 3
[[producer]]
id = "p"
topic = "orders"
rate = 5
[producer.config]
"acks" = "most"
[[at]]
time = "1s"
action = "restart"
node = 101
[[expect]]
what = "leader"
equals = 101
)toml";
  const auto errors = errors_of(text);
  INFO(scenario::format_diagnostics(errors));
  REQUIRE(errors.size() == 6);
  CHECK(errors[0].line == 3);   // duration = 60
  CHECK(errors[1].line == 7);   // num.io.threads
  CHECK(errors[2].line == 10);  // replication factor 3 > 2 brokers
  CHECK(errors[3].line == 16);  // acks
  CHECK(errors[4].line == 20);  // restart of a running node
  CHECK(errors[5].line == 21);  // leader without partition
  for (const Diagnostic& d : errors) {
    CHECK(d.file == "t.toml");
    CHECK_FALSE(d.where.empty());
    CHECK_FALSE(d.expected.empty());
    CHECK_FALSE(d.found.empty());
  }
}

TEST_CASE("a file with hundreds of errors lists the first 200 and counts the rest",
          "[unit][scenario]") {
  std::string text = kBase;
  for (int i = 0; i < 250; ++i)
    text += "[[at]]\ntime = \"1s\"\naction = \"crash\"\nnode = 7\n";
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 201);
  CHECK(errors[199].line < errors[200].line);
  CHECK(errors[200].str() == at(text, "7\n", 201) +
                                 " expected no more problems, found 50 more from here on (only "
                                 "the first 200 are listed)");
}

TEST_CASE("a cluster too big to build is refused before the engine would assert",
          "[unit][scenario]") {
  std::string ids;
  for (int i = 0; i < 4100; ++i)
    ids += (i ? ", " : "") + std::to_string(100 + i);
  const std::string text =
      "[scenario]\nname = \"big\"\nduration = \"1s\"\n[cluster]\nbrokers = [" + ids + "]\n";
  CHECK(one_error(text) ==
        "t.toml:4:1: [cluster]: expected at most 4096 nodes and clients, found 4103");
}

TEST_CASE("load_scenario reads a file and names it in diagnostics", "[unit][scenario]") {
  auto missing = scenario::load_scenario("no/such/file.toml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error()[0].str() ==
        "no/such/file.toml:1:1: expected a scenario file, found no file at this path");
  auto dir = scenario::load_scenario(".");
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.error()[0].found == "a directory");
  const std::string path =
      (std::filesystem::temp_directory_path() / "kafkasim_loader_test.toml").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    std::fwrite(kFormatExample.data(), 1, kFormatExample.size(), f);
    std::fclose(f);
  }
  auto loaded = scenario::load_scenario(path);
  CHECK(loaded.ok());
  std::filesystem::remove(path);
}

TEST_CASE("no prefix of a valid file, and no corrupted byte, makes the loader crash or throw",
          "[unit][scenario]") {
  const std::string text = kFormatExample;
  size_t refused = 0;
  for (size_t n = 0; n <= text.size(); ++n) {
    auto r = scenario::parse_scenario(std::string_view(text).substr(0, n), "t.toml");
    if (r) continue;
    ++refused;
    for (const Diagnostic& d : r.error()) {
      REQUIRE(d.line >= 1);
      REQUIRE(d.column >= 1);
      REQUIRE_FALSE(d.str().empty());
    }
  }
  CHECK(refused > text.size() / 2);
  // Single-byte corruptions from a fixed sequence (deterministic).
  uint64_t x = 88172645463325252ULL;
  const char bytes[] = {'"', '[', ']', '=', '\n', '-', '0', '{', '}', ',', '\0', '\xff', '#'};
  for (int i = 0; i < 3000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::string mutated = text;
    mutated[x % mutated.size()] = bytes[(x >> 32) % sizeof bytes];
    auto r = scenario::parse_scenario(mutated, "t.toml");
    if (!r) REQUIRE_FALSE(r.error().empty());
  }
}

TEST_CASE("consumer groups: settings that cannot work are errors before anything runs",
          "[unit][scenario]") {
  const std::string group = "[[consumer]]\nid = \"c\"\ngroup = \"g\"\ntopics = [\"orders\"]\n";
  // __consumer_offsets needs offsets.topic.replication.factor brokers (Kafka's default is 3).
  std::string text = kBase;
  text.replace(text.find("brokers = [101, 102, 103]"), 25, "brokers = [101, 102]");
  text.replace(text.find("replication_factor = 2"), 22, "replication_factor = 1");
  CHECK(one_error(text + group)
            .find("offsets.topic.replication.factor 3, but the cluster has 2 "
                  "brokers") != std::string::npos);
  text.insert(text.find("[[topic]]"),
              "[cluster.config]\n\"offsets.topic.replication.factor\" = 2\n");
  load_ok(text + group);
  // KIP-848's protocol is not modelled: refused by name, never run as the classic one.
  CHECK(one_error(kBase + group + "[consumer.config]\n\"group.protocol\" = \"consumer\"\n")
            .find("group.protocol \"consumer\" (KIP-848) is not modelled") != std::string::npos);
  // The simulated application's commits need a group to commit to.
  const std::string standalone = "[[consumer]]\nid = \"c\"\ntopics = [\"orders\"]\n";
  CHECK(one_error(kBase + standalone + "[consumer.config]\n\"sim.commit\" = \"sync\"\n")
            .find("a consumer-group setting") != std::string::npos);
  CHECK(one_error(kBase + group + "[consumer.config]\n\"sim.commit\" = \"sometimes\"\n")
            .find("expected one of \"none\", \"sync\", \"async\"") != std::string::npos);
  // A client named in the timeline is that client's node; an unknown name is an error.
  const scenario::Scenario s =
      load_ok(kBase + group + "[[at]]\ntime = \"5s\"\naction = \"crash\"\nnode = \"c\"\n");
  REQUIRE(s.timeline.size() == 1);
  CHECK(one_error(kBase + group + "[[at]]\ntime = \"5s\"\naction = \"crash\"\nnode = \"d\"\n")
            .find("or a client id, found \"d\"") != std::string::npos);
}

// [bounds]
// ---------------------------------------------------------------------------------------------
TEST_CASE("what validates runs on a laptop: run length, partition counts and memory are bounded",
          "[unit][scenario]") {
  auto with_duration = [](const std::string& d) {
    return "[scenario]\nname = \"d\"\nduration = " + d + "\n";
  };
  CHECK(one_error(with_duration("\"25h\"")).find("expected a run of at most 86400s") !=
        std::string::npos);
  CHECK(load_ok(with_duration("\"24h\"")).duration == 86400_s);
  // Past int64 nanoseconds: said as such, not as a missing unit.
  CHECK(one_error(with_duration("\"99999999999999999999h\"")) ==
        "t.toml:3:12: [scenario] duration: expected a duration of at most 86400000s, found "
        "\"99999999999999999999h\"");
  CHECK(one_error(with_duration("\"2562047.9999999999999h\"")).find("at most") !=
        std::string::npos);
  // The offsets topic is a topic: at most 10000 partitions, as [[topic]].
  const std::string many =
      kBase + "[cluster.config]\n\"offsets.topic.num.partitions\" = 2147483647\n";
  CHECK(one_error(many).find("expected an integer from 1 to 10000, found 2147483647") !=
        std::string::npos);
  // A workload that would not fit in memory is refused at its producer, before anything runs.
  const std::string producer = "\n[[producer]]\nid = \"flood\"\ntopic = \"orders\"\n";
  const std::string flood = kBase + producer + "rate = 1000000\n";
  const std::string e = one_error(flood);
  CHECK(e.rfind(at(flood, "[[producer]]") + " [[producer]] #1: expected a workload that fits in "
                                            "6.0 GB",
                0) == 0);
  CHECK(e.find("producer flood makes 60000000 records") != std::string::npos);
  const std::string big_values =
      kBase + producer + "rate = 100\nvalue = \"" + std::string(900000, 'x') + "\"\n";
  CHECK(one_error(big_values).find("records of about 900000 bytes") != std::string::npos);
  const std::string counted = kBase + producer + "records = 1000000000\n";
  CHECK(one_error(counted).find("expected a workload that fits") != std::string::npos);
  CHECK(load_ok(kBase + producer + "rate = 1000\n").spec.producers.size() == 1);
}

TEST_CASE("client and group ids are printable: no control or bidirectional characters",
          "[unit][scenario]") {
  auto producer = [](const std::string& id) {
    return kBase + "\n[[producer]]\nid = \"" + id + "\"\ntopic = \"orders\"\nrate = 1\n";
  };
  CHECK(one_error(producer("a\\u0000b")).find("found \"a\\u0000b\"; it has a control character") !=
        std::string::npos);
  CHECK(one_error(producer("line\\nbreak")).find("control character") != std::string::npos);
  // U+202E (right-to-left override) is shown escaped, so the message itself is not reordered.
  CHECK(one_error(producer("\\u202Eevil"))
            .find("found \"\\u202Eevil\"; it has a Unicode "
                  "bidirectional control") != std::string::npos);
  CHECK(one_error(producer("x\\u2066y")).find("bidirectional") != std::string::npos);
  CHECK(one_error(producer(std::string(250, 'a'))).find("at most 249 bytes") != std::string::npos);
  CHECK(load_ok(producer("caf\\u00e9-\\u65e5\\u672c")).spec.producers[0].client_id ==
        "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac");
  const std::string group = kBase +
                            "\n[[consumer]]\nid = \"c\"\ngroup = \"g\\u202Dx\"\ntopics = "
                            "[\"orders\"]\n";
  CHECK(one_error(group).find("bidirectional") != std::string::npos);
}

TEST_CASE("a float where an integer belongs reads as a float in the message", "[unit][scenario]") {
  const std::string text = kBase;
  std::string two = text;
  two.replace(two.find("partitions = 2"), 14, "partitions = 2.0");
  CHECK(one_error(two).find("found 2.0") != std::string::npos);
}
