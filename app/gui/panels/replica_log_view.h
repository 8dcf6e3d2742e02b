// ReplicaLogView: one partition's replicas side by side, each log drawn as a strip of offset
// cells coloured by the partition leader epoch of the batch holding the offset, with the log
// start offset, high watermark and log end offset marked, consumers' positions below, and every
// record that differs from the leader's record at the same offset outlined in red (KIP-101:
// before leader epochs, a follower could keep a different record than the leader).
//
// A window of offsets fits the width (cells at least kCellPxMin wide); by default it follows
// the largest LEO, and a slider moves it. The view only reads the World.
#pragma once

#include <string>

#include "app_state.h"
#include "kafka/metadata/image.h"

namespace kafkasim::gui {

struct ReplicaLogView {
  static constexpr float kCellPxMin = 12.0f;  // narrower cells are hard to hover and read
  static constexpr float kCellPxMax = 40.0f;  // a short log does not need giant cells
  static constexpr int kTailCells = 3;        // empty cells shown after the largest LEO

  bool follow_tail = true;  // the window ends kTailCells past the largest LEO
  kafka::Offset first = 0;  // first offset of the window when not following the tail
  std::string partition;    // the partition the window belongs to ("orders-0")

  /// Draws partition `name` of the controller's image `img` into the current window.
  void draw(const AppState& app, const kafka::MetadataImage& img, const std::string& name);
};

}  // namespace kafkasim::gui
