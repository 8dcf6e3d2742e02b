// Index
// - [SECTION] colours
// - [SECTION] rows and geometry
// - [SECTION] header: modes, legend and offset ruler
// - [SECTION] a row: label, cells, markers, tooltip
// - [SECTION] overview: every row's whole log, and where the window is
// - [SECTION] clients: consumer positions and committed offsets
// - [SECTION] ReplicaLogView::draw
#include "panels/replica_log_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/client/producer.h"
#include "layout_probe.h"
#include "theme.h"
#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {

// [SECTION] colours
// ---------------------------------------------------------------------------------------------
// Leader epochs cycle through eight hues. Red means divergence and grey means "no data here",
// so neither is in the palette.
constexpr ImU32 kEpochPalette[] = {
    IM_COL32(70, 130, 230, 255),   // blue
    IM_COL32(235, 150, 50, 255),   // amber
    IM_COL32(75, 175, 105, 255),   // green
    IM_COL32(165, 110, 225, 255),  // violet
    IM_COL32(60, 190, 200, 255),   // cyan
    IM_COL32(215, 200, 70, 255),   // yellow
    IM_COL32(225, 115, 175, 255),  // pink
    IM_COL32(165, 125, 85, 255),   // brown
};
constexpr int kEpochPaletteSize = sizeof(kEpochPalette) / sizeof(kEpochPalette[0]);
constexpr ImU32 kDiverges = IM_COL32(255, 60, 60, 255);
constexpr ImU32 kDeleted = IM_COL32(64, 66, 72, 255);     // below the log start offset
constexpr ImU32 kEmptySlot = IM_COL32(50, 54, 62, 255);   // outline of an offset not written
constexpr ImU32 kCompacted = IM_COL32(90, 94, 102, 255);  // a record compaction removed
constexpr ImU32 kStartColour = IM_COL32(175, 180, 190, 255);
constexpr ImU32 kHwColour = IM_COL32(250, 250, 250, 255);
constexpr ImU32 kLeoColour = IM_COL32(90, 220, 255, 255);
constexpr ImU32 kConsumerColour = IM_COL32(250, 200, 90, 255);
constexpr ImU32 kGroupColour = IM_COL32(200, 160, 250, 255);
constexpr ImU32 kAcked = IM_COL32(250, 250, 250, 235);    // underline: acknowledged
constexpr ImU32 kLost = IM_COL32(255, 70, 70, 255);       // acknowledged, then lost
constexpr ImU32 kSegment = IM_COL32(200, 205, 215, 255);  // a segment's first offset
constexpr ImU32 kText = IM_COL32(225, 228, 235, 255);
constexpr ImU32 kDim = IM_COL32(150, 156, 168, 255);

/// A key's colour: one of the epoch palette's hues and four more, by a hash of its bytes (the
/// same key has the same colour in every partition and every frame).
ImU32 key_colour(std::optional<std::string_view> key) {
  static constexpr ImU32 kMore[] = {IM_COL32(120, 200, 80, 255), IM_COL32(90, 110, 220, 255),
                                    IM_COL32(230, 120, 90, 255), IM_COL32(150, 190, 215, 255)};
  if (!key) return IM_COL32(130, 140, 155, 255);
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : *key)
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  const uint32_t k = h % (kEpochPaletteSize + 4);
  return k < kEpochPaletteSize ? kEpochPalette[k] : kMore[k - kEpochPaletteSize];
}

/// What fits in a cell of a key: what follows its last separator ("customer-3" -> "3"), else
/// its first three characters.
std::string key_label(std::string_view key) {
  const size_t cut = key.find_last_of("-_:./ ");
  if (cut != std::string_view::npos && cut + 1 < key.size() && key.size() - cut - 1 <= 4)
    return std::string(key.substr(cut + 1));
  return std::string(key.substr(0, 3));
}

ImU32 epoch_colour(kafka::LeaderEpoch e) {
  return e < 0 ? IM_COL32(130, 140, 155, 255) : kEpochPalette[e % kEpochPaletteSize];
}

ImU32 role_colour(ReplicaRole r) {
  switch (r) {
    case ReplicaRole::leader:
      return IM_COL32(246, 196, 68, 255);
    case ReplicaRole::in_sync:
      return IM_COL32(72, 187, 120, 255);
    case ReplicaRole::out_of_sync:
      return IM_COL32(237, 137, 54, 255);
    case ReplicaRole::offline:
      return IM_COL32(140, 140, 150, 255);
  }
  return kText;
}

// [SECTION] rows and geometry
// ---------------------------------------------------------------------------------------------
struct Row {
  int32_t broker = 0;
  const kafka::ReplicaManager::HostedPartition* hosted = nullptr;  // nullptr: no copy there
  ReplicaRole role = ReplicaRole::offline;
  bool in_replicas = true;  // false: a leftover copy on a broker outside the replica set
  world::NodeStatus status = world::NodeStatus::running;
  kafka::Offset diverges_from = kafka::kNoOffset;
  /// The topic overview: the partition this row is the leader of ("orders-1"); "" otherwise.
  std::string partition;
  /// Compared with this row: the partition's leader's log (nullptr: none, or this is it).
  const kafka::PartitionLog* leader = nullptr;
  /// Acknowledged records lost in the window (the leader's row only).
  std::vector<AckedIndex::Acked> lost;
  kafka::TopicPartitionName tp;  // the partition this row is a replica of
};

world::NodeStatus status_of(const world::World& w, int32_t id) {
  for (const world::World::Node& n : w.nodes())
    if (n.id == id) return n.status;
  return world::NodeStatus::stopped;
}

/// The leader first (the others are compared with it), then the replica set in assignment
/// order, then brokers outside it that still host a copy.
std::vector<Row> replica_rows(const world::World& w, const kafka::MetadataImage& img,
                              const kafka::PartitionRegistration& part,
                              const kafka::TopicPartitionName& tp) {
  std::vector<int32_t> order;
  if (part.has_leader() && part.is_replica(part.leader)) order.push_back(part.leader);
  for (int32_t b : part.replicas)
    if (b != part.leader) order.push_back(b);
  std::vector<Row> rows;
  for (int32_t b : order) {
    Row r;
    r.tp = tp;
    r.broker = b;
    r.hosted = hosted_replica(w, b, tp);
    r.role = replica_role(img, part, b);
    r.status = status_of(w, b);
    rows.push_back(std::move(r));
  }
  for (const world::World::Node& n : w.nodes()) {
    if (part.is_replica(n.id) || broker_view(w, n.id) == nullptr) continue;
    if (const auto* h = hosted_replica(w, n.id, tp)) {
      Row r;
      r.tp = tp;
      r.broker = n.id;
      r.hosted = h;
      r.role = ReplicaRole::out_of_sync;
      r.in_replicas = false;
      r.status = n.status;
      rows.push_back(std::move(r));
    }
  }
  const kafka::PartitionLog* leader =
      part.has_leader() && !rows.empty() && rows[0].broker == part.leader && rows[0].hosted
          ? &rows[0].hosted->log
          : nullptr;
  if (leader != nullptr) {
    for (size_t i = 1; i < rows.size(); ++i) {
      rows[i].leader = leader;
      if (rows[i].hosted) rows[i].diverges_from = first_divergence(*leader, rows[i].hosted->log);
    }
  }
  return rows;
}

