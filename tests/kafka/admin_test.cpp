// The operator's admin commands end to end, in KRaft and in ZooKeeper mode: add_partitions
// (kafka-topics --alter --partitions), reassign (kafka-reassign-partitions, KIP-455) and
// set_config (kafka-configs --alter): what the controller writes, what every broker ends up
// believing and doing, what clients notice, and the refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "check/history.h"
#include "check/invariants.h"
#include "kafka/client/partitioner.h"
#include "world/cluster.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {
using Mode = world::ClusterSpec::Mode;

kafka::ProducerConfig producer(int16_t acks = -1, double rate = 200,
                               int64_t metadata_max_age_ms = 5000) {
  kafka::ProducerConfig p;
  p.client_id = "checkout";
  p.topic = "orders";
  p.rate = rate;
  p.key = "order-{seq % 100}";
  p.value = "{\"amount\": {seq}}";
  p.acks = acks;
  p.metadata_max_age_ms = metadata_max_age_ms;
  return p;
}
kafka::ConsumerConfig consumer(int64_t metadata_max_age_ms = 5000) {
  kafka::ConsumerConfig c;
  c.client_id = "billing";
  c.topics = {"orders"};
  c.auto_offset_reset = "earliest";
  c.metadata_max_age_ms = metadata_max_age_ms;
  return c;
}
world::ClusterSpec spec_for(Mode mode, uint64_t seed = 1) {
  world::ClusterSpec spec = world::orders_example(seed);
  spec.mode = mode;
  return spec;
}
const char* mode_name(Mode m) {
  return m == Mode::kraft ? "KRaft" : "ZooKeeper mode";
}
const kafka::Producer& the_producer(const world::World& w) {
  return *w.impl_as<kafka::Producer>(world::kClientIdBase);
}
const kafka::Consumer& the_consumer(const world::World& w) {
  return *w.impl_as<kafka::Consumer>(world::kClientIdBase + 1);
}
/// What broker `b` itself believes (its own metadata image).
const kafka::MetadataImage& image_of(const world::World& w, int32_t b) {
  if (const auto* k = w.impl_as<kafka::KafkaNode>(b)) return k->image();
  return w.impl_as<kafka::zkmode::ZkBroker>(b)->image();
}
const kafka::ReplicaManager& replicas_of(const world::World& w, int32_t b) {
  if (const auto* k = w.impl_as<kafka::KafkaNode>(b)) return *k->replicas();
  return w.impl_as<kafka::zkmode::ZkBroker>(b)->replicas();
}
const kafka::PartitionRegistration& part(const kafka::MetadataImage& img, const std::string& name) {
  const auto tp = world::find_partition(&img, name);
  REQUIRE(tp.has_value());
  return *img.partition(*tp);
}
bool traced(const world::World& w, sim::TraceKind kind, const std::string& text,
            sim::Time after = 0_s) {
  for (const auto& r : w.trace().records()) {
    if (r.kind == kind && r.at >= after && r.reason.find(text) != std::string::npos) return true;
  }
  return false;
}
std::vector<int32_t> brokers() {
  return {101, 102, 103};
}
}  // namespace

// [add_partitions]
// ----------------------------------------------------------------------------------------

