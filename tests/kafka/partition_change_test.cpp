// PartitionChangeBuilder against Kafka's own vectors (PartitionChangeBuilderTest, in
// KAFKA_REFERENCE 7.7).
#include <catch2/catch.hpp>

#include "kafka/controller/partition_change.h"

using namespace kafkasim::kafka;

namespace {
PartitionRegistration foo() {
  PartitionRegistration p;
  p.replicas = {2, 1, 3};
  p.isr = {2, 1, 3};
  p.leader = 1;
  p.leader_epoch = 100;
  p.partition_epoch = 200;
  return p;
}
PartitionRegistration baz() {
  PartitionRegistration p;
  p.replicas = {2, 1, 3};
  p.isr = {1, 3};
  p.leader = 3;
  return p;
}
bool all_but_3(BrokerId b) {
  return b != 3;
}
bool all(BrokerId) {
  return true;
}

ElectionResult elect(const PartitionRegistration& p, Election e, std::function<bool(BrokerId)> ok,
                     std::optional<std::vector<BrokerId>> isr = std::nullopt,
                     std::optional<std::vector<BrokerId>> replicas = std::nullopt) {
  PartitionChangeBuilder b{p, 0, 0, std::move(ok), std::move(isr), std::move(replicas), e};
  return b.elect_leader();
}
}  // namespace

TEST_CASE("testElectLeader vectors on FOO (broker 3 fenced)", "[unit][controller]") {
  const PartitionRegistration p = foo();
  auto check = [](ElectionResult r, BrokerId leader, bool unclean) {
    REQUIRE(r.leader == leader);
    REQUIRE(r.unclean == unclean);
  };
  check(elect(p, Election::preferred, all_but_3), 2, false);
  check(elect(p, Election::online, all_but_3), 1, false);
  check(elect(p, Election::unclean, all_but_3), 1, false);
  check(elect(p, Election::online, all_but_3, std::vector<BrokerId>{1, 3}), 1, false);
  check(elect(p, Election::unclean, all_but_3, std::vector<BrokerId>{1, 3}), 1, false);
  check(elect(p, Election::online, all_but_3, std::vector<BrokerId>{3}), kNoLeader, false);
  check(elect(p, Election::unclean, all_but_3, std::vector<BrokerId>{3}), 2, true);
  check(elect(p, Election::unclean, all_but_3, std::vector<BrokerId>{4},
              std::vector<BrokerId>{2, 1, 3, 4}),
        4, false);
}

TEST_CASE("testElectLeader vectors on BAZ (everyone acceptable)", "[unit][controller]") {
  const PartitionRegistration p = baz();
  REQUIRE(elect(p, Election::preferred, all).leader == 3);  // 2 is not in the ISR
  REQUIRE(elect(p, Election::online, all).leader == 3);
  REQUIRE(elect(p, Election::unclean, all).leader == 3);
}

TEST_CASE("an unclean election forces the ISR to the new leader and marks it RECOVERING",
          "[unit][controller]") {
  const PartitionRegistration p = foo();
  PartitionChangeBuilder b{
      p, 0, 0, all_but_3, std::vector<BrokerId>{3}, std::nullopt, Election::unclean};
  const auto rec = b.build();
  REQUIRE(rec.has_value());
  REQUIRE(rec->leader == BrokerId{2});
  REQUIRE(rec->isr == std::vector<BrokerId>{2});
  REQUIRE(rec->leader_recovery_state == LeaderRecoveryState::RECOVERING);
}

TEST_CASE("shrinking the ISR without a leader change does not bump the leader epoch",
          "[unit][controller]") {
  // testNoLeaderEpochBumpOnIsrShrink: FOO with target ISR [2, 1] at MetadataVersion >= 3.6.
  const PartitionRegistration p = foo();
  PartitionChangeBuilder b{
      p, 7, 0, all_but_3, std::vector<BrokerId>{2, 1}, std::nullopt, Election::online};
  const auto rec = b.build();
  REQUIRE(rec.has_value());
  REQUIRE_FALSE(rec->leader.has_value());
  REQUIRE(rec->isr == std::vector<BrokerId>{2, 1});
  MetadataImage img;
  img.apply(0, TopicRecord{"foo", 0});
  PartitionRecord pr;
  pr.replicas = p.replicas;
  pr.isr = p.isr;
  pr.leader = p.leader;
  pr.leader_epoch = 100;
  pr.partition_epoch = 200;
  img.apply(1, pr);
  PartitionChangeRecord change = *rec;
  change.topic_id = 0;
  img.apply(2, change);
  REQUIRE(img.partition({0, 0})->leader_epoch == 100);     // no leader change, no bump
  REQUIRE(img.partition({0, 0})->partition_epoch == 201);  // every change bumps this
  PartitionChangeRecord lead;
  lead.leader = 2;
  img.apply(3, lead);
  REQUIRE(img.partition({0, 0})->leader_epoch == 101);
  REQUIRE(img.partition({0, 0})->partition_epoch == 202);
}

