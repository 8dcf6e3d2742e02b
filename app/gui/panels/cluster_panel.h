// ClusterPanel: the nodes as circles (colour = status), the links between them (cut links
// red and crossed), and every message in flight as a dot moving from its sender to its
// receiver, placed by its sent_at/deliver_at. Click a node for its fault menu.
#pragma once

#include "app_state.h"

namespace kafkasim::gui {

struct ClusterPanel {
  bool show = true;
  float ring_height = 0.66f;  // the ring of nodes: its share of the view's height,
  float ring_stretch = 1.0f;  // and it may be this much wider than high
  bool title_bar = true;
  void draw(AppState& app);
};

}  // namespace kafkasim::gui
