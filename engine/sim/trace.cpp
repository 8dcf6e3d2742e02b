#include "sim/trace.h"

#include <cstdio>

namespace kafkasim::sim {

std::string_view trace_kind_name(TraceKind kind) {
  switch (kind) {
    case TraceKind::note:
      return "note";
    case TraceKind::narration:
      return "narration";
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
    case TraceKind::raft_election:
      return "election";
    case TraceKind::raft_vote:
      return "vote";
    case TraceKind::raft_leader:
      return "quorum_leader";
    case TraceKind::raft_follower:
      return "follower";
    case TraceKind::raft_resign:
      return "resign";
    case TraceKind::raft_truncate:
      return "truncate";
    case TraceKind::controller_active:
      return "controller";
    case TraceKind::controller_inactive:
      return "controller_lost";
    case TraceKind::broker_registered:
      return "registered";
    case TraceKind::broker_fenced:
      return "fenced";
    case TraceKind::broker_unfenced:
      return "unfenced";
    case TraceKind::broker_shutdown:
      return "shutdown";
    case TraceKind::topic_created:
      return "topic_created";
    case TraceKind::leader_change:
      return "leader_change";
    case TraceKind::isr_change:
      return "isr_change";
    case TraceKind::partitions_added:
      return "partitions_added";
    case TraceKind::reassignment:
      return "reassignment";
    case TraceKind::config_change:
      return "config_change";
    case TraceKind::admin_error:
      return "admin_error";
    case TraceKind::group_state:
      return "group_state";
    case TraceKind::group_member:
      return "group_member";
    case TraceKind::group_load:
      return "group_load";
    case TraceKind::group_assign:
      return "group_assign";
    case TraceKind::offset_commit:
      return "offset_commit";
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
