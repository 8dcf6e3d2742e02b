// BrokerLifecycle: a broker's side of KRaft membership (Kafka's BrokerLifecycleManager;
// KAFKA_REFERENCE 3.2). Register with the active controller (learned from the metadata
// quorum), stay fenced until the metadata log has caught up to the registration record, then
// heartbeat every broker.heartbeat.interval.ms. A controlled shutdown asks the controller to
// move leadership away first, and stops when told it leads nothing.
#pragma once

#include <cstdint>
#include <string>

#include "kafka/common/config.h"
#include "kafka/controller/messages.h"
#include "sim/timer.h"
#include "world/ctx.h"

namespace kafkasim::kafka {

class BrokerLifecycle {
 public:
  /// Timer kinds 40..59 belong to the broker lifecycle.
  enum TimerKind : uint16_t { heartbeat_timer = 40, request_timer = 41, timer_kind_max = 59 };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  enum class State : uint8_t {
    starting,
    registering,
    fenced,
    running,
    controlled_shutdown,
    shut_down
  };
  static const char* state_name(State s);

  BrokerLifecycle() = default;
  BrokerLifecycle(BrokerId self, std::string rack, KafkaConfig cfg);

  void start(world::Ctx& ctx, uint64_t incarnation_id);
  void crash();
  /// After metadata progress: `controller` is the quorum leader as this broker knows it.
  void sync(world::Ctx& ctx, BrokerId controller, Offset metadata_offset);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, BrokerId peer);
  void on_message(world::Ctx& ctx, BrokerId from, const BrokerRegistrationResponse& m);
  void on_message(world::Ctx& ctx, BrokerId from, const BrokerHeartbeatResponse& m);
  void begin_shutdown(world::Ctx& ctx);

  State state() const { return state_; }
  int64_t broker_epoch() const { return broker_epoch_; }
  BrokerId controller() const { return controller_; }
  bool done() const { return state_ == State::shut_down; }

 private:
  void send_registration(world::Ctx& ctx);
  void send_heartbeat(world::Ctx& ctx);
  void arm_request_timer(world::Ctx& ctx, uint32_t correlation);

  BrokerId self_ = 0;
  std::string rack_;
  KafkaConfig cfg_;
  // volatile
  State state_ = State::starting;
  uint64_t incarnation_id_ = 0;
  int64_t broker_epoch_ = -1;
  BrokerId controller_ = kNoLeader;
  Offset metadata_offset_ = -1;
  bool in_flight_ = false;
  uint32_t correlation_ = 0;
  uint32_t next_correlation_ = 1;
  bool want_shutdown_ = false;
  sim::TimerId heartbeat_timer_, request_timer_;
};

}  // namespace kafkasim::kafka
