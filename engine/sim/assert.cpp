#include "sim/assert.h"

#include <cstdio>
#include <cstdlib>

namespace kafkasim::sim {

AssertContext& assert_context() {
  static AssertContext ctx;  // process-wide diagnostics only; never read by simulation logic
  return ctx;
}

void assert_fail(const char* cond, const char* msg, const char* file, int line) {
  const AssertContext& c = assert_context();
  std::fprintf(stderr,
               "kafkasim: internal assertion failed: %s (%s)\n  at %s:%d\n  seed=%llu "
               "sim_time_ns=%lld node=%d\n",
               msg, cond, file, line, static_cast<unsigned long long>(c.seed),
               static_cast<long long>(c.now_ns), c.node);
  std::abort();
}

}  // namespace kafkasim::sim
