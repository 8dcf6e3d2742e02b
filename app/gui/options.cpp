#include "options.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "world/limits.h"

namespace kafkasim::gui {

extern const char* const kUsage;
const char* const kUsage =
    "usage: kafkasim-gui [FILE|orders|orders-zk|demo] [--seed N] [--until T]\n"
    "                    [--at T --screenshot FILE.png] [--size WxH] [--frames N --bench]\n"
    "                    [--font-size PX] [--font-scale K] [--check-layout]\n"
    "                    [--tab partitions|messages|charts|groups|lesson|log|help]\n"
    "                    [--select NODE[,PARTITION] | PARTITION]\n"
    "                    [--draw-partition ID,ID,...]\n"
    "                    [--speed X] [--slow-motion S] [--follow PARTITION@OFFSET]\n"
    "                    [--presenter] [--theme dark|high-contrast] [--assets DIR]\n"
    "                    [--hide cluster,details,side]\n"
    "  FILE       a scenario file (scenarios/*.toml): its cluster, workload, timeline and\n"
    "             narration; or a recording (FILE.db, from the time bar's \"Save recording\"\n"
    "             or kafkasim run --record, of a scenario file or a built-in world): its\n"
    "             lesson, seed and clicks, replayed as you play\n"
    "  orders     the built-in world the default lesson was made from: a KRaft cluster,\n"
    "             broker and controller failover, without pauses or expectations\n"
    "  orders-zk  the same story on a ZooKeeper-mode (Kafka 3.x) cluster\n"
    "  demo       five nodes with a heartbeat failure detector (the engine's own demo)\n"
    "             (neither a FILE nor a world: the default lesson, scenarios/00-first-look.toml)\n"
    "  --until T  run to simulated time T instead of the lesson's end (the time bar's\n"
    "             length), e.g. --until 600s for ten minutes of the default lesson\n"
    "  --select   open the inspector on node NODE (its Kafka id, e.g. 102) and/or partition\n"
    "             PARTITION (e.g. 102,orders-0 or orders-0); a topic's name (orders) opens\n"
    "             the Partitions tab's overview of every partition of that topic\n"
    "  --draw-partition  open the cluster view drawing a network partition, these nodes (Kafka\n"
    "             ids, e.g. 101,102) on side A (key D in the studio; Escape cancels)\n"
    "  --follow PARTITION@OFFSET  follow the record at that offset (as the partition's leader\n"
    "             holds it at --at, or at the end if no replica has it yet): the cluster view\n"
    "             and the log strip mark where it is; Shift+Right and Shift+Left step through\n"
    "             its journey (click a cell, or follow in a producer's inspector, for another)\n"
    "  --speed X  play at X simulated seconds per real second (0.01 to 1000; default the\n"
    "             lesson's own, else 0.1)\n"
    "  --slow-motion S  start in slow motion: each message drawn takes S seconds (0.1 to 2)\n"
    "             to cross, whatever the speed (key S)\n"
    "  --presenter  start in presenter mode (F5 or P): large fonts, high contrast, a clean\n"
    "             layout; Ctrl+= / Ctrl+- change the font size at any time\n"
    "  --font-scale  start with the font K times larger (0.5 to 3), as Ctrl+= / Ctrl+- do\n"
    "  --check-layout  lay out one frame (at --at T, --size, --presenter, --font-scale) off\n"
    "             screen and print every pair of overlapping boxes and every clipped one\n"
    "             the panels drew, then \"N overlaps, M clipped\"; exit 1 if either is not 0\n"
    "  --hide     start with these windows hidden, as F2 (cluster), F3 (details: the\n"
    "             Partitions and Messages tabs) and F4 (side: the right-hand column) do\n"
    "  --theme    the everyday theme (dark, or high-contrast)\n"
    "  --assets   where theme.toml and layout.toml are (default: $KAFKASIM_ASSETS, else the\n"
    "             source tree's assets/)\n"
    "";

int usage_error(const std::string& what) {
  std::fprintf(stderr, "kafkasim-gui: %s\n%s", what.c_str(), kUsage);
  return 2;
}

namespace {

/// Most frames --bench may ask for (hours at 60 frames per second).
constexpr int64_t kFramesMax = 1'000'000;
/// The window's sides: small enough for the layout, and within what GL and X take.
constexpr int64_t kSideMin = 320;
constexpr int64_t kSideMax = 8192;
/// The font sizes the studio draws (presenter.cpp's zoom keeps within the same bounds).
constexpr float kFontPxMin = 9.0f;
constexpr float kFontPxMax = 64.0f;

/// A decimal whole number in [min, max] with nothing around it.
std::optional<int64_t> whole_number(const std::string& s, int64_t min, int64_t max) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || n < min || n > max)
    return std::nullopt;
  return n;
}

