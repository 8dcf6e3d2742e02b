// Link parameters between two nodes. Links are symmetric (a setting applies both ways); each
// direction is its own connection with its own FIFO order and epoch.
#pragma once

#include "sim/time.h"

namespace kafkasim::net {

struct LinkParams {
  sim::Time latency = sim::Time::from_ms(1);  // one-way base latency
  sim::Time jitter;                           // uniform extra delay in [0, jitter)
  double loss = 0.0;                          // probability a message is dropped
  bool down = false;                          // an operator took the link down
  friend bool operator==(const LinkParams&, const LinkParams&) = default;
};

}  // namespace kafkasim::net
