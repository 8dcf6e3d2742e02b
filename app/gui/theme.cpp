#include "theme.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "asset_file.h"
#include "layout.h"

namespace kafkasim::gui {

namespace {

/// A theme's colours with meaning, by [THEME.SECTION] key in theme.toml.
struct NamedColour {
  const char* section;
  const char* key;
  ImU32 Theme::*field;
};

constexpr NamedColour kNamed[] = {
    {"status", "running", &Theme::running},      {"status", "paused", &Theme::paused},
    {"status", "crashed", &Theme::crashed},      {"status", "powered_off", &Theme::powered_off},
    {"status", "stopped", &Theme::stopped},      {"status", "fenced", &Theme::fenced},
    {"message", "produce", &Theme::produce},     {"message", "fetch", &Theme::fetch},
    {"message", "metadata", &Theme::metadata},   {"message", "vote", &Theme::vote},
    {"message", "heartbeat", &Theme::heartbeat}, {"message", "group", &Theme::group},
    {"message", "demo", &Theme::demo},           {"message", "other", &Theme::other_message},
    {"trace", "fault", &Theme::fault},           {"trace", "recovery", &Theme::recovery},
    {"trace", "change", &Theme::change},         {"trace", "narration", &Theme::narration},
    {"trace", "other", &Theme::other_trace},     {"cluster", "leader", &Theme::leader},
    {"cluster", "in_sync", &Theme::in_sync},     {"cluster", "out_of_sync", &Theme::out_of_sync},
    {"cluster", "offline", &Theme::offline},     {"cluster", "link", &Theme::link},
    {"cluster", "link_slow", &Theme::link_slow}, {"cluster", "link_cut", &Theme::link_cut},
    {"cluster", "node_fill", &Theme::node_fill}, {"cluster", "selection", &Theme::selection},
    {"timeline", "track", &Theme::track},        {"timeline", "track_done", &Theme::track_done},
    {"timeline", "now", &Theme::now_marker},     {"timeline", "command", &Theme::command_tick},
};

Theme make_dark() {
  Theme t;
  t.name = "dark";
  t.background = IM_COL32(15, 18, 20, 255);
  t.imgui = {
      {ImGuiCol_WindowBg, IM_COL32(26, 28, 33, 255)},
      {ImGuiCol_ChildBg, IM_COL32(20, 23, 26, 255)},
      {ImGuiCol_TitleBg, IM_COL32(33, 38, 46, 255)},
      {ImGuiCol_TitleBgActive, IM_COL32(41, 51, 66, 255)},
      {ImGuiCol_Button, IM_COL32(51, 77, 107, 255)},
      {ImGuiCol_ButtonHovered, IM_COL32(66, 102, 143, 255)},
      {ImGuiCol_ButtonActive, IM_COL32(77, 122, 168, 255)},
      {ImGuiCol_FrameBg, IM_COL32(41, 46, 56, 255)},
      {ImGuiCol_Header, IM_COL32(51, 77, 107, 204)},
  };
  t.running = IM_COL32(72, 187, 120, 255);
  t.paused = IM_COL32(236, 178, 46, 255);
  t.crashed = IM_COL32(224, 82, 82, 255);
  t.powered_off = IM_COL32(110, 110, 120, 255);
  t.stopped = IM_COL32(90, 140, 200, 255);
  t.fenced = IM_COL32(160, 120, 220, 255);
  t.produce = IM_COL32(99, 179, 237, 255);
  t.fetch = IM_COL32(129, 230, 217, 255);
  t.metadata = IM_COL32(183, 148, 244, 255);
  t.vote = IM_COL32(246, 135, 179, 255);
  t.heartbeat = IM_COL32(250, 240, 137, 255);
  t.group = IM_COL32(251, 182, 110, 255);
  t.demo = IM_COL32(226, 232, 240, 255);
  t.other_message = IM_COL32(160, 174, 192, 255);
  t.fault = IM_COL32(242, 115, 115, 255);
  t.recovery = IM_COL32(115, 217, 140, 255);
  t.change = IM_COL32(245, 196, 69, 255);
  t.narration = IM_COL32(140, 191, 255, 255);
  t.other_trace = IM_COL32(204, 204, 209, 255);
  t.leader = IM_COL32(246, 196, 68, 255);
  t.in_sync = IM_COL32(72, 187, 120, 255);
  t.out_of_sync = IM_COL32(237, 137, 54, 255);
  t.offline = IM_COL32(120, 120, 130, 255);
  t.link = IM_COL32(90, 100, 115, 110);
  t.link_slow = IM_COL32(236, 178, 46, 255);
  t.link_cut = IM_COL32(224, 82, 82, 255);
  t.node_fill = IM_COL32(20, 24, 30, 255);
  t.selection = IM_COL32(255, 255, 255, 255);
  t.track = IM_COL32(34, 38, 46, 255);
  t.track_done = IM_COL32(52, 70, 98, 255);
  t.now_marker = IM_COL32(255, 255, 255, 255);
  t.command_tick = IM_COL32(240, 240, 240, 230);
  return t;
}

/// For projectors: near-black ground, pure white text, saturated colours far apart in hue,
/// outlined controls and thicker lines.
Theme make_high_contrast() {
  Theme t;
  t.name = "high-contrast";
  t.line_scale = 1.6f;
  t.frame_border = 1.0f;
  t.background = IM_COL32(0, 0, 0, 255);
  t.imgui = {
      {ImGuiCol_Text, IM_COL32(255, 255, 255, 255)},
      {ImGuiCol_TextDisabled, IM_COL32(210, 210, 210, 255)},
      {ImGuiCol_WindowBg, IM_COL32(5, 5, 5, 255)},
      {ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 255)},
      {ImGuiCol_PopupBg, IM_COL32(10, 10, 10, 250)},
      {ImGuiCol_Border, IM_COL32(255, 255, 255, 255)},
      {ImGuiCol_TitleBg, IM_COL32(20, 20, 20, 255)},
      {ImGuiCol_TitleBgActive, IM_COL32(0, 60, 150, 255)},
      {ImGuiCol_FrameBg, IM_COL32(25, 25, 25, 255)},
      {ImGuiCol_FrameBgHovered, IM_COL32(0, 70, 170, 255)},
      {ImGuiCol_Button, IM_COL32(0, 60, 150, 255)},
      {ImGuiCol_ButtonHovered, IM_COL32(0, 100, 230, 255)},
      {ImGuiCol_ButtonActive, IM_COL32(30, 140, 255, 255)},
      {ImGuiCol_Header, IM_COL32(0, 60, 150, 255)},
      {ImGuiCol_HeaderHovered, IM_COL32(0, 100, 230, 255)},
      {ImGuiCol_Tab, IM_COL32(30, 30, 30, 255)},
      {ImGuiCol_TabHovered, IM_COL32(0, 100, 230, 255)},
      {ImGuiCol_TabActive, IM_COL32(0, 60, 150, 255)},
      {ImGuiCol_CheckMark, IM_COL32(255, 230, 0, 255)},
      {ImGuiCol_SliderGrab, IM_COL32(255, 230, 0, 255)},
      {ImGuiCol_Separator, IM_COL32(200, 200, 200, 255)},
  };
  t.running = IM_COL32(0, 230, 64, 255);
  t.paused = IM_COL32(255, 214, 0, 255);
  t.crashed = IM_COL32(255, 40, 40, 255);
  t.powered_off = IM_COL32(170, 170, 170, 255);
  t.stopped = IM_COL32(40, 160, 255, 255);
  t.fenced = IM_COL32(220, 90, 255, 255);
  t.produce = IM_COL32(0, 170, 255, 255);
  t.fetch = IM_COL32(0, 255, 220, 255);
  t.metadata = IM_COL32(190, 120, 255, 255);
  t.vote = IM_COL32(255, 60, 170, 255);
  t.heartbeat = IM_COL32(255, 255, 0, 255);
  t.group = IM_COL32(255, 140, 0, 255);
  t.demo = IM_COL32(255, 255, 255, 255);
  t.other_message = IM_COL32(180, 180, 180, 255);
  t.fault = IM_COL32(255, 70, 70, 255);
  t.recovery = IM_COL32(60, 255, 100, 255);
  t.change = IM_COL32(255, 214, 0, 255);
  t.narration = IM_COL32(120, 200, 255, 255);
  t.other_trace = IM_COL32(235, 235, 235, 255);
  t.leader = IM_COL32(255, 214, 0, 255);
  t.in_sync = IM_COL32(0, 230, 64, 255);
  t.out_of_sync = IM_COL32(255, 140, 0, 255);
  t.offline = IM_COL32(170, 170, 170, 255);
  t.link = IM_COL32(150, 150, 150, 200);
  t.link_slow = IM_COL32(255, 214, 0, 255);
  t.link_cut = IM_COL32(255, 40, 40, 255);
  t.node_fill = IM_COL32(0, 0, 0, 255);
  t.selection = IM_COL32(255, 255, 255, 255);
  t.track = IM_COL32(30, 30, 30, 255);
  t.track_done = IM_COL32(0, 70, 170, 255);
  t.now_marker = IM_COL32(255, 255, 255, 255);
  t.command_tick = IM_COL32(255, 255, 255, 255);
  return t;
}

Theme g_themes[2] = {make_dark(), make_high_contrast()};
Theme g_current = g_themes[0];
float g_scale = 1.0f;

Theme* find_theme(const std::string& name) {
  for (Theme& t : g_themes)
    if (t.name == name) return &t;
  return nullptr;
}

/// "#rrggbb" or "#rrggbbaa".
std::optional<ImU32> parse_colour(std::string_view s) {
  if (s.size() != 7 && s.size() != 9) return std::nullopt;
  if (s[0] != '#') return std::nullopt;
  unsigned v[4] = {0, 0, 0, 255};
  for (size_t i = 0; i * 2 + 1 < s.size(); ++i) {
    unsigned byte = 0;
    for (char ch : s.substr(1 + i * 2, 2)) {
      const int d = ch >= '0' && ch <= '9'   ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                             : -1;
      if (d < 0) return std::nullopt;
      byte = byte * 16 + static_cast<unsigned>(d);
    }
    v[i] = byte;
  }
  return IM_COL32(v[0], v[1], v[2], v[3]);
}

/// Reads one [THEME] table of theme.toml into T, noting each problem with its place.
class ThemeReader {
 public:
  ThemeReader(std::string file, std::vector<std::string>& problems)
      : file_(std::move(file)), problems_(problems) {}

