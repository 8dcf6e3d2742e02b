// PartitionPanel: every partition as the active controller sees it (replicas, leader, ISR,
// leader epoch, partition epoch), and, for each broker, what that broker itself believes: a
// broker whose metadata lags shows its stale leader and epoch in amber. Clicking a row selects
// the partition (AppState::selected); below the table, the selected partition's replica logs
// (ReplicaLogView), the first partition's while none is selected.
#pragma once

#include <string>

#include "app_state.h"
#include "kafka/metadata/image.h"
#include "panels/replica_log_view.h"

namespace kafkasim::gui {

struct PartitionPanel {
  static constexpr int kTableRowsShown = 3;  // more partitions scroll inside the table

  ReplicaLogView logs;
  /// The height its content took last frame (the studio's layout gives it that much room).
  float wanted_height = 320.0f;
  /// The panel's body inside whatever window or tab is current.
  void draw_contents(AppState& app);

 private:
  void draw_table(AppState& app, const kafka::MetadataImage& img, const std::string& shown);
  /// The table's rows as ImGui drew them last frame (0: not yet): its height is sized from
  /// them, so kTableRowsShown rows show whole.
  float header_h_ = 0.0f, row_h_ = 0.0f;
};

}  // namespace kafkasim::gui
