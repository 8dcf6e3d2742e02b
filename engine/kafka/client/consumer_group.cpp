// A Consumer's side of the classic group protocol (consumer.h; KAFKA_REFERENCE 5.4): Kafka's
// ConsumerCoordinator and AbstractCoordinator, with the heartbeat thread as a timer.
#include <algorithm>

#include "kafka/client/consumer.h"
#include "kafka/group/assignor.h"
#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

namespace {
bool retriable_coordinator_error(Errc e) {
  return e == Errc::NOT_COORDINATOR || e == Errc::COORDINATOR_NOT_AVAILABLE ||
         e == Errc::COORDINATOR_LOAD_IN_PROGRESS || e == Errc::REQUEST_TIMED_OUT;
}
}  // namespace

int32_t Consumer::partition_count(const std::string& topic) const {
  int32_t count = 0;
  for (auto it = metadata_.lower_bound(TopicPartitionName{topic, 0});
       it != metadata_.end() && it->first.topic == topic; ++it)
    count = std::max(count, it->first.partition + 1);
  return count;
}

void Consumer::check_metadata_snapshot(world::Ctx& ctx) {
  if (!is_leader() || phase_ != MemberPhase::stable || rejoin_needed_) return;
  for (const auto& [topic, count] : assigned_counts_) {
    const int32_t now = partition_count(topic);
    if (now == count) continue;
    rejoin_needed_ = true;
    ctx.trace(sim::TraceKind::group_member,
              "consumer " + cfg_.client_id + " (the group's leader) sees " + topic + " with " +
                  std::to_string(now) + " partitions, not " + std::to_string(count) +
                  ": it rejoins so that they are assigned");
    return;
  }
}

bool Consumer::cooperative() const {
  // The protocol is the highest one every configured assignor supports (RangeAssignor is
  // EAGER only): cooperative only when every assignor is cooperative-sticky.
  const auto& s = cfg_.group.partition_assignment_strategy;
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](const std::string& a) { return a == "cooperative-sticky"; });
}

std::vector<TopicPartitionName> Consumer::owned() const {
  std::vector<TopicPartitionName> out;
  for (const auto& [tp, a] : assigned_)
    out.push_back(tp);
  return out;
}

void Consumer::drive_group(world::Ctx& ctx) {
  if (!running_ || !in_group() || phase_ == MemberPhase::failed || closing_) return;
  if (commit_retry_ && ctx.now() >= commit_deadline_) {
    ++errors_[Errc::REQUEST_TIMED_OUT];  // commitSync: default.api.timeout.ms ran out
    end_blocking_commit(ctx);
  }
  if (coordinator_ < 0) {
    find_coordinator(ctx);
    return;
  }
  if (commit_retry_ && commit_correlation_ == 0 && app_ == App::committing) {
    if (commit(ctx, true)) {
      commit_retry_ = false;
    } else if (phase_ != MemberPhase::stable) {
      end_blocking_commit(ctx);  // not in a stable generation any more: CommitFailed
    }
  }
  if (app_ == App::idle && pending_assignment_) {
    std::vector<TopicPartitionName> a = std::move(*pending_assignment_);
    pending_assignment_.reset();
    apply_assignment(ctx, std::move(a));
  }
  const bool want_join = phase_ == MemberPhase::unjoined ||
                         (phase_ == MemberPhase::stable && rejoin_needed_ && !pending_assignment_);
  if (want_join && app_ == App::idle && !rejoin_armed_) prepare_join(ctx);
  if ((phase_ == MemberPhase::stable || phase_ == MemberPhase::syncing) &&
      !heartbeat_timer_.armed())
    heartbeat_timer_ =
        ctx.set_timer(Time::from_ms(cfg_.group.heartbeat_interval_ms), heartbeat_timer, 0);
  // Newly assigned partitions start from the group's committed offsets.
  if (phase_ == MemberPhase::stable && fetch_offsets_correlation_ == 0) {
    OffsetFetchRequest r;
    r.group_id = cfg_.group.group_id;
    for (const auto& [tp, a] : assigned_)
      if (a.awaiting_committed) r.partitions.push_back(tp);
    if (!r.partitions.empty()) {
      r.correlation_id = fetch_offsets_correlation_ = next_correlation_++;
      const auto bytes = static_cast<uint32_t>(48 + 16 * r.partitions.size());
      ctx.send(coordinator_, net::MessageKind::group, std::move(r), bytes);
      ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer,
                    fetch_offsets_correlation_);
    }
  }
}

