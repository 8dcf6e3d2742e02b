// The simulated network: nodes joined by links with latency, jitter and loss, faults applied
// by commands (cut, partition, isolate, heal, crash), and TCP's promises kept:
//   * per connection (ordered pair of nodes) messages arrive in the order they were sent;
//   * a cut link or a dead peer loses what is in flight, and the connection is reset: a
//     message sent on the old connection never arrives, even after the link heals;
//   * the sender learns of a broken connection as a disconnect event: after one round trip
//     when the peer's process died and its host answered with a reset, after
//     `disconnect_timeout` when nothing answers at all (cut link, powered-off host).
// Randomness (jitter, loss) comes only from the "net" stream, so it never shifts a node's draws.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "net/link.h"
#include "net/message.h"
#include "sim/rng.h"
#include "sim/sim.h"

namespace kafkasim::net {

/// Why a sender learned its connection broke (carried in the disconnect event).
enum class DisconnectReason : uint8_t {
  reset = 0,    // the peer's process died; its host answered with a TCP reset
  refused = 1,  // a connection attempt to a host whose process is not running
  timeout = 2,  // nothing answered within the disconnect timeout (cut link, host off)
};
std::string_view disconnect_reason_text(DisconnectReason r);

class Network {
 public:
  Network() = default;
  Network(size_t node_count, LinkParams defaults, sim::Time disconnect_timeout, sim::Rng rng);

  size_t node_count() const { return n_; }

  // [links] ---------------------------------------------------------------------------------
  /// Sets the link a <-> b. Taking a link down resets its connections like a cut.
  void set_link(sim::Sim& sim, NodeIndex a, NodeIndex b, const LinkParams& p);
  const LinkParams& link(NodeIndex a, NodeIndex b) const { return params_[a * n_ + b]; }
  /// True when a partition, isolate or link-down currently separates a and b.
  bool cut(NodeIndex a, NodeIndex b) const { return cut_[a * n_ + b] != 0 || link(a, b).down; }

  // [messages] ------------------------------------------------------------------------------
  /// Sends a message. Returns its slot (the World stores the payload under it) when it is on
  /// the wire, or nothing when it was lost at once (cut link, dead peer, random loss).
  std::optional<uint32_t> send(sim::Sim& sim, NodeIndex src, NodeIndex dst, MessageKind kind,
                               uint32_t bytes);
  /// Called when a deliver event pops: the envelope when the message arrives, or nullptr when
  /// its connection was reset meanwhile (the slot is then already free).
  const Envelope* arrive(uint32_t slot, uint32_t epoch);
  /// Frees a delivered message's slot.
  void release(uint32_t slot);
  const std::vector<Envelope>& slots() const { return slots_; }
  uint64_t sent_count() const { return next_id_ - 1; }
  uint64_t lost_count() const { return lost_; }

  // [faults] --------------------------------------------------------------------------------
  /// Cuts a <-> b (partition or isolate). In-flight messages are lost.
  void cut_pair(sim::Sim& sim, NodeIndex a, NodeIndex b);
  /// Cuts every pair of nodes that are in different groups. `group_of[i]` per node.
  void partition(sim::Sim& sim, const std::vector<int>& group_of);
  void isolate(sim::Sim& sim, NodeIndex node);
  /// Every cut link comes back (partitions, isolation, links set down).
  void heal();
  /// The process on `node` died. `host_up`: the machine still answers with TCP resets (crash);
  /// false for a power loss, where peers only notice by timeout.
  void node_down(sim::Sim& sim, NodeIndex node, bool host_up);
  void node_up(NodeIndex node);
  bool up(NodeIndex node) const { return proc_up_[node] != 0; }
  /// Bumped on every crash: events addressed to an older incarnation are dropped.
  uint32_t incarnation(NodeIndex node) const { return incarnation_[node]; }
  /// The World delivered (or dropped) the disconnect notice for who -> peer: the next failed
  /// attempt on that connection may produce another.
  void notice_done(NodeIndex who, NodeIndex peer) { conn(who, peer).notice_pending = false; }

  sim::Time disconnect_timeout() const { return disconnect_timeout_; }

 private:
  struct Conn {
    sim::Time last_deliver;  // FIFO: nothing on this connection arrives before this
    uint32_t epoch = 1;
    bool notice_pending = false;  // a disconnect notice is on its way to the sender
    uint32_t in_flight = 0;
    uint32_t opened = 0;  // epoch in which something was sent (a connection exists)
  };
  Conn& conn(NodeIndex a, NodeIndex b) { return conns_[a * n_ + b]; }
  void reset(sim::Sim& sim, NodeIndex from, NodeIndex to, sim::Time notify_after, bool always,
             DisconnectReason why);
  void notify(sim::Sim& sim, NodeIndex who, NodeIndex peer, sim::Time after, DisconnectReason why);

  size_t n_ = 0;
  std::vector<LinkParams> params_;
  std::vector<uint8_t> cut_;
  std::vector<Conn> conns_;
  std::vector<uint8_t> proc_up_;
  std::vector<uint8_t> host_up_;
  std::vector<uint32_t> incarnation_;
  std::vector<Envelope> slots_;
  std::vector<uint32_t> free_;
  sim::Time disconnect_timeout_;
  sim::Rng rng_;
  uint64_t next_id_ = 1;
  uint64_t lost_ = 0;
};

}  // namespace kafkasim::net
