#include "panels/cluster_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "faults.h"
#include "geometry.h"
#include "groups_model.h"
#include "journey.h"
#include "layout_probe.h"
#include "theme.h"
#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {

using namespace sim::literals;

constexpr ImU32 kGold = IM_COL32(246, 196, 68, 255);
constexpr ImU32 kFenced = IM_COL32(160, 120, 220, 255);
constexpr ImU32 kCut = IM_COL32(224, 82, 82, 255);
constexpr ImU32 kSlow = IM_COL32(236, 178, 46, 255);
constexpr ImU32 kLossy = IM_COL32(214, 128, 230, 255);
constexpr ImU32 kIsolated = IM_COL32(240, 110, 150, 255);
constexpr ImU32 kSideA = IM_COL32(80, 200, 230, 255);
constexpr ImU32 kSideB = IM_COL32(240, 150, 70, 255);
constexpr ImU32 kInSync = IM_COL32(72, 187, 120, 255);
constexpr ImU32 kOutOfSync = IM_COL32(237, 137, 54, 255);
constexpr ImU32 kOffline = IM_COL32(120, 120, 130, 255);
constexpr ImU32 kFollowed = IM_COL32(255, 214, 92, 255);  // the record followed

/// How far beyond a node's circle the rings drawn around it reach: the timer ring (an election
/// or session running out, radius r + 8, 3 px wide) and the isolated one (r + 8, 2 px).
constexpr float kRingReach = 9.5f;
/// Room between a node's circle and its caption: its rings and a gap.
constexpr float kRingRoom = kRingReach + 1.5f;
/// Replica lists longer than this are counted instead ("34 leaders, 66 followers").
constexpr size_t kListedReplicas = 4;
/// Links show the traffic of this much simulated time: a broker's heartbeats (every 2 s by
/// default) keep its link to the active controller lit.
constexpr sim::Time kTrafficWindow = sim::Time::from_ms(2500);
/// Above this many nodes links are not drawn (a full mesh of 100 is noise).
constexpr size_t kLinksMaxNodes = 24;

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) {
  return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
}

ImU32 role_colour(ReplicaRole r) {
  switch (r) {
    case ReplicaRole::leader:
      return kGold;
    case ReplicaRole::in_sync:
      return kInSync;
    case ReplicaRole::out_of_sync:
      return kOutOfSync;
    case ReplicaRole::offline:
      return kOffline;
  }
  return kOffline;
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash) {
  const float len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
  if (len <= 0) return;
  for (float s = 0; s < len; s += dash * 2) {
    dl->AddLine(lerp(a, b, s / len), lerp(a, b, std::min(len, s + dash) / len), col, thickness);
  }
}

void dashed_circle(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float thickness) {
  constexpr int kDashes = 12;
  constexpr float kStep = 6.2831853f / kDashes;
  for (int k = 0; k < kDashes; ++k) {
    dl->PathArcTo(c, r, kStep * k, kStep * k + kStep * 0.55f, 6);
    dl->PathStroke(col, 0, thickness);
  }
}

/// A small round badge at the node's upper right: a pause glyph, a cross or a power sign.
void badge(ImDrawList* dl, ImVec2 node, float r, world::NodeStatus s) {
  const float br = std::max(6.0f, r * 0.38f);
  const ImVec2 c(node.x + r * 0.72f, node.y - r * 0.72f);
  const ImU32 dark = IM_COL32(20, 24, 30, 255);
  switch (s) {
    case world::NodeStatus::paused:
      dl->AddCircleFilled(c, br, kSlow);
      dl->AddRectFilled(ImVec2(c.x - br * 0.45f, c.y - br * 0.5f),
                        ImVec2(c.x - br * 0.12f, c.y + br * 0.5f), dark);
      dl->AddRectFilled(ImVec2(c.x + br * 0.12f, c.y - br * 0.5f),
                        ImVec2(c.x + br * 0.45f, c.y + br * 0.5f), dark);
      break;
    case world::NodeStatus::crashed:
      dl->AddCircleFilled(c, br, kCut);
      dl->AddLine(ImVec2(c.x - br * 0.45f, c.y - br * 0.45f),
                  ImVec2(c.x + br * 0.45f, c.y + br * 0.45f), dark, 2.0f);
      dl->AddLine(ImVec2(c.x - br * 0.45f, c.y + br * 0.45f),
                  ImVec2(c.x + br * 0.45f, c.y - br * 0.45f), dark, 2.0f);
      break;
    case world::NodeStatus::powered_off:
      dl->AddCircleFilled(c, br, status_colour(s));
      dl->PathArcTo(c, br * 0.5f, -1.0f, 4.14f, 10);
      dl->PathStroke(dark, 0, 1.6f);
      dl->AddLine(ImVec2(c.x, c.y - br * 0.7f), ImVec2(c.x, c.y), dark, 1.6f);
      break;
    default:
      break;
  }
}

/// A line of a node's caption.
struct CaptionLine {
  std::string text;
  ImU32 colour;
  bool heading = false;  // a group's name over its first member (not the member's own line)
};

/// Where a node is drawn and how its caption hangs off it.
struct Place {
  ImVec2 pos;
  float r = 14;
  enum class Anchor { below, right, left } anchor = Anchor::below;
  std::vector<CaptionLine> lines;
  ImVec2 size;     // of the caption
  ImVec2 caption;  // its top-left corner
};

void place_caption(Place& p, float line_h) {
  switch (p.anchor) {
    case Place::Anchor::below:
      p.caption = ImVec2(p.pos.x - p.size.x * 0.5f, p.pos.y + p.r + kRingRoom);
      break;
    case Place::Anchor::right:
      p.caption =
          ImVec2(p.pos.x + p.r + kRingRoom + 2, p.pos.y - std::max(line_h * 0.5f, p.size.y * 0.5f));
      break;
    case Place::Anchor::left:
      p.caption = ImVec2(p.pos.x - p.r - kRingRoom - 2 - p.size.x,
                         p.pos.y - std::max(line_h * 0.5f, p.size.y * 0.5f));
      break;
  }
}

/// Whether two captions overlap, or come closer side by side than a space (two captions on
/// one line must not read as one).
bool overlaps(const Place& a, const Place& b) {
  constexpr float kGap = 10.0f;
  return a.caption.x < b.caption.x + b.size.x + kGap &&
         b.caption.x < a.caption.x + a.size.x + kGap && a.caption.y < b.caption.y + b.size.y &&
         b.caption.y < a.caption.y + a.size.y;
}

/// The top row's captions, left to right: below their nodes, kept inside lo_x..hi_x, and with
/// `stagger` one that would touch an earlier one goes below it instead.
struct TopRow {
  std::vector<size_t> nodes;
  float lo_x = 0, hi_x = 0;
  bool stagger = false;
  /// Places the captions; returns how far the lowest one reaches below an unmoved one's top.
  float place(std::vector<Place>& places, float line_h) const {
    float extra = 0;
    for (size_t k = 0; k < nodes.size(); ++k) {
      Place& p = places[nodes[k]];
      place_caption(p, line_h);
      p.caption.x = std::max(lo_x, std::min(p.caption.x, hi_x - p.size.x));
      const float first_y = p.caption.y;
      for (bool moved = stagger; moved;) {
        moved = false;
        for (size_t j = 0; j < k; ++j) {
          const Place& q = places[nodes[j]];
          if (!overlaps(q, p)) continue;
          p.caption.y = q.caption.y + q.size.y + 1;
          moved = true;
        }
      }
      extra = std::max(extra, p.caption.y - first_y + p.size.y);
    }
    return extra;
  }
};

enum class Row { top, client, ring };
Row row_of(const std::string& role) {
  if (role == "controller" || role == "zookeeper") return Row::top;
  if (role == "producer" || role == "consumer") return Row::client;
  return Row::ring;  // brokers, combined nodes, the demo's nodes
}

/// A client's client.id (its node name says its role too: "consumer billing-1").
std::string client_id(const world::World::Node& n) {
  std::string id;
  if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) id = c->config().client_id;
  if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) id = p->config().client_id;
  return id.empty() ? n.name : id;
}

/// "coordinator of billing", "coordinator of billing, audit", "coordinator of 3 groups": in the
/// colour of group messages.
std::optional<CaptionLine> coordinator_line(const std::vector<std::string>* groups) {
  if (groups == nullptr || groups->empty()) return std::nullopt;
  std::string text = "coordinator of ";
  if (groups->size() > 2)
    return CaptionLine{text + std::to_string(groups->size()) + " groups", theme().group};
  for (size_t k = 0; k < groups->size(); ++k)
    text += (k > 0 ? ", " : "") + (*groups)[k];
  return CaptionLine{text, theme().group};
}

/// "orders-0, 3, 5": partitions by topic, the topic named once; past `most`, "+N".
std::string partition_list(const std::vector<kafka::TopicPartitionName>& tps, size_t most) {
  std::string out, topic;
  size_t k = 0;
  for (const kafka::TopicPartitionName& tp : tps) {
    if (k++ == most) return out + " +" + std::to_string(tps.size() - most);
    if (tp.topic != topic) {
      out += (out.empty() ? "" : ", ") + tp.str();
      topic = tp.topic;
    } else {
      out += ", " + std::to_string(tp.partition);
    }
  }
  return out;
}

/// The group of consumer node `i` as its members see it: whether every member is stable, and
/// whether `i` is the first of them (in node order: the column lists them together).
struct GroupSeen {
  bool settled = true;
  bool first = true;
};
GroupSeen group_seen(const world::World& w, net::NodeIndex i, const std::string& group) {
  GroupSeen g;
  for (size_t j = 0; j < w.nodes().size(); ++j) {
    const auto* c = std::get_if<kafka::Consumer>(&w.nodes()[j].impl);
    if (c == nullptr || c->config().group.group_id != group) continue;
    if (j < i) g.first = false;
    if (c->phase() != kafka::MemberPhase::stable) g.settled = false;
  }
  return g;
}