void Consumer::find_coordinator(world::Ctx& ctx) {
  if (find_correlation_ != 0 || rejoin_armed_) return;
  const std::vector<BrokerId>& candidates = brokers_.empty() ? cfg_.bootstrap : brokers_;
  if (candidates.empty()) return;
  find_correlation_ = next_correlation_++;
  find_to_ = brokers_to_ask_.reachable(candidates);
  ctx.send(find_to_, net::MessageKind::group,
           FindCoordinatorRequest{find_correlation_, cfg_.group.group_id}, 48);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, find_correlation_);
}

void Consumer::coordinator_unknown(world::Ctx& ctx, const std::string& why) {
  if (coordinator_ >= 0 && coordinator_ != last_lost_coordinator_) {
    ctx.trace(sim::TraceKind::group_member, "consumer " + cfg_.client_id + " lost coordinator " +
                                                std::to_string(coordinator_) + ": " + why);
    last_lost_coordinator_ = coordinator_;
  }
  coordinator_ = -1;
  find_correlation_ = 0;
  ctx.cancel(heartbeat_timer_);
  heartbeat_correlation_ = 0;
  if (phase_ == MemberPhase::joining || phase_ == MemberPhase::syncing ||
      phase_ == MemberPhase::committing) {
    phase_ = MemberPhase::unjoined;
    join_correlation_ = sync_correlation_ = 0;
  }
  fetch_offsets_correlation_ = 0;
  if (commit_correlation_ != 0 && app_ == App::committing) {
    // commitSync retries with the next coordinator, until default.api.timeout.ms.
    commits_in_flight_.erase(commit_correlation_);
    commit_correlation_ = 0;
    commit_retry_ = true;
  } else if (commit_correlation_ != 0 && closing_) {
    commits_in_flight_.erase(commit_correlation_);
    commit_correlation_ = 0;
    ctx.stop_self("closed (its coordinator is gone)");
  }
  group_backoff(ctx);
}

void Consumer::group_backoff(world::Ctx& ctx) {
  if (!rejoin_armed_) {
    // Exponential backoff (retry.backoff.ms doubling up to retry.backoff.max.ms, KIP-580).
    int64_t backoff = cfg_.retry_backoff_ms;
    for (int32_t i = 0; i < group_failures_ && backoff < cfg_.retry_backoff_max_ms; ++i)
      backoff *= 2;
    ++group_failures_;
    rejoin_armed_ = true;
    ctx.set_timer(Time::from_ms(std::min(
                      backoff, std::max(cfg_.retry_backoff_max_ms, cfg_.retry_backoff_ms))),
                  rejoin_timer, 0);
  }
}

void Consumer::group_failed(world::Ctx& ctx, Errc e) {
  ++errors_[e];
  ctx.trace(sim::TraceKind::group_member, "consumer " + cfg_.client_id + " stops: " +
                                              std::string(errc_name(e)) + " from the coordinator");
  revoke(ctx, owned(), true);
  phase_ = MemberPhase::failed;
  ctx.cancel(heartbeat_timer_);
}

void Consumer::reset_generation(world::Ctx& ctx, Errc e) {
  generation_ = -1;
  if (e == Errc::UNKNOWN_MEMBER_ID) member_id_.clear();
  rejoin_needed_ = true;
  phase_ = MemberPhase::unjoined;
  join_correlation_ = sync_correlation_ = 0;
  pending_assignment_.reset();
  ctx.cancel(heartbeat_timer_);
  heartbeat_correlation_ = 0;
}

void Consumer::revoke(world::Ctx& ctx, const std::vector<TopicPartitionName>& tps, bool lost) {
  if (tps.empty()) return;
  for (const TopicPartitionName& tp : tps)
    assigned_.erase(tp);
  AssignmentChange c;
  c.at = ctx.now();
  c.generation = generation_;
  c.revoked = tps;
  c.lost = lost;
  history_.push_back(c);
  ctx.trace(sim::TraceKind::group_assign, "consumer " + cfg_.client_id +
                                              (lost ? " lost " : " revoked ") + to_string(tps) +
                                              (lost ? " (its generation is gone: no commit)" : ""));
}

void Consumer::prepare_join(world::Ctx& ctx) {
  // onJoinPrepare: with auto-commit, commit what was consumed before giving anything up.
  if (generation_ >= 0 && cfg_.group.enable_auto_commit && !assigned_.empty() &&
      commit(ctx, true)) {
    phase_ = MemberPhase::committing;
    return;
  }
  send_join(ctx);
}

