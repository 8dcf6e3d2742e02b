#include "faults.h"

#include <algorithm>
#include <cstdio>

namespace kafkasim::gui {

bool isolated(const world::World& w, net::NodeIndex i) {
  const net::Network& net = w.network();
  const size_t n = w.nodes().size();
  if (n < 2) return false;
  for (net::NodeIndex j = 0; j < n; ++j) {
    if (j != i && !net.cut(i, j)) return false;
  }
  return true;
}

std::vector<std::string> preferred_not_leader(const kafka::MetadataImage& img, int32_t broker) {
  std::vector<std::string> out;
  for (const kafka::TopicImage& t : img.topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const kafka::PartitionRegistration& part = t.partitions[p];
      if (!part.replicas.empty() && part.replicas.front() == broker && part.leader != broker)
        out.push_back(t.name + "-" + std::to_string(p));
    }
  }
  return out;
}

ReplicaCounts replica_counts(const kafka::MetadataImage& img, int32_t broker) {
  ReplicaCounts c;
  const bool alive = img.is_active(broker);
  for (const kafka::TopicImage& t : img.topics()) {
    for (const kafka::PartitionRegistration& part : t.partitions) {
      if (!part.is_replica(broker)) continue;
      if (!alive)
        ++c.offline;
      else if (part.leader == broker)
        ++c.leaders;
      else if (part.in_isr(broker))
        ++c.in_sync;
      else
        ++c.out_of_sync;
    }
  }
  return c;
}

std::string describe_counts(const ReplicaCounts& c) {
  auto plural = [](int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string s;
  auto add = [&](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
  if (c.leaders > 0 || c.followers() > 0) {
    add(plural(c.leaders, "leader", "leaders"));
    add(plural(c.followers(), "follower", "followers"));
    if (c.out_of_sync > 0) s += " (" + std::to_string(c.out_of_sync) + " out of sync)";
  }
  if (c.offline > 0) add(std::to_string(c.offline) + " offline");
  return s.empty() ? "no replicas" : s;
}

LinkState link_state(const world::World& w, net::NodeIndex a, net::NodeIndex b) {
  const net::Network& net = w.network();
  const net::LinkParams& p = net.link(a, b);
  if (p.down) return LinkState::down;
  if (net.cut(a, b)) return LinkState::cut;
  if (p.loss > w.config().link.loss) return LinkState::lossy;
  if (p.latency > w.config().link.latency) return LinkState::slow;
  return LinkState::normal;
}

std::string describe_link(const world::World& w, net::NodeIndex a, net::NodeIndex b) {
  const net::LinkParams& p = w.network().link(a, b);
  std::string s = w.node(a).name + " <-> " + w.node(b).name + ": " + sim::to_string(p.latency);
  if (p.jitter > sim::Time::zero()) s += " + up to " + sim::to_string(p.jitter) + " jitter";
  if (p.loss > 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ", %.0f%% loss", p.loss * 100.0);
    s += buf;
  }
  switch (link_state(w, a, b)) {
    case LinkState::down:
      s += ", down";
      break;
    case LinkState::cut:
      s += ", cut (partition or isolate)";
      break;
    default:
      break;
  }
  return s;
}

world::SetLink link_down(int32_t a, int32_t b, bool down) {
  world::SetLink s;
  s.a = a;
  s.b = b;
  s.down = down;
  return s;
}

world::SetLink link_slower(const world::World& w, int32_t a, int32_t b, sim::Time extra) {
  world::SetLink s;
  s.a = a;
  s.b = b;
  const int ia = w.index_of(a), ib = w.index_of(b);
  const sim::Time now = ia >= 0 && ib >= 0 ? w.network()
                                                 .link(static_cast<net::NodeIndex>(ia),
                                                       static_cast<net::NodeIndex>(ib))
                                                 .latency
                                           : w.config().link.latency;
  s.latency = now + extra;
  return s;
}

world::SetLink link_lossy(int32_t a, int32_t b, double loss) {
  world::SetLink s;
  s.a = a;
  s.b = b;
  s.loss = loss;
  return s;
}

world::SetLink link_reset(const world::World& w, int32_t a, int32_t b) {
  const net::LinkParams& d = w.config().link;
  world::SetLink s;
  s.a = a;
  s.b = b;
  s.latency = d.latency;
  s.jitter = d.jitter;
  s.loss = d.loss;
  s.down = false;
  return s;
}

bool inside_polygon(const std::vector<Point>& poly, Point p) {
  if (poly.size() < 3) return false;
  bool in = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Point& a = poly[i];
    const Point& b = poly[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

std::vector<size_t> inside_lasso(const std::vector<Point>& poly, const std::vector<Point>& points) {
  std::vector<size_t> out;
  for (size_t i = 0; i < points.size(); ++i) {
    if (inside_polygon(poly, points[i])) out.push_back(i);
  }
  return out;
}

std::optional<world::Partition> partition_from_side(const world::World& w,
                                                    std::vector<int32_t> side_a) {
  std::sort(side_a.begin(), side_a.end());
  side_a.erase(std::unique(side_a.begin(), side_a.end()), side_a.end());
  if (side_a.empty() || side_a.size() >= w.nodes().size()) return std::nullopt;
  for (int32_t id : side_a) {
    if (w.index_of(id) < 0) return std::nullopt;
  }
  return world::Partition{{side_a}};
}

void toggle_side(std::vector<int32_t>& side_a, int32_t id) {
  const auto it = std::find(side_a.begin(), side_a.end(), id);
  if (it == side_a.end())
    side_a.push_back(id);
  else
    side_a.erase(it);
}

}  // namespace kafkasim::gui
