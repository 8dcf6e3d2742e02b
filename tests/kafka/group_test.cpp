// Consumer groups end to end (KAFKA_REFERENCE 5.3, 5.4, 6): the coordinator's states and
// generations, the members' rebalances (eager and cooperative), liveness (session timeout,
// static members, the poll timeout), committed offsets across coordinator failover, delivery
// semantics around crashes, and invariants under random consumer and broker crashes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "check/observe.h"
#include "kafka/group/assignor.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {
/// Three brokers, topic orders (`partitions`, RF 3), a producer at 100 records/s, and the
/// [[consumer]] blocks and timeline given.
std::string cluster(int partitions, const std::string& rest, const std::string& duration = "60s") {
  return "[scenario]\nname = \"t\"\nseed = 5\nduration = \"" + duration +
         "\"\n"
         "[cluster]\nbrokers = [101, 102, 103]\ncontrollers = [1, 2, 3]\n"
         "[cluster.config]\n\"offsets.topic.num.partitions\" = 3\n"
         "[[topic]]\nname = \"orders\"\npartitions = " +
         std::to_string(partitions) +
         "\nreplication_factor = 3\n"
         "[[producer]]\nid = \"checkout\"\ntopic = \"orders\"\nrate = 100\n"
         "key = \"k{seq % 40}\"\nvalue = \"v{seq}\"\n" +
         rest;
}
std::string member(const std::string& id, const std::string& start,
                   const std::string& config = "") {
  return "[[consumer]]\nid = \"" + id + "\"\ngroup = \"g\"\ntopics = [\"orders\"]\nstart = \"" +
         start + "\"\n[consumer.config]\n\"auto.offset.reset\" = \"earliest\"\n" + config;
}
std::string at(const std::string& time, const std::string& action, const std::string& node) {
  return "[[at]]\ntime = \"" + time + "\"\naction = \"" + action + "\"\nnode = \"" + node + "\"\n";
}

struct Run {
  scenario::Scenario s;
  world::World w;
  scenario::RunResult r;
};
Run run(const std::string& text, std::vector<world::StampedCommand> extra = {}) {
  auto s = scenario::parse_scenario(text, "t.toml");
  if (!s) FAIL(scenario::format_diagnostics(s.error()));
  scenario::RunOptions o;
  o.extra = std::move(extra);
  world::World w;
  auto r = scenario::run_scenario(*s, o, &w);
  if (!r) FAIL(r.error());
  return Run{*s, std::move(w), *r};
}
check::Observed observe(const world::World& w, check::What what, const std::string& member = "",
                        const std::string& partition = "") {
  check::Query q;
  q.what = what;
  q.group = "g";
  q.member = member;
  q.partition = partition;
  auto v = check::observe(w, q);
  if (!v) FAIL(v.error());
  return *v;
}
int64_t number(const check::Observed& v) {
  return std::get<int64_t>(v);
}
std::vector<std::string> names(const check::Observed& v) {
  return std::get<std::vector<std::string>>(v);
}
const kafka::Consumer& consumer(const world::World& w, const std::string& id) {
  for (const world::World::Node& n : w.nodes()) {
    if (const auto* c = std::get_if<kafka::Consumer>(&n.impl); c && c->config().client_id == id)
      return *c;
  }
  FAIL("no consumer " + id);
  throw;
}
std::vector<std::string> trace_lines(const world::World& w, sim::TraceKind kind,
                                     const std::string& containing = "") {
  std::vector<std::string> out;
  for (const sim::TraceRecord& r : w.trace().records())
    if (r.kind == kind && r.reason.find(containing) != std::string::npos) out.push_back(r.reason);
  return out;
}
}  // namespace

TEST_CASE("a group's members get every partition once, and a new member rebalances the group",
          "[kafka][group]") {
  Run x = run(cluster(6, member("a", "2s") + member("b", "3s") + member("c", "20s")));
  CHECK(!x.r.violation);
  CHECK(std::get<std::string>(observe(x.w, check::What::group_state)) == "Stable");
  // a and b joined within group.initial.rebalance.delay.ms: one generation; c made another.
  CHECK(number(observe(x.w, check::What::rebalances)) == 2);
  std::vector<std::string> all;
  for (const char* m : {"a", "b", "c"}) {
    const auto owned = names(observe(x.w, check::What::assignment, m));
    CHECK(owned.size() == 2);  // range: 6 partitions over 3 members
    all.insert(all.end(), owned.begin(), owned.end());
    // The member's own view agrees with its coordinator's.
    std::vector<std::string> mine;
    for (const auto& [tp, a] : consumer(x.w, m).assignment())
      mine.push_back(tp.str());
    CHECK(mine == owned);
  }
  std::sort(all.begin(), all.end());
  CHECK(std::unique(all.begin(), all.end()) == all.end());
  CHECK(all.size() == 6);
  // Everything produced was consumed once, committed offsets are close to the end.
  CHECK(number(observe(x.w, check::What::consumed)) >= 5000);
  CHECK(number(observe(x.w, check::What::redelivered)) == 0);
  CHECK(number(observe(x.w, check::What::lag)) <= 300);  // auto-commit every 5 s
}