/// The topic overview: each partition's leader (with no leader, its first replica that has a
/// copy), in partition order.
std::vector<Row> topic_rows(const world::World& w, const kafka::MetadataImage& img,
                            const std::string& topic) {
  std::vector<Row> rows;
  const kafka::TopicImage* t = img.topic(topic);
  if (t == nullptr) return rows;
  for (size_t p = 0; p < t->partitions.size(); ++p) {
    const kafka::PartitionRegistration& part = t->partitions[p];
    const kafka::TopicPartitionName tp{topic, static_cast<int32_t>(p)};
    Row r;
    r.tp = tp;
    r.partition = tp.str();
    r.broker = part.has_leader() ? part.leader : part.replicas.empty() ? -1 : part.replicas[0];
    if (!part.has_leader()) {
      for (int32_t b : part.replicas)
        if (hosted_replica(w, b, tp) != nullptr) {
          r.broker = b;
          break;
        }
    }
    r.hosted = hosted_replica(w, r.broker, tp);
    r.role = replica_role(img, part, r.broker);
    r.status = status_of(w, r.broker);
    rows.push_back(std::move(r));
  }
  return rows;
}

/// Where the window of offsets sits on screen.
struct Geometry {
  float x0 = 0, label_w = 0, cells_x0 = 0, cell_px = ReplicaLogView::kCellPxMin;
  int cells = 0;
  kafka::Offset first = 0;
  float font = 0, small = 0;
  float x_of(kafka::Offset o) const { return cells_x0 + static_cast<float>(o - first) * cell_px; }
  kafka::Offset last() const { return first + cells; }  // one past the last cell
  bool shows(kafka::Offset o) const { return o >= first && o <= last(); }
};

void small_text(ImDrawList* dl, const Geometry& g, ImVec2 at, ImU32 col, const char* text,
                const char* about = nullptr) {
  dl->AddText(ImGui::GetFont(), g.small, at, col, text);
  if (about != nullptr && probe::recording()) {
    const ImVec2 s = ImGui::GetFont()->CalcTextSizeA(g.small, 1e9f, 0.0f, text);
    probe::drawn("log", std::string(about) + text, at, ImVec2(at.x + s.x, at.y + s.y));
  }
}

float small_width(const Geometry& g, const char* text) {
  return ImGui::GetFont()->CalcTextSizeA(g.small, 1e9f, 0.0f, text).x;
}

std::string offset_str(kafka::Offset o) {
  return std::to_string(static_cast<long long>(o));
}

/// Items on one line while they fit the window's width, then on the next.
struct Flow {
  float right = 0;
  bool first = true;
  void next(float width) {
    if (!first) {
      ImGui::SameLine(0, 12);
      if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
    }
    first = false;
  }
};

// [SECTION] header: modes, legend and offset ruler
// ---------------------------------------------------------------------------------------------
void legend_swatch(Flow& flow, ImU32 fill, ImU32 outline, const char* text, const char* tip,
                   bool underline = false, bool cross = false) {
  const float h = ImGui::GetTextLineHeight();
  flow.next(h * 0.7f + 4 + ImGui::CalcTextSize(text).x);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(p.x, p.y + h * 0.15f), b(p.x + h * 0.7f, p.y + h * 0.85f);
  if (fill != 0) dl->AddRectFilled(a, b, fill, 2.0f);
  if (outline != 0) dl->AddRect(a, b, outline, 2.0f, 0, 2.0f);
  if (underline) dl->AddRectFilled(ImVec2(a.x + 1, b.y - 3), ImVec2(b.x - 1, b.y - 1), kAcked);
  if (cross) {
    dl->AddLine(a, b, kLost, 2.0f);
    dl->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), kLost, 2.0f);
  }
  ImGui::Dummy(ImVec2(h * 0.7f, h));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  if (probe::recording()) probe::item("log", std::string("the legend's ") + text);
  if (tip != nullptr && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

void legend_line(Flow& flow, ImU32 colour, const char* text, const char* tip, float width = 2) {
  const float h = ImGui::GetTextLineHeight();
  flow.next(10 + ImGui::CalcTextSize(text).x);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x + 3, p.y), ImVec2(p.x + 3, p.y + h), colour,
                                      width);
  ImGui::Dummy(ImVec2(6, h));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  if (probe::recording()) probe::item("log", std::string("the legend's ") + text);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

/// What the colours say: the epochs (or keys) in the window, then every mark.
void draw_legend(Flow& flow, const std::set<kafka::LeaderEpoch>& epochs,
                 const std::vector<std::string>& keys, size_t more_keys, bool by_key) {
  if (by_key) {
    for (const std::string& k : keys)
      legend_swatch(flow, key_colour(k), 0, k.c_str(), "records with this key");
    if (more_keys > 0) {
      const std::string more = "+" + std::to_string(more_keys) + " more keys";
      flow.next(ImGui::CalcTextSize(more.c_str()).x);
      ImGui::TextDisabled("%s", more.c_str());
    }
  } else {
    flow.next(ImGui::CalcTextSize("leader epoch").x);
    ImGui::TextDisabled("leader epoch");
    if (probe::recording()) probe::item("log", "the legend's leader epoch");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("each cell is one offset, coloured by the leader epoch of its batch");
    for (kafka::LeaderEpoch e : epochs) {
      const std::string text = std::to_string(e);
      legend_swatch(flow, epoch_colour(e), 0, text.c_str(), "batches written in this epoch");
    }
  }
  legend_swatch(flow, with_alpha(kEpochPalette[0], 70), kEpochPalette[0], "uncommitted",
                "at or above this replica's high watermark: not on every in-sync replica yet; "
                "consumers cannot read it");
  legend_swatch(flow, kEpochPalette[0], 0, "acknowledged",
                "underlined: the producer was told this record is written (acks)", true);
  legend_swatch(flow, 0, kLost, "lost",
                "a record acknowledged at this offset is not in the leader's log any more: "
                "these settings (acks=1, an unclean election, no flush) gave the promise up",
                false, true);
  legend_swatch(flow, 0, kDiverges, "diverges",
                "this replica holds another record than the leader at that offset");
  legend_swatch(flow, kDeleted, 0, "deleted",
                "below the log start offset: retention deleted these segments, or a follower "
                "started over at the leader's log start");
  legend_line(flow, kSegment, "segment",
              "a segment starts here: retention deletes and compaction rewrites whole segments", 3);
  legend_line(flow, kStartColour, "start", "log start offset: the first offset still in the log");
  legend_line(flow, kHwColour, "HW",
              "high watermark: records below it are committed (on every ISR replica); "
              "consumers read only below it");
  legend_line(flow, kLeoColour, "LEO", "log end offset: the offset the next record will get");
}

