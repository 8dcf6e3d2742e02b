// Internal to engine/scenario: reading a toml++ tree with positions and collecting every
// problem as a Diagnostic instead of stopping at the first. Only the loader's .cpp files
// include this header (it brings in toml++).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"
#include "sim/time.h"
#include "world/limits.h"

namespace kafkasim::scenario::detail {

/// The longest duration a scenario may use anywhere (world/limits.h).
using world::kDurationMax;

/// Where a value lives, built up as the loader descends, in two spellings:
/// key_path `producer[0].config."acks"` and shown `[[producer]] #1 config "acks"`.
class Path {
 public:
  static Path root() { return Path(); }
  static Path table(std::string_view name);                     // [scenario]
  static Path element(std::string_view name, size_t index);     // [[producer]] #1
  Path sub_table(std::string_view name) const;                  // [cluster.config]
  Path sub_element(std::string_view name, size_t index) const;  // [[network.link]] #1
  Path key(std::string_view k) const;                           // ... duration
  Path setting(std::string_view k) const;                       // ... "acks" (always quoted)
  Path index(size_t i) const;                                   // ... brokers[2]
  const std::string& key_path() const { return key_path_; }
  const std::string& shown() const { return shown_; }
  /// The table's header as written: "[cluster]", "[[producer]]", "[[network.link]]".
  std::string header() const;

 private:
  std::string key_path_;
  std::string shown_;
  std::string dotted_;        // cluster.config, network.link
  bool element_ = false;      // the innermost table is an array-of-tables element
  bool header_only_ = false;  // shown_ is just the header (keys not appended yet)
};

SourcePos pos_of(const toml::node& n);
SourcePos pos_of(const toml::key& k);
/// A string as TOML writes it, quotes and escapes included (control characters and Unicode's
/// bidirectional controls as \uXXXX), shortened when very long.
std::string quote(std::string_view s);
/// The Unicode bidirectional control (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069) whose
/// UTF-8 starts at s[i], or 0: text that reorders what is shown around it.
char32_t bidi_control(std::string_view s, size_t i);
/// What a diagnostic says it found: "most" (quoted), 5, 1.5, true, [101, 103], a table.
std::string found_text(const toml::node& n);

/// Most diagnostics listed for one file; the rest are counted in one last line.
inline constexpr size_t kDiagnosticsMax = 200;

/// Collects diagnostics for one file.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}
  void error(SourcePos at, const Path& path, std::string expected, std::string found,
             std::string hint = {});
  /// An error about the value `at` (found = found_text(at)).
  void error_at(const toml::node& at, const Path& path, std::string expected,
                std::string hint = {});
  size_t errors() const { return diagnostics_.size(); }
  /// The diagnostics ordered by place in the file (ties keep the order they were found): the
  /// first kDiagnosticsMax, then one saying how many more there are.
  std::vector<Diagnostic> take();
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

// [values]
// ---------------------------------------------------------------------------------------------
// Each reads one node; a wrong type or range is reported and gives nullopt.
/// `expected` replaces the default wording ("an integer from A to B").
std::optional<int64_t> read_int(Reader& r, const toml::node& n, const Path& p, int64_t min,
                                int64_t max, const std::string& expected = {});
std::optional<std::string> read_string(Reader& r, const toml::node& n, const Path& p,
                                       bool non_empty = false);
std::optional<bool> read_bool(Reader& r, const toml::node& n, const Path& p);
/// An integer or a float within [min, max].
std::optional<double> read_number(Reader& r, const toml::node& n, const Path& p, double min,
                                  double max);
/// "250us", "5ms", "1.5s", "2m" (also ns and h), not negative, at most kDurationMax.
std::optional<sim::Time> read_duration(Reader& r, const toml::node& n, const Path& p);
/// A string among `choices`; otherwise reported with `expected` and the nearest choice.
std::optional<std::string> read_choice(Reader& r, const toml::node& n, const Path& p,
                                       const std::vector<std::string_view>& choices,
                                       const std::string& expected);
/// An array of strings (each non-empty).
std::optional<std::vector<std::string>> read_strings(Reader& r, const toml::node& n, const Path& p);

/// One table being read: unknown keys are reported once by allow(); absent keys are the
/// caller's business (require() reports the required ones).
class TableReader {
 public:
  TableReader(Reader& r, const toml::table& t, Path path) : r_(r), t_(t), path_(std::move(path)) {}
  /// Reports every key not in `keys`, suggesting the nearest.
  void allow(std::initializer_list<std::string_view> keys);
  /// Reports `key` missing; `expected` says what it should be ("a duration such as \"60s\"").
  bool require(std::string_view key, const std::string& expected);
  const toml::node* get(std::string_view key) const { return t_.get(key); }
  bool has(std::string_view key) const { return t_.contains(key); }
  Path at(std::string_view key) const { return path_.key(key); }
  const Path& path() const { return path_; }
  SourcePos pos() const { return pos_of(t_); }
  Reader& reader() { return r_; }

  std::optional<std::string> string(std::string_view key, bool non_empty = false);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max,
                                 const std::string& expected = {});
  std::optional<bool> boolean(std::string_view key);
  std::optional<double> number(std::string_view key, double min, double max);
  std::optional<sim::Time> duration(std::string_view key);
  std::optional<std::vector<std::string>> strings(std::string_view key);
  /// The table or array under `key`; reported (and nullptr) when the key holds something else.
  const toml::table* table(std::string_view key);
  const toml::array* array(std::string_view key, const std::string& expected);

 private:
  Reader& r_;
  const toml::table& t_;
  Path path_;
};

}  // namespace kafkasim::scenario::detail