TEST_CASE(
    "add_partitions: the controller places the new partitions, every broker learns them, "
    "they get leaders and take keyed records that now hash differently",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    spec.producers.push_back(producer());
    spec.consumers.push_back(consumer());
    world::World w = world::make_cluster(spec);
    w.run_until(10_s);
    REQUIRE(w.apply(world::AddPartitions{"orders", 4}).ok());
    REQUIRE(traced(w, sim::TraceKind::partitions_added, "add partitions to orders: 2 -> 4"));
    w.run_until(40_s);
    for (int32_t b : brokers()) {
      INFO("broker " << b);
      const kafka::MetadataImage& img = image_of(w, b);
      REQUIRE(img.topic("orders")->partitions.size() == 4);
      for (const char* name : {"orders-2", "orders-3"}) {
        const auto& p = part(img, name);
        REQUIRE(p.replicas.size() == 2);  // the topic's replication factor
        REQUIRE(p.has_leader());
        REQUIRE(p.isr == p.replicas);
        // The replicas host it, the leader leads it.
        for (int32_t r : p.replicas) {
          const auto* hosted = replicas_of(w, r).partition({"orders", name[7] - '0'});
          REQUIRE(hosted != nullptr);
          REQUIRE((hosted->role == kafka::ReplicaManager::Role::leader) == (r == p.leader));
        }
      }
    }
    // The producer refreshed its metadata (metadata.max.age.ms 5 s) and wrote to all four; a
    // key now maps to murmur2 % 4 instead of % 2.
    const auto& h = the_producer(w).history();
    auto key_of = [](size_t seq) { return "order-" + std::to_string(seq % 100); };
    for (size_t seq = 0; seq < 100; ++seq)  // made before the change: 2 partitions
      REQUIRE(h[seq].partition == kafka::partition_for_key(key_of(seq), 2));
    int moved = 0;
    for (size_t seq = h.size() - 100; seq < h.size(); ++seq) {  // the last half second
      REQUIRE(h[seq].partition == kafka::partition_for_key(key_of(seq), 4));
      moved += h[seq].partition != kafka::partition_for_key(key_of(seq), 2) ? 1 : 0;
    }
    REQUIRE(moved > 0);
    std::set<int32_t> used;
    for (const auto& r : h) {
      if (r.state == kafka::SentRecord::State::acked) used.insert(r.partition);
    }
    REQUIRE(used == std::set<int32_t>{0, 1, 2, 3});
    // The standalone consumer (every partition of its topics) picked them up too.
    std::set<int32_t> read;
    for (const kafka::Delivery& d : the_consumer(w).deliveries())
      read.insert(d.partition);
    REQUIRE(read == std::set<int32_t>{0, 1, 2, 3});
    const check::DataSummary s = check::summarize(w);
    REQUIRE(s.acked > 7000);
    REQUIRE(s.acked_records_lost == 0);
    REQUIRE(s.duplicates == 0);
    REQUIRE(s.replica_divergence == 0);
    REQUIRE(s.consumed >= s.acked - 20);
  }
}

TEST_CASE(
    "add_partitions with a count that is not an increase is refused with "
    "INVALID_PARTITIONS and changes nothing",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::World w = world::make_cluster(spec_for(mode));
    w.run_until(10_s);
    // The controller decides, as CreatePartitions does: accepted as a command, refused there.
    REQUIRE(w.apply(world::AddPartitions{"orders", 2}).ok());
    REQUIRE(w.apply(world::AddPartitions{"orders", 1}).ok());
    w.run_until(15_s);
    REQUIRE(traced(w, sim::TraceKind::admin_error, "INVALID_PARTITIONS"));
    if (mode == Mode::kraft) {
      REQUIRE(traced(w, sim::TraceKind::admin_error, "Topic already has 2 partition(s)."));
      REQUIRE(traced(w, sim::TraceKind::admin_error,
                     "The topic orders currently has 2 partition(s); 1 would not be an "
                     "increase."));
    } else {
      REQUIRE(traced(w, sim::TraceKind::admin_error,
                     "Topic orders currently has 2 partitions, 1 would not be an increase."));
    }
    REQUIRE_FALSE(traced(w, sim::TraceKind::partitions_added, "orders"));
    for (int32_t b : brokers())
      REQUIRE(image_of(w, b).topic("orders")->partitions.size() == 2);
    // Growing twice at the same instant: the second sees the first (4 is no longer more).
    REQUIRE(w.apply(world::AddPartitions{"orders", 4}).ok());
    REQUIRE(w.apply(world::AddPartitions{"orders", 3}).ok());
    w.run_until(20_s);
    REQUIRE(world::cluster_image(w)->topic("orders")->partitions.size() == 4);
    // Mistakes the World sees at once.
    CHECK(w.apply(world::AddPartitions{"payments", 4}).error() ==
          "add_partitions: there is no topic payments (UNKNOWN_TOPIC_OR_PARTITION)");
    CHECK(w.apply(world::AddPartitions{"orders", 0}).error() ==
          "add_partitions orders: the partition count is 1..10000, not 0");
    CHECK_FALSE(w.apply(world::AddPartitions{"", 3}).ok());
  }
}