  void read(const toml::table& table, Theme& t) {
    for (auto&& [k, v] : table) {
      const std::string key(k.str());
      if (key == "line_scale" || key == "frame_border") {
        const std::optional<double> d = v.value<double>();
        if (!d || *d < 0.0 || *d > 8.0) {
          problem(v, key + " expects a number from 0 to 8");
          continue;
        }
        (key == "line_scale" ? t.line_scale : t.frame_border) = static_cast<float>(*d);
      } else if (key == "background") {
        if (auto c = colour(v, key)) t.background = *c;
      } else if (key == "imgui") {
        read_imgui(v, t);
      } else if (!read_section(key, v, t)) {
        problem(v, "unknown key \"" + key +
                       "\" (expected line_scale, frame_border, background, [imgui], [status], "
                       "[message], [trace], [cluster], [timeline])");
      }
    }
  }

 private:
  void problem(const toml::node& n, const std::string& what) {
    problems_.push_back(where(file_, n.source()) + what);
  }

  std::optional<ImU32> colour(const toml::node& n, const std::string& key) {
    const std::optional<std::string> s = n.value<std::string>();
    std::optional<ImU32> c = s ? parse_colour(*s) : std::nullopt;
    if (!c) problem(n, key + " expects a colour \"#rrggbb\" or \"#rrggbbaa\"");
    return c;
  }

