#include "panels/partition_panel.h"

#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "layout_probe.h"
#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {
void help(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

/// Every partition the controller knows, in topic then partition order ("orders-0").
std::vector<std::string> partition_names(const kafka::MetadataImage& img) {
  std::vector<std::string> out;
  for (const kafka::TopicImage& t : img.topics())
    for (size_t p = 0; p < t.partitions.size(); ++p)
      out.push_back(t.name + "-" + std::to_string(p));
  return out;
}

void table_headers(int cols) {
  const char* tips[] = {"TOPIC-N: a partition; click a row to see its replicas' logs below",
                        "assignment order; the first is the preferred leader",
                        "the broker that takes writes; -1: offline",
                        "in-sync replicas: they have every committed record",
                        "bumps on every leader change; fences stale leaders",
                        "bumps on every change of the partition record"};
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c < cols; ++c) {
    ImGui::TableSetColumnIndex(c);
    ImGui::TableHeader(ImGui::TableGetColumnName(c));
    if (probe::recording())
      probe::item("partitions", std::string("the header ") + ImGui::TableGetColumnName(c));
    if (c < 6)
      help(tips[c]);
    else
      help(
          "what this broker believes: the leader and epoch in its own metadata (possibly "
          "behind the controller's), then its replica's log: LEO (log end offset, the next "
          "offset it will write) / HW (high watermark: consumers read below it)");
  }
}

/// Broker `b`'s own view of partition `name` (leader, epoch, then its log's LEO / HW).
void broker_view_cell(const world::World& w, int32_t b, const std::string& name,
                      const kafka::PartitionRegistration& part) {
  const kafka::MetadataImage* view = broker_view(w, b);
  const auto tp = world::find_partition(view, name);
  if (!tp) {
    ImGui::TextDisabled("-");
    return;
  }
  const kafka::PartitionRegistration& mine = *view->partition(*tp);
  const bool stale = mine.leader != part.leader || mine.leader_epoch != part.leader_epoch;
  const ImVec4 colour = stale ? ImVec4(0.93f, 0.70f, 0.18f, 1) : ImVec4(0.6f, 0.65f, 0.7f, 1);
  ImGui::TextColored(colour, "%d (e%d)", mine.leader, mine.leader_epoch);
  if (stale) help("this broker has not caught up with the controller yet");
  const auto split = world::split_partition_name(name);
  const auto* replica =
      hosted_replica(w, b, kafka::TopicPartitionName{split->first, split->second});
  if (replica == nullptr || !part.is_replica(b)) return;
  const kafka::Offset leo = replica->log.log_end_offset();
  const kafka::Offset hw = replica->log.high_watermark();
  ImGui::SameLine();
  const bool behind = part.has_leader() && part.leader != b && !part.in_isr(b);
  ImGui::TextColored(behind ? ImVec4(0.95f, 0.4f, 0.4f, 1) : ImVec4(0.85f, 0.88f, 0.92f, 1),
                     "%lld / %lld", static_cast<long long>(leo), static_cast<long long>(hw));
  if (behind) help("out of the ISR: this replica is catching up by fetching from the leader");
}

}  // namespace

