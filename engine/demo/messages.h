// Messages of the built-in demo worlds (the ring benchmark and the heartbeat demo). Kafka's
// own request and response types arrive with the kafka/ layer.
#pragma once

#include <cstdint>

namespace kafkasim::demo {

struct Ping {
  static constexpr const char* kName = "Ping";
  uint64_t seq = 0;
};
struct Pong {
  static constexpr const char* kName = "Pong";
  uint64_t seq = 0;
};
struct Token {
  static constexpr const char* kName = "Token";
  uint64_t id = 0;
  uint64_t hops = 0;
};

}  // namespace kafkasim::demo