  void read_imgui(const toml::node& n, Theme& t) {
    const toml::table* tab = n.as_table();
    if (tab == nullptr) return problem(n, "imgui expects a table of ImGui colour names");
    for (auto&& [k, v] : *tab) {
      int idx = -1;
      for (int i = 0; i < ImGuiCol_COUNT; ++i)
        if (k.str() == ImGui::GetStyleColorName(i)) idx = i;
      if (idx < 0) {
        problem(v, "unknown ImGui colour \"" + std::string(k.str()) + "\" (e.g. WindowBg, Text)");
        continue;
      }
      const std::optional<ImU32> c = colour(v, std::string(k.str()));
      if (!c) continue;
      auto it = std::find_if(t.imgui.begin(), t.imgui.end(),
                             [&](const auto& p) { return p.first == idx; });
      if (it != t.imgui.end())
        it->second = *c;
      else
        t.imgui.emplace_back(idx, *c);
    }
  }

  bool read_section(const std::string& section, const toml::node& n, Theme& t) {
    if (std::none_of(std::begin(kNamed), std::end(kNamed),
                     [&](const NamedColour& c) { return section == c.section; }))
      return false;
    const toml::table* tab = n.as_table();
    if (tab == nullptr) {
      problem(n, section + " expects a table of colours");
      return true;
    }
    for (auto&& [k, v] : *tab) {
      const NamedColour* named = nullptr;
      for (const NamedColour& c : kNamed)
        if (section == c.section && k.str() == c.key) named = &c;
      if (named == nullptr) {
        std::string known;
        for (const NamedColour& c : kNamed)
          if (section == c.section) known += (known.empty() ? "" : ", ") + std::string(c.key);
        problem(v, "unknown colour \"" + std::string(k.str()) + "\" in [" + section +
                       "] (expected " + known + ")");
        continue;
      }
      if (auto c = colour(v, std::string(k.str()))) t.*(named->field) = *c;
    }
    return true;
  }

  std::string file_;
  std::vector<std::string>& problems_;
};

ImVec4 to_vec4(ImU32 c) {
  return ImGui::ColorConvertU32ToFloat4(c);
}

}  // namespace

