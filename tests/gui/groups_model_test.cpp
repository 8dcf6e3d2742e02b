// The Groups tab's model, without a window: tests/gui/groups.toml (three members of "billing",
// cooperative-sticky, the coordinator's broker 103 crashes at 30 s) and its eager variant
// groups_eager.toml (range). The model follows time travel, a cooperative rebalance moves only
// the moving partitions in two rounds, an eager one revokes everything first, a crash ends what
// a consumer owned, and a failover leaves the group without a coordinator for a while.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "app_state.h"
#include "groups_model.h"
#include "scenario/loader.h"
#include "scenario/runner.h"
#include "world/cluster.h"
#include "world_view.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
using gui::GroupModel;
using gui::OwnershipSpan;
using kafka::TopicPartitionName;

namespace {

gui::AppState open(const std::string& file) {
  auto s = scenario::load_scenario(std::string(KAFKASIM_TEST_GUI_DIR) + "/" + file);
  REQUIRE(s);
  auto w = scenario::build_world(*s, s->seed);
  REQUIRE(w);
  return gui::AppState(std::move(*w), s->duration);
}

GroupModel model(const gui::AppState& app, gui::GroupTrace& trace) {
  trace.update(std::span<const sim::TraceRecord>(app.log().data(), app.log_now()), app.rewinds());
  return gui::group_model(app.world, "billing", trace.records());
}

TopicPartitionName orders(int32_t p) {
  return {"orders", p};
}

const gui::MemberLane& lane(const GroupModel& m, const std::string& client) {
  const auto it = std::find_if(m.lanes.begin(), m.lanes.end(),
                               [&](const gui::MemberLane& l) { return l.client_id == client; });
  REQUIRE(it != m.lanes.end());
  return *it;
}

/// No partition is owned by two members at the same time (cooperative safety, and a sanity
/// check of the spans for any protocol).
void require_single_owners(const GroupModel& m) {
  for (size_t a = 0; a < m.lanes.size(); ++a) {
    for (size_t b = a + 1; b < m.lanes.size(); ++b) {
      for (const OwnershipSpan& x : m.lanes[a].spans) {
        for (const OwnershipSpan& y : m.lanes[b].spans) {
          INFO(x.tp.str() << " " << m.lanes[a].client_id << " and " << m.lanes[b].client_id);
          CHECK((x.tp != y.tp || x.to <= y.from || y.to <= x.from));
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("the Groups model shows the group as its coordinator holds it", "[unit]") {
  auto app = open("groups.toml");
  gui::GroupTrace trace;
  app.goto_time(45_s);
  CHECK(gui::group_ids(app.world) == std::vector<std::string>{"billing"});
  const GroupModel m = model(app, trace);
  CHECK(m.known);
  CHECK(m.state == "Stable");
  CHECK(m.generation == 3);
  CHECK(m.coordinator == 102);  // 103 crashed at 30 s
  CHECK(m.protocol == "cooperative-sticky");
  CHECK(m.leader_client_id == "billing-1");
  REQUIRE(m.members.size() == 3);
  const std::vector<std::vector<TopicPartitionName>> owned = {
      {orders(0), orders(2)}, {orders(1), orders(3)}, {orders(4), orders(5)}};
  for (size_t k = 0; k < 3; ++k) {
    const gui::GroupMemberRow& r = m.members[k];
    INFO(r.client_id);
    CHECK(r.client_id == "billing-" + std::to_string(k + 1));
    CHECK(r.phase == "stable");
    CHECK(r.at_coordinator);
    CHECK(r.leader == (k == 0));
    CHECK(r.member_id.rfind(r.client_id + "-", 0) == 0);
    CHECK(r.instance_id.empty());
    CHECK(r.owned == owned[k]);
    CHECK(r.consumed > 0);
    CHECK(r.polled);
    CHECK(r.last_poll <= m.now);
  }
  REQUIRE(m.partitions.size() == 6);
  int64_t lag = 0;
  for (const gui::GroupPartitionRow& p : m.partitions) {
    INFO(p.tp.str());
    REQUIRE(p.owners.size() == 1);
    CHECK(p.committed_from == gui::CommitSource::coordinator);
    CHECK(p.committed > 0);
    CHECK(p.committed <= p.position);
    CHECK(p.position <= p.high_watermark);
    CHECK(p.lag == p.high_watermark - p.committed);
    lag += p.lag;
  }
  CHECK(m.lag_total == lag);
}

TEST_CASE("a cooperative rebalance moves only the moving partitions, in two rounds", "[unit]") {
  auto app = open("groups.toml");
  gui::GroupTrace trace;
  app.goto_time(45_s);
  const GroupModel m = model(app, trace);
  REQUIRE(m.generations.size() == 3);
  const sim::Time g2 = m.generations[1].at, g3 = m.generations[2].at;
  CHECK(g2 > 20_s);
  CHECK(g3 > g2);
  // billing-1 and billing-2 keep two partitions each the whole time, and give one up each at
  // the first round; billing-3 gets them only at the second.
  const gui::MemberLane& b1 = lane(m, "billing-1");
  for (const OwnershipSpan& s : b1.spans) {
    INFO(s.tp.str());
    if (s.tp == orders(4)) {
      CHECK(s.end == OwnershipSpan::End::revoked);
      CHECK(s.to == g2);
    } else {
      CHECK(s.end == OwnershipSpan::End::owned);
      CHECK(s.to == m.now);
    }
  }
  CHECK(b1.rows == std::vector<TopicPartitionName>{orders(0), orders(2), orders(4)});
  const gui::MemberLane& b3 = lane(m, "billing-3");
  REQUIRE(b3.spans.size() == 2);
  for (const OwnershipSpan& s : b3.spans) {
    CHECK(s.from == g3);
    CHECK(s.generation == 3);
  }
  CHECK(b3.owned_at(g2).empty());
  CHECK(b3.owned_at(g3) == std::vector<TopicPartitionName>{orders(4), orders(5)});
  require_single_owners(m);
  // The coordinator's rebalances: the first join, then the two rounds around 20 s.
  REQUIRE(m.rebalances.size() >= 2);
  CHECK(m.rebalances.front().from < 8_s);
  for (const gui::GroupWindow& w : m.rebalances)
    CHECK_FALSE(w.open);
}

TEST_CASE("an eager rebalance revokes everything before the new assignment", "[unit]") {
  auto app = open("groups_eager.toml");
  gui::GroupTrace trace;
  app.goto_time(45_s);
  const GroupModel m = model(app, trace);
  CHECK(m.protocol == "range");
  REQUIRE(m.generations.size() == 2);
  const sim::Time g2 = m.generations[1].at;
  // Every partition owned in generation 1 was revoked before any of generation 2 was assigned:
  // for a moment nobody owned anything (stop-the-world).
  sim::Time last_revoke, first_assign = m.now;
  for (const gui::MemberLane& l : m.lanes) {
    for (const OwnershipSpan& s : l.spans) {
      if (s.generation == 1) {
        INFO(l.client_id << " " << s.tp.str());
        CHECK(s.end == OwnershipSpan::End::revoked);
        last_revoke = std::max(last_revoke, s.to);
      } else {
        CHECK(s.generation == 2);
        first_assign = std::min(first_assign, s.from);
      }
    }
  }
  CHECK(first_assign == g2);
  CHECK(last_revoke <= first_assign);
  for (const gui::MemberLane& l : m.lanes)
    CHECK(l.owned_at(last_revoke).empty());
  // billing-2 was busy, but while its rebalance commit was in flight poll() returned nothing
  // from partitions pending revocation (KAFKA-14196): it took its new assignment with the others.
  const gui::MemberLane& b2 = lane(m, "billing-2");
  CHECK(b2.owned_at(g2 + 500_ms).size() == 2);
  CHECK(b2.owned_at(m.now).size() == 2);
  require_single_owners(m);
}

TEST_CASE("the coordinator's failover: no coordinator until another broker loads the group",
          "[unit]") {
  auto app = open("groups.toml");
  gui::GroupTrace trace;
  app.goto_time(31_s);
  GroupModel m = model(app, trace);
  CHECK(m.coordinator == -1);
  CHECK_FALSE(m.known);
  CHECK(m.state == "unknown");
  REQUIRE(m.no_coordinator.size() == 1);
  CHECK(m.no_coordinator[0].open);
  CHECK(m.no_coordinator[0].from == 30_s);
  CHECK(m.no_coordinator[0].broker == 103);
  // The offsets shown are the members' last acknowledged commits meanwhile.
  for (const gui::GroupPartitionRow& p : m.partitions) {
    CHECK(p.committed_from == gui::CommitSource::members);
    CHECK(p.committed > 0);
  }
  CHECK(gui::coordinators(app.world).empty());
  CHECK(gui::committed_offsets(app.world, orders(0)).empty());

  app.goto_time(45_s);
  m = model(app, trace);
  REQUIRE(m.no_coordinator.size() == 1);
  CHECK_FALSE(m.no_coordinator[0].open);
  REQUIRE(m.coordinators.size() == 2);
  CHECK(m.coordinators[0].broker == 103);
  CHECK(m.coordinators[1].broker == 102);
  CHECK(m.no_coordinator[0].to == m.coordinators[1].at);
  const auto by_broker = gui::coordinators(app.world);
  REQUIRE(by_broker.count(102) == 1);
  CHECK(by_broker.at(102) == std::vector<std::string>{"billing"});
}

TEST_CASE("the partition view's committed offsets and positions come from the group", "[unit]") {
  auto app = open("groups.toml");
  app.goto_time(45_s);
  gui::GroupTrace trace;
  const GroupModel m = model(app, trace);
  for (const gui::GroupPartitionRow& p : m.partitions) {
    const std::vector<gui::GroupCommit> commits = gui::committed_offsets(app.world, p.tp);
    REQUIRE(commits.size() == 1);
    CHECK(commits[0].group_id == "billing");
    CHECK(commits[0].committed == p.committed);
    // Only the owner reads it, not every member of the group.
    const std::vector<gui::ConsumerPosition> readers = gui::consumer_positions(app.world, p.tp);
    REQUIRE(readers.size() == 1);
    CHECK(readers[0].client_id == p.owners[0]);
    CHECK(readers[0].position == p.position);
  }
}

TEST_CASE("a crashed consumer's partitions end on the timeline when it crashes", "[unit]") {
  auto app = open("groups.toml");
  gui::GroupTrace trace;
  app.goto_time(25_s);
  const int32_t b2 = gui::group_model(app.world, "billing", {}).members[1].node;
  REQUIRE(app.submit(world::Crash{b2}));
  app.goto_time(28_s);
  const GroupModel m = model(app, trace);
  const gui::MemberLane& l = lane(m, "billing-2");
  CHECK(l.crashes == std::vector<sim::Time>{25_s});
  CHECK(l.owned_at(26_s).empty());
  for (const OwnershipSpan& s : l.spans) {
    if (s.to < 20_s + 100_ms) continue;  // orders-5, revoked at the first round
    CHECK(s.end == OwnershipSpan::End::crashed);
    CHECK(s.to == 25_s);
  }
  CHECK(m.members[1].phase == "crashed");
  CHECK(m.members[1].owned.empty());
}

TEST_CASE("the Groups model follows time travel", "[unit]") {
  auto app = open("groups.toml");
  gui::GroupTrace trace;
  app.goto_time(45_s);
  (void)model(app, trace);
  app.goto_time(21_s);  // back: between the cooperative rounds
  const GroupModel back = model(app, trace);
  auto fresh_app = open("groups.toml");
  gui::GroupTrace fresh_trace;
  fresh_app.goto_time(21_s);
  const GroupModel fresh = model(fresh_app, fresh_trace);
  CHECK(back.generation == 2);
  CHECK(back.generations.size() == fresh.generations.size());
  CHECK(back.rebalances.size() == fresh.rebalances.size());
  CHECK(back.no_coordinator.empty());
  REQUIRE(back.lanes.size() == fresh.lanes.size());
  for (size_t k = 0; k < back.lanes.size(); ++k) {
    CHECK(back.lanes[k].spans.size() == fresh.lanes[k].spans.size());
    CHECK(back.lanes[k].owned_at(back.now) == fresh.lanes[k].owned_at(fresh.now));
  }
  CHECK(lane(back, "billing-3").spans.empty());
}

TEST_CASE("group traffic travels as group messages", "[unit]") {
  auto app = open("groups.toml");
  app.goto_time(25_s);
  const std::vector<std::string> apis = {"FindCoordinator", "JoinGroup",  "SyncGroup",
                                         "Heartbeat",       "LeaveGroup", "OffsetCommit",
                                         "OffsetFetch"};
  size_t group_messages = 0;
  for (const gui::MessageLine& l : app.messages()) {
    const std::string name = world::payload_name(static_cast<size_t>(l.message));
    const bool api = std::any_of(apis.begin(), apis.end(),
                                 [&](const std::string& a) { return name.rfind(a, 0) == 0; });
    INFO(name);
    CHECK(api == (l.kind == net::MessageKind::group));
    group_messages += api ? 1 : 0;
  }
  CHECK(group_messages > 20);
}
