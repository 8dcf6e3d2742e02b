// Index
// - [SECTION] colours
// - [SECTION] rows and geometry
// - [SECTION] header: legend and offset ruler
// - [SECTION] a replica's row: label, cells, markers, tooltip
// - [SECTION] clients: consumer positions and committed offsets
// - [SECTION] ReplicaLogView::draw
#include "panels/replica_log_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

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
constexpr ImU32 kText = IM_COL32(225, 228, 235, 255);
constexpr ImU32 kDim = IM_COL32(150, 156, 168, 255);

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
};

world::NodeStatus status_of(const world::World& w, int32_t id) {
  for (const world::World::Node& n : w.nodes())
    if (n.id == id) return n.status;
  return world::NodeStatus::stopped;
}

/// The leader first (the others are compared with it), then the replica set in assignment
/// order, then brokers outside it that still host a copy.
std::vector<Row> gather_rows(const world::World& w, const kafka::MetadataImage& img,
                             const kafka::PartitionRegistration& part,
                             const kafka::TopicPartitionName& tp) {
  std::vector<int32_t> order;
  if (part.has_leader() && part.is_replica(part.leader)) order.push_back(part.leader);
  for (int32_t b : part.replicas)
    if (b != part.leader) order.push_back(b);
  std::vector<Row> rows;
  for (int32_t b : order) {
    rows.push_back({b, hosted_replica(w, b, tp), replica_role(img, part, b), true, status_of(w, b),
                    kafka::kNoOffset});
  }
  for (const world::World::Node& n : w.nodes()) {
    if (part.is_replica(n.id) || broker_view(w, n.id) == nullptr) continue;
    if (const auto* h = hosted_replica(w, n.id, tp))
      rows.push_back({n.id, h, ReplicaRole::out_of_sync, false, n.status, kafka::kNoOffset});
  }
  const kafka::PartitionLog* leader =
      part.has_leader() && !rows.empty() && rows[0].broker == part.leader && rows[0].hosted
          ? &rows[0].hosted->log
          : nullptr;
  if (leader != nullptr) {
    for (size_t i = 1; i < rows.size(); ++i)
      if (rows[i].hosted) rows[i].diverges_from = first_divergence(*leader, rows[i].hosted->log);
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

void small_text(ImDrawList* dl, const Geometry& g, ImVec2 at, ImU32 col, const char* text) {
  dl->AddText(ImGui::GetFont(), g.small, at, col, text);
}

float small_width(const Geometry& g, const char* text) {
  return ImGui::GetFont()->CalcTextSizeA(g.small, 1e9f, 0.0f, text).x;
}

std::string offset_str(kafka::Offset o) {
  return std::to_string(static_cast<long long>(o));
}

// [SECTION] header: legend and offset ruler
// ---------------------------------------------------------------------------------------------
void legend_swatch(ImU32 fill, ImU32 outline, const char* text, const char* tip) {
  ImGui::SameLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a(p.x, p.y + h * 0.15f), b(p.x + h * 0.7f, p.y + h * 0.85f);
  if (fill != 0) dl->AddRectFilled(a, b, fill, 2.0f);
  if (outline != 0) dl->AddRect(a, b, outline, 2.0f, 0, 2.0f);
  ImGui::Dummy(ImVec2(h * 0.7f, h));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  if (tip != nullptr && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

void legend_line(ImU32 colour, const char* text, const char* tip) {
  ImGui::SameLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x + 3, p.y), ImVec2(p.x + 3, p.y + h), colour, 2.0f);
  ImGui::Dummy(ImVec2(6, h));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

void draw_legend(const std::set<kafka::LeaderEpoch>& epochs) {
  ImGui::SameLine(0, 16);
  ImGui::TextDisabled("leader epoch");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("each cell is one offset, coloured by the leader epoch of its batch");
  for (kafka::LeaderEpoch e : epochs) {
    const std::string text = std::to_string(e);
    legend_swatch(epoch_colour(e), 0, text.c_str(), nullptr);
  }
  legend_swatch(0, kDiverges, "diverges",
                "this replica holds another record than the leader at that offset");
  legend_swatch(kDeleted, 0, "deleted", "below the log start offset: deleted or truncated");
  legend_line(kStartColour, "start", "log start offset: the first offset still in the log");
  legend_line(kHwColour, "HW",
              "high watermark: records below it are committed (on every ISR replica); "
              "consumers read only below it");
  legend_line(kLeoColour, "LEO", "log end offset: the offset the next record will get");
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
  const int64_t step = nice_step(64.0f / g.cell_px);
  for (kafka::Offset o = (g.first + step - 1) / step * step; o < g.last(); o += step) {
    const std::string s = offset_str(o);
    const float x = g.x_of(o) + g.cell_px * 0.5f;
    small_text(dl, g, ImVec2(x - small_width(g, s.c_str()) * 0.5f, p.y), kDim, s.c_str());
    dl->AddLine(ImVec2(x, p.y + g.small), ImVec2(x, p.y + g.small + 3), kDim);
  }
  ImGui::Dummy(ImVec2(1, g.small + 3));
}

// [SECTION] a replica's row: label, cells, markers, tooltip
// ---------------------------------------------------------------------------------------------
void draw_row_label(ImDrawList* dl, const Geometry& g, float y, const Row& r) {
  float x = g.x0;
  const std::string id = std::to_string(r.broker);
  dl->AddText(ImVec2(x, y), kText, id.c_str());
  x += ImGui::CalcTextSize(id.c_str()).x + 6;
  const char* role = r.in_replicas ? replica_role_name(r.role) : "not a replica";
  dl->AddText(ImVec2(x, y), r.in_replicas ? role_colour(r.role) : kDim, role);
  x += ImGui::CalcTextSize(role).x + 6;
  if (r.status != world::NodeStatus::running)
    dl->AddText(ImVec2(x, y), IM_COL32(224, 82, 82, 255), world::node_status_name(r.status));
  y += g.font + 1;
  if (r.hosted == nullptr) {
    small_text(dl, g, ImVec2(g.x0, y), kDim, "no copy of the log on this broker");
    return;
  }
  const kafka::PartitionLog& log = r.hosted->log;
  char line[96];
  std::snprintf(line, sizeof line, "start %lld   HW %lld   LEO %lld",
                static_cast<long long>(log.log_start_offset()),
                static_cast<long long>(log.high_watermark()),
                static_cast<long long>(log.log_end_offset()));
  small_text(dl, g, ImVec2(g.x0, y), kDim, line);
  y += g.small + 1;
  if (r.diverges_from != kafka::kNoOffset) {
    std::snprintf(line, sizeof line, "diverges from leader at offset %lld",
                  static_cast<long long>(r.diverges_from));
    small_text(dl, g, ImVec2(g.x0, y), kDiverges, line);
  } else if (!r.in_replicas) {
    small_text(dl, g, ImVec2(g.x0, y), kDim, "left the replicas; log not deleted yet");
  }
}

void draw_cells(ImDrawList* dl, const Geometry& g, float y0, float y1, const Row& r,
                const kafka::PartitionLog* leader) {
  const kafka::PartitionLog& log = r.hosted->log;
  const float gap = g.cell_px >= 16 ? 2.0f : 1.0f;
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
    const ImU32 fill = at.index < 0 ? kCompacted : epoch_colour(at.batch->partition_leader_epoch);
    dl->AddRectFilled(ImVec2(left, y0), b, fill);
    if (o != at.batch->base_offset)
      dl->AddLine(ImVec2(x, y0 + 3), ImVec2(x, y1 - 3), IM_COL32(0, 0, 0, 60));
    if (leader != nullptr && leader != &log && diverges_at(*leader, log, o))
      dl->AddRect(ImVec2(left, y0), b, kDiverges, 0.0f, 0, 2.5f);
  }
}

/// HW's label sits left of its line and LEO's right of its own: as HW <= LEO they never
/// overlap. The log start's label is left out when it would run into HW's.
void draw_markers(ImDrawList* dl, const Geometry& g, float y0, float y1,
                  const kafka::PartitionLog& log) {
  const float top = y0 - g.small - 1;
  auto line = [&](kafka::Offset o, ImU32 col) {
    const float x = g.x_of(o);
    dl->AddLine(ImVec2(x, top + 2), ImVec2(x, y1 + 3), col, 2.0f);
    return x;
  };
  const kafka::Offset start = log.log_start_offset(), hw = log.high_watermark();
  const kafka::Offset leo = log.log_end_offset();
  float hw_label_x = 1e9f;
  if (g.shows(hw)) {
    const float x = line(hw, kHwColour);
    hw_label_x = x - 3 - small_width(g, "HW");
    small_text(dl, g, ImVec2(hw_label_x, top), kHwColour, "HW");
  }
  if (g.shows(leo)) {
    const float x = line(leo, kLeoColour);
    small_text(dl, g, ImVec2(x + 3, top), kLeoColour, "LEO");
  }
  if (start > 0 && g.shows(start) && start != hw) {
    const float x = line(start, kStartColour);
    if (x + 3 + small_width(g, "start") < hw_label_x - 4)
      small_text(dl, g, ImVec2(x + 3, top), kStartColour, "start");
  }
  // Markers outside the window: named at the edge they are beyond.
  std::string before, after;
  const std::pair<const char*, kafka::Offset> marks[] = {
      {"start", start}, {"HW", hw}, {"LEO", leo}};
  for (const auto& [what, o] : marks) {
    std::string& side = o < g.first ? before : after;
    if (g.shows(o) || (what == marks[0].first && o == 0)) continue;
    side += (side.empty() ? "" : "  ") + std::string(what) + " " + offset_str(o);
  }
  if (!before.empty()) {
    before = "< " + before;
    small_text(dl, g, ImVec2(g.cells_x0, top), kDim, before.c_str());
  }
  if (!after.empty()) {
    after += " >";
    small_text(dl, g, ImVec2(g.x_of(g.last()) - small_width(g, after.c_str()), top), kDim,
               after.c_str());
  }
}

void record_tooltip(const Row& r, kafka::Offset o, const kafka::PartitionLog* leader) {
  const kafka::PartitionLog& log = r.hosted->log;
  ImGui::BeginTooltip();
  ImGui::Text("offset %lld on broker %d", static_cast<long long>(o), r.broker);
  const RecordAt at = record_at(log, o);
  if (o < log.log_start_offset()) {
    ImGui::TextDisabled("below the log start offset %lld: deleted (retention) or truncated",
                        static_cast<long long>(log.log_start_offset()));
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
      const auto key = b.data->key(at.index), value = b.data->value(at.index);
      const auto show = [](const std::optional<std::string_view>& v) {
        return v ? std::string(v->substr(0, 48)) : std::string("null");
      };
      ImGui::Text("key %s   value %s", show(key).c_str(), show(value).c_str());
    }
    ImGui::TextDisabled(o < log.high_watermark() ? "committed on this replica (below its HW)"
                                                 : "not committed yet on this replica (at or "
                                                   "above its HW)");
  }
  if (leader != nullptr && leader != &log && diverges_at(*leader, log, o)) {
    const RecordAt l = record_at(*leader, o);
    ImGui::TextColored(ImVec4(1, 0.35f, 0.35f, 1),
                       "diverges: the leader's record here is from leader epoch %d, batch "
                       "%lld..%lld",
                       l.batch->partition_leader_epoch,
                       static_cast<long long>(l.batch->base_offset),
                       static_cast<long long>(l.batch->last_offset()));
  }
  ImGui::EndTooltip();
}

/// Draws one replica; returns the offset to bring into view when its divergence note is
/// clicked, else kNoOffset.
kafka::Offset draw_replica_row(const Geometry& g, float row_h, const Row& r,
                               const kafka::PartitionLog* leader) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y = ImGui::GetCursorScreenPos().y;
  draw_row_label(dl, g, y, r);
  kafka::Offset jump = kafka::kNoOffset;
  if (r.diverges_from != kafka::kNoOffset) {
    const ImVec2 a(g.x0, y + g.font + g.small + 2), b(g.cells_x0 - 8, y + row_h);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b)) {
      ImGui::SetTooltip("click to show offset %lld", static_cast<long long>(r.diverges_from));
      if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) jump = r.diverges_from;
    }
  }
  const float y0 = y + g.small + 2, y1 = y0 + std::round(g.font * 1.3f);
  if (r.hosted != nullptr) {
    draw_cells(dl, g, y0, y1, r, leader);
    draw_markers(dl, g, y0, y1, r.hosted->log);
    const ImVec2 a(g.cells_x0, y0), b(g.x_of(g.last()), y1);
    if (ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(a, b)) {
      const float mx = ImGui::GetIO().MousePos.x;
      const auto o = g.first + static_cast<kafka::Offset>((mx - g.cells_x0) / g.cell_px);
      if (o < g.last()) record_tooltip(r, o, leader);
    }
  }
  ImGui::Dummy(ImVec2(1, row_h));
  return jump;
}

