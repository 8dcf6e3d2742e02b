// The bounds of what kafkasim runs, shared by everything that reads input from outside (scenario
// files, the command line, recordings, the studio's fields): a value past one of them is bad
// input with a clear message, never an overflow or a run that does not end.
#pragma once

#include <cstdint>

#include "sim/time.h"

namespace kafkasim::world {

/// The longest duration anything may name (a pause, a link's latency, a time in a file): 1000
/// days. Sums of times and durations stay far from the int64 nanosecond limit (292 years).
inline constexpr sim::Time kDurationMax = sim::Time::from_s(86400LL * 1000);

/// The longest simulated run: a scenario's duration, `--until`, a recording's end. One day of a
/// lesson's cluster is about a minute of computing on a laptop (an idle cluster still
/// heartbeats and fetches); a run of years would not end.
inline constexpr sim::Time kRunDurationMax = sim::Time::from_s(86400);

/// Most partitions one topic may have, __consumer_offsets included (kafka-topics has no limit;
/// each partition is a log on every replica, and the simulator's memory has one).
inline constexpr int32_t kPartitionsPerTopicMax = 10000;

}  // namespace kafkasim::world
