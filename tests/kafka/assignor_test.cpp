// The classic assignors against KAFKA_REFERENCE 7.3-7.6 (every vector there), plus properties
// over seeded sweeps: complete, only to subscribers, balanced, sticky, cooperative-safe.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "kafka/group/assignor.h"
#include "sim/rng.h"

using namespace kafkasim;
using namespace kafkasim::kafka::group;

namespace {

using Names = std::vector<std::string>;  // partitions as "topic1-0"

TopicPartitionName tp(const std::string& s) {
  const size_t dash = s.rfind('-');
  return {s.substr(0, dash), std::stoi(s.substr(dash + 1))};
}

std::vector<TopicPartitionName> tps(const Names& names) {
  std::vector<TopicPartitionName> out;
  for (const auto& n : names)
    out.push_back(tp(n));
  return out;
}

Names names(const std::vector<TopicPartitionName>& parts) {
  Names out;
  for (const auto& p : parts)
    out.push_back(to_string(p));
  return out;
}

AssignorMember member(const std::string& id, Names topics, Names owned = {}) {
  AssignorMember m;
  m.member_id = id;
  m.topics = std::move(topics);
  m.owned = tps(owned);
  return m;
}

AssignorMember static_member(const std::string& id, const std::string& instance, Names topics) {
  AssignorMember m = member(id, std::move(topics));
  m.group_instance_id = instance;
  return m;
}

using Shares = std::map<std::string, Names>;

Shares shares(const std::vector<MemberAssignment>& members) {
  Shares out;
  for (const auto& m : members)
    out[m.member_id] = names(m.partitions);
  return out;
}

Shares run(AssignorStrategy s, std::vector<AssignorTopic> topics,
           std::vector<AssignorMember> members) {
  return shares(assign(s, {std::move(topics), std::move(members)}).members);
}

std::set<std::string> transfer_set(const AssignmentResult& r) {
  std::set<std::string> out;
  for (const auto& t : r.transferring)
    out.insert(to_string(t.partition) + "->" + t.to);
  return out;
}

constexpr AssignorStrategy kRange = AssignorStrategy::range;
constexpr AssignorStrategy kRoundRobin = AssignorStrategy::roundrobin;

}  // namespace

// [SECTION] 7.3 and the Java helpers

TEST_CASE("the group coordinator's partition is abs(String.hashCode) % 50", "[unit][assignor]") {
  REQUIRE(java_string_hash("foo") == 101574);
  REQUIRE(java_string_hash("my-group") == -1906497762);
  REQUIRE(java_string_hash("test-group") == 627841412);
  REQUIRE(java_string_hash("group") == 98629247);
  REQUIRE(java_string_hash("console-consumer-1") == 35782224);
  REQUIRE(java_string_hash("") == 0);
  REQUIRE(java_string_hash("polygenelubricants") == -2147483647 - 1);
  REQUIRE(coordinator_partition("foo", 50) == 24);
  REQUIRE(coordinator_partition("my-group", 50) == 12);
  REQUIRE(coordinator_partition("test-group", 50) == 12);
  REQUIRE(coordinator_partition("group", 50) == 47);
  REQUIRE(coordinator_partition("console-consumer-1", 50) == 24);
  REQUIRE(coordinator_partition("", 50) == 0);
  REQUIRE(coordinator_partition("polygenelubricants", 50) == 0);  // Utils.abs(MIN_VALUE) == 0
}

TEST_CASE("String.hashCode and compareTo work on UTF-16 code units", "[unit][assignor]") {
  REQUIRE(java_string_hash("\xC3\xA9") == 0xE9);  // "é" is one code unit
  // U+1F600 is the surrogate pair D83D DE00.
  REQUIRE(java_string_hash("\xF0\x9F\x98\x80") == 0xD83D * 31 + 0xDE00);
  REQUIRE(java_string_compare("consumer10", "consumer2") < 0);
  REQUIRE(java_string_compare("a", "a") == 0);
  REQUIRE(java_string_compare("ab", "a") > 0);
  // UTF-8 byte order puts U+FF5E before U+1F600; UTF-16 order (Java's) puts it after.
  REQUIRE(java_string_compare("\xF0\x9F\x98\x80", "\xEF\xBD\x9E") < 0);
  // A malformed byte hashes as U+FFFD.
  REQUIRE(java_string_hash("\xFF") == 0xFFFD);
}