TEST_CASE(
    "clients learn of new partitions only at their next metadata refresh "
    "(metadata.max.age.ms), as Kafka's do",
    "[kafka][admin]") {
  world::ClusterSpec spec = spec_for(Mode::kraft);
  spec.producers.push_back(producer(-1, 20, 300000));  // Kafka's default age: 5 minutes
  spec.consumers.push_back(consumer(300000));
  world::World w = world::make_cluster(spec);
  w.run_until(10_s);
  REQUIRE(w.apply(world::AddPartitions{"orders", 4}).ok());
  auto partitions_used = [&] {
    std::set<int32_t> used;
    for (const auto& r : the_producer(w).history()) {
      if (r.state == kafka::SentRecord::State::acked) used.insert(r.partition);
    }
    return used;
  };
  w.run_until(200_s);
  REQUIRE(partitions_used() == std::set<int32_t>{0, 1});  // metadata from before the change
  w.run_until(330_s);
  REQUIRE(partitions_used() == std::set<int32_t>{0, 1, 2, 3});
  REQUIRE(check::summarize(w).acked_records_lost == 0);
}

TEST_CASE(
    "a consumer assigned explicit partitions keeps reading only those; add_partitions "
    "is placed rack-aware when brokers have racks",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    spec.racks = {{101, "a"}, {102, "b"}, {103, "c"}};
    spec.producers.push_back(producer());
    kafka::ConsumerConfig c = consumer();
    c.partitions = {{"orders", 0}};  // assign(orders-0)
    spec.consumers.push_back(c);
    world::World w = world::make_cluster(spec);
    w.run_until(10_s);
    REQUIRE(w.apply(world::AddPartitions{"orders", 6}).ok());
    w.run_until(30_s);
    const kafka::MetadataImage* img = world::cluster_image(w);
    for (int p = 2; p < 6; ++p) {
      const auto& r = part(*img, "orders-" + std::to_string(p)).replicas;
      REQUIRE(r.size() == 2);
      REQUIRE(spec.racks.at(r[0]) != spec.racks.at(r[1]));
    }
    for (const kafka::Delivery& d : the_consumer(w).deliveries())
      REQUIRE(d.partition == 0);
    REQUIRE(the_consumer(w).positions().size() == 1);
  }
}

// [reassign]
// ---------------------------------------------------------------------------------------

TEST_CASE(
    "reassign orders-0 from [101, 102] to [102, 103]: 103 catches up and joins the ISR, "
    "101 leaves and deletes its replica, no acknowledged record is lost",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    for (uint64_t seed : {1, 2}) {
      INFO(mode_name(mode) << ", seed " << seed);
      world::ClusterSpec spec = spec_for(mode, seed);
      spec.config.min_insync_replicas = 2;  // acks=all promises no loss: the checker holds us
      spec.producers.push_back(producer(-1, 500));
      spec.consumers.push_back(consumer());
      world::World w = world::make_cluster(spec);
      check::InvariantChecker checker(spec);
      REQUIRE(checker.promised() == std::vector<std::string>{"checkout"});
      auto run = [&](sim::Time until) {
        while (w.sim().has_pending() && w.sim().next_time() <= until) {
          w.step();
          checker.after_event(w);
        }
        w.run_until(until);
      };
      run(10_s);
      REQUIRE(part(*world::cluster_image(w), "orders-0").leader == 101);
      const int64_t epoch_before = part(*world::cluster_image(w), "orders-0").leader_epoch;
      REQUIRE(w.apply(world::Reassign{"orders-0", {102, 103}}).ok());
      run(30_s);
      checker.finish(w);
      INFO((checker.violation() ? checker.violation()->what : std::string("no violation")));
      REQUIRE_FALSE(checker.violation().has_value());
      for (int32_t b : brokers()) {
        INFO("broker " << b);
        const auto& p = part(image_of(w, b), "orders-0");
        REQUIRE(p.replicas == std::vector<kafka::BrokerId>{102, 103});
        for (int32_t r : p.isr)
          REQUIRE((r == 102 || r == 103));
        REQUIRE(p.leader == 102);  // 101 was removed; 102 is the first target replica
        REQUIRE(p.leader_epoch > epoch_before);
        REQUIRE_FALSE(p.is_reassigning());
      }
      REQUIRE(check::replica_log(w, 101, "orders", 0) == nullptr);  // deleted
      const kafka::PartitionLog* added = check::replica_log(w, 103, "orders", 0);
      REQUIRE(added != nullptr);
      REQUIRE(added->log_end_offset() > 4000);  // it copied the whole history
      REQUIRE(traced(w, sim::TraceKind::reassignment, "orders-0 reassignment complete"));
      const check::DataSummary s = check::summarize(w);
      REQUIRE(s.acked > 12000);
      REQUIRE(s.acked_records_lost == 0);
      REQUIRE(s.replica_divergence == 0);
      REQUIRE(s.duplicates == 0);
      REQUIRE(s.consumed >= s.acked - 50);
    }
  }
}