int64_t nice_step(float min_cells) {
  for (int64_t step = 1;; step *= 10) {
    for (int64_t m : {1, 2, 5})
      if (static_cast<float>(step * m) >= min_cells) return step * m;
  }
}

void draw_ruler(ImDrawList* dl, const Geometry& g) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  small_text(dl, g, ImVec2(g.x0, p.y), kDim, "offset");
  const int64_t step = nice_step(std::max(64.0f, small_width(g, "0000000") + 8) / g.cell_px);
  for (kafka::Offset o = (g.first + step - 1) / step * step; o < g.last(); o += step) {
    const std::string s = offset_str(o);
    const float x = g.x_of(o) + g.cell_px * 0.5f;
    const float w = small_width(g, s.c_str());
    // The last number stays inside the window.
    const float tx = std::min(x - w * 0.5f, g.x_of(g.last()) - w);
    small_text(dl, g, ImVec2(tx, p.y), kDim, s.c_str(), "the ruler's ");
    dl->AddLine(ImVec2(x, p.y + g.small), ImVec2(x, p.y + g.small + 3), kDim);
  }
  ImGui::Dummy(ImVec2(1, g.small + 3));
}

// [SECTION] a row: label, cells, markers, tooltip
// ---------------------------------------------------------------------------------------------
/// Draws the row's label; returns true when its partition name was clicked (topic overview).
bool draw_row_label(ImDrawList* dl, const Geometry& g, float y, const Row& r) {
  float x = g.x0;
  bool clicked = false;
  if (!r.partition.empty()) {
    const ImVec2 s = ImGui::CalcTextSize(r.partition.c_str());
    const ImVec2 a(x, y), b(x + s.x, y + s.y);
    const bool hover = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b);
    dl->AddText(a, hover ? IM_COL32_WHITE : kText, r.partition.c_str());
    if (hover) {
      ImGui::SetTooltip("click to see the replicas of %s", r.partition.c_str());
      clicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    }
    if (probe::recording()) probe::text("log", "the row label ", r.partition, a);
    y += g.font + 1;
  }
  const std::string id = (r.partition.empty() ? "" : "on ") + std::to_string(r.broker);
  dl->AddText(ImVec2(x, y), kText, id.c_str());
  if (probe::recording()) probe::text("log", "the row label ", id, ImVec2(x, y));
  x += ImGui::CalcTextSize(id.c_str()).x + 6;
  const char* role = r.in_replicas ? replica_role_name(r.role) : "not a replica";
  dl->AddText(ImVec2(x, y), r.in_replicas ? role_colour(r.role) : kDim, role);
  if (probe::recording()) probe::text("log", "the row label ", role, ImVec2(x, y));
  x += ImGui::CalcTextSize(role).x + 6;
  if (r.status != world::NodeStatus::running) {
    const char* st = world::node_status_name(r.status);
    dl->AddText(ImVec2(x, y), IM_COL32(224, 82, 82, 255), st);
    if (probe::recording()) probe::text("log", "the row label ", st, ImVec2(x, y));
  }
  y += g.font + 1;
  if (r.hosted == nullptr) {
    small_text(dl, g, ImVec2(g.x0, y), kDim, "no copy of the log here", "the row label ");
    return clicked;
  }
  const kafka::PartitionLog& log = r.hosted->log;
  char line[96];
  std::snprintf(line, sizeof line, "start %lld  HW %lld  LEO %lld",
                static_cast<long long>(log.log_start_offset()),
                static_cast<long long>(log.high_watermark()),
                static_cast<long long>(log.log_end_offset()));
  small_text(dl, g, ImVec2(g.x0, y), kDim, line, "the row label ");
  y += g.small + 1;
  if (r.diverges_from != kafka::kNoOffset) {
    std::snprintf(line, sizeof line, "diverges from leader at %lld",
                  static_cast<long long>(r.diverges_from));
    small_text(dl, g, ImVec2(g.x0, y), kDiverges, line, "the row label ");
  } else if (!r.lost.empty()) {
    std::snprintf(line, sizeof line, "%zu lost acks in view", r.lost.size());
    small_text(dl, g, ImVec2(g.x0, y), kLost, line, "the row label ");
  } else if (!r.in_replicas) {
    small_text(dl, g, ImVec2(g.x0, y), kDim, "left the replicas", "the row label ");
  }
  return clicked;
}

/// How a cell is drawn.
struct CellStyle {
  bool by_key = false;
  const AckedIndex* acked = nullptr;
  const FollowedRecord* followed = nullptr;  // outlined where a replica holds it
};

void cross_out(ImDrawList* dl, ImVec2 a, ImVec2 b) {
  dl->AddRect(a, b, kLost, 0.0f, 0, 2.0f);
  dl->AddLine(ImVec2(a.x + 2, a.y + 2), ImVec2(b.x - 2, b.y - 2), kLost, 2.0f);
  dl->AddLine(ImVec2(a.x + 2, b.y - 2), ImVec2(b.x - 2, a.y + 2), kLost, 2.0f);
}

