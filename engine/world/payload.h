// Every message body a World can carry, as one value type. Together with ctx.h this is the
// interface node programs (demo/, kafka/) are written against. net/ moves envelopes; the World
// keeps the payload of message slot i in payloads_[i].
#pragma once

#include <variant>

#include "demo/messages.h"
#include "kafka/controller/messages.h"
#include "kafka/raft/messages.h"

namespace kafkasim::world {

using Payload =
    std::variant<std::monostate, demo::Ping, demo::Pong, demo::Token,
                 // KRaft quorum
                 kafka::raft::VoteRequest, kafka::raft::VoteResponse,
                 kafka::raft::BeginQuorumEpochRequest, kafka::raft::BeginQuorumEpochResponse,
                 kafka::raft::EndQuorumEpochRequest, kafka::raft::EndQuorumEpochResponse,
                 kafka::raft::FetchRequest, kafka::raft::FetchResponse,
                 // broker <-> active controller
                 kafka::BrokerRegistrationRequest, kafka::BrokerRegistrationResponse,
                 kafka::BrokerHeartbeatRequest, kafka::BrokerHeartbeatResponse,
                 kafka::AlterPartitionRequest, kafka::AlterPartitionResponse>;

}  // namespace kafkasim::world
