// Messages of the built-in demo worlds (the ring benchmark and the heartbeat demo). Kafka's
// own request and response types arrive with the kafka/ layer.
#pragma once

#include <cstdint>

namespace kafkasim::demo {

struct Ping {
  uint64_t seq = 0;
};
struct Pong {
  uint64_t seq = 0;
};
struct Token {
  uint64_t id = 0;
  uint64_t hops = 0;
};

}  // namespace kafkasim::demo