void draw_cells(ImDrawList* dl, const Geometry& g, float y0, float y1, const Row& r,
                const CellStyle& style) {
  const kafka::PartitionLog& log = r.hosted->log;
  const float gap = g.cell_px >= 16 ? 2.0f : 1.0f;
  const kafka::Offset hw = log.high_watermark();
  for (kafka::Offset o = g.first; o < g.last(); ++o) {
    const float x = g.x_of(o);
    const ImVec2 a(x, y0), b(x + g.cell_px - 1, y1);
    if (o < log.log_start_offset()) {
      dl->AddRectFilled(a, b, kDeleted);
      continue;
    }
    const RecordAt at = record_at(log, o);
    if (at.batch == nullptr) {
      if (o >= log.log_end_offset()) {
        dl->AddRect(a, ImVec2(b.x, b.y), kEmptySlot);
      } else {
        dl->AddRectFilled(a, b, kCompacted);
      }
      continue;
    }
    // A batch reads as one block: a wider gap before its first offset.
    const float left = o == at.batch->base_offset ? x + gap + 1 : x;
    std::optional<std::string_view> key;
    if (at.index >= 0) key = at.batch->data->key(static_cast<size_t>(at.index));
    const ImU32 fill = at.index < 0   ? kCompacted
                       : style.by_key ? key_colour(key)
                                      : epoch_colour(at.batch->partition_leader_epoch);
    if (o >= hw) {
      // Uncommitted: hollow, so the eye finds the high watermark without reading it.
      dl->AddRectFilled(ImVec2(left, y0), b, with_alpha(fill, 70));
      dl->AddRect(ImVec2(left, y0), b, fill, 0.0f, 0, 1.5f);
    } else {
      dl->AddRectFilled(ImVec2(left, y0), b, fill);
      if (o != at.batch->base_offset)
        dl->AddLine(ImVec2(x, y0 + 3), ImVec2(x, y1 - 3), IM_COL32(0, 0, 0, 60));
    }
    if (at.index >= 0 && style.acked != nullptr) {
      if (style.acked->acked_at(at.record()->origin, o))
        dl->AddRectFilled(ImVec2(left + 1, y1 - 3), ImVec2(b.x - 1, y1 - 1), kAcked);
    }
    if (style.by_key && key) {
      const std::string label = key_label(*key);
      const float w = small_width(g, label.c_str());
      if (w <= b.x - left - 2) {
        small_text(dl, g, ImVec2((left + b.x - w) * 0.5f, (y0 + y1 - g.small) * 0.5f - 1),
                   o >= hw ? kText : IM_COL32(15, 17, 22, 255), label.c_str());
      }
    }
    if (r.leader != nullptr && diverges_at(*r.leader, log, o))
      dl->AddRect(ImVec2(left, y0), b, kDiverges, 0.0f, 0, 2.5f);
    if (style.followed != nullptr && at.index >= 0 && o == style.followed->offset &&
        r.tp == style.followed->tp && at.record()->origin == style.followed->origin) {
      // The record followed: a white frame reaching above and below the cell.
      dl->AddRect(ImVec2(x - 1, y0 - 3), ImVec2(b.x + 1, y1 + 3), IM_COL32_WHITE, 2.0f, 0, 2.5f);
    }
  }
  // Segments: where each starts (the log start is marked already), and the deleted ones.
  auto segment_line = [&](kafka::Offset o, ImU32 col) {
    if (o <= g.first || o >= g.last()) return;
    const float x = g.x_of(o) - 1;
    dl->AddLine(ImVec2(x, y0 - 3), ImVec2(x, y1 + 3), col, 3.0f);
  };
  for (const kafka::Segment& seg : log.segments())
    if (seg.base_offset > log.log_start_offset()) segment_line(seg.base_offset, kSegment);
  for (const auto& [from, to] : log.deleted_segments())
    if (from < log.log_start_offset()) segment_line(from, with_alpha(kSegment, 90));
  for (const AckedIndex::Acked& lost : r.lost)
    if (lost.offset >= g.first && lost.offset < g.last()) {
      const float x = g.x_of(lost.offset);
      cross_out(dl, ImVec2(x, y0), ImVec2(x + g.cell_px - 1, y1));
    }
}

/// Labels above a row's bar, left to right, none over another.
struct LabelRow {
  std::vector<std::pair<float, float>> taken;
  bool take(float x0, float x1) {
    for (const auto& [a, b] : taken)
      if (x0 < b + 4 && a < x1 + 4) return false;
    taken.emplace_back(x0, x1);
    return true;
  }
};

/// The log start, HW and LEO: a line each, labelled above the bar where the label fits (HW's
/// left of its line, LEO's right of its own); markers outside the window are named at the
/// edge they are beyond.
void draw_markers(ImDrawList* dl, const Geometry& g, float y0, float y1,
                  const kafka::PartitionLog& log) {
  const float top = y0 - g.small - 1;
  LabelRow labels;
  const kafka::Offset start = log.log_start_offset(), hw = log.high_watermark();
  const kafka::Offset leo = log.log_end_offset();
  std::string before, after;
  auto mark = [&](const char* what, kafka::Offset o, ImU32 col, bool left_of_line) {
    if (!g.shows(o)) {
      std::string& side = o < g.first ? before : after;
      if (std::string_view(what) != "start" || o > 0)
        side += (side.empty() ? "" : "  ") + std::string(what) + " " + offset_str(o);
      return;
    }
    const float x = g.x_of(o);
    dl->AddLine(ImVec2(x, top + 2), ImVec2(x, y1 + 3), col, 2.0f);
    const float w = small_width(g, what);
    const float lx = left_of_line ? x - 3 - w : x + 3;
    if (labels.take(lx, lx + w)) small_text(dl, g, ImVec2(lx, top), col, what, "the marker ");
  };
  mark("HW", hw, kHwColour, true);
  mark("LEO", leo, kLeoColour, false);
  if (start > 0 && start != hw) mark("start", start, kStartColour, false);
  if (!before.empty()) {
    before = "< " + before;
    const float w = small_width(g, before.c_str());
    if (labels.take(g.cells_x0, g.cells_x0 + w))
      small_text(dl, g, ImVec2(g.cells_x0, top), kDim, before.c_str(), "the marker ");
  }
  if (!after.empty()) {
    after += " >";
    const float w = small_width(g, after.c_str());
    const float x = g.x_of(g.last()) - w;
    if (labels.take(x, x + w))
      small_text(dl, g, ImVec2(x, top), kDim, after.c_str(), "the marker ");
  }
}