void Consumer::send_join(world::Ctx& ctx) {
  if (generation_ < 0) {
    // The generation is gone (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, a poll timeout): what it
    // owned may already be someone else's.
    revoke(ctx, owned(), true);
    previous_.clear();
    previous_generation_ = -1;
  } else {
    previous_ = owned();
    previous_generation_ = generation_;
    if (!cooperative()) revoke(ctx, owned(), false);  // EAGER: everything, before joining
  }
  phase_ = MemberPhase::joining;
  send_join_request(ctx);
}

void Consumer::send_join_request(world::Ctx& ctx) {
  JoinGroupRequest r;
  r.correlation_id = join_correlation_ = next_correlation_++;
  r.client_id = cfg_.client_id;
  r.group_id = cfg_.group.group_id;
  r.session_timeout_ms = static_cast<int32_t>(cfg_.group.session_timeout_ms);
  r.rebalance_timeout_ms = static_cast<int32_t>(cfg_.group.max_poll_interval_ms);
  r.member_id = member_id_;
  r.group_instance_id = cfg_.group.group_instance_id;
  for (const std::string& s : cfg_.group.partition_assignment_strategy) {
    JoinGroupProtocol p;
    p.name = s;
    p.metadata.topics = cfg_.topics;
    p.metadata.owned_partitions = previous_;
    p.metadata.generation_id = previous_generation_;
    r.protocols.push_back(std::move(p));
  }
  const auto bytes = static_cast<uint32_t>(96 + 16 * previous_.size());
  ctx.send(coordinator_, net::MessageKind::group, std::move(r), bytes);
  ctx.set_timer(rebalance_request_timeout(), request_timer, join_correlation_);
}

void Consumer::on_join_response(world::Ctx& ctx, JoinGroupResponse&& r) {
  join_correlation_ = 0;
  switch (r.error_code) {
    case Errc::NONE:
      break;
    case Errc::MEMBER_ID_REQUIRED:
      member_id_ = r.member_id;
      send_join_request(ctx);
      return;
    default:
      rebalance_refused(ctx, r.error_code);
      return;
  }
  group_failures_ = 0;
  last_lost_coordinator_ = -1;
  member_id_ = r.member_id;
  generation_ = r.generation_id;
  protocol_ = r.protocol_name;
  leader_ = r.leader;
  phase_ = MemberPhase::syncing;
  last_heartbeat_ok_ = ctx.now();
  SyncGroupRequest s;
  s.correlation_id = sync_correlation_ = next_correlation_++;
  s.group_id = cfg_.group.group_id;
  s.generation_id = generation_;
  s.member_id = member_id_;
  s.group_instance_id = cfg_.group.group_instance_id;
  s.protocol_name = protocol_;
  uint32_t bytes = 64;
  if (is_leader() && !r.skip_assignment) {
    // The leader runs the chosen assignor on every member's subscription.
    group::AssignorInput in;
    std::vector<std::string> topics;
    for (const JoinGroupMember& m : r.members) {
      group::AssignorMember am;
      am.member_id = m.member_id;
      if (!m.group_instance_id.empty()) am.group_instance_id = m.group_instance_id;
      am.topics = m.metadata.topics;
      am.owned = m.metadata.owned_partitions;
      if (m.metadata.generation_id >= 0) am.generation = m.metadata.generation_id;
      topics.insert(topics.end(), m.metadata.topics.begin(), m.metadata.topics.end());
      in.members.push_back(std::move(am));
    }
    std::sort(topics.begin(), topics.end());
    topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
    assigned_counts_.clear();
    for (const std::string& t : topics) {
      const int32_t count = partition_count(t);
      assigned_counts_[t] = count;
      if (count > 0) in.topics.push_back(group::AssignorTopic{t, count});
    }
    const auto strategy = group::parse_strategy(protocol_);
    if (strategy) {
      const group::AssignmentResult res = group::assign(*strategy, in);
      const auto& members =
          *strategy == group::AssignorStrategy::cooperative_sticky ? res.first_round : res.members;
      for (const group::MemberAssignment& m : members) {
        s.assignments.push_back(SyncGroupAssignment{m.member_id, m.partitions});
        bytes += static_cast<uint32_t>(32 + 16 * m.partitions.size());
      }
    }
  }
  ctx.send(coordinator_, net::MessageKind::group, std::move(s), bytes);
  ctx.set_timer(rebalance_request_timeout(), request_timer, sync_correlation_);
}