TEST_CASE("HashMap<String> iteration order: consumer3, consumer2, consumer1", "[unit][assignor]") {
  REQUIRE(java_hashmap_order({"consumer1", "consumer2", "consumer3"}) ==
          std::vector<size_t>{2, 1, 0});
  REQUIRE(java_hashmap_order({"consumer3", "consumer1", "consumer2"}) ==
          std::vector<size_t>{0, 2, 1});
  // 13 keys resize the table to 32 buckets; every key appears once.
  Names keys;
  for (int i = 0; i < 13; ++i)
    keys.push_back("member-" + std::to_string(i));
  auto order = java_hashmap_order(keys);
  std::set<size_t> seen(order.begin(), order.end());
  REQUIRE(seen.size() == 13);
  for (size_t k = 1; k < order.size(); ++k) {
    auto bucket = [&](size_t i) {
      const auto h = static_cast<uint32_t>(java_string_hash(keys[i]));
      return (h ^ (h >> 16)) & 31u;
    };
    INFO(k);
    REQUIRE(bucket(order[k - 1]) <= bucket(order[k]));
  }
}

TEST_CASE("strategies go by Kafka's short names and class names", "[unit][assignor]") {
  REQUIRE(parse_strategy("range") == AssignorStrategy::range);
  REQUIRE(parse_strategy("cooperative-sticky") == AssignorStrategy::cooperative_sticky);
  REQUIRE(parse_strategy("org.apache.kafka.clients.consumer.RoundRobinAssignor") ==
          AssignorStrategy::roundrobin);
  REQUIRE(parse_strategy("org.apache.kafka.clients.consumer.StickyAssignor") ==
          AssignorStrategy::sticky);
  REQUIRE_FALSE(parse_strategy("Range").has_value());
  REQUIRE(strategy_name(AssignorStrategy::cooperative_sticky) == "cooperative-sticky");
}

TEST_CASE("members are ordered static first by instance id, then by member id",
          "[unit][assignor]") {
  std::vector<AssignorMember> ms = {member("consumer2", {}), static_member("z", "instance2", {}),
                                    member("consumer10", {}), static_member("a", "instance1", {})};
  std::sort(ms.begin(), ms.end(), member_info_less);
  REQUIRE(ms[0].member_id == "a");
  REQUIRE(ms[1].member_id == "z");
  REQUIRE(ms[2].member_id == "consumer10");
  REQUIRE(ms[3].member_id == "consumer2");
}

// [SECTION] 7.4 range

TEST_CASE("range: the javadoc example and its static variant", "[unit][assignor]") {
  const std::vector<AssignorTopic> t = {{"t0", 3}, {"t1", 3}};
  REQUIRE(run(kRange, t, {member("C0", {"t0", "t1"}), member("C1", {"t0", "t1"})}) ==
          Shares{{"C0", {"t0-0", "t0-1", "t1-0", "t1-1"}}, {"C1", {"t0-2", "t1-2"}}});
  // Static: the instance ids decide, whatever the member ids are.
  REQUIRE(
      run(kRange, t,
          {static_member("m-b", "I0", {"t0", "t1"}), static_member("m-a", "I1", {"t0", "t1"})}) ==
      Shares{{"m-b", {"t0-0", "t0-1", "t1-0", "t1-1"}}, {"m-a", {"t0-2", "t1-2"}}});
}

TEST_CASE("range: RangeAssignorTest vectors", "[unit][assignor]") {
  REQUIRE(
      run(kRange, {{"topic1", 1}, {"topic2", 2}}, {member("consumer1", {"topic1", "topic2"})}) ==
      Shares{{"consumer1", {"topic1-0", "topic2-0", "topic2-1"}}});
  REQUIRE(run(kRange, {{"t", 1}}, {member("consumer1", {"t"}), member("consumer2", {"t"})}) ==
          Shares{{"consumer1", {"t-0"}}, {"consumer2", {}}});
  REQUIRE(run(kRange, {{"t", 2}}, {member("consumer1", {"t"}), member("consumer2", {"t"})}) ==
          Shares{{"consumer1", {"t-0"}}, {"consumer2", {"t-1"}}});
  REQUIRE(run(kRange, {{"topic1", 3}, {"topic2", 2}},
              {member("consumer1", {"topic1"}), member("consumer2", {"topic1", "topic2"}),
               member("consumer3", {"topic1"})}) ==
          Shares{{"consumer1", {"topic1-0"}},
                 {"consumer2", {"topic1-1", "topic2-0", "topic2-1"}},
                 {"consumer3", {"topic1-2"}}});
  const std::vector<AssignorTopic> six = {{"topic1", 3}, {"topic2", 3}};
  const Names both = {"topic1", "topic2"};
  REQUIRE(run(kRange, six, {member("consumer1", both), member("consumer2", both)}) ==
          Shares{{"consumer1", {"topic1-0", "topic1-1", "topic2-0", "topic2-1"}},
                 {"consumer2", {"topic1-2", "topic2-2"}}});
  // testTwoStaticConsumersTwoTopicsSixPartitions: instance id decides, not member id.
  REQUIRE(run(kRange, six,
              {static_member("consumer-b", "instance1", both),
               static_member("consumer-a", "instance2", both)})["consumer-b"]
              .size() == 4);
  // testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions
  REQUIRE(run(kRange, six,
              {static_member("consumer-b", "instance1", both),
               member("consumer-a", both)})["consumer-b"]
              .size() == 4);
}