void record_tooltip(const Row& r, kafka::Offset o, const AckedIndex& acked) {
  const kafka::PartitionLog& log = r.hosted->log;
  ImGui::BeginTooltip();
  ImGui::Text("offset %lld on broker %d", static_cast<long long>(o), r.broker);
  const RecordAt at = record_at(log, o);
  if (o < log.log_start_offset()) {
    ImGui::TextDisabled("below the log start offset %lld: deleted (retention) or truncated",
                        static_cast<long long>(log.log_start_offset()));
    for (const auto& [from, to] : log.deleted_segments())
      if (o >= from && o < to)
        ImGui::TextDisabled("its segment %lld..%lld was deleted by retention",
                            static_cast<long long>(from), static_cast<long long>(to - 1));
  } else if (o >= log.log_end_offset()) {
    ImGui::TextDisabled("not written on this replica (its LEO is %lld)",
                        static_cast<long long>(log.log_end_offset()));
  } else if (at.batch != nullptr) {
    const kafka::RecordBatch& b = *at.batch;
    ImGui::Text("batch %lld..%lld, partition leader epoch %d",
                static_cast<long long>(b.base_offset), static_cast<long long>(b.last_offset()),
                b.partition_leader_epoch);
    if (b.idempotent()) {
      ImGui::Text("producer id %lld, epoch %d, sequence %d", static_cast<long long>(b.producer_id),
                  b.producer_epoch, b.base_sequence + static_cast<int32_t>(o - b.base_offset));
    }
    if (at.index < 0) {
      ImGui::TextDisabled("record removed by compaction");
    } else {
      const auto key = b.data->key(static_cast<size_t>(at.index));
      const auto value = b.data->value(static_cast<size_t>(at.index));
      const auto show = [](const std::optional<std::string_view>& v) {
        return v ? std::string(v->substr(0, 48)) : std::string("null");
      };
      ImGui::Text("key %s   value %s", show(key).c_str(), show(value).c_str());
      const uint64_t origin = at.record()->origin;
      if (acked.acked_at(origin, o))
        ImGui::Text("acknowledged to producer %s", acked.client_of(origin).c_str());
    }
    ImGui::TextDisabled(o < log.high_watermark() ? "committed on this replica (below its HW)"
                                                 : "not committed yet on this replica (at or "
                                                   "above its HW)");
  }
  for (const AckedIndex::Acked& l : r.lost) {
    if (l.offset != o) continue;
    ImGui::TextColored(ImVec4(1, 0.35f, 0.35f, 1),
                       "lost: a record of %s was acknowledged at this offset at %.3f s; the "
                       "leader's log does not hold it any more",
                       acked.client_of(l.origin).c_str(), l.at.seconds());
  }
  if (r.leader != nullptr && diverges_at(*r.leader, log, o)) {
    const RecordAt l = record_at(*r.leader, o);
    ImGui::TextColored(ImVec4(1, 0.35f, 0.35f, 1),
                       "diverges: the leader's record here is from leader epoch %d, batch "
                       "%lld..%lld",
                       l.batch->partition_leader_epoch,
                       static_cast<long long>(l.batch->base_offset),
                       static_cast<long long>(l.batch->last_offset()));
  }
  ImGui::EndTooltip();
}

/// What a click on a row asks for.
struct RowClick {
  kafka::Offset jump = kafka::kNoOffset;  // bring this offset into view
  std::string select;                     // select this partition
  std::optional<FollowedRecord> follow;   // follow this record
};

RowClick draw_row(const Geometry& g, float row_h, const Row& r, const CellStyle& style) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y = ImGui::GetCursorScreenPos().y;
  RowClick click;
  // A row scrolled out of view costs nothing (the topic overview of a big topic is long).
  if (!ImGui::IsRectVisible(ImVec2(g.x0, y), ImVec2(g.x_of(g.last()), y + row_h))) {
    ImGui::Dummy(ImVec2(1, row_h));
    return click;
  }
  if (draw_row_label(dl, g, y, r)) click.select = r.partition;
  const float label_lines = r.partition.empty() ? 0 : g.font + 1;
  if (r.diverges_from != kafka::kNoOffset) {
    const ImVec2 a(g.x0, y + label_lines + g.font + g.small + 2), b(g.cells_x0 - 8, y + row_h);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b)) {
      ImGui::SetTooltip("click to show offset %lld", static_cast<long long>(r.diverges_from));
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) click.jump = r.diverges_from;
    }
  }
  const float y0 = y + g.small + 2, y1 = y0 + std::round(g.font * 1.3f);
  if (r.hosted != nullptr) {
    draw_cells(dl, g, y0, y1, r, style);
    draw_markers(dl, g, y0, y1, r.hosted->log);
    const ImVec2 a(g.cells_x0, y0), b(g.x_of(g.last()), y1);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b)) {
      const float mx = ImGui::GetIO().MousePos.x;
      const auto o = g.first + static_cast<kafka::Offset>((mx - g.cells_x0) / g.cell_px);
      if (o < g.last()) {
        record_tooltip(r, o, *style.acked);
        // A click follows the record: its journey, moment by moment (Shift+arrows).
        const RecordAt at = record_at(r.hosted->log, o);
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && at.record() != nullptr)
          click.follow = FollowedRecord{r.tp, o, at.record()->origin};
      }
    }
  }
  ImGui::Dummy(ImVec2(1, row_h));
  return click;
}

// [SECTION] overview: every row's whole log, and where the window is
// ---------------------------------------------------------------------------------------------
/// Calls fn(epoch, from, to) for each run of consecutive batches of one partition leader epoch.
template <typename Fn>
void for_each_epoch_run(const kafka::PartitionLog& log, Fn fn) {
  kafka::LeaderEpoch epoch = kafka::kNoEpoch;
  kafka::Offset from = kafka::kNoOffset, to = kafka::kNoOffset;
  for (const kafka::Segment& seg : log.segments()) {
    for (const kafka::RecordBatch& b : seg.batches) {
      if (from != kafka::kNoOffset && b.partition_leader_epoch == epoch && b.base_offset == to) {
        to = b.last_offset() + 1;
        continue;
      }
      if (from != kafka::kNoOffset) fn(epoch, from, to);
      epoch = b.partition_leader_epoch;
      from = std::max(b.base_offset, log.log_start_offset());
      to = b.last_offset() + 1;
    }
  }
  if (from != kafka::kNoOffset) fn(epoch, from, to);
}