void Consumer::on_sync_response(world::Ctx& ctx, SyncGroupResponse&& r) {
  sync_correlation_ = 0;
  if (r.error_code == Errc::NONE) {
    std::sort(r.assignment.begin(), r.assignment.end());
    pending_assignment_ = std::move(r.assignment);
    phase_ = MemberPhase::stable;
    rejoin_needed_ = false;
    return;
  }
  rebalance_refused(ctx, r.error_code);
}

void Consumer::rebalance_refused(world::Ctx& ctx, Errc e) {
  if (e != Errc::REBALANCE_IN_PROGRESS && e != Errc::UNKNOWN_MEMBER_ID &&
      e != Errc::ILLEGAL_GENERATION && !retriable_coordinator_error(e)) {
    group_failed(ctx, e);  // FENCED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL... (counted there)
    return;
  }
  ++errors_[e];
  if (e == Errc::UNKNOWN_MEMBER_ID || e == Errc::ILLEGAL_GENERATION) {
    reset_generation(ctx, e);
    return;
  }
  if (e != Errc::REBALANCE_IN_PROGRESS) coordinator_unknown(ctx, std::string(errc_name(e)));
  phase_ = MemberPhase::unjoined;  // join again
}

Time Consumer::rebalance_request_timeout() const {
  // JoinGroup and SyncGroup wait at the coordinator until the rebalance completes.
  return Time::from_ms(std::max(cfg_.request_timeout_ms, cfg_.group.max_poll_interval_ms + 5000));
}

void Consumer::apply_assignment(world::Ctx& ctx, std::vector<TopicPartitionName> assignment) {
  // onJoinComplete: revoke what moved away (cooperative), take what is new.
  std::vector<TopicPartitionName> revoked, added;
  for (const auto& [tp, a] : assigned_)
    if (!std::binary_search(assignment.begin(), assignment.end(), tp)) revoked.push_back(tp);
  for (const TopicPartitionName& tp : assignment)
    if (!assigned_.count(tp)) added.push_back(tp);
  if (!revoked.empty()) {
    revoke(ctx, revoked, false);
    rejoin_needed_ = true;  // KIP-429: another round hands the revoked partitions out
  }
  for (const TopicPartitionName& tp : added) {
    Assigned a;
    a.awaiting_committed = true;
    if (auto k = metadata_.find(tp); k != metadata_.end()) {
      a.leader = k->second.leader;
      a.leader_epoch = k->second.leader_epoch;
    }
    assigned_[tp] = std::move(a);
    last_seq_by_key_.erase(tp);  // order is checked within one stretch of ownership
  }
  AssignmentChange c;
  c.at = ctx.now();
  c.generation = generation_;
  c.assigned = added;
  history_.push_back(c);
  ctx.trace(sim::TraceKind::group_assign,
            "consumer " + cfg_.client_id + " (member " + member_id_ + ", generation " +
                std::to_string(generation_) + (is_leader() ? ", leader" : "") + ") owns " +
                to_string(assignment) + (added.empty() ? "" : ", new " + to_string(added)));
  if (!added.empty() && metadata_.empty()) request_metadata(ctx);
}

void Consumer::on_offset_fetch_response(world::Ctx& ctx, const OffsetFetchResponse& r) {
  fetch_offsets_correlation_ = 0;
  if (r.error_code != Errc::NONE) {
    ++errors_[r.error_code];
    if (retriable_coordinator_error(r.error_code))
      coordinator_unknown(ctx, std::string(errc_name(r.error_code)));
    return;
  }
  for (const OffsetFetchPartitionResponse& p : r.partitions) {
    auto it = assigned_.find(p.tp);
    if (it == assigned_.end() || !it->second.awaiting_committed) continue;
    it->second.awaiting_committed = false;
    it->second.position = p.committed_offset;  // -1: auto.offset.reset decides
    if (p.committed_offset >= 0) committed_[p.tp] = p.committed_offset;
    if (p.committed_leader_epoch >= 0) see_leader_epoch(ctx, p.tp, p.committed_leader_epoch);
  }
  fetch(ctx);
}

