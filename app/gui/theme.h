// The studio's look: colours with meaning (status of a node, kind of a message), the ImGui
// style, and the font (DejaVu Sans from fonts-dejavu-core when installed, else ImGui's own).
#pragma once

#include <imgui.h>

#include "net/message.h"
#include "world/world.h"

namespace kafkasim::gui {

void apply_theme(float font_px);
ImU32 status_colour(world::NodeStatus s);
ImU32 message_colour(net::MessageKind k);
/// A trace record's colour: faults red, recoveries green, elections and changes amber,
/// narration blue, the rest grey.
ImU32 trace_colour(sim::TraceKind k);

}  // namespace kafkasim::gui
