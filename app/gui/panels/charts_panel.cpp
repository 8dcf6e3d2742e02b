#include "panels/charts_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace kafkasim::gui {

namespace {

constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();
constexpr float kMarginLeft = 52.0f;  // room for the y labels

struct Line {
  std::string label;
  ImU32 colour;
  float thickness;
  std::function<double(size_t)> value;  // at sample i; NaN: none (a gap in the line)
  bool legend = true;
};

struct Chart {
  std::string title;  // with its unit: "throughput (records/s)"
  const char* unit;   // for the hover: "records/s"
  std::vector<Line> lines;
  std::string legend_extra;  // "per partition (thin): 6 of 12"
  bool log_scale = false;    // latencies span decades: 2 ms steady, 9 s in a failover
};

/// Values <-> pixels of one plot: linear from 0, or logarithmic over whole decades.
struct Scale {
  bool log = false;
  double lo = 0, hi = 1;  // log: powers of ten
  float y0 = 0, y1 = 1;   // pixel rows of hi and lo
  float y(double v) const {
    const double f =
        log ? (std::log10(std::max(v, lo)) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
            : v / hi;
    return y1 - static_cast<float>(std::clamp(f, 0.0, 1.0)) * (y1 - y0);
  }
};

struct Rect {
  ImVec2 Min, Max;
};

/// Simulated seconds <-> pixels, shared by every chart.
struct Axis {
  float x0 = 0, x1 = 1;
  double t0 = 0, t1 = 1;
  float x(double t) const { return x0 + static_cast<float>((t - t0) / (t1 - t0)) * (x1 - x0); }
  double t(float x) const { return t0 + (x - x0) / (x1 - x0) * (t1 - t0); }
};

/// 1, 2 or 5 times a power of ten, at least v.
double nice_ceil(double v) {
  if (!(v > 0)) return 1;
  const double p = std::pow(10.0, std::floor(std::log10(v)));
  const double f = v / p;
  return (f <= 1.0001 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

std::string format_value(double v) {
  char buf[32];
  const double a = std::fabs(v);
  if (a >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof buf, "%.0fk", v / 1e3);
  else if (a >= 100 || a == std::round(a))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (a >= 1)
    std::snprintf(buf, sizeof buf, "%.1f", v);
  else if (a >= 0.01)
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

ImU32 dim(ImU32 c, float alpha) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w = alpha;
  return ImGui::ColorConvertFloat4ToU32(v);
}

const ImU32 kProduced = IM_COL32(110, 160, 245, 255);
const ImU32 kAcked = IM_COL32(95, 205, 120, 255);
const ImU32 kConsumed = IM_COL32(240, 160, 70, 255);
const ImU32 kPalette[] = {IM_COL32(120, 170, 245, 255), IM_COL32(240, 200, 90, 255),
                          IM_COL32(190, 140, 240, 255), IM_COL32(110, 210, 200, 255),
                          IM_COL32(240, 140, 190, 255), IM_COL32(170, 220, 110, 255),
                          IM_COL32(230, 150, 100, 255), IM_COL32(160, 170, 185, 255)};

/// The scale that holds every value of the chart's lines.
Scale fit(const MetricsRecorder& m, const Chart& c, float y0, float y1) {
  double hi = 0, lo_positive = INFINITY;
  for (const Line& l : c.lines) {
    for (size_t i = 0; i < m.samples().size(); ++i) {
      const double v = l.value(i);
      if (std::isnan(v)) continue;
      hi = std::max(hi, v);
      if (v > 0) lo_positive = std::min(lo_positive, v);
    }
  }
  Scale s{c.log_scale, 0, nice_ceil(hi * 1.05), y0, y1};
  if (s.log) {
    s.hi = std::pow(10.0, std::ceil(std::log10(std::max(hi, 1e-3)) + 1e-9));
    s.lo =
        std::isinf(lo_positive) ? s.hi / 10 : std::pow(10.0, std::floor(std::log10(lo_positive)));
    s.lo = std::min(s.lo, s.hi / 10);
  }
  return s;
}

// One polyline per run of values; where several samples share a pixel column, a vertical
// stroke from their minimum to their maximum (the line stays honest when decimated).
void draw_line(ImDrawList* dl, const MetricsRecorder& m, const Axis& ax, const Scale& sc,
               const Line& line) {
  const auto& s = m.samples();
  auto y = [&](double v) { return sc.y(v); };
  std::vector<ImVec2> pts;
  auto flush = [&] {
    if (pts.size() >= 2)
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), line.colour, ImDrawFlags_None,
                      line.thickness);
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], line.thickness + 0.5f, line.colour);
    pts.clear();
  };
  for (size_t i = 0; i < s.size();) {
    const float col = std::floor(ax.x(s[i].at.seconds()));
    double lo = INFINITY, hi = -INFINITY, first = kNoValue, last = kNoValue;
    float x_first = 0, x_last = 0;
    size_t j = i;
    for (; j < s.size() && std::floor(ax.x(s[j].at.seconds())) == col; ++j) {
      const double v = line.value(j);
      if (std::isnan(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      if (std::isnan(first)) {
        first = v;
        x_first = ax.x(s[j].at.seconds());
      }
      last = v;
      x_last = ax.x(s[j].at.seconds());
    }
    if (std::isnan(first)) {
      flush();
    } else {
      if (hi > lo)
        dl->AddLine(ImVec2(col + 0.5f, y(lo)), ImVec2(col + 0.5f, y(hi)), line.colour,
                    line.thickness);
      pts.emplace_back(x_first, y(first));
      if (j - i > 1) pts.emplace_back(x_last, y(last));
    }
    i = j;
  }
  flush();
}

// Header (title and legend), plot with its y labels, grid and lines; x labels when asked.
// Returns the plot rectangle.
Rect draw_chart(ImDrawList* dl, const MetricsRecorder& m, const Chart& c, const Axis& ax, ImVec2 p0,
                ImVec2 p1, bool x_labels) {
  const float line_h = ImGui::GetTextLineHeight();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddText(ImVec2(p0.x, p0.y), text, c.title.c_str());
  float lx = p0.x + ImGui::CalcTextSize(c.title.c_str()).x + 18;
  for (const Line& l : c.lines) {
    if (!l.legend) continue;
    dl->AddRectFilled(ImVec2(lx, p0.y + line_h * 0.3f), ImVec2(lx + 14, p0.y + line_h * 0.7f),
                      l.colour);
    dl->AddText(ImVec2(lx + 18, p0.y), faint, l.label.c_str());
    lx += 18 + ImGui::CalcTextSize(l.label.c_str()).x + 14;
  }
  if (!c.legend_extra.empty()) dl->AddText(ImVec2(lx, p0.y), faint, c.legend_extra.c_str());
  const Rect plot{ImVec2(ax.x0, p0.y + line_h + 4),
                  ImVec2(ax.x1, p1.y - (x_labels ? line_h + 4 : 4))};
  const Scale sc = fit(m, c, plot.Min.y, plot.Max.y);
  dl->AddRectFilled(plot.Min, plot.Max, IM_COL32(255, 255, 255, 8));
  const ImU32 grid = IM_COL32(255, 255, 255, 22);
  // y grid: 0, half and the maximum; log: every decade (labels on every other when crowded)
  std::vector<double> marks = {0, sc.hi / 2, sc.hi};
  if (sc.log) {
    marks.clear();
    const int decades = static_cast<int>(std::lround(std::log10(sc.hi / sc.lo)));
    const int every = (plot.Max.y - plot.Min.y) / std::max(1, decades) < line_h * 1.2f ? 2 : 1;
    for (int d = decades; d >= 0; d -= every)
      marks.insert(marks.begin(), sc.lo * std::pow(10.0, d));
  }
  for (size_t k = 0; k < marks.size(); ++k) {
    const float y = sc.y(marks[k]);
    dl->AddLine(ImVec2(plot.Min.x, y), ImVec2(plot.Max.x, y), grid);
    const std::string label = format_value(marks[k]);
    const float w = ImGui::CalcTextSize(label.c_str()).x;
    const float ty = std::clamp(y - line_h / 2, plot.Min.y - 2, plot.Max.y - line_h + 2);
    dl->AddText(ImVec2(plot.Min.x - 6 - w, ty), k + 1 == marks.size() ? text : faint,
                label.c_str());
  }
  // Time grid: about one line per 90 pixels, at round seconds.
  const double step = nice_ceil((ax.t1 - ax.t0) / std::max(1.0f, (ax.x1 - ax.x0) / 90.0f));
  for (double t = std::ceil(ax.t0 / step) * step; t <= ax.t1 + 1e-9; t += step) {
    const float x = ax.x(t);
    dl->AddLine(ImVec2(x, plot.Min.y), ImVec2(x, plot.Max.y), grid);
    if (!x_labels) continue;
    char buf[32];
    std::snprintf(buf, sizeof buf, step < 1 ? "%.1fs" : "%.0fs", t);
    const float w = ImGui::CalcTextSize(buf).x;
    const float tx = std::clamp(x - w / 2, plot.Min.x - w / 2, plot.Max.x - w);
    dl->AddText(ImVec2(tx, plot.Max.y + 3), faint, buf);
  }
  dl->PushClipRect(plot.Min, plot.Max, true);
  for (auto l = c.lines.rbegin(); l != c.lines.rend(); ++l)  // the legend's first on top
    draw_line(dl, m, ax, sc, *l);
  dl->PopClipRect();
  return plot;
}

// [SECTION] the charts' contents. Lines read the recorder through a pointer: it outlives them.

/// Per second over the last second up to sample i (or its own interval when longer): 100 ms
/// rates jump with every batch; a one-second window reads like a client's metrics.
template <typename Count>
double windowed_rate(const MetricsRecorder& m, size_t i, Count count) {
  const auto& s = m.samples();
  const sim::Time from = s[i].at - sim::Time::from_s(1);
  int64_t n = 0;
  size_t j = i + 1;
  do {
    n += count(s[--j]);
  } while (j > 0 && m.start_of(j) > from);
  const double seconds = (s[i].at - m.start_of(j)).seconds();
  return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

Chart throughput(const MetricsRecorder& m) {
  Chart c{"throughput (records/s)", "records/s", {}, {}};
  const MetricsRecorder* r = &m;
  auto rate = [r](int64_t MetricsSample::*count) {
    return [r, count](size_t i) {
      return windowed_rate(*r, i, [count](const MetricsSample& x) { return x.*count; });
    };
  };
  c.lines.push_back({"produced", kProduced, 1.6f, rate(&MetricsSample::produced)});
  c.lines.push_back({"acknowledged", kAcked, 1.6f, rate(&MetricsSample::acked)});
  c.lines.push_back({"consumed", kConsumed, 1.6f, rate(&MetricsSample::consumed)});
  return c;
}

Chart latency(const MetricsRecorder& m) {
  Chart c{"latency (ms)", "ms", {}, "thick: mean, thin: max", true};
  const MetricsRecorder* r = &m;
  using Field = int64_t MetricsSample::*;
  // mean: sum / n; max: the value itself (n = 0: no record in the interval, no point)
  auto ms = [r](Field v, Field n, bool mean) {
    return [r, v, n, mean](size_t i) {
      const MetricsSample& x = r->samples()[i];
      if (x.*n == 0) return kNoValue;
      return static_cast<double>(x.*v) / 1e6 / (mean ? static_cast<double>(x.*n) : 1.0);
    };
  };
  using S = MetricsSample;
  c.lines.push_back({"produce", kAcked, 1.8f, ms(&S::produce_latency_ns_sum, &S::acked, true)});
  c.lines.push_back(
      {"end-to-end", kConsumed, 1.8f, ms(&S::end_to_end_latency_ns_sum, &S::consumed, true)});
  c.lines.push_back({"produce max", dim(kAcked, 0.5f), 1.0f,
                     ms(&S::produce_latency_ns_max, &S::acked, false), false});
  c.lines.push_back({"end-to-end max", dim(kConsumed, 0.5f), 1.0f,
                     ms(&S::end_to_end_latency_ns_max, &S::consumed, false), false});
  return c;
}

Chart lag(const MetricsRecorder& m) {
  Chart c{"consumer lag (records)", "records", {}, {}};
  const MetricsRecorder* r = &m;
  auto known = [](int64_t v) { return v < 0 ? kNoValue : static_cast<double>(v); };
  c.lines.push_back({"total", IM_COL32(240, 95, 95, 255), 2.0f,
                     [r, known](size_t i) { return known(r->samples()[i].lag_total); }});
  // One consumer (the usual lesson): its name goes to the title, the legend names partitions.
  const std::string& first = m.lag_series().front();
  const std::string client = first.substr(0, first.find(' ') + 1);
  const bool one_client =
      std::all_of(m.lag_series().begin(), m.lag_series().end(),
                  [&](const std::string& s) { return s.rfind(client, 0) == 0; });
  if (one_client) c.title = "lag of " + client + "(records)";
  auto label = [&](const std::string& s) { return one_client ? s.substr(client.size()) : s; };
  // Per partition, thin: the few with the highest peak lag.
  std::vector<std::pair<int64_t, size_t>> peak;
  for (size_t k = 0; k < m.lag_series().size(); ++k) {
    int64_t hi = 0;
    for (const MetricsSample& x : m.samples())
      hi = std::max(hi, m.lag(x, k));
    peak.emplace_back(-hi, k);
  }
  std::sort(peak.begin(), peak.end());
  const size_t shown = std::min<size_t>(peak.size(), 6);
  const bool name_them = peak.size() <= 3;
  for (size_t n = 0; n < shown; ++n) {
    const size_t k = peak[n].second;
    c.lines.push_back({label(m.lag_series()[k]), dim(kPalette[k % 8], 0.85f), 1.0f,
                       [r, k, known](size_t i) { return known(r->lag(r->samples()[i], k)); },
                       name_them});
  }
  if (!name_them)
    c.legend_extra =
        "per partition (thin): " + std::to_string(shown) + " of " + std::to_string(peak.size());
  return c;
}

Chart errors(const MetricsRecorder& m) {
  Chart c{"client errors (per s)", "errors/s", {}, {}};
  const MetricsRecorder* r = &m;
  size_t n = 0;
  for (kafka::Errc e : m.error_kinds()) {
    c.lines.push_back(
        {std::string(kafka::errc_name(e)), kPalette[(n++ + 1) % 8], 1.4f, [r, e](size_t i) {
           return windowed_rate(*r, i, [r, e](const MetricsSample& x) {
             for (const auto& [k, v] : r->errors(x)) {
               if (k == e) return v;
             }
             return int64_t{0};
           });
         }});
  }
  return c;
}

size_t nearest_sample(const MetricsRecorder& m, double t) {
  const auto& s = m.samples();
  auto it = std::lower_bound(s.begin(), s.end(), t,
                             [](const MetricsSample& x, double v) { return x.at.seconds() < v; });
  if (it == s.end()) return s.size() - 1;
  if (it != s.begin() && t - (it - 1)->at.seconds() < it->at.seconds() - t) --it;
  return static_cast<size_t>(it - s.begin());
}

bool has_clients(const world::World& w) {
  for (const auto& n : w.nodes()) {
    if (std::holds_alternative<kafka::Producer>(n.impl) ||
        std::holds_alternative<kafka::Consumer>(n.impl))
      return true;
  }
  return false;
}

}  // namespace

void ChartsPanel::draw_contents(const AppState& app, const MetricsRecorder& m) {
  if (!has_clients(app.world)) {
    ImGui::TextDisabled("No producers or consumers in this world: nothing to chart.");
    return;
  }
  if (m.samples().empty()) {
    ImGui::TextDisabled("The charts fill in as simulated time passes (a sample every %s).",
                        sim::to_string(m.interval()).c_str());
    return;
  }
  std::vector<Chart> charts = {throughput(m), latency(m)};
  if (!m.lag_series().empty()) charts.push_back(lag(m));  // no consumer, no lag
  if (!m.error_kinds().empty()) charts.push_back(errors(m));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::InvisibleButton("##charts", ImVec2(std::max(avail.x, 1.0f), std::max(avail.y, 1.0f)));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  Axis ax;
  ax.x0 = origin.x + kMarginLeft;
  ax.x1 = origin.x + avail.x - 8;
  const double now = app.world.now().seconds();
  const double end = app.end.seconds();
  ax.t1 = end > 0 && end < 1e6 ? std::max(end, now) : std::max(1.0, now * 1.1);
  const float gap = 6, per = (avail.y - gap * (charts.size() - 1)) / charts.size();
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool over_time = hovered && mouse.x >= ax.x0 && mouse.x <= ax.x1;
  int hover_chart = -1;
  std::vector<Rect> plots;
  for (size_t k = 0; k < charts.size(); ++k) {
    const ImVec2 p0(origin.x, origin.y + k * (per + gap));
    const ImVec2 p1(origin.x + avail.x, p0.y + per);
    plots.push_back(draw_chart(dl, m, charts[k], ax, p0, p1, k + 1 == charts.size()));
    if (over_time && mouse.y >= p0.y && mouse.y < p1.y) hover_chart = static_cast<int>(k);
  }
  for (const Rect& r : plots) {  // now, and the mouse's time
    const float xn = ax.x(now);
    dl->AddLine(ImVec2(xn, r.Min.y), ImVec2(xn, r.Max.y), IM_COL32(235, 235, 240, 150), 1.0f);
    if (over_time)
      dl->AddLine(ImVec2(mouse.x, r.Min.y), ImVec2(mouse.x, r.Max.y), IM_COL32(255, 255, 255, 70));
  }
  if (hover_chart >= 0) {
    const size_t i = nearest_sample(m, ax.t(mouse.x));
    const Chart& c = charts[hover_chart];
    ImGui::BeginTooltip();
    ImGui::Text("%s at %s", c.title.c_str(), sim::to_string(m.samples()[i].at).c_str());
    const float column = ImGui::CalcTextSize("end-to-end max  ").x;
    for (const Line& l : c.lines) {
      const double v = l.value(i);
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(l.colour | IM_COL32_A_MASK), "%s",
                         l.label.c_str());
      ImGui::SameLine(column);
      ImGui::Text("%s", std::isnan(v) ? "-" : (format_value(v) + " " + c.unit).c_str());
    }
    ImGui::EndTooltip();
  }
}

}  // namespace kafkasim::gui