TEST_CASE("the first members wait group.initial.rebalance.delay.ms, extended per new member",
          "[kafka][group]") {
  Run x = run(cluster(2, member("a", "2s") + member("b", "4s")), {});
  // a joins first: the delay (3 s) starts; b joins during it, so one more delay: 6 s in all.
  sim::Time first_join = sim::Time::max(), completed = sim::Time::max();
  for (const sim::TraceRecord& r : x.w.trace().records()) {
    if (r.kind == sim::TraceKind::group_member && r.reason.find(" joins") != std::string::npos)
      first_join = std::min(first_join, r.at);
    if (r.kind == sim::TraceKind::group_state &&
        r.reason.find("CompletingRebalance, generation 1") != std::string::npos)
      completed = std::min(completed, r.at);
  }
  REQUIRE(completed != sim::Time::max());
  CHECK(completed - first_join == 6_s);
}

TEST_CASE("eager members revoke everything before rejoining; cooperative ones only what moves",
          "[kafka][group]") {
  for (bool coop : {false, true}) {
    INFO((coop ? "cooperative-sticky" : "range"));
    const std::string cfg = std::string("\"partition.assignment.strategy\" = \"") +
                            (coop ? "cooperative-sticky" : "range") + "\"\n";
    Run x =
        run(cluster(4, member("a", "2s", cfg) + member("b", "3s", cfg) + member("c", "20s", cfg)));
    CHECK(!x.r.violation);
    const kafka::Consumer& a = consumer(x.w, "a");
    // What `a` gave up after c joined (at 20 s).
    std::vector<kafka::TopicPartitionName> revoked;
    for (const kafka::AssignmentChange& ch : a.assignment_history()) {
      if (ch.at >= 20_s) revoked.insert(revoked.end(), ch.revoked.begin(), ch.revoked.end());
    }
    if (!coop) {
      CHECK(revoked.size() == 2);  // everything it owned
      CHECK(number(observe(x.w, check::What::rebalances)) == 2);
    } else {
      CHECK(revoked.size() <= 1);  // at most the one partition c needs from it
      // Two rounds: the moving partition is withheld in the first, handed out in the second.
      CHECK(number(observe(x.w, check::What::rebalances)) == 3);
    }
    CHECK(names(observe(x.w, check::What::assignment, "c")).size() >= 1);
  }
}

TEST_CASE("a crashed member is removed after session.timeout.ms and its partitions move",
          "[kafka][group]") {
  const std::string cfg = "\"session.timeout.ms\" = 10000\n";
  Run x =
      run(cluster(2, member("a", "1s", cfg) + member("b", "1s", cfg) + at("20s", "crash", "a")));
  sim::Time removed = sim::Time::max();
  for (const sim::TraceRecord& r : x.w.trace().records()) {
    if (r.kind == sim::TraceKind::group_member &&
        r.reason.find("session.timeout.ms") != std::string::npos)
      removed = std::min(removed, r.at);
  }
  // The last heartbeat was at most heartbeat.interval.ms (3 s) before the crash.
  CHECK(removed >= 27_s);
  CHECK(removed <= 30100_ms);
  CHECK(names(observe(x.w, check::What::assignment, "b")) ==
        std::vector<std::string>{"orders-0", "orders-1"});
  CHECK(number(observe(x.w, check::What::consumed)) >= 5000);
}

TEST_CASE("a static member back within session.timeout.ms causes no rebalance", "[kafka][group]") {
  const std::string stat =
      "\"session.timeout.ms\" = 20000\n\"group.instance.id\" = \"billing-host-1\"\n";
  for (const char* back : {"25s", "50s"}) {
    INFO(back);
    Run x = run(cluster(2, member("a", "1s", stat) + member("b", "1s") + at("20s", "crash", "a") +
                               at(back, "restart", "a")));
    CHECK(!x.r.violation);
    const int64_t gens = number(observe(x.w, check::What::rebalances));
    if (std::string(back) == "25s") {
      CHECK(gens == 1);  // rejoined as the same instance: nothing moved
      CHECK(trace_lines(x.w, sim::TraceKind::group_member, "static member billing-host-1 rejoins")
                .size() == 1);
    } else {
      CHECK(gens >= 3);  // expired (one rebalance), came back (another)
    }
    CHECK(names(observe(x.w, check::What::assignment, "a")).size() == 1);
  }
}