TEST_CASE("range: static members keep their shares across member changes", "[unit][assignor]") {
  const std::vector<AssignorTopic> t = {{"topic1", 5}, {"topic2", 4}};
  const Names both = {"topic1", "topic2"};
  std::vector<AssignorMember> ms = {
      static_member("consumer1", "instance1", both), static_member("consumer2", "instance2", both),
      static_member("consumer3", "instance3", both), member("consumer4", both)};
  const Shares expected = {{"consumer1", {"topic1-0", "topic1-1", "topic2-0"}},
                           {"consumer2", {"topic1-2", "topic2-1"}},
                           {"consumer3", {"topic1-3", "topic2-2"}},
                           {"consumer4", {"topic1-4", "topic2-3"}}};
  REQUIRE(run(kRange, t, ms) == expected);
  ms[3] = member("consumer5", both);
  Shares replaced = expected;
  replaced.erase("consumer4");
  replaced["consumer5"] = {"topic1-4", "topic2-3"};
  REQUIRE(run(kRange, t, ms) == replaced);

  // testStaticMemberRangeAssignmentPersistentAfterMemberIdChanges
  const std::vector<AssignorTopic> t55 = {{"topic1", 5}, {"topic2", 5}};
  auto by_instance = [&](const Names& ids) {
    Shares s =
        run(kRange, t55,
            {static_member(ids[0], "instance1", both), static_member(ids[1], "instance2", both),
             static_member(ids[2], "instance3", both)});
    return Shares{{"instance1", s[ids[0]]}, {"instance2", s[ids[1]]}, {"instance3", s[ids[2]]}};
  };
  const Shares want = {{"instance1", {"topic1-0", "topic1-1", "topic2-0", "topic2-1"}},
                       {"instance2", {"topic1-2", "topic1-3", "topic2-2", "topic2-3"}},
                       {"instance3", {"topic1-4", "topic2-4"}}};
  REQUIRE(by_instance({"consumer1", "consumer2", "consumer3"}) == want);
  REQUIRE(by_instance({"consumer5", "consumer9", "consumer0"}) == want);
}

// [SECTION] 7.5 roundrobin

TEST_CASE("roundrobin: the javadoc examples", "[unit][assignor]") {
  const std::vector<AssignorTopic> t = {{"t0", 3}, {"t1", 3}};
  const Names both = {"t0", "t1"};
  REQUIRE(run(kRoundRobin, t, {member("C0", both), member("C1", both)}) ==
          Shares{{"C0", {"t0-0", "t0-2", "t1-1"}}, {"C1", {"t0-1", "t1-0", "t1-2"}}});
  REQUIRE(
      run(kRoundRobin, {{"t0", 1}, {"t1", 2}, {"t2", 3}},
          {member("C0", {"t0"}), member("C1", {"t0", "t1"}), member("C2", {"t0", "t1", "t2"})}) ==
      Shares{{"C0", {"t0-0"}}, {"C1", {"t1-0"}}, {"C2", {"t1-1", "t2-0", "t2-1", "t2-2"}}});
  const Shares three = {
      {"C0", {"t0-0", "t1-0"}}, {"C1", {"t0-1", "t1-1"}}, {"C2", {"t0-2", "t1-2"}}};
  REQUIRE(run(kRoundRobin, t, {member("C0", both), member("C1", both), member("C2", both)}) ==
          three);
  // New member ids C5 (was C0), C3 (was C1), C4 (was C2): sorting shifts every share.
  const Shares renamed =
      run(kRoundRobin, t, {member("C5", both), member("C3", both), member("C4", both)});
  REQUIRE(renamed.at("C3") == three.at("C0"));
  REQUIRE(renamed.at("C4") == three.at("C1"));
  REQUIRE(renamed.at("C5") == three.at("C2"));
  // Static instance ids I0..I2 keep the shares whatever the member ids.
  const Shares stable = run(kRoundRobin, t,
                            {static_member("C5", "I0", both), static_member("C3", "I1", both),
                             static_member("C4", "I2", both)});
  REQUIRE(stable.at("C5") == three.at("C0"));
  REQUIRE(stable.at("C3") == three.at("C1"));
  REQUIRE(stable.at("C4") == three.at("C2"));
}

