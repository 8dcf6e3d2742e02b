// libFuzzer harness: the scenario loader on arbitrary text (README.md). The loader promises
// (scenario/loader.h) to report every problem as a diagnostic and never to throw or crash,
// whatever the input; a scenario it accepts must then build into a World, since past the
// boundary the engine only asserts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scenario/diagnostic.h"
#include "scenario/loader.h"
#include "scenario/runner.h"

using namespace kafkasim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > scenario::kScenarioBytesMax) return -1;  // load_scenario refuses larger files
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = scenario::parse_scenario(text, "fuzz.toml");
  if (!s) {
    const std::string report = scenario::format_diagnostics(s.error());
    if (report.empty()) __builtin_trap();  // an error with nothing said about it
    return 0;
  }
  auto w = scenario::build_world(*s, s->seed, /*keep_trace=*/false);
  (void)w;  // an error here is a reported one (what the simulator does not run yet)
  return 0;
}
