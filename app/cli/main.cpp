// kafkasim: the headless front end. Subcommands live in cmd_<name>.cpp.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "version.h"

namespace {

const char* const kUsage =
    "usage: kafkasim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run FILE [--seed N] [--until T] [--trace] [--quiet] [--record OUT.db]\n"
    "                      run a scenario file headless: its narration (or with --trace\n"
    "                      every trace record), then a summary; --record writes the run\n"
    "                      to an SQLite recording\n"
    "  run [demo|orders|orders-zk|ring] [--seed N] [--until T] [--trace] [--quiet]\n"
    "      [--record OUT.db]\n"
    "                      run a built-in world headless and print its trace; --record\n"
    "                      (not the ring) writes the run to an SQLite recording\n"
    "  check FILE... [--seed N]\n"
    "                      run scenarios, check invariants and [[expect]] blocks:\n"
    "                      PASS/FAIL per expectation, then \"N passed, M failed\"\n"
    "  fuzz FILE [--seeds N] [--seed S [--trace]]\n"
    "                      random faults on top of a scenario, invariants after every event\n"
    "  validate FILE...    load scenario files and report every error in them\n"
    "  replay FILE.db [--verify] [--trace]\n"
    "                      re-execute a recording; --verify proves it runs the same\n"
    "  export FILE.db --csv DIR\n"
    "                      every table of a recording as CSV\n"
    "  partition --partitions N KEY...\n"
    "                      the partition each key goes to (Kafka's default partitioner)\n"
    "  assign --strategy S --topic NAME:PARTITIONS... --member SPEC...\n"
    "                      a consumer group assignment (range, roundrobin, sticky,\n"
    "                      cooperative-sticky); `kafkasim assign --help` for the syntax\n"
    "  help                this text\n"
    "\n"
    "options:\n"
    "  -h, --help          this text\n"
    "  --version           print the version\n";

int usage_error(const std::string& what) {
  std::fprintf(stderr, "kafkasim: %s\n%s", what.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("missing command");
  const std::string cmd = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "-h" || cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::printf("kafkasim %s\n", kafkasim::kVersion);
    return 0;
  }
  if (cmd == "run") return kafkasim::cli::cmd_run(rest);
  if (cmd == "partition") return kafkasim::cli::cmd_partition(rest);
  if (cmd == "assign") return kafkasim::cli::cmd_assign(rest);
  if (cmd == "check") return kafkasim::cli::cmd_check(rest);
  if (cmd == "fuzz") return kafkasim::cli::cmd_fuzz(rest);
  if (cmd == "validate") return kafkasim::cli::cmd_validate(rest);
  if (cmd == "replay") return kafkasim::cli::cmd_replay(rest);
  if (cmd == "export") return kafkasim::cli::cmd_export(rest);
  if (cmd.rfind("-", 0) == 0) return usage_error("unknown option " + cmd);
  return usage_error("unknown command \"" + cmd + "\"");
}
