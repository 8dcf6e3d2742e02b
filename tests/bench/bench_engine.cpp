// Engine benchmarks. Run all with:  ./build/kafkasim_bench
//   BM_queue_*: raw event queue, schedule + pop of no-op events (the "hold" model: the queue
//               keeps `pending` events; each iteration pops one and pushes one later).
//   BM_ring_network: 100 nodes passing 1,000,000 messages around a ring over the simulated
//               network (10 us latency), through World, Network, payload slots and dispatch.
//   BM_data_plane: the issue-4 target cluster (3 brokers, 12 partitions, RF 3, acks=all, 3
//               producers at 10,000 records/s, 12 consumers) for `seconds` of simulated time;
//               counters: sim_x_real (simulated over wall time), log_bytes_per_record (what
//               the partition logs hold per stored record, replicas sharing batch data).
//   BM_studio_seek (studio_seek_bench.cpp): a 10-minute recording of the default lesson opened
//               and scrubbed through the studio's core, wall time per seek.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "record/recording.h"

#include "check/history.h"
#include "data_plane_bench.h"
#include "sim/event_queue.h"
#include "sim/rng.h"
#include "world/demo_worlds.h"

using namespace kafkasim;
using namespace kafkasim::sim::literals;

static void BM_queue_hold(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  sim::EventQueue q;
  sim::Rng rng(1, "bench");
  q.reserve(pending + 1);
  for (size_t i = 0; i < pending; ++i) {
    sim::Event e;
    e.at = sim::Time::from_ns(static_cast<int64_t>(rng.uniform(1000000)));
    q.push(e);
  }
  // Increments from a precomputed table, so the RNG is not what we measure.
  std::vector<int64_t> incr(4096);
  for (auto& v : incr)
    v = static_cast<int64_t>(rng.uniform(1000000));
  size_t k = 0;
  for (auto _ : state) {
    sim::Event e = q.pop();
    e.at += sim::Time::from_ns(incr[k++ & 4095]);
    q.push(e);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pending"] = static_cast<double>(pending);
}
BENCHMARK(BM_queue_hold)->Arg(100)->Arg(1000)->Arg(10000);

static void BM_queue_schedule_then_drain(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  sim::Rng rng(2, "bench");
  std::vector<int64_t> times(n);
  for (auto& t : times)
    t = static_cast<int64_t>(rng.uniform(1000000000));
  sim::EventQueue q;
  q.reserve(n);
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      sim::Event e;
      e.at = sim::Time::from_ns(times[i]);
      q.push(e);
    }
    while (!q.empty())
      benchmark::DoNotOptimize(q.pop());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_queue_schedule_then_drain)->Arg(1000)->Arg(100000);

static void BM_ring_network(benchmark::State& state) {
  world::RingSpec spec;
  spec.nodes = 100;
  spec.messages = 1000000;
  spec.latency = 10_us;
  for (auto _ : state) {
    state.PauseTiming();
    world::World w = world::make_ring(spec);
    state.ResumeTiming();
    while (w.step()) {
    }
    benchmark::DoNotOptimize(w.trace_hash());
    if (w.network().sent_count() != spec.messages) state.SkipWithError("wrong message count");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(spec.messages));
}
BENCHMARK(BM_ring_network)->Unit(benchmark::kMillisecond);

static void BM_data_plane(benchmark::State& state) {
  const sim::Time duration = sim::Time::from_s(static_cast<double>(state.range(0)));
  int64_t records = 0;
  uint64_t events = 0;
  bench::LogMemory mem;
  for (auto _ : state) {
    world::World w = world::make_cluster(bench::data_plane_spec());
    w.run_until(duration);
    state.PauseTiming();
    events = w.sim().events_executed();
    const check::DataSummary s = check::summarize(w);
    if (s.acked_records_lost != 0 || s.acked < s.produced / 2) state.SkipWithError("bad run");
    records += s.produced;
    mem = bench::log_memory(w);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(records);
  state.counters["sim_x_real"] = benchmark::Counter(
      duration.seconds() * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["events"] = static_cast<double>(events);
  state.counters["log_bytes_per_record"] =
      static_cast<double>(mem.bytes) / static_cast<double>(std::max<int64_t>(mem.records, 1));
}
BENCHMARK(BM_data_plane)->Arg(60)->Unit(benchmark::kMillisecond)->Iterations(1);

// The same run written to a recording as it goes (issue 8's target: at most 30% more than
// BM_data_plane): records produced and consumed as offset ranges, partition metrics every
// simulated second, committed in batches.
static void BM_data_plane_recorded(benchmark::State& state) {
  const sim::Time duration = sim::Time::from_s(static_cast<double>(state.range(0)));
  const std::string path =
      (std::filesystem::temp_directory_path() / "kafkasim-bench-recording.db").string();
  double bytes = 0;
  for (auto _ : state) {
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path + suffix);
    world::World w = world::make_cluster(bench::data_plane_spec());
    record::Header h;
    h.scenario_file = "(the data-plane benchmark, built in code)";
    auto rec = record::Recorder::create(path, h);
    if (!rec) {
      state.SkipWithError(rec.error().c_str());
      return;
    }
    rec->start(w);
    while (w.sim().has_pending() && w.sim().next_time() <= duration) {
      w.step();
      rec->observe(w);
    }
    w.run_until(duration);
    if (!rec->finish(w, record::Summary{w.trace_hash(), w.sim().events_executed(), w.now()}))
      state.SkipWithError("finish failed");
    state.PauseTiming();
    bytes = static_cast<double>(std::filesystem::file_size(path));
    state.ResumeTiming();
  }
  state.counters["file_MB"] = bytes / 1e6;
  state.counters["sim_x_real"] = benchmark::Counter(
      duration.seconds() * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_data_plane_recorded)->Arg(60)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
