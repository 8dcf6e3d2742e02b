#include "traffic.h"

#include <string_view>

#include "world/payload.h"

namespace kafkasim::gui {

bool is_request(int16_t message) {
  if (message < 0) return false;
  const std::string_view name = world::payload_name(static_cast<size_t>(message));
  if (name.find("Request") != std::string_view::npos) return true;
  // ZooKeeper's own requests, and the demo world's ping, are named without the word.
  for (std::string_view ask : {"ZkConnect", "ZkPing", "ZkForward", "ZkTouch", "Ping"})
    if (name == ask) return true;
  return false;
}

void TrafficMap::count(const world::World& w, std::span<const MessageLine> delivered,
                       sim::Time window, uint32_t hidden_kinds) {
  n_ = w.nodes().size();
  pairs_.assign(n_ * n_, PairTraffic{});
  constexpr size_t kKinds = net::kMessageKindCount;
  kinds_.assign(n_ * n_ * kKinds, 0);
  const sim::Time since = w.now() - window;
  for (auto it = delivered.rbegin(); it != delivered.rend(); ++it) {
    const MessageLine& m = *it;
    if (m.delivered_at > w.now()) continue;  // ahead of the present (seen before going back)
    if (m.delivered_at <= since) break;
    if ((hidden_kinds >> static_cast<unsigned>(m.kind)) & 1u) continue;
    const int a = w.index_of(m.from), b = w.index_of(m.to);
    if (a < 0 || b < 0 || a == b) continue;
    const size_t lo = static_cast<size_t>(std::min(a, b)), hi = static_cast<size_t>(std::max(a, b));
    PairTraffic& p = pairs_[lo * n_ + hi];
    ++p.total;
    if (is_request(m.message)) ++(a < b ? p.asks_ab : p.asks_ba);
    const auto k = static_cast<size_t>(m.kind);
    if (k < kKinds) ++kinds_[(lo * n_ + hi) * kKinds + k];
  }
  for (size_t i = 0; i < n_ * n_; ++i) {
    if (pairs_[i].total == 0) continue;
    size_t best = 0;
    for (size_t k = 1; k < kKinds; ++k)
      if (kinds_[i * kKinds + k] > kinds_[i * kKinds + best]) best = k;
    pairs_[i].kind = static_cast<net::MessageKind>(best);
  }
}

}  // namespace kafkasim::gui
