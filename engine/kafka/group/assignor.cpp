// The classic assignors. Index:
//   [SECTION] Java compatibility: UTF-16, String.hashCode / compareTo, HashMap order
//   [SECTION] Strategy names
//   [SECTION] The subscription model shared by all strategies
//   [SECTION] range and roundrobin
//   [SECTION] sticky: previous owners, the constrained and the general algorithm
//   [SECTION] assign()
#include "kafka/group/assignor.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "sim/assert.h"

namespace kafkasim::kafka::group {

// [SECTION] Java compatibility: UTF-16, String.hashCode / compareTo, HashMap order

namespace {

constexpr char16_t kReplacement = 0xFFFD;

/// Length of the UTF-8 sequence starting with `lead`, or 0 if it cannot start one.
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

/// The UTF-16 code units Java would hold for `utf8`. A malformed sequence becomes one U+FFFD
/// per offending byte (close to Java's decoder; exact only for well-formed input).
std::u16string to_utf16(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  size_t i = 0;
  while (i < utf8.size()) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const size_t n = utf8_length(lead);
    if (n == 1) {
      out.push_back(lead);
      ++i;
      continue;
    }
    bool ok = n != 0 && i + n <= utf8.size();
    uint32_t cp = n == 2 ? (lead & 0x1Fu) : n == 3 ? (lead & 0x0Fu) : (lead & 0x07u);
    for (size_t k = 1; ok && k < n; ++k) {
      const auto c = static_cast<unsigned char>(utf8[i + k]);
      ok = (c & 0xC0u) == 0x80u;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are malformed.
    const uint32_t min_cp = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (!ok || cp < min_cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += n;
  }
  return out;
}

}  // namespace

int32_t java_string_hash(std::string_view utf8) {
  uint32_t h = 0;  // Java int arithmetic wraps; unsigned arithmetic wraps the same way
  for (char16_t unit : to_utf16(utf8))
    h = 31u * h + unit;
  return static_cast<int32_t>(h);
}

int java_string_compare(std::string_view a, std::string_view b) {
  const std::u16string ua = to_utf16(a);
  const std::u16string ub = to_utf16(b);
  const int c = ua.compare(ub);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::vector<size_t> java_hashmap_order(const std::vector<std::string>& keys) {
  // The final table size: 16, doubled while size > 0.75 * capacity (the resize after the put
  // that crosses the threshold). Resizing splits each bucket keeping relative order, so within
  // a bucket of the final table the keys stay in insertion order.
  uint32_t capacity = 16;
  while (keys.size() > capacity / 4 * 3)
    capacity *= 2;
  std::vector<std::pair<uint32_t, size_t>> slots;  // (bucket, insertion index)
  slots.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto h = static_cast<uint32_t>(java_string_hash(keys[i]));
    slots.emplace_back((h ^ (h >> 16)) & (capacity - 1), i);
  }
  std::sort(slots.begin(), slots.end());
  std::vector<size_t> order;
  order.reserve(slots.size());
  for (const auto& s : slots)
    order.push_back(s.second);
  return order;
}

int32_t coordinator_partition(std::string_view group_id, int32_t offsets_topic_partitions) {
  SIM_ASSERT(offsets_topic_partitions > 0, "the offsets topic has at least one partition");
  const int32_t h = java_string_hash(group_id);
  const int32_t abs = h == std::numeric_limits<int32_t>::min() ? 0 : (h < 0 ? -h : h);
  return abs % offsets_topic_partitions;
}

std::string to_string(const TopicPartitionName& tp) {
  return tp.topic + "-" + std::to_string(tp.partition);
}

// [SECTION] Strategy names

namespace {

struct StrategyNames {
  AssignorStrategy strategy;
  std::string_view name;
  std::string_view class_name;
};
constexpr StrategyNames kStrategies[] = {
    {AssignorStrategy::range, "range", "org.apache.kafka.clients.consumer.RangeAssignor"},
    {AssignorStrategy::roundrobin, "roundrobin",
     "org.apache.kafka.clients.consumer.RoundRobinAssignor"},
    {AssignorStrategy::sticky, "sticky", "org.apache.kafka.clients.consumer.StickyAssignor"},
    {AssignorStrategy::cooperative_sticky, "cooperative-sticky",
     "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
};

}  // namespace

std::string_view strategy_name(AssignorStrategy s) {
  for (const auto& n : kStrategies) {
    if (n.strategy == s) return n.name;
  }
  return "?";
}

std::string_view strategy_class_name(AssignorStrategy s) {
  for (const auto& n : kStrategies) {
    if (n.strategy == s) return n.class_name;
  }
  return "?";
}

std::optional<AssignorStrategy> parse_strategy(std::string_view name) {
  for (const auto& n : kStrategies) {
    if (name == n.name || name == n.class_name) return n.strategy;
  }
  return std::nullopt;
}

std::vector<std::string_view> strategy_names() {
  std::vector<std::string_view> out;
  for (const auto& n : kStrategies)
    out.push_back(n.name);
  return out;
}

bool member_info_less(const AssignorMember& a, const AssignorMember& b) {
  if (a.group_instance_id.has_value() != b.group_instance_id.has_value()) {
    return a.group_instance_id.has_value();
  }
  if (a.group_instance_id && *a.group_instance_id != *b.group_instance_id) {
    return java_string_compare(*a.group_instance_id, *b.group_instance_id) < 0;
  }
  return java_string_compare(a.member_id, b.member_id) < 0;
}

// [SECTION] The subscription model shared by all strategies

namespace {

bool java_less(const std::string& a, const std::string& b) {
  return java_string_compare(a, b) < 0;
}

/// The input, indexed: members in MemberInfo order, each with the known topics it subscribes
/// to; topics by name.
struct Model {
  std::vector<const AssignorMember*> members;           // MemberInfo order
  std::map<std::string, int32_t> partitions_of;         // topic -> partition count
  std::vector<std::set<std::string>> subscribed;        // per member, known topics only
  std::vector<std::vector<TopicPartitionName>> result;  // per member, being built