/// A consumer's lines: the partitions it reads now, or what its latest rebalance took from it
/// in the last 3 s (revocations are the moment a class should see); `tight`: partition numbers
/// only ("0, 2, 4"), on the id's line. The first member of a group heads it with the group's
/// name (the column keeps a group's members together, a bracket along them).
void consumer_lines(const world::World& w, net::NodeIndex i, const kafka::Consumer& c, bool tight,
                    std::vector<CaptionLine>& out) {
  auto list = [&](const std::vector<kafka::TopicPartitionName>& tps) {
    if (!tight) return partition_list(tps, 3);
    std::string nums;
    for (const kafka::TopicPartitionName& tp : tps)
      nums += (nums.empty() ? "" : " ") + std::to_string(tp.partition);
    return nums;
  };
  std::optional<CaptionLine> line;
  const auto& h = c.assignment_history();
  constexpr sim::Time kRecent = sim::Time::from_ms(3000);
  // A member that died without a word still owns its partitions for its coordinator, and
  // nobody reads them, until its session runs out.
  std::vector<kafka::TopicPartitionName> held;
  if (c.in_group() && w.node(i).status != world::NodeStatus::running) {
    const world::GroupView g = world::find_group(w, c.config().group.group_id);
    if (g.group != nullptr)
      for (const kafka::group::GroupMember& m : g.group->members)
        if (m.client_id == c.config().client_id) held = m.assignment;
  }
  if (!held.empty()) {
    line = CaptionLine{(tight ? "holds " : "still owns ") + list(held), theme().group};
  } else if (!h.empty() && !h.back().revoked.empty() && w.now() - h.back().at <= kRecent) {
    line = CaptionLine{(h.back().lost ? "lost " : "revoked ") + list(h.back().revoked), kCut};
  } else {
    std::vector<kafka::TopicPartitionName> owned;
    for (const auto& [tp, a] : c.assignment())
      owned.push_back(tp);
    if (!owned.empty()) {
      line = CaptionLine{(tight ? "" : "reads ") + list(owned), kInSync};
    } else if (c.in_group()) {
      line = CaptionLine{tight ? "-" : "reads nothing", kOffline};
    }
  }
  if (line && !tight) out.push_back(std::move(*line));
  if (line && tight && !out.empty()) {
    // On the id's line (the first: a short client caption starts with it): "coop-1: 0 2 4",
    // in the colour of what it says.
    CaptionLine& id = out.front();
    id.text += ": " + line->text;
    id.colour = line->colour;
  }
  // The group heads its first member's caption.
  if (c.in_group()) {
    const std::string& group = c.config().group.group_id;
    const GroupSeen g = group_seen(w, i, group);
    if (g.first) {
      std::string line = "group " + group;
      if (!tight)
        line += g.settled ? ", generation " + std::to_string(c.generation()) : ": rebalancing";
      out.insert(out.begin(), CaptionLine{line, g.settled ? theme().group : kSlow, true});
    }
  }
}

/// How much a caption says: everything, no role words for servers (the row says controller,
/// the ring broker), nor for clients ("checkout" for "producer checkout"), a broker's replicas
/// counted on one line instead of listed, or none of them (the tooltip and the Partitions tab
/// still list them): the first that fits the view is used.
/// How much each caption says, from everything to nothing: `one` keeps a caption's first line
/// and `none` drops them all (a large font on a small screen: hovering a node tells the rest).
enum class Captions { full, compact, minimal, counts, bare, one, none };

/// The caption of node `i`: its role and state, the consumer groups it coordinates, then the
/// replicas it holds (listed when few, counted when many, "+N more" in between).
std::vector<CaptionLine> caption_of(const world::World& w, net::NodeIndex i, const NodeInfo& info,
                                    bool iso, ImU32 fill, const kafka::MetadataImage* img,
                                    Captions say, const std::vector<std::string>* coordinates) {
  const world::World::Node& node = w.node(i);
  std::vector<CaptionLine> out;
  const bool client = node.role == "producer" || node.role == "consumer";
  const bool short_client = client && say != Captions::full && say != Captions::compact;
  // The role word, unless the node's detail names it already ("active controller", not
  // "controller, active controller").
  std::string detail_lower = info.detail;
  for (char& ch : detail_lower)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const bool role_in_detail = detail_lower.find(node.role) != std::string::npos;
  std::string caption = client ? (short_client ? client_id(node) : node.name)
                        : node.role == "demo" || say != Captions::full || role_in_detail
                            ? ""
                            : node.role;
  // A short client caption keeps its id on a line of its own and its state below it, so the
  // clients' columns stay narrow.
  const ImU32 colour = info.active_controller || info.quorum_leader ? kGold
                       : info.racing                                ? kSlow
                                                                    : fill;
  if (short_client) {
    out.push_back({caption, colour});
    caption.clear();
  }
  auto add = [&](const std::string& s) { caption += (caption.empty() ? "" : ", ") + s; };
  if (node.status != world::NodeStatus::running) add(world::node_status_name(node.status));
  if (!info.detail.empty() && node.status != world::NodeStatus::crashed &&
      node.status != world::NodeStatus::powered_off && node.status != world::NodeStatus::stopped)
    add(info.detail);
  if (iso) add("isolated");
  // A member's session running out, said in a few words.
  std::string member_left;
  if (const auto& m = info.member) {
    char left[64];
    std::snprintf(left, sizeof left, "leaves group in %.1f s",
                  std::max(0.0, (m->to - w.now()).seconds()));
    member_left = left;
  }
  // The tightest captions keep it on the state's line ("crashed, leaves group in 3.2 s").
  const bool member_inline = !member_left.empty() && say == Captions::bare && !caption.empty();
  if (member_inline) add("leaves in " + member_left.substr(std::string("leaves group in ").size()));
  if (!caption.empty()) out.push_back({caption, colour});
  // A voter's place in its quorum: what an election is made of. Every caption size keeps it
  // during an election; a quiet follower or leader (the gold ring says who leads) gives its
  // line up in tight captions before the brokers give up theirs.
  const bool quiet = info.quorum && (info.quorum->role == kafka::raft::Role::follower ||
                                     info.quorum->role == kafka::raft::Role::leader);
  if (const auto& q = info.quorum;
      q && (!quiet || say == Captions::full || say == Captions::compact)) {
    using kafka::raft::Role;
    const ImU32 c = q->role == Role::leader                                      ? kGold
                    : q->role == Role::candidate || q->role == Role::prospective ? kSlow
                    : q->role == Role::follower                                  ? fill
                                                                                 : kOffline;
    out.push_back({describe_quorum(*q, node.role == "zookeeper"), c});
  }
  // A broker whose heartbeats stopped: the active controller fences it when this runs out.
  if (const auto& s = info.session) {
    char left[64];
    const bool zk = std::string_view(s->what) == "zookeeper.session.timeout.ms";
    std::snprintf(left, sizeof left, zk ? "session ends in %.1f s" : "fenced in %.1f s",
                  std::max(0.0, (s->to - w.now()).seconds()));
    out.push_back({left, kFenced});
  }
  // A follower that stopped catching up: its leader drops it from the ISR when this runs out.
  if (const auto& l = info.lag) {
    char left[96];
    std::snprintf(left, sizeof left, "leaves ISR of %s in %.1f s", info.lag_partition.c_str(),
                  std::max(0.0, (l->to - w.now()).seconds()));
    out.push_back({left, kOutOfSync});
  }
  // A member whose heartbeats stopped: its coordinator removes it when this runs out.
  if (!member_left.empty() && !member_inline) out.push_back({member_left, theme().group});
  // Which groups it coordinates: short, and what a group lesson is about (bare keeps it).
  if (auto line = coordinator_line(coordinates)) out.push_back(std::move(*line));
  // A consumer keeps what it reads in every caption size.
  if (const auto* c = std::get_if<kafka::Consumer>(&node.impl))
    consumer_lines(w, i, *c, say == Captions::bare, out);
  if (img == nullptr || (node.role != "broker" && node.role != "combined")) return out;
  if (say == Captions::bare) return out;
  const std::vector<ReplicaOnBroker> reps = replicas_on(*img, node.id);
  if (say == Captions::counts) {
    const ReplicaCounts c = replica_counts(*img, node.id);
    std::string line =
        "leads " + std::to_string(c.leaders) + ", follows " + std::to_string(c.followers());
    if (c.out_of_sync > 0) line += ", " + std::to_string(c.out_of_sync) + " behind";
    if (c.offline > 0) line += ", " + std::to_string(c.offline) + " offline";
    if (c.leaders + c.followers() + c.out_of_sync + c.offline > 0)
      out.push_back({line, c.out_of_sync + c.offline > 0 ? kOutOfSync : kInSync});
    return out;
  }
  if (reps.size() <= kListedReplicas) {
    for (const ReplicaOnBroker& r : reps)
      out.push_back({r.partition + " " + replica_role_name(r.role), role_colour(r.role)});
    return out;
  }
  const ReplicaCounts c = replica_counts(*img, node.id);
  if (c.leaders + c.followers() > 0) {
    out.push_back({std::to_string(c.leaders) + (c.leaders == 1 ? " leader, " : " leaders, ") +
                       std::to_string(c.followers()) +
                       (c.followers() == 1 ? " follower" : " followers"),
                   kInSync});
  }
  if (c.out_of_sync > 0)
    out.push_back({std::to_string(c.out_of_sync) + " out of sync", kOutOfSync});
  if (c.offline > 0) out.push_back({std::to_string(c.offline) + " offline", kOffline});
  return out;
}

