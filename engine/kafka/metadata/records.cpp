#include "kafka/metadata/records.h"

#include "sim/overloaded.h"

namespace kafkasim::kafka {

using sim::overloaded;

const char* record_type_name(const MetadataRecord& r) {
  static const char* const names[] = {"NoOpRecord",
                                      "LeaderChangeMessage",
                                      "RegisterBrokerRecord",
                                      "FenceBrokerRecord",
                                      "UnfenceBrokerRecord",
                                      "BrokerRegistrationChangeRecord",
                                      "TopicRecord",
                                      "PartitionRecord",
                                      "PartitionChangeRecord",
                                      "ZkTxn",
                                      "ConfigRecord"};
  return names[r.index()];
}

std::string describe(const MetadataRecord& r) {
  std::string s = record_type_name(r);
  std::visit(
      overloaded{
          [](const NoOpRecord&) {},
          [&](const LeaderChangeMessage& x) { s += " leader=" + std::to_string(x.leader_id); },
          [&](const RegisterBrokerRecord& x) {
            s += " broker=" + std::to_string(x.broker_id);
            if (!x.rack.empty()) s += " rack=" + x.rack;
          },
          [&](const FenceBrokerRecord& x) { s += " broker=" + std::to_string(x.id); },
          [&](const UnfenceBrokerRecord& x) { s += " broker=" + std::to_string(x.id); },
          [&](const BrokerRegistrationChangeRecord& x) {
            s += " broker=" + std::to_string(x.broker_id) +
                 (x.in_controlled_shutdown ? " in_controlled_shutdown" : "");
          },
          [&](const TopicRecord& x) { s += " " + x.name; },
          [&](const PartitionRecord& x) {
            s += " topic=" + std::to_string(x.topic_id) +
                 " partition=" + std::to_string(x.partition_id) +
                 " replicas=" + to_string(x.replicas) + " isr=" + to_string(x.isr) +
                 " leader=" + std::to_string(x.leader);
          },
          [&](const PartitionChangeRecord& x) {
            s += " topic=" + std::to_string(x.topic_id) +
                 " partition=" + std::to_string(x.partition_id);
            if (x.leader) s += " leader=" + std::to_string(*x.leader);
            if (x.isr) s += " isr=" + to_string(*x.isr);
            if (x.replicas) s += " replicas=" + to_string(*x.replicas);
            if (x.leader_recovery_state) {
              s += std::string(" leaderRecoveryState=") +
                   leader_recovery_state_name(*x.leader_recovery_state);
            }
            if (x.removing_replicas) s += " removingReplicas=" + to_string(*x.removing_replicas);
            if (x.adding_replicas) s += " addingReplicas=" + to_string(*x.adding_replicas);
          },
          [&](const ConfigRecord& x) {
            s += " " + x.resource.describe() + " " + x.name + "=" +
                 (x.value ? config_value_text(*x.value) : std::string("(deleted)"));
          },
          [&](const zk::ZkTxn& x) { s = zk::describe(x); },
      },
      r);
  return s;
}

}  // namespace kafkasim::kafka