/// Why a new file cannot be written at `path` (its directory is missing or read-only), or
/// nullopt. Checked before a window opens, so a screenshot that could not be saved is an error
/// at once, not after the run.
std::optional<std::string> unwritable(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return std::string("no file name");
  std::error_code ec;
  const fs::path p(path);
  if (fs::is_directory(p, ec)) return std::string("it is a directory");
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) return "there is no directory " + dir.string();
  if (::access(dir.c_str(), W_OK) != 0) return "the directory " + dir.string() + " is read-only";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse(int argc, char** argv, Options& o) {
  std::vector<std::string> seen;  // valued options given so far
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    std::optional<std::string> v;
    if (a == "demo" || a == "orders" || a == "orders-zk") {
      o.world = a;
      o.world_named = true;
      continue;
    }
    if (a == "-h" || a == "--help") return std::string("help");
    if (a.rfind("--", 0) != 0 &&
        (a.find('.') != std::string::npos || a.find('/') != std::string::npos)) {
      o.file = a;
      continue;
    }
    if (a == "--bench" || a == "--presenter" || a == "--check-layout") {
      (a == "--bench" ? o.bench : a == "--presenter" ? o.presenter : o.check_layout) = true;
      continue;
    }
    if (a != "--seed" && a != "--until" && a != "--at" && a != "--screenshot" && a != "--size" &&
        a != "--frames" && a != "--font-size" && a != "--tab" && a != "--select" &&
        a != "--draw-partition" && a != "--theme" && a != "--assets" && a != "--font-scale" &&
        a != "--speed" && a != "--slow-motion" && a != "--follow" && a != "--hide") {
      return a.rfind("--", 0) == 0
                 ? "unknown option " + a
                 : "unknown argument \"" + a + "\" (a world name or a scenario file path)";
    }
    if (!(v = value())) return a + " needs a value";
    if (std::find(seen.begin(), seen.end(), a) != seen.end())
      return a + " given twice (give it once)";
    seen.push_back(a);
    if (a == "--seed") {
      auto n = whole_number(*v, 0, std::numeric_limits<int64_t>::max());
      if (!n) return "--seed expects a non-negative integer, got \"" + *v + "\"";
      o.seed = static_cast<uint64_t>(*n);
    }
    if (a == "--frames") {
      auto n = whole_number(*v, 1, kFramesMax);
      if (!n)
        return "--frames expects a number of frames, 1 to " + std::to_string(kFramesMax) +
               ", got \"" + *v + "\"";
      o.frames = static_cast<int>(*n);
    }
    if (a == "--font-size") {
      char* end = nullptr;
      const float px = std::strtof(v->c_str(), &end);
      if (v->empty() || end != v->c_str() + v->size() || !(px >= kFontPxMin && px <= kFontPxMax))
        return "--font-size expects pixels from " + std::to_string(int(kFontPxMin)) + " to " +
               std::to_string(int(kFontPxMax)) + ", got \"" + *v + "\"";
      o.font_px = px;
    }
    if (a == "--font-scale") {
      char* end = nullptr;
      const float k = std::strtof(v->c_str(), &end);
      if (v->empty() || end != v->c_str() + v->size() || !(k >= 0.5f && k <= 3.0f))
        return "--font-scale expects a factor from 0.5 to 3 (as Ctrl+= / Ctrl+- do), got \"" + *v +
               "\"";
      o.font_scale = k;
    }
    if (a == "--follow") {
      const size_t at = v->rfind('@');
      char* end = nullptr;
      const long long off =
          at == std::string::npos ? -1 : std::strtoll(v->c_str() + at + 1, &end, 10);
      if (at == std::string::npos || at == 0 || end == v->c_str() + at + 1 || *end != '\0' ||
          off < 0)
        return "--follow expects PARTITION@OFFSET (e.g. orders-0@300), got \"" + *v + "\"";
      o.follow_partition = v->substr(0, at);
      o.follow_offset = off;
    }
    if (a == "--speed" || a == "--slow-motion") {
      char* end = nullptr;
      const double k = std::strtod(v->c_str(), &end);
      const bool speed = a == "--speed";
      const double lo = speed ? 0.01 : 0.1, hi = speed ? 1000.0 : 2.0;
      if (v->empty() || end != v->c_str() + v->size() || !(k >= lo && k <= hi))
        return speed ? "--speed expects simulated seconds per real second, 0.01 to 1000, got \"" +
                           *v + "\""
                     : "--slow-motion expects the seconds a message takes to cross, 0.1 to 2, "
                       "got \"" +
                           *v + "\"";
      // Two statements: `(speed ? o.speed : o.slow_motion) = k` would assign a temporary (the
      // operands' types differ), leaving --speed unset.
      if (speed)
        o.speed = k;
      else
        o.slow_motion = k;
    }
    if (a == "--screenshot") {
      if (auto bad = unwritable(*v)) return "--screenshot: cannot write " + *v + ": " + *bad;
      o.screenshot = *v;
    }
    if (a == "--assets") o.assets = *v;
    if (a == "--hide") {
      std::string rest = *v;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string w = rest.substr(0, comma);
        rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
        if (w == "cluster")
          o.hide_cluster = true;
        else if (w == "details")
          o.hide_details = true;
        else if (w == "side")
          o.hide_side = true;
        else
          return "--hide expects cluster, details or side (comma-separated), got \"" + w + "\"";
      }
      if (o.hide_cluster && o.hide_details && o.hide_side)
        return std::string("--hide: at least one of cluster, details and side stays shown");
    }
    if (a == "--theme") {
      if (*v != "dark" && *v != "high-contrast")
        return "--theme expects dark or high-contrast, got \"" + *v + "\"";
      o.theme = *v;
    }
    if (a == "--tab") {
      if (*v != "partitions" && *v != "messages" && *v != "charts" && *v != "groups" &&
          *v != "lesson" && *v != "log" && *v != "help")
        return "--tab expects partitions, messages, charts, groups, lesson, log or help, got \"" +
               *v + "\"";
      o.tab = *v;
    }
    if (a == "--select") {
      // NODE_ID, NODE_ID,PARTITION, or PARTITION alone (it has a letter in it).
      const size_t comma = v->find(',');
      const std::string node = v->substr(0, comma);
      if (comma == std::string::npos && node.find_first_not_of("0123456789") != std::string::npos) {
        o.select_partition = node;
      } else {
        try {
          size_t used = 0;
          o.select_node = std::stoi(node, &used);
          if (used != node.size()) throw std::invalid_argument("id");
        } catch (const std::exception&) {
          return "--select expects NODE_ID[,PARTITION] or PARTITION (e.g. 102,orders-0), got \"" +
                 *v + "\"";
        }
        if (comma != std::string::npos) o.select_partition = v->substr(comma + 1);
      }
    }
    if (a == "--draw-partition") {
      std::vector<int32_t> ids;
      size_t from = 0;
      while (from <= v->size()) {
        const size_t comma = std::min(v->find(',', from), v->size());
        const std::string id = v->substr(from, comma - from);
        if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos || id.size() > 7)
          return "--draw-partition expects node ids separated by commas (e.g. 101,102), got \"" +
                 *v + "\"";
        ids.push_back(std::stoi(id));
        from = comma + 1;
      }
      o.draw_partition = std::move(ids);
    }
    if (a == "--at" || a == "--until") {
      auto t = sim::parse_duration(*v);
      if (!t) return a + ": " + t.error();
      if (a == "--until" && *t <= sim::Time::zero()) return std::string("--until must be after 0");
      if (*t > world::kRunDurationMax)
        return a + ": " + *v + " is past the longest run kafkasim simulates (" +
               sim::to_string(world::kRunDurationMax) + ")";
      (a == "--at" ? o.at : o.until) = *t;
    }
    if (a == "--size") {
      const size_t x = v->find('x');
      auto w =
          x == std::string::npos ? std::nullopt : whole_number(v->substr(0, x), kSideMin, kSideMax);
      auto h = x == std::string::npos ? std::nullopt
                                      : whole_number(v->substr(x + 1), kSideMin, kSideMax);
      if (!w || !h)
        return "--size expects WIDTHxHEIGHT, each " + std::to_string(kSideMin) + " to " +
               std::to_string(kSideMax) + " pixels (e.g. 1280x720), got \"" + *v + "\"";
      o.width = static_cast<int>(*w);
      o.height = static_cast<int>(*h);
    }
  }
  if (!o.screenshot.empty() && !o.at) return std::string("--screenshot needs --at T");
  if (o.bench && o.frames <= 0) return std::string("--bench needs --frames N");
  if (o.check_layout && (o.bench || !o.screenshot.empty()))
    return std::string(
        "--check-layout renders one frame of its own: not with --bench or --screenshot");
  return std::nullopt;
}

std::string assets_dir(const Options& o) {
  if (!o.assets.empty()) return o.assets;
  const char* env = std::getenv("KAFKASIM_ASSETS");
  return env != nullptr && *env != '\0' ? env : KAFKASIM_ASSETS_DIR;
}

}  // namespace kafkasim::gui
