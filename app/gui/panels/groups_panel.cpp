// Index:
//   [SECTION] helpers: text, colours, flowing items
//   [SECTION] the group: picker and header
//   [SECTION] members and partitions tables
//   [SECTION] rebalance timeline: geometry, zoom, drawing, hover
//   [SECTION] panel
#include "panels/groups_panel.h"

#include <imgui.h>
#include <imgui_internal.h>  // SetItemUsingMouseWheel: the timeline's wheel zooms, not scrolls

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "glossary.h"
#include "theme.h"

namespace kafkasim::gui {

namespace {

using kafka::TopicPartitionName;

// [SECTION] helpers: text, colours, flowing items ----------------------------------------------

const ImVec4 kDimText(0.60f, 0.64f, 0.70f, 1);
const ImVec4 kWarnText(0.96f, 0.77f, 0.27f, 1);
const ImVec4 kBadText(0.95f, 0.45f, 0.45f, 1);
const ImVec4 kGoodText(0.45f, 0.85f, 0.55f, 1);
const ImVec4 kLeaderText(0.98f, 0.80f, 0.30f, 1);  // the cluster view's gold
constexpr double kZoomMinS = 0.002;                // the narrowest time window shown

/// Partition colours on the timeline: light enough for dark text, apart from each other.
constexpr ImU32 kPartitionColours[] = {
    IM_COL32(110, 175, 245, 255), IM_COL32(245, 170, 95, 255),  IM_COL32(125, 215, 140, 255),
    IM_COL32(235, 130, 170, 255), IM_COL32(185, 155, 250, 255), IM_COL32(235, 215, 105, 255),
    IM_COL32(105, 210, 210, 255), IM_COL32(215, 165, 130, 255),
};
constexpr ImU32 kBarText = IM_COL32(15, 18, 24, 255);

ImU32 partition_colour(const GroupModel& m, const TopicPartitionName& tp) {
  const auto it = std::lower_bound(
      m.partitions.begin(), m.partitions.end(), tp,
      [](const GroupPartitionRow& r, const TopicPartitionName& t) { return r.tp < t; });
  const size_t k = static_cast<size_t>(it - m.partitions.begin());
  return kPartitionColours[k % std::size(kPartitionColours)];
}

ImVec4 state_colour(const std::string& state) {
  if (state == "Stable") return kGoodText;
  if (state == "PreparingRebalance" || state == "CompletingRebalance") return kWarnText;
  if (state == "unknown" || state == "Dead") return kBadText;
  return kDimText;  // Empty
}

std::string seconds(double s) {
  char buf[32];
  if (std::fabs(s) >= 100)
    std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (std::fabs(s) >= 10)
    std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (std::fabs(s) >= 0.1)
    std::snprintf(buf, sizeof buf, "%.2f s", s);
  else
    std::snprintf(buf, sizeof buf, "%.0f ms", s * 1000.0);
  return buf;
}

std::string at_time(sim::Time t) {
  return sim::to_string(t);
}

/// "orders-0,2,4 payments-1": partitions by topic, compact.
std::string compact_partitions(const std::vector<TopicPartitionName>& tps) {
  std::string out, topic;
  for (const TopicPartitionName& tp : tps) {
    if (tp.topic != topic || out.empty()) {
      out += (out.empty() ? "" : " ") + tp.topic + "-" + std::to_string(tp.partition);
      topic = tp.topic;
    } else {
      out += "," + std::to_string(tp.partition);
    }
  }
  return out;
}

std::string partition_list(const std::vector<TopicPartitionName>& tps) {
  std::string out;
  for (const TopicPartitionName& tp : tps)
    out += (out.empty() ? "" : ", ") + tp.str();
  return "[" + out + "]";
}

/// Puts the next item, `width` pixels wide, on the current line when it fits, else below.
void same_line_if(float width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

/// `own` when the last item is hovered, else the glossary's word on `term` (if any).
void explain_hovered(const char* term, const char* own = nullptr) {
  if (!ImGui::IsItemHovered()) return;
  const char* text = own != nullptr ? own : explain(term);
  if (text == nullptr) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

/// "term value" as one flowing item: the term dim, the value coloured.
void fact(const char* term, const std::string& value, const ImVec4& colour, bool first = false,
          const char* fallback = nullptr) {
  const std::string text = std::string(term) + " " + value;
  if (!first) same_line_if(ImGui::CalcTextSize(text.c_str()).x);
  ImGui::BeginGroup();
  ImGui::TextColored(kDimText, "%s", term);
  ImGui::SameLine(0, ImGui::CalcTextSize(" ").x);
  ImGui::TextColored(colour, "%s", value.c_str());
  ImGui::EndGroup();
  explain_hovered(term, fallback);
}

// [SECTION] the group: picker and header -------------------------------------------------------

void header(const GroupModel& m) {
  const ImVec4& text = ImGui::GetStyle().Colors[ImGuiCol_Text];
  fact("group", m.group_id, ImVec4(1, 1, 1, 1), true, "the group.id its consumers share");
  fact("state", m.state, state_colour(m.state), false,
       m.known ? explain(m.state)
               : "no running broker holds the group now: its coordinator's broker is gone and "
                 "no other has loaded it from __consumer_offsets yet");
  fact("generation", m.generation < 0 ? "-" : std::to_string(m.generation), text);
  fact("coordinator", m.coordinator < 0 ? "none" : std::to_string(m.coordinator),
       m.coordinator < 0 ? kBadText : text, false,
       "the broker leading the group's __consumer_offsets partition: it runs the group's "
       "joins, syncs and heartbeats and stores its committed offsets");
  fact("protocol", m.protocol.empty() ? "-" : m.protocol, text, false,
       "the partition assignor the group chose (partition.assignment.strategy): eager ones "
       "(range, roundrobin, sticky) revoke everything at each rebalance; cooperative-sticky "
       "only what moves");
  fact("leader", m.leader_client_id.empty() ? "-" : m.leader_client_id, kLeaderText, false,
       "the member that runs the assignor for the group (the first to join)");
  fact("lag", m.lag_total < 0 ? "-" : std::to_string(m.lag_total), text, false,
       "records not yet committed: the sum over the partitions of high watermark - committed "
       "offset");
}

/// A combo of the groups when there are several; returns the one to show.
std::string pick_group(const std::vector<std::string>& ids, std::string& chosen) {
  if (std::find(ids.begin(), ids.end(), chosen) == ids.end()) chosen = ids.front();
  if (ids.size() > 1) {
    ImGui::SetNextItemWidth(
        std::min(ImGui::GetContentRegionAvail().x, 16.0f * ImGui::GetFontSize()));
    if (ImGui::BeginCombo("##group", chosen.c_str())) {
      for (const std::string& id : ids) {
        if (ImGui::Selectable(id.c_str(), id == chosen)) chosen = id;
      }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%zu groups", ids.size());
  }
  return chosen;
}

// [SECTION] members and partitions tables ------------------------------------------------------

struct Column {
  const char* name;
  const char* help;  // the header's tooltip
};

struct Cell {
  std::string text;
  ImVec4 colour;
  const char* tooltip = nullptr;
};

/// A table of text cells whose first column selects something (`pick(row)` draws that cell). It
/// scrolls sideways, its first column staying, only when the column is narrower than the table.
template <typename Pick>
void table(const char* id, const std::vector<Column>& cols,
           const std::vector<std::vector<Cell>>& rows, Pick pick) {
  const ImGuiStyle& st = ImGui::GetStyle();
  float width = 0;
  for (size_t c = 0; c < cols.size(); ++c) {
    float w = ImGui::CalcTextSize(cols[c].name).x;
    for (const auto& r : rows)
      w = std::max(w, ImGui::CalcTextSize(r[c].text.c_str()).x);
    width += w + 2 * st.CellPadding.x + 1.0f;
  }
  const bool scroll = width > ImGui::GetContentRegionAvail().x;
  const float row_h = ImGui::GetTextLineHeight() + 2 * st.CellPadding.y;
  const ImVec2 size(
      0, static_cast<float>(rows.size() + 1) * row_h + (scroll ? st.ScrollbarSize + 4.0f : 2.0f));
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  if (scroll) flags |= ImGuiTableFlags_ScrollX;
  if (!ImGui::BeginTable(id, static_cast<int>(cols.size()), flags, size)) return;
  if (scroll) ImGui::TableSetupScrollFreeze(1, 1);
  for (const Column& c : cols)
    ImGui::TableSetupColumn(c.name);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (const Column& c : cols) {
    ImGui::TableNextColumn();
    ImGui::TableHeader(c.name);
    explain_hovered(c.name, c.help);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    pick(r);
    for (size_t c = 1; c < cols.size(); ++c) {
      ImGui::TableNextColumn();
      ImGui::TextColored(rows[r][c].colour, "%s", rows[r][c].text.c_str());
      if (rows[r][c].tooltip != nullptr && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", rows[r][c].tooltip);
    }
  }
  ImGui::EndTable();
}

ImVec4 phase_colour(const GroupMemberRow& r) {
  if (!r.running) return kBadText;
  if (r.phase == "stable") return kGoodText;
  if (r.phase == "failed") return kBadText;
  return kWarnText;
}

std::vector<Cell> member_cells(const GroupMemberRow& r, sim::Time now, bool statics) {
  const ImVec4& text = ImGui::GetStyle().Colors[ImGuiCol_Text];
  std::vector<Cell> c;
  c.push_back({r.client_id + (r.leader ? " (leader)" : ""), r.leader ? kLeaderText : text});
  c.push_back({r.phase, phase_colour(r),
               r.node < 0 ? "the coordinator still lists this member id; no consumer has it now "
                            "(it is removed when its session times out)"
                          : nullptr});
  c.push_back({r.owned.empty() ? "-" : compact_partitions(r.owned), text});
  c.push_back({std::to_string(r.consumed), text});
  if (r.node < 0 || !r.running) {
    c.push_back({"-", kDimText});
    c.push_back({r.polled ? at_time(r.last_poll) : "-", kDimText});
  } else {
    // A busy application nearing max.poll.interval.ms is about to be taken out of the group.
    const double since_s = (now - r.last_poll).seconds();
    const bool late =
        r.busy && since_s * 1000.0 > 0.8 * static_cast<double>(r.max_poll_interval_ms);
    c.push_back({r.busy ? "busy" : "idle", r.busy ? kWarnText : kDimText});
    c.push_back({r.polled ? seconds(since_s) + " ago" : "never", late ? kBadText : text,
                 late ? "nearly max.poll.interval.ms since the last poll(): the member will leave "
                        "the group"
                      : nullptr});
  }
  c.push_back({r.member_id.empty() ? "-" : r.member_id, r.at_coordinator ? text : kDimText,
               r.at_coordinator || r.member_id.empty()
                   ? nullptr
                   : "the coordinator does not list this member id now"});
  if (statics) c.push_back({r.instance_id.empty() ? "-" : r.instance_id, text});
  return c;
}

void members_table(AppState& app, const GroupModel& m) {
  const bool statics = std::any_of(m.members.begin(), m.members.end(),
                                   [](const GroupMemberRow& r) { return !r.instance_id.empty(); });
  std::vector<Column> cols = {
      {"member", "the consumer's client.id; click to inspect it"},
      {"phase",
       "the member's own view: unjoined, committing (before rejoining), joining "
       "(JoinGroup sent), syncing (SyncGroup sent), stable (assigned, heartbeating) or "
       "failed"},
      {"owns", "the partitions the member holds now"},
      {"consumed", "records its application has processed"},
      {"app",
       "busy: the application is processing what poll() returned (or blocked in "
       "commitSync); idle: it is in poll()"},
      {"last poll",
       "when the application last called poll(). An idle application is still inside that "
       "poll(), waiting for records; a busy one must call it again within "
       "max.poll.interval.ms or the member leaves the group (red: nearly so)"},
      {"member id",
       "the id the coordinator gave it (dimmed: the coordinator does not list it "
       "now)"}};
  if (statics)
    cols.push_back({"group.instance.id",
                    "static membership (KIP-345): the member keeps its "
                    "place across restarts within session.timeout.ms"});
  std::vector<std::vector<Cell>> rows;
  for (const GroupMemberRow& r : m.members)
    rows.push_back(member_cells(r, m.now, statics));
  table("members", cols, rows, [&](size_t k) {
    const GroupMemberRow& r = m.members[k];
    const int index = r.node < 0 ? -1 : app.world.index_of(r.node);
    ImGui::PushStyleColor(ImGuiCol_Text, rows[k][0].colour);
    if (ImGui::Selectable(rows[k][0].text.c_str(), index >= 0 && app.selected.node == index) &&
        index >= 0)
      app.selected.node = index;
    ImGui::PopStyleColor();
    if (index >= 0 && ImGui::IsItemHovered())
      ImGui::SetTooltip("inspect consumer %s (node %d)", r.client_id.c_str(), r.node);
  });
}

std::vector<Cell> partition_cells(const GroupPartitionRow& r) {
  const ImVec4& text = ImGui::GetStyle().Colors[ImGuiCol_Text];
  const auto offset = [](kafka::Offset o) { return o < 0 ? std::string("-") : std::to_string(o); };
  std::string owners;
  for (const std::string& o : r.owners)
    owners += (owners.empty() ? "" : ", ") + o;
  std::vector<Cell> c;
  c.push_back({r.tp.str(), text});
  c.push_back({owners.empty() ? "none" : owners,
               r.owners.size() > 1 ? kBadText
               : r.owners.empty()  ? kWarnText
                                   : text,
               r.owners.size() > 1 ? "two members hold it at once" : nullptr});
  const bool members = r.committed_from == CommitSource::members;
  c.push_back({offset(r.committed), members ? kWarnText : text,
               members ? "no coordinator holds the group now: the members' last acknowledged "
                         "commit"
                       : nullptr});
  c.push_back({offset(r.position), text});
  c.push_back({offset(r.high_watermark), text});
  c.push_back({r.lag < 0 ? "-" : std::to_string(r.lag), r.lag > 0 ? kWarnText : text});
  return c;
}

void partitions_table(AppState& app, const GroupModel& m) {
  if (m.partitions.empty()) {
    ImGui::TextDisabled("no partitions known yet");
    return;
  }
  const std::vector<Column> cols = {
      {"partition", "click to inspect it"},
      {"owner", "the member the group assigned it to"},
      {"committed",
       "the group's committed offset (OffsetCommit), as its coordinator holds it: "
       "where a new owner starts"},
      {"position", "the owner's position: the next offset its poll() returns"},
      {"HW", "the partition leader's high watermark: consumers read below it"},
      {"lag", "high watermark - committed offset"}};
  std::vector<std::vector<Cell>> rows;
  for (const GroupPartitionRow& r : m.partitions)
    rows.push_back(partition_cells(r));
  table("partitions", cols, rows, [&](size_t k) {
    const std::string& name = rows[k][0].text;
    if (ImGui::Selectable(name.c_str(), app.selected.partition == name))
      app.selected.partition = name;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("inspect %s", name.c_str());
  });
}

// [SECTION] rebalance timeline: geometry, zoom, drawing, hover --------------------------------

/// Simulated seconds <-> pixels.
struct Axis {
  float x0 = 0, x1 = 1;
  double t0 = 0, t1 = 1;
  float x(double t) const { return x0 + static_cast<float>((t - t0) / (t1 - t0)) * (x1 - x0); }
  double t(float x) const { return t0 + (x - x0) / (x1 - x0) * (t1 - t0); }
};

struct Geometry {
  ImVec2 origin;
  float width = 0, height = 0;
  float small = 12;                           // the small font's size
  float sub_h = 14;                           // one partition's row in a lane
  float label_w = 60;                         // the lanes' names, beside the bars
  bool labels_above = false;                  // a narrow panel: the names go above the bars instead
  float lanes_y0 = 0;                         // below the generations' labels
  float lanes_y1 = 0;                         // above the time axis
  std::vector<float> lane_y, lane_h, bars_y;  // bars_y: a lane's first partition row
  Axis ax;
};

Geometry measure(const GroupModel& m) {
  Geometry g;
  g.origin = ImGui::GetCursorScreenPos();
  g.width = std::max(120.0f, ImGui::GetContentRegionAvail().x);
  g.small = std::round(ImGui::GetFontSize() * 0.8f);
  g.sub_h = std::round(g.small + 4.0f);
  for (const MemberLane& l : m.lanes)
    g.label_w = std::max(g.label_w, ImGui::CalcTextSize(l.client_id.c_str()).x + 12.0f);
  g.labels_above = g.width < ImGui::GetFontSize() * 28.0f || g.label_w > g.width * 0.3f;
  g.label_w = g.labels_above ? 4.0f : g.label_w;
  g.lanes_y0 = g.origin.y + g.small + 6.0f;
  float y = g.lanes_y0;
  const float line_h = ImGui::GetTextLineHeight();
  for (const MemberLane& l : m.lanes) {
    const float bars = static_cast<float>(std::max<size_t>(1, l.rows.size())) * g.sub_h;
    const float h =
        g.labels_above ? line_h + 2.0f + bars + 4.0f : std::max(line_h + 2.0f, bars) + 6.0f;
    g.lane_y.push_back(y);
    g.lane_h.push_back(h);
    g.bars_y.push_back(y + (g.labels_above ? line_h + 2.0f : 3.0f));
    y += h;
  }
  g.lanes_y1 = y;
  g.height = y - g.origin.y + g.small + 8.0f;
  g.ax.x0 = g.origin.x + g.label_w;
  g.ax.x1 = g.origin.x + g.width - 6.0f;
  return g;
}

/// The time window shown: the whole run so far, or the zoomed part of it (kept inside it).
void place_window(GroupsPanel::View& v, const GroupModel& m, Axis& ax) {
  const double now = std::max(m.now.seconds(), 0.001);
  if (v.zoomed && v.t0 >= now) v.zoomed = false;  // went back before the window
  if (!v.zoomed) {
    v.t0 = 0;
    v.t1 = std::max(now, 1.0);
  }
  const double span = std::clamp(v.t1 - v.t0, kZoomMinS, std::max(now, 1.0));
  v.t0 = std::clamp(v.t0, 0.0, std::max(0.0, now - span));
  v.t1 = v.t0 + span;
  if (v.zoomed && v.t0 <= 0 && v.t1 >= now) v.zoomed = false;
  ax.t0 = v.t0;
  ax.t1 = v.t1;
}

/// The wheel zooms around the mouse, dragging pans, a double click shows the whole run, a click
/// on a rebalance zooms to it.
void zoom(GroupsPanel::View& v, const GroupModel& m, const Geometry& g) {
  const ImGuiIO& io = ImGui::GetIO();
  const double span = g.ax.t1 - g.ax.t0;
  if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {
    const double at = std::clamp(g.ax.t(io.MousePos.x), g.ax.t0, g.ax.t1);
    const double f = std::pow(0.8, static_cast<double>(io.MouseWheel));
    const double next = std::max(kZoomMinS, span * f);
    v.t0 = at - (at - g.ax.t0) * next / span;
    v.t1 = v.t0 + next;
    v.zoomed = true;
  }
  if (ImGui::IsItemActive() && v.zoomed && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
    const double dt = -io.MouseDelta.x / (g.ax.x1 - g.ax.x0) * span;
    v.t0 += dt;
    v.t1 += dt;
  }
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    v.zoomed = false;
    return;
  }
  if (!ImGui::IsItemDeactivated() || ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0.0f).x != 0)
    return;
  for (const GroupWindow& w : m.rebalances) {
    const double from = w.from.seconds(), to = w.to.seconds();
    const float x_from = g.ax.x(from), x_to = std::max(g.ax.x(to), x_from + 3.0f);
    if (io.MousePos.x < x_from - 2 || io.MousePos.x > x_to + 2) continue;
    const double pad = std::max(0.25 * (to - from), 0.004);
    v.t0 = from - pad;
    v.t1 = to + pad;
    v.zoomed = true;
    return;
  }
}

/// 1, 2 or 5 times a power of ten, at least v.
double nice_step(double v) {
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  const double f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

void small_text(ImDrawList* dl, const Geometry& g, ImVec2 at, ImU32 colour, const char* text) {
  dl->AddText(ImGui::GetFont(), g.small, at, colour, text);
}
float small_width(const Geometry& g, const char* text) {
  return ImGui::GetFont()->CalcTextSizeA(g.small, 1e9f, 0.0f, text).x;
}

void draw_axis(ImDrawList* dl, const Geometry& g) {
  const Axis& ax = g.ax;
  const double step = nice_step((ax.t1 - ax.t0) * 70.0 / std::max(1.0f, ax.x1 - ax.x0));
  const int decimals = step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
  const ImU32 grid = IM_COL32(255, 255, 255, 28), label = IM_COL32(170, 176, 186, 255);
  for (double t = std::ceil(ax.t0 / step) * step; t <= ax.t1 + step * 1e-6; t += step) {
    const float x = ax.x(t);
    dl->AddLine(ImVec2(x, g.lanes_y0), ImVec2(x, g.lanes_y1 + 3), grid);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f s", decimals, t);
    const float w = small_width(g, buf);
    small_text(dl, g, ImVec2(std::clamp(x - w * 0.5f, ax.x0 - 4, ax.x1 - w), g.lanes_y1 + 4), label,
               buf);
  }
}

constexpr ImU32 kRebalanceFill = IM_COL32(236, 178, 46, 46);
constexpr ImU32 kNoCoordinatorFill = IM_COL32(242, 115, 115, 40);
constexpr ImU32 kNoCoordinatorText = IM_COL32(242, 135, 135, 255);
constexpr ImU32 kGenerationLine = IM_COL32(225, 228, 235, 150);
constexpr ImU32 kGenerationText = IM_COL32(225, 228, 235, 255);

/// The labels above the lanes (generations, coordinator changes), none over another.
struct LabelRow {
  std::vector<std::pair<float, float>> taken;  // x ranges
  /// Draws `text` starting near x (kept inside the axis) unless it would touch another label.
  void put(ImDrawList* dl, const Geometry& g, float x, ImU32 colour, const std::string& text) {
    const float w = small_width(g, text.c_str());
    const float a = std::clamp(x, g.ax.x0, g.ax.x1 - w), b = a + w;
    for (const auto& [l, r] : taken)
      if (a < r + 4 && l < b + 4) return;
    taken.emplace_back(a, b);
    small_text(dl, g, ImVec2(a, g.origin.y + 1), colour, text.c_str());
  }
};

/// Rebalances (amber) and times without a coordinator (red) behind the lanes; the latter
/// labelled above them, with the broker that took over.
void draw_windows(ImDrawList* dl, const Geometry& g, const GroupModel& m, LabelRow& labels) {
  const Axis& ax = g.ax;
  auto shade = [&](const GroupWindow& w, ImU32 fill) {
    const float a = std::max(ax.x(w.from.seconds()), ax.x0);
    const float b = std::min(std::max(ax.x(w.to.seconds()), ax.x(w.from.seconds()) + 2.0f), ax.x1);
    if (b <= ax.x0 || a >= ax.x1) return false;
    dl->AddRectFilled(ImVec2(a, g.lanes_y0), ImVec2(b, g.lanes_y1), fill);
    return true;
  };
  for (const GroupWindow& w : m.rebalances)
    shade(w, kRebalanceFill);
  for (const GroupWindow& w : m.no_coordinator) {
    if (shade(w, kNoCoordinatorFill))
      labels.put(dl, g, ax.x(w.from.seconds()) + 2, kNoCoordinatorText, "no coordinator");
  }
  // Brokers that took the group over, after the first: on the right of their moment.
  for (size_t k = 1; k < m.coordinators.size(); ++k) {
    const CoordinatorMark& c = m.coordinators[k];
    const float x = ax.x(c.at.seconds());
    if (x < ax.x0 || x > ax.x1) continue;
    const std::string text = "-> " + std::to_string(c.broker);
    labels.put(dl, g, x + 2, theme().group, text);
  }
}

/// Where a member gave a partition up: a red bar (revoked), crossed when it was lost without a
/// commit or its consumer crashed.
void end_mark(ImDrawList* dl, ImVec2 top, ImVec2 bottom, bool crossed) {
  const ImU32 red = theme().fault;
  dl->AddRectFilled(ImVec2(top.x - 2.0f, top.y - 2.0f), ImVec2(top.x + 1.0f, bottom.y + 2.0f), red);
  if (!crossed) return;
  const float h = (bottom.y - top.y) * 0.5f;
  dl->AddLine(ImVec2(top.x - h, top.y), ImVec2(top.x + h, bottom.y), red, 2.0f);
  dl->AddLine(ImVec2(top.x + h, top.y), ImVec2(top.x - h, bottom.y), red, 2.0f);
}

void draw_lane(ImDrawList* dl, const Geometry& g, const GroupModel& m, size_t k) {
  const MemberLane& lane = m.lanes[k];
  const Axis& ax = g.ax;
  const float y = g.bars_y[k];
  if (k % 2 == 1)
    dl->AddRectFilled(ImVec2(g.origin.x, g.lane_y[k]), ImVec2(ax.x1, g.lane_y[k] + g.lane_h[k]),
                      IM_COL32(255, 255, 255, 10));
  const bool leader = lane.client_id == m.leader_client_id;
  dl->AddText(ImVec2(g.origin.x + 2, g.labels_above ? g.lane_y[k] + 1.0f : y),
              ImGui::GetColorU32(leader ? kLeaderText : ImGui::GetStyle().Colors[ImGuiCol_Text]),
              lane.client_id.c_str());
  if (lane.rows.empty())
    small_text(dl, g, ImVec2(ax.x0 + 4, y + 1), IM_COL32(150, 156, 166, 255), "owned nothing yet");
  for (const OwnershipSpan& s : lane.spans) {
    const size_t row = static_cast<size_t>(
        std::lower_bound(lane.rows.begin(), lane.rows.end(), s.tp) - lane.rows.begin());
    const float top = y + static_cast<float>(row) * g.sub_h, bottom = top + g.sub_h - 2.0f;
    const float a = ax.x(s.from.seconds()), b = ax.x(s.to.seconds());
    if (b < ax.x0 || a > ax.x1) continue;
    const float ca = std::max(a, ax.x0), cb = std::min(std::max(b, a + 1.0f), ax.x1);
    dl->AddRectFilled(ImVec2(ca, top), ImVec2(cb, bottom), partition_colour(m, s.tp), 2.0f);
    const std::string full = s.tp.str(), part = std::to_string(s.tp.partition);
    const char* label = small_width(g, full.c_str()) + 6 < cb - ca   ? full.c_str()
                        : small_width(g, part.c_str()) + 4 < cb - ca ? part.c_str()
                                                                     : nullptr;
    if (label != nullptr) small_text(dl, g, ImVec2(ca + 3, top + 1), kBarText, label);
    if (s.end != OwnershipSpan::End::owned && b >= ax.x0 && b <= ax.x1)
      end_mark(dl, ImVec2(b, top), ImVec2(b, bottom), s.end != OwnershipSpan::End::revoked);
  }
}

/// Each generation's label above the lanes (one that would overlap another is left out:
/// hovering its line names it).
void label_generations(ImDrawList* dl, const Geometry& g, const GroupModel& m, LabelRow& labels) {
  for (const GenerationMark& gm : m.generations) {
    const float x = g.ax.x(gm.at.seconds());
    if (x < g.ax.x0 - 1 || x > g.ax.x1 + 1) continue;
    const std::string label = "g" + std::to_string(gm.generation);
    labels.put(dl, g, x - small_width(g, label.c_str()) * 0.5f, kGenerationText, label);
  }
}

/// A dashed line across the lanes at each generation.
void draw_generations(ImDrawList* dl, const Geometry& g, const GroupModel& m) {
  for (const GenerationMark& gm : m.generations) {
    const float x = g.ax.x(gm.at.seconds());
    if (x < g.ax.x0 - 1 || x > g.ax.x1 + 1) continue;
    for (float y = g.lanes_y0 - 2; y < g.lanes_y1; y += 6)
      dl->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 3, g.lanes_y1)), kGenerationLine, 1.2f);
  }
}

sim::Time time_of(double s) {
  return sim::Time::from_ns(static_cast<int64_t>(std::llround(s * 1e9)));
}

std::string window_text(const GroupWindow& w) {
  return at_time(w.from) + " to " + (w.open ? "now" : at_time(w.to)) + " (" +
         seconds((w.to - w.from).seconds()) + ")";
}

/// What the mouse is over: a generation's line, a rebalance, a time without a coordinator, and
/// in a lane the span under it (or what the member owned then).
void hover_details(const Geometry& g, const GroupModel& m, int lane, float mx, float my) {
  const sim::Time t = time_of(g.ax.t(mx));
  const float px = 3.0f;  // how near a line or a narrow window counts as over it
  for (const GenerationMark& gm : m.generations) {
    if (std::fabs(g.ax.x(gm.at.seconds()) - mx) > px) continue;
    ImGui::Separator();
    ImGui::Text("generation %d, first assignment at %s", gm.generation, at_time(gm.at).c_str());
    for (const MemberLane& l : m.lanes)
      ImGui::TextDisabled("  %s owned %s", l.client_id.c_str(),
                          partition_list(l.owned_at(gm.at)).c_str());
  }
  for (const GroupWindow& w : m.rebalances) {
    if (mx < g.ax.x(w.from.seconds()) - px ||
        mx > std::max(g.ax.x(w.to.seconds()), g.ax.x(w.from.seconds()) + 2) + px)
      continue;
    ImGui::Separator();
    ImGui::TextColored(kWarnText, "rebalance %s", window_text(w).c_str());
    ImGui::TextDisabled("PreparingRebalance until Stable at the coordinator; click to zoom in");
  }
  for (const GroupWindow& w : m.no_coordinator) {
    if (t < w.from || (!w.open && t > w.to)) continue;
    ImGui::Separator();
    ImGui::TextColored(kBadText, "no coordinator %s", window_text(w).c_str());
    std::string next;
    for (const CoordinatorMark& c : m.coordinators)
      if (next.empty() && c.at >= w.to && !w.open) next = std::to_string(c.broker);
    ImGui::TextDisabled("broker %d crashed%s", w.broker,
                        next.empty() ? "" : ("; broker " + next + " loaded the group").c_str());
  }
  if (lane < 0) return;
  const MemberLane& l = m.lanes[static_cast<size_t>(lane)];
  const float y = g.bars_y[static_cast<size_t>(lane)];
  const auto row = static_cast<size_t>(std::max(0.0f, (my - y) / g.sub_h));
  ImGui::Separator();
  for (const OwnershipSpan& s : l.spans) {
    if (row >= l.rows.size() || s.tp != l.rows[row] || t < s.from ||
        (t > s.to && mx > g.ax.x(s.to.seconds()) + px))
      continue;
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(partition_colour(m, s.tp)), "%s",
                       s.tp.str().c_str());
    ImGui::Text("%s owned it from %s (generation %d)", l.client_id.c_str(), at_time(s.from).c_str(),
                s.generation);
    if (s.end == OwnershipSpan::End::owned)
      ImGui::Text("and still does (%s so far)", seconds((s.to - s.from).seconds()).c_str());
    else
      ImGui::TextColored(kBadText, "to %s: %s%s (%s)", at_time(s.to).c_str(), span_end_name(s.end),
                         s.end_generation >= 0
                             ? (" in generation " + std::to_string(s.end_generation)).c_str()
                             : "",
                         seconds((s.to - s.from).seconds()).c_str());
    return;
  }
  ImGui::Text("%s owned %s", l.client_id.c_str(), partition_list(l.owned_at(t)).c_str());
}

void hover(const Geometry& g, const GroupModel& m) {
  if (!ImGui::IsItemHovered() || ImGui::IsMouseDragging(ImGuiMouseButton_Left)) return;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int lane = -1;
  for (size_t k = 0; k < g.lane_y.size(); ++k) {
    if (mouse.y >= g.lane_y[k] && mouse.y < g.lane_y[k] + g.lane_h[k]) lane = static_cast<int>(k);
  }
  if (mouse.x < g.ax.x0) {
    if (lane < 0) return;
    const MemberLane& l = m.lanes[static_cast<size_t>(lane)];
    ImGui::SetTooltip("%s: %zu partitions owned over the run, %zu crashes", l.client_id.c_str(),
                      l.rows.size(), l.crashes.size());
    return;
  }
  const float mx = std::min(mouse.x, g.ax.x1);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(mx, g.lanes_y0), ImVec2(mx, g.lanes_y1),
                                      IM_COL32(255, 255, 255, 90));
  ImGui::BeginTooltip();
  ImGui::Text("at %s", at_time(time_of(g.ax.t(mx))).c_str());
  hover_details(g, m, lane, mx, mouse.y);
  ImGui::EndTooltip();
}