TEST_CASE("a reassignment survives the loss of the active controller right after it started",
          "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode, 2);
    spec.config.min_insync_replicas = 2;
    spec.producers.push_back(producer(-1, 1000));
    world::World w = world::make_cluster(spec);
    w.run_until(20_s);
    const int32_t controller = world::active_controller(w);
    REQUIRE(w.apply(world::Reassign{"orders-0", {102, 103}}).ok());
    w.run_until(20004_ms);  // the request reached ZooKeeper / the metadata log, no further
    REQUIRE(w.apply(world::Crash{controller}).ok());
    w.run_until(60_s);
    REQUIRE(w.apply(world::Restart{controller}).ok());
    w.run_until(120_s);
    for (int32_t b : brokers()) {
      INFO("broker " << b);
      const auto& p = part(image_of(w, b), "orders-0");
      REQUIRE(p.replicas == std::vector<kafka::BrokerId>{102, 103});
      REQUIRE_FALSE(p.is_reassigning());
    }
    if (controller != 101) REQUIRE(check::replica_log(w, 101, "orders", 0) == nullptr);
    const check::DataSummary s = check::summarize(w);
    REQUIRE(s.acked_records_lost == 0);
    REQUIRE(s.replica_divergence == 0);
  }
}

TEST_CASE("reassign: growing and shrinking the replica set, and moving the leader away",
          "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    spec.producers.push_back(producer(-1, 300));
    world::World w = world::make_cluster(spec);
    w.run_until(10_s);
    // Only adding: RF 2 -> 3 completes once 101 (new) is in the ISR.
    REQUIRE(w.apply(world::Reassign{"orders-1", {102, 103, 101}}).ok());
    w.run_until(20_s);
    const kafka::MetadataImage* img = world::cluster_image(w);
    REQUIRE(part(*img, "orders-1").replicas == std::vector<kafka::BrokerId>{102, 103, 101});
    REQUIRE(part(*img, "orders-1").isr.size() == 3);
    // Only removing: completes at once (every target replica is already in the ISR).
    REQUIRE(w.apply(world::Reassign{"orders-1", {103, 101}}).ok());
    w.run_until(30_s);
    img = world::cluster_image(w);
    REQUIRE(part(*img, "orders-1").replicas == std::vector<kafka::BrokerId>{103, 101});
    REQUIRE(part(*img, "orders-1").leader == 103);  // 102 led it and was removed
    REQUIRE(check::replica_log(w, 102, "orders", 1) == nullptr);
    REQUIRE(check::summarize(w).acked_records_lost == 0);
  }
}

TEST_CASE(
    "reassign: unknown partitions, replicas that are not brokers, duplicates and empty "
    "lists are refused with clear messages",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::World w = world::make_cluster(spec_for(mode));
    w.run_until(10_s);
    CHECK(w.apply(world::Reassign{"orders-7", {102, 103}}).error() ==
          "reassign: there is no partition orders-7 (UNKNOWN_TOPIC_OR_PARTITION)");
    CHECK(w.apply(world::Reassign{"orders-0", {}}).error() ==
          "reassign orders-0: the replica list is empty (INVALID_REPLICA_ASSIGNMENT)");
    CHECK(w.apply(world::Reassign{"orders-0", {102, 102}}).error() ==
          "reassign orders-0: broker 102 is listed more than once (INVALID_REPLICA_ASSIGNMENT)");
    CHECK(w.apply(world::Reassign{"orders-0", {102, 7}}).error() ==
          "reassign orders-0: there is no node 7 (INVALID_REPLICA_ASSIGNMENT: replicas must be "
          "brokers)");
    const std::string not_broker = mode == Mode::kraft ? "controller 1" : "zookeeper 1";
    CHECK(w.apply(world::Reassign{"orders-0", {102, 1}}).error() ==
          "reassign orders-0: " + not_broker +
              " is not a broker (INVALID_REPLICA_ASSIGNMENT: replicas must be brokers)");
    CHECK(w.apply(world::Reassign{"orders", {102}}).error() ==
          "reassign: \"orders\" is not a partition (TOPIC-N, e.g. orders-0)");
    // Scheduled: the static checks answer now, the state checks when its time comes.
    CHECK_FALSE(w.schedule(12_s, world::Reassign{"orders-0", {103, 103}}).ok());
    REQUIRE(w.schedule(12_s, world::Reassign{"orders-9", {102, 103}}).ok());
    w.run_until(15_s);
    REQUIRE(traced(w, sim::TraceKind::note,
                   "skipped \"reassign orders-9 to [102, 103]\": reassign: there is no partition "
                   "orders-9"));
    // Nothing moved.
    REQUIRE(part(*world::cluster_image(w), "orders-0").replicas ==
            std::vector<kafka::BrokerId>{101, 102});
  }
}