/// Lays the nodes out in `lo`..`hi` as Kafka is drawn on a whiteboard: controllers (or
/// ZooKeeper) in a row at the top (`staggered`: a caption that would touch its neighbour's goes
/// below it), producers in a column on the left and consumers on the right, their captions
/// outward, and brokers on an ellipse between them with their captions outward (sides: beside
/// the node, bottom: below it). The ellipse shrinks until the widest caption fits.
void layout(const world::World& w, std::vector<Place>& places, ImVec2 lo, ImVec2 hi, bool staggered,
            float shrink = 1.0f) {
  const float line_h = ImGui::GetTextLineHeight();
  const size_t n = places.size();
  std::vector<size_t> top, producers, consumers, ring;
  for (size_t i = 0; i < n; ++i) {
    for (CaptionLine& l : places[i].lines) {
      const ImVec2 s = ImGui::CalcTextSize(l.text.c_str());
      places[i].size.x = std::max(places[i].size.x, s.x);
      places[i].size.y += line_h;
    }
    const std::string& role = w.node(static_cast<net::NodeIndex>(i)).role;
    const Row row = row_of(role);
    (row == Row::top      ? top
     : row == Row::client ? (role == "producer" ? producers : consumers)
                          : ring)
        .push_back(i);
  }
  float width = hi.x - lo.x;
  const float height = hi.y - lo.y;
  float y0 = lo.y;
  if (ring.empty()) {
    // No brokers to put in the middle: everything on the ellipse.
    ring.insert(ring.end(), top.begin(), top.end());
    ring.insert(ring.end(), producers.begin(), producers.end());
    ring.insert(ring.end(), consumers.begin(), consumers.end());
    top.clear();
    producers.clear();
    consumers.clear();
  }
  // The clients' columns, evenly down the whole height; the top row and the ring between them.
  float ring_lo = lo.x, ring_hi = hi.x;
  auto column = [&](const std::vector<size_t>& nodes, bool left, float top_y) {
    if (nodes.empty()) return;
    float caption_w = 0;
    for (size_t i : nodes)
      caption_w = std::max(caption_w, places[i].size.x);
    const float slot = std::max(1.0f, hi.y - top_y) / static_cast<float>(nodes.size());
    const float r = std::clamp(slot * 0.3f, 7.0f * ui_scale(), 13.0f * ui_scale()) * shrink;
    const float x =
        left ? lo.x + 4 + caption_w + kRingRoom + 2 + r : hi.x - 4 - caption_w - kRingRoom - 2 - r;
    for (size_t k = 0; k < nodes.size(); ++k) {
      Place& p = places[nodes[k]];
      p.r = r;
      p.pos = ImVec2(x, top_y + slot * (static_cast<float>(k) + 0.5f));
      p.anchor = left ? Place::Anchor::left : Place::Anchor::right;
    }
    (left ? ring_lo : ring_hi) = left ? x + r + 12 : x - r - 12;
  };
  // A group's members side by side (two groups: one above the other), standalone ones last.
  auto group_of = [&](size_t i) {
    const auto* c = std::get_if<kafka::Consumer>(&w.node(static_cast<net::NodeIndex>(i)).impl);
    return c != nullptr && c->in_group() ? c->config().group.group_id : std::string("\x7f");
  };
  std::stable_sort(consumers.begin(), consumers.end(),
                   [&](size_t a, size_t b) { return group_of(a) < group_of(b); });
  column(producers, true, lo.y);
  column(consumers, false, lo.y);
  width = std::max(40.0f, ring_hi - ring_lo);
  // The top row: the controllers (or ZooKeeper), between the columns; across the whole width
  // when they do not fit there (the columns then start below it), unless its captions are
  // staggered (the columns keep the whole height for many clients).
  const size_t row_n = top.size();
  float row_needed = 0;
  for (size_t i : top)
    row_needed += std::max(places[i].size.x, 40.0f * ui_scale()) + 8;
  if (row_n > 0 && ring_hi - ring_lo < row_needed && !staggered) {
    ring_lo = lo.x;
    ring_hi = hi.x;
    width = hi.x - lo.x;
  }
  const bool row_over_columns = ring_hi - ring_lo >= hi.x - lo.x;
  TopRow row{{}, ring_lo + 4, ring_hi - 4, staggered};
  if (row_n > 0) {
    const float r = std::clamp(height * 0.04f, 11.0f * ui_scale(), 16.0f * ui_scale()) * shrink;
    const size_t slots = row_n;
    const float arc = slots > 2 ? r * 1.2f : 0.0f;
    const float slot = width / static_cast<float>(slots);  // between the columns
    float caption_h = 0;
    size_t k = 0;
    auto put = [&](size_t i) {
      Place& p = places[i];
      p.r = r;
      // A shallow arc rather than a line, so links between neighbours do not lie on each other.
      const float off = (static_cast<float>(k) + 0.5f) / static_cast<float>(slots) * 2 - 1;
      p.pos =
          ImVec2(ring_lo + slot * (static_cast<float>(k++) + 0.5f), y0 + r + 2 + arc * off * off);
      p.anchor = Place::Anchor::below;
      caption_h = std::max(caption_h, p.size.y);
    };
    for (size_t i : top)
      put(i);
    row.nodes = top;
    caption_h = std::max(caption_h, row.place(places, line_h));
    y0 += 2 * r + 2 + arc + 4 + caption_h + line_h * 0.5f;
  }
  if (row_over_columns && row_n > 0) {
    ring_lo = lo.x;
    ring_hi = hi.x;
    column(producers, true, y0);
    column(consumers, false, y0);
    width = std::max(40.0f, ring_hi - ring_lo);
  }
  // The ring. Odd counts start at the bottom; even ones half a step off, so no node sits at the
  // very top (where its caption would have no room).
  const size_t m = ring.size();
  if (m == 0) return;
  const float area_h = std::max(40.0f, hi.y - y0);
  const ImVec2 c(ring_lo + width * 0.5f, y0 + area_h * 0.5f);
  const float hw = width * 0.5f, hh = area_h * 0.5f;
  // Brokers: at least room for a three-digit id inside the circle.
  const float id_r = ImGui::CalcTextSize("000").x * 0.5f + 4.0f;
  const float r = std::clamp(std::min(width, area_h) * 0.06f, std::max(12.0f * ui_scale(), id_r),
                             std::max(26.0f * ui_scale(), id_r)) *
                  shrink;
  if (m == 1) {
    Place& p = places[ring[0]];
    p.r = r;
    p.pos = ImVec2(c.x, c.y - p.size.y * 0.5f);
    p.anchor = Place::Anchor::below;
    place_caption(p, line_h);
    for (size_t i = 0; i < n; ++i)
      place_caption(places[i], line_h);
    row.place(places, line_h);
    return;
  }
  std::vector<float> angle(m), above(m), below(m);
  float rx = hw - r - 4, ry = hh - r - 4;
  for (size_t k = 0; k < m; ++k) {
    const float step = 6.2831853f / static_cast<float>(m);
    angle[k] = 1.5707963f + step * (static_cast<float>(k) + (m % 2 == 0 ? 0.5f : 0.0f));
    const float ca = std::cos(angle[k]), sa = std::sin(angle[k]);
    Place& p = places[ring[k]];
    p.r = r;
    const float half = std::max(r, p.size.y * 0.5f);
    if (std::abs(ca) >= 0.25f && (hw - r - kRingRoom - 4 - p.size.x) / std::abs(ca) >= 2.5f * r) {
      p.anchor = ca > 0 ? Place::Anchor::right : Place::Anchor::left;
      rx = std::min(rx, (hw - r - kRingRoom - 4 - p.size.x) / std::abs(ca));
      if (std::abs(sa) > 0.01f) ry = std::min(ry, (hh - half - 2) / std::abs(sa));
    } else if (std::abs(ca) >= 0.25f) {
      // No room beside it (a narrow ring between the clients' columns): below it instead.
      p.anchor = Place::Anchor::below;
      rx = std::min(rx, (hw - std::max(r, p.size.x * 0.5f) - 2) / std::abs(ca));
    } else if (sa > 0 && (hh - r - kRingRoom - p.size.y) / sa >= 2.0f * r) {
      p.anchor = Place::Anchor::below;
      ry = std::min(ry, (hh - r - kRingRoom - p.size.y) / sa);
      if (std::abs(ca) > 0.01f) rx = std::min(rx, (hw - p.size.x * 0.5f - 2) / std::abs(ca));
    } else if (sa > 0) {
      // No room below it (a short view): beside it instead.
      p.anchor = Place::Anchor::right;
      ry = std::min(ry, (hh - half - 2) / sa);
    } else {
      p.anchor = Place::Anchor::right;
      ry = std::min(ry, (hh - r - 2) / -sa);
    }
    // How far the node and its caption reach above and below its centre.
    above[k] = p.anchor == Place::Anchor::below ? r : half;
    below[k] = p.anchor == Place::Anchor::below ? r + kRingRoom + p.size.y : half;
  }
  // Vertically, the ellipse need not be centred: with an odd count the bottom node reaches
  // further down than the top ones up. The tallest ry whose nodes and captions fit the area,
  // then the whole placed in the middle of it.
  auto reach = [&](float y_radius, bool top) {
    float out = top ? 1e9f : -1e9f;
    for (size_t k = 0; k < m; ++k) {
      const float sa = std::sin(angle[k]);
      out = top ? std::min(out, sa * y_radius - above[k]) : std::max(out, sa * y_radius + below[k]);
    }
    return out;
  };
  const float room = area_h - 4;
  float fit_lo = 0, fit_hi = room;
  for (int it = 0; it < 24; ++it) {
    const float mid = (fit_lo + fit_hi) * 0.5f;
    (reach(mid, false) - reach(mid, true) <= room ? fit_lo : fit_hi) = mid;
  }
  rx = std::max(rx, 2.5f * r);
  ry = std::max(fit_lo, 1.5f * r);
  const float cy = y0 + 2 + (room - (reach(ry, false) - reach(ry, true))) * 0.5f - reach(ry, true);
  for (size_t k = 0; k < m; ++k) {
    Place& p = places[ring[k]];
    p.pos = ImVec2(c.x + rx * std::cos(angle[k]), cy + ry * std::sin(angle[k]));
  }
  for (size_t i = 0; i < n; ++i)
    place_caption(places[i], line_h);
  row.place(places, line_h);
  // Captions that still touch (many brokers, long captions): move the lower one down.
  std::vector<size_t> order = ring;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return places[a].caption.y < places[b].caption.y; });
  for (size_t x = 0; x < order.size(); ++x) {
    for (size_t y = x + 1; y < order.size(); ++y) {
      Place& a = places[order[x]];
      Place& b = places[order[y]];
      if (overlaps(a, b)) b.caption.y = a.caption.y + a.size.y + 1;
    }
  }
}

