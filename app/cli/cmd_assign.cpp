// kafkasim assign: what would the group leader hand out? Runs one of the classic assignors
// (range, roundrobin, sticky, cooperative-sticky) on members and topics given on the command
// line and prints each member's share in Kafka's member order, then for the sticky strategies
// the partitions changing owner, and for cooperative-sticky the first round (KIP-429).
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "cli_args.h"
#include "commands.h"
#include "kafka/group/assignor.h"
#include "scenario/diagnostic.h"

namespace kafkasim::cli {

namespace {

namespace group = kafka::group;

const char* const kAssignUsage =
    "usage: kafkasim assign --strategy S --topic NAME:PARTITIONS... --member SPEC...\n"
    "  runs a consumer group assignor as the group leader would and prints each member's\n"
    "  partitions, in Kafka's member order (static members first by instance id, then by id)\n"
    "  --strategy S   range, roundrobin, sticky or cooperative-sticky (or the Java class,\n"
    "                 org.apache.kafka.clients.consumer.RangeAssignor ...)\n"
    "  --topic NAME:PARTITIONS          a topic and its partition count; repeat for more\n"
    "  --member ID[@INSTANCE]:TOPIC[,TOPIC...][:owned=TOPIC-P[,TOPIC-P...]][:generation=N]\n"
    "                 a member and its subscription; repeat for more. @INSTANCE makes it\n"
    "                 static (group.instance.id); owned= is what it owned before (the sticky\n"
    "                 strategies keep it), generation= the generation it owned it in\n"
    "  example: kafkasim assign --strategy sticky --topic t:3 --member c1:t:owned=t-0,t-1,t-2\n"
    "           --member c2:t\n";

struct Usage {
  std::string error;
};

bool legal_topic_name(const std::string& name) {
  if (name.empty() || name.size() > 249) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

/// A whole number in [lo, hi], or nothing.
std::optional<int64_t> whole(const std::string& s, int64_t lo, int64_t hi) {
  try {
    size_t used = 0;
    const int64_t v = std::stoll(s, &used);
    if (used != s.size() || v < lo || v > hi) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string hint(const std::string& name, const std::map<std::string, int32_t>& topics) {
  std::vector<std::string_view> candidates;
  for (const auto& [t, n] : topics)
    candidates.emplace_back(t);
  const std::string near = scenario::nearest_name(name, candidates);
  return near.empty() ? "" : "; did you mean \"" + near + "\"?";
}

group::AssignorTopic parse_topic(const std::string& spec) {
  const size_t colon = spec.rfind(':');
  const std::string name = colon == std::string::npos ? spec : spec.substr(0, colon);
  const auto n =
      colon == std::string::npos ? std::nullopt : whole(spec.substr(colon + 1), 1, 100000);
  if (!legal_topic_name(name) || !n) {
    throw Usage{"--topic \"" + spec +
                "\": expected NAME:PARTITIONS, e.g. orders:6 (a name of letters, digits, '.', "
                "'_', '-' and 1 to 100000 partitions)"};
  }
  return {name, static_cast<int32_t>(*n)};
}

group::TopicPartitionName parse_owned(const std::string& member, const std::string& text,
                                      const std::map<std::string, int32_t>& topics) {
  const size_t dash = text.rfind('-');
  const auto p = dash == std::string::npos ? std::nullopt : whole(text.substr(dash + 1), 0, 99999);
  if (!p || dash == 0) {
    throw Usage{"--member \"" + member + "\": owned partition \"" + text +
                "\" is not TOPIC-PARTITION, e.g. orders-0"};
  }
  const std::string topic = text.substr(0, dash);
  auto it = topics.find(topic);
  if (it == topics.end()) {
    throw Usage{"--member \"" + member + "\": owned partition " + text + " is of topic \"" + topic +
                "\", which no --topic gives" + hint(topic, topics)};
  }
  if (*p >= it->second) {
    throw Usage{"--member \"" + member + "\": owned partition " + text + ", but " + topic +
                " has " + std::to_string(it->second) + " partition(s)"};
  }
  return {topic, static_cast<int32_t>(*p)};
}

group::AssignorMember parse_member(const std::string& spec,
                                   const std::map<std::string, int32_t>& topics) {
  const std::vector<std::string> parts = split(spec, ':');
  auto bad = [&](const std::string& why) {
    return Usage{"--member \"" + spec + "\": " + why +
                 " (expected ID[@INSTANCE]:TOPIC[,TOPIC...][:owned=TOPIC-P,...])"};
  };
  if (parts.size() < 2) throw bad("no subscribed topics");
  group::AssignorMember m;
  const size_t at = parts[0].find('@');
  m.member_id = parts[0].substr(0, at);
  if (at != std::string::npos) m.group_instance_id = parts[0].substr(at + 1);
  if (m.member_id.empty()) throw bad("empty member id");
  if (m.group_instance_id && m.group_instance_id->empty()) throw bad("empty instance id");
  for (const std::string& t : split(parts[1], ',')) {
    if (t.empty()) throw bad("empty topic name");
    if (topics.count(t) == 0) {
      throw Usage{"--member \"" + spec + "\": subscribes to \"" + t + "\", which no --topic gives" +
                  hint(t, topics)};
    }
    m.topics.push_back(t);
  }
  for (size_t i = 2; i < parts.size(); ++i) {
    if (parts[i].rfind("owned=", 0) == 0) {
      for (const std::string& p : split(parts[i].substr(6), ',')) {
        m.owned.push_back(parse_owned(spec, p, topics));
      }
    } else if (parts[i].rfind("generation=", 0) == 0) {
      const auto g = whole(parts[i].substr(11), 0, INT32_MAX);
      if (!g) throw bad("generation= expects a non-negative whole number");
      m.generation = static_cast<int32_t>(*g);
    } else {
      throw bad("unknown part \"" + parts[i] + "\"");
    }
  }
  return m;
}

std::string label(const group::MemberAssignment& m) {
  return m.member_id + (m.group_instance_id ? "@" + *m.group_instance_id : "");
}

void print_shares(const std::vector<group::MemberAssignment>& members, const char* indent) {
  for (const auto& m : members) {
    std::string line = indent + label(m) + ":";
    for (const auto& p : m.partitions)
      line += " " + group::to_string(p);
    if (m.partitions.empty()) line += " (none)";
    std::printf("%s\n", line.c_str());
  }
}

group::AssignorStrategy parse_strategy_flag(const std::optional<std::string>& text) {
  std::string names;
  for (auto n : group::strategy_names())
    names += (names.empty() ? "" : ", ") + std::string(n);
  if (!text) throw Usage{"--strategy is required: one of " + names};
  if (auto s = group::parse_strategy(*text)) return *s;
  const std::string near = scenario::nearest_name(*text, group::strategy_names());
  throw Usage{"unknown strategy \"" + *text + "\"" +
              (near.empty() ? "" : "; did you mean \"" + near + "\"?") + " (one of " + names + ")"};
}

group::AssignorInput parse_input(const Args& args) {
  group::AssignorInput in;
  std::map<std::string, int32_t> topics;
  for (const std::string& spec : args.values("--topic")) {
    in.topics.push_back(parse_topic(spec));
    if (!topics.emplace(in.topics.back().name, in.topics.back().partitions).second) {
      throw Usage{"--topic " + in.topics.back().name + " is given twice"};
    }
  }
  if (in.topics.empty()) throw Usage{"give at least one --topic NAME:PARTITIONS"};
  std::set<std::string> ids;
  for (const std::string& spec : args.values("--member")) {
    in.members.push_back(parse_member(spec, topics));
    if (!ids.insert(in.members.back().member_id).second) {
      throw Usage{"member id \"" + in.members.back().member_id + "\" is given twice"};
    }
  }
  if (in.members.empty()) throw Usage{"give at least one --member ID:TOPIC[,TOPIC...]"};
  if (!args.positionals().empty()) {
    throw Usage{"unexpected argument \"" + args.positionals().front() + "\""};
  }
  return in;
}

}  // namespace

int cmd_assign(const std::vector<std::string>& argv) {
  Args args(argv, {"--strategy"}, {"--help"}, {"--topic", "--member"});
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "kafkasim assign: %s\n%s", what.c_str(), kAssignUsage);
    return 2;
  };
  if (!args.ok()) return fail(args.error());
  if (args.has("--help")) {
    std::fputs(kAssignUsage, stdout);
    return 0;
  }
  group::AssignorStrategy strategy{};
  group::AssignorInput input;
  try {
    strategy = parse_strategy_flag(args.value("--strategy"));
    input = parse_input(args);
  } catch (const Usage& u) {
    return fail(u.error);
  }
  const group::AssignmentResult r = group::assign(strategy, input);
  print_shares(r.members, "");
  for (const auto& t : r.transferring) {
    std::printf("transferring: %s -> %s (revoked by %s first)\n",
                group::to_string(t.partition).c_str(), t.to.c_str(), t.from.c_str());
  }
  if (strategy == group::AssignorStrategy::cooperative_sticky) {
    if (r.transferring.empty()) {
      std::printf("first round: as above (nothing changes owner)\n");
    } else {
      std::printf("first round (each transferring partition waits for its owner to revoke it):\n");
      print_shares(r.first_round, "  ");
    }
  }
  return 0;
}

}  // namespace kafkasim::cli
