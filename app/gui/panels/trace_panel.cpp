#include "panels/trace_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "theme.h"
#include "world/cluster.h"

namespace kafkasim::gui {

namespace {

const char* const kFamilyNames[] = {
    "every kind",          "faults",  "leaders & elections", "ISR",
    "controller & quorum", "network", "admin & configs",     "narration"};

LogFamily family_of(sim::TraceKind k) {
  using K = sim::TraceKind;
  switch (k) {
    case K::node_crash:
    case K::node_power_loss:
    case K::node_restart:
    case K::node_pause:
    case K::node_resume:
    case K::node_start:
    case K::demo_suspect:
    case K::demo_recover:
      return LogFamily::faults;
    case K::leader_change:
    case K::raft_election:
    case K::raft_vote:
    case K::raft_leader:
    case K::raft_follower:
    case K::raft_resign:
      return LogFamily::leadership;
    case K::isr_change:
    case K::raft_truncate:
      return LogFamily::isr;
    case K::controller_active:
    case K::controller_inactive:
    case K::broker_registered:
    case K::broker_fenced:
    case K::broker_unfenced:
    case K::broker_shutdown:
      return LogFamily::controller;
    case K::link_cut:
    case K::link_restore:
    case K::link_change:
    case K::message_lost:
    case K::disconnect:
      return LogFamily::network;
    case K::topic_created:
    case K::partitions_added:
    case K::reassignment:
    case K::config_change:
    case K::admin_error:
      return LogFamily::admin;
    case K::narration:
      return LogFamily::narration;
    default:
      return LogFamily::all;
  }
}

/// `text` names `partition` ("orders-1" but not inside "orders-10").
bool mentions(std::string_view text, std::string_view partition) {
  for (size_t at = text.find(partition); at != std::string_view::npos;
       at = text.find(partition, at + 1)) {
    const size_t after = at + partition.size();
    const bool left_ok = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) ||
                                      text[at - 1] == '-' || text[at - 1] == '_');
    const bool right_ok =
        after >= text.size() || !std::isdigit(static_cast<unsigned char>(text[after]));
    if (left_ok && right_ok) return true;
  }
  return false;
}

}  // namespace

void TracePanel::refilter(const AppState& app) {
  const auto& log = app.log();
  const std::string sig = std::string(filter) + '\x1f' + std::to_string(node) + '\x1f' + partition +
                          '\x1f' + std::to_string(static_cast<int>(family));
  if (sig != signature_) {
    signature_ = sig;
    shown_.clear();
    scanned_ = 0;
  }
  // A fork dropped records that were ahead of now.
  while (!shown_.empty() && shown_.back() >= log.size())
    shown_.pop_back();
  scanned_ = std::min(scanned_, log.size());
  const std::string_view words = filter;
  for (; scanned_ < log.size(); ++scanned_) {
    const sim::TraceRecord& r = log[scanned_];
    if (node >= 0 && r.node != node) continue;
    if (family != LogFamily::all && family_of(r.kind) != family) continue;
    if (!partition.empty() && !mentions(r.reason, partition)) continue;
    if (!words.empty() && r.reason.find(words) == std::string::npos &&
        sim::trace_kind_name(r.kind).find(words) == std::string_view::npos &&
        !(r.node >= 0 && std::to_string(r.node) == words)) {
      continue;
    }
    shown_.push_back(static_cast<uint32_t>(scanned_));
  }
}

void TracePanel::draw_contents(AppState& app) {
  const world::World& w = app.world;

  // Filters: node, partition, kind, words.
  ImGui::SetNextItemWidth(150);
  const std::string node_label = node < 0 ? "every node" : w.name_of(node);
  if (ImGui::BeginCombo("##node", node_label.c_str())) {
    if (ImGui::Selectable("every node", node < 0)) node = -1;
    for (const auto& n : w.nodes())
      if (ImGui::Selectable(n.name.c_str(), node == n.id)) node = n.id;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("##partition", partition.empty() ? "every partition" : partition.c_str())) {
    if (ImGui::Selectable("every partition", partition.empty())) partition.clear();
    if (const kafka::MetadataImage* img = world::cluster_image(w)) {
      for (const kafka::TopicImage& topic : img->topics()) {
        for (int32_t p = 0; p < static_cast<int32_t>(topic.partitions.size()); ++p) {
          const std::string tp = topic.name + "-" + std::to_string(p);
          if (ImGui::Selectable(tp.c_str(), partition == tp)) partition = tp;
        }
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  int fam = static_cast<int>(family);
  if (ImGui::Combo("##kind", &fam, kFamilyNames, IM_ARRAYSIZE(kFamilyNames)))
    family = static_cast<LogFamily>(fam);
  ImGui::SetNextItemWidth(-80);
  ImGui::InputTextWithHint("##filter", "words (reason, kind or node id)", filter, sizeof filter);
  ImGui::SameLine();
  ImGui::Checkbox("follow", &follow);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep the present line in view");

  refilter(app);
  const auto& log = app.log();
  const size_t now = app.log_now();
  ImGui::BeginChild("lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float name_x = ImGui::CalcTextSize("000.000000s  ").x;
  float widest = ImGui::CalcTextSize("controller 000").x;
  for (const auto& n : w.nodes())
    widest = std::max(widest, ImGui::CalcTextSize(n.name.c_str()).x);
  const float reason_x = name_x + widest + ImGui::CalcTextSize("  ").x;
  // The present: the last shown line that has happened.
  const auto present_it =
      std::lower_bound(shown_.begin(), shown_.end(), static_cast<uint32_t>(now));
  const int present = static_cast<int>(present_it - shown_.begin()) - 1;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(shown_.size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const uint32_t i = shown_[static_cast<size_t>(row)];
      const sim::TraceRecord& r = log[i];
      const bool ahead = i >= now;
      ImGui::PushID(row);
      if (ImGui::Selectable("##line", row == present, ImGuiSelectableFlags_AllowItemOverlap)) {
        app.playing = false;
        app.goto_event(r.event);
        follow = false;
      }
      if (ImGui::IsItemHovered()) {
        // The whole reason, wrapped: the column cuts long ones at the panel's edge.
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
        ImGui::TextUnformatted(r.reason.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TextDisabled(
            "%s, %s, event %llu%s: click to go there", sim::format_clock(r.at).c_str(),
            r.node < 0 ? "-" : w.name_of(r.node).c_str(), static_cast<unsigned long long>(r.event),
            ahead ? " (ahead of now)" : "");
        ImGui::EndTooltip();
      }
      ImGui::SameLine(0, 0);
      if (ahead) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
      ImGui::TextDisabled("%s", sim::format_clock(r.at).c_str());
      ImGui::SameLine(name_x);
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(trace_colour(r.kind)), "%s",
                         r.node < 0 ? "-" : w.name_of(r.node).c_str());
      ImGui::SameLine(reason_x);
      ImGui::TextUnformatted(r.reason.c_str());
      if (ahead) ImGui::PopStyleVar();
      ImGui::PopID();
    }
  }
  if (follow && now != last_now_) scroll_frames = 2;  // layout settles over two frames
  last_now_ = now;
  if (scroll_frames > 0 && present >= 0) {
    const float line = ImGui::GetTextLineHeightWithSpacing();
    ImGui::SetScrollY(
        std::max(0.0f, line * static_cast<float>(present + 1) - ImGui::GetWindowHeight() + line));
    --scroll_frames;
  }
  ImGui::EndChild();
}

}  // namespace kafkasim::gui
