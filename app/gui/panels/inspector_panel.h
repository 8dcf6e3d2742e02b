// InspectorPanel: the full state of what the user selected (app.selected): a node (KRaft
// broker, controller or combined node; ZooKeeper-mode broker or ZooKeeper server; producer;
// consumer) and a partition. It shows identity, status, epochs, quorum and controller state,
// the replicas a broker hosts, effective settings, requests in flight and errors by Kafka's
// names. Every Kafka term is drawn in the hint colour with a dotted underline: hovering it
// shows the glossary's explanation. It only reads the World; picking a node or partition in
// its combos changes app.selected and nothing else.
#pragma once

#include <imgui.h>

#include "app_state.h"

namespace kafkasim::gui {

struct InspectorPanel {
  /// The contents only, for a caller that places them (a tab of the side window).
  void draw_contents(AppState& app);
};

/// Draws `term` in the hint colour with a dotted underline; hovering shows explain(term).
/// `shown` replaces the text drawn (the tooltip still explains `term`). Unknown terms are drawn
/// plainly.
void term_text(const char* term, const char* shown = nullptr);
/// A row of a two-column property table: the term (hoverable) and the formatted value.
void term_label(const char* term, const char* fmt, ...) IM_FMTARGS(2);

}  // namespace kafkasim::gui
