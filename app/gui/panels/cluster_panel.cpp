#include "panels/cluster_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "theme.h"
#include "world/cluster.h"
#include "world_view.h"

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
    if (n.role != "demo" && ImGui::MenuItem("Controlled shutdown", nullptr, false,
                                            n.status == world::NodeStatus::running)) {
      app.submit(world::Shutdown{n.id});
    }
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
  // Captions hang below each node (its role, then a line per replica): room for them under
  // the ring, so the bottom node's stay inside the window.
  const float below = ImGui::GetTextLineHeight() * 2.5f;
  const ImVec2 centre(origin.x + avail.x * 0.5f, origin.y + (avail.y - below) * 0.5f);
  const float radius = std::max(40.0f, std::min(avail.x, avail.y - below) * 0.33f);
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

  // Nodes, with their role and, for brokers, the replicas they hold as the cluster sees them.
  const kafka::MetadataImage* img = world::cluster_image(w);
  for (size_t i = 0; i < n; ++i) {
    const world::World::Node& node = w.node(static_cast<net::NodeIndex>(i));
    const NodeInfo info = node_info(w, static_cast<net::NodeIndex>(i));
    const bool down =
        node.status != world::NodeStatus::running && node.status != world::NodeStatus::paused;
    ImU32 fill = status_colour(node.status);
    if (!down && info.fenced) fill = IM_COL32(160, 120, 220, 255);
    dl->AddCircleFilled(pos[i], node_r, IM_COL32(20, 24, 30, 255));
    dl->AddCircle(pos[i], node_r, fill, 0, 3.0f);
    if (info.active_controller || info.quorum_leader) {
      dl->AddCircle(pos[i], node_r + 4, IM_COL32(246, 196, 68, 255), 0, 2.5f);
    }
    if (static_cast<int>(i) == app.selected.node)
      dl->AddCircle(pos[i], node_r + 8, IM_COL32_WHITE, 0, 1.5f);
    const std::string id = std::to_string(node.id);
    const ImVec2 ts = ImGui::CalcTextSize(id.c_str());
    dl->AddText(ImVec2(pos[i].x - ts.x * 0.5f, pos[i].y - ts.y * 0.5f), fill, id.c_str());
    // Clients go by their client id ("producer checkout"); servers by their role.
    std::string caption = node.role == "demo"                                  ? ""
                          : node.role == "producer" || node.role == "consumer" ? node.name
                                                                               : node.role;
    if (node.status != world::NodeStatus::running) {
      caption += (caption.empty() ? "" : ", ") + std::string(world::node_status_name(node.status));
    } else if (!info.detail.empty()) {
      caption += (caption.empty() ? "" : ", ") + info.detail;
    }
    float y = pos[i].y + node_r + 6;
    if (!caption.empty()) {
      const ImVec2 cs = ImGui::CalcTextSize(caption.c_str());
      const ImU32 col =
          info.active_controller || info.quorum_leader ? IM_COL32(246, 196, 68, 255) : fill;
      dl->AddText(ImVec2(pos[i].x - cs.x * 0.5f, y), col, caption.c_str());
      y += cs.y;
    }
    if (img != nullptr && (node.role == "broker" || node.role == "combined")) {
      for (const ReplicaOnBroker& r : replicas_on(*img, node.id)) {
        const char* what = r.role == ReplicaRole::leader        ? "leader"
                           : r.role == ReplicaRole::in_sync     ? "in sync"
                           : r.role == ReplicaRole::out_of_sync ? "out of sync"
                                                                : "offline";
        const ImU32 col = r.role == ReplicaRole::leader        ? IM_COL32(246, 196, 68, 255)
                          : r.role == ReplicaRole::in_sync     ? IM_COL32(72, 187, 120, 255)
                          : r.role == ReplicaRole::out_of_sync ? IM_COL32(237, 137, 54, 255)
                                                               : IM_COL32(120, 120, 130, 255);
        const std::string line = r.partition + " " + what;
        const ImVec2 ls = ImGui::CalcTextSize(line.c_str());
        dl->AddText(ImVec2(pos[i].x - ls.x * 0.5f, y), col, line.c_str());
        y += ls.y;
      }
    }
    ImGui::SetCursorScreenPos(ImVec2(pos[i].x - node_r, pos[i].y - node_r));
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("node", ImVec2(node_r * 2, node_r * 2));
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left) ||
        ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
      app.selected.node = static_cast<int>(i);
      ImGui::OpenPopup("node_menu");
    }
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s (%s)%s%s: click for faults", node.name.c_str(),
                        world::node_status_name(node.status), info.detail.empty() ? "" : ", ",
                        info.detail.c_str());
    }
    if (ImGui::BeginPopup("node_menu")) {
      node_menu(app, node);
      ImGui::EndPopup();
    }
    ImGui::PopID();
  }

  // Legend.
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y));
  for (auto s : {world::NodeStatus::running, world::NodeStatus::paused, world::NodeStatus::crashed,
                 world::NodeStatus::powered_off, world::NodeStatus::stopped}) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(status_colour(s)), "%s",
                       world::node_status_name(s));
  }
  ImGui::TextColored(ImVec4(0.63f, 0.47f, 0.86f, 1), "fenced");
  ImGui::TextColored(ImVec4(0.96f, 0.77f, 0.27f, 1), "leader ring");

  // The latest narration, so a class sees the story next to the picture.
  const auto& recs = app.log();
  for (size_t k = app.log_now(), scanned = 0; k > 0 && scanned < 4096; --k, ++scanned) {
    if (recs[k - 1].kind == sim::TraceKind::narration) {
      ImGui::SetCursorScreenPos(ImVec2(origin.x + avail.x * 0.22f, origin.y));
      ImGui::PushTextWrapPos(origin.x + avail.x);
      ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f), "%s", recs[k - 1].reason.c_str());
      ImGui::PopTextWrapPos();
      break;
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + 7 * ImGui::GetTextLineHeightWithSpacing()));
  ImGui::Text("%zu in flight",
              static_cast<size_t>(std::count_if(net.slots().begin(), net.slots().end(),
                                                [](const net::Envelope& e) { return e.live; })));
  ImGui::End();
}

}  // namespace kafkasim::gui
