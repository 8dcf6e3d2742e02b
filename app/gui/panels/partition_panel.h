// PartitionPanel: every partition as the active controller sees it (replicas, leader, ISR,
// leader epoch, partition epoch), and, for each broker, what that broker itself believes: a
// broker whose metadata lags shows its stale leader and epoch in amber.
#pragma once

#include "app_state.h"

namespace kafkasim::gui {

struct PartitionPanel {
  bool show = true;
  void draw(AppState& app);
  /// The panel's body inside whatever window or tab is current.
  void draw_contents(AppState& app);
};

}  // namespace kafkasim::gui