void Consumer::see_leader_epoch(world::Ctx& ctx, const TopicPartitionName& tp, LeaderEpoch e) {
  // ConsumerMetadata.updateLastSeenEpochIfNewer (KIP-320): the committed offset was read from a
  // leader of epoch `e`; metadata naming an older leader is stale (it may name a broker that
  // was partitioned away and still believes it leads, whose shorter log would answer the
  // committed position with OFFSET_OUT_OF_RANGE and send the consumer back to
  // auto.offset.reset). The partition has no leader until metadata of epoch `e` or newer comes.
  auto k = metadata_.find(tp);
  if (k == metadata_.end() || k->second.leader_epoch < 0 || e <= k->second.leader_epoch) return;
  k->second = Known{kNoLeader, e};
  if (auto a = assigned_.find(tp); a != assigned_.end()) {
    a->second.leader = kNoLeader;
    a->second.leader_epoch = e;
  }
  request_metadata(ctx);
}

void Consumer::heartbeat(world::Ctx& ctx) {
  if (!in_group() || coordinator_ < 0 ||
      (phase_ != MemberPhase::stable && phase_ != MemberPhase::syncing))
    return;
  const Time now = ctx.now();
  if (now - last_heartbeat_ok_ > Time::from_ms(cfg_.group.session_timeout_ms) ||
      (heartbeat_correlation_ != 0 &&
       now - heartbeat_sent_ > Time::from_ms(cfg_.request_timeout_ms))) {
    coordinator_unknown(ctx, "no heartbeat answer in time");
    return;
  }
  if (heartbeat_correlation_ == 0) {
    HeartbeatRequest h;
    h.correlation_id = heartbeat_correlation_ = next_correlation_++;
    h.group_id = cfg_.group.group_id;
    h.generation_id = generation_;
    h.member_id = member_id_;
    h.group_instance_id = cfg_.group.group_instance_id;
    heartbeat_sent_ = now;
    ctx.send(coordinator_, net::MessageKind::group, std::move(h), 64);
  }
  heartbeat_timer_ =
      ctx.set_timer(Time::from_ms(cfg_.group.heartbeat_interval_ms), heartbeat_timer, 0);
}

void Consumer::leave_on_poll_timeout(world::Ctx& ctx) {
  ctx.trace(sim::TraceKind::offset_commit,
            "consumer " + cfg_.client_id + ": poll timeout (no poll() for max.poll.interval.ms " +
                std::to_string(cfg_.group.max_poll_interval_ms) + ") - it leaves the group");
  if (cfg_.group.group_instance_id.empty()) {
    LeaveGroupRequest l;
    l.correlation_id = next_correlation_++;
    l.group_id = cfg_.group.group_id;
    l.member_id = member_id_;
    l.reason = "consumer poll timeout has expired";
    ctx.send(coordinator_, net::MessageKind::group, std::move(l), 64);
  }
  reset_generation(ctx, Errc::UNKNOWN_MEMBER_ID);
  if (!cfg_.group.group_instance_id.empty()) member_id_.clear();
}

void Consumer::on_heartbeat_response(world::Ctx& ctx, const HeartbeatResponse& r) {
  heartbeat_correlation_ = 0;
  switch (r.error_code) {
    case Errc::NONE:
      last_heartbeat_ok_ = ctx.now();
      group_failures_ = 0;
      last_lost_coordinator_ = -1;
      return;
    case Errc::REBALANCE_IN_PROGRESS:
      last_heartbeat_ok_ = ctx.now();
      if (phase_ == MemberPhase::stable) rejoin_needed_ = true;
      return;
    case Errc::UNKNOWN_MEMBER_ID:
    case Errc::ILLEGAL_GENERATION:
      ++errors_[r.error_code];
      reset_generation(ctx, r.error_code);
      return;
    default:
      ++errors_[r.error_code];
      if (retriable_coordinator_error(r.error_code)) {
        coordinator_unknown(ctx, std::string(errc_name(r.error_code)));
        return;
      }
      group_failed(ctx, r.error_code);
  }
}

bool Consumer::commit(world::Ctx& ctx, bool blocking) {
  if (blocking && !commit_retry_)
    commit_deadline_ = ctx.now() + Time::from_ms(cfg_.default_api_timeout_ms);
  // Kafka commits only as a member of a stable generation; otherwise it fails locally
  // (RebalanceInProgressException / CommitFailedException) and sends nothing.
  if (!in_group() || coordinator_ < 0 || generation_ < 0 || phase_ != MemberPhase::stable)
    return false;
  OffsetCommitRequest r;
  r.group_id = cfg_.group.group_id;
  r.generation_id = generation_;
  r.member_id = member_id_;
  r.group_instance_id = cfg_.group.group_instance_id;
  std::map<TopicPartitionName, Offset> offsets;
  for (const auto& [tp, a] : assigned_) {
    if (a.position < 0 || a.awaiting_committed) continue;
    r.offsets.push_back(OffsetCommitPartition{tp, a.position, a.leader_epoch});
    offsets[tp] = a.position;
  }
  if (r.offsets.empty()) return false;
  r.correlation_id = next_correlation_++;
  commits_in_flight_[r.correlation_id] =
      CommitInFlight{std::move(offsets), generation_, coordinator_};
  if (blocking) commit_correlation_ = r.correlation_id;
  const auto bytes = static_cast<uint32_t>(64 + 24 * r.offsets.size());
  const uint32_t c = r.correlation_id;
  ctx.send(coordinator_, net::MessageKind::group, std::move(r), bytes);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, c);
  return true;
}