/// One legend entry: a swatch drawn by `draw` in a box of the text's height, then the text.
template <typename Draw>
void legend_item(const char* text, Draw draw, bool first = false) {
  const float h = ImGui::GetTextLineHeight();
  const float w = h + ImGui::CalcTextSize(text).x + 4.0f;
  if (!first) same_line_if(w + ImGui::GetStyle().ItemSpacing.x);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  draw(ImGui::GetWindowDrawList(), p, h);
  ImGui::Dummy(ImVec2(h, h));
  ImGui::SameLine(0, 4.0f);
  ImGui::TextDisabled("%s", text);
}

void legend() {
  legend_item(
      "revoked",
      [](ImDrawList* dl, ImVec2 p, float h) {
        dl->AddRectFilled(ImVec2(p.x, p.y + h * 0.25f), ImVec2(p.x + h * 0.55f, p.y + h * 0.75f),
                          kPartitionColours[0], 2.0f);
        end_mark(dl, ImVec2(p.x + h * 0.55f, p.y + h * 0.25f),
                 ImVec2(p.x + h * 0.55f, p.y + h * 0.75f), false);
      },
      true);
  legend_item("lost, crashed", [](ImDrawList* dl, ImVec2 p, float h) {
    end_mark(dl, ImVec2(p.x + h * 0.5f, p.y + h * 0.25f), ImVec2(p.x + h * 0.5f, p.y + h * 0.75f),
             true);
  });
  legend_item("rebalance", [](ImDrawList* dl, ImVec2 p, float h) {
    dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h, p.y + h - 2),
                      IM_COL32(236, 178, 46, 110));
  });
  legend_item("no coordinator", [](ImDrawList* dl, ImVec2 p, float h) {
    dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h, p.y + h - 2),
                      IM_COL32(242, 115, 115, 100));
  });
  legend_item("generation", [](ImDrawList* dl, ImVec2 p, float h) {
    for (float y = p.y + 1; y < p.y + h - 1; y += 6)
      dl->AddLine(ImVec2(p.x + h * 0.5f, y), ImVec2(p.x + h * 0.5f, std::min(y + 3, p.y + h - 1)),
                  kGenerationText, 1.2f);
  });
}

