#include "panels/cluster_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "icons.h"
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
    if (icon_menu_item(Icon::crash, "Crash (kill -9)")) app.submit(world::Crash{n.id});
    if (icon_menu_item(Icon::power, "Power off")) app.submit(world::PowerLoss{n.id});
    if (icon_menu_item(Icon::pause_node, "Pause 3s (GC pause)",
                       n.status == world::NodeStatus::running)) {
      app.submit(world::Pause{n.id, 3_s});
    }
    if (icon_menu_item(Icon::cut_link, "Isolate")) app.submit(world::Isolate{n.id});
    if (n.role != "demo" && icon_menu_item(Icon::power, "Controlled shutdown",
                                           n.status == world::NodeStatus::running)) {
      app.submit(world::Shutdown{n.id});
    }
  } else if (icon_menu_item(Icon::restart, "Restart")) {
    app.submit(world::Restart{n.id});
  }
}

/// The latest narration record up to now, if any (looking back a few thousand records).
const std::string* latest_narration(const AppState& app) {
  const auto& recs = app.log();
  for (size_t k = app.log_now(), scanned = 0; k > 0 && scanned < 4096; --k, ++scanned) {
    if (recs[k - 1].kind == sim::TraceKind::narration) return &recs[k - 1].reason;
  }
  return nullptr;
}

/// How many caption lines hang under the lowest node of the ring: its role, then its replicas.
float bottom_lines(const world::World& w, const kafka::MetadataImage* img) {
  const size_t n = w.nodes().size();
  if (n == 0) return 0.0f;
  // Node i sits at angle -90deg + 360deg * i / n: the lowest is the one nearest n / 2.
  const world::World::Node& node = w.node(static_cast<net::NodeIndex>(n / 2));
  float lines = node.role == "demo" ? 0.0f : 1.0f;
  if (img != nullptr && (node.role == "broker" || node.role == "combined"))
    lines += static_cast<float>(replicas_on(*img, node.id).size());
  return lines;
}

/// A small picture of the node's role beside its circle, top left.
void role_icon(ImDrawList* dl, const std::string& role, ImVec2 at, float node_r, ImU32 col) {
  Icon icon;
  if (role == "broker" || role == "combined")
    icon = Icon::broker;
  else if (role == "controller" || role == "zk-controller")
    icon = Icon::controller;
  else if (role == "zookeeper")
    icon = Icon::zookeeper;
  else if (role == "producer")
    icon = Icon::producer;
  else if (role == "consumer")
    icon = Icon::consumer;
  else
    return;
  // Up and left of the circle, clear of the leader ring around it.
  const float size = std::max(10.0f, node_r * 0.75f);
  const float d = (node_r + line_w(6.0f)) * 0.7071f;
  draw_icon(dl, icon, ImVec2(at.x - d - size, at.y - d - size), size, col);
}

}  // namespace

