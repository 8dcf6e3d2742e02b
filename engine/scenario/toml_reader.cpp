#include "scenario/toml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace kafkasim::scenario::detail {

namespace {
bool bare_key(std::string_view k) {
  if (k.empty()) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}
std::string key_text(std::string_view k) {
  return bare_key(k) ? std::string(k) : quote(k);
}

/// Longest text quoted in a message before it is shortened.
constexpr size_t kQuotedMax = 80;
}  // namespace

// [paths]
// ---------------------------------------------------------------------------------------------
Path Path::table(std::string_view name) {
  Path p;
  p.key_path_ = key_text(name);
  p.dotted_ = p.key_path_;
  p.shown_ = "[" + p.dotted_ + "]";
  p.header_only_ = true;
  return p;
}

Path Path::element(std::string_view name, size_t index) {
  Path p;
  p.dotted_ = key_text(name);
  p.key_path_ = p.dotted_ + "[" + std::to_string(index) + "]";
  p.shown_ = "[[" + p.dotted_ + "]] #" + std::to_string(index + 1);
  p.element_ = true;
  return p;
}

Path Path::sub_table(std::string_view name) const {
  Path p = *this;
  p.key_path_ += "." + key_text(name);
  p.dotted_ += "." + key_text(name);
  if (header_only_ && !element_) {
    p.shown_ = "[" + p.dotted_ + "]";
  } else {
    p.shown_ += " " + key_text(name);
    p.header_only_ = false;
  }
  return p;
}

Path Path::sub_element(std::string_view name, size_t index) const {
  Path p = *this;
  p.dotted_ += "." + key_text(name);
  p.key_path_ += "." + key_text(name) + "[" + std::to_string(index) + "]";
  p.shown_ = "[[" + p.dotted_ + "]] #" + std::to_string(index + 1);
  p.element_ = true;
  p.header_only_ = true;
  return p;
}

Path Path::key(std::string_view k) const {
  Path p = *this;
  p.key_path_ += (p.key_path_.empty() ? "" : ".") + key_text(k);
  p.shown_ += (p.shown_.empty() ? "" : " ") + key_text(k);
  p.header_only_ = false;
  return p;
}

Path Path::setting(std::string_view k) const {
  Path p = *this;
  p.key_path_ += (p.key_path_.empty() ? "" : ".") + quote(k);
  p.shown_ += (p.shown_.empty() ? "" : " ") + quote(k);
  p.header_only_ = false;
  return p;
}

Path Path::index(size_t i) const {
  Path p = *this;
  p.key_path_ += "[" + std::to_string(i) + "]";
  p.shown_ += "[" + std::to_string(i) + "]";
  p.header_only_ = false;
  return p;
}

std::string Path::header() const {
  if (dotted_.empty()) return "the top level";
  return element_ ? "[[" + dotted_ + "]]" : "[" + dotted_ + "]";
}

// [text]
// ---------------------------------------------------------------------------------------------
SourcePos pos_of(const toml::node& n) {
  return SourcePos{static_cast<int32_t>(n.source().begin.line),
                   static_cast<int32_t>(n.source().begin.column)};
}

SourcePos pos_of(const toml::key& k) {
  return SourcePos{static_cast<int32_t>(k.source().begin.line),
                   static_cast<int32_t>(k.source().begin.column)};
}

char32_t bidi_control(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  if (at(0) == 0xD8 && at(1) == 0x9C) return U'\u061C';
  if (at(0) != 0xE2) return 0;
  const char32_t cp = 0x2000 + ((at(1) & 0x3Fu) << 6) + (at(2) & 0x3Fu);  // E2 8x xx
  if (at(1) == 0x80 && (cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E))) return cp;
  if (at(1) == 0x81 && cp >= 0x2066 && cp <= 0x2069) return cp;
  return 0;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  size_t shown = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (++shown > kQuotedMax) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    static constexpr char kHex[] = "0123456789ABCDEF";
    if (const char32_t cp = bidi_control(s, i)) {  // shown escaped, never reordering the line
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4)
        out += kHex[(cp >> shift) & 15];
      i += cp == U'\u061C' ? 1 : 2;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

