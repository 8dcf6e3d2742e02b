// AppState: everything the studio knows, owned in one place. The World is only read (const)
// by panels; every change goes through submit(), which applies a Command at the current event
// boundary (and so lands in the World's command log, ready to be recorded and replayed).
#pragma once

#include <string>
#include <vector>

#include "world/world.h"

namespace kafkasim::gui {

/// What the user has picked to look at: a node (broker, controller, producer, consumer...) and
/// a partition. Clicking in the cluster view, the partition table or the inspector sets these.
struct Selection {
  int node = -1;          // dense index into World::nodes(), -1: none
  std::string partition;  // "orders-0", empty: none
};

struct AppState {
  world::World world;
  sim::Time end;  // where the lesson stops (its duration)
  bool playing = true;
  double speed = 0.1;  // simulated seconds per real second
  Selection selected;
  std::string status_line;  // last command result, shown in the timeline bar
  bool show_help = false;
  bool show_charts = true;  // the Charts window (C toggles it)

  explicit AppState(world::World w, sim::Time end_time) : world(std::move(w)), end(end_time) {}

  /// Advances simulated time by `real_dt` seconds of wall time at the current speed.
  void advance(double real_dt);
  /// Executes exactly one event (the "step" button).
  void step_event();
  /// Applies a user command now; the result (or the reason it was refused) goes to status_line.
  void submit(const world::Command& c);
};

}  // namespace kafkasim::gui