void Consumer::on_commit_response(world::Ctx& ctx, const OffsetCommitResponse& r) {
  auto it = commits_in_flight_.find(r.correlation_id);
  if (it == commits_in_flight_.end()) return;
  const CommitInFlight sent = std::move(it->second);
  commits_in_flight_.erase(it);
  const std::map<TopicPartitionName, Offset>& offsets = sent.offsets;
  Errc error = Errc::NONE;
  for (const OffsetCommitPartitionResponse& p : r.partitions)
    if (p.error_code != Errc::NONE) error = p.error_code;
  if (error == Errc::NONE) {
    for (const auto& [tp, o] : offsets)
      committed_[tp] = std::max(committed_[tp], o);
  } else {
    ++errors_[error];
    ctx.trace(sim::TraceKind::offset_commit, "consumer " + cfg_.client_id +
                                                 ": offset commit failed with " +
                                                 std::string(errc_name(error)));
    if (retriable_coordinator_error(error)) {
      if (sent.to == coordinator_) coordinator_unknown(ctx, std::string(errc_name(error)));
      if (r.correlation_id == commit_correlation_ && app_ == App::committing) {
        commit_correlation_ = 0;
        commit_retry_ = true;  // commitSync retries with the coordinator found next
        return;
      }
    } else if (error == Errc::ILLEGAL_GENERATION || error == Errc::UNKNOWN_MEMBER_ID) {
      // Only if the member is still in the generation it committed from: an answer about an
      // older one says nothing about the current one.
      if (generation_ == sent.generation && phase_ == MemberPhase::stable)
        reset_generation(ctx, error);
    } else if (error == Errc::REBALANCE_IN_PROGRESS) {
      rejoin_needed_ = true;
    } else if (error == Errc::FENCED_INSTANCE_ID) {
      group_failed(ctx, error);
    }
  }
  if (r.correlation_id != commit_correlation_) return;
  commit_correlation_ = 0;
  if (closing_) {
    close_leave(ctx);
  } else if (phase_ == MemberPhase::committing) {
    send_join(ctx);  // the rebalance's commit is done (or failed): on with the join
  } else if (app_ == App::committing) {
    end_blocking_commit(ctx);
  }
}

void Consumer::end_blocking_commit(world::Ctx& ctx) {
  commit_retry_ = false;
  commit_correlation_ = 0;
  if (app_ != App::committing) return;
  if (processed_ < processing_.size()) {
    start_processing(ctx);  // commitSync before processing returned
  } else {
    app_ = App::idle;
    processing_.clear();
    polled_batches_.clear();
  }
}

void Consumer::on_shutdown(world::Ctx& ctx) {
  closing_ = true;
  ctx.trace(sim::TraceKind::group_member,
            "consumer " + cfg_.client_id + " closes" +
                (in_group() && phase_ == MemberPhase::stable
                     ? std::string(cfg_.group.enable_auto_commit ? ": commits, then leaves"
                                                                 : ": leaves its group")
                     : std::string()));
  if (!in_group() || coordinator_ < 0 || phase_ != MemberPhase::stable) {
    ctx.stop_self("closed");
    return;
  }
  if (cfg_.group.enable_auto_commit && commit(ctx, true)) return;
  close_leave(ctx);
}

void Consumer::close_leave(world::Ctx& ctx) {
  if (!cfg_.group.group_instance_id.empty() || member_id_.empty() || coordinator_ < 0) {
    ctx.stop_self("closed");  // a static member does not leave: its session keeps its place
    return;
  }
  LeaveGroupRequest l;
  l.correlation_id = leave_correlation_ = next_correlation_++;
  l.group_id = cfg_.group.group_id;
  l.member_id = member_id_;
  l.reason = "the consumer is being closed";
  ctx.send(coordinator_, net::MessageKind::group, std::move(l), 64);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, leave_correlation_);
}

}  // namespace kafkasim::kafka