/// The window's new first offset when the user clicked, dragged or scrolled the wheel on the
/// overview, else kNoOffset.
kafka::Offset draw_overview(const Geometry& g, const std::vector<Row>& rows, kafka::Offset end) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float line_h = 4, w = g.x_of(g.last()) - g.cells_x0;
  const float h =
      std::max(ImGui::GetFrameHeight(), static_cast<float>(rows.size()) * (line_h + 2) + 2);
  auto x_at = [&](kafka::Offset o) {
    return g.cells_x0 +
           w * static_cast<float>(o) / static_cast<float>(std::max<kafka::Offset>(end, 1));
  };
  small_text(dl, g, ImVec2(g.x0, p.y + (h - g.small) * 0.5f), kDim, "whole log", "the overview ");
  dl->AddRectFilled(ImVec2(g.cells_x0, p.y), ImVec2(g.cells_x0 + w, p.y + h),
                    IM_COL32(30, 33, 38, 255));
  float y = p.y + (h - static_cast<float>(rows.size()) * (line_h + 2)) * 0.5f + 1;
  for (const Row& r : rows) {
    if (r.hosted != nullptr) {
      const kafka::PartitionLog& log = r.hosted->log;
      dl->AddRectFilled(ImVec2(x_at(0), y), ImVec2(x_at(log.log_start_offset()), y + line_h),
                        kDeleted);
      // Runs of batches of one leader epoch: what the log holds, not what its epoch cache says.
      for_each_epoch_run(log, [&](kafka::LeaderEpoch e, kafka::Offset from, kafka::Offset to) {
        dl->AddRectFilled(ImVec2(x_at(from), y),
                          ImVec2(std::max(x_at(to), x_at(from) + 1), y + line_h), epoch_colour(e));
      });
      if (r.diverges_from != kafka::kNoOffset) {
        const float x = x_at(r.diverges_from);
        dl->AddRectFilled(ImVec2(x - 1, y - 1), ImVec2(x + 2, y + line_h + 1), kDiverges);
      }
      for (const AckedIndex::Acked& l : r.lost) {
        const float x = x_at(l.offset);
        dl->AddRectFilled(ImVec2(x - 1, y - 1), ImVec2(x + 2, y + line_h + 1), kLost);
      }
    }
    y += line_h + 2;
  }
  dl->AddRect(ImVec2(x_at(g.first), p.y),
              ImVec2(std::max(x_at(g.last()), x_at(g.first) + 3), p.y + h),
              IM_COL32(255, 255, 255, 200), 0.0f, 0, 1.5f);
  ImGui::SetCursorScreenPos(ImVec2(g.cells_x0, p.y));
  ImGui::InvisibleButton("overview", ImVec2(w, h));
  kafka::Offset first = kafka::kNoOffset;
  if (ImGui::IsItemActive()) {
    const float mx = std::clamp((ImGui::GetIO().MousePos.x - g.cells_x0) / w, 0.0f, 1.0f);
    first = static_cast<kafka::Offset>(mx * static_cast<float>(end)) - g.cells / 2;
  } else if (ImGui::IsItemHovered()) {
    const float wheel = ImGui::GetIO().MouseWheel + ImGui::GetIO().MouseWheelH;
    if (wheel != 0) first = g.first - static_cast<kafka::Offset>(wheel * g.cells / 4);
    ImGui::SetTooltip(
        "every row's whole log (leader epochs; red marks where it diverges from the leader or "
        "lost acknowledged records) and, framed, the offsets shown above. Click, drag or "
        "scroll to move.");
  }
  return first;
}

// [SECTION] clients: consumer positions and committed offsets
// ---------------------------------------------------------------------------------------------
/// One line with a marker at `offset` (the left edge of that cell), or an arrow at the edge of
/// the window when the offset is outside it.
void draw_client_row(const Geometry& g, const char* kind, const std::string& id,
                     kafka::Offset offset, ImU32 colour, const char* what) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y = ImGui::GetCursorScreenPos().y;
  const float h = g.font + 2;
  const std::string label = std::string(kind) + " " + id;
  dl->AddText(ImVec2(g.x0, y), colour, label.c_str());
  if (probe::recording()) probe::text("log", "the client row ", label, ImVec2(g.x0, y));
  std::string text;
  if (offset == kafka::kNoOffset) {
    text = "no position yet";
    small_text(dl, g, ImVec2(g.cells_x0, y + 2), kDim, text.c_str(), "the client row ");
  } else if (offset < g.first || offset > g.last()) {
    const bool left = offset < g.first;
    text = (left ? "< " : "") + std::string(what) + " " + offset_str(offset) + (left ? "" : " >");
    const float x = left ? g.cells_x0 : g.x_of(g.last()) - small_width(g, text.c_str());
    small_text(dl, g, ImVec2(x, y + 2), colour, text.c_str(), "the client row ");
  } else {
    const float x = g.x_of(offset);
    dl->AddTriangleFilled(ImVec2(x - 5, y), ImVec2(x + 5, y), ImVec2(x, y + 7), colour);
    dl->AddLine(ImVec2(x, y), ImVec2(x, y + h - 2), colour, 2.0f);
    text = std::string(what) + " " + offset_str(offset);
    const float w = small_width(g, text.c_str());
    const float tx = x + 6 + w < g.x_of(g.last()) ? x + 6 : x - 6 - w;
    small_text(dl, g, ImVec2(tx, y + 2), colour, text.c_str(), "the client row ");
  }
  ImGui::Dummy(ImVec2(1, h));
}

void draw_clients(const Geometry& g, const world::World& w, const kafka::TopicPartitionName& tp) {
  const std::vector<ConsumerPosition> consumers = consumer_positions(w, tp);
  const std::vector<GroupCommit> commits = committed_offsets(w, tp);
  for (const ConsumerPosition& c : consumers)
    draw_client_row(g, "consumer", c.client_id, c.position, kConsumerColour, "position");
  for (const GroupCommit& c : commits)
    draw_client_row(g, "group", c.group_id, c.committed, kGroupColour, "committed");
  if (consumers.empty() && commits.empty()) {
    ImGui::TextDisabled("no consumer reads %s; no group committed on it", tp.str().c_str());
    if (probe::recording()) probe::item("log", "the note on consumers");
  }
}

