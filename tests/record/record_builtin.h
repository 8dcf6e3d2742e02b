// Test helper shared by the engine's and the studio's recording tests: a built-in world run
// into a new recording, as `kafkasim run NAME --record OUT` writes it.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "record/recording.h"
#include "scenario/runner.h"
#include "world/demo_worlds.h"

namespace kafkasim::test {

/// Runs the built-in world `name` (with `extra` commands) until `until` into a new recording
/// at `out`; returns the run's result.
inline scenario::RunResult record_builtin(const std::string& name, uint64_t seed, sim::Time until,
                                          const std::string& out,
                                          std::vector<world::StampedCommand> extra = {}) {
  record::Header h;
  h.world = name;
  h.seed = seed;
  h.until = until;
  h.extra = extra;
  auto rec = record::Recorder::create(out, h);
  if (!rec) FAIL(rec.error());
  auto built = world::make_builtin_world(name, seed);
  REQUIRE(built.ok());
  scenario::RunOptions o;
  o.until = until;
  o.extra = std::move(extra);
  o.on_built = [&](const world::World& w) { rec->start(w); };
  o.on_event = [&](const world::World& w) { rec->observe(w); };
  world::World w;
  const scenario::RunResult r =
      scenario::run_world(std::move(built->world), built->duration, o, &w);
  REQUIRE(rec->finish(w, record::Summary{r.trace_hash, r.events, r.end}).ok());
  return r;
}

}  // namespace kafkasim::test