Theme builtin_theme(const std::string& name) {
  return name == "high-contrast" ? make_high_contrast() : make_dark();
}

std::vector<std::string> load_themes(const std::string& file) {
  std::vector<std::string> problems;
  toml::table root;
  if (auto problem = read_toml(file, root)) return {*problem};
  ThemeReader reader(file, problems);
  for (auto&& [k, v] : root) {
    Theme* t = find_theme(std::string(k.str()));
    const toml::table* tab = v.as_table();
    if (t == nullptr || tab == nullptr) {
      problems.push_back(where(file, v.source()) + "unknown theme \"" + std::string(k.str()) +
                         "\" (expected [dark] or [high-contrast])");
      continue;
    }
    reader.read(*tab, *t);
  }
  sort_by_place(problems, file);
  return problems;
}

void use_theme(const std::string& name, float scale) {
  const Theme* t = find_theme(name);
  g_current = t != nullptr ? *t : g_themes[0];
  g_scale = scale;
  ImGuiStyle& s = ImGui::GetStyle();
  s = ImGuiStyle();
  ImGui::StyleColorsDark(&s);
  s.WindowRounding = 6.0f;
  s.FrameRounding = 4.0f;
  s.GrabRounding = 4.0f;
  s.WindowBorderSize = 0.0f;
  s.FrameBorderSize = g_current.frame_border;
  s.WindowPadding = ImVec2(10, 8);
  s.ItemSpacing = ImVec2(8, 6);
  for (const auto& [idx, c] : g_current.imgui)
    s.Colors[idx] = to_vec4(c);
  s.ScaleAllSizes(scale);
}

const Theme& theme() {
  return g_current;
}

float ui_scale() {
  return g_scale;
}

float line_w(float w) {
  return w * g_scale * g_current.line_scale;
}

void load_font(float font_px) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const char* candidates[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
  bool loaded = false;
  for (const char* path : candidates) {
    if (FILE* f = std::fopen(path, "rb")) {
      std::fclose(f);
      loaded = io.Fonts->AddFontFromFileTTF(path, font_px) != nullptr;
      if (loaded) break;
    }
  }
  if (!loaded) {
    ImFontConfig cfg;
    cfg.SizePixels = font_px;
    io.Fonts->AddFontDefault(&cfg);
  }
  io.Fonts->Build();
}

ImU32 status_colour(world::NodeStatus s) {
  switch (s) {
    case world::NodeStatus::running:
      return g_current.running;
    case world::NodeStatus::paused:
      return g_current.paused;
    case world::NodeStatus::crashed:
      return g_current.crashed;
    case world::NodeStatus::powered_off:
      return g_current.powered_off;
    case world::NodeStatus::stopped:
      return g_current.stopped;
  }
  return IM_COL32_WHITE;
}

ImU32 message_colour(net::MessageKind k) {
  switch (k) {
    case net::MessageKind::produce:
      return g_current.produce;
    case net::MessageKind::fetch:
      return g_current.fetch;
    case net::MessageKind::metadata:
      return g_current.metadata;
    case net::MessageKind::vote:
      return g_current.vote;
    case net::MessageKind::heartbeat:
      return g_current.heartbeat;
    case net::MessageKind::group:
      return g_current.group;
    case net::MessageKind::demo:
      return g_current.demo;
    case net::MessageKind::other:
      return g_current.other_message;
  }
  return IM_COL32_WHITE;
}

ImU32 trace_colour(sim::TraceKind k) {
  switch (k) {
    case sim::TraceKind::node_crash:
    case sim::TraceKind::node_power_loss:
    case sim::TraceKind::link_cut:
    case sim::TraceKind::broker_fenced:
    case sim::TraceKind::controller_inactive:
    case sim::TraceKind::raft_resign:
    case sim::TraceKind::admin_error:
    case sim::TraceKind::demo_suspect:
      return g_current.fault;
    case sim::TraceKind::node_restart:
    case sim::TraceKind::node_resume:
    case sim::TraceKind::link_restore:
    case sim::TraceKind::broker_registered:
    case sim::TraceKind::broker_unfenced:
    case sim::TraceKind::demo_recover:
      return g_current.recovery;
    case sim::TraceKind::controller_active:
    case sim::TraceKind::raft_leader:
    case sim::TraceKind::leader_change:
    case sim::TraceKind::isr_change:
    case sim::TraceKind::topic_created:
    case sim::TraceKind::partitions_added:
    case sim::TraceKind::reassignment:
    case sim::TraceKind::config_change:
      return g_current.change;
    case sim::TraceKind::narration:
      return g_current.narration;
    default:
      return g_current.other_trace;
  }
}

}  // namespace kafkasim::gui