TEST_CASE("roundrobin: RoundRobinAssignorTest vectors", "[unit][assignor]") {
  const std::vector<AssignorTopic> six = {{"topic1", 3}, {"topic2", 3}};
  const Names both = {"topic1", "topic2"};
  REQUIRE(run(kRoundRobin, six, {member("consumer1", both), member("consumer2", both)}) ==
          Shares{{"consumer1", {"topic1-0", "topic1-2", "topic2-1"}},
                 {"consumer2", {"topic1-1", "topic2-0", "topic2-2"}}});
  REQUIRE(run(kRoundRobin, {{"topic1", 3}, {"topic2", 2}},
              {member("consumer1", {"topic1"}), member("consumer2", both),
               member("consumer3", {"topic1"})}) ==
          Shares{{"consumer1", {"topic1-0"}},
                 {"consumer2", {"topic1-1", "topic2-0", "topic2-1"}},
                 {"consumer3", {"topic1-2"}}});
  std::vector<AssignorMember> ms = {
      static_member("consumer1", "instance1", both), static_member("consumer2", "instance2", both),
      static_member("consumer3", "instance3", both), member("consumer4", both)};
  REQUIRE(run(kRoundRobin, six, ms) == Shares{{"consumer1", {"topic1-0", "topic2-1"}},
                                              {"consumer2", {"topic1-1", "topic2-2"}},
                                              {"consumer3", {"topic1-2"}},
                                              {"consumer4", {"topic2-0"}}});
  ms[3] = member("consumer5", both);
  REQUIRE(run(kRoundRobin, six, ms).at("consumer5") == Names{"topic2-0"});
  const Shares renamed =
      run(kRoundRobin, {{"topic1", 5}, {"topic2", 5}},
          {static_member("x", "instance1", both), static_member("b", "instance2", both),
           static_member("a", "instance3", both)});
  REQUIRE(renamed == Shares{{"x", {"topic1-0", "topic1-3", "topic2-1", "topic2-4"}},
                            {"b", {"topic1-1", "topic1-4", "topic2-2"}},
                            {"a", {"topic1-2", "topic2-0", "topic2-3"}}});
}

// [SECTION] 7.6 sticky and cooperative-sticky

TEST_CASE("sticky: AbstractStickyAssignorTest vectors S1-S5", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const Names both = {"topic1", "topic2"};
  // S1
  REQUIRE(run(strategy, {{"topic1", 3}, {"topic2", 3}},
              {member("consumer1", both), member("consumer2", both)}) ==
          Shares{{"consumer1", {"topic1-0", "topic1-2", "topic2-1"}},
                 {"consumer2", {"topic1-1", "topic2-0", "topic2-2"}}});
  // S2 (mixed subscriptions: the general algorithm)
  REQUIRE(run(strategy, {{"topic1", 3}, {"topic2", 2}},
              {member("consumer1", {"topic1"}), member("consumer2", both),
               member("consumer3", {"topic1"})}) == Shares{{"consumer1", {"topic1-0", "topic1-2"}},
                                                           {"consumer2", {"topic2-0", "topic2-1"}},
                                                           {"consumer3", {"topic1-1"}}});
  // S3
  auto s3 = assign(strategy, {{{"topic1", 2}, {"topic2", 3}},
                              {member("consumer1", both, {"topic1-0", "topic2-1"}),
                               member("consumer2", both, {"topic1-1", "topic2-2"})}});
  REQUIRE(shares(s3.members) == Shares{{"consumer1", {"topic1-0", "topic2-1", "topic2-0"}},
                                       {"consumer2", {"topic1-1", "topic2-2"}}});
  REQUIRE(s3.transferring.empty());
  // S4: depends on HashMap order (consumer3, consumer2, consumer1): consumer2 keeps max.
  auto s4 = assign(
      strategy, {{{"topic1", 2}, {"topic2", 2}},
                 {member("consumer1", both, {"topic1-0", "topic2-0"}),
                  member("consumer2", both, {"topic1-1", "topic2-1"}), member("consumer3", both)}});
  REQUIRE(shares(s4.members) == Shares{{"consumer1", {"topic1-0"}},
                                       {"consumer2", {"topic1-1", "topic2-1"}},
                                       {"consumer3", {"topic2-0"}}});
  REQUIRE(transfer_set(s4) == std::set<std::string>{"topic2-0->consumer3"});
  REQUIRE(s4.transferring.front().from == "consumer1");
  // S5
  REQUIRE(run(strategy, {{"topic1", 2}, {"topic2", 3}},
              {member("consumer1", both, {"topic1-0"}), member("consumer2", both, {"topic1-1"}),
               member("consumer3", both)}) == Shares{{"consumer1", {"topic1-0", "topic2-1"}},
                                                     {"consumer2", {"topic1-1", "topic2-2"}},
                                                     {"consumer3", {"topic2-0"}}});
}

