#include <catch2/catch.hpp>

#include "../world/probe_world.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;
using kafkasim::testing::probe;
using kafkasim::testing::ProbeWorld;
using kafkasim::testing::seqs_from;

TEST_CASE("a message arrives after the link latency and carries its send time", "[unit][net]") {
  ProbeWorld pw(2);
  pw.cfg.link.latency = 3_ms;
  pw.send(1, 2, 10_ms, 7);
  world::World w = pw.build();
  w.run_until(1_s);
  const auto& got = probe(w, 2).received;
  REQUIRE(got.size() == 1);
  REQUIRE(got[0].seq == 7);
  REQUIRE(got[0].sent_at == 10_ms);
  REQUIRE(got[0].at == 13_ms);
}

TEST_CASE("messages on one connection arrive in send order despite jitter", "[unit][net]") {
  ProbeWorld pw(3);
  pw.cfg.link.latency = 1_ms;
  pw.cfg.link.jitter = 5_ms;  // far larger than the gap between sends
  for (uint64_t i = 0; i < 200; ++i) {
    pw.send(1, 2, sim::Time::from_us(static_cast<int64_t>(i * 10)), i);
    pw.send(3, 2, sim::Time::from_us(static_cast<int64_t>(i * 10)), 1000 + i);
  }
  world::World w = pw.build();
  w.run_until(1_s);
  std::vector<uint64_t> expected1, expected3;
  for (uint64_t i = 0; i < 200; ++i) {
    expected1.push_back(i);
    expected3.push_back(1000 + i);
  }
  REQUIRE(seqs_from(w, 2, 1) == expected1);
  REQUIRE(seqs_from(w, 2, 3) == expected3);
  // Jitter is real: the two connections interleave rather than arriving in lockstep.
  bool interleaved_unevenly = false;
  const auto& got = probe(w, 2).received;
  for (size_t i = 1; i < got.size(); ++i) {
    if (got[i].from == got[i - 1].from) interleaved_unevenly = true;
  }
  REQUIRE(interleaved_unevenly);
}

TEST_CASE("loss drops about the configured share of messages, deterministically", "[unit][net]") {
  auto run = [](double loss, uint64_t seed) {
    ProbeWorld pw(2);
    pw.cfg.seed = seed;
    pw.cfg.link.loss = loss;
    for (uint64_t i = 0; i < 2000; ++i)
      pw.send(1, 2, sim::Time::from_us(static_cast<int64_t>(i * 100)), i);
    world::World w = pw.build();
    w.run_until(2_s);
    return seqs_from(w, 2, 1);
  };
  REQUIRE(run(0.0, 1).size() == 2000);
  REQUIRE(run(1.0, 1).empty());
  const auto half = run(0.5, 1);
  REQUIRE(half.size() > 850);
  REQUIRE(half.size() < 1150);
  REQUIRE(run(0.5, 1) == half);  // same seed, same losses
  REQUIRE(run(0.5, 2) != half);  // another seed, other losses
}

TEST_CASE("a partition stops traffic across groups only, and heal restores it", "[unit][net]") {
  ProbeWorld pw(4);
  pw.send(1, 2, 10_ms, 1).send(1, 3, 10_ms, 2);    // before
  pw.send(1, 2, 110_ms, 3).send(1, 3, 110_ms, 4);  // during {1,2} | {3,4}
  pw.send(4, 3, 110_ms, 5);                        // inside the other group
  pw.send(1, 3, 310_ms, 6);                        // after heal
  world::World w = pw.build();
  REQUIRE(w.schedule(100_ms, world::Partition{{{1, 2}}}).ok());
  REQUIRE(w.schedule(300_ms, world::Heal{}).ok());
  w.run_until(10_s);
  REQUIRE(seqs_from(w, 2, 1) == std::vector<uint64_t>{1, 3});
  REQUIRE(seqs_from(w, 3, 1) == std::vector<uint64_t>{2, 6});
  REQUIRE(seqs_from(w, 3, 4) == std::vector<uint64_t>{5});
  // The sender learns of the dead connection after the disconnect timeout, once.
  const auto& d = probe(w, 1).disconnects;
  REQUIRE(d.size() == 1);
  REQUIRE(d[0].peer == 3);
  REQUIRE(d[0].at == 110_ms + 5_s);
}