// [set_config]
// -------------------------------------------------------------------------------------

TEST_CASE(
    "set_config min.insync.replicas=3 on a topic with RF 3: acks=all producers get "
    "NOT_ENOUGH_REPLICAS once a broker is down",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    spec.topics[0].replication_factor = 3;
    spec.topics[0].assignment = {{101, 102, 103}, {102, 103, 101}};
    spec.producers.push_back(producer(-1, 100));
    world::World w = world::make_cluster(spec);
    w.run_until(10_s);
    REQUIRE(
        w.apply(world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{3}}).ok());
    w.run_until(12_s);
    REQUIRE(traced(w, sim::TraceKind::config_change, "topic orders: min.insync.replicas=3"));
    for (int32_t b : brokers()) {
      INFO("broker " << b);
      REQUIRE(replicas_of(w, b).partition({"orders", 0})->min_isr == 3);
      REQUIRE(traced(w, sim::TraceKind::config_change,
                     "broker " + std::to_string(b) +
                         " applies the new settings of orders: min.insync.replicas 1 -> 3"));
    }
    REQUIRE(the_producer(w).errors().count(kafka::Errc::NOT_ENOUGH_REPLICAS) == 0);
    REQUIRE(w.apply(world::Crash{103}).ok());
    w.run_until(60_s);  // 103 leaves the ISRs (fenced / session expired): 2 < 3
    REQUIRE(the_producer(w).errors().count(kafka::Errc::NOT_ENOUGH_REPLICAS) == 1);
    REQUIRE(the_producer(w).errors().at(kafka::Errc::NOT_ENOUGH_REPLICAS) > 0);
    REQUIRE(check::summarize(w).acked_records_lost == 0);
  }
}

TEST_CASE(
    "set_config unclean.leader.election.enable=true elects an out-of-sync replica of an "
    "offline partition (KRaft: at the controller's periodic check; ZooKeeper: at once)",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    spec.producers.push_back(producer(1, 100));
    world::World w = world::make_cluster(spec);
    REQUIRE(w.schedule(5_s, world::Crash{102}).ok());     // 102 falls out of orders-0's ISR
    REQUIRE(w.schedule(40_s, world::Crash{101}).ok());    // the last ISR member goes too
    REQUIRE(w.schedule(70_s, world::Restart{102}).ok());  // back, but not in the ISR
    w.run_until(100_s);
    const kafka::MetadataImage* img = world::cluster_image(w);
    REQUIRE(part(*img, "orders-0").leader == kafka::kNoLeader);  // offline: 102 is not clean
    REQUIRE(part(*img, "orders-0").isr == std::vector<kafka::BrokerId>{101});
    REQUIRE(
        w.apply(world::SetConfig{std::nullopt, "orders", "unclean.leader.election.enable", true})
            .ok());
    if (mode == Mode::kraft) {
      // The KRaft controller tries unclean elections every unclean.leader.election.interval.ms
      // (300 s), not when the config changes (KAFKA-12670).
      w.run_until(350_s);
      REQUIRE(part(*world::cluster_image(w), "orders-0").leader == kafka::kNoLeader);
      w.run_until(410_s);
    } else {
      w.run_until(101_s);
    }
    img = world::cluster_image(w);
    REQUIRE(part(*img, "orders-0").leader == 102);
    REQUIRE(part(*img, "orders-0").isr == std::vector<kafka::BrokerId>{102});
    REQUIRE(traced(w, sim::TraceKind::leader_change, "orders-0 leader -1 -> 102"));
  }
}