namespace {
void append_found(std::string& out, const toml::node& n, int depth) {
  if (out.size() > kQuotedMax) return;
  switch (n.type()) {
    case toml::node_type::string:
      out += quote(n.as_string()->get());
      return;
    case toml::node_type::integer:
      out += std::to_string(n.as_integer()->get());
      return;
    case toml::node_type::floating_point: {
      const double d = n.as_floating_point()->get();
      if (std::isnan(d)) {
        out += "nan";
      } else if (std::isinf(d)) {
        out += d < 0 ? "-inf" : "inf";
      } else {
        char buf[64];
        const auto r = std::to_chars(buf, buf + sizeof buf, d);
        const std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
        out += text;
        // A float that is a whole number still reads as a float ("2.0", not "2"): the message
        // is about its type when an integer was expected.
        if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";
      }
      return;
    }
    case toml::node_type::boolean:
      out += n.as_boolean()->get() ? "true" : "false";
      return;
    case toml::node_type::array: {
      if (depth > 2) {
        out += "[...]";
        return;
      }
      out += "[";
      const toml::array& a = *n.as_array();
      for (size_t i = 0; i < a.size() && out.size() <= kQuotedMax; ++i) {
        if (i) out += ", ";
        append_found(out, a[i], depth + 1);
      }
      if (out.size() > kQuotedMax) out += "...";
      out += "]";
      return;
    }
    case toml::node_type::table:
      out += depth == 0 ? "a table" : "{...}";
      return;
    case toml::node_type::date:
      out += depth == 0 ? "a date" : "(a date)";
      return;
    case toml::node_type::time:
      out += depth == 0 ? "a time of day" : "(a time of day)";
      return;
    case toml::node_type::date_time:
      out += depth == 0 ? "a date-time" : "(a date-time)";
      return;
    case toml::node_type::none:
      out += "nothing";
      return;
  }
}
}  // namespace

std::string found_text(const toml::node& n) {
  std::string out;
  append_found(out, n, 0);
  return out;
}

// [diagnostics]
// ---------------------------------------------------------------------------------------------
void Reader::error(SourcePos at, const Path& path, std::string expected, std::string found,
                   std::string hint) {
  Diagnostic d;
  d.file = file_;
  d.line = std::max(at.line, 1);
  d.column = std::max(at.column, 1);
  d.key_path = path.key_path();
  d.where = path.shown();
  d.expected = std::move(expected);
  d.found = std::move(found);
  d.hint = std::move(hint);
  diagnostics_.push_back(std::move(d));
}

void Reader::error_at(const toml::node& at, const Path& path, std::string expected,
                      std::string hint) {
  error(pos_of(at), path, std::move(expected), found_text(at), std::move(hint));
}

std::vector<Diagnostic> Reader::take() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  if (diagnostics_.size() > kDiagnosticsMax) {
    Diagnostic more = diagnostics_[kDiagnosticsMax];
    more.key_path.clear();
    more.where.clear();
    more.expected = "no more problems";
    more.found = std::to_string(diagnostics_.size() - kDiagnosticsMax) +
                 " more from here on (only the first " + std::to_string(kDiagnosticsMax) +
                 " are listed)";
    more.hint.clear();
    diagnostics_.resize(kDiagnosticsMax);
    diagnostics_.push_back(std::move(more));
  }
  return std::move(diagnostics_);
}

// [values]
// ---------------------------------------------------------------------------------------------
std::optional<int64_t> read_int(Reader& r, const toml::node& n, const Path& p, int64_t min,
                                int64_t max, const std::string& expected) {
  const auto* v = n.as_integer();
  if (v == nullptr || v->get() < min || v->get() > max) {
    r.error_at(n, p,
               expected.empty()
                   ? "an integer from " + std::to_string(min) + " to " + std::to_string(max)
                   : expected);
    return std::nullopt;
  }
  return v->get();
}

std::optional<std::string> read_string(Reader& r, const toml::node& n, const Path& p,
                                       bool non_empty) {
  const auto* v = n.as_string();
  if (v == nullptr || (non_empty && v->get().empty())) {
    r.error_at(n, p, non_empty ? "a non-empty string" : "a string");
    return std::nullopt;
  }
  return v->get();
}

std::optional<bool> read_bool(Reader& r, const toml::node& n, const Path& p) {
  const auto* v = n.as_boolean();
  if (v == nullptr) {
    r.error_at(n, p, "true or false");
    return std::nullopt;
  }
  return v->get();
}

namespace {
/// 0.001, 1, 1000000: whole numbers without an exponent.
std::string number_text(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}
}  // namespace

std::optional<double> read_number(Reader& r, const toml::node& n, const Path& p, double min,
                                  double max) {
  std::optional<double> d;
  if (const auto* f = n.as_floating_point()) d = f->get();
  if (const auto* i = n.as_integer()) d = static_cast<double>(i->get());
  if (!d || !(*d >= min && *d <= max)) {  // NaN fails both comparisons
    r.error_at(n, p, "a number from " + number_text(min) + " to " + number_text(max));
    return std::nullopt;
  }
  return d;
}

