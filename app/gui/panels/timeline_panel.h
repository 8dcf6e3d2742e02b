// TimelinePanel: play/pause, speed, step one event forward or back, jump to the next or
// previous interesting event, and the timeline bar: scrub forwards and backwards, with
// markers for narration, faults, elections and the user's own commands. Shortcuts are listed
// in the help window (H).
#pragma once

#include <cstdint>
#include <vector>

#include "app_state.h"

namespace kafkasim::gui {

struct TimelinePanel {
  bool show = true;
  void draw(AppState& app);

 private:
  void keyboard(AppState& app);
  void scrubber(AppState& app);
  std::vector<uint32_t> mark_;  // marker per pixel column and lane, this frame
};

}  // namespace kafkasim::gui
