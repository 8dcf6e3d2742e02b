#include "kafka/broker/lifecycle.h"

#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

const char* BrokerLifecycle::state_name(State s) {
  switch (s) {
    case State::starting:
      return "STARTING";
    case State::registering:
      return "REGISTERING";
    case State::fenced:
      return "FENCED";
    case State::running:
      return "RUNNING";
    case State::controlled_shutdown:
      return "PENDING_CONTROLLED_SHUTDOWN";
    case State::shut_down:
      return "SHUTTING_DOWN";
  }
  return "STARTING";
}

BrokerLifecycle::BrokerLifecycle(BrokerId self, std::string rack, KafkaConfig cfg)
    : self_(self), rack_(std::move(rack)), cfg_(cfg) {}

void BrokerLifecycle::crash() {
  *this = BrokerLifecycle(self_, rack_, cfg_);
}

void BrokerLifecycle::start(world::Ctx&, uint64_t incarnation_id) {
  state_ = State::starting;
  incarnation_id_ = incarnation_id;
}

void BrokerLifecycle::sync(world::Ctx& ctx, BrokerId controller, Offset metadata_offset) {
  const bool controller_changed = controller != controller_;
  controller_ = controller;
  const bool caught_up_now = state_ == State::fenced && metadata_offset_ < broker_epoch_ &&
                             metadata_offset >= broker_epoch_;
  metadata_offset_ = metadata_offset;
  if (controller_ == kNoLeader || state_ == State::shut_down) return;
  if (state_ == State::starting && !in_flight_ && !heartbeat_timer_.armed()) {
    send_registration(ctx);  // (an armed timer here is a retry backoff: wait for it)
  } else if (in_flight_ && controller_changed) {
    in_flight_ = false;  // the request went to a controller that is no longer active
    state_ == State::registering ? send_registration(ctx) : send_heartbeat(ctx);
  } else if (caught_up_now && !in_flight_) {
    send_heartbeat(ctx);  // caught up: ask to be unfenced now, not at the next interval
  }
}

void BrokerLifecycle::arm_request_timer(world::Ctx& ctx, uint32_t correlation) {
  ctx.cancel(request_timer_);
  request_timer_ = ctx.set_timer(Time::from_ms(cfg_.controller_quorum_request_timeout_ms),
                                 request_timer, correlation);
}

void BrokerLifecycle::send_registration(world::Ctx& ctx) {
  if (controller_ == kNoLeader) return;
  state_ = State::registering;
  BrokerRegistrationRequest r;
  r.correlation_id = next_correlation_++;
  r.broker_id = self_;
  r.incarnation_id = incarnation_id_;
  r.rack = rack_;
  in_flight_ = true;
  correlation_ = r.correlation_id;
  arm_request_timer(ctx, r.correlation_id);
  ctx.send(controller_, net::MessageKind::heartbeat, r, 64);
}

void BrokerLifecycle::send_heartbeat(world::Ctx& ctx) {
  if (controller_ == kNoLeader || in_flight_) return;
  BrokerHeartbeatRequest r;
  r.correlation_id = next_correlation_++;
  r.broker_id = self_;
  r.broker_epoch = broker_epoch_;
  r.current_metadata_offset = metadata_offset_;
  r.want_fence = false;
  r.want_shut_down = want_shutdown_;
  in_flight_ = true;
  correlation_ = r.correlation_id;
  arm_request_timer(ctx, r.correlation_id);
  ctx.send(controller_, net::MessageKind::heartbeat, r, 48);
}

