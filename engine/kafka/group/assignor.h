// The classic consumer group assignors (KAFKA_REFERENCE 5.5): range, roundrobin, sticky and
// cooperative-sticky, as the group leader runs them on the members' subscriptions. Plain data in,
// plain data out: no Sim, no network, so the CLI (`kafkasim assign`), the tests and a future
// group coordinator share one implementation.
//
// Also the small pieces of Java that Kafka's choices depend on: String.hashCode (the group
// coordinator's partition, 7.3), String.compareTo (member order) and HashMap<String, ...>
// iteration order (the sticky assignor's step 2, the "HashMap-order pitfall" of 7.6).
//
// Strings are UTF-8. Java works on UTF-16 code units, so hashing and comparing decode UTF-8 to
// UTF-16 first (a code point above U+FFFF becomes a surrogate pair; a malformed byte becomes
// U+FFFD, as Java's decoder does). For ASCII this is the plain byte-wise computation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/protocol/data.h"

namespace kafkasim::kafka::group {

/// A partition named by its topic: "topic1-0" (kafka::TopicPartition numbers topics; the
/// assignors work on names, as the client-side assignors do, and as the group protocol does).
using TopicPartitionName = kafka::TopicPartitionName;
/// "topic1-0"
std::string to_string(const TopicPartitionName& tp);

struct AssignorTopic {
  std::string name;
  int32_t partitions = 0;
};

/// One member's JoinGroup subscription, as the leader sees it.
struct AssignorMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;  // static membership (KIP-345)
  std::vector<std::string> topics;               // subscribed topics
  /// What the member owned before this rebalance (sticky and cooperative-sticky read it).
  std::vector<TopicPartitionName> owned;
  /// The generation `owned` is from; unset means the current (newest) generation.
  std::optional<int32_t> generation;
};

struct AssignorInput {
  std::vector<AssignorTopic> topics;
  std::vector<AssignorMember> members;  // member ids are unique
};

enum class AssignorStrategy { range, roundrobin, sticky, cooperative_sticky };

/// Kafka's short name ("cooperative-sticky").
std::string_view strategy_name(AssignorStrategy s);
/// The Java class (org.apache.kafka.clients.consumer.CooperativeStickyAssignor).
std::string_view strategy_class_name(AssignorStrategy s);
/// Short names and class names both, as partition.assignment.strategy accepts them.
std::optional<AssignorStrategy> parse_strategy(std::string_view name);
/// The short names, for usage texts and "did you mean" suggestions.
std::vector<std::string_view> strategy_names();

struct MemberAssignment {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<TopicPartitionName> partitions;  // in the order Kafka lists them
};

/// A partition given to a member other than the one that owned it (sticky strategies).
struct Transfer {
  TopicPartitionName partition;
  std::string from;  // its previous owner (the first claimant when two claims collided)
  std::string to;
};

struct AssignmentResult {
  /// Every member, in MemberInfo order (static members by instance id, then member id).
  std::vector<MemberAssignment> members;
  /// Sticky strategies: partitions changing owner, sorted by topic then partition.
  std::vector<Transfer> transferring;
  /// cooperative-sticky only: this round's assignment, with every transferring partition
  /// withheld from its new owner until the old owner has revoked it (KIP-429). Same order as
  /// `members`; empty for the other strategies.
  std::vector<MemberAssignment> first_round;
};

/// Runs `strategy` over `input`. Topics a member subscribes to that are not in `input.topics`
/// are skipped (Kafka ignores topics without metadata); owned partitions of unknown topics, of
/// partitions beyond the count, or of topics the member no longer subscribes to are dropped.
/// Two members claiming a partition in the same (newest) generation lose it both; a claim from
/// an older generation loses to a newer one.
AssignmentResult assign(AssignorStrategy strategy, const AssignorInput& input);

/// AbstractPartitionAssignor.MemberInfo order: static members first, by group.instance.id,
/// then dynamic members by member id; Java String.compareTo throughout.
bool member_info_less(const AssignorMember& a, const AssignorMember& b);

// [SECTION] Java compatibility helpers

/// Java's String.hashCode of the UTF-16 form of `utf8`, as a signed 32-bit value.
int32_t java_string_hash(std::string_view utf8);
/// Java's String.compareTo sign (-1, 0, 1), comparing UTF-16 code units.
int java_string_compare(std::string_view a, std::string_view b);
/// The order in which a java.util.HashMap<String, V> created empty and filled with `keys` (in
/// this order, distinct) iterates them: buckets (h ^ (h >>> 16)) & (capacity - 1), capacity 16
/// doubling whenever the size exceeds 3/4 of it, insertion order within a bucket. Returns
/// indexes into `keys`. (Buckets of 8+ entries turn into trees in Java; with the member counts
/// of a teaching simulator that does not happen, and we do not model it.)
std::vector<size_t> java_hashmap_order(const std::vector<std::string>& keys);

/// The `__consumer_offsets` partition of the group coordinator for `group_id`:
/// Utils.abs(String.hashCode) % partitions, where Utils.abs(Integer.MIN_VALUE) is 0. Also the
/// transaction coordinator's partition of a transactional.id.
int32_t coordinator_partition(std::string_view group_id, int32_t offsets_topic_partitions);

}  // namespace kafkasim::kafka::group