// [SECTION] overview: every replica's whole log, and where the window is
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
/// overview, else kNoOffset. Left of it, the "follow LEO" switch.
kafka::Offset draw_overview(const Geometry& g, const std::vector<Row>& rows, kafka::Offset end,
                            bool& follow_tail) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float line_h = 4, w = g.x_of(g.last()) - g.cells_x0;
  const float h =
      std::max(ImGui::GetFrameHeight(), static_cast<float>(rows.size()) * (line_h + 2) + 2);
  auto x_at = [&](kafka::Offset o) {
    return g.cells_x0 +
           w * static_cast<float>(o) / static_cast<float>(std::max<kafka::Offset>(end, 1));
  };
  ImGui::Checkbox("follow LEO", &follow_tail);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("keep the newest offsets in view");
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
        "every replica's whole log (leader epochs; a red mark where it diverges from the "
        "leader) and, framed, the offsets shown above. Click, drag or scroll to move.");
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
  std::string text;
  if (offset == kafka::kNoOffset) {
    text = "no position yet";
    small_text(dl, g, ImVec2(g.cells_x0, y + 2), kDim, text.c_str());
  } else if (offset < g.first || offset > g.last()) {
    const bool left = offset < g.first;
    text = (left ? "< " : "") + std::string(what) + " " + offset_str(offset) + (left ? "" : " >");
    const float x = left ? g.cells_x0 : g.x_of(g.last()) - small_width(g, text.c_str());
    small_text(dl, g, ImVec2(x, y + 2), colour, text.c_str());
  } else {
    const float x = g.x_of(offset);
    dl->AddTriangleFilled(ImVec2(x - 5, y), ImVec2(x + 5, y), ImVec2(x, y + 7), colour);
    dl->AddLine(ImVec2(x, y), ImVec2(x, y + h - 2), colour, 2.0f);
    text = std::string(what) + " " + offset_str(offset);
    const float w = small_width(g, text.c_str());
    const float tx = x + 6 + w < g.x_of(g.last()) ? x + 6 : x - 6 - w;
    small_text(dl, g, ImVec2(tx, y + 2), colour, text.c_str());
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
    ImGui::TextDisabled("no consumer reads %s and no group has committed an offset on it",
                        tp.str().c_str());
  }
}

