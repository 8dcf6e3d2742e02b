#include "kafka/metadata/image.h"

#include "sim/overloaded.h"

#include <algorithm>

#include "sim/assert.h"

namespace kafkasim::kafka {

namespace {
using sim::overloaded;
bool contains(const std::vector<BrokerId>& v, BrokerId b) {
  return std::find(v.begin(), v.end(), b) != v.end();
}
}  // namespace

const char* leader_recovery_state_name(LeaderRecoveryState s) {
  return s == LeaderRecoveryState::RECOVERED ? "RECOVERED" : "RECOVERING";
}

bool PartitionRegistration::in_isr(BrokerId b) const {
  return contains(isr, b);
}
bool PartitionRegistration::is_replica(BrokerId b) const {
  return contains(replicas, b);
}

void MetadataImage::apply(Offset offset, const MetadataRecord& r) {
  SIM_ASSERT(offset > offset_, "metadata records apply in offset order");
  offset_ = offset;
  std::visit(
      overloaded{
          [](const NoOpRecord&) {},
          [](const LeaderChangeMessage&) {},
          [&](const RegisterBrokerRecord& x) {
            BrokerRegistration& b = brokers_[x.broker_id];
            b.id = x.broker_id;
            b.epoch = offset;
            b.incarnation_id = x.incarnation_id;
            b.rack = x.rack;
            b.fenced = x.fenced;
            b.in_controlled_shutdown = false;
          },
          [&](const FenceBrokerRecord& x) {
            auto it = brokers_.find(x.id);
            if (it != brokers_.end() && it->second.epoch == x.epoch) it->second.fenced = true;
          },
          [&](const UnfenceBrokerRecord& x) {
            auto it = brokers_.find(x.id);
            if (it != brokers_.end() && it->second.epoch == x.epoch) it->second.fenced = false;
          },
          [&](const BrokerRegistrationChangeRecord& x) {
            auto it = brokers_.find(x.broker_id);
            if (it != brokers_.end() && it->second.epoch == x.broker_epoch) {
              it->second.in_controlled_shutdown = x.in_controlled_shutdown;
            }
          },
          [&](const TopicRecord& x) {
            SIM_ASSERT(x.topic_id == topics_.size(), "topic ids are dense, in creation order");
            topics_.push_back(TopicImage{x.name, x.topic_id, {}});
          },
          [&](const PartitionRecord& x) {
            SIM_ASSERT(x.topic_id < topics_.size(), "partition of an unknown topic");
            auto& parts = topics_[x.topic_id].partitions;
            if (parts.size() <= static_cast<size_t>(x.partition_id))
              parts.resize(x.partition_id + 1);
            PartitionRegistration& p = parts[x.partition_id];
            p.replicas = x.replicas;
            p.isr = x.isr;
            p.leader = x.leader;
            p.leader_epoch = x.leader_epoch;
            p.partition_epoch = x.partition_epoch;
            p.leader_recovery_state = x.leader_recovery_state;
            p.removing_replicas = x.removing_replicas;
            p.adding_replicas = x.adding_replicas;
          },
          [&](const PartitionChangeRecord& x) {
            SIM_ASSERT(x.topic_id < topics_.size(), "change to an unknown topic");
            SIM_ASSERT(static_cast<size_t>(x.partition_id) < topics_[x.topic_id].partitions.size(),
                       "change to an unknown partition");
            PartitionRegistration& p = topics_[x.topic_id].partitions[x.partition_id];
            if (x.isr) p.isr = *x.isr;
            if (x.replicas) p.replicas = *x.replicas;
            if (x.leader_recovery_state) p.leader_recovery_state = *x.leader_recovery_state;
            if (x.removing_replicas) p.removing_replicas = *x.removing_replicas;
            if (x.adding_replicas) p.adding_replicas = *x.adding_replicas;
            if (x.leader) {
              p.leader = *x.leader;
              ++p.leader_epoch;
            }
            ++p.partition_epoch;
          },
          [](const zk::ZkTxn&) {},
          [&](const ConfigRecord& x) { configs_.set(x.resource, x.name, x.value); },
      },
      r);
}

const BrokerRegistration* MetadataImage::broker(BrokerId id) const {
  auto it = brokers_.find(id);
  return it == brokers_.end() ? nullptr : &it->second;
}

bool MetadataImage::is_active(BrokerId id) const {
  const BrokerRegistration* b = broker(id);
  return b != nullptr && !b->fenced && !b->in_controlled_shutdown;
}

const TopicImage* MetadataImage::topic(const std::string& name) const {
  for (const TopicImage& t : topics_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const PartitionRegistration* MetadataImage::partition(TopicPartition tp) const {
  const TopicImage* t = topic(tp.topic);
  if (t == nullptr || tp.partition < 0 ||
      static_cast<size_t>(tp.partition) >= t->partitions.size()) {
    return nullptr;
  }
  return &t->partitions[tp.partition];
}

std::string MetadataImage::partition_name(TopicPartition tp) const {
  const TopicImage* t = topic(tp.topic);
  return (t ? t->name : "topic" + std::to_string(tp.topic)) + "-" + std::to_string(tp.partition);
}

}  // namespace kafkasim::kafka