std::optional<sim::Time> read_duration(Reader& r, const toml::node& n, const Path& p) {
  static const std::string kWithUnit =
      "a duration with a unit, such as \"250us\", \"5ms\", \"1.5s\" or \"2m\" "
      "(units: ns, us, ms, s, m, h)";
  const auto* v = n.as_string();
  if (v == nullptr) {
    r.error_at(n, p, kWithUnit);
    return std::nullopt;
  }
  const std::string& text = v->get();
  if (!text.empty() && text[0] == '-') {
    r.error_at(n, p, "a duration that is not negative");
    return std::nullopt;
  }
  auto t = sim::parse_duration(text);
  if (!t) {
    const bool too_long = t.error().find("out of range") != std::string::npos;
    r.error_at(n, p,
               too_long ? "a duration of at most " + sim::to_string(kDurationMax) : kWithUnit);
    return std::nullopt;
  }
  if (*t > kDurationMax) {
    r.error_at(n, p, "a duration of at most " + sim::to_string(kDurationMax));
    return std::nullopt;
  }
  return *t;
}

std::optional<std::string> read_choice(Reader& r, const toml::node& n, const Path& p,
                                       const std::vector<std::string_view>& choices,
                                       const std::string& expected) {
  const auto* s = n.as_string();
  if (s != nullptr && std::find(choices.begin(), choices.end(), s->get()) != choices.end())
    return s->get();
  const std::string near = s ? nearest_name(s->get(), choices) : std::string();
  r.error_at(n, p, expected, near.empty() ? "" : "did you mean \"" + near + "\"?");
  return std::nullopt;
}

std::optional<std::vector<std::string>> read_strings(Reader& r, const toml::node& n,
                                                     const Path& p) {
  const auto* a = n.as_array();
  if (a == nullptr) {
    r.error_at(n, p, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    auto s = read_string(r, (*a)[i], p.index(i), true);
    if (s) {
      out.push_back(*s);
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// [tables]
// ---------------------------------------------------------------------------------------------
void TableReader::allow(std::initializer_list<std::string_view> keys) {
  std::vector<std::string_view> known(keys.begin(), keys.end());
  std::string list;
  for (std::string_view k : keys)
    list += (list.empty() ? "" : ", ") + std::string(k);
  for (auto&& [k, v] : t_) {
    (void)v;
    if (std::find(known.begin(), known.end(), k.str()) != known.end()) continue;
    std::string hint;
    if (const std::string near = nearest_name(k.str(), known); !near.empty())
      hint = "did you mean \"" + near + "\"?";
    r_.error(pos_of(k), path_.key(k.str()), "a key of " + path_.header() + " (" + list + ")",
             quote(k.str()), hint);
  }
}

bool TableReader::require(std::string_view key, const std::string& expected) {
  if (t_.contains(key)) return true;
  r_.error(pos_of(t_), path_.key(key), expected + " (required)", "no " + std::string(key) + " key");
  return false;
}

std::optional<std::string> TableReader::string(std::string_view key, bool non_empty) {
  const toml::node* n = t_.get(key);
  return n ? read_string(r_, *n, at(key), non_empty) : std::nullopt;
}

std::optional<int64_t> TableReader::integer(std::string_view key, int64_t min, int64_t max,
                                            const std::string& expected) {
  const toml::node* n = t_.get(key);
  return n ? read_int(r_, *n, at(key), min, max, expected) : std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
  const toml::node* n = t_.get(key);
  return n ? read_bool(r_, *n, at(key)) : std::nullopt;
}

std::optional<double> TableReader::number(std::string_view key, double min, double max) {
  const toml::node* n = t_.get(key);
  return n ? read_number(r_, *n, at(key), min, max) : std::nullopt;
}

std::optional<sim::Time> TableReader::duration(std::string_view key) {
  const toml::node* n = t_.get(key);
  return n ? read_duration(r_, *n, at(key)) : std::nullopt;
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key) {
  const toml::node* n = t_.get(key);
  return n ? read_strings(r_, *n, at(key)) : std::nullopt;
}

const toml::table* TableReader::table(std::string_view key) {
  const toml::node* n = t_.get(key);
  if (n == nullptr) return nullptr;
  if (const toml::table* t = n->as_table()) return t;
  r_.error_at(*n, at(key), "a table");
  return nullptr;
}

const toml::array* TableReader::array(std::string_view key, const std::string& expected) {
  const toml::node* n = t_.get(key);
  if (n == nullptr) return nullptr;
  if (const toml::array* a = n->as_array()) return a;
  r_.error_at(*n, at(key), expected);
  return nullptr;
}

}  // namespace kafkasim::scenario::detail