TEST_CASE("sticky: S6 a consumer joins and leaves one topic", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const std::vector<AssignorTopic> t = {{"topic", 3}};
  const Shares a = run(strategy, t, {member("consumer1", {"topic"})});
  REQUIRE(a == Shares{{"consumer1", {"topic-0", "topic-1", "topic-2"}}});
  auto b = assign(
      strategy,
      {t, {member("consumer1", {"topic"}, a.at("consumer1")), member("consumer2", {"topic"})}});
  REQUIRE(shares(b.members) ==
          Shares{{"consumer1", {"topic-0", "topic-1"}}, {"consumer2", {"topic-2"}}});
  REQUIRE(transfer_set(b) == std::set<std::string>{"topic-2->consumer2"});
  const Shares c =
      run(strategy, t, {member("consumer2", {"topic"}, shares(b.members).at("consumer2"))});
  REQUIRE(c == Shares{{"consumer2", {"topic-2", "topic-0", "topic-1"}}});
}

TEST_CASE("sticky: S7 two consumers join, then the first two leave", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const std::vector<AssignorTopic> t = {{"topic1", 3}, {"topic2", 4}};
  const Names both = {"topic1", "topic2"};
  const Shares a = run(strategy, t, {member("consumer1", both), member("consumer2", both)});
  REQUIRE(a == Shares{{"consumer1", {"topic1-0", "topic1-2", "topic2-1", "topic2-3"}},
                      {"consumer2", {"topic1-1", "topic2-0", "topic2-2"}}});
  auto b = assign(strategy, {t,
                             {member("consumer1", both, a.at("consumer1")),
                              member("consumer2", both, a.at("consumer2")),
                              member("consumer3", both), member("consumer4", both)}});
  const Shares bs = shares(b.members);
  REQUIRE(bs == Shares{{"consumer1", {"topic1-0", "topic2-1"}},
                       {"consumer2", {"topic2-0", "topic1-1"}},
                       {"consumer3", {"topic1-2", "topic2-3"}},
                       {"consumer4", {"topic2-2"}}});
  REQUIRE(transfer_set(b) == std::set<std::string>{"topic1-2->consumer3", "topic2-3->consumer3",
                                                   "topic2-2->consumer4"});
  const Shares c = run(strategy, t,
                       {member("consumer3", both, bs.at("consumer3")),
                        member("consumer4", both, bs.at("consumer4"))});
  REQUIRE(c == Shares{{"consumer3", {"topic1-2", "topic2-3", "topic1-0", "topic2-1"}},
                      {"consumer4", {"topic2-2", "topic1-1", "topic2-0"}}});
}

TEST_CASE("sticky: S8 the javadoc's general example", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const std::vector<AssignorTopic> t = {{"t0", 1}, {"t1", 2}, {"t2", 3}};
  const Shares fresh =
      run(strategy, t,
          {member("C0", {"t0"}), member("C1", {"t0", "t1"}), member("C2", {"t0", "t1", "t2"})});
  REQUIRE(fresh ==
          Shares{{"C0", {"t0-0"}}, {"C1", {"t1-0", "t1-1"}}, {"C2", {"t2-0", "t2-1", "t2-2"}}});
  const Shares after = run(strategy, t,
                           {member("C1", {"t0", "t1"}, fresh.at("C1")),
                            member("C2", {"t0", "t1", "t2"}, fresh.at("C2"))});
  REQUIRE(after == Shares{{"C1", {"t1-0", "t1-1", "t0-0"}}, {"C2", {"t2-0", "t2-1", "t2-2"}}});
}

