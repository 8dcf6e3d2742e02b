// ClusterPanel: the cluster as a picture. Controllers (or the ZooKeeper ensemble) and clients
// sit in a row at the top, brokers on a ring below with their captions outward; each node's
// colour is its status (paused nodes carry a pause badge, isolated ones a dashed ring, the
// active controller or quorum leader a gold ring), and each broker lists the replicas it holds
// (or counts them when it holds many). Links carry their recent traffic: coloured by what
// most of it was, as thick as it was busy, with an arrowhead toward the side that answers (a
// follower's fetches point at its leader); idle pairs stay faint. Cut, slow and lossy links
// are marked; every message in flight is a dot coloured by kind moving from sender to
// receiver, placed by its sent_at/deliver_at, with a short trail pointing back to the sender.
//
// Faults by direct manipulation, each a Command through AppState::submit (so it is stamped and
// replayed): click a node for its menu (crash, power off, pause, isolate, controlled shutdown,
// restart, preferred leader election, select), click a link to cut, slow, make it lossy or
// reset it, and "Draw partition" (key D) to pick side A by clicking nodes or dragging a lasso,
// then apply it as a network partition (Escape cancels).
//
// A record followed (AppState::followed) is marked where it is: a gold square on each node
// that holds it (its producer until the ack, each replica with it, each consumer past it) and
// a gold ring around each message carrying it (its produce request, the fetch responses that
// take it to followers and consumers, its ack).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app_state.h"
#include "faults.h"
#include "journey.h"
#include "traffic.h"

namespace kafkasim::gui {

struct ClusterPanel {
  /// Drawing a network partition: side A (Kafka node ids) against every other node.
  bool drawing = false;
  bool title_bar = true;  // layout.toml title_bars (presenter mode hides it)
  /// The legend under the nodes (the Legend button); when there is no room for it, hovering
  /// the button shows it.
  bool legend = true;
  std::vector<int32_t> side_a;

  void draw(AppState& app);

 private:
  std::vector<Point> lasso_;  // the lasso being dragged, screen coordinates
  int menu_node_ = -1;        // the node whose menu is open (dense index)
  int link_a_ = -1;           // the link whose menu is open (dense indexes)
  int link_b_ = -1;
  TrafficMap traffic_;                   // this frame's recent traffic between every pair
  std::optional<JourneyState> journey_;  // this frame's, of the record followed (if any)
};

}  // namespace kafkasim::gui