/// The label column, then as many cells as fit (all of [0, end) when they can be at least
/// ReplicaLogView::kCellPxMin wide); the window starts at `first` or, following the tail, ends at
/// `end`.
Geometry layout(kafka::Offset end, bool follow_tail, kafka::Offset& first,
                kafka::Offset& first_max) {
  Geometry g;
  g.font = ImGui::GetFontSize();
  g.small = std::round(g.font * 0.78f);
  g.x0 = ImGui::GetCursorScreenPos().x;
  g.label_w = ImGui::GetFont()
                  ->CalcTextSizeA(g.small, 1e9f, 0.0f, "diverges from leader at offset 000000")
                  .x +
              12;
  g.cells_x0 = g.x0 + g.label_w;
  const float cells_w = std::max(60.0f, ImGui::GetContentRegionAvail().x - g.label_w - 4);
  const int fit = std::max(1, static_cast<int>(cells_w / ReplicaLogView::kCellPxMin));
  g.cells = static_cast<int>(std::min<kafka::Offset>(fit, std::max<kafka::Offset>(end, 1)));
  g.cell_px =
      std::min(ReplicaLogView::kCellPxMax, std::floor(cells_w / static_cast<float>(g.cells)));
  first_max = std::max<kafka::Offset>(0, end - g.cells);
  if (follow_tail) first = first_max;
  first = std::clamp<kafka::Offset>(first, 0, first_max);
  g.first = first;
  return g;
}

}  // namespace