  explicit Model(const AssignorInput& in) {
    for (const auto& t : in.topics) {
      SIM_ASSERT(t.partitions >= 0, "a topic has a non-negative partition count");
      partitions_of[t.name] = t.partitions;
    }
    for (const auto& m : in.members)
      members.push_back(&m);
    std::sort(members.begin(), members.end(), [](const AssignorMember* a, const AssignorMember* b) {
      return member_info_less(*a, *b);
    });
    for (size_t i = 1; i < members.size(); ++i) {
      SIM_ASSERT(members[i - 1]->member_id != members[i]->member_id, "member ids are unique");
    }
    for (const auto* m : members) {
      std::set<std::string> topics;
      for (const auto& t : m->topics) {
        if (partitions_of.count(t) != 0) topics.insert(t);
      }
      subscribed.push_back(std::move(topics));
    }
    result.resize(members.size());
  }

  size_t size() const { return members.size(); }
  bool subscribes(size_t m, const std::string& topic) const {
    return subscribed[m].count(topic) != 0;
  }
  /// Every partition of a topic somebody subscribes to, sorted by topic then partition.
  std::vector<TopicPartitionName> subscribed_partitions() const {
    std::set<std::string> topics;
    for (const auto& s : subscribed)
      topics.insert(s.begin(), s.end());
    std::vector<TopicPartitionName> out;
    for (const auto& t : topics) {
      for (int32_t p = 0; p < partitions_of.at(t); ++p)
        out.push_back({t, p});
    }
    return out;
  }