TEST_CASE(
    "set_config on one broker, the cluster-wide default and topic log settings: each "
    "broker resolves them as Kafka does",
    "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::ClusterSpec spec = spec_for(mode);
    world::World w = world::make_cluster(spec);
    w.run_until(10_s);
    // A broker-level min.insync.replicas for 102 only.
    REQUIRE(
        w.apply(world::SetConfig{world::NodeRef(102), "", "min.insync.replicas", int64_t{2}}).ok());
    // The cluster-wide default retention, in hours (a synonym of log.retention.ms).
    REQUIRE(w.apply(world::SetConfig{std::nullopt, "", "log.retention.hours", int64_t{2}}).ok());
    // And a topic setting, which wins over both.
    REQUIRE(w.apply(world::SetConfig{std::nullopt, "orders", "cleanup.policy",
                                     std::string("compact,delete")})
                .ok());
    REQUIRE(
        w.apply(world::SetConfig{std::nullopt, "orders", "min.cleanable.dirty.ratio", 0.25}).ok());
    w.run_until(15_s);
    const auto* on_101 = replicas_of(w, 101).partition({"orders", 0});
    const auto* on_102 = replicas_of(w, 102).partition({"orders", 0});
    REQUIRE(on_101->min_isr == 1);
    REQUIRE(on_102->min_isr == 2);
    for (const auto* p : {on_101, on_102}) {
      REQUIRE(p->log.config().retention_ms == 2 * 3600000);
      REQUIRE(p->log.config().cleanup_compact);
      REQUIRE(p->log.config().cleanup_delete);
      REQUIRE(p->log.config().min_cleanable_dirty_ratio == 0.25);
    }
    // A topic-level retention beats the broker default.
    REQUIRE(w.apply(world::SetConfig{std::nullopt, "orders", "retention.ms", int64_t{60000}}).ok());
    w.run_until(20_s);
    REQUIRE(replicas_of(w, 103).partition({"orders", 1})->log.config().retention_ms == 60000);
  }
}

TEST_CASE("set_config refuses read-only, unknown and mistyped settings with a clear message",
          "[kafka][admin]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    world::World w = world::make_cluster(spec_for(mode));
    w.run_until(10_s);
    auto error = [&](world::SetConfig c) { return w.apply(c).error(); };
    CHECK(error({world::NodeRef(101), "", "broker.session.timeout.ms", int64_t{3000}}) ==
          "set_config broker.session.timeout.ms: Cannot update these configs dynamically: "
          "broker.session.timeout.ms is a read-only broker setting (it changes only in "
          "server.properties, with a restart)");
    CHECK(error({std::nullopt, "", "replica.lag.time.max.ms", int64_t{1000}})
              .find("read-only broker setting") != std::string::npos);
    CHECK(error({std::nullopt, "orders", "min.insync.replicas", std::string("three")}) ==
          "set_config min.insync.replicas: min.insync.replicas expects an integer (Kafka type "
          "LONG or INT)");
    CHECK(error({std::nullopt, "orders", "min.insync.replicas", int64_t{0}}) ==
          "set_config min.insync.replicas: min.insync.replicas must be at least 1");
    CHECK(error({std::nullopt, "orders", "log.retention.ms", int64_t{1000}}) ==
          "set_config log.retention.ms: log.retention.ms is a broker setting; the topic-level "
          "name is retention.ms (INVALID_CONFIG)");
    CHECK(error({world::NodeRef(101), "", "retention.ms", int64_t{1000}}) ==
          "set_config retention.ms: retention.ms is a topic setting: give a topic, or use its "
          "broker synonym log.retention.ms (INVALID_CONFIG)");
    CHECK(error({std::nullopt, "orders", "max.message.bytes", int64_t{1000}})
              .find("unknown topic config name: max.message.bytes") != std::string::npos);
    CHECK(error({std::nullopt, "orders", "cleanup.policy", std::string("shred")})
              .find("expects \"delete\", \"compact\" or \"compact,delete\"") != std::string::npos);
    CHECK(error({std::nullopt, "orders", "min.cleanable.dirty.ratio", 1.5})
              .find("must be between 0 and 1") != std::string::npos);
    CHECK(error({std::nullopt, "payments", "retention.ms", int64_t{1000}}) ==
          "set_config: there is no topic payments (UNKNOWN_TOPIC_OR_PARTITION)");
    CHECK(error({world::NodeRef(101), "orders", "retention.ms", int64_t{1000}}) ==
          "set_config retention.ms: give a topic or a node, not both (a setting belongs to one "
          "entity)");
    CHECK(error({world::NodeRef(world::kClientIdBase), "", "min.insync.replicas", int64_t{2}})
              .find("no node") != std::string::npos);
    if (mode == Mode::zookeeper) {
      CHECK(error({world::NodeRef(1), "", "min.insync.replicas", int64_t{2}}) ==
            "set_config: zookeeper 1 is not a Kafka node; broker settings belong to brokers "
            "(and KRaft controllers)");
    }
    // A role resolves when the command runs.
    REQUIRE(w.apply(world::SetConfig{world::NodeRef::of_role("leader:orders-0"), "",
                                     "log.cleaner.backoff.ms", int64_t{1000}})
                .ok());
  }
}