TEST_CASE("a consumer that does not poll within max.poll.interval.ms leaves the group",
          "[kafka][group]") {
  // 200 ms per record and up to 100 records per poll: 20 s between polls, over the 10 s limit.
  const std::string slow =
      "\"max.poll.interval.ms\" = 10000\n\"sim.processing.ms\" = 200\n\"max.poll.records\" = 100\n";
  Run x = run(cluster(2, member("slow", "1s", slow) + member("fast", "1s")));
  CHECK(!trace_lines(x.w, sim::TraceKind::offset_commit, "consumer slow: poll timeout").empty());
  CHECK(
      !trace_lines(x.w, sim::TraceKind::group_member, "LeaveGroup: consumer poll timeout").empty());
  CHECK(number(observe(x.w, check::What::rebalances)) >= 2);
  CHECK(!x.r.violation);
}

TEST_CASE("committed offsets survive the coordinator's crash: the new leader loads them",
          "[kafka][group]") {
  // Find the group's coordinator broker: the leader of __consumer_offsets-(hash("g") % 3).
  Run before = run(cluster(2, member("a", "1s") + member("b", "1s")), {});
  const world::GroupView v = world::find_group(before.w, "g");
  REQUIRE(v.coordinator > 0);
  const std::string crash =
      "[[at]]\ntime = \"30s\"\naction = \"crash\"\nnode = " + std::to_string(v.coordinator) + "\n";
  Run x = run(cluster(2, member("a", "1s") + member("b", "1s") + crash), {});
  CHECK(!x.r.violation);
  const world::GroupView after = world::find_group(x.w, "g");
  CHECK(after.coordinator > 0);
  CHECK(after.coordinator != v.coordinator);
  CHECK(!trace_lines(x.w, sim::TraceKind::group_state, "group g loaded: Stable").empty());
  CHECK(std::get<std::string>(observe(x.w, check::What::group_state)) == "Stable");
  // Members kept their generation; consumption went on from the committed offsets.
  CHECK(number(observe(x.w, check::What::rebalances)) == 1);
  CHECK(number(observe(x.w, check::What::committed_offset, "", "orders-0")) > 2000);
  CHECK(number(observe(x.w, check::What::redelivered)) == 0);
  CHECK(number(observe(x.w, check::What::consumed)) >= 5500);
}

TEST_CASE("a crash between processing and commit: at-least-once redelivers, at-most-once skips",
          "[kafka][group]") {
  // 50 records per poll, 10 ms each: a crash lands in the middle of a batch.
  const std::string base =
      "\"enable.auto.commit\" = false\n\"max.poll.records\" = 50\n\"sim.processing.ms\" = 10\n"
      "\"session.timeout.ms\" = 6000\n";
  for (const char* mode : {"sync", "sync-before-processing"}) {
    INFO(mode);
    const std::string cfg = base + "\"sim.commit\" = \"" + mode + "\"\n";
    Run x = run(cluster(2, member("a", "1s", cfg) + member("b", "1s", cfg) +
                               at("20.3s", "crash", "a") + at("40s", "restart", "a")));
    CHECK(!x.r.violation);
    const int64_t redelivered = number(observe(x.w, check::What::redelivered));
    // Records the group never processed although its committed offsets passed them.
    std::vector<uint64_t> seen;
    for (const char* m : {"a", "b"})
      for (const kafka::Delivery& d : consumer(x.w, m).deliveries())
        seen.push_back(d.origin);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    const int64_t produced_and_read = number(observe(x.w, check::What::consumed)) - redelivered;
    CHECK(produced_and_read == static_cast<int64_t>(seen.size()));
    int64_t committed = 0;
    for (const char* p : {"orders-0", "orders-1"})
      committed += number(observe(x.w, check::What::committed_offset, "", p));
    const auto distinct = static_cast<int64_t>(seen.size());
    if (std::string(mode) == "sync") {
      CHECK(redelivered > 0);        // processed, not committed, read again by the next owner
      CHECK(distinct >= committed);  // nothing skipped
    } else {
      CHECK(redelivered == 0);
      CHECK(distinct < committed);  // committed before processing, never processed
    }
  }
}

