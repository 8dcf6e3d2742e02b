// The studio's window layout: the cluster view top left, the Details tabs (partitions,
// messages) below it, the right-hand column (event log, inspector, charts) and the Time bar at
// the bottom. The proportions come from assets/layout.toml, one set for everyday use and one
// for presenter mode; the built-in values below are used when the file is missing or wrong.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace kafkasim::gui {

/// One set of proportions.
struct LayoutSpec {
  float side_fraction = 0.38f;         // the right-hand column's share of the width,
  float side_min_px = 420.0f;          // but at least this wide (at UI scale 1),
  float side_max_fraction = 0.5f;      // and never more than this share
  float details_min_fraction = 0.36f;  // the Details tabs take the height they need, between
  float details_max_fraction = 0.5f;   // these shares of the height above the Time bar
  float font_scale = 1.0f;             // the font size times this (presenter mode: larger)
  bool title_bars = true;              // the Cluster and Time windows' title bars
};

struct Layouts {
  LayoutSpec normal;
  LayoutSpec presenter{0.30f, 240.0f, 0.42f, 0.22f, 0.45f, 1.6f, false};
};

/// Reads [default] and [presenter] of FILE over L. Returns the problems found, each as
/// "FILE:LINE:COL: what" (empty when all is well); a value in error keeps its built-in value.
std::vector<std::string> load_layouts(const std::string& file, Layouts& l);

/// Puts PROBLEMS about FILE ("FILE:LINE:COL: what") in the order of their places in it.
void sort_by_place(std::vector<std::string>& problems, const std::string& file);

/// Where each window goes on a W x H screen.
struct Placement {
  ImVec2 cluster_pos, cluster_size;
  ImVec2 details_pos, details_size;
  ImVec2 side_pos, side_size;
  ImVec2 bar_pos, bar_size;
};

/// Which windows are shown (the View menu, F2-F4): a hidden one leaves its room to the others.
/// The Time bar is always shown: it holds the View menu and the keys.
struct PanelsShown {
  bool cluster = true;
  bool details = true;  // the Partitions and Messages tabs
  bool side = true;     // the right-hand column: lesson, event log, inspector, charts, groups
};

/// BAR: the Time bar's height; DETAILS_WANTED: the height the Details tabs would like;
/// LINE_H: a line of text. The Details tabs get what they want within the spec's shares, but
/// never so much that the cluster view keeps fewer than kClusterMinLines lines (a short
/// projector keeps its cluster; a tall screen shows every replica's log row).
constexpr float kClusterMinLines = 16.0f;
Placement place(const LayoutSpec& spec, float w, float h, float bar, float details_wanted,
                float scale, float line_h = 0.0f, const PanelsShown& shown = {});

}  // namespace kafkasim::gui