void timeline(const GroupModel& m, GroupsPanel::View& view) {
  if (m.lanes.empty()) {
    ImGui::TextDisabled("no consumer of this group runs in the simulation");
    return;
  }
  Geometry g = measure(m);
  place_window(view, m, g.ax);
  ImGui::InvisibleButton("##timeline", ImVec2(g.width, g.height));
  if (ImGui::IsItemHovered()) ImGui::SetItemUsingMouseWheel();
  zoom(view, m, g);
  place_window(view, m, g.ax);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(g.origin, ImVec2(g.origin.x + g.width, g.origin.y + g.height), true);
  dl->AddRectFilled(ImVec2(g.ax.x0, g.lanes_y0), ImVec2(g.ax.x1, g.lanes_y1),
                    IM_COL32(0, 0, 0, 40));
  LabelRow labels;
  label_generations(dl, g, m, labels);  // first: they matter most
  draw_windows(dl, g, m, labels);
  draw_axis(dl, g);
  for (size_t k = 0; k < m.lanes.size(); ++k)
    draw_lane(dl, g, m, k);
  draw_generations(dl, g, m);
  dl->PopClipRect();
  hover(g, m);
  if (view.zoomed) {
    ImGui::TextDisabled("%s to %s of %s: wheel to zoom, drag to move, double-click for all",
                        at_time(time_of(view.t0)).c_str(), at_time(time_of(view.t1)).c_str(),
                        at_time(m.now).c_str());
  } else {
    legend();
  }
}

}  // namespace

