#include "panels/partition_panel.h"

#include <imgui.h>

#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {
void help(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}
}  // namespace

void PartitionPanel::draw(AppState& app) {
  if (!show) return;
  ImGui::Begin("Partitions", &show, ImGuiWindowFlags_NoCollapse);
  draw_contents(app);
  ImGui::End();
}

void PartitionPanel::draw_contents(AppState& app) {
  const world::World& w = app.world;
  const kafka::MetadataImage* img = world::cluster_image(w);
  if (img == nullptr || img->topics().empty()) {
    ImGui::TextDisabled("No topics yet (the controller creates them once brokers are up).");
    return;
  }
  std::vector<int32_t> brokers;
  for (const auto& n : w.nodes()) {
    if (broker_view(w, n.id) != nullptr) brokers.push_back(n.id);
  }
  const int cols = 6 + static_cast<int>(brokers.size());
  if (ImGui::BeginTable(
          "parts", cols,
          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("partition");
    ImGui::TableSetupColumn("replicas");
    ImGui::TableSetupColumn("leader");
    ImGui::TableSetupColumn("ISR");
    ImGui::TableSetupColumn("leader epoch");
    ImGui::TableSetupColumn("partition epoch");
    for (int32_t b : brokers)
      ImGui::TableSetupColumn(("view of " + std::to_string(b)).c_str());
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    const char* tips[] = {"TOPIC-N: a partition",
                          "assignment order; the first is the preferred leader",
                          "the broker that takes writes; -1: offline",
                          "in-sync replicas: they have every committed record",
                          "bumps on every leader change; fences stale leaders",
                          "bumps on every change of the partition record"};
    for (int c = 0; c < cols; ++c) {
      ImGui::TableSetColumnIndex(c);
      ImGui::TableHeader(ImGui::TableGetColumnName(c));
      if (c < 6)
        help(tips[c]);
      else
        help(
            "what this broker believes: the leader and epoch in its own metadata (possibly "
            "behind the controller's), then its replica's log: LEO (log end offset, the next "
            "offset it will write) / HW (high watermark: consumers read below it)");
    }
    for (const kafka::TopicImage& t : img->topics()) {
      for (size_t p = 0; p < t.partitions.size(); ++p) {
        const kafka::PartitionRegistration& part = t.partitions[p];
        const std::string name = t.name + "-" + std::to_string(p);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(name.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(kafka::to_string(part.replicas).c_str());
        ImGui::TableSetColumnIndex(2);
        if (part.has_leader()) {
          ImGui::Text("%d", part.leader);
        } else {
          ImGui::TextColored(ImVec4(0.95f, 0.4f, 0.4f, 1), "offline");
        }
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(kafka::to_string(part.isr).c_str());
        ImGui::TableSetColumnIndex(4);
        ImGui::Text("%d", part.leader_epoch);
        ImGui::TableSetColumnIndex(5);
        ImGui::Text("%d", part.partition_epoch);
        for (size_t c = 0; c < brokers.size(); ++c) {
          ImGui::TableSetColumnIndex(6 + static_cast<int>(c));
          const kafka::MetadataImage* view = broker_view(w, brokers[c]);
          const auto tp = world::find_partition(view, name);
          if (!tp) {
            ImGui::TextDisabled("-");
            continue;
          }
          const kafka::PartitionRegistration& mine = *view->partition(*tp);
          const bool stale = mine.leader != part.leader || mine.leader_epoch != part.leader_epoch;
          const ImVec4 colour =
              stale ? ImVec4(0.93f, 0.70f, 0.18f, 1) : ImVec4(0.6f, 0.65f, 0.7f, 1);
          ImGui::TextColored(colour, "%d (e%d)", mine.leader, mine.leader_epoch);
          if (stale) help("this broker has not caught up with the controller yet");
          const auto* replica = hosted_replica(
              w, brokers[c], kafka::TopicPartitionName{t.name, static_cast<int32_t>(p)});
          if (replica == nullptr || !part.is_replica(brokers[c])) continue;
          const kafka::Offset leo = replica->log.log_end_offset();
          const kafka::Offset hw = replica->log.high_watermark();
          ImGui::SameLine();
          const bool behind =
              part.has_leader() && part.leader != brokers[c] && !part.in_isr(brokers[c]);
          ImGui::TextColored(behind ? ImVec4(0.95f, 0.4f, 0.4f, 1) : ImVec4(0.85f, 0.88f, 0.92f, 1),
                             "%lld / %lld", static_cast<long long>(leo),
                             static_cast<long long>(hw));
          if (behind)
            help("out of the ISR: this replica is catching up by fetching from the leader");
        }
      }
    }
    ImGui::EndTable();
  }
}

}  // namespace kafkasim::gui