// [SECTION] ReplicaLogView::draw
// ---------------------------------------------------------------------------------------------
void ReplicaLogView::draw(const AppState& app, const kafka::MetadataImage& img,
                          const std::string& name) {
  const world::World& w = app.world;
  const auto split = world::split_partition_name(name);
  const auto tpi = world::find_partition(&img, name);
  if (!split || !tpi) {
    ImGui::TextDisabled("%s: no such partition", name.c_str());
    return;
  }
  const kafka::TopicPartitionName tp{split->first, split->second};
  const kafka::PartitionRegistration& part = *img.partition(*tpi);
  if (partition != name) {
    partition = name;
    follow_tail = true;
  }
  const std::vector<Row> rows = gather_rows(w, img, part, tp);
  const kafka::PartitionLog* leader =
      !rows.empty() && rows[0].broker == part.leader && rows[0].hosted ? &rows[0].hosted->log
                                                                       : nullptr;
  kafka::Offset end = 0;
  for (const Row& r : rows)
    if (r.hosted) end = std::max(end, r.hosted->log.log_end_offset());
  end += kTailCells;

  kafka::Offset first_max = 0;
  const Geometry g = layout(end, follow_tail, first, first_max);
  std::set<kafka::LeaderEpoch> epochs;
  for (const Row& r : rows) {
    if (!r.hosted) continue;
    for (kafka::Offset o = g.first; o < g.last(); ++o)
      if (const RecordAt at = record_at(r.hosted->log, o); at.batch)
        epochs.insert(at.batch->partition_leader_epoch);
  }
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(8, 3));
  ImGui::Text("%s", name.c_str());
  draw_legend(epochs);
  draw_ruler(ImGui::GetWindowDrawList(), g);
  // A row is as tall as its bar and the labels above it, or its three-line label.
  const float bar_row_h = g.small + 2 + std::round(g.font * 1.3f) + 3;
  kafka::Offset jump = kafka::kNoOffset;
  for (const Row& r : rows) {
    const bool note = r.diverges_from != kafka::kNoOffset || !r.in_replicas;
    const float row_h = std::max(bar_row_h, g.font + (note ? 2 : 1) * g.small + 4);
    if (const kafka::Offset o = draw_replica_row(g, row_h, r, leader); o != kafka::kNoOffset)
      jump = o - 2;  // a little context before it
  }
  if (leader == nullptr && !rows.empty())
    ImGui::TextDisabled("no leader: replicas are not compared");
  draw_clients(g, w, tp);
  if (first_max > 0) {
    if (const kafka::Offset o = draw_overview(g, rows, end, follow_tail); o != kafka::kNoOffset)
      jump = o;
  }
  if (jump != kafka::kNoOffset) {
    follow_tail = false;
    first = std::clamp<kafka::Offset>(jump, 0, first_max);
  }
  ImGui::PopStyleVar();
}

}  // namespace kafkasim::gui
