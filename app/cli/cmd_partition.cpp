// kafkasim partition --partitions N KEY...: where will my key land? The default partitioner's
// answer for each key (murmur2 of the key's UTF-8 bytes, positive mask, modulo the partition
// count), with the intermediate values so a class can check them by hand.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli_args.h"
#include "commands.h"
#include "kafka/client/partitioner.h"

namespace kafkasim::cli {

const char* const kPartitionUsage =
    "usage: kafkasim partition --partitions N KEY...\n"
    "  prints the partition each KEY goes to under Kafka's default partitioner:\n"
    "  toPositive(murmur2(key)) % N, over all N partitions of the topic\n";

int cmd_partition(const std::vector<std::string>& argv) {
  Args args(argv, {"--partitions"}, {"--help"});
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "kafkasim partition: %s\n%s", what.c_str(), kPartitionUsage);
    return 2;
  };
  if (!args.ok()) return fail(args.error());
  if (args.has("--help")) {
    std::fputs(kPartitionUsage, stdout);
    return 0;
  }
  const auto n_text = args.value("--partitions");
  if (!n_text) return fail("--partitions is required");
  int64_t n = 0;
  try {
    size_t used = 0;
    n = std::stoll(*n_text, &used);
    if (used != n_text->size()) throw std::invalid_argument("");
  } catch (const std::exception&) {
    return fail("--partitions expects a whole number, got \"" + *n_text + "\"");
  }
  if (n < 1 || n > 1000000) return fail("--partitions must be between 1 and 1000000");
  if (args.positionals().empty()) return fail("give at least one KEY");
  std::printf("%-24s %12s %12s %9s\n", "key", "murmur2", "toPositive", "partition");
  for (const std::string& key : args.positionals()) {
    const int32_t h = kafka::murmur2(key);
    std::printf("%-24s %12d %12d %9d\n", key.c_str(), h, kafka::to_positive(h),
                kafka::partition_for_key(key, static_cast<int32_t>(n)));
  }
  return 0;
}

}  // namespace kafkasim::cli
