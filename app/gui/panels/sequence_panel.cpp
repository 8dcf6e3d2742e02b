#include "panels/sequence_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "geometry.h"
#include "layout_probe.h"
#include "theme.h"
#include "world/payload.h"

namespace kafkasim::gui {

namespace {

const char* const kKindNames[] = {"other", "produce",   "fetch", "metadata",
                                  "vote",  "heartbeat", "group", "demo"};

/// "FetchRequest" <-> "FetchResponse"; empty when the name is neither.
std::string counterpart(std::string_view name) {
  constexpr std::string_view req = "Request", resp = "Response";
  if (name.size() > req.size() && name.substr(name.size() - req.size()) == req)
    return std::string(name.substr(0, name.size() - req.size())) + std::string(resp);
  if (name.size() > resp.size() && name.substr(name.size() - resp.size()) == resp)
    return std::string(name.substr(0, name.size() - resp.size())) + std::string(req);
  return {};
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, bool head) {
  dl->AddLine(a, b, col, thick);
  if (!head) return;
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::sqrt(dx * dx + dy * dy);
  if (len < 4.0f) return;
  const float ux = dx / len, uy = dy / len, s = 7.0f;
  dl->AddTriangleFilled(b, ImVec2(b.x - ux * s - uy * s * 0.5f, b.y - uy * s + ux * s * 0.5f),
                        ImVec2(b.x - ux * s + uy * s * 0.5f, b.y - uy * s - ux * s * 0.5f), col);
}

std::string describe(const AppState& app, const MessageLine& m) {
  const world::World& w = app.world;
  char buf[160];
  std::snprintf(buf, sizeof buf, "sent %s, arrived %s (%s), %u bytes",
                sim::format_clock(m.sent_at).c_str(), sim::format_clock(m.delivered_at).c_str(),
                sim::to_string(m.delivered_at - m.sent_at).c_str(), m.bytes);
  return std::string(m.message >= 0 ? world::payload_name(static_cast<size_t>(m.message)) : "?") +
         "  " + w.name_of(m.from) + " -> " + w.name_of(m.to) + "\n" + buf;
}

}  // namespace

void SequencePanel::draw_contents(AppState& app) {
  const world::World& w = app.world;
  // The controls on one line while they fit, then on the next.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  bool first_control = true;
  auto flow = [&](float item_w) {
    if (!first_control) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + item_w > right) ImGui::NewLine();
    }
    first_control = false;
  };
  // Controls: which kinds (inline, or behind a button when the tab is short: a projector's
  // diagram keeps its rows), and the window.
  auto kind_boxes = [&](bool inline_row) {
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (k == static_cast<size_t>(net::MessageKind::demo) && w.nodes().size() > 0 &&
          w.node(0).role != "demo")
        continue;
      bool on = kinds[k];
      if (inline_row)
        flow(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
             ImGui::CalcTextSize(kKindNames[k]).x);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
                                               message_colour(static_cast<net::MessageKind>(k))));
      if (ImGui::Checkbox(kKindNames[k], &on)) kinds[k] = on;
      ImGui::PopStyleColor();
      if (inline_row && probe::recording())
        probe::item("messages", std::string("the switch ") + kKindNames[k]);
    }
  };
  if (ImGui::GetContentRegionAvail().y >= 8 * ImGui::GetFrameHeightWithSpacing()) {
    kind_boxes(true);
  } else {
    flow(ImGui::CalcTextSize("Kinds").x + ImGui::GetStyle().FramePadding.x * 2);
    if (ImGui::Button("Kinds")) ImGui::OpenPopup("kinds");
    if (probe::recording()) probe::item("messages", "the Kinds button");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Which kinds of message are drawn");
    if (ImGui::BeginPopup("kinds")) {
      kind_boxes(false);
      ImGui::EndPopup();
    }
  }
  flow(ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
       ImGui::CalcTextSize("fit").x);
  ImGui::Checkbox("fit", &fit_window);
  if (probe::recording()) probe::item("messages", "the switch fit");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Size the window so that a typical message (the median flight of the latest ones) "
        "crosses at least %.0f pixels: arrows, not vertical ticks",
        kFitPx);
  const float width = ImGui::GetContentRegionAvail().x;
  if (fit_window) {
    // The median flight of the latest messages delivered, shown kinds only.
    std::vector<int64_t> flights;
    const auto& ms = app.messages();
    for (auto it = ms.rbegin(); it != ms.rend() && flights.size() < 200; ++it)
      if (kinds[static_cast<size_t>(it->kind)])
        flights.push_back((it->delivered_at - it->sent_at).ns());
    if (!flights.empty()) {
      std::nth_element(flights.begin(), flights.begin() + flights.size() / 2, flights.end());
      const double median_s = static_cast<double>(flights[flights.size() / 2]) / 1e9;
      window_s = std::clamp(median_s * std::max(200.0f, width) / kFitPx, 1e-3, 100.0);
    }
  }
  flow(150 + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("0.000 ms window").x);
  ImGui::SetNextItemWidth(150);
  float log_w = static_cast<float>(std::log10(window_s));
  char label[32];
  if (window_s < 1.0)
    std::snprintf(label, sizeof label, "%.3g ms window", window_s * 1e3);
  else
    std::snprintf(label, sizeof label, "%.3g s window", window_s);
  // The window's length beside the slider, not under its handle.
  if (ImGui::SliderFloat("##window", &log_w, -3.0f, 2.0f, "")) {
    window_s = std::pow(10.0, static_cast<double>(log_w));
    fit_window = false;  // the user's own window
  }
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::TextUnformatted(label);
  if (probe::recording()) probe::item("messages", "the window's length");

  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (avail.x < 80 || avail.y < 40) return;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const size_t n = w.nodes().size();
  float label_w = 0;
  for (const auto& node : w.nodes())
    label_w = std::max(label_w, ImGui::CalcTextSize(node.name.c_str()).x);
  label_w += 12.0f;
  const float x0 = p0.x + label_w, x1 = p0.x + avail.x - 4.0f;
  const float lane_h =
      std::max(12.0f, (avail.y - 18.0f) / static_cast<float>(std::max<size_t>(1, n)));
  auto lane_y = [&](int32_t id) {
    const int i = w.index_of(id);
    return p0.y + lane_h * (static_cast<float>(i) + 0.5f);
  };
  // Now sits at 85% of the width: the rest shows where messages in flight are heading.
  const sim::Time now = w.now();
  const double span_ns = window_s * 1e9;
  const double t0 = static_cast<double>(now.ns()) - span_ns * 0.85;
  auto x_of = [&](sim::Time t) {
    return x0 + (x1 - x0) * static_cast<float>((static_cast<double>(t.ns()) - t0) / span_ns);
  };
  dl->PushClipRect(ImVec2(p0.x, p0.y), ImVec2(p0.x + avail.x, p0.y + avail.y), true);
  for (size_t i = 0; i < n; ++i) {
    const auto& node = w.node(static_cast<net::NodeIndex>(i));
    const float y = p0.y + lane_h * (static_cast<float>(i) + 0.5f);
    const ImU32 col = status_colour(node.status);
    dl->AddLine(ImVec2(x0, y), ImVec2(x1, y), IM_COL32(70, 78, 90, 255), 1.0f);
    dl->AddText(ImVec2(p0.x, y - ImGui::GetTextLineHeight() * 0.5f), col, node.name.c_str());
  }
  const float xn = x_of(now);
  dl->AddLine(ImVec2(xn, p0.y), ImVec2(xn, p0.y + lane_h * static_cast<float>(n)),
              IM_COL32(255, 255, 255, 160), 1.5f);
  // The time axis: a few ticks with their time.
  {
    const float ay = p0.y + lane_h * static_cast<float>(n) + 2.0f;
    const double step = std::pow(10.0, std::floor(std::log10(span_ns / 4.0)));
    // As many decimals as the tick spacing needs: 39.7s, 39.75s, 39.752s.
    const int decimals = std::clamp(9 - static_cast<int>(std::log10(step)), 0, 9);
    for (double t = std::ceil(t0 / step) * step; t < t0 + span_ns; t += step) {
      const float x = x_of(sim::Time::from_ns(static_cast<int64_t>(t)));
      if (x < x0 || t < 0) continue;
      dl->AddLine(ImVec2(x, ay), ImVec2(x, ay + 4), IM_COL32(140, 150, 160, 255));
      char s[32];
      std::snprintf(s, sizeof s, "%.*fs", decimals, t / 1e9);
      dl->AddText(ImVec2(x + 3, ay), IM_COL32(140, 150, 160, 255), s);
    }
  }

  // Delivered messages whose flight overlaps the window. messages() is in delivery order.
  const auto& msgs = app.messages();
  const sim::Time from = sim::Time::from_ns(static_cast<int64_t>(t0));
  auto first =
      std::lower_bound(msgs.begin(), msgs.end(), from,
                       [](const MessageLine& m, sim::Time t) { return m.delivered_at < t; });
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hovering = ImGui::IsWindowHovered() && mouse.x >= x0 && mouse.x <= x1 &&
                        mouse.y >= p0.y && mouse.y <= p0.y + lane_h * static_cast<float>(n);
  const MessageLine* best = nullptr;
  float best_d = 6.0f;
  size_t drawn = 0;
  const size_t cap = 6000;
  const uint64_t last = w.sim().events_executed();
  for (auto it = first; it != msgs.end() && drawn < cap; ++it) {
    const MessageLine& m = *it;
    if (!kinds[static_cast<size_t>(m.kind)]) continue;
    const ImVec2 a(x_of(m.sent_at), lane_y(m.from)), b(x_of(m.delivered_at), lane_y(m.to));
    const bool latest = m.event == last;
    arrow(dl, a, b, message_colour(m.kind), latest ? 3.0f : 1.3f, true);
    ++drawn;
    if (hovering) {
      const float d = segment_distance(mouse, a, b);
      if (d < best_d) {
        best_d = d;
        best = &m;
      }
    }
  }
  // In flight: from the sender to where the message is now, heading for its arrival.
  for (const net::Envelope& e : w.network().slots()) {
    if (!e.live || !kinds[static_cast<size_t>(e.kind)]) continue;
    const ImVec2 a(x_of(e.sent_at), lane_y(w.node_id(e.src)));
    const ImVec2 b(x_of(e.deliver_at), lane_y(w.node_id(e.dst)));
    const float f = e.deliver_at == e.sent_at
                        ? 1.0f
                        : std::clamp(static_cast<float>((now - e.sent_at).ns()) /
                                         static_cast<float>((e.deliver_at - e.sent_at).ns()),
                                     0.0f, 1.0f);
    const ImVec2 c(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
    dl->AddLine(a, c, message_colour(e.kind), 1.3f);
    dl->AddLine(c, b, (message_colour(e.kind) & 0x00FFFFFF) | 0x50000000, 1.0f);
    dl->AddCircleFilled(c, 3.5f, message_colour(e.kind));
  }
  if (best != nullptr) {
    const ImVec2 a(x_of(best->sent_at), lane_y(best->from));
    const ImVec2 b(x_of(best->delivered_at), lane_y(best->to));
    arrow(dl, a, b, IM_COL32_WHITE, 3.0f, true);
    // Its partner: the response to this request (or the request this answers) between the
    // same two nodes, the nearest in time.
    const std::string name =
        best->message >= 0 ? world::payload_name(static_cast<size_t>(best->message)) : "";
    const std::string other = counterpart(name);
    const bool is_request = name.size() > 7 && name.substr(name.size() - 7) == "Request";
    const MessageLine* partner = nullptr;
    if (!other.empty()) {
      const size_t bi = static_cast<size_t>(best - msgs.data());
      if (is_request) {
        for (size_t i = bi + 1; i < msgs.size() && i < bi + 4096; ++i) {
          const MessageLine& m = msgs[i];
          if (m.from == best->to && m.to == best->from && m.message >= 0 &&
              other == world::payload_name(static_cast<size_t>(m.message)) &&
              m.sent_at >= best->delivered_at) {
            partner = &m;
            break;
          }
        }
      } else {
        for (size_t i = bi; i > 0 && i + 4096 > bi; --i) {
          const MessageLine& m = msgs[i - 1];
          if (m.from == best->to && m.to == best->from && m.message >= 0 &&
              other == world::payload_name(static_cast<size_t>(m.message)) &&
              m.delivered_at <= best->sent_at) {
            partner = &m;
            break;
          }
        }
      }
    }
    if (partner != nullptr) {
      arrow(dl, ImVec2(x_of(partner->sent_at), lane_y(partner->from)),
            ImVec2(x_of(partner->delivered_at), lane_y(partner->to)), IM_COL32(255, 255, 255, 170),
            2.0f, true);
    }
    ImGui::BeginTooltip();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(message_colour(best->kind)), "%s",
                       describe(app, *best).c_str());
    if (partner != nullptr) {
      ImGui::Separator();
      ImGui::TextDisabled(is_request ? "answered by" : "answers");
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(message_colour(partner->kind)), "%s",
                         describe(app, *partner).c_str());
    } else if (is_request) {
      ImGui::Separator();
      ImGui::TextDisabled("no %s yet", other.c_str());
    }
    ImGui::EndTooltip();
  }
  dl->PopClipRect();
  if (drawn >= cap) {
    dl->AddText(ImVec2(x0 + 4, p0.y + 2), IM_COL32(236, 178, 46, 255),
                "too many messages to draw: narrow the window or hide fetches");
  }
  ImGui::InvisibleButton("diagram", ImVec2(avail.x, avail.y));
  if (ImGui::IsItemHovered() && ImGui::GetIO().MouseWheel != 0.0f) {
    fit_window = false;
    window_s = std::clamp(window_s * std::pow(0.8, static_cast<double>(ImGui::GetIO().MouseWheel)),
                          0.001, 100.0);
  }
}

}  // namespace kafkasim::gui