/// The label column, then as many cells as fit (all of [0, extent) when they can be at least
/// ReplicaLogView::kCellPxMin wide); following the tail, the window ends at `tail`.
Geometry layout(kafka::Offset extent, kafka::Offset tail, bool follow_tail, kafka::Offset& first,
                kafka::Offset& first_max) {
  Geometry g;
  g.font = ImGui::GetFontSize();
  g.small = std::round(g.font * 0.78f);
  g.x0 = ImGui::GetCursorScreenPos().x;
  g.label_w =
      std::max(ImGui::GetFont()
                   ->CalcTextSizeA(g.small, 1e9f, 0.0f, "start 000000  HW 000000  LEO 000000")
                   .x,
               ImGui::CalcTextSize("000 out of sync crashed").x) +
      12;
  g.cells_x0 = g.x0 + g.label_w;
  const float cells_w = std::max(60.0f, ImGui::GetContentRegionAvail().x - g.label_w - 4);
  const int fit = std::max(1, static_cast<int>(cells_w / ReplicaLogView::kCellPxMin));
  g.cells = static_cast<int>(std::min<kafka::Offset>(fit, std::max<kafka::Offset>(extent, 1)));
  g.cell_px =
      std::min(ReplicaLogView::kCellPxMax, std::floor(cells_w / static_cast<float>(g.cells)));
  first_max = std::max<kafka::Offset>(0, extent - g.cells);
  if (follow_tail) first = tail - g.cells;
  first = std::clamp<kafka::Offset>(first, 0, first_max);
  g.first = first;
  return g;
}

/// The latest removal among the rows' logs (a truncation, a restart, a deletion), and where.
struct LatestRemoval {
  kafka::LogRemoval removal;
  int32_t broker = -1;
};
std::optional<LatestRemoval> latest_removal(const std::vector<Row>& rows) {
  std::optional<LatestRemoval> out;
  for (const Row& r : rows) {
    if (r.hosted == nullptr) continue;
    const auto& rm = r.hosted->log.last_removal();
    if (rm && (!out || rm->at > out->removal.at)) out = LatestRemoval{*rm, r.broker};
  }
  return out;
}

/// The record followed, where it is now, and the buttons that move through its journey.
void draw_following(AppState& app, const JourneyState& j, const std::vector<Row>& rows,
                    const kafka::TopicPartitionName& shown) {
  const FollowedRecord f = *app.followed;
  std::vector<int32_t> replicas;
  if (f.tp == shown)
    for (const Row& r : rows)
      if (r.in_replicas) replicas.push_back(r.broker);
  char head[160];
  const std::string offset =
      j.offset == kafka::kNoOffset ? "(no offset yet)" : "offset " + std::to_string(j.offset);
  std::snprintf(head, sizeof head, "Following %s %s (key %s, from %s):", f.tp.str().c_str(),
                offset.c_str(), j.key.empty() ? "?" : j.key.c_str(),
                j.producer.empty() ? "?" : j.producer.c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  ImGui::TextWrapped("%s %s", head, describe(j, replicas).c_str());
  ImGui::PopStyleColor();
  if (probe::recording()) probe::item("log", "the record followed");
  if (ImGui::SmallButton("< its previous moment")) app.previous_moment();
  if (probe::recording()) probe::item("log", "the previous-moment button");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Shift+Left: back to the last change of where it is");
  ImGui::SameLine();
  if (ImGui::SmallButton("its next moment >")) app.next_moment();
  if (probe::recording()) probe::item("log", "the next-moment button");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Shift+Right: on to the next change: its produce request leaves, the leader appends "
        "it, a fetch response takes it to a follower, the HW passes it (committed), the ack "
        "leaves and arrives, a consumer's fetch takes it");
  ImGui::SameLine();
  if (ImGui::SmallButton("stop following")) app.followed.reset();
  if (probe::recording()) probe::item("log", "the stop-following button");
}

std::string describe(const LatestRemoval& l) {
  char line[160];
  const char* what = l.removal.kind == kafka::LogRemoval::Kind::deleted     ? "deleted"
                     : l.removal.kind == kafka::LogRemoval::Kind::restarted ? "started over at"
                                                                            : "truncated";
  if (l.removal.kind == kafka::LogRemoval::Kind::restarted) {
    std::snprintf(line, sizeof line, "broker %d %s offset %lld at %.3f s", l.broker, what,
                  static_cast<long long>(l.removal.to), l.removal.at.seconds());
  } else {
    std::snprintf(line, sizeof line, "broker %d %s offsets %lld..%lld at %.3f s", l.broker, what,
                  static_cast<long long>(l.removal.from), static_cast<long long>(l.removal.to - 1),
                  l.removal.at.seconds());
  }
  return line;
}

}  // namespace

