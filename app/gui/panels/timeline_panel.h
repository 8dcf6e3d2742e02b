// TimelinePanel: play/pause, speed, step one event forward or back, jump to the next or
// previous interesting event, and the timeline bar: scrub forwards and backwards, with
// markers for narration, faults, elections and the user's own commands. Shortcuts are listed
// in the help window (H).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app_state.h"
#include "layout.h"
#include "presenter.h"

namespace kafkasim::gui {

struct TimelinePanel {
  /// Whether the lesson can be saved as a recording (a scenario file or a recording is open).
  bool can_record = false;
  /// Set when "Save recording" was clicked; the caller saves and clears it.
  bool save_requested = false;
  /// Opened from a recording: its file name and where the recorded run ended (the time bar
  /// says so and marks the end on the timeline).
  std::string recording;
  std::optional<sim::Time> recorded_end;
  /// Which windows are shown (the View menu; F2 cluster, F3 details, F4 the side column).
  PanelsShown panels;
  /// The height the bar took last frame (it wraps its buttons when the window is narrow).
  float wanted_height = 0.0f;
  void draw(AppState& app, Presentation& look);
  /// The timeline bar's height at the current font size.
  static float scrubber_height();

 private:
  void keyboard(AppState& app);
  void scrubber(AppState& app);
  void buttons(AppState& app, Presentation& look);
  void presenter_toggle(Presentation& look);
  void view_menu(AppState& app, Presentation& look);
  std::vector<uint32_t> mark_;  // marker per pixel column and lane, this frame
  float slow_motion_ = 0.4f;    // seconds a crossing takes in slow motion (the menu's slider)
};

}  // namespace kafkasim::gui
