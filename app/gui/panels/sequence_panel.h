// SequencePanel: the message sequence diagram. One lane per node, time to the right over a
// sliding window that ends a little after now; an arrow per message from where and when it
// was sent to where and when it arrived (Vote, Fetch, Produce, BrokerHeartbeat...), coloured
// by kind like the dots in the cluster view; messages still in flight are drawn up to now.
// Hovering an arrow names the request and the response that answered it (or the request a
// response answers). Kinds can be hidden (fetches dominate a busy cluster); the wheel zooms.
#pragma once

#include <array>

#include "app_state.h"

namespace kafkasim::gui {

struct SequencePanel {
  double window_s = 0.5;  // width of the window in simulated seconds
  /// The window follows the messages' flight times so each arrow has a slope (off once the
  /// slider or the wheel sets one).
  bool fit_window = true;
  static constexpr float kFitPx = 40.0f;  // what a typical flight crosses when fitted
  std::array<bool, 8> kinds{true, true, true, true, true, true, true, true};  // by MessageKind
  /// The diagram alone, inside whatever window or tab is current.
  void draw_contents(AppState& app);
};

}  // namespace kafkasim::gui
