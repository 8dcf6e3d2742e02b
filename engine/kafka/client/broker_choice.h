// Which broker a client asks when any will do (metadata, InitProducerId): round robin over the
// brokers it knows, skipping those whose connection just failed while another can be asked,
// as the Java client's leastLoadedNode avoids nodes in connection backoff.
#pragma once

#include <cstddef>
#include <set>
#include <vector>

#include "kafka/common/ids.h"

namespace kafkasim::kafka {

class BrokerChoice {
 public:
  /// The next broker in turn, reachable or not.
  BrokerId any(const std::vector<BrokerId>& candidates) {
    return candidates[next_++ % candidates.size()];
  }
  /// The next broker in turn that is not known to be unreachable (any one if all are).
  BrokerId reachable(const std::vector<BrokerId>& candidates) {
    BrokerId to = any(candidates);
    for (size_t i = 0; i < candidates.size() && unreachable_.count(to); ++i)
      to = any(candidates);
    return to;
  }
  void disconnected(BrokerId b) { unreachable_.insert(b); }
  void heard_from(BrokerId b) { unreachable_.erase(b); }

 private:
  size_t next_ = 0;
  std::set<BrokerId> unreachable_;  // disconnected and not heard from since
};

}  // namespace kafkasim::kafka
