// Kafka's error codes, by Kafka's names and numbers (org.apache.kafka.common.protocol.Errors).
// Protocol outcomes travel in responses as these values, never as exceptions.
#pragma once

#include <cstdint>
#include <string_view>

namespace kafkasim::kafka {

#define KAFKASIM_ERRORS(X)                \
  X(UNKNOWN_SERVER_ERROR, -1)             \
  X(NONE, 0)                              \
  X(OFFSET_OUT_OF_RANGE, 1)               \
  X(UNKNOWN_TOPIC_OR_PARTITION, 3)        \
  X(LEADER_NOT_AVAILABLE, 5)              \
  X(NOT_LEADER_OR_FOLLOWER, 6)            \
  X(REQUEST_TIMED_OUT, 7)                 \
  X(BROKER_NOT_AVAILABLE, 8)              \
  X(STALE_CONTROLLER_EPOCH, 11)           \
  X(NETWORK_EXCEPTION, 13)                \
  X(COORDINATOR_LOAD_IN_PROGRESS, 14)     \
  X(COORDINATOR_NOT_AVAILABLE, 15)        \
  X(NOT_COORDINATOR, 16)                  \
  X(NOT_ENOUGH_REPLICAS, 19)              \
  X(NOT_ENOUGH_REPLICAS_AFTER_APPEND, 20) \
  X(ILLEGAL_GENERATION, 22)               \
  X(INCONSISTENT_GROUP_PROTOCOL, 23)      \
  X(UNKNOWN_MEMBER_ID, 25)                \
  X(INVALID_SESSION_TIMEOUT, 26)          \
  X(REBALANCE_IN_PROGRESS, 27)            \
  X(TOPIC_ALREADY_EXISTS, 36)             \
  X(INVALID_PARTITIONS, 37)               \
  X(INVALID_REPLICATION_FACTOR, 38)       \
  X(INVALID_REPLICA_ASSIGNMENT, 39)       \
  X(INVALID_CONFIG, 40)                   \
  X(NOT_CONTROLLER, 41)                   \
  X(INVALID_REQUEST, 42)                  \
  X(OUT_OF_ORDER_SEQUENCE_NUMBER, 45)     \
  X(DUPLICATE_SEQUENCE_NUMBER, 46)        \
  X(INVALID_PRODUCER_EPOCH, 47)           \
  X(UNKNOWN_PRODUCER_ID, 59)              \
  X(FENCED_LEADER_EPOCH, 74)              \
  X(UNKNOWN_LEADER_EPOCH, 75)             \
  X(STALE_BROKER_EPOCH, 77)               \
  X(MEMBER_ID_REQUIRED, 79)               \
  X(PREFERRED_LEADER_NOT_AVAILABLE, 80)   \
  X(FENCED_INSTANCE_ID, 82)               \
  X(ELIGIBLE_LEADERS_NOT_AVAILABLE, 83)   \
  X(ELECTION_NOT_NEEDED, 84)              \
  X(INCONSISTENT_VOTER_SET, 94)           \
  X(INVALID_UPDATE_VERSION, 95)           \
  X(DUPLICATE_BROKER_REGISTRATION, 101)   \
  X(BROKER_ID_NOT_REGISTERED, 102)        \
  X(INELIGIBLE_REPLICA, 107)              \
  X(NEW_LEADER_ELECTED, 108)

enum class Errc : int16_t {
#define KAFKASIM_ERRC_ENUM(name, code) name = code,
  KAFKASIM_ERRORS(KAFKASIM_ERRC_ENUM)
#undef KAFKASIM_ERRC_ENUM
};

/// Kafka's name for the error: "NOT_LEADER_OR_FOLLOWER".
std::string_view errc_name(Errc e);

}  // namespace kafkasim::kafka
