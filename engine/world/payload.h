// Every message body a World can carry, as one value type. Together with ctx.h this is the
// interface node programs (demo/, kafka/) are written against. net/ moves envelopes; the World
// keeps the payload of message slot i in payloads_[i].
#pragma once

#include <variant>

#include "demo/messages.h"
#include "kafka/controller/messages.h"
#include "kafka/protocol/data.h"
#include "kafka/protocol/group.h"
#include "kafka/raft/messages.h"
#include "kafka/zk/types.h"
#include "kafka/zkmode/messages.h"
namespace kafkasim::world {

using Payload = std::variant<
    std::monostate, demo::Ping, demo::Pong, demo::Token,
    // KRaft quorum
    kafka::raft::VoteRequest, kafka::raft::VoteResponse, kafka::raft::BeginQuorumEpochRequest,
    kafka::raft::BeginQuorumEpochResponse, kafka::raft::EndQuorumEpochRequest,
    kafka::raft::EndQuorumEpochResponse, kafka::raft::FetchRequest, kafka::raft::FetchResponse,
    // broker <-> active controller
    kafka::BrokerRegistrationRequest, kafka::BrokerRegistrationResponse,
    kafka::BrokerHeartbeatRequest, kafka::BrokerHeartbeatResponse, kafka::AlterPartitionRequest,
    kafka::AlterPartitionResponse,
    // ZooKeeper ensemble and its clients
    kafka::zk::ZkConnect, kafka::zk::ZkConnectResponse, kafka::zk::ZkPing,
    kafka::zk::ZkPingResponse, kafka::zk::ZkRequest, kafka::zk::ZkResponse, kafka::zk::ZkWatchEvent,
    kafka::zk::ZkSessionExpired, kafka::zk::ZkConnectionClosed, kafka::zk::ZkForward,
    kafka::zk::ZkForwardError, kafka::zk::ZkTouch,
    // ZooKeeper-mode controller <-> brokers
    kafka::zkmode::LeaderAndIsrRequest, kafka::zkmode::LeaderAndIsrResponse,
    kafka::zkmode::UpdateMetadataRequest, kafka::zkmode::UpdateMetadataResponse,
    kafka::zkmode::ControlledShutdownRequest, kafka::zkmode::ControlledShutdownResponse,
    // data plane: clients <-> brokers, followers -> leaders
    kafka::ProduceRequest, kafka::ProduceResponse, kafka::FetchRequest, kafka::FetchResponse,
    kafka::MetadataRequest, kafka::MetadataResponse, kafka::ListOffsetsRequest,
    kafka::ListOffsetsResponse, kafka::InitProducerIdRequest, kafka::InitProducerIdResponse,
    // ZooKeeper-mode controller -> brokers, appended later (reassignment)
    kafka::zkmode::StopReplicaRequest, kafka::zkmode::StopReplicaResponse,
    // consumer groups: clients <-> group coordinators
    kafka::FindCoordinatorRequest, kafka::FindCoordinatorResponse, kafka::JoinGroupRequest,
    kafka::JoinGroupResponse, kafka::SyncGroupRequest, kafka::SyncGroupResponse,
    kafka::HeartbeatRequest, kafka::HeartbeatResponse, kafka::LeaveGroupRequest,
    kafka::LeaveGroupResponse, kafka::OffsetCommitRequest, kafka::OffsetCommitResponse,
    kafka::OffsetFetchRequest, kafka::OffsetFetchResponse>;

/// The message type of a payload alternative ("FetchResponse"), for traces and checker output:
/// each message struct names itself (`static constexpr const char* kName`), so a type added to
/// this list without a name does not compile.
const char* payload_name(size_t index);

}  // namespace kafkasim::world
