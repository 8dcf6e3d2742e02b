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

ElectionResult PartitionChangeBuilder::elect_for_targets() const {
  if (election == Election::preferred && !replicas().empty() && valid_new_leader(replicas()[0])) {
    return {replicas()[0], false};
  }
  return elect_any();
}

ElectionResult PartitionChangeBuilder::elect_leader() const {
  if (auto b = completing()) return b->elect_for_targets();
  return elect_for_targets();
}

PartitionChangeBuilder::Reassignment PartitionChangeBuilder::reassignment(
    const std::vector<BrokerId>& current, const std::vector<BrokerId>& target) {
  Reassignment r;
  for (BrokerId b : current) {
    if (std::find(target.begin(), target.end(), b) == target.end()) r.removing.push_back(b);
  }
  for (BrokerId b : target) {
    if (std::find(current.begin(), current.end(), b) == current.end()) r.adding.push_back(b);
  }
  std::sort(r.removing.begin(), r.removing.end());
  std::sort(r.adding.begin(), r.adding.end());
  r.replicas = target;
  r.replicas.insert(r.replicas.end(), r.removing.begin(), r.removing.end());
  return r;
}

std::optional<PartitionChangeBuilder::Completed> PartitionChangeBuilder::completed_reassignment()
    const {
  if (removing().empty() && adding().empty()) return std::nullopt;
  auto removed = [&](BrokerId b) {
    return std::find(removing().begin(), removing().end(), b) != removing().end();
  };
  Completed c;
  for (BrokerId b : isr()) {
    if (!removed(b)) c.isr.push_back(b);
  }
  for (BrokerId b : replicas()) {
    if (!removed(b)) c.replicas.push_back(b);
  }
  if (c.isr.empty() || c.replicas.empty()) return std::nullopt;
  for (BrokerId b : c.replicas) {
    if (std::find(c.isr.begin(), c.isr.end(), b) == c.isr.end()) return std::nullopt;
  }
  return c;
}

std::optional<PartitionChangeBuilder> PartitionChangeBuilder::completing() const {
  auto done = completed_reassignment();
  if (!done) return std::nullopt;
  PartitionChangeBuilder b = *this;
  b.target_replicas = std::move(done->replicas);
  b.target_isr = std::move(done->isr);
  b.target_removing = std::vector<BrokerId>{};
  b.target_adding = std::vector<BrokerId>{};
  return b;
}

std::optional<PartitionChangeRecord> PartitionChangeBuilder::build() const {
  if (auto b = completing()) return b->build_for_targets();
  return build_for_targets();
}

std::optional<PartitionChangeRecord> PartitionChangeBuilder::build_for_targets() const {
  PartitionChangeRecord rec;
  rec.topic_id = topic_id;
  rec.partition_id = partition_id;
  bool changed = false;
  const ElectionResult e = elect_for_targets();
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
  // Dropping replicas from the assignment bumps the leader epoch even if the leader stays
  // (triggerLeaderEpochBumpForReplicaReassignmentIfNeeded): fetches from them are fenced.
  if (!rec.leader) {
    for (BrokerId b : partition.replicas) {
      if (std::find(replicas().begin(), replicas().end(), b) == replicas().end()) {
        rec.leader = partition.leader;
        changed = true;
        break;
      }
    }
  }
  if (target_replicas && *target_replicas != partition.replicas) {
    rec.replicas = *target_replicas;
    changed = true;
  }
  if (removing() != partition.removing_replicas) {
    rec.removing_replicas = removing();
    changed = true;
  }
  if (adding() != partition.adding_replicas) {
    rec.adding_replicas = adding();
    changed = true;
  }
  if (!changed) return std::nullopt;
  return rec;
}

}  // namespace kafkasim::kafka