TEST_CASE("sticky: S9 the javadoc's first example, then C1 leaves [V]", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const std::vector<AssignorTopic> t = {{"t0", 2}, {"t1", 2}, {"t2", 2}, {"t3", 2}};
  const Names all = {"t0", "t1", "t2", "t3"};
  const Shares fresh = run(strategy, t, {member("C0", all), member("C1", all), member("C2", all)});
  REQUIRE(fresh == Shares{{"C0", {"t0-0", "t1-1", "t3-0"}},
                          {"C1", {"t0-1", "t2-0", "t3-1"}},
                          {"C2", {"t1-0", "t2-1"}}});
  // Not the javadoc's lists (see 7.6): the [V] trace of the current constrained algorithm.
  const Shares after =
      run(strategy, t, {member("C0", all, fresh.at("C0")), member("C2", all, fresh.at("C2"))});
  REQUIRE(after == Shares{{"C0", {"t0-0", "t3-0", "t1-1", "t0-1"}},
                          {"C2", {"t1-0", "t2-1", "t2-0", "t3-1"}}});
}

TEST_CASE("cooperative-sticky withholds moving partitions for one round [V]", "[unit][assignor]") {
  const auto coop = AssignorStrategy::cooperative_sticky;
  // S6(b)
  auto b6 = assign(coop, {{{"topic", 3}},
                          {member("consumer1", {"topic"}, {"topic-0", "topic-1", "topic-2"}),
                           member("consumer2", {"topic"})}});
  const Shares r1 = shares(b6.first_round);
  REQUIRE(r1 == Shares{{"consumer1", {"topic-0", "topic-1"}}, {"consumer2", {}}});
  auto r2 = assign(
      coop, {{{"topic", 3}},
             {member("consumer1", {"topic"}, r1.at("consumer1")), member("consumer2", {"topic"})}});
  REQUIRE(shares(r2.first_round) ==
          Shares{{"consumer1", {"topic-0", "topic-1"}}, {"consumer2", {"topic-2"}}});
  REQUIRE(r2.transferring.empty());
  // S7(b)
  const std::vector<AssignorTopic> t = {{"topic1", 3}, {"topic2", 4}};
  const Names both = {"topic1", "topic2"};
  auto b7 =
      assign(coop, {t,
                    {member("consumer1", both, {"topic1-0", "topic1-2", "topic2-1", "topic2-3"}),
                     member("consumer2", both, {"topic1-1", "topic2-0", "topic2-2"}),
                     member("consumer3", both), member("consumer4", both)}});
  const Shares s1 = shares(b7.first_round);
  REQUIRE(s1 == Shares{{"consumer1", {"topic1-0", "topic2-1"}},
                       {"consumer2", {"topic2-0", "topic1-1"}},
                       {"consumer3", {}},
                       {"consumer4", {}}});
  auto b7r2 = assign(coop, {t,
                            {member("consumer1", both, s1.at("consumer1")),
                             member("consumer2", both, s1.at("consumer2")),
                             member("consumer3", both), member("consumer4", both)}});
  REQUIRE(shares(b7r2.first_round) == shares(b7.members));
  REQUIRE(b7r2.transferring.empty());
  // sticky reports the same transfers but no rounds.
  auto sticky =
      assign(AssignorStrategy::sticky,
             {{{"topic", 3}},
              {member("consumer1", {"topic"}, {"topic-0"}), member("consumer2", {"topic"})}});
  REQUIRE(sticky.first_round.empty());
}

TEST_CASE("sticky: competing claims and older generations", "[unit][assignor]") {
  const auto strategy = GENERATE(AssignorStrategy::sticky, AssignorStrategy::cooperative_sticky);
  INFO(strategy_name(strategy));
  const std::vector<AssignorTopic> t = {{"topic", 4}};
  // Both claim topic-0 in the same generation: neither keeps it on the strength of the claim.
  auto m1 = member("consumer1", {"topic"}, {"topic-0", "topic-1"});
  auto m2 = member("consumer2", {"topic"}, {"topic-0", "topic-2"});
  auto same = assign(strategy, {t, {m1, m2}});
  REQUIRE(shares(same.members) ==
          Shares{{"consumer1", {"topic-1", "topic-0"}}, {"consumer2", {"topic-2", "topic-3"}}});
  // consumer1 ends up with topic-0 but consumer2 claimed it too: that is a transfer.
  REQUIRE(transfer_set(same) == std::set<std::string>{"topic-0->consumer1"});
  // consumer1's claims are from generation 3, consumer2's from 4: consumer2 keeps topic-0.
  m1.generation = 3;
  m2.generation = 4;
  auto newer = assign(strategy, {t, {m1, m2}});
  REQUIRE(shares(newer.members) ==
          Shares{{"consumer1", {"topic-1", "topic-3"}}, {"consumer2", {"topic-0", "topic-2"}}});
  // Claims on unknown topics, missing partitions and unsubscribed topics count for nothing.
  auto odd = member("consumer1", {"topic"}, {"gone-0", "topic-9", "other-0", "topic-3"});
  REQUIRE(run(strategy, {{"topic", 4}, {"other", 1}}, {odd, member("consumer2", {"topic"})}) ==
          Shares{{"consumer1", {"topic-3", "topic-0"}}, {"consumer2", {"topic-1", "topic-2"}}});
}