/// Where a link's label goes: beside a point along the link (the middle first) where it covers
/// no node and no caption; the middle when there is none.
ImVec2 label_spot(const std::vector<Place>& places, std::vector<ImVec4>& taken, ImVec2 a, ImVec2 b,
                  ImVec2 size, float line_h, ImVec2 lo, ImVec2 hi) {
  auto free = [&](ImVec2 at) {
    if (at.x < lo.x || at.y < lo.y || at.x + size.x > hi.x || at.y + size.y > hi.y) return false;
    for (const ImVec4& t : taken)
      if (t.x < at.x + size.x && at.x < t.z && t.y < at.y + size.y && at.y < t.w) return false;
    for (const Place& p : places) {
      const bool node = p.pos.x + p.r + 2 > at.x && p.pos.x - p.r - 2 < at.x + size.x &&
                        p.pos.y + p.r + 2 > at.y && p.pos.y - p.r - 2 < at.y + size.y;
      const bool caption = !p.lines.empty() && p.caption.x < at.x + size.x &&
                           at.x < p.caption.x + p.size.x && p.caption.y < at.y + size.y &&
                           at.y < p.caption.y + p.size.y;
      if (node || caption) return false;
    }
    return true;
  };
  // Along the link, then further off it on either side (a short link between neighbours).
  const float dx = b.x - a.x, dy = b.y - a.y;
  const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  const ImVec2 normal(-dy / len, dx / len);
  for (float off : {0.0f, 1.5f, -1.5f, 2.5f, -2.5f}) {
    for (float t : {0.5f, 0.4f, 0.6f, 0.3f, 0.7f, 0.2f, 0.8f}) {
      const ImVec2 l = lerp(a, b, t);
      const ImVec2 m(l.x + normal.x * off * line_h, l.y + normal.y * off * line_h);
      for (const ImVec2 at :
           {ImVec2(m.x + 4, m.y - line_h), ImVec2(m.x - 4 - size.x, m.y - line_h),
            ImVec2(m.x + 4, m.y + 2), ImVec2(m.x - size.x * 0.5f, m.y - size.y * 0.5f)}) {
        if (!free(at)) continue;
        taken.emplace_back(at.x, at.y, at.x + size.x, at.y + size.y);
        return at;
      }
    }
  }
  const ImVec2 m = lerp(a, b, 0.5f);
  return ImVec2(m.x + 4, m.y - line_h);
}

/// Caption rectangles that touch each other or another node, or reach out of `lo`..`hi`: a
/// layout too cramped to read.
int collisions(const std::vector<Place>& places, ImVec2 lo, ImVec2 hi) {
  int hits = 0;
  for (const Place& p : places) {
    if (p.pos.x - p.r < lo.x || p.pos.x + p.r > hi.x || p.pos.y - p.r < lo.y ||
        p.pos.y + p.r > hi.y)
      ++hits;
    if (!p.lines.empty() && (p.caption.x < lo.x || p.caption.x + p.size.x > hi.x ||
                             p.caption.y < lo.y || p.caption.y + p.size.y > hi.y))
      ++hits;
  }
  // Nodes on each other (with room for the rings drawn around them).
  for (size_t a = 0; a < places.size(); ++a) {
    for (size_t b = a + 1; b < places.size(); ++b) {
      const float dx = places[a].pos.x - places[b].pos.x, dy = places[a].pos.y - places[b].pos.y;
      const float gap = places[a].r + places[b].r + 2 * kRingReach + 1;  // and their rings
      if (dx * dx + dy * dy < gap * gap) ++hits;
    }
  }
  for (size_t a = 0; a < places.size(); ++a) {
    const Place& p = places[a];
    if (p.lines.empty()) continue;
    for (size_t b = 0; b < places.size(); ++b) {
      if (b == a) continue;
      const Place& q = places[b];
      if (b > a && !q.lines.empty() && overlaps(p, q)) ++hits;
      // The node with the rings drawn around it (timer, active controller, isolated).
      const float qr = q.r + kRingReach + 0.5f;
      if (q.pos.x + qr > p.caption.x && q.pos.x - qr < p.caption.x + p.size.x &&
          q.pos.y + qr > p.caption.y && q.pos.y - qr < p.caption.y + p.size.y)
        ++hits;
    }
  }
  return hits;
}

/// Every node's place and caption in `lo`..`hi`: full captions when they fit, else compact ones,
/// else minimal ones, else minimal ones with the top row's captions staggered (many clients:
/// staggering takes height from the ring, so it comes late), else replicas counted, else bare
/// ones, smaller nodes, one line each, else none.
/// When nothing fits, the attempt with the fewest problems; `problems` says how many.
std::vector<Place> place_nodes(const world::World& w, const std::vector<NodeInfo>& infos,
                               const std::vector<char>& iso, const std::vector<ImU32>& fills,
                               ImVec2 lo, ImVec2 hi, int* problems = nullptr,
                               int* attempt = nullptr) {
  const kafka::MetadataImage* img = world::cluster_image(w);
  const std::map<int32_t, std::vector<std::string>> coordinating = coordinators(w);
  // The last ones draw smaller nodes (many brokers in a small view).
  struct Attempt {
    Captions say;
    bool stagger;
    float shrink;
  };
  constexpr Attempt kAttempts[] = {
      {Captions::full, false, 1.0f},    {Captions::compact, false, 1.0f},
      {Captions::minimal, false, 1.0f}, {Captions::minimal, true, 1.0f},
      {Captions::counts, true, 1.0f},   {Captions::bare, true, 1.0f},
      {Captions::counts, true, 0.7f},   {Captions::bare, true, 0.7f},
      {Captions::bare, true, 0.5f},     {Captions::one, true, 0.7f},
      {Captions::none, true, 0.7f},     {Captions::none, true, 0.5f}};
  std::vector<Place> places(infos.size()), best;
  int fewest = -1;
  int tried = 0, chosen = 0;
  for (const auto& [say, stagger, shrink] : kAttempts) {
    ++tried;
    for (size_t i = 0; i < places.size(); ++i) {
      const auto c = coordinating.find(w.node(static_cast<net::NodeIndex>(i)).id);
      places[i] = Place{};
      const Captions asked = say == Captions::one || say == Captions::none ? Captions::bare : say;
      places[i].lines =
          caption_of(w, static_cast<net::NodeIndex>(i), infos[i], iso[i] != 0, fills[i], img, asked,
                     c == coordinating.end() ? nullptr : &c->second);
      if (say == Captions::one) {
        // The node's own first line (a member's reads, not its group's name).
        std::vector<CaptionLine>& lines = places[i].lines;
        std::erase_if(lines, [](const CaptionLine& l) { return l.heading; });
        if (lines.size() > 1) lines.resize(1);
      }
      if (say == Captions::none) places[i].lines.clear();
    }
    layout(w, places, lo, hi, stagger, shrink);
    const int hits = collisions(places, lo, hi);
    if (fewest < 0 || hits < fewest) {
      fewest = hits;
      best = places;
      chosen = tried - 1;
    }
    if (hits == 0) break;
  }
  if (problems != nullptr) *problems = fewest;
  if (attempt != nullptr) *attempt = chosen;
  return best;
}

