// Which pairs of nodes talk, which way and about what: the cluster view draws the connections
// that carry traffic (a follower fetching from its leader, a client and the leader it
// produces to, a broker's heartbeats to the active controller, the quorum's fetches), with an
// arrowhead toward the side that answers, and leaves idle pairs faint.
//
// Counted from the messages delivered in a recent window of simulated time (AppState's
// MessageLine list): what happened, not what the roles say should happen.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "app_state.h"

namespace kafkasim::gui {

/// Whether the payload alternative `message` (world::payload_name) is a request: sent by the
/// side that asks (a fetcher, a producer, a broker heartbeating, a candidate) to the side
/// that answers.
bool is_request(int16_t message);

struct PairTraffic {
  uint32_t asks_ab = 0, asks_ba = 0;  // requests a -> b and b -> a
  uint32_t total = 0;                 // every message either way
  /// The kind most of the messages were (the line's colour).
  net::MessageKind kind = net::MessageKind::other;
};

/// The traffic between every pair of nodes (dense indices a < b: at a * n + b) delivered in
/// (now - window, now], but for the kinds in `hidden_kinds` (bit k: net::MessageKind k).
class TrafficMap {
 public:
  void count(const world::World& w, std::span<const MessageLine> delivered, sim::Time window,
             uint32_t hidden_kinds = 0);
  const PairTraffic& between(net::NodeIndex a, net::NodeIndex b) const {
    return a < b ? pairs_[a * n_ + b] : pairs_[b * n_ + a];
  }
  size_t nodes() const { return n_; }

 private:
  size_t n_ = 0;
  std::vector<PairTraffic> pairs_;
  std::vector<uint32_t> kinds_;  // per pair and kind, while counting
};

}  // namespace kafkasim::gui
