// libFuzzer harness: the command codec of recordings (record/command_codec.h) on arbitrary
// text. decode() either refuses a line with an error or returns a command; a command it
// returns must encode to a line that decodes again, to a command that encodes the same way
// (the round trip is stable after one step: decode may normalise, never drift).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "record/command_codec.h"
#include "world/command.h"

using namespace kafkasim;

namespace {
[[noreturn]] void fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "command codec: %s\n  first:  %s\n  second: %s\n", what, a.c_str(),
               b.c_str());
  __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  auto first = record::decode(line);
  if (!first) {
    if (first.error().empty()) fail("an error without a message", line, "");
    return 0;
  }
  (void)world::describe(*first);
  const std::string encoded = record::encode(*first);
  auto second = record::decode(encoded);
  if (!second) fail("its own encoding does not decode", encoded, second.error());
  const std::string again = record::encode(*second);
  if (again != encoded) fail("the round trip is not stable", encoded, again);
  if (world::describe(*second) != world::describe(*first))
    fail("the round trip changes the command", world::describe(*first), world::describe(*second));
  return 0;
}