// [SECTION] ReplicaLogView::draw
// ---------------------------------------------------------------------------------------------
void ReplicaLogView::draw(AppState& app, const kafka::MetadataImage& img, const std::string& name) {
  const world::World& w = app.world;
  const auto split = world::split_partition_name(name);
  const auto tpi = world::find_partition(&img, name);
  if (!split || !tpi) {
    ImGui::TextDisabled("%s: no such partition", name.c_str());
    return;
  }
  const kafka::TopicPartitionName tp{split->first, split->second};
  const kafka::PartitionRegistration& part = *img.partition(*tpi);
  acked_.update(w, app.rewinds());
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 3));

  // [modes]
  const std::string one = "Replicas of " + name, all = "Every partition of " + tp.topic;
  Flow flow{ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x};
  flow.next(ImGui::CalcTextSize(one.c_str()).x + 30);
  if (ImGui::RadioButton(one.c_str(), !whole_topic)) whole_topic = false;
  if (probe::recording()) probe::item("log", "the mode " + one);
  flow.next(ImGui::CalcTextSize(all.c_str()).x + 30);
  if (ImGui::RadioButton(all.c_str(), whole_topic)) whole_topic = true;
  if (probe::recording()) probe::item("log", "the mode " + all);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("each partition's leader, one row each: which keys went where (K)");
  flow.next(ImGui::CalcTextSize("colour by key (K)").x + 30);
  ImGui::Checkbox("colour by key (K)", &colour_by_key);
  if (probe::recording()) probe::item("log", "the switch colour by key");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("colour each record by its key instead of its leader epoch (key K)");
  if (!ImGui::GetIO().WantTextInput && !ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed('K', false))
    colour_by_key = !colour_by_key;

  std::vector<Row> rows =
      whole_topic ? topic_rows(w, img, tp.topic) : replica_rows(w, img, part, tp);
  const Row* leader_row =
      !whole_topic && !rows.empty() && rows[0].broker == part.leader && rows[0].hosted ? &rows[0]
                                                                                       : nullptr;
  // The window: to the leader's LEO (the log consumers read), over every row's extent.
  kafka::Offset extent = 0, tail = 0;
  for (const Row& r : rows) {
    if (!r.hosted) continue;
    extent = std::max(extent, r.hosted->log.log_end_offset());
    if (whole_topic) tail = std::max(tail, r.hosted->log.log_end_offset());
  }
  tail = leader_row ? leader_row->hosted->log.log_end_offset() : whole_topic ? tail : extent;
  extent += kTailCells;
  tail += kTailCells;
  if (partition != name) {
    partition = name;
    follow_tail = true;
    jumped_.clear();
    removal_seen_ = sim::Time::from_ms(-1);
    divergence_seen_ = kafka::kNoOffset;
  }
  // The story: a removal or a divergence newer than what the window showed brings it there.
  kafka::Offset story = kafka::kNoOffset;
  const std::optional<LatestRemoval> removal = whole_topic ? std::nullopt : latest_removal(rows);
  if (app.rewinds() != rewinds_seen_) {
    rewinds_seen_ = app.rewinds();
    removal_seen_ = sim::Time::from_ms(-1);
    divergence_seen_ = kafka::kNoOffset;
  }
  if (removal && removal->removal.at > removal_seen_) {
    removal_seen_ = removal->removal.at;
    story = removal->removal.kind == kafka::LogRemoval::Kind::truncated ? removal->removal.from
                                                                        : removal->removal.to;
    jumped_ = "showing where " + describe(*removal);
  }
  kafka::Offset divergence = kafka::kNoOffset;
  for (const Row& r : rows)
    if (r.diverges_from != kafka::kNoOffset &&
        (divergence == kafka::kNoOffset || r.diverges_from < divergence))
      divergence = r.diverges_from;
  if (divergence != kafka::kNoOffset && divergence != divergence_seen_) {
    story = divergence;
    jumped_ = "showing where a replica diverges from the leader, at " + offset_str(divergence);
  }
  divergence_seen_ = divergence;

  kafka::Offset first_max = 0;
  Geometry g = layout(extent, tail, follow_tail, first, first_max);
  if (story != kafka::kNoOffset && !(follow_tail && story >= g.first && story < g.last())) {
    follow_tail = false;
    first = std::clamp<kafka::Offset>(story - g.cells / 3, 0, first_max);
    g.first = first;
  } else if (follow_tail) {
    jumped_.clear();
  }
  // Acknowledged records lost, in the window (drawn) and in all (counted every 2000 events).
  if (!whole_topic && leader_row != nullptr) {
    // The whole partition's walk only when the count is due; the window's every frame.
    if (lost_for_ != name || lost_at_event_ / 2000 != app.events() / 2000) {
      lost_for_ = name;
      lost_at_event_ = app.events();
      lost_total_ = acked_.lost(w, tp).size();
    }
    rows[0].lost = acked_.lost(w, tp, g.first, g.last());
  }
  if (whole_topic) {
    for (Row& r : rows)
      if (r.hosted != nullptr) r.lost = acked_.lost(w, r.tp, g.first, g.last());
  }

  // [legend] the epochs or keys in the window.
  std::set<kafka::LeaderEpoch> epochs;
  std::vector<std::string> keys;
  size_t more_keys = 0;
  std::set<std::string> seen_keys;
  for (const Row& r : rows) {
    if (!r.hosted) continue;
    for (kafka::Offset o = g.first; o < g.last(); ++o) {
      const RecordAt at = record_at(r.hosted->log, o);
      if (!at.batch) continue;
      epochs.insert(at.batch->partition_leader_epoch);
      if (!colour_by_key || at.index < 0) continue;
      const auto k = at.batch->data->key(static_cast<size_t>(at.index));
      const std::string ks = k ? std::string(k->substr(0, 24)) : std::string("null key");
      if (!seen_keys.insert(ks).second) continue;
      if (keys.size() < 8) {
        keys.push_back(ks);
      } else {
        ++more_keys;
      }
    }
  }
  Flow legend{flow.right};
  draw_legend(legend, epochs, keys, more_keys, colour_by_key);
  ImGui::PushTextWrapPos(0.0f);
  if (lost_total_ > 0 && leader_row != nullptr) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 0.35f, 0.35f, 1));
    ImGui::TextWrapped("%zu acknowledged records of %s are not in the leader's log any more",
                       lost_total_, name.c_str());
    ImGui::PopStyleColor();
    if (probe::recording()) probe::item("log", "the lost records line");
  }
  if (!jumped_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.75f, 0.35f, 1));
    ImGui::TextWrapped("%s", jumped_.c_str());
    ImGui::PopStyleColor();
    if (probe::recording()) probe::item("log", "the note " + jumped_);
  }
  ImGui::PopTextWrapPos();
  // The record followed, at the offset a broker wrote it at (once one did).
  std::optional<FollowedRecord> followed_at;
  if (app.followed) {
    const JourneyState j = journey(app.world, *app.followed);
    followed_at = *app.followed;
    followed_at->offset = j.offset;
    draw_following(app, j, rows, tp);
  }
  draw_ruler(ImGui::GetWindowDrawList(), g);
  // A row is as tall as its bar and the labels above it, or its label lines.
  const float bar_row_h = g.small + 2 + std::round(g.font * 1.3f) + 3;
  const CellStyle style{colour_by_key, &acked_, followed_at ? &*followed_at : nullptr};
  kafka::Offset jump = kafka::kNoOffset;
  for (const Row& r : rows) {
    const bool note = r.diverges_from != kafka::kNoOffset || !r.in_replicas || !r.lost.empty();
    const float label_h =
        (r.partition.empty() ? 0 : g.font + 1) + g.font + (note ? 2 : 1) * (g.small + 1) + 3;
    const RowClick c = draw_row(g, std::max(bar_row_h, label_h), r, style);
    if (c.jump != kafka::kNoOffset) jump = c.jump - 2;  // a little context before it
    if (!c.select.empty()) {
      app.selected.partition = c.select;
      whole_topic = false;
    }
    if (c.follow) app.followed = c.follow;
  }
  if (!whole_topic && leader_row == nullptr && !rows.empty()) {
    ImGui::TextDisabled("no leader: replicas are not compared");
    if (probe::recording()) probe::item("log", "the note on no leader");
  }
  if (!whole_topic) draw_clients(g, w, tp);
  ImGui::Checkbox("follow the leader's LEO", &follow_tail);
  if (probe::recording()) probe::item("log", "the switch follow LEO");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("keep the newest offsets of the leader in view");
  if (first_max > 0) {
    if (const kafka::Offset o = draw_overview(g, rows, extent); o != kafka::kNoOffset) jump = o;
  }
  if (jump != kafka::kNoOffset) {
    follow_tail = false;
    jumped_.clear();
    first = std::clamp<kafka::Offset>(jump, 0, first_max);
  }
  ImGui::PopStyleVar();
}

}  // namespace kafkasim::gui
