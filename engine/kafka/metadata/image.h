// MetadataImage: the cluster as one node believes it, built by replaying the metadata log in
// order. Every node has its own, and a broker's can be stale: it is what its fetched log says.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/metadata/records.h"

namespace kafkasim::kafka {

struct BrokerRegistration {
  BrokerId id = 0;
  int64_t epoch = 0;  // offset of its RegisterBrokerRecord
  uint64_t incarnation_id = 0;
  std::string rack;
  bool fenced = true;
  bool in_controlled_shutdown = false;
};

struct PartitionRegistration {
  std::vector<BrokerId> replicas;  // assignment order; the first is the preferred leader
  std::vector<BrokerId> isr;
  BrokerId leader = kNoLeader;
  LeaderEpoch leader_epoch = 0;
  PartitionEpoch partition_epoch = 0;
  LeaderRecoveryState leader_recovery_state = LeaderRecoveryState::RECOVERED;
  // KIP-455: while a reassignment is in progress `replicas` is the target followed by the
  // replicas being removed; these say which are which.
  std::vector<BrokerId> removing_replicas;
  std::vector<BrokerId> adding_replicas;
  bool has_leader() const { return leader != kNoLeader; }
  bool is_reassigning() const { return !removing_replicas.empty() || !adding_replicas.empty(); }
  bool in_isr(BrokerId b) const;
  bool is_replica(BrokerId b) const;
};

struct TopicImage {
  std::string name;
  TopicId id = 0;
  std::vector<PartitionRegistration> partitions;
};

class MetadataImage {
 public:
  /// Applies the record at `offset` (offsets must increase).
  void apply(Offset offset, const MetadataRecord& r);

  Offset offset() const { return offset_; }  // last applied, -1 before any
  const std::map<BrokerId, BrokerRegistration>& brokers() const { return brokers_; }
  const BrokerRegistration* broker(BrokerId id) const;
  /// Registered, unfenced and not shutting down: may lead and be in an ISR.
  bool is_active(BrokerId id) const;
  const std::vector<TopicImage>& topics() const { return topics_; }
  const TopicImage* topic(const std::string& name) const;
  const TopicImage* topic(TopicId id) const { return id < topics_.size() ? &topics_[id] : nullptr; }
  const PartitionRegistration* partition(TopicPartition tp) const;
  /// "orders-0"
  std::string partition_name(TopicPartition tp) const;
  /// Dynamic settings (ConfigRecords) of topics, brokers and the cluster-wide default.
  const DynamicConfigs& configs() const { return configs_; }

 private:
  std::map<BrokerId, BrokerRegistration> brokers_;
  std::vector<TopicImage> topics_;
  DynamicConfigs configs_;
  Offset offset_ = -1;
};

}  // namespace kafkasim::kafka