void PartitionPanel::draw_table(AppState& app, const kafka::MetadataImage& img,
                                const std::string& shown) {
  const world::World& w = app.world;
  std::vector<int32_t> brokers;
  for (const auto& n : w.nodes()) {
    if (broker_view(w, n.id) != nullptr) brokers.push_back(n.id);
  }
  const std::vector<std::string> names = partition_names(img);
  const int cols = 6 + static_cast<int>(brokers.size());
  // At most kTableRowsShown rows; more scroll, so the replica logs keep their room.
  const float row_h =
      row_h_ > 0.0f ? row_h_ : ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y + 1;
  const float header_h = header_h_ > 0.0f ? header_h_ : row_h;
  const int rows = std::min<int>(static_cast<int>(names.size()), kTableRowsShown);
  // Room for the horizontal scroll bar too: the columns keep their widths and scroll sideways
  // (the partition's name stays) rather than shrinking to a letter.
  const ImVec2 size(
      0, header_h + row_h * static_cast<float>(rows) + 4 + ImGui::GetStyle().ScrollbarSize);
  float header_y = 0, first_y = 0;
  if (!ImGui::BeginTable("parts", cols,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                             ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY |
                             ImGuiTableFlags_ScrollX,
                         size)) {
    return;
  }
  ImGui::TableSetupColumn("partition");
  ImGui::TableSetupColumn("replicas");
  ImGui::TableSetupColumn("leader");
  ImGui::TableSetupColumn("ISR");
  ImGui::TableSetupColumn("leader epoch");
  ImGui::TableSetupColumn("partition epoch");
  for (int32_t b : brokers)
    ImGui::TableSetupColumn(("view of " + std::to_string(b)).c_str());
  header_y = ImGui::GetCursorScreenPos().y;
  table_headers(cols);
  int row = 0;
  for (const std::string& name : names) {
    const kafka::PartitionRegistration& part = *img.partition(*world::find_partition(&img, name));
    ImGui::TableNextRow();
    // The rows' heights as drawn, for the next frame's size.
    const float y = ImGui::GetCursorScreenPos().y;
    if (row == 0) {
      first_y = y;
      header_h_ = y - header_y;
    } else if (row == 1) {
      row_h_ = y - first_y;
    }
    ++row;
    ImGui::TableSetColumnIndex(0);
    const ImVec2 at = ImGui::GetCursorScreenPos();  // where the name is written
    if (ImGui::Selectable(name.c_str(), name == shown, ImGuiSelectableFlags_SpanAllColumns))
      app.selected.partition = name;
    if (probe::recording()) {
      const ImVec2 size = ImGui::CalcTextSize(name.c_str());
      probe::drawn("partitions", "the name " + name, at, ImVec2(at.x + size.x, at.y + size.y));
    }
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(kafka::to_string(part.replicas).c_str());
    if (probe::recording()) probe::item("partitions", "the replicas of " + name);
    ImGui::TableSetColumnIndex(2);
    if (part.has_leader()) {
      ImGui::Text("%d", part.leader);
    } else {
      ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.4f, 1), "offline");
    }
    ImGui::TableSetColumnIndex(3);
    ImGui::TextUnformatted(kafka::to_string(part.isr).c_str());
    if (probe::recording()) probe::item("partitions", "the ISR of " + name);
    ImGui::TableSetColumnIndex(4);
    ImGui::Text("%d", part.leader_epoch);
    ImGui::TableSetColumnIndex(5);
    ImGui::Text("%d", part.partition_epoch);
    for (size_t c = 0; c < brokers.size(); ++c) {
      ImGui::TableSetColumnIndex(6 + static_cast<int>(c));
      broker_view_cell(w, brokers[c], name, part);
    }
  }
  ImGui::EndTable();
}

void PartitionPanel::draw_contents(AppState& app) {
  const kafka::MetadataImage* img = world::cluster_image(app.world);
  if (img == nullptr || img->topics().empty()) {
    ImGui::TextDisabled("No topics yet (the controller creates them once brokers are up).");
    return;
  }
  // The selected partition, or the first one while none (or an unknown one) is selected.
  // A topic's name (--select orders) opens the overview of every partition of that topic.
  std::string shown = app.selected.partition;
  if (!world::find_partition(img, shown) && img->topic(shown) != nullptr &&
      !img->topic(shown)->partitions.empty()) {
    logs.whole_topic = true;
    shown = app.selected.partition = shown + "-0";
  }
  if (!world::find_partition(img, shown)) shown = partition_names(*img).front();
  draw_table(app, *img, shown);
  ImGui::Separator();
  logs.draw(app, *img, shown);
  wanted_height = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
}

}  // namespace kafkasim::gui
