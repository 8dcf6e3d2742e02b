#include "asset_file.h"

#include <fstream>
#include <sstream>

namespace kafkasim::gui {

std::string where(const std::string& file, const toml::source_region& r) {
  return file + ":" + std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column) + ": ";
}

std::optional<std::string> read_toml(const std::string& file, toml::table& root) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return file + ": cannot be read";
  std::stringstream text;
  text << in.rdbuf();
  try {
    root = toml::parse(text.str(), std::string_view(file));
  } catch (const toml::parse_error& e) {
    return where(file, e.source()) + std::string(e.description());
  }
  return std::nullopt;
}

}  // namespace kafkasim::gui
