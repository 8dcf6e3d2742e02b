// TracePanel: the event log. Every trace record with its time, node and reason in Kafka's
// terms; filters by node, partition, kind and words; a list clipper so 10^5 lines cost only
// the visible ones. Clicking a line goes to the moment it happened (backwards through
// snapshots, or forwards: lines seen before going back stay listed, dimmed, ahead of now).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app_state.h"

namespace kafkasim::gui {

/// Families of trace kinds the log can be filtered to.
enum class LogFamily { all, faults, leadership, isr, controller, network, admin, narration };

struct TracePanel {
  bool follow = true;
  char filter[128] = "";
  int node = -1;          // Kafka id, -1: every node
  std::string partition;  // "orders-0", empty: every partition
  LogFamily family = LogFamily::all;
  /// The log alone, inside whatever window or tab is current.
  void draw_contents(AppState& app);

 private:
  /// Indices into app.log() that pass the filters, kept incrementally.
  std::vector<uint32_t> shown_;
  size_t scanned_ = 0;     // log records already filtered
  std::string signature_;  // the filters shown_ was built for
  size_t last_now_ = 0;    // log_now at the last frame
  int scroll_frames = 0;   // frames left to pin the view to the present line
  void refilter(const AppState& app);
};

}  // namespace kafkasim::gui
