// The studio's MetricsRecorder (app/gui/metrics.*, no ImGui in it): the series it records
// from a scenario's World add up to the clients' own counts, do not depend on how often it is
// called, come back the same after a rewind, and show lag when the consumer stalls.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "check/history.h"
#include "metrics.h"
#include "scenario/loader.h"
#include "scenario/runner.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

namespace {

world::World leader_failover() {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/03-leader-failover.toml");
  REQUIRE(s);
  auto w = scenario::build_world(*s, s->seed, false);
  REQUIRE(w);
  return std::move(*w);
}

// Runs `w` to `until`, sampling at every multiple of `step`.
void run(world::World& w, gui::MetricsRecorder& m, sim::Time until, sim::Time step) {
  const sim::Time first = w.now() - sim::Time::from_ns(w.now().ns() % step.ns()) + step;
  for (sim::Time t = first; t <= until; t += step) {
    w.run_until(t);
    m.sample(w);
  }
}

int64_t sum(const gui::MetricsRecorder& m, int64_t gui::MetricsSample::*f) {
  int64_t n = 0;
  for (const gui::MetricsSample& s : m.samples())
    n += s.*f;
  return n;
}

// Everything but lag and errors, which are read as the World stands when sample() is called.
void require_same_traffic(const gui::MetricsSample& a, const gui::MetricsSample& b) {
  INFO("sample at " << sim::to_string(a.at));
  REQUIRE(a.at == b.at);
  REQUIRE(a.produced == b.produced);
  REQUIRE(a.acked == b.acked);
  REQUIRE(a.consumed == b.consumed);
  REQUIRE(a.produce_latency_ns_sum == b.produce_latency_ns_sum);
  REQUIRE(a.produce_latency_ns_max == b.produce_latency_ns_max);
  REQUIRE(a.end_to_end_latency_ns_sum == b.end_to_end_latency_ns_sum);
  REQUIRE(a.end_to_end_latency_ns_max == b.end_to_end_latency_ns_max);
}

void require_same(const gui::MetricsRecorder& a, const gui::MetricsRecorder& b) {
  REQUIRE(a.samples().size() == b.samples().size());
  REQUIRE(a.lag_series() == b.lag_series());
  for (size_t i = 0; i < a.samples().size(); ++i) {
    const gui::MetricsSample& x = a.samples()[i];
    const gui::MetricsSample& y = b.samples()[i];
    require_same_traffic(x, y);
    REQUIRE(x.lag_total == y.lag_total);
    for (size_t k = 0; k < a.lag_series().size(); ++k)
      REQUIRE(a.lag(x, k) == b.lag(y, k));
    const auto ex = a.errors(x), ey = b.errors(y);
    REQUIRE(std::vector(ex.begin(), ex.end()) == std::vector(ey.begin(), ey.end()));
  }
}

}  // namespace

TEST_CASE("metrics: a scenario's traffic, counted once per record", "[gui][metrics]") {
  world::World w = leader_failover();
  gui::MetricsRecorder m;
  run(w, m, 20_s, m.interval());
  REQUIRE(m.samples().size() == 200);
  REQUIRE(m.samples().back().at == 20_s);
  const check::DataSummary d = check::summarize(w);
  REQUIRE(d.produced > 0);
  REQUIRE(d.consumed > 0);
  REQUIRE(sum(m, &gui::MetricsSample::produced) == d.produced);
  REQUIRE(sum(m, &gui::MetricsSample::acked) == d.acked);
  REQUIRE(sum(m, &gui::MetricsSample::consumed) == d.consumed);
  // steady traffic before the crash at 10 s: every interval has records, with latencies
  const gui::MetricsSample& s = m.samples()[50];  // (4.9 s, 5 s]
  REQUIRE(m.per_second(50, s.produced) > 0);
  REQUIRE(s.acked > 0);
  REQUIRE(s.produce_latency_ns_max > 0);
  REQUIRE(s.produce_latency_ns_max >= s.produce_latency_ns_sum / s.acked);
  REQUIRE(s.end_to_end_latency_ns_sum > 0);
  REQUIRE(m.lag_series() == std::vector<std::string>{"billing orders-0", "billing orders-1"});
  REQUIRE(s.lag_total >= 0);
  // the leader crashed at 10 s: the producer saw errors after it
  bool errors = false;
  for (const gui::MetricsSample& x : m.samples())
    errors = errors || !m.errors(x).empty();
  REQUIRE(errors);
}

