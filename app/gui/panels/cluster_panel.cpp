#include "panels/cluster_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "theme.h"

namespace kafkasim::gui {

namespace {

using namespace sim::literals;

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) {
  return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
}

void node_menu(AppState& app, const world::World::Node& n) {
  ImGui::Text("%s: %s", n.name.c_str(), world::node_status_name(n.status));
  ImGui::Separator();
  const bool down =
      n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off;
  if (!down) {
    if (ImGui::MenuItem("Crash (kill -9)")) app.submit(world::Crash{n.id});
    if (ImGui::MenuItem("Power off")) app.submit(world::PowerLoss{n.id});
    if (ImGui::MenuItem("Pause 3s (GC pause)", nullptr, false,
                        n.status == world::NodeStatus::running)) {
      app.submit(world::Pause{n.id, 3_s});
    }
    if (ImGui::MenuItem("Isolate")) app.submit(world::Isolate{n.id});
  } else if (ImGui::MenuItem("Restart")) {
    app.submit(world::Restart{n.id});
  }
}

}  // namespace

void ClusterPanel::draw(AppState& app) {
  if (!show) return;
  ImGui::Begin("Cluster", &show, ImGuiWindowFlags_NoCollapse);
  const world::World& w = app.world;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 centre(origin.x + avail.x * 0.5f, origin.y + avail.y * 0.5f);
  const float radius = std::max(40.0f, std::min(avail.x, avail.y) * 0.36f);
  const float node_r = std::clamp(radius * 0.16f, 14.0f, 42.0f);
  const size_t n = w.nodes().size();

  std::vector<ImVec2> pos(n);
  for (size_t i = 0; i < n; ++i) {
    const float a = -1.5707963f + 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
    pos[i] = ImVec2(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
  }

  // Links: only when there are few nodes (a full mesh of 100 is noise).
  const net::Network& net = w.network();
  if (n <= 16) {
    for (net::NodeIndex a = 0; a < n; ++a) {
      for (net::NodeIndex b = a + 1; b < n; ++b) {
        if (net.cut(a, b)) {
          dl->AddLine(pos[a], pos[b], IM_COL32(224, 82, 82, 150), 1.5f);
          const ImVec2 m = lerp(pos[a], pos[b], 0.5f);
          dl->AddLine(ImVec2(m.x - 6, m.y - 6), ImVec2(m.x + 6, m.y + 6),
                      IM_COL32(224, 82, 82, 255), 2.5f);
          dl->AddLine(ImVec2(m.x - 6, m.y + 6), ImVec2(m.x + 6, m.y - 6),
                      IM_COL32(224, 82, 82, 255), 2.5f);
        } else {
          const bool slow = net.link(a, b).latency > w.config().link.latency;
          dl->AddLine(pos[a], pos[b],
                      slow ? IM_COL32(236, 178, 46, 170) : IM_COL32(90, 100, 115, 110),
                      slow ? 3.0f : 1.0f);
          if (slow) {
            const ImVec2 m = lerp(pos[a], pos[b], 0.5f);
            dl->AddText(m, IM_COL32(236, 178, 46, 255),
                        sim::to_string(net.link(a, b).latency).c_str());
          }
        }
      }
    }
  }

  // Messages in flight, where they are now between sent_at and deliver_at.
  const sim::Time now = w.now();
  for (const net::Envelope& e : net.slots()) {
    if (!e.live) continue;
    const double span = static_cast<double>((e.deliver_at - e.sent_at).ns());
    const float t = span <= 0 ? 1.0f : static_cast<float>((now - e.sent_at).ns() / span);
    dl->AddCircleFilled(lerp(pos[e.src], pos[e.dst], std::clamp(t, 0.0f, 1.0f)), 4.0f,
                        message_colour(e.kind));
  }

  // Nodes.
  for (size_t i = 0; i < n; ++i) {
    const world::World::Node& node = w.node(static_cast<net::NodeIndex>(i));
    const ImU32 fill = status_colour(node.status);
    dl->AddCircleFilled(pos[i], node_r, IM_COL32(20, 24, 30, 255));
    dl->AddCircle(pos[i], node_r, fill, 0, 3.0f);
    if (static_cast<int>(i) == app.selected_node)
      dl->AddCircle(pos[i], node_r + 5, IM_COL32_WHITE, 0, 1.5f);
    const std::string id = std::to_string(node.id);
    const ImVec2 ts = ImGui::CalcTextSize(id.c_str());
    dl->AddText(ImVec2(pos[i].x - ts.x * 0.5f, pos[i].y - ts.y * 0.5f), fill, id.c_str());
    if (node.status != world::NodeStatus::running) {
      const char* st = world::node_status_name(node.status);
      const ImVec2 ss = ImGui::CalcTextSize(st);
      dl->AddText(ImVec2(pos[i].x - ss.x * 0.5f, pos[i].y + node_r + 4), fill, st);
    }
    ImGui::SetCursorScreenPos(ImVec2(pos[i].x - node_r, pos[i].y - node_r));
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("node", ImVec2(node_r * 2, node_r * 2));
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left) ||
        ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
      app.selected_node = static_cast<int>(i);
      ImGui::OpenPopup("node_menu");
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s (%s): click for faults", node.name.c_str(),
                        world::node_status_name(node.status));
    if (ImGui::BeginPopup("node_menu")) {
      node_menu(app, node);
      ImGui::EndPopup();
    }
    ImGui::PopID();
  }

  // Legend.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y));
  for (auto s : {world::NodeStatus::running, world::NodeStatus::paused, world::NodeStatus::crashed,
                 world::NodeStatus::powered_off}) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(status_colour(s)), "%s",
                       world::node_status_name(s));
  }
  // The latest narration, so a class sees the story next to the picture.
  const auto& recs = w.trace().records();
  for (size_t k = recs.size(), scanned = 0; k > 0 && scanned < 4096; --k, ++scanned) {
    if (recs[k - 1].kind == sim::TraceKind::note && recs[k - 1].node == sim::kNoNode) {
      ImGui::SetCursorScreenPos(ImVec2(origin.x + avail.x * 0.22f, origin.y));
      ImGui::PushTextWrapPos(origin.x + avail.x);
      ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f), "%s", recs[k - 1].reason.c_str());
      ImGui::PopTextWrapPos();
      break;
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + 5 * ImGui::GetTextLineHeightWithSpacing()));
  ImGui::Text("%zu in flight",
              static_cast<size_t>(std::count_if(net.slots().begin(), net.slots().end(),
                                                [](const net::Envelope& e) { return e.live; })));
  ImGui::End();
}

}  // namespace kafkasim::gui
