// The scenario loader: a scenario file (../shared/SCENARIO_FORMAT.md) in, a Scenario or the
// list of everything wrong with the file out. It validates once, at the boundary: types,
// units, Kafka setting names, node ids, partitions, the timeline's consistency and the
// expectations, then world::check_spec. It reports every error it finds (not only the
// first), never throws and never crashes, whatever the input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"
#include "sim/result.h"

namespace kafkasim::scenario {

using LoadResult = sim::Result<Scenario, std::vector<Diagnostic>>;

/// Largest scenario file read (1 MiB): scenarios are hand-written.
inline constexpr size_t kScenarioBytesMax = 1 << 20;

/// Reads and parses the file at `path`; diagnostics name the file as `path` is written.
LoadResult load_scenario(const std::string& path);

/// Parses scenario text; `file_name` is what diagnostics call the file ("orders.toml").
LoadResult parse_scenario(std::string_view text, std::string_view file_name);

}  // namespace kafkasim::scenario