void BrokerLifecycle::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  if (kind == heartbeat_timer) {
    heartbeat_timer_ = {};
    if (state_ == State::fenced || state_ == State::running ||
        state_ == State::controlled_shutdown) {
      send_heartbeat(ctx);
      heartbeat_timer_ =
          ctx.set_timer(Time::from_ms(cfg_.broker_heartbeat_interval_ms), heartbeat_timer, 0);
    } else if (state_ == State::starting) {
      send_registration(ctx);
    }
  } else if (kind == request_timer && in_flight_ && arg == correlation_) {
    request_timer_ = {};
    in_flight_ = false;  // no answer: try again (the controller may have moved)
    if (state_ == State::registering) {
      send_registration(ctx);
    } else {
      send_heartbeat(ctx);
    }
  }
}

void BrokerLifecycle::on_disconnect(world::Ctx& ctx, BrokerId peer) {
  if (in_flight_ && peer == controller_) {
    in_flight_ = false;
    ctx.cancel(request_timer_);
    ctx.cancel(heartbeat_timer_);
    heartbeat_timer_ = ctx.set_timer(Time::from_ms(cfg_.controller_quorum_retry_backoff_ms * 5),
                                     heartbeat_timer, 0);
    if (state_ == State::registering) state_ = State::starting;
  }
}

void BrokerLifecycle::on_message(world::Ctx& ctx, BrokerId, const BrokerRegistrationResponse& m) {
  if (!in_flight_ || m.correlation_id != correlation_ || state_ != State::registering) return;
  in_flight_ = false;
  ctx.cancel(request_timer_);
  if (m.error_code != Errc::NONE) {
    state_ = State::starting;
    if (m.controller_hint != kNoLeader) controller_ = m.controller_hint;
    // DUPLICATE_BROKER_REGISTRATION: the old session must expire first; retry on the interval.
    const Time wait = m.error_code == Errc::DUPLICATE_BROKER_REGISTRATION
                          ? Time::from_ms(cfg_.broker_heartbeat_interval_ms)
                          : Time::from_ms(cfg_.controller_quorum_retry_backoff_ms * 5);
    ctx.cancel(heartbeat_timer_);
    heartbeat_timer_ = ctx.set_timer(wait, heartbeat_timer, 0);
    return;
  }
  broker_epoch_ = m.broker_epoch;
  state_ = State::fenced;
  send_heartbeat(ctx);
  ctx.cancel(heartbeat_timer_);
  heartbeat_timer_ =
      ctx.set_timer(Time::from_ms(cfg_.broker_heartbeat_interval_ms), heartbeat_timer, 0);
}

void BrokerLifecycle::on_message(world::Ctx& ctx, BrokerId, const BrokerHeartbeatResponse& m) {
  if (!in_flight_ || m.correlation_id != correlation_) return;
  in_flight_ = false;
  ctx.cancel(request_timer_);
  if (m.error_code == Errc::NOT_CONTROLLER) {
    // The quorum leader is not active yet, or moved: ask again after a backoff (the regular
    // heartbeat timer keeps running).
    if (m.controller_hint != kNoLeader) controller_ = m.controller_hint;
    return;
  }
  if (m.error_code == Errc::STALE_BROKER_EPOCH || m.error_code == Errc::BROKER_ID_NOT_REGISTERED) {
    state_ = State::starting;  // our registration is gone: register again
    send_registration(ctx);
    return;
  }
  if (m.error_code != Errc::NONE) return;
  if (m.should_shut_down) {
    state_ = State::shut_down;
    return;
  }
  if (state_ == State::fenced && !m.is_fenced) state_ = State::running;
  if (state_ == State::running && m.is_fenced) state_ = State::fenced;
}

void BrokerLifecycle::begin_shutdown(world::Ctx& ctx) {
  want_shutdown_ = true;
  if (state_ == State::running) state_ = State::controlled_shutdown;
  if (state_ == State::starting || state_ == State::registering) {
    state_ = State::shut_down;
    return;
  }
  if (!in_flight_) send_heartbeat(ctx);
}

const char* BrokerLifecycle::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case heartbeat_timer:
      return "the broker heartbeat timer";
    case request_timer:
      return "the heartbeat request timeout";
    case timer_kind_max:
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka
