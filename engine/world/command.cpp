#include "world/command.h"

#include "kafka/metadata/dynamic_config.h"
#include "sim/overloaded.h"

namespace kafkasim::world {

namespace {
std::string list(const std::vector<int32_t>& ids) {
  std::string s = "{";
  for (size_t i = 0; i < ids.size(); ++i)
    s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "}";
}
using sim::overloaded;
}  // namespace

std::string NodeRef::describe() const {
  return role.empty() ? "node " + std::to_string(id) : role;
}

std::string describe(const Command& c) {
  return std::visit(
      overloaded{
          [](const Crash& x) { return "crash " + x.node.describe(); },
          [](const PowerLoss& x) { return "power_loss " + x.node.describe(); },
          [](const Restart& x) { return "restart " + x.node.describe(); },
          [](const Isolate& x) { return "isolate " + x.node.describe(); },
          [](const Partition& x) {
            std::string s = "partition ";
            for (size_t i = 0; i < x.groups.size(); ++i)
              s += (i ? " | " : "") + list(x.groups[i]);
            return s;
          },
          [](const Heal&) { return std::string("heal"); },
          [](const SetLink& x) {
            std::string s = "link " + std::to_string(x.a) + " <-> " + std::to_string(x.b);
            if (x.latency) s += " latency=" + sim::to_string(*x.latency);
            if (x.jitter) s += " jitter=" + sim::to_string(*x.jitter);
            if (x.loss) s += " loss=" + std::to_string(*x.loss);
            if (x.down) s += *x.down ? " down" : " up";
            return s;
          },
          [](const Pause& x) {
            return "pause " + x.node.describe() + " for " + sim::to_string(x.duration);
          },
          [](const Shutdown& x) { return "shutdown " + x.node.describe(); },
          [](const Flush& x) { return "flush " + x.node.describe(); },
          [](const ElectPreferred& x) {
            return "elect_preferred " +
                   (x.partition.empty() ? std::string("(all partitions)") : x.partition);
          },
          [](const Narrate& x) { return "narrate \"" + x.text + "\""; },
          [](const AddPartitions& x) {
            return "add_partitions " + x.topic + " to " + std::to_string(x.count) +
                   " partitions in total";
          },
          [](const Reassign& x) {
            return "reassign " + x.partition + " to " + kafka::to_string(x.replicas);
          },
          [](const SetConfig& x) {
            const std::string entity = !x.topic.empty() ? "topic " + x.topic
                                       : x.node         ? x.node->describe()
                                                        : std::string("cluster-wide default");
            return "set_config " + entity + " " + x.key + "=" + kafka::config_value_text(x.value);
          },
      },
      c);
}

}  // namespace kafkasim::world