// [SECTION] panel ------------------------------------------------------------------------------

void GroupsPanel::draw_contents(AppState& app) {
  const std::vector<std::string> ids = group_ids(app.world);
  if (ids.empty()) {
    ImGui::TextWrapped(
        "No consumer group in this simulation. A [[consumer]] with group = \"...\" "
        "joins one, and this tab then shows the group's members, partitions, "
        "committed offsets and rebalances.");
    return;
  }
  trace_.update(std::span<const sim::TraceRecord>(app.log().data(), app.log_now()), app.rewinds());
  const GroupModel m = group_model(app.world, pick_group(ids, group), trace_.records());
  header(m);
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("Rebalance timeline", ImGuiTreeNodeFlags_DefaultOpen))
    timeline(m, view_);
  const std::string members = "Members (" + std::to_string(m.members.size()) + ")###members";
  if (ImGui::CollapsingHeader(members.c_str(), ImGuiTreeNodeFlags_DefaultOpen))
    members_table(app, m);
  const std::string parts = "Partitions (" + std::to_string(m.partitions.size()) + ")###parts";
  if (ImGui::CollapsingHeader(parts.c_str(), ImGuiTreeNodeFlags_DefaultOpen))
    partitions_table(app, m);
}

}  // namespace kafkasim::gui
