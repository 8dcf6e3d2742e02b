#include "sim/trace.h"

#include <cstdio>

namespace kafkasim::sim {

std::string_view trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::note:
      return "note";
    case TraceKind::node_start:
      return "node_start";
    case TraceKind::node_crash:
      return "node_crash";
    case TraceKind::node_power_loss:
      return "node_power_loss";
    case TraceKind::node_restart:
      return "node_restart";
    case TraceKind::node_pause:
      return "node_pause";
    case TraceKind::node_resume:
      return "node_resume";
    case TraceKind::link_cut:
      return "link_cut";
    case TraceKind::link_restore:
      return "link_restore";
    case TraceKind::link_change:
      return "link_change";
    case TraceKind::message_lost:
      return "message_lost";
    case TraceKind::disconnect:
      return "disconnect";
    case TraceKind::demo_suspect:
      return "suspect";
    case TraceKind::demo_recover:
      return "recover";
    case TraceKind::demo_progress:
      return "progress";
  }
  return "unknown";
}

std::string hash_hex(uint64_t h) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace kafkasim::sim
