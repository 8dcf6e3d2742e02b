// Every message body a World can carry, as one value type. net/ moves envelopes; the World
// keeps the payload of message slot i in payloads_[i].
#pragma once

#include <variant>

#include "demo/messages.h"

namespace kafkasim::world {

using Payload = std::variant<std::monostate, demo::Ping, demo::Pong, demo::Token>;

}  // namespace kafkasim::world
