#include "layout.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "asset_file.h"

namespace kafkasim::gui {

namespace {

struct NamedValue {
  const char* key;
  float LayoutSpec::*field;
  float min, max;
};

constexpr NamedValue kValues[] = {
    {"side_fraction", &LayoutSpec::side_fraction, 0.1f, 0.9f},
    {"side_min_px", &LayoutSpec::side_min_px, 0.0f, 4000.0f},
    {"side_max_fraction", &LayoutSpec::side_max_fraction, 0.1f, 0.9f},
    {"details_min_fraction", &LayoutSpec::details_min_fraction, 0.05f, 0.9f},
    {"details_max_fraction", &LayoutSpec::details_max_fraction, 0.05f, 0.9f},
    {"font_scale", &LayoutSpec::font_scale, 0.5f, 4.0f},
};

void read_spec(const std::string& file, const toml::table& t, LayoutSpec& spec,
               std::vector<std::string>& problems) {
  LayoutSpec s = spec;
  for (auto&& [k, v] : t) {
    if (k.str() == "title_bars") {
      if (const std::optional<bool> b = v.value<bool>())
        s.title_bars = *b;
      else
        problems.push_back(where(file, v.source()) + "title_bars expects true or false");
      continue;
    }
    const NamedValue* named = nullptr;
    for (const NamedValue& n : kValues)
      if (k.str() == n.key) named = &n;
    if (named == nullptr) {
      std::string known;
      for (const NamedValue& n : kValues)
        known += std::string(n.key) + ", ";
      problems.push_back(where(file, v.source()) + "unknown key \"" + std::string(k.str()) +
                         "\" (expected " + known + "title_bars)");
      continue;
    }
    const std::optional<double> d = v.value<double>();
    if (!d || *d < named->min || *d > named->max) {
      std::ostringstream m;
      m << named->key << " expects a number from " << named->min << " to " << named->max;
      problems.push_back(where(file, v.source()) + m.str());
      continue;
    }
    s.*(named->field) = static_cast<float>(*d);
  }
  if (s.details_min_fraction > s.details_max_fraction) {
    problems.push_back(where(file, t.source()) +
                       "details_min_fraction is larger than details_max_fraction");
    return;
  }
  spec = s;
}

}  // namespace

void sort_by_place(std::vector<std::string>& problems, const std::string& file) {
  auto place_of = [&](const std::string& p) {
    unsigned line = 0, column = 0;
    if (p.size() > file.size()) std::sscanf(p.c_str() + file.size(), ":%u:%u", &line, &column);
    return std::pair(line, column);
  };
  std::stable_sort(
      problems.begin(), problems.end(),
      [&](const std::string& a, const std::string& b) { return place_of(a) < place_of(b); });
}

std::vector<std::string> load_layouts(const std::string& file, Layouts& l) {
  toml::table root;
  if (auto problem = read_toml(file, root)) return {*problem};
  std::vector<std::string> problems;
  for (auto&& [k, v] : root) {
    const toml::table* t = v.as_table();
    LayoutSpec* spec = k.str() == "default"     ? &l.normal
                       : k.str() == "presenter" ? &l.presenter
                                                : nullptr;
    if (spec == nullptr || t == nullptr) {
      problems.push_back(where(file, v.source()) + "unknown table \"" + std::string(k.str()) +
                         "\" (expected [default] or [presenter])");
      continue;
    }
    read_spec(file, *t, *spec, problems);
  }
  sort_by_place(problems, file);
  return problems;
}

Placement place(const LayoutSpec& spec, float w, float h, float bar, float details_wanted,
                float scale, float line_h, const PanelsShown& shown) {
  Placement p;
  const bool left = shown.cluster || shown.details;
  float side = std::min(std::max(spec.side_min_px * scale, w * spec.side_fraction),
                        w * spec.side_max_fraction);
  if (!shown.side) side = 0;
  if (!left && shown.side) side = w;
  const float above = h - bar;  // everything above the Time bar
  const float lo = above * spec.details_min_fraction;
  const float hi =
      std::max(lo, std::min(above * spec.details_max_fraction, above - kClusterMinLines * line_h));
  float details = std::clamp(details_wanted, lo, hi);
  if (!shown.details) details = 0;
  if (!shown.cluster) details = above;
  p.cluster_pos = ImVec2(0, 0);
  p.cluster_size = ImVec2(w - side, above - details);
  p.details_pos = ImVec2(0, above - details);
  p.details_size = ImVec2(w - side, details);
  p.side_pos = ImVec2(w - side, 0);
  p.side_size = ImVec2(side, above);
  p.bar_pos = ImVec2(0, above);
  p.bar_size = ImVec2(w, bar);
  return p;
}

}  // namespace kafkasim::gui
