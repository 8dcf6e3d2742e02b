// ReplicaLogView: one partition's replicas side by side (or every partition of its topic, one
// row per leader), each log drawn as a strip of offset cells coloured by the partition leader
// epoch of the batch holding the offset (or by the record's key). Committed records (below the
// replica's high watermark) are solid, uncommitted ones (HW..LEO) hollow; records a producer
// was told are written are underlined, and an offset where an acknowledged record is no longer
// in the leader's log is crossed out in red. Segment boundaries are drawn, and the segments
// retention deleted stay as dark cells. Every record that differs from the leader's record at
// the same offset is outlined in red (KIP-101: before leader epochs, a follower could keep a
// different record than the leader).
//
// A window of offsets fits the width (cells at least kCellPxMin wide). It follows the leader's
// log end offset; when a replica truncates, diverges or retention deletes segments it jumps
// there, and the overview below moves it by hand. The view only reads the World.
#pragma once

#include <string>

#include "acked_index.h"
#include "app_state.h"
#include "kafka/metadata/image.h"

namespace kafkasim::gui {

struct ReplicaLogView {
  static constexpr float kCellPxMin = 12.0f;  // narrower cells are hard to hover and read
  static constexpr float kCellPxMax = 40.0f;  // a short log does not need giant cells
  static constexpr int kTailCells = 3;        // empty cells shown after the leader's LEO

  bool follow_tail = true;     // the window ends kTailCells past the leader's LEO
  kafka::Offset first = 0;     // first offset of the window when not following the tail
  std::string partition;       // the partition the window belongs to ("orders-0")
  bool colour_by_key = false;  // cells coloured by key instead of leader epoch
  bool whole_topic = false;    // every partition of the topic, one row per leader

  /// Draws partition `name` of the controller's image `img` into the current window (clicking
  /// a partition of the topic overview selects it).
  void draw(AppState& app, const kafka::MetadataImage& img, const std::string& name);

 private:
  AckedIndex acked_;
  // Where the window last jumped to tell a story: the latest removal seen, and divergence.
  sim::Time removal_seen_ = sim::Time::from_ms(-1);
  kafka::Offset divergence_seen_ = kafka::kNoOffset;
  uint64_t rewinds_seen_ = UINT64_MAX;
  std::string jumped_;  // why the window moved by itself ("" when it did not)
  // Acknowledged records lost on the partition, counted now and then (it walks every one).
  std::string lost_for_;
  uint64_t lost_at_event_ = UINT64_MAX;
  size_t lost_total_ = 0;
};

}  // namespace kafkasim::gui
