// Reading the studio's TOML asset files (theme.toml, layout.toml): the file parsed whole, and
// every problem placed as "file:line:column: what".
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>

namespace kafkasim::gui {

/// "file:line:column: " for a place in `file`.
std::string where(const std::string& file, const toml::source_region& r);

/// Reads and parses `file` into `root`; the problem (cannot be read, or the first syntax error
/// with its place) when it cannot.
std::optional<std::string> read_toml(const std::string& file, toml::table& root);

}  // namespace kafkasim::gui
