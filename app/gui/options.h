// The studio's command line: its options, their parsing and the usage text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/time.h"

namespace kafkasim::gui {

struct Options {
  std::string world = "orders";  // a built-in world, when named (`world_named`)
  bool world_named = false;      // neither a world nor a file given: the default lesson
  std::string file;              // a scenario file, when given
  std::optional<uint64_t> seed;
  std::optional<sim::Time> until;  // the time bar's end instead of the lesson's
  std::optional<sim::Time> at;
  std::string screenshot;
  int width = 1600, height = 900;
  int frames = 0;
  bool bench = false;
  float font_px = 17.0f;
  std::string tab = "partitions";      // the tab open first (below the cluster view or beside)
  std::optional<int32_t> select_node;  // --select: a Kafka node id
  std::string select_partition;
  std::optional<std::vector<int32_t>> draw_partition;  // side A of a partition being drawn
  bool presenter = false;
  std::optional<double> speed;   // --speed: over the lesson's own
  std::string follow_partition;  // --follow PARTITION@OFFSET
  int64_t follow_offset = -1;
  double slow_motion = 0.0;   // --slow-motion: seconds a crossing takes (0: off)
  float font_scale = 1.0f;    // --font-scale: as if Ctrl+= / Ctrl+- had been pressed
  bool check_layout = false;  // --check-layout: report overlapping and clipped boxes, exit
  bool hide_cluster = false, hide_details = false, hide_side = false;  // --hide
  std::string theme = "dark";
  std::string assets;  // empty: $KAFKASIM_ASSETS, else the build's KAFKASIM_ASSETS_DIR
};

/// Prints `what` and the usage to stderr; returns the exit code for a usage error (2).
int usage_error(const std::string& what);
/// Fills `o` from the command line; an error message (or "help") when it cannot.
std::optional<std::string> parse(int argc, char** argv, Options& o);
/// Where theme.toml and layout.toml are: --assets, $KAFKASIM_ASSETS, the source tree's.
std::string assets_dir(const Options& o);
extern const char* const kUsage;

}  // namespace kafkasim::gui