  std::vector<MemberAssignment> assignments(
      const std::vector<std::vector<TopicPartitionName>>& per_member) const {
    std::vector<MemberAssignment> out;
    for (size_t i = 0; i < size(); ++i) {
      out.push_back({members[i]->member_id, members[i]->group_instance_id, per_member[i]});
    }
    return out;
  }
};

// [SECTION] range and roundrobin

/// Per topic: sorted subscribers, the first P % C get P / C + 1 contiguous partitions.
void assign_range(Model& m) {
  for (const auto& [topic, count] : m.partitions_of) {
    std::vector<size_t> subscribers;
    for (size_t i = 0; i < m.size(); ++i) {
      if (m.subscribes(i, topic)) subscribers.push_back(i);
    }
    if (subscribers.empty()) continue;
    const auto c = static_cast<int32_t>(subscribers.size());
    const int32_t quota = count / c;
    const int32_t extra = count % c;
    int32_t next = 0;
    for (int32_t k = 0; k < c; ++k) {
      const int32_t n = quota + (k < extra ? 1 : 0);
      for (int32_t j = 0; j < n; ++j)
        m.result[subscribers[k]].push_back({topic, next++});
    }
  }
}

/// All partitions sorted by topic then partition, dealt over a circle of the sorted members;
/// a member not subscribed to the partition's topic is skipped.
void assign_roundrobin(Model& m) {
  if (m.size() == 0) return;
  size_t cursor = 0;
  for (const auto& tp : m.subscribed_partitions()) {
    while (!m.subscribes(cursor, tp.topic))
      cursor = (cursor + 1) % m.size();
    m.result[cursor].push_back(tp);
    cursor = (cursor + 1) % m.size();
  }
}

// [SECTION] sticky: previous owners, the constrained and the general algorithm

/// Who owned what before this rebalance. A claim counts when the member still subscribes to
/// the topic and the partition exists. Per partition the newest generation's claim wins; two
/// claims in that generation cancel each other.
struct Ownership {
  std::vector<std::vector<TopicPartitionName>> owned;  // per member, valid claims
  /// Per partition, the members claiming it in the newest generation that claims it: they
  /// still hold it, so whoever else gets it must wait for them to revoke it.
  std::map<TopicPartitionName, std::vector<size_t>> claimants;
};

Ownership resolve_ownership(const Model& m) {
  constexpr int64_t kCurrent = std::numeric_limits<int64_t>::max();
  std::map<TopicPartitionName, std::vector<std::pair<int64_t, size_t>>> claims;
  for (size_t i = 0; i < m.size(); ++i) {
    const auto* member = m.members[i];
    const int64_t generation = member->generation ? *member->generation : kCurrent;
    std::set<TopicPartitionName> seen;
    for (const auto& tp : member->owned) {
      if (!m.subscribes(i, tp.topic) || tp.partition < 0 ||
          tp.partition >= m.partitions_of.at(tp.topic) || !seen.insert(tp).second) {
        continue;
      }
      claims[tp].emplace_back(generation, i);
    }
  }
  Ownership out;
  out.owned.resize(m.size());
  std::map<TopicPartitionName, size_t> owner;
  for (const auto& [tp, list] : claims) {
    int64_t newest = std::numeric_limits<int64_t>::min();
    for (const auto& c : list)
      newest = std::max(newest, c.first);
    std::vector<size_t> at_newest;
    for (const auto& c : list) {
      if (c.first == newest) at_newest.push_back(c.second);
    }
    out.claimants[tp] = at_newest;
    if (at_newest.size() == 1) owner[tp] = at_newest.front();
  }
  // Keep each member's own listing order (the general algorithm reports kept partitions so).
  for (size_t i = 0; i < m.size(); ++i) {
    std::set<TopicPartitionName> seen;
    for (const auto& tp : m.members[i]->owned) {
      auto it = owner.find(tp);
      if (it != owner.end() && it->second == i && seen.insert(tp).second) {
        out.owned[i].push_back(tp);
      }
    }
  }
  return out;
}

bool all_subscriptions_equal(const Model& m) {
  for (size_t i = 1; i < m.size(); ++i) {
    if (m.subscribed[i] != m.subscribed[0]) return false;
  }
  return true;
}

/// Every member subscribes to the same topics (KAFKA_REFERENCE 5.5, steps 1-6).
void assign_constrained(Model& m, const Ownership& own) {
  const auto all = m.subscribed_partitions();
  const size_t members = m.size();
  const size_t min_quota = all.size() / members;
  const size_t max_quota = (all.size() + members - 1) / members;
  const size_t expected_at_max = all.size() % members;
  size_t at_max = 0;  // members given max_quota so far

  // Step 2, in the order Java's HashMap<memberId, ...> iterates.
  std::vector<std::string> ids;
  for (const auto* member : m.members)
    ids.push_back(member->member_id);
  std::vector<size_t> under_min;
  std::vector<size_t> at_min;
  std::set<TopicPartitionName> kept;
  for (size_t i : java_hashmap_order(ids)) {
    std::vector<TopicPartitionName> owned = own.owned[i];
    std::sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
      return a.partition != b.partition ? a.partition < b.partition : a.topic < b.topic;
    });
    size_t keep = owned.size();
    if (owned.size() < min_quota) {
      under_min.push_back(i);
    } else if (owned.size() >= max_quota && at_max < expected_at_max) {
      keep = max_quota;
      ++at_max;
    } else {
      keep = min_quota;
      if (at_max < expected_at_max) at_min.push_back(i);
    }
    m.result[i].assign(owned.begin(), owned.begin() + static_cast<std::ptrdiff_t>(keep));
    kept.insert(m.result[i].begin(), m.result[i].end());
  }
  // Step 4: members sorted by member id (Java order); partitions by topic then partition.
  auto by_id = [&](size_t a, size_t b) {
    return java_less(m.members[a]->member_id, m.members[b]->member_id);
  };
  std::sort(under_min.begin(), under_min.end(), by_id);
  std::sort(at_min.begin(), at_min.end(), by_id);
  // Step 5: round robin over the under-min members, then one each to the at-min ones.
  size_t cursor = 0;
  size_t at_min_next = 0;
  for (const auto& tp : all) {
    if (kept.count(tp) != 0) continue;
    if (!under_min.empty()) {
      if (cursor >= under_min.size()) cursor = 0;
      const size_t i = under_min[cursor];
      m.result[i].push_back(tp);
      if (m.result[i].size() == min_quota) {
        under_min.erase(under_min.begin() + static_cast<std::ptrdiff_t>(cursor));
        if (at_max < expected_at_max) at_min.push_back(i);
      } else {
        ++cursor;
      }
      continue;
    }
    SIM_ASSERT(at_min_next < at_min.size(), "a member at min quota can take a partition");
    m.result[at_min[at_min_next++]].push_back(tp);
    ++at_max;
  }
}

/// Mixed subscriptions: keep the valid previous owners, give each remaining partition (those
/// with the fewest possible consumers first) to the least loaded subscriber, then move single
/// partitions from a member to a less loaded subscriber until no move improves balance.
/// Moves prefer partitions the member did not own before, so stickiness suffers last.
void assign_general(Model& m, const Ownership& own) {
  std::set<TopicPartitionName> taken;
  for (size_t i = 0; i < m.size(); ++i) {
    m.result[i] = own.owned[i];
    taken.insert(own.owned[i].begin(), own.owned[i].end());
  }
  auto consumers_of = [&](const std::string& topic) {
    size_t n = 0;
    for (size_t i = 0; i < m.size(); ++i)
      n += m.subscribes(i, topic) ? 1 : 0;
    return n;
  };
  std::vector<std::pair<size_t, TopicPartitionName>> todo;
  for (const auto& tp : m.subscribed_partitions()) {
    if (taken.count(tp) == 0) todo.emplace_back(consumers_of(tp.topic), tp);
  }
  std::stable_sort(todo.begin(), todo.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  auto fewer = [&](size_t a, size_t b) {  // less loaded, then member id
    if (m.result[a].size() != m.result[b].size()) return m.result[a].size() < m.result[b].size();
    return java_less(m.members[a]->member_id, m.members[b]->member_id);
  };
  for (const auto& [n, tp] : todo) {
    std::optional<size_t> best;
    for (size_t i = 0; i < m.size(); ++i) {
      if (m.subscribes(i, tp.topic) && (!best || fewer(i, *best))) best = i;
    }
    m.result[*best].push_back(tp);
  }
  // Balance: each move lowers the sum of squared counts, so the loop ends.
  std::vector<size_t> order(m.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  for (bool moved = true; moved;) {
    moved = false;
    std::sort(order.begin(), order.end(), fewer);
    for (auto src = order.rbegin(); src != order.rend() && !moved; ++src) {
      for (size_t dst : order) {
        if (m.result[*src].size() <= m.result[dst].size() + 1) break;
        auto& from = m.result[*src];
        const auto& previously = own.owned[*src];
        std::optional<size_t> pick;
        for (size_t k = from.size(); k-- > 0;) {
          if (!m.subscribes(dst, from[k].topic)) continue;
          const bool sticky =
              std::find(previously.begin(), previously.end(), from[k]) != previously.end();
          if (!pick || !sticky) pick = k;
          if (!sticky) break;
        }
        if (!pick) continue;
        m.result[dst].push_back(from[*pick]);
        from.erase(from.begin() + static_cast<std::ptrdiff_t>(*pick));
        moved = true;
        break;
      }
    }
  }
}

/// A partition given to someone other than a member that claimed it must first be revoked by
/// that claimant: it is "transferring ownership".
std::vector<Transfer> transfers(const Model& m, const Ownership& own) {
  std::vector<Transfer> out;
  for (size_t i = 0; i < m.size(); ++i) {
    for (const auto& tp : m.result[i]) {
      auto it = own.claimants.find(tp);
      if (it == own.claimants.end()) continue;
      std::optional<size_t> from;
      for (size_t c : it->second) {
        if (c != i) {
          from = c;
          break;
        }
      }
      if (from) out.push_back({tp, m.members[*from]->member_id, m.members[i]->member_id});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Transfer& a, const Transfer& b) { return a.partition < b.partition; });
  return out;
}

}  // namespace

// [SECTION] assign()

AssignmentResult assign(AssignorStrategy strategy, const AssignorInput& input) {
  Model m(input);
  AssignmentResult out;
  if (strategy == AssignorStrategy::range) {
    assign_range(m);
  } else if (strategy == AssignorStrategy::roundrobin) {
    assign_roundrobin(m);
  } else if (m.size() > 0) {
    const Ownership own = resolve_ownership(m);
    if (all_subscriptions_equal(m)) {
      assign_constrained(m, own);
    } else {
      assign_general(m, own);
    }
    out.transferring = transfers(m, own);
    if (strategy == AssignorStrategy::cooperative_sticky) {
      std::set<std::pair<std::string, TopicPartitionName>> withheld;
      for (const auto& t : out.transferring)
        withheld.insert({t.to, t.partition});
      auto round = m.result;
      for (size_t i = 0; i < m.size(); ++i) {
        std::erase_if(round[i], [&](const TopicPartitionName& tp) {
          return withheld.count({m.members[i]->member_id, tp}) != 0;
        });
      }
      out.first_round = m.assignments(round);
    }
  }
  out.members = m.assignments(m.result);
  return out;
}

}  // namespace kafkasim::kafka::group