TEST_CASE("a group's generation and committed offsets stay sound under random crashes",
          "[kafka][group][sweep]") {
  // Consumers (ids 10001..10003) and brokers crash, restart, pause; the invariants
  // (one owner per generation, committed offsets never going back, no acknowledged record
  // lost) are checked after every event.
  const std::string cfg = "\"session.timeout.ms\" = 6000\n\"heartbeat.interval.ms\" = 2000\n";
  const std::string text = cluster(
      4,
      member("a", "1s", cfg) + member("b", "1s", cfg + "\"sim.commit\" = \"sync\"\n") +
          member("c", "1s", cfg + "\"partition.assignment.strategy\" = \"cooperative-sticky\"\n"),
      "40s");
  const std::string coop_text = cluster(
      4,
      member("a", "1s", cfg + "\"partition.assignment.strategy\" = \"cooperative-sticky\"\n") +
          member("b", "1s", cfg + "\"partition.assignment.strategy\" = \"cooperative-sticky\"\n"),
      "40s");
  for (const std::string& t : {text, coop_text}) {
    for (uint64_t seed = 1; seed <= 12; ++seed) {
      INFO("seed " << seed);
      sim::Rng rng(seed, "group-sweep");
      std::vector<world::StampedCommand> faults;
      const std::vector<int32_t> nodes = {101, 102, 103, 10001, 10002, 10003};
      for (sim::Time at = 2_s; at < 30_s; at += rng.uniform_time(1_s, 4_s)) {
        const int32_t n = nodes[rng.uniform(nodes.size())];
        if (n == 10003 && t == coop_text) continue;  // that scenario has two members
        switch (rng.uniform(3)) {
          case 0:
            faults.push_back({at, world::Crash{n}, true});
            faults.push_back({at + rng.uniform_time(1_s, 8_s), world::Restart{n}, true});
            break;
          case 1:
            faults.push_back({at, world::Pause{n, rng.uniform_time(500_ms, 8_s)}, true});
            break;
          default:
            faults.push_back({at, world::Partition{{{n}}}, true});
            faults.push_back({at + rng.uniform_time(1_s, 5_s), world::Heal{}, true});
            break;
        }
      }
      for (int32_t n : nodes)
        faults.push_back({32_s, world::Restart{n}, true});
      std::stable_sort(faults.begin(), faults.end(),
                       [](const auto& x, const auto& y) { return x.at < y.at; });
      Run x = run(t, faults);
      if (x.r.violation) FAIL(x.r.violation->invariant + ": " + x.r.violation->what);
    }
  }
}

TEST_CASE("a member does not fetch its committed offset from a leader older than the commit's",
          "[kafka][group]") {
  // Broker 101 leads orders-0 (epoch 0) until it is cut off at 5 s; 102 takes over (epoch 1)
  // and the member commits from there. It crashes, and restarts just after 101 comes back:
  // 101, first in its bootstrap list, has not caught up with the metadata log yet and still
  // says it leads in epoch 0. Its log ends long before the committed offset: fetched there, the
  // committed offset would be out of range and auto.offset.reset would send the member back to
  // offset 0, committing offsets far behind the group's. The committed offset's leader epoch
  // (1) makes the member ignore epoch-0 metadata (KIP-320) and wait for the real leader.
  // (Group g2's coordinator is broker 103, away from the cut.)
  const std::string cfg =
      "\"enable.auto.commit\" = false\n\"sim.commit\" = \"sync\"\n\"session.timeout.ms\" = 6000\n";
  std::string text =
      cluster(1,
              member("a", "1s", cfg) + at("25s", "crash", "a") + at("30s", "restart", "a") +
                  "[[at]]\ntime = \"5s\"\naction = \"partition\"\n"
                  "groups = [[101]]\n"
                  "[[at]]\ntime = \"29.9s\"\naction = \"heal\"\n",
              "40s");
  text.replace(text.find("replication_factor = 3"), 22, "assignment = [[101, 102, 103]]");
  text.replace(text.find("group = \"g\""), 11, "group = \"g2\"");
  Run x = run(text);
  CHECK(!x.r.violation);
  // After the restart, reading went on from the committed offset (2500), not from 0.
  const kafka::Consumer& a = consumer(x.w, "a");
  int64_t first_after_restart = -1;
  for (const kafka::Delivery& d : a.deliveries()) {
    if (d.at >= 30_s) {
      first_after_restart = d.offset;
      break;
    }
  }
  CHECK(first_after_restart >= 2000);
  CHECK(a.deliveries().size() < 4500);  // nothing read twice
}
