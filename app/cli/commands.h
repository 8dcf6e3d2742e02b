// One function per subcommand. Each returns the process exit code: 0 ok, 1 a check failed,
// 2 bad usage or bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "record/recording.h"
#include "sim/trace.h"
#include "world/world.h"

namespace kafkasim::cli {

int cmd_run(const std::vector<std::string>& args);
/// `kafkasim run FILE ...`: `path` is a scenario file, `args` the options after it.
int cmd_run_scenario(const std::string& path, const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_fuzz(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_partition(const std::vector<std::string>& args);
int cmd_assign(const std::vector<std::string>& args);
int cmd_replay(const std::vector<std::string>& args);
int cmd_export(const std::vector<std::string>& args);

/// "kafkasim CMD: WHAT" and the command's usage text on stderr; returns 2.
int usage(const char* cmd, const char* text, const std::string& what);

/// The trace as `run --trace` prints it: a header line, then one line per record.
void print_trace_header();
void print_trace_record(const world::World& w, const sim::TraceRecord& r);
extern const char* const kRunUsage;

/// `run ... --record OUT`: a new recording at `out`, or nothing after printing why not
/// ("kafkasim run: ..."; the command then exits 2).
std::optional<record::Recorder> start_recording(const std::string& out, record::Header h);

}  // namespace kafkasim::cli