/// The fault menu of a node, in Kafka's words.
void node_menu(AppState& app, net::NodeIndex i) {
  const world::World& w = app.world;
  const world::World::Node& n = w.node(i);
  ImGui::Text("%s: %s", n.name.c_str(), world::node_status_name(n.status));
  ImGui::Separator();
  if (ImGui::MenuItem("Select (show in the Inspector)")) app.selected.node = static_cast<int>(i);
  ImGui::Separator();
  const bool down = n.status == world::NodeStatus::crashed ||
                    n.status == world::NodeStatus::powered_off ||
                    n.status == world::NodeStatus::stopped;
  const bool running = n.status == world::NodeStatus::running;
  if (down) {
    if (ImGui::MenuItem("Restart")) app.submit(world::Restart{n.id});
    return;
  }
  if (ImGui::MenuItem("Crash (kill -9)")) app.submit(world::Crash{n.id});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The process dies; what it wrote survives in the page cache.");
  if (ImGui::MenuItem("Power off (power loss)")) app.submit(world::PowerLoss{n.id});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Like a crash, and what was not flushed to disk is lost; peers only "
        "notice by timeout.");
  if (ImGui::BeginMenu("Pause (stop-the-world GC pause)", running)) {
    for (const auto& [label, d] : {std::pair{"1 s", 1_s}, {"3 s", 3_s}, {"10 s", 10_s}}) {
      if (ImGui::MenuItem(label)) app.submit(world::Pause{n.id, d});
    }
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem("Isolate (cut every link)", nullptr, false, !isolated(w, i)))
    app.submit(world::Isolate{n.id});
  if (n.role != "demo" && n.role != "producer" && n.role != "consumer" &&
      ImGui::MenuItem("Controlled shutdown (SIGTERM)", nullptr, false, running)) {
    app.submit(world::Shutdown{n.id});
  }
  // Preferred leader election for the partitions this broker should lead but does not.
  const kafka::MetadataImage* img = world::cluster_image(w);
  if (img != nullptr && (n.role == "broker" || n.role == "combined")) {
    ImGui::Separator();
    const std::vector<std::string> parts = preferred_not_leader(*img, n.id);
    if (ImGui::BeginMenu("Elect preferred leader", !parts.empty())) {
      constexpr size_t kShown = 24;
      for (size_t k = 0; k < parts.size() && k < kShown; ++k) {
        if (ImGui::MenuItem(parts[k].c_str())) app.submit(world::ElectPreferred{parts[k]});
      }
      if (parts.size() > kShown) ImGui::TextDisabled("+%zu more", parts.size() - kShown);
      ImGui::EndMenu();
    }
    if (ImGui::IsItemHovered() && parts.empty())
      ImGui::SetTooltip("%s already leads every partition it is the preferred replica of",
                        n.name.c_str());
    if (ImGui::MenuItem("Elect preferred leaders (all partitions)"))
      app.submit(world::ElectPreferred{});
  }
}

/// The menu of the link a <-> b.
void link_menu(AppState& app, net::NodeIndex a, net::NodeIndex b) {
  const world::World& w = app.world;
  const int32_t ida = w.node(a).id, idb = w.node(b).id;
  ImGui::TextUnformatted(describe_link(w, a, b).c_str());
  ImGui::Separator();
  const LinkState s = link_state(w, a, b);
  if (s == LinkState::down) {
    if (ImGui::MenuItem("Restore link")) app.submit(link_down(ida, idb, false));
  } else if (s == LinkState::cut) {
    if (ImGui::MenuItem("Heal the network (every cut link)")) app.submit(world::Heal{});
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "A partition or an isolate cut this link: Kafka's tools (and this "
          "simulator) only heal the whole network.");
  } else if (ImGui::MenuItem("Cut link")) {
    app.submit(link_down(ida, idb, true));
  }
  for (const auto& [label, d] : {std::pair{"Slow: +50 ms latency", 50_ms},
                                 {"Slow: +200 ms latency", 200_ms},
                                 {"Slow: +1 s latency", 1_s}}) {
    if (ImGui::MenuItem(label)) app.submit(link_slower(w, ida, idb, d));
  }
  if (ImGui::MenuItem("Lossy: 10% loss")) app.submit(link_lossy(ida, idb, 0.1));
  const std::string reset = "Reset link to default (" + sim::to_string(w.config().link.latency) +
                            (w.config().link.loss > 0 ? ", lossy" : "") + ")";
  if (ImGui::MenuItem(reset.c_str(), nullptr, false,
                      !(w.network().link(a, b) == w.config().link))) {
    app.submit(link_reset(w, ida, idb));
  }
}

/// A legend row: a coloured dot (or the glyph `draw` draws) then a word, wrapping at `right`.
struct LegendWriter {
  ImDrawList* dl;
  ImVec2 at;
  float left, right, line_h;
  bool measure;  // only find out where things go
  template <class Glyph>
  void item(const char* word, ImU32 text, Glyph glyph) {
    const float w = line_h + ImGui::CalcTextSize(word).x + 12;
    if (at.x + w > right && at.x > left) at = ImVec2(left, at.y + line_h + 2);
    if (!measure) {
      glyph(ImVec2(at.x + line_h * 0.5f, at.y + line_h * 0.5f));
      dl->AddText(ImVec2(at.x + line_h, at.y), text, word);
      if (probe::recording())
        probe::drawn("cluster", std::string("legend: ") + word, at,
                     ImVec2(at.x + w - 12, at.y + line_h));
    }
    at.x += w;
  }
  void label(const char* word) {
    if (!measure) {
      dl->AddText(at, IM_COL32(150, 156, 168, 255), word);
      if (probe::recording() && *word != '\0') probe::text("cluster", "legend: ", word, at);
    }
    at.x += ImGui::CalcTextSize(word).x + 8;
  }
};

/// The legend: node states, then message kinds, from `at`, wrapping at `width`; returns its
/// height (`measure`: only that).
float draw_legend(ImDrawList* dl, ImVec2 at, float width, float line_h, size_t in_flight,
                  bool measure) {
  const float gr = line_h * 0.3f;
  const float y = at.y;
  LegendWriter lw{dl, at, at.x, at.x + width, line_h, measure};
  for (auto s : {world::NodeStatus::running, world::NodeStatus::paused, world::NodeStatus::crashed,
                 world::NodeStatus::powered_off, world::NodeStatus::stopped}) {
    lw.item(world::node_status_name(s), status_colour(s), [&](ImVec2 c) {
      dl->AddCircle(c, gr, status_colour(s), 0, 2.5f);
      if (s != world::NodeStatus::running && s != world::NodeStatus::stopped)
        badge(dl, ImVec2(c.x - gr * 0.3f, c.y + gr * 0.3f), gr, s);
    });
  }
  lw.item("fenced", kFenced, [&](ImVec2 c) { dl->AddCircle(c, gr, kFenced, 0, 2.5f); });
  lw.item("isolated", kIsolated, [&](ImVec2 c) { dashed_circle(dl, c, gr + 1, kIsolated, 2.0f); });
  lw.item("active controller", kGold, [&](ImVec2 c) { dl->AddCircle(c, gr, kGold, 0, 2.5f); });
  lw.at = ImVec2(at.x, lw.at.y + line_h + 2);
  lw.label("messages:");
  for (net::MessageKind k : kKafkaMessageKinds) {
    const std::string name(net::message_kind_name(k));
    lw.item(name.c_str(), message_colour(k),
            [&](ImVec2 c) { dl->AddCircleFilled(c, 4.5f, message_colour(k), 10); });
  }
  const std::string count = std::to_string(in_flight) + " in flight";
  lw.label("");
  lw.item(count.c_str(), IM_COL32(180, 186, 198, 255), [](ImVec2) {});
  return lw.at.y + line_h - y;
}