// [describe and determinism]
// ----------------------------------------------------------------------------

TEST_CASE("admin commands describe themselves in one line", "[kafka][admin]") {
  CHECK(world::describe(world::AddPartitions{"orders", 4}) ==
        "add_partitions orders to 4 partitions in total");
  CHECK(world::describe(world::Reassign{"orders-0", {102, 103}}) ==
        "reassign orders-0 to [102, 103]");
  CHECK(world::describe(
            world::SetConfig{std::nullopt, "orders", "min.insync.replicas", int64_t{3}}) ==
        "set_config topic orders min.insync.replicas=3");
  CHECK(world::describe(
            world::SetConfig{world::NodeRef(101), "", "log.retention.ms", int64_t{1000}}) ==
        "set_config node 101 log.retention.ms=1000");
  CHECK(
      world::describe(world::SetConfig{std::nullopt, "", "unclean.leader.election.enable", true}) ==
      "set_config cluster-wide default unclean.leader.election.enable=true");
  CHECK(world::describe(world::SetConfig{world::NodeRef::of_role("controller"), "",
                                         "min.cleanable.dirty.ratio", 0.25}) ==
        "set_config controller min.cleanable.dirty.ratio=0.25");
}

TEST_CASE("admin commands in the timeline are deterministic: same seed, same trace hash",
          "[kafka][admin][determinism]") {
  for (Mode mode : {Mode::kraft, Mode::zookeeper}) {
    INFO(mode_name(mode));
    auto build = [&](bool commands) {
      world::ClusterSpec spec = spec_for(mode, 7);
      spec.producers.push_back(producer(-1, 300));
      spec.consumers.push_back(consumer());
      world::World w = world::make_cluster(spec);
      if (commands) {
        REQUIRE(w.schedule(5_s, world::AddPartitions{"orders", 3}).ok());
        REQUIRE(w.schedule(8_s, world::Reassign{"orders-0", {102, 103}}).ok());
        REQUIRE(w.schedule(12_s, world::SetConfig{std::nullopt, "orders", "min.insync.replicas",
                                                  int64_t{2}})
                    .ok());
        REQUIRE(w.schedule(14_s, world::SetConfig{std::nullopt, "",
                                                  "unclean.leader.election.enable", true})
                    .ok());
        REQUIRE(w.schedule(16_s, world::Crash{102}).ok());
      }
      return w;
    };
    auto run = [&](bool commands) {
      world::World w = build(commands);
      w.run_until(40_s);
      return w.trace_hash();
    };
    const uint64_t with = run(true);
    REQUIRE(with == run(true));
    REQUIRE(with != run(false));
    // A copy taken mid-reassignment runs on exactly like the original.
    world::World original = build(true);
    original.run_until(8100_ms);
    world::World copy = original;
    original.run_until(40_s);
    copy.run_until(40_s);
    REQUIRE(copy.trace_hash() == original.trace_hash());
    REQUIRE(original.trace_hash() == with);
  }
}
