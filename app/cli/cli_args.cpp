#include "cli_args.h"

#include <algorithm>
#include <stdexcept>

#include "world/limits.h"

namespace kafkasim::cli {

std::optional<uint64_t> parse_seed(const std::string& s, std::string& error) {
  try {
    size_t used = 0;
    const uint64_t v = std::stoull(s, &used);
    if (used != s.size() || s[0] == '-') throw std::invalid_argument("");
    return v;
  } catch (const std::exception&) {
    error = "expects a non-negative integer, got \"" + s + "\"";
    return std::nullopt;
  }
}

std::optional<sim::Time> parse_until(const std::string& s, std::string& error) {
  auto t = sim::parse_duration(s);
  if (!t) {
    error = t.error();
    return std::nullopt;
  }
  if (*t <= sim::Time::zero() || *t > world::kRunDurationMax) {
    error = "\"" + s + "\" is not a run length kafkasim simulates (above 0, at most " +
            sim::to_string(world::kRunDurationMax) + ")";
    return std::nullopt;
  }
  return *t;
}

std::optional<std::string> parse_record_path(const std::string& s, std::string& error) {
  if (s.empty()) {
    error = "needs the name of a new file to write, such as run.db";
    return std::nullopt;
  }
  return s;
}

Args::Args(std::vector<std::string> argv, std::vector<std::string> valued,
           std::vector<std::string> bare, std::vector<std::string> repeatable) {
  auto in = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positionals_.push_back(a);
      continue;
    }
    const size_t eq = a.find('=');
    const std::string name = a.substr(0, eq);
    if (has(name) && !in(repeatable, name)) {
      error_ = name + " given twice (give it once)";
      return;
    }
    if (in(valued, name) || in(repeatable, name)) {
      if (eq != std::string::npos) {
        flags_.emplace_back(name, a.substr(eq + 1));
      } else if (i + 1 < argv.size()) {
        flags_.emplace_back(name, argv[++i]);
      } else {
        error_ = name + " needs a value";
        return;
      }
    } else if (in(bare, name) && eq == std::string::npos) {
      flags_.emplace_back(name, "");
    } else {
      error_ = "unknown option " + a;
      return;
    }
  }
}

bool Args::has(std::string_view flag) const {
  return std::any_of(flags_.begin(), flags_.end(), [&](const auto& f) { return f.first == flag; });
}

std::optional<std::string> Args::value(std::string_view flag) const {
  for (auto it = flags_.rbegin(); it != flags_.rend(); ++it) {
    if (it->first == flag) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> Args::values(std::string_view flag) const {
  std::vector<std::string> out;
  for (const auto& f : flags_) {
    if (f.first == flag) out.push_back(f.second);
  }
  return out;
}

}  // namespace kafkasim::cli
