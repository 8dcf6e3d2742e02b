// ChartsPanel: the clients' view of the cluster over simulated time, stacked on one time axis:
// throughput (records produced, acknowledged, consumed per second), latency (produce: made ->
// acknowledged; end to end: made -> consumed; mean and max per interval), consumer lag (the
// total and each partition's) and, once any occurred, client errors per second by Kafka name.
// A vertical line marks the current time; hovering shows the values at the mouse's time.
// Long series are reduced to one min/max column per pixel, so 10^5 samples stay cheap.
#pragma once

#include "app_state.h"
#include "metrics.h"

namespace kafkasim::gui {

struct ChartsPanel {
  /// The charts alone, inside whatever window or tab is current.
  void draw_contents(const AppState& app, const MetricsRecorder& m);
};

}  // namespace kafkasim::gui