TEST_CASE("nothing to change yields no record", "[unit][controller]") {
  const PartitionRegistration p = foo();
  PartitionChangeBuilder b{p, 0, 0, all, std::nullopt, std::nullopt, Election::online};
  REQUIRE_FALSE(b.build().has_value());
}

TEST_CASE("a reassignment grows the replica set, then completes when the ISR holds the target",
          "[unit][controller]") {
  // The KIP-455 example: replicas [1, 2, 3], ISR [1, 2], leader 1; move 3's replica to 4.
  PartitionRegistration p;
  p.replicas = {1, 2, 3};
  p.isr = {1, 2};
  p.leader = 1;
  const auto re = PartitionChangeBuilder::reassignment(p.replicas, {1, 2, 4});
  REQUIRE(re.replicas == std::vector<BrokerId>{1, 2, 4, 3});
  REQUIRE(re.adding == std::vector<BrokerId>{4});
  REQUIRE(re.removing == std::vector<BrokerId>{3});
  PartitionChangeBuilder grow{p, 0, 0, all, std::nullopt, re.replicas, Election::online};
  grow.target_adding = re.adding;
  grow.target_removing = re.removing;
  const auto start = grow.build();
  REQUIRE(start.has_value());
  REQUIRE_FALSE(start->leader.has_value());  // growing keeps the leader and its epoch
  REQUIRE_FALSE(start->isr.has_value());
  REQUIRE(start->replicas == std::vector<BrokerId>{1, 2, 4, 3});
  REQUIRE(start->adding_replicas == std::vector<BrokerId>{4});
  REQUIRE(start->removing_replicas == std::vector<BrokerId>{3});

  // 4 caught up: the leader's AlterPartition puts it in the ISR, which completes the move.
  PartitionRegistration moving = p;
  moving.replicas = re.replicas;
  moving.adding_replicas = re.adding;
  moving.removing_replicas = re.removing;
  PartitionChangeBuilder caught_up{
      moving, 0, 0, all, std::vector<BrokerId>{1, 2, 4}, std::nullopt, Election::online};
  REQUIRE(caught_up.completed_reassignment().has_value());
  const auto done = caught_up.build();
  REQUIRE(done.has_value());
  REQUIRE(done->replicas == std::vector<BrokerId>{1, 2, 4});
  REQUIRE(done->isr == std::vector<BrokerId>{1, 2, 4});
  REQUIRE(done->leader == BrokerId{1});  // same leader, but the epoch bumps: 3 was removed
  REQUIRE(done->adding_replicas == std::vector<BrokerId>{});
  REQUIRE(done->removing_replicas == std::vector<BrokerId>{});
  // Before 4 is in the ISR nothing completes.
  PartitionChangeBuilder waiting{moving, 0, 0, all, std::nullopt, std::nullopt, Election::online};
  REQUIRE_FALSE(waiting.completed_reassignment().has_value());
  REQUIRE_FALSE(waiting.build().has_value());
}

TEST_CASE("completing a reassignment that removes the leader elects the first target replica",
          "[unit][controller]") {
  // orders-0 moving from [101, 102] to [102, 103] while 101 leads.
  PartitionRegistration p;
  p.replicas = {102, 103, 101};
  p.isr = {101, 102};
  p.leader = 101;
  p.adding_replicas = {103};
  p.removing_replicas = {101};
  PartitionChangeBuilder b{
      p, 0, 0, all, std::vector<BrokerId>{101, 102, 103}, std::nullopt, Election::online};
  REQUIRE(b.elect_leader().leader == 102);
  const auto rec = b.build();
  REQUIRE(rec.has_value());
  REQUIRE(rec->leader == BrokerId{102});
  REQUIRE(rec->replicas == std::vector<BrokerId>{102, 103});
  REQUIRE(rec->isr == std::vector<BrokerId>{102, 103});
  // Only removing: complete at once, the ISR already holds the target.
  PartitionRegistration q;
  q.replicas = {1, 2, 3};
  q.isr = {1, 2, 3};
  q.leader = 3;
  const auto shrink = PartitionChangeBuilder::reassignment(q.replicas, {1, 2});
  PartitionChangeBuilder s{q, 0, 0, all, std::nullopt, shrink.replicas, Election::online};
  s.target_adding = shrink.adding;
  s.target_removing = shrink.removing;
  const auto once = s.build();
  REQUIRE(once.has_value());
  REQUIRE(once->replicas == std::vector<BrokerId>{1, 2});
  REQUIRE(once->isr == std::vector<BrokerId>{1, 2});
  REQUIRE(once->leader == BrokerId{1});
}