/// The latest narration under the toolbar, wrapped at `right`: at most three lines (two when the
/// view is short), scrolling when longer, the whole text on hover.
void draw_narration(const std::string& text, float right, float view_h) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float width = std::max(40.0f, right - at.x);
  const float line_h = ImGui::GetTextLineHeight();
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, width);
  // Three lines on a tall view, two on a short one, one when the nodes need all the room
  // (the lesson panel's steps hold the whole text too).
  const float room = (view_h > 24.0f * line_h   ? 3.0f
                      : view_h > 14.0f * line_h ? 2.0f
                                                : 1.0f) *
                     line_h;
  const ImVec4 colour(0.55f, 0.75f, 1.0f, 1.0f);
  if (size.y <= room + 1.0f) {
    ImGui::PushTextWrapPos(right - ImGui::GetWindowPos().x);
    ImGui::TextColored(colour, "%s", text.c_str());
    ImGui::PopTextWrapPos();
    probe::item("cluster", "the narration");
    return;
  }
  ImGui::BeginChild("narration", ImVec2(width, room), false);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(colour, "%s", text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  probe::item("cluster", "the narration");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace

void ClusterPanel::draw(AppState& app) {
  // The view fits its window: it never scrolls.
  // No close button: a closed window could not be brought back (the Time window also
  // reads the keyboard shortcuts).
  ImGui::Begin("Cluster", nullptr,
               ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoScrollbar |
                   ImGuiWindowFlags_NoScrollWithMouse |
                   (title_bar ? 0 : ImGuiWindowFlags_NoTitleBar));
  const world::World& w = app.world;
  const net::Network& net = w.network();
  const size_t n = w.nodes().size();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  journey_.reset();
  if (app.followed) journey_ = journey(w, *app.followed);
  const float line_h = ImGui::GetTextLineHeight();

  // [keys] D toggles drawing a partition, Escape cancels it.
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.WantTextInput && !io.KeyCtrl && ImGui::IsKeyPressed('D')) {
    drawing = !drawing;
    lasso_.clear();
  }
  if (drawing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    drawing = false;
    lasso_.clear();
  }
  if (!drawing) side_a.clear();

  // [toolbar] the drawing mode, then the latest narration.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const std::optional<world::Partition> partition =
      drawing ? partition_from_side(w, side_a) : std::nullopt;
  bool legend_hovered = false;
  if (!drawing) {
    if (ImGui::Button("Draw partition")) drawing = true;
    probe::item("cluster", "the Draw partition button");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "Pick side A of a network partition by clicking nodes or dragging a "
          "lasso around them (key D)");
    ImGui::SameLine();
    if (ImGui::Button("Legend")) legend = !legend;
    probe::item("cluster", "the Legend button");
    legend_hovered = ImGui::IsItemHovered();
    // The actions on the whole cluster, on this line when both fit; else behind one button
    // (a large font on a small screen keeps its room for the nodes).
    constexpr const char* kActions[] = {"Heal network", "Elect preferred leaders"};
    constexpr const char* kTips[] = {
        "Bring back every link a partition or an isolate cut",
        "Ask the controller to move each partition's leadership back to its preferred (first) "
        "replica where that one is in sync"};
    auto act = [&](int k) {
      if (k == 0)
        app.submit(world::Heal{});
      else
        app.submit(world::ElectPreferred{});
    };
    const ImGuiStyle& st = ImGui::GetStyle();
    float row = ImGui::GetItemRectMax().x;
    for (const char* label : kActions)
      row += st.ItemSpacing.x + ImGui::CalcTextSize(label).x + st.FramePadding.x * 2.0f;
    if (row <= origin.x + avail.x) {
      for (int k = 0; k < 2; ++k) {
        ImGui::SameLine();
        if (ImGui::Button(kActions[k])) act(k);
        probe::item("cluster", std::string("the ") + kActions[k] + " button");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kTips[k]);
      }
    } else {
      ImGui::SameLine();
      if (ImGui::Button("Actions")) ImGui::OpenPopup("cluster_actions");
      probe::item("cluster", "the Actions button");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Heal network, elect preferred leaders");
      if (ImGui::BeginPopup("cluster_actions")) {
        for (int k = 0; k < 2; ++k) {
          if (ImGui::MenuItem(kActions[k])) act(k);
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kTips[k]);
        }
        ImGui::EndPopup();
      }
    }
    // The record followed (the log strip or the producer's inspector): where it is now.
    if (journey_) {
      const FollowedRecord& f = *app.followed;
      const std::string label =
          "following " + f.tp.str() + "@" +
          (journey_->offset == kafka::kNoOffset ? std::string("?")
                                                : std::to_string(journey_->offset)) +
          (journey_->key.empty() ? "" : " (" + journey_->key + ")");
      const float w = ImGui::CalcTextSize(label.c_str()).x;
      if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w <= origin.x + avail.x)
        ImGui::SameLine();
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kFollowed), "%s", label.c_str());
      probe::item("cluster", "the record followed");
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::Text("%s", describe(*journey_, {}).c_str());
        ImGui::TextDisabled(
            "gold squares: who holds it; a gold ring: a message carrying it.\n"
            "Shift+Right / Shift+Left: its next / previous moment");
        ImGui::EndTooltip();
      }
    }
  } else {
    if (ImGui::Button("Cancel")) drawing = false;
    ImGui::SameLine();
    ImGui::BeginDisabled(!partition);
    if (ImGui::Button("Apply partition") && partition) {
      app.submit(*partition);
      drawing = false;
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    std::string sides = "side A:";
    for (int32_t id : side_a)
      sides += " " + std::to_string(id);
    if (side_a.empty()) sides += " click nodes or drag a lasso (Esc cancels)";
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kSideA), "%s", sides.c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kSideB), "| side B: every other node");
  }
  if (!drawing) {
    const auto& recs = app.log();
    for (size_t k = app.log_now(), scanned = 0; k > 0 && scanned < 4096; --k, ++scanned) {
      if (recs[k - 1].kind == sim::TraceKind::narration) {
        draw_narration(recs[k - 1].reason, origin.x + avail.x, avail.y);
        break;
      }
    }
  }
  // [legend] node states, then message kinds; measured first (it wraps in a narrow window).
  size_t in_flight = 0;
  for (const net::Envelope& e : net.slots())
    in_flight += e.live ? 1 : 0;
  auto legend_at = [&](bool measure, float y) {
    return draw_legend(dl, ImVec2(origin.x, y), avail.x, line_h, in_flight, measure);
  };
  const float legend_h = legend_at(true, 0) + 6;
  const ImVec2 lo(origin.x, ImGui::GetCursorScreenPos().y + 2);
  const float bottom = std::max(lo.y + 80, origin.y + avail.y);

  // [layout] captions first: their sizes decide where the nodes go.
  const kafka::MetadataImage* img = world::cluster_image(w);
  std::vector<NodeInfo> infos(n);
  std::vector<char> iso(n);
  std::vector<ImU32> fills(n);
  for (size_t i = 0; i < n; ++i) {
    const auto ni = static_cast<net::NodeIndex>(i);
    const world::World::Node& node = w.node(ni);
    infos[i] = node_info(w, ni);
    if (!infos[i].session)  // ZooKeeper mode: the ensemble's session of a silent broker
      infos[i].session = late_zk_session(w, std::span<const MessageLine>(app.messages()), node.id);
    iso[i] = isolated(w, ni) ? 1 : 0;
    const bool down =
        node.status != world::NodeStatus::running && node.status != world::NodeStatus::paused;
    fills[i] = !down && infos[i].fenced ? kFenced : status_colour(node.status);
  }
  // The legend below the nodes when they fit above it (or fit no worse); else it waits behind
  // the Legend button.
  ImVec2 hi(origin.x + avail.x, bottom);
  int problems = 0;
  std::vector<Place> places;
  bool legend_inline = false;
  // The nodes come first: the legend stays below them only if it costs them nothing (no
  // shorter captions or smaller nodes than they would have without it).
  int attempt = 0;
  if (legend && bottom - legend_h > lo.y + 80) {
    hi.y = bottom - legend_h;
    places = place_nodes(w, infos, iso, fills, lo, hi, &problems, &attempt);
    legend_inline = true;
  }
  if (!legend_inline || problems > 0 || attempt > 0) {
    int without = 0, attempt_without = 0;
    std::vector<Place> alone =
        place_nodes(w, infos, iso, fills, lo, ImVec2(hi.x, bottom), &without, &attempt_without);
    if (!legend_inline || without < problems ||
        (without == problems && attempt_without < attempt)) {
      places = std::move(alone);
      hi.y = bottom;
      legend_inline = false;
    }
  }
  auto pos = [&](size_t i) { return places[i].pos; };
  auto in_a = [&](size_t i) {
    return std::find(side_a.begin(), side_a.end(), w.node(static_cast<net::NodeIndex>(i)).id) !=
           side_a.end();
  };

  // [interaction] nodes first (the first item under the mouse wins), then the canvas behind
  // them: links and the lasso.
  int hovered_node = -1;
  bool open_menu = false;
  for (size_t i = 0; i < n; ++i) {
    const Place& p = places[i];
    ImGui::SetCursorScreenPos(ImVec2(p.pos.x - p.r, p.pos.y - p.r));
    ImGui::PushID(static_cast<int>(i));
    ImGui::InvisibleButton("node", ImVec2(p.r * 2, p.r * 2),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    if (ImGui::IsItemClicked(ImGuiMouseButton_Left) ||
        ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
      if (drawing) {
        toggle_side(side_a, w.node(static_cast<net::NodeIndex>(i)).id);
      } else {
        menu_node_ = static_cast<int>(i);
        open_menu = true;
      }
    }
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
      app.selected.node = static_cast<int>(i);
    if (ImGui::IsItemHovered()) hovered_node = static_cast<int>(i);
    ImGui::PopID();
  }
  if (open_menu) ImGui::OpenPopup("node_menu");
  ImGui::SetCursorScreenPos(lo);
  ImGui::InvisibleButton("canvas", ImVec2(hi.x - lo.x, hi.y - lo.y),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool canvas_active = ImGui::IsItemActive();
  const bool canvas_clicked =
      ImGui::IsItemClicked(ImGuiMouseButton_Left) || ImGui::IsItemClicked(ImGuiMouseButton_Right);
  const ImVec2 mouse = io.MousePos;
  int hover_a = -1, hover_b = -1;
  const bool links = n <= kLinksMaxNodes;
  if (links)
    traffic_.count(w, std::span<const MessageLine>(app.messages()), kTrafficWindow,
                   app.hidden_kinds);
  if (canvas_hovered && !drawing && links) {
    float best = 6.0f;
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = a + 1; b < n; ++b) {
        const float d = segment_distance(mouse, pos(a), pos(b));
        if (d < best) {
          best = d;
          hover_a = static_cast<int>(a);
          hover_b = static_cast<int>(b);
        }
      }
    }
    if (hover_a >= 0) {
      const auto a = static_cast<net::NodeIndex>(hover_a), b = static_cast<net::NodeIndex>(hover_b);
      ImGui::BeginTooltip();
      ImGui::Text("%s, click to cut or slow", describe_link(w, a, b).c_str());
      const PairTraffic& t = traffic_.between(a, b);
      if (t.total == 0) {
        ImGui::TextDisabled("idle: no message in the last %.1f s", kTrafficWindow.seconds());
      } else {
        ImGui::TextDisabled("%u messages in the last %.1f s, mostly %s", t.total,
                            kTrafficWindow.seconds(),
                            std::string(net::message_kind_name(t.kind)).c_str());
        if (t.asks_ab > 0)
          ImGui::TextDisabled("%u requests %s -> %s", t.asks_ab, w.node(a).name.c_str(),
                              w.node(b).name.c_str());
        if (t.asks_ba > 0)
          ImGui::TextDisabled("%u requests %s -> %s", t.asks_ba, w.node(b).name.c_str(),
                              w.node(a).name.c_str());
      }
      ImGui::EndTooltip();
      if (canvas_clicked) {
        link_a_ = hover_a;
        link_b_ = hover_b;
        ImGui::OpenPopup("link_menu");
      }
    }
  }
  if (drawing) {
    if (canvas_active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 2.0f)) {
      const Point m{mouse.x, mouse.y};
      if (lasso_.empty() || std::abs(lasso_.back().x - m.x) + std::abs(lasso_.back().y - m.y) > 3)
        lasso_.push_back(m);
    } else if (!lasso_.empty()) {
      std::vector<Point> centres(n);
      for (size_t i = 0; i < n; ++i)
        centres[i] = Point{pos(i).x, pos(i).y};
      for (size_t i : inside_lasso(lasso_, centres)) {
        const int32_t id = w.node(static_cast<net::NodeIndex>(i)).id;
        if (std::find(side_a.begin(), side_a.end(), id) == side_a.end()) side_a.push_back(id);
      }
      lasso_.clear();
    }
  }

  // [links] cut ones red and crossed, slow amber with their latency, lossy violet; while
  // drawing a partition, the links it would cut dashed red.
  std::vector<ImVec4> labels;  // where link labels went (min x, min y, max x, max y)
  // An arrowhead on the line a-b just outside node b's rings, pointing at b.
  auto arrow_to = [&](ImVec2 pa, ImVec2 pb, float rb, ImU32 col) {
    const float dx = pb.x - pa.x, dy = pb.y - pa.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    const float size = std::max(6.0f, line_h * 0.45f);
    if (len < rb * 2 + kRingReach * 2 + size * 3) return;
    const ImVec2 u(dx / len, dy / len), nrm(-u.y, u.x);
    const ImVec2 tip(pb.x - u.x * (rb + kRingReach + 2), pb.y - u.y * (rb + kRingReach + 2));
    const ImVec2 back(tip.x - u.x * size * 1.4f, tip.y - u.y * size * 1.4f);
    dl->AddTriangleFilled(tip, ImVec2(back.x + nrm.x * size * 0.6f, back.y + nrm.y * size * 0.6f),
                          ImVec2(back.x - nrm.x * size * 0.6f, back.y - nrm.y * size * 0.6f), col);
  };
  if (links) {
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = a + 1; b < n; ++b) {
        const auto na = static_cast<net::NodeIndex>(a), nb = static_cast<net::NodeIndex>(b);
        const ImVec2 pa = pos(a), pb = pos(b);
        const ImVec2 m = lerp(pa, pb, 0.5f);
        const bool hovered = static_cast<int>(a) == hover_a && static_cast<int>(b) == hover_b;
        if (drawing && in_a(a) != in_a(b)) {
          dashed_line(dl, pa, pb, with_alpha(kCut, 200), 1.5f, 6.0f);
          continue;
        }
        const LinkState s = link_state(w, na, nb);
        if (hovered) dl->AddLine(pa, pb, IM_COL32(255, 255, 255, 200), 5.0f);
        switch (s) {
          case LinkState::down:
          case LinkState::cut: {
            const ImU32 col = s == LinkState::down ? kCut : with_alpha(kCut, 190);
            dl->AddLine(pa, pb, with_alpha(kCut, 120), 1.5f);
            dl->AddLine(ImVec2(m.x - 5, m.y - 5), ImVec2(m.x + 5, m.y + 5), col, 2.5f);
            dl->AddLine(ImVec2(m.x - 5, m.y + 5), ImVec2(m.x + 5, m.y - 5), col, 2.5f);
            break;
          }
          case LinkState::slow:
          case LinkState::lossy: {
            const ImU32 col = s == LinkState::slow ? kSlow : kLossy;
            dl->AddLine(pa, pb, with_alpha(col, 170), 3.0f);
            const net::LinkParams& lp = net.link(na, nb);
            std::string t = sim::to_string(lp.latency);
            if (lp.loss > 0) t += ", " + std::to_string(static_cast<int>(lp.loss * 100)) + "% loss";
            const ImVec2 at =
                label_spot(places, labels, pa, pb, ImGui::CalcTextSize(t.c_str()), line_h, lo, hi);
            dl->AddText(at, col, t.c_str());
            if (probe::recording()) probe::text("cluster", "link label ", t, at);
            break;
          }
          case LinkState::normal: {
            // Traffic: the busier, the thicker; toward the side that answers, an arrowhead.
            const PairTraffic& t = traffic_.between(na, nb);
            if (t.total == 0) {
              dl->AddLine(pa, pb, IM_COL32(90, 100, 115, hovered ? 160 : 40), 1.0f);
              break;
            }
            const float busy = std::log2(1.0f + static_cast<float>(t.total));
            const ImU32 col = with_alpha(message_colour(t.kind),
                                         std::min(230, 110 + static_cast<int>(busy * 15)));
            dl->AddLine(pa, pb, col, std::min(4.5f, 1.0f + busy * 0.4f) * ui_scale());
            if (t.asks_ab > 0) arrow_to(pa, pb, places[b].r, col);
            if (t.asks_ba > 0) arrow_to(pb, pa, places[a].r, col);
            break;
          }
        }
      }
    }
  }

  // [messages] where each is now between sent_at and deliver_at, with a trail toward its sender.
  const sim::Time now = w.now();
  const float glyph = std::max(5.0f, line_h * 0.3f);  // message dots grow with the font
  for (uint32_t slot = 0; slot < net.slots().size(); ++slot) {
    const net::Envelope& e = net.slots()[slot];
    if (!e.live || !app.shown(e.kind)) continue;
    const double span = static_cast<double>((e.deliver_at - e.sent_at).ns());
    const float t = std::clamp(span <= 0 ? 1.0f : static_cast<float>((now - e.sent_at).ns() / span),
                               0.0f, 1.0f);
    const ImVec2 from = pos(e.src), to = pos(e.dst);
    const ImVec2 at = lerp(from, to, t);
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
    const float trail = std::min(18.0f, len * t);
    const ImU32 col = message_colour(e.kind);
    dl->AddLine(at, ImVec2(at.x - dx / len * trail, at.y - dy / len * trail), with_alpha(col, 90),
                3.0f);
    if (journey_ && std::any_of(journey_->carriers.begin(), journey_->carriers.end(),
                                [&](const Carrier& c) { return c.slot == slot; }))
      dl->AddCircle(at, glyph * 2.4f, kFollowed, 16, 2.5f);  // it carries the record followed
    // An election's messages as arrows: a vote (or pre-vote) request, then its answer marked
    // granted (a tick) or refused (a cross). In ZooKeeper mode the controller race the same
    // way: a broker's create of the ephemeral /controller, then its answer: won or lost.
    const Arrow arrow = election_arrow(w, slot);
    if (arrow == Arrow::none) {
      dl->AddCircleFilled(at, glyph, col, 10);
      continue;
    }
    const ImVec2 u(dx / len, dy / len), nrm(-u.y, u.x);
    const float a = glyph * 1.8f;
    const ImU32 fill = arrow == Arrow::yes ? kInSync : arrow == Arrow::no ? kCut : col;
    dl->AddTriangleFilled(
        ImVec2(at.x + u.x * a, at.y + u.y * a),
        ImVec2(at.x - u.x * a + nrm.x * a * 0.7f, at.y - u.y * a + nrm.y * a * 0.7f),
        ImVec2(at.x - u.x * a - nrm.x * a * 0.7f, at.y - u.y * a - nrm.y * a * 0.7f), fill);
    const ImU32 ink = IM_COL32(20, 24, 30, 255);
    if (arrow == Arrow::yes) {
      dl->AddLine(ImVec2(at.x - a * 0.45f, at.y), ImVec2(at.x - a * 0.1f, at.y + a * 0.35f), ink,
                  2.0f);
      dl->AddLine(ImVec2(at.x - a * 0.1f, at.y + a * 0.35f),
                  ImVec2(at.x + a * 0.45f, at.y - a * 0.35f), ink, 2.0f);
    } else if (arrow == Arrow::no) {
      const float k = a * 0.35f;
      dl->AddLine(ImVec2(at.x - k, at.y - k), ImVec2(at.x + k, at.y + k), ink, 2.0f);
      dl->AddLine(ImVec2(at.x - k, at.y + k), ImVec2(at.x + k, at.y - k), ink, 2.0f);
    } else if (arrow == Arrow::pre_ask) {
      dl->AddCircle(at, a * 0.3f, ink, 8, 2.0f);  // a pre-vote: hollow
    } else {
      dl->AddCircleFilled(at, a * 0.3f, ink, 8);
    }
  }

  // Who holds the record followed: the producer until it is acknowledged (or failed), the
  // replicas that have it at its offset, the consumers that read past it.
  auto holds_followed = [&](const world::World::Node& node) {
    const JourneyState& j = *journey_;
    if (node.role == "producer")
      return node.id == j.producer_node && j.made && !j.acked && !j.failed;
    if (node.role == "consumer")
      return std::find(j.read_by.begin(), j.read_by.end(), client_id(node)) != j.read_by.end();
    return std::find(j.on.begin(), j.on.end(), node.id) != j.on.end();
  };
  // [nodes]
  for (size_t i = 0; i < n; ++i) {
    const Place& p = places[i];
    const world::World::Node& node = w.node(static_cast<net::NodeIndex>(i));
    const NodeInfo& info = infos[i];
    const ImU32 fill = fills[i];
    if (drawing) dl->AddCircleFilled(p.pos, p.r + 9, with_alpha(in_a(i) ? kSideA : kSideB, 70));
    const bool dead =
        node.status == world::NodeStatus::crashed || node.status == world::NodeStatus::powered_off;
    dl->AddCircleFilled(p.pos, p.r,
                        dead                                       ? IM_COL32(40, 30, 32, 255)
                        : node.status == world::NodeStatus::paused ? IM_COL32(48, 40, 22, 255)
                                                                   : IM_COL32(20, 24, 30, 255));
    dl->AddCircle(p.pos, p.r, fill, 0, static_cast<int>(i) == hovered_node ? 4.5f : 3.0f);
    if (info.active_controller || info.quorum_leader) dl->AddCircle(p.pos, p.r + 4, kGold, 0, 2.5f);
    if (iso[i]) dashed_circle(dl, p.pos, p.r + 8, kIsolated, 2.0f);
    if (static_cast<int>(i) == app.selected.node)
      dl->AddCircle(p.pos, p.r + 12, IM_COL32_WHITE, 0, 1.5f);
    // The id inside the circle, smaller when it would not fit; a client's id is the
    // simulator's, not Kafka's: P or C instead (its client.id is its caption).
    const std::string id = node.role == "producer"   ? "P"
                           : node.role == "consumer" ? "C"
                                                     : std::to_string(node.id);
    const ImVec2 ts = ImGui::CalcTextSize(id.c_str());
    const float fit = std::min(1.0f, (p.r * 2.0f - 4.0f) / std::max(1.0f, ts.x));
    const float fs = ImGui::GetFontSize() * std::max(0.55f, fit);
    const float k = fs / ImGui::GetFontSize();
    dl->AddText(ImGui::GetFont(), fs, ImVec2(p.pos.x - ts.x * k * 0.5f, p.pos.y - ts.y * k * 0.5f),
                fill, id.c_str());
    badge(dl, p.pos, p.r, node.status);
    if (journey_ && holds_followed(node)) {
      // A gold square on the upper left of the outline: this node holds the record followed.
      // Inside the rings' reach: its corner stays within p.r + kRingReach.
      const float c = 0.70710678f * p.r,
                  half = std::clamp(line_h * 0.32f, 4.5f, (kRingReach - 0.5f) * 0.70710678f);
      const ImVec2 at(p.pos.x - c, p.pos.y - c);
      dl->AddRectFilled(ImVec2(at.x - half, at.y - half), ImVec2(at.x + half, at.y + half),
                        kFollowed, 2.0f);
      dl->AddRect(ImVec2(at.x - half, at.y - half), ImVec2(at.x + half, at.y + half),
                  IM_COL32(20, 24, 30, 255), 2.0f, 0, 1.5f);
    }
    // The timer that decides the node's next move, draining: a voter's election or fetch
    // timeout, or the session the active controller keeps for a broker that went quiet.
    const std::optional<kafka::raft::Countdown>& timer = info.timer();
    ImU32 timer_colour = theme().group;  // a group member's session
    if (info.quorum && info.quorum->countdown)
      timer_colour = info.quorum->role == kafka::raft::Role::follower ? kInSync : kSlow;
    else if (info.session)
      timer_colour = kFenced;
    else if (info.lag)
      timer_colour = kOutOfSync;
    if (timer && timer->to > timer->from) {
      const float left = std::clamp(
          static_cast<float>((timer->to - w.now()).seconds() / (timer->to - timer->from).seconds()),
          0.0f, 1.0f);
      const float tr = p.r + 8.0f, top = -1.5707963f;
      dl->AddCircle(p.pos, tr, with_alpha(timer_colour, 60), 0, 3.0f);
      dl->PathArcTo(p.pos, tr, top, top + 6.2831853f * left, 32);
      dl->PathStroke(timer_colour, 0, 3.0f);
    }
    if (probe::recording()) {
      const float ring = timer                                          ? p.r + kRingReach
                         : info.active_controller || info.quorum_leader ? p.r + 5.0f
                                                                        : p.r + 1.5f;
      probe::drawn("cluster", "node " + node.name, ImVec2(p.pos.x - ring, p.pos.y - ring),
                   ImVec2(p.pos.x + ring, p.pos.y + ring));
    }
    float y = p.caption.y;
    for (const CaptionLine& l : p.lines) {
      float x = p.caption.x;
      const float lw = ImGui::CalcTextSize(l.text.c_str()).x;
      if (p.anchor == Place::Anchor::below) x = p.caption.x + (p.size.x - lw) * 0.5f;
      if (p.anchor == Place::Anchor::left) x = p.caption.x + p.size.x - lw;
      // On a veil of the background: the busy links under a caption do not cross its words.
      dl->AddRectFilled(ImVec2(x - 2, y), ImVec2(x + lw + 2, y + line_h),
                        with_alpha(theme().background, 190), 3.0f);
      dl->AddText(ImVec2(x, y), l.colour, l.text.c_str());
      if (probe::recording())
        probe::text("cluster", "caption of " + node.name + ": ", l.text, ImVec2(x, y));
      y += line_h;
    }
  }
  // [groups] a bracket along each group's members in the consumers' column, amber while the
  // group rebalances.
  {
    struct Bracket {
      std::string group;
      float top = 0, bottom = 0, x = 1e9f;
      bool settled = true;
    };
    std::vector<Bracket> brackets;
    for (size_t i = 0; i < n; ++i) {
      const auto* c = std::get_if<kafka::Consumer>(&w.node(static_cast<net::NodeIndex>(i)).impl);
      if (c == nullptr || !c->in_group()) continue;
      const Place& p = places[i];
      const std::string& g = c->config().group.group_id;
      auto it = std::find_if(brackets.begin(), brackets.end(),
                             [&](const Bracket& b) { return b.group == g; });
      if (it == brackets.end()) {
        brackets.push_back({g, p.pos.y - p.r, p.pos.y + p.r, p.pos.x - p.r, true});
        it = std::prev(brackets.end());
      }
      it->top = std::min(it->top, p.pos.y - p.r);
      it->bottom = std::max(it->bottom, p.pos.y + p.r);
      it->x = std::min(it->x, p.pos.x - p.r - kRingReach - 4);
      it->settled = it->settled && c->phase() == kafka::MemberPhase::stable;
    }
    for (const Bracket& b : brackets) {
      // The name heads the first member's caption; the bracket shows who is in it.
      const ImU32 col = b.settled ? theme().group : kSlow;
      dl->AddLine(ImVec2(b.x, b.top), ImVec2(b.x, b.bottom), col, 2.0f);
      dl->AddLine(ImVec2(b.x, b.top), ImVec2(b.x + 5, b.top), col, 2.0f);
      dl->AddLine(ImVec2(b.x, b.bottom), ImVec2(b.x + 5, b.bottom), col, 2.0f);
    }
  }
  if (hovered_node >= 0) {
    const auto ni = static_cast<net::NodeIndex>(hovered_node);
    const world::World::Node& node = w.node(ni);
    ImGui::BeginTooltip();
    const std::optional<kafka::raft::Countdown>& timer = infos[ni].timer();
    ImGui::Text("%s (%s)%s%s%s", node.name.c_str(), world::node_status_name(node.status),
                infos[ni].detail.empty() ? "" : ", ", infos[ni].detail.c_str(),
                iso[ni] ? ", isolated" : "");
    if (img != nullptr && (node.role == "broker" || node.role == "combined")) {
      const std::vector<ReplicaOnBroker> reps = replicas_on(*img, node.id);
      ImGui::TextDisabled("%s", describe_counts(replica_counts(*img, node.id)).c_str());
      constexpr size_t kShown = 40;
      for (size_t k = 0; k < reps.size() && k < kShown; ++k) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(role_colour(reps[k].role)), "%s %s",
                           reps[k].partition.c_str(), replica_role_name(reps[k].role));
      }
      if (reps.size() > kShown) ImGui::TextDisabled("+%zu more", reps.size() - kShown);
    }
    if (const auto& q = infos[ni].quorum) {
      ImGui::Text("%s", describe_quorum(*q, node.role == "zookeeper").c_str());
      if (q->voted_for >= 0)
        ImGui::TextDisabled("voted for %d in epoch %d", q->voted_for, q->epoch);
      if (q->role == kafka::raft::Role::candidate || q->role == kafka::raft::Role::prospective)
        ImGui::TextDisabled("%zu granted, %zu refused, %zu needed (a majority of the voters)",
                            q->granted, q->refused, q->needed);
    }
    if (infos[ni].racing)
      ImGui::TextDisabled(
          "its create of the ephemeral /controller awaits ZooKeeper's answer: the first create "
          "ZooKeeper applies wins, every other gets NODEEXISTS and watches /controller");
    if (timer) {
      ImGui::TextDisabled("%s: %.2f s of %.2f s left", timer->what,
                          std::max(0.0, (timer->to - w.now()).seconds()),
                          (timer->to - timer->from).seconds());
    }
    ImGui::TextDisabled(drawing ? "click: put it on side A (or back)"
                                : "click for faults, double-click to select");
    ImGui::EndTooltip();
  }
  if (lasso_.size() >= 2) {
    for (const Point& q : lasso_)
      dl->PathLineTo(ImVec2(q.x, q.y));
    dl->PathStroke(kSideA, ImDrawFlags_Closed, 1.5f);
  }

  // [menus]
  if (ImGui::BeginPopup("node_menu")) {
    if (menu_node_ >= 0 && static_cast<size_t>(menu_node_) < n)
      node_menu(app, static_cast<net::NodeIndex>(menu_node_));
    ImGui::EndPopup();
  } else {
    menu_node_ = -1;
  }
  if (ImGui::BeginPopup("link_menu")) {
    if (link_a_ >= 0 && static_cast<size_t>(link_b_) < n)
      link_menu(app, static_cast<net::NodeIndex>(link_a_), static_cast<net::NodeIndex>(link_b_));
    ImGui::EndPopup();
  }

  if (legend_inline) {
    legend_at(false, hi.y + 4);
  } else if (legend_hovered) {
    // No room below the nodes: the legend in the button's tooltip.
    ImGui::BeginTooltip();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = std::min(avail.x, 36.0f * ImGui::GetFontSize());
    const float h = draw_legend(ImGui::GetWindowDrawList(), at, width, line_h, in_flight, true);
    draw_legend(ImGui::GetWindowDrawList(), at, width, line_h, in_flight, false);
    ImGui::Dummy(ImVec2(width, h));
    ImGui::EndTooltip();
  }
  if (legend_hovered && legend_inline) ImGui::SetTooltip("Hide or show the legend");
  ImGui::End();
}

}  // namespace kafkasim::gui