// [SECTION] Properties over seeded sweeps

namespace {

struct World {
  std::vector<AssignorTopic> topics;
  std::vector<AssignorMember> members;
};

/// A random group: 1-4 topics of 1-8 partitions, 1-7 members (some static), each subscribed
/// to every topic (`same`) or a random non-empty subset.
World random_world(sim::Rng& rng, bool same) {
  World w;
  const auto topic_count = 1 + rng.uniform(4);
  for (uint64_t i = 0; i < topic_count; ++i) {
    w.topics.push_back({"t" + std::to_string(i), static_cast<int32_t>(1 + rng.uniform(8))});
  }
  const auto member_count = 1 + rng.uniform(7);
  for (uint64_t i = 0; i < member_count; ++i) {
    Names subs;
    for (const auto& t : w.topics) {
      if (same || rng.chance(0.5)) subs.push_back(t.name);
    }
    if (subs.empty()) subs.push_back(w.topics[rng.uniform(w.topics.size())].name);
    auto m = member("m" + std::to_string(i), subs);
    if (rng.chance(0.3)) m.group_instance_id = "i" + std::to_string(rng.uniform(100));
    if (m.group_instance_id) m.member_id += "-" + *m.group_instance_id;
    w.members.push_back(m);
  }
  return w;
}

/// Every partition of a subscribed topic goes to exactly one member, which subscribes to it;
/// returns per member its count.
std::map<std::string, size_t> check_complete(const World& w,
                                             const std::vector<MemberAssignment>& out) {
  std::map<std::string, std::set<std::string>> subs;
  for (const auto& m : w.members)
    subs[m.member_id].insert(m.topics.begin(), m.topics.end());
  std::map<TopicPartitionName, int> times;
  std::map<std::string, size_t> counts;
  for (const auto& a : out) {
    counts[a.member_id] = a.partitions.size();
    for (const auto& p : a.partitions) {
      INFO(a.member_id << " got " << to_string(p));
      REQUIRE(subs.at(a.member_id).count(p.topic) == 1);
      ++times[p];
    }
  }
  for (const auto& t : w.topics) {
    bool wanted = false;
    for (const auto& [id, s] : subs)
      wanted = wanted || s.count(t.name) != 0;
    for (int32_t p = 0; p < t.partitions; ++p) {
      INFO(t.name << "-" << p);
      REQUIRE(times[{t.name, p}] == (wanted ? 1 : 0));
    }
  }
  REQUIRE(out.size() == w.members.size());
  return counts;
}

/// No single move from a member to a less loaded subscriber (by 2 or more) is left.
void check_balanced(const World& w, const std::vector<MemberAssignment>& out) {
  std::map<std::string, std::set<std::string>> subs;
  for (const auto& m : w.members)
    subs[m.member_id].insert(m.topics.begin(), m.topics.end());
  for (const auto& a : out) {
    for (const auto& b : out) {
      if (a.partitions.size() <= b.partitions.size() + 1) continue;
      for (const auto& p : a.partitions) {
        INFO(a.member_id << " could give " << to_string(p) << " to " << b.member_id);
        REQUIRE(subs.at(b.member_id).count(p.topic) == 0);
      }
    }
  }
}

/// One membership change: a member leaves, a member joins, or nothing (a plain rejoin).
void churn(sim::Rng& rng, World& w, bool same, int step) {
  const auto what = rng.uniform(3);
  if (what == 0 && w.members.size() > 1) {
    w.members.erase(w.members.begin() + static_cast<std::ptrdiff_t>(rng.uniform(w.members.size())));
  } else if (what == 1) {
    Names subs;
    for (const auto& t : w.topics) {
      if (same || rng.chance(0.5)) subs.push_back(t.name);
    }
    if (subs.empty()) subs.push_back(w.topics.front().name);
    w.members.push_back(member("n" + std::to_string(step), subs));
  }
}

}  // namespace

