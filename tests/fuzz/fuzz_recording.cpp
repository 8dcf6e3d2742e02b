// libFuzzer harness: the recording reader on arbitrary bytes (README.md). The bytes are written
// to a file, which is then opened and re-executed as `kafkasim replay` does (app/cli/
// cmd_record.cpp) and exported as `kafkasim export` does. A damaged file must get a clear
// error (docs/recording.md), never a crash, an exception or a sanitizer report. Re-execution
// is bounded (kEventsMax) so that one input costs milliseconds, not a whole lesson.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "record/recording.h"
#include "scenario/runner.h"

using namespace kafkasim;

namespace {
/// Events re-executed at most per input: enough for a lesson's first simulated seconds.
constexpr uint64_t kEventsMax = 20000;

/// Removes what is in `dir` (the input, SQLite's -wal/-shm/-journal files, the CSV export).
void clear(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    std::filesystem::remove_all(e.path(), ec);
}

/// A directory of this process's own (libFuzzer may run several jobs side by side), removed
/// when the process exits.
struct WorkDir {
  std::filesystem::path path;
  WorkDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kafkasim-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path = tmpl;
  }
  ~WorkDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void replay(const std::string& path) {
  auto rec = record::open_recording(path);
  if (!rec) return;
  scenario::RunOptions o = record::replay_options(*rec);
  o.keep_trace = true;
  if (!rec->summary && o.until == std::nullopt && !rec->trace.empty())
    o.until = rec->trace.back().at;  // cut off by a crash: as far as it got (as the CLI does)
  o.until_event = std::min(o.until_event.value_or(kEventsMax), kEventsMax);
  world::World w;
  auto r = record::replay(*rec, o, &w);
  (void)r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const WorkDir work;
  const std::filesystem::path& dir = work.path;
  clear(dir);
  const std::string path = (dir / "in.db").string();
  {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  replay(path);
  auto files = record::export_csv(path, (dir / "csv").string());
  (void)files;
  clear(dir);
  return 0;
}
