// The envelope of a simulated message: who, when, and on which connection. The payload
// itself lives with the World (net/ does not know Kafka's protocol types); the envelope's
// slot number indexes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/time.h"

namespace kafkasim::net {

/// What a message is, for colouring it in the studio and counting it. Kafka's API families.
enum class MessageKind : uint8_t {
  other,
  produce,
  fetch,
  metadata,   // metadata log replication, MetadataRequest, registration
  vote,       // Vote, BeginQuorumEpoch, EndQuorumEpoch
  heartbeat,  // BrokerHeartbeat, ZooKeeper pings
  group,      // JoinGroup, SyncGroup, Heartbeat, OffsetCommit
  demo,
};
/// Its name ("fetch"); "?" for a value that is not a kind.
constexpr std::string_view message_kind_name(MessageKind k) {
  switch (k) {  // every kind, no default: a new kind without a name does not compile
    case MessageKind::other:
      return "other";
    case MessageKind::produce:
      return "produce";
    case MessageKind::fetch:
      return "fetch";
    case MessageKind::metadata:
      return "metadata";
    case MessageKind::vote:
      return "vote";
    case MessageKind::heartbeat:
      return "heartbeat";
    case MessageKind::group:
      return "group";
    case MessageKind::demo:
      return "demo";
  }
  return "?";
}
/// How many kinds there are: tables indexed by kind have this many entries.
inline constexpr size_t kMessageKindCount = static_cast<size_t>(MessageKind::demo) + 1;
static_assert(message_kind_name(static_cast<MessageKind>(kMessageKindCount)) == "?",
              "a kind was added after demo: kMessageKindCount counts up to the last one");

/// Dense node index inside one World (0..n-1); Kafka node ids are mapped to it by the World.
using NodeIndex = uint16_t;

struct Envelope {
  sim::Time sent_at;
  sim::Time deliver_at;
  uint64_t id = 0;     // message number in this run, from 1
  uint32_t epoch = 0;  // connection epoch when sent; a reset connection loses the message
  uint32_t bytes = 0;  // size on the wire (for the studio and throughput)
  NodeIndex src = 0;
  NodeIndex dst = 0;
  MessageKind kind = MessageKind::other;
  bool live = false;  // slot in use
};

}  // namespace kafkasim::net
