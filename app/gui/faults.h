// Fault injection by direct manipulation, free of ImGui so tests can drive it: what a click on
// a node, a link or a drawn partition becomes as a world::Command, and the read-only questions
// the cluster view asks to draw them (is a node isolated, what state is a link in, which
// partitions would a preferred leader election move to a broker, how many replicas it holds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kafka/metadata/image.h"
#include "world/command.h"
#include "world/world.h"

namespace kafkasim::gui {

// [nodes] -------------------------------------------------------------------------------------
/// True when every link of node `i` to another node is cut (an isolate, or a partition that
/// left it alone): the process runs but reaches no one. False in a one-node world.
bool isolated(const world::World& w, net::NodeIndex i);

/// Partitions (TOPIC-N) whose preferred replica (the first of the assignment) is `broker` but
/// whose leader is another broker or none: what a preferred leader election would move back.
std::vector<std::string> preferred_not_leader(const kafka::MetadataImage& img, int32_t broker);

/// The replicas a broker holds, counted by their place as the cluster sees them.
struct ReplicaCounts {
  int leaders = 0;
  int in_sync = 0;      // followers in the ISR
  int out_of_sync = 0;  // followers outside the ISR
  int offline = 0;      // on a broker the cluster does not see as alive
  int total() const { return leaders + in_sync + out_of_sync + offline; }
  int followers() const { return in_sync + out_of_sync; }
};
ReplicaCounts replica_counts(const kafka::MetadataImage& img, int32_t broker);
/// "34 leaders, 66 followers (2 out of sync), 1 offline": the counts a busy broker shows.
std::string describe_counts(const ReplicaCounts& c);

// [links] -------------------------------------------------------------------------------------
enum class LinkState {
  normal,
  slow,   // latency above the cluster's default
  lossy,  // drops messages at random
  down,   // taken down by an operator (SetLink down): restorable on its own
  cut,    // cut by a partition or an isolate: only a heal brings it back
};
LinkState link_state(const world::World& w, net::NodeIndex a, net::NodeIndex b);
/// "broker 101 <-> broker 102: 1 ms" (latency, then loss and state when not normal).
std::string describe_link(const world::World& w, net::NodeIndex a, net::NodeIndex b);

/// The link a <-> b taken down (true) or brought back up (false), both ways.
world::SetLink link_down(int32_t a, int32_t b, bool down);
/// The link a <-> b with `extra` more one-way latency than it has now.
world::SetLink link_slower(const world::World& w, int32_t a, int32_t b, sim::Time extra);
/// The link a <-> b dropping `loss` of its messages (0..1).
world::SetLink link_lossy(int32_t a, int32_t b, double loss);
/// The link a <-> b back to the cluster's defaults ([network] of the scenario) and up.
world::SetLink link_reset(const world::World& w, int32_t a, int32_t b);

// [drawing a partition] -----------------------------------------------------------------------
struct Point {
  float x = 0, y = 0;
};
/// Whether `p` lies inside the closed polygon `poly` (even-odd rule; fewer than 3 points: no).
bool inside_polygon(const std::vector<Point>& poly, Point p);
/// The indexes of `points` inside the lasso `poly`.
std::vector<size_t> inside_lasso(const std::vector<Point>& poly, const std::vector<Point>& points);
/// Side A (Kafka node ids) against every other node: the Partition command that separates
/// them, or nothing when side A is empty, holds every node, or names a node that does not
/// exist. The ids come out sorted and without duplicates.
std::optional<world::Partition> partition_from_side(const world::World& w,
                                                    std::vector<int32_t> side_a);
/// Adds `id` to side A, or takes it out when already there.
void toggle_side(std::vector<int32_t>& side_a, int32_t id);

}  // namespace kafkasim::gui
