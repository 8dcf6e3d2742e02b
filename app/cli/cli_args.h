// Small argument reader for the CLI: flags with values, flags alone, positionals. Every
// mistake becomes a one-line message; main() prints it with the usage and exits 2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace kafkasim::cli {

class Args {
 public:
  /// `valued` flags take a value ("--seed 3" or "--seed=3"); `bare` flags take none. A flag
  /// given twice is a mistake (which one was meant?), except the `repeatable` valued ones.
  Args(std::vector<std::string> argv, std::vector<std::string> valued,
       std::vector<std::string> bare, std::vector<std::string> repeatable = {});

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool has(std::string_view flag) const;
  std::optional<std::string> value(std::string_view flag) const;
  /// Every value of a flag given more than once, in command-line order.
  std::vector<std::string> values(std::string_view flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::vector<std::pair<std::string, std::string>> flags_;
  std::vector<std::string> positionals_;
  std::string error_;
};

/// A run seed: a non-negative integer. On failure `error` says what was wrong (the caller
/// puts the flag's name in front).
std::optional<uint64_t> parse_seed(const std::string& s, std::string& error);

/// --until: a duration with a unit, above zero and at most world::kRunDurationMax.
std::optional<sim::Time> parse_until(const std::string& s, std::string& error);

/// --record: a file name (not empty; the recorder refuses one that exists).
std::optional<std::string> parse_record_path(const std::string& s, std::string& error);

}  // namespace kafkasim::cli
