// GroupsPanel: the consumer groups of the World, one at a time (a picker when there are
// several). The group as its coordinator holds it (state, generation, coordinator broker,
// protocol, leader); then the rebalance timeline: one lane per member over the run so far, a bar
// per partition it owned, red marks where partitions were revoked, generations as dashed lines,
// rebalances and times without a coordinator shaded. An eager rebalance shows every member
// dropping everything until the new assignment; a cooperative one only the moving partitions,
// handed over in a second round. Hovering explains; the wheel zooms the timeline, dragging pans
// it, a click on a shaded rebalance zooms to it, a double click shows the whole run again. Below
// it, the members (client id, phase, owned partitions, records consumed, the application busy
// or idle and its last poll, member id, group.instance.id) and the partitions (owner, committed
// offset, the owner's position, the leader's high watermark, lag = HW - committed).
// The model comes from groups_model.h (no ImGui, unit-tested).
#pragma once

#include <string>

#include "app_state.h"
#include "groups_model.h"

namespace kafkasim::gui {

struct GroupsPanel {
  std::string group;  // the group shown; empty: the first
  void draw_contents(AppState& app);

  /// The timeline's time window: the whole run so far, or a zoomed part of it (seconds).
  struct View {
    bool zoomed = false;
    double t0 = 0, t1 = 1;
  };

 private:
  GroupTrace trace_;
  View view_;
};

}  // namespace kafkasim::gui
