// LessonPanel: a scenario as a lesson. Its story as steps (time, action, narration; the current
// one highlighted, `pause = true` steps marked, a click goes there), its expectations passing
// or failing live as the run reaches their time, the invariants (an alert that jumps to the
// event that broke one), and the library of lessons to open another, with descriptions.
#pragma once

#include <string>
#include <vector>

#include "app_state.h"

namespace kafkasim::gui {

struct LessonEntry {
  std::string path;
  std::string name;
  std::string description;
  std::string error;  // the file does not load (shown, not hidden)
};

/// Every *.toml in `dir`, sorted by file name, with its name and description.
std::vector<LessonEntry> list_lessons(const std::string& dir);

struct LessonPanel {
  std::string library_dir;  // where the lesson library lives (scenarios/)
  /// Set when the user picks a lesson to open; the studio opens it between frames.
  std::string open_request;
  void draw_contents(AppState& app);
  /// The library alone (also shown when the studio runs a built-in world).
  void draw_library(const AppState& app);

 private:
  std::vector<LessonEntry> lessons_;
  bool listed_ = false;
  // Acknowledged records lost so far (check::summarize), counted again every few thousand
  // events, not every frame.
  int64_t lost_ = 0;
  uint64_t lost_counted_at_ = ~uint64_t{0};
  size_t shown_step_ = ~size_t{0};  // the step last scrolled into view
  int scroll_frames_ = 0;           // frames left to keep it there (the table settles first)
};

/// A red banner over the studio while an invariant is broken, with a button to go to the event
/// that broke it. Draws nothing when every invariant holds.
void draw_violation_banner(AppState& app, float x, float y, float width);

}  // namespace kafkasim::gui
