// Broker-side helpers shared by KRaft and ZooKeeper-mode brokers: answering Metadata from the
// broker's own image, and turning that image into the partition assignments its replica
// manager follows.
#pragma once

#include <set>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/metadata/image.h"
#include "kafka/protocol/data.h"
#include "kafka/protocol/group.h"

namespace kafkasim::kafka {

/// Metadata as this broker believes it (it may be stale: clients then get NOT_LEADER and ask
/// again).
MetadataResponse make_metadata_response(const MetadataImage& img, const MetadataRequest& r);
/// FindCoordinator for a group: the leader of its __consumer_offsets partition as this broker's
/// metadata says, or COORDINATOR_NOT_AVAILABLE while the topic or that leader is missing.
FindCoordinatorResponse find_coordinator(const MetadataImage& img, int64_t offsets_partitions,
                                         const FindCoordinatorRequest& r);
/// Every partition of the image, as assignments (the replica manager picks its own).
std::vector<PartitionAssignment> assignments(const MetadataImage& img);
/// Registered, unfenced brokers not shutting down.
std::set<BrokerId> active_brokers(const MetadataImage& img);

}  // namespace kafkasim::kafka
