// Replica placement for new topics, as Kafka's classic assignment does it
// (AdminUtils.assignReplicasToBrokers): round-robin from a random start with a shifting
// second replica, and the rack-aware variant over a rack-alternating broker list so replicas
// spread across racks. The random start comes from the caller's seeded stream.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "sim/result.h"
#include "sim/rng.h"

namespace kafkasim::kafka {

/// Replicas for partitions 0..partitions-1 over `brokers` (any order; sorted inside).
/// `racks` maps broker -> rack; when every broker has one the rack-aware rule is used.
/// `start` < 0 draws the start index and shift from `rng` (Kafka's behaviour); >= 0 fixes both.
/// `first_partition` > 0 places partitions first_partition.. of a topic that already has that
/// many (kafka-topics --alter --partitions); the result still starts with the first new one.
sim::Result<std::vector<std::vector<BrokerId>>, std::string> assign_replicas(
    int32_t partitions, int32_t replication_factor, std::vector<BrokerId> brokers,
    const std::map<BrokerId, std::string>& racks, sim::Rng& rng, int32_t start = -1,
    int32_t first_partition = 0);

/// The broker list with racks interleaved: first broker of each rack in rack order, then the
/// second of each, and so on (Kafka's getRackAlternatedBrokerList).
std::vector<BrokerId> rack_alternated(const std::map<BrokerId, std::string>& racks);

}  // namespace kafkasim::kafka
