// SIM_ASSERT: on in every build. A failed assertion is a bug in kafkasim, never bad user input
// (that is validated at the boundary and reported as a Result). It prints where and why, plus
// the run's seed and simulated time when a context has registered them, then aborts.
#pragma once

#include <cstdint>

namespace kafkasim::sim {

/// What the assertion handler prints besides the message: set by the running World.
struct AssertContext {
  uint64_t seed = 0;
  int64_t now_ns = 0;
  int32_t node = -1;
};
AssertContext& assert_context();

[[noreturn]] void assert_fail(const char* cond, const char* msg, const char* file, int line);

}  // namespace kafkasim::sim

#define SIM_ASSERT(cond, msg)                                         \
  do {                                                                \
    if (!(cond)) [[unlikely]]                                         \
      ::kafkasim::sim::assert_fail(#cond, (msg), __FILE__, __LINE__); \
  } while (0)
