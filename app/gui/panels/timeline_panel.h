// TimelinePanel: play/pause, speed, single-event step, the clock and network-wide actions.
// Keyboard: space = play/pause, right arrow = step one event, H = help.
#pragma once

#include "app_state.h"

namespace kafkasim::gui {

struct TimelinePanel {
  bool show = true;
  void draw(AppState& app);
};

}  // namespace kafkasim::gui