TEST_CASE("range and roundrobin: complete, to subscribers only, balanced", "[sweep][assignor]") {
  const auto seed = GENERATE(range(1, 41));
  INFO("seed " << seed);
  sim::Rng rng(static_cast<uint64_t>(seed), "assignor/eager");
  const bool same = seed % 2 == 0;
  const World w = random_world(rng, same);
  const auto rr = assign(kRoundRobin, {w.topics, w.members});
  const auto rr_counts = check_complete(w, rr.members);
  const auto rg = assign(kRange, {w.topics, w.members});
  check_complete(w, rg.members);
  if (same) {
    size_t lo = SIZE_MAX, hi = 0;
    for (const auto& [id, n] : rr_counts) {
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    REQUIRE(hi - lo <= 1);
  }
  // Range per topic: shares differ by at most one.
  for (const auto& t : w.topics) {
    std::vector<size_t> per;
    for (size_t i = 0; i < rg.members.size(); ++i) {
      const auto& m = *std::find_if(w.members.begin(), w.members.end(), [&](const auto& x) {
        return x.member_id == rg.members[i].member_id;
      });
      if (std::find(m.topics.begin(), m.topics.end(), t.name) == m.topics.end()) continue;
      per.push_back(std::count_if(rg.members[i].partitions.begin(), rg.members[i].partitions.end(),
                                  [&](const auto& p) { return p.topic == t.name; }));
    }
    if (!per.empty())
      REQUIRE(*std::max_element(per.begin(), per.end()) -
                  *std::min_element(per.begin(), per.end()) <=
              1);
  }
}

TEST_CASE("sticky: complete, balanced and sticky through membership changes", "[sweep][assignor]") {
  const auto seed = GENERATE(range(1, 41));
  INFO("seed " << seed);
  sim::Rng rng(static_cast<uint64_t>(seed), "assignor/sticky");
  const bool same = seed % 2 == 0;
  World w = random_world(rng, same);
  size_t total = 0;
  for (const auto& t : w.topics)
    total += static_cast<size_t>(t.partitions);
  for (int step = 0; step < 6; ++step) {
    INFO("step " << step);
    const auto r = assign(AssignorStrategy::sticky, {w.topics, w.members});
    const auto counts = check_complete(w, r.members);
    check_balanced(w, r.members);
    const Shares got = shares(r.members);
    if (same) {
      size_t lo = SIZE_MAX, hi = 0;
      for (const auto& [id, n] : counts) {
        lo = std::min(lo, n);
        hi = std::max(hi, n);
      }
      REQUIRE(hi - lo <= 1);
      // Stickiness: everyone keeps min(owned, quota) of what it owned.
      const size_t quota = total / w.members.size();
      for (const auto& m : w.members) {
        const Names& now = got.at(m.member_id);
        size_t kept = 0;
        for (const auto& p : m.owned) {
          kept += std::find(now.begin(), now.end(), to_string(p)) != now.end() ? 1 : 0;
        }
        INFO(m.member_id);
        REQUIRE(kept >= std::min(m.owned.size(), quota));
      }
    }
    for (auto& m : w.members)
      m.owned = tps(got.at(m.member_id));
    churn(rng, w, same, step);
  }
}

TEST_CASE("cooperative-sticky: never hands out a partition still owned, converges",
          "[sweep][assignor]") {
  const auto seed = GENERATE(range(1, 41));
  INFO("seed " << seed);
  sim::Rng rng(static_cast<uint64_t>(seed), "assignor/cooperative");
  const bool same = seed % 2 == 1;
  World w = random_world(rng, same);
  for (int step = 0; step < 5; ++step) {
    INFO("step " << step);
    int extra_rounds = 0;
    for (;; ++extra_rounds) {
      const auto r = assign(AssignorStrategy::cooperative_sticky, {w.topics, w.members});
      check_complete(w, r.members);
      std::map<TopicPartitionName, std::string> owner;
      for (const auto& m : w.members) {
        for (const auto& p : m.owned)
          owner[p] = m.member_id;
      }
      for (const auto& a : r.first_round) {
        for (const auto& p : a.partitions) {
          auto it = owner.find(p);
          INFO(a.member_id << " got " << to_string(p));
          REQUIRE((it == owner.end() || it->second == a.member_id));
        }
      }
      // Everyone now owns its first-round share (the others revoked what they lost).
      const Shares round = shares(r.first_round);
      for (auto& m : w.members)
        m.owned = tps(round.at(m.member_id));
      if (r.transferring.empty()) break;
      REQUIRE(extra_rounds < 4);
    }
    churn(rng, w, same, step);
  }
}
