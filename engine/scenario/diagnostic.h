// Diagnostic: one problem found in a scenario file, with the place, the key path, what was
// expected and what was found, so the author can fix it without guessing:
//
//   orders.toml:12:3: [[producer]] #1 config "acks": expected one of 0, 1, "all", -1, found "most"
//
// Plus the edit-distance helper that suggests the nearest known name for a misspelt one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kafkasim::scenario {

struct Diagnostic {
  std::string file;
  int32_t line = 1;
  int32_t column = 1;
  /// The key's path in TOML terms: `producer[0].config."acks"` (empty for a syntax error).
  std::string key_path;
  /// The same place as a person reads the file: `[[producer]] #1 config "acks"`.
  std::string where;
  std::string expected;
  std::string found;
  /// Optional advice: `did you mean "acks"?`, `put it in [producer.config]`.
  std::string hint;

  /// "file:line:col: where: expected E, found F; hint"
  std::string str() const;
};

/// Every diagnostic on its own line, in order.
std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics);

/// Levenshtein distance (insertions, deletions, substitutions), case-insensitive.
size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `name` when it is near enough to be a plausible misspelling
/// (about a third of the name's length), else empty. Ties go to the earlier candidate.
std::string nearest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace kafkasim::scenario
