#include "net/network.h"

#include <algorithm>

namespace kafkasim::net {

std::string_view disconnect_reason_text(DisconnectReason r) {
  switch (r) {
    case DisconnectReason::reset:
      return "connection reset by peer";
    case DisconnectReason::refused:
      return "connection refused";
    case DisconnectReason::timeout:
      return "no answer within the disconnect timeout";
  }
  return "unknown";
}

Network::Network(size_t node_count, LinkParams defaults, sim::Time disconnect_timeout, sim::Rng rng)
    : n_(node_count),
      params_(node_count * node_count, defaults),
      cut_(node_count * node_count, 0),
      conns_(node_count * node_count),
      proc_up_(node_count, 1),
      host_up_(node_count, 1),
      incarnation_(node_count, 1),
      disconnect_timeout_(disconnect_timeout),
      rng_(rng) {
  for (size_t i = 0; i < n_; ++i)
    params_[i * n_ + i].latency = sim::Time::zero();
}

void Network::set_link(sim::Sim& sim, NodeIndex a, NodeIndex b, const LinkParams& p) {
  if (p.down && !cut(a, b)) {
    reset(sim, a, b, disconnect_timeout_, false, DisconnectReason::timeout);
    reset(sim, b, a, disconnect_timeout_, false, DisconnectReason::timeout);
  }
  params_[a * n_ + b] = p;
  params_[b * n_ + a] = p;
}

std::optional<uint32_t> Network::send(sim::Sim& sim, NodeIndex src, NodeIndex dst, MessageKind kind,
                                      uint32_t bytes) {
  SIM_ASSERT(proc_up_[src], "a dead process cannot send");
  const size_t pair = src * n_ + dst;
  const LinkParams& p = params_[pair];
  Conn& c = conns_[pair];
  if (cut_[pair] || p.down) [[unlikely]] {
    ++lost_;
    notify(sim, src, dst, disconnect_timeout_, DisconnectReason::timeout);
    return std::nullopt;
  }
  if (!proc_up_[dst]) [[unlikely]] {
    // The host answers a connection attempt to a dead process with a reset; a powered-off
    // host answers nothing.
    ++lost_;
    if (host_up_[dst]) {
      notify(sim, src, dst, p.latency * 2, DisconnectReason::refused);
    } else {
      notify(sim, src, dst, disconnect_timeout_, DisconnectReason::timeout);
    }
    return std::nullopt;
  }
  if (p.loss > 0.0 && rng_.chance(p.loss)) {
    ++lost_;  // dropped: the request times out at the sender, as a lost TCP segment would
    return std::nullopt;
  }
  sim::Time delay = p.latency;
  if (p.jitter > sim::Time::zero()) delay += rng_.uniform_time(sim::Time::zero(), p.jitter);
  const sim::Time at = std::max(sim.now() + delay, c.last_deliver);
  c.last_deliver = at;
  c.opened = c.epoch;
  ++c.in_flight;

  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Envelope& e = slots_[slot];
  e.sent_at = sim.now();
  e.deliver_at = at;
  e.id = next_id_++;
  e.epoch = c.epoch;
  e.bytes = bytes;
  e.src = src;
  e.dst = dst;
  e.kind = kind;
  e.live = true;

  sim::Event ev;
  ev.kind = sim::EventKind::deliver;
  ev.target = dst;
  ev.a = slot;
  ev.b = c.epoch;
  sim.schedule_at(at, ev);
  return slot;
}

const Envelope* Network::arrive(uint32_t slot, uint32_t epoch) {
  Envelope& e = slots_[slot];
  SIM_ASSERT(e.live, "a delivery for a free message slot");
  Conn& c = conn(e.src, e.dst);
  if (c.epoch != epoch) {
    ++lost_;  // the connection was reset while the message was in flight
    release(slot);
    return nullptr;
  }
  SIM_ASSERT(c.in_flight > 0, "in-flight count underflow");
  --c.in_flight;
  return &e;
}

void Network::release(uint32_t slot) {
  slots_[slot].live = false;
  free_.push_back(slot);
}

void Network::notify(sim::Sim& sim, NodeIndex who, NodeIndex peer, sim::Time after,
                     DisconnectReason why) {
  if (!proc_up_[who]) return;
  Conn& c = conn(who, peer);
  if (c.notice_pending) return;  // one notice at a time per connection
  c.notice_pending = true;
  sim::Event ev;
  ev.kind = sim::EventKind::disconnect;
  ev.target = who;
  ev.a = peer;
  ev.b = incarnation_[who] | (static_cast<uint64_t>(why) << 32);
  sim.schedule_after(after, ev, sim::Priority::system);
}

void Network::reset(sim::Sim& sim, NodeIndex from, NodeIndex to, sim::Time notify_after,
                    bool always, DisconnectReason why) {
  Conn& c = conn(from, to);
  if (always || c.in_flight > 0) notify(sim, from, to, notify_after, why);
  ++c.epoch;
  c.in_flight = 0;
}

void Network::cut_pair(sim::Sim& sim, NodeIndex a, NodeIndex b) {
  if (a == b || cut_[a * n_ + b]) return;
  cut_[a * n_ + b] = cut_[b * n_ + a] = 1;
  // Nobody answers across a cut: whoever was waiting on a reply notices by timeout.
  reset(sim, a, b, disconnect_timeout_, false, DisconnectReason::timeout);
  reset(sim, b, a, disconnect_timeout_, false, DisconnectReason::timeout);
}

void Network::partition(sim::Sim& sim, const std::vector<int>& group_of) {
  SIM_ASSERT(group_of.size() == n_, "partition needs a group per node");
  for (NodeIndex a = 0; a < n_; ++a) {
    for (NodeIndex b = a + 1; b < n_; ++b) {
      if (group_of[a] != group_of[b]) cut_pair(sim, a, b);
    }
  }
}

void Network::isolate(sim::Sim& sim, NodeIndex node) {
  for (NodeIndex b = 0; b < n_; ++b)
    cut_pair(sim, node, b);
}

void Network::heal() {
  std::fill(cut_.begin(), cut_.end(), 0);
  for (LinkParams& p : params_)
    p.down = false;
}

void Network::node_down(sim::Sim& sim, NodeIndex node, bool host_up) {
  proc_up_[node] = 0;
  host_up_[node] = host_up ? 1 : 0;
  ++incarnation_[node];
  for (NodeIndex j = 0; j < n_; ++j) {
    if (j == node) continue;
    Conn& out = conn(j, node);
    Conn& in = conn(node, j);
    const bool open = out.opened == out.epoch || in.opened == in.epoch;
    if (host_up && open && !cut(j, node)) {
      // the host's reset arrives
      reset(sim, j, node, link(j, node).latency, true, DisconnectReason::reset);
    } else {
      // silence: noticed by timeout
      reset(sim, j, node, disconnect_timeout_, false, DisconnectReason::timeout);
    }
    ++in.epoch;
    in.in_flight = 0;
  }
}

void Network::node_up(NodeIndex node) {
  proc_up_[node] = 1;
  host_up_[node] = 1;
}

}  // namespace kafkasim::net
