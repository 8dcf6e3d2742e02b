// The boxes the panels draw in a frame, for `kafkasim-gui --check-layout` (layout_check.h).
// Off unless that option is given: every call is then one test of a flag.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "layout_check.h"

namespace kafkasim::gui::probe {

/// Whether this frame's boxes are being kept.
bool recording();
/// Starts keeping boxes (or stops, with false), forgetting those kept so far.
void record(bool on);
const std::vector<DrawnBox>& boxes();

/// A new group id: the boxes of one thing (a node's circle, its badge) may touch each other.
int new_group();
/// A box drawn in the current window, clipped as the window (or table cell) clips its items.
void drawn(const char* panel, const std::string& what, ImVec2 min, ImVec2 max, int group = 0);
/// The same, clipped to `clip_min`..`clip_max` (a region of the window, e.g. the canvas).
void drawn_in(const char* panel, const std::string& what, ImVec2 min, ImVec2 max, ImVec2 clip_min,
              ImVec2 clip_max, int group = 0);
/// The last ImGui item (a button, a line of text, a table cell's text): its whole size against
/// what its window (or table cell) shows.
void item(const char* panel, const std::string& what);
/// Text `shown` written at `at` by the draw list (AddText); reported as `about` + `shown`.
void text(const char* panel, const std::string& about, const std::string& shown, ImVec2 at,
          int group = 0);

}  // namespace kafkasim::gui::probe
