#include "kafka/broker/broker_api.h"

#include <algorithm>

#include "kafka/group/assignor.h"
#include "kafka/group/coordinator.h"

namespace kafkasim::kafka {

FindCoordinatorResponse find_coordinator(const MetadataImage& img, int64_t offsets_partitions,
                                         const FindCoordinatorRequest& r) {
  FindCoordinatorResponse resp;
  resp.correlation_id = r.correlation_id;
  resp.error_code = Errc::COORDINATOR_NOT_AVAILABLE;
  const TopicImage* t = img.topic(std::string(group::kOffsetsTopic));
  if (t == nullptr) return resp;
  const auto p = static_cast<size_t>(group::coordinator_partition(
      r.key, static_cast<int32_t>(std::max<int64_t>(1, offsets_partitions))));
  if (p >= t->partitions.size() || !t->partitions[p].has_leader()) return resp;
  const BrokerId leader = t->partitions[p].leader;
  if (!img.is_active(leader)) return resp;
  resp.error_code = Errc::NONE;
  resp.node_id = leader;
  return resp;
}

MetadataResponse make_metadata_response(const MetadataImage& img, const MetadataRequest& r) {
  MetadataResponse resp;
  resp.correlation_id = r.correlation_id;
  for (const auto& [id, reg] : img.brokers()) {
    if (img.is_active(id)) resp.brokers.push_back(id);
  }
  auto add = [&](const TopicImage& t) {
    MetadataTopic mt;
    mt.name = t.name;
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const PartitionRegistration& reg = t.partitions[p];
      MetadataPartition mp;
      mp.partition = static_cast<int32_t>(p);
      mp.leader = reg.leader;
      mp.leader_epoch = reg.leader_epoch;
      mp.replicas = reg.replicas;
      mp.isr = reg.isr;
      mp.error_code = reg.has_leader() ? Errc::NONE : Errc::LEADER_NOT_AVAILABLE;
      mt.partitions.push_back(mp);
    }
    resp.topics.push_back(std::move(mt));
  };
  if (r.topics.empty()) {
    for (const TopicImage& t : img.topics())
      add(t);
  } else {
    for (const std::string& name : r.topics) {
      if (const TopicImage* t = img.topic(name)) {
        add(*t);
      } else {
        MetadataTopic missing;
        missing.name = name;
        missing.error_code = Errc::UNKNOWN_TOPIC_OR_PARTITION;
        resp.topics.push_back(missing);
      }
    }
  }
  return resp;
}

std::vector<PartitionAssignment> assignments(const MetadataImage& img) {
  std::vector<PartitionAssignment> out;
  for (const TopicImage& t : img.topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p) {
      const PartitionRegistration& reg = t.partitions[p];
      PartitionAssignment a;
      a.tp = TopicPartitionName{t.name, static_cast<int32_t>(p)};
      a.replicas = reg.replicas;
      a.isr = reg.isr;
      a.leader = reg.leader;
      a.leader_epoch = reg.leader_epoch;
      a.partition_epoch = reg.partition_epoch;
      a.recovery = reg.leader_recovery_state;
      out.push_back(std::move(a));
    }
  }
  return out;
}

std::set<BrokerId> active_brokers(const MetadataImage& img) {
  std::set<BrokerId> out;
  for (const auto& [id, reg] : img.brokers()) {
    if (img.is_active(id)) out.insert(id);
  }
  return out;
}

}  // namespace kafkasim::kafka