void ClusterPanel::draw(AppState& app) {
  if (!show) return;
  ImGui::Begin("Cluster", &show,
               ImGuiWindowFlags_NoCollapse | (title_bar ? 0 : ImGuiWindowFlags_NoTitleBar));
  const world::World& w = app.world;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  // The latest narration, so a class sees the story next to the picture: above the ring,
  // which keeps out of its way.
  const std::string* narration = latest_narration(app);
  const float wrap_w = avail.x * 0.78f;
  const float top = narration == nullptr
                        ? 0.0f
                        : ImGui::CalcTextSize(narration->c_str(), nullptr, false, wrap_w).y +
                              ImGui::GetStyle().ItemSpacing.y;
  // Captions hang below each node (its role, then a line per replica): room for them under
  // the ring, so the bottom node's stay inside the window.
  const kafka::MetadataImage* img = world::cluster_image(w);
  const size_t n = w.nodes().size();
  const float below = ImGui::GetTextLineHeight() * std::max(2.5f, bottom_lines(w, img) + 0.3f);
  const float high = avail.y - below - top;
  // On a wide, low view the ring may become an ellipse (layout.toml: ring_stretch), then
  // beside the legend rather than under it, leaving room for the widest captions.
  const float legend_w = ring_stretch > 1.0f ? ImGui::CalcTextSize("powered off").x +
                                                   ImGui::GetStyle().ItemSpacing.x * 2.0f
                                             : 0.0f;
  const ImVec2 centre(origin.x + legend_w + (avail.x - legend_w) * 0.5f,
                      origin.y + top + high * 0.5f);
  const float radius = std::max(40.0f, std::min(avail.x * 0.33f, high * ring_height * 0.5f));
  const float radius_x = std::max(
      radius,
      std::min(radius * ring_stretch, (avail.x - legend_w) * 0.5f - 4.5f * ImGui::GetFontSize()));
  // Nodes, lines and dots grow with the font so that they read from the back of a classroom.
  const float scale = ui_scale();
  const float node_r = std::clamp(radius * 0.16f, 14.0f * scale, 42.0f * scale);
  const Theme& th = theme();

  std::vector<ImVec2> pos(n);
  for (size_t i = 0; i < n; ++i) {
    const float a = -1.5707963f + 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
    pos[i] = ImVec2(centre.x + radius_x * std::cos(a), centre.y + radius * std::sin(a));
  }

  // Links: only when there are few nodes (a full mesh of 100 is noise).
  const net::Network& net = w.network();
  if (n <= 16) {
    for (net::NodeIndex a = 0; a < n; ++a) {
      for (net::NodeIndex b = a + 1; b < n; ++b) {
        if (net.cut(a, b)) {
          dl->AddLine(pos[a], pos[b], (th.link_cut & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150),
                      line_w(1.5f));
          const ImVec2 m = lerp(pos[a], pos[b], 0.5f);
          const float x = 6.0f * scale;
          dl->AddLine(ImVec2(m.x - x, m.y - x), ImVec2(m.x + x, m.y + x), th.link_cut,
                      line_w(2.5f));
          dl->AddLine(ImVec2(m.x - x, m.y + x), ImVec2(m.x + x, m.y - x), th.link_cut,
                      line_w(2.5f));
        } else {
          const bool slow = net.link(a, b).latency > w.config().link.latency;
          dl->AddLine(pos[a], pos[b],
                      slow ? (th.link_slow & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 170) : th.link,
                      line_w(slow ? 3.0f : 1.0f));
          if (slow) {
            const ImVec2 m = lerp(pos[a], pos[b], 0.5f);
            dl->AddText(m, th.link_slow, sim::to_string(net.link(a, b).latency).c_str());
          }
        }
      }
    }
  }

  // Messages in flight, where they are now between sent_at and deliver_at.
  const sim::Time now = w.now();
  const float dot_r = 4.0f * scale * std::min(th.line_scale, 1.3f);
  for (const net::Envelope& e : net.slots()) {
    if (!e.live) continue;
    const double span = static_cast<double>((e.deliver_at - e.sent_at).ns());
    const float t = span <= 0 ? 1.0f : static_cast<float>((now - e.sent_at).ns() / span);
    dl->AddCircleFilled(lerp(pos[e.src], pos[e.dst], std::clamp(t, 0.0f, 1.0f)), dot_r,
                        message_colour(e.kind));
  }

  // Nodes, with their role and, for brokers, the replicas they hold as the cluster sees them.
  for (size_t i = 0; i < n; ++i) {
    const world::World::Node& node = w.node(static_cast<net::NodeIndex>(i));
    const NodeInfo info = node_info(w, static_cast<net::NodeIndex>(i));
    const bool down =
        node.status != world::NodeStatus::running && node.status != world::NodeStatus::paused;
    ImU32 fill = status_colour(node.status);
    if (!down && info.fenced) fill = th.fenced;
    dl->AddCircleFilled(pos[i], node_r, th.node_fill);
    dl->AddCircle(pos[i], node_r, fill, 0, line_w(3.0f));
    if (info.active_controller || info.quorum_leader) {
      dl->AddCircle(pos[i], node_r + line_w(4.0f), th.leader, 0, line_w(2.5f));
    }
    if (static_cast<int>(i) == app.selected.node)
      dl->AddCircle(pos[i], node_r + line_w(8.0f), th.selection, 0, line_w(1.5f));
    role_icon(dl, node.role, pos[i], node_r, fill);
    // The id inside the circle, smaller when it would not fit (clients: 10000 and up).
    const std::string id = std::to_string(node.id);
    const ImVec2 ts = ImGui::CalcTextSize(id.c_str());
    const float fit = std::min(1.0f, node_r * 1.7f / ts.x);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * fit,
                ImVec2(pos[i].x - ts.x * fit * 0.5f, pos[i].y - ts.y * fit * 0.5f), fill,
                id.c_str());
    // Clients go by their client id ("producer checkout"); servers by their role.
    std::string caption = node.role == "demo"                                  ? ""
                          : node.role == "producer" || node.role == "consumer" ? node.name
                                                                               : node.role;
    if (node.status != world::NodeStatus::running) {
      caption += (caption.empty() ? "" : ", ") + std::string(world::node_status_name(node.status));
    } else if (!info.detail.empty()) {
      caption += (caption.empty() ? "" : ", ") + info.detail;
    }
    float y = pos[i].y + node_r + 6 * scale;
    if (!caption.empty()) {
      const ImVec2 cs = ImGui::CalcTextSize(caption.c_str());
      const ImU32 col = info.active_controller || info.quorum_leader ? th.leader : fill;
      dl->AddText(ImVec2(pos[i].x - cs.x * 0.5f, y), col, caption.c_str());
      y += cs.y;
    }
    if (img != nullptr && (node.role == "broker" || node.role == "combined")) {
      for (const ReplicaOnBroker& r : replicas_on(*img, node.id)) {
        const char* what = r.role == ReplicaRole::leader        ? "leader"
                           : r.role == ReplicaRole::in_sync     ? "in sync"
                           : r.role == ReplicaRole::out_of_sync ? "out of sync"
                                                                : "offline";
        const ImU32 col = r.role == ReplicaRole::leader        ? th.leader
                          : r.role == ReplicaRole::in_sync     ? th.in_sync
                          : r.role == ReplicaRole::out_of_sync ? th.out_of_sync
                                                               : th.offline;
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
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.fenced), "fenced");
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.leader), "leader ring");

  if (narration != nullptr) {
    ImGui::SetCursorScreenPos(ImVec2(origin.x + avail.x - wrap_w, origin.y));
    ImGui::PushTextWrapPos(origin.x + avail.x);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.narration), "%s", narration->c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + 7 * ImGui::GetTextLineHeightWithSpacing()));
  ImGui::Text("%zu in flight",
              static_cast<size_t>(std::count_if(net.slots().begin(), net.slots().end(),
                                                [](const net::Envelope& e) { return e.live; })));
  ImGui::End();
}

}  // namespace kafkasim::gui