TEST_CASE("a cut loses what is in flight, even after the link heals", "[unit][net]") {
  ProbeWorld pw(2);
  pw.cfg.link.latency = 50_ms;
  pw.send(1, 2, 10_ms, 1);  // in flight until 60 ms
  world::World w = pw.build();
  REQUIRE(w.schedule(30_ms, world::Isolate{2}).ok());
  REQUIRE(w.schedule(40_ms, world::Heal{}).ok());
  w.run_until(10_s);
  REQUIRE(probe(w, 2).received.empty());
  REQUIRE(w.network().lost_count() == 1);
  REQUIRE(probe(w, 1).disconnects.size() == 1);  // it was waiting on that connection
}

TEST_CASE("a crashed peer resets connections at once; a powered-off one only by timeout",
          "[unit][net]") {
  for (bool power : {false, true}) {
    ProbeWorld pw(2);
    pw.cfg.link.latency = 2_ms;
    pw.send(1, 2, 10_ms, 1);  // opens the connection
    pw.send(1, 2, 99_ms, 2);  // in flight when 2 dies
    world::World w = pw.build();
    if (power) {
      REQUIRE(w.schedule(100_ms, world::PowerLoss{2}).ok());
    } else {
      REQUIRE(w.schedule(100_ms, world::Crash{2}).ok());
    }
    w.run_until(10_s);
    REQUIRE(seqs_from(w, 2, 1) == std::vector<uint64_t>{1});
    const auto& d = probe(w, 1).disconnects;
    REQUIRE(d.size() == 1);
    REQUIRE(d[0].at == (power ? 100_ms + 5_s : 102_ms));
  }
}

TEST_CASE("a paused node's timers and messages wait, then run in order", "[unit][net]") {
  ProbeWorld pw(2);
  pw.timer(2, 150_ms);
  pw.send(1, 2, 120_ms, 1).send(1, 2, 130_ms, 2).send(1, 2, 400_ms, 3);
  world::World w = pw.build();
  REQUIRE(w.schedule(100_ms, world::Pause{2, 200_ms}).ok());
  w.run_until(10_s);
  const auto& p = probe(w, 2);
  REQUIRE(p.received.size() == 3);
  REQUIRE(p.received[0].at == 300_ms);  // delivered on resume
  REQUIRE(p.received[1].at == 300_ms);
  REQUIRE(p.received[0].seq == 1);
  REQUIRE(p.received[1].seq == 2);
  REQUIRE(p.received[2].at == 401_ms);
  REQUIRE(p.fired.size() == 1);
  REQUIRE(p.fired[0].at == 300_ms);  // the timer was due at 150 ms
  // Pausing is not crashing: no connection broke.
  REQUIRE(probe(w, 1).disconnects.empty());
}

TEST_CASE("a per-link override changes one link only, both ways", "[unit][net]") {
  ProbeWorld pw(3);
  pw.send(1, 2, 0_ms, 1).send(2, 1, 0_ms, 2).send(1, 3, 0_ms, 3);
  world::World w = pw.build();
  REQUIRE(w.apply(world::SetLink{1, 2, 40_ms, std::nullopt, std::nullopt, std::nullopt}).ok());
  w.run_until(1_s);
  REQUIRE(probe(w, 2).received[0].at == 40_ms);
  REQUIRE(probe(w, 1).received[0].at == 40_ms);
  REQUIRE(probe(w, 3).received[0].at == 1_ms);
}

TEST_CASE("a restarted node starts again with its timers re-armed", "[unit][net]") {
  ProbeWorld pw(2);
  pw.timer(2, 50_ms).timer(2, 500_ms);
  pw.send(1, 2, 250_ms, 1);  // while 2 is down: refused, never delivered
  pw.send(1, 2, 600_ms, 2);
  world::World w = pw.build();
  REQUIRE(w.schedule(100_ms, world::Crash{2}).ok());
  REQUIRE(w.schedule(300_ms, world::Restart{2}).ok());
  w.run_until(1_s);
  const auto& p = probe(w, 2);
  REQUIRE(p.crashes == 1);
  REQUIRE(p.starts == 2);
  REQUIRE(seqs_from(w, 2, 1) == std::vector<uint64_t>{2});
  REQUIRE(p.fired.size() == 2);  // 50 ms before the crash; 500 ms re-armed at restart
  REQUIRE(p.fired[1].at == 500_ms);
  REQUIRE(probe(w, 1).disconnects.size() == 1);  // connection refused at 252 ms
  REQUIRE(probe(w, 1).disconnects[0].at == 252_ms);
}
