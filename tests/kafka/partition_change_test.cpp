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
