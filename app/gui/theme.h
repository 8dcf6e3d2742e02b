// The studio's look: colours with meaning (status of a node, kind of a message), the ImGui
// style, and the font (DejaVu Sans from fonts-dejavu-core when installed, else ImGui's own).
// The colours of each theme ("dark", "high-contrast") come from assets/theme.toml; the
// built-in copies below are used when the file is missing or a value in it is wrong.
#pragma once

#include <imgui.h>

#include <iterator>

#include <string>
#include <utility>
#include <vector>

#include "net/message.h"
#include "world/world.h"

namespace kafkasim::gui {

/// One look of the studio. Lines are drawn line_scale times thicker (times the UI scale).
struct Theme {
  std::string name;
  float line_scale = 1.0f;
  float frame_border = 0.0f;  // ImGui's FrameBorderSize: outlined buttons and fields
  ImU32 background = IM_COL32(15, 18, 20, 255);  // behind every window
  /// ImGui colours set over StyleColorsDark(), by ImGuiCol_ index.
  std::vector<std::pair<int, ImU32>> imgui;
  // Node status.
  ImU32 running, paused, crashed, powered_off, stopped, fenced;
  // Messages in flight, by kind.
  ImU32 produce, fetch, metadata, vote, heartbeat, group, demo, other_message;
  // Trace records: faults, recoveries, elections and changes, narration, the rest.
  ImU32 fault, recovery, change, narration, other_trace;
  // The cluster view.
  ImU32 leader, in_sync, out_of_sync, offline, link, link_slow, link_cut, node_fill, selection;
  // The timeline bar.
  ImU32 track, track_done, now_marker, command_tick;
};

/// The two themes the studio is built with (assets/theme.toml holds the same values).
Theme builtin_theme(const std::string& name);

/// Reads the themes in FILE over the built-in ones. Returns the problems found, each as
/// "FILE:LINE:COL: what" (empty when all is well); a value in error keeps its built-in colour.
std::vector<std::string> load_themes(const std::string& file);

/// Makes theme NAME current ("dark" or "high-contrast") at UI scale SCALE (1 at 17 px): sets
/// the ImGui style. Call between frames.
void use_theme(const std::string& name, float scale);
const Theme& theme();
/// The UI scale (font size / 17 px): sizes drawn by hand grow with the font.
float ui_scale();
/// A line width W (at scale 1, dark theme) as drawn now.
float line_w(float w);

/// Replaces the font atlas with one font of FONT_PX pixels. Between frames only; the
/// renderer's font texture must be rebuilt afterwards.
void load_font(float font_px);

ImU32 status_colour(world::NodeStatus s);
/// `c` with its alpha replaced by `alpha` (0-255).
inline ImU32 with_alpha(ImU32 c, int alpha) {
  return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}
ImU32 message_colour(net::MessageKind k);
/// The kinds of Kafka messages the studio draws, in the order the legend and the View menu
/// list them (the demo's own kind aside).
inline constexpr net::MessageKind kKafkaMessageKinds[] = {
    net::MessageKind::produce, net::MessageKind::fetch,     net::MessageKind::metadata,
    net::MessageKind::vote,    net::MessageKind::heartbeat, net::MessageKind::group,
    net::MessageKind::other};
static_assert(std::size(kKafkaMessageKinds) + 1 == net::kMessageKindCount,
              "every kind but demo is listed");
/// A trace record's colour: faults red, recoveries green, elections and changes amber,
/// narration blue, the rest grey.
ImU32 trace_colour(sim::TraceKind k);

}  // namespace kafkasim::gui