TEST_CASE("metrics: called rarely, every crossed interval is filled the same", "[gui][metrics]") {
  world::World a = leader_failover();
  world::World b = a;
  gui::MetricsRecorder often, rarely;
  run(a, often, 20_s, often.interval());
  for (sim::Time t : {3_s, 3050_ms, 11370_ms, 20_s}) {
    b.run_until(t);
    rarely.sample(b);
  }
  REQUIRE(often.samples().size() == rarely.samples().size());
  for (size_t i = 0; i < often.samples().size(); ++i)
    require_same_traffic(often.samples()[i], rarely.samples()[i]);
}

TEST_CASE("metrics: after truncate_after, sampling again gives the same series", "[gui][metrics]") {
  world::World w = leader_failover();
  gui::MetricsRecorder m;
  run(w, m, 7_s, m.interval());
  world::World snapshot = w;  // what a rewind to 7 s restores
  run(w, m, 18_s, m.interval());
  const gui::MetricsRecorder whole = m;
  m.truncate_after(7_s);
  REQUIRE(m.samples().size() == 70);
  run(snapshot, m, 18_s, m.interval());
  require_same(whole, m);
  // A World behind the samples truncates by itself; a rewind between two sample times too.
  world::World at_12 = leader_failover();
  at_12.run_until(12050_ms);
  m.sample(at_12);
  REQUIRE(m.samples().back().at == 12_s);
  run(at_12, m, 18_s, m.interval());
  REQUIRE(m.samples().size() == whole.samples().size());
  for (size_t i = 0; i < m.samples().size(); ++i)
    require_same_traffic(whole.samples()[i], m.samples()[i]);
}

TEST_CASE("metrics: lag grows while the consumer is paused", "[gui][metrics]") {
  world::World w = leader_failover();
  gui::MetricsRecorder m;
  run(w, m, 6_s, m.interval());
  const int64_t before = m.samples().back().lag_total;
  REQUIRE(before >= 0);
  int32_t consumer = -1;
  for (const auto& n : w.nodes()) {
    if (std::holds_alternative<kafka::Consumer>(n.impl)) consumer = n.id;
  }
  REQUIRE(w.apply(world::Pause{consumer, 3_s}));
  run(w, m, 8900_ms, m.interval());
  const int64_t paused = m.samples().back().lag_total;
  INFO("lag before " << before << ", while paused " << paused);
  REQUIRE(paused > before + 100);
  REQUIRE(m.samples().back().consumed == 0);
}

TEST_CASE("metrics: past samples_max, neighbours merge and counts are kept", "[gui][metrics]") {
  world::World w = leader_failover();
  gui::MetricsRecorder m(gui::MetricsRecorder::kSampleInterval, 64);
  run(w, m, 20_s, 100_ms);
  REQUIRE(m.samples().size() < 64);
  REQUIRE(m.interval() > 100_ms);
  const check::DataSummary d = check::summarize(w);
  REQUIRE(sum(m, &gui::MetricsSample::produced) == d.produced);
  REQUIRE(sum(m, &gui::MetricsSample::consumed) == d.consumed);
  for (size_t i = 1; i < m.samples().size(); ++i)
    REQUIRE(m.samples()[i].at > m.samples()[i - 1].at);
  REQUIRE(m.samples().back().at == 20_s);
}
