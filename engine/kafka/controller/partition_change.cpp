#include "kafka/controller/partition_change.h"

#include <algorithm>

namespace kafkasim::kafka {

const char* election_name(Election e) {
  switch (e) {
    case Election::online:
      return "ONLINE";
    case Election::preferred:
      return "PREFERRED";
    case Election::unclean:
      return "UNCLEAN";
  }
  return "ONLINE";
}

bool PartitionChangeBuilder::valid_new_leader(BrokerId b) const {
  if (b == kNoLeader) return false;
  const auto& i = isr();
  return std::find(i.begin(), i.end(), b) != i.end() && acceptable(b);
}

ElectionResult PartitionChangeBuilder::elect_any() const {
  if (valid_new_leader(partition.leader)) return {partition.leader, false};
  for (BrokerId r : replicas()) {
    if (valid_new_leader(r)) return {r, false};
  }
  if (election == Election::unclean) {
    for (BrokerId r : replicas()) {
      if (acceptable(r)) return {r, true};
    }
  }
  return {kNoLeader, false};
}

ElectionResult PartitionChangeBuilder::elect_leader() const {
  if (election == Election::preferred && !replicas().empty() && valid_new_leader(replicas()[0])) {
    return {replicas()[0], false};
  }
  return elect_any();
}

std::optional<PartitionChangeRecord> PartitionChangeBuilder::build() const {
  PartitionChangeRecord rec;
  rec.topic_id = topic_id;
  rec.partition_id = partition_id;
  bool changed = false;
  const ElectionResult e = elect_leader();
  std::vector<BrokerId> new_isr = isr();
  if (e.leader != partition.leader) {
    rec.leader = e.leader;
    changed = true;
    if (e.unclean) {
      new_isr = {e.leader};
      rec.leader_recovery_state = LeaderRecoveryState::RECOVERING;
    }
  }
  if (new_isr != partition.isr) {
    rec.isr = new_isr;
    changed = true;
  }
  if (target_replicas && *target_replicas != partition.replicas) {
    rec.replicas = *target_replicas;
    changed = true;
  }
  if (!changed) return std::nullopt;
  return rec;
}

}  // namespace kafkasim::kafka
