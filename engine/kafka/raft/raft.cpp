// Raft for __cluster_metadata. See raft.h for the roles and invariants.
//
// Index:
//   [SECTION] lifecycle and timers
//   [SECTION] transitions
//   [SECTION] voting
//   [SECTION] leader announcements
//   [SECTION] fetching (follower and observer side)
//   [SECTION] serving fetches (leader side)
#include "kafka/raft/raft.h"

#include <algorithm>

#include "world/world.h"

namespace kafkasim::kafka::raft {

using sim::Time;

const char* role_name(Role r) {
  switch (r) {
    case Role::unattached:
      return "Unattached";
    case Role::prospective:
      return "Prospective";
    case Role::candidate:
      return "Candidate";
    case Role::leader:
      return "Leader";
    case Role::follower:
      return "Follower";
    case Role::resigned:
      return "Resigned";
    case Role::observer:
      return "Observer";
  }
  return "Unattached";
}

Raft::Raft(BrokerId self, std::vector<BrokerId> voters, KafkaConfig cfg, Flavor flavor)
    : self_(self), voters_(std::move(voters)), cfg_(cfg), flavor_(flavor) {
  std::sort(voters_.begin(), voters_.end());
  voter_ = is_voter(self_);
}

bool Raft::is_voter(BrokerId b) const {
  return std::binary_search(voters_.begin(), voters_.end(), b);
}

void Raft::trace(world::Ctx& ctx, sim::TraceKind kind, std::string text) {
  ctx.trace(kind, ctx.name_of(self_) + " " + text);
}

// [SECTION] lifecycle and timers ------------------------------------------------------------------

void Raft::start(world::Ctx& ctx) {
  role_ = voter_ ? Role::unattached : Role::observer;
  leader_id_ = kNoLeader;
  hw_ = 0;
  fetch_in_flight_ = false;
  granted_.clear();
  rejected_.clear();
  election_retries_ = 0;
  parked_.clear();
  last_fetch_ok_ = ctx.now();
  if (voter_) {
    // A single-voter quorum elects itself at once; otherwise wait a random election timeout.
    arm_election_timeout(ctx);
  } else {
    send_fetch(ctx);
  }
}

std::string Raft::fetch_timeout_text() const {
  return std::to_string(cfg_.controller_quorum_fetch_timeout_ms) + " ms (" +
         (flavor_ == Flavor::kraft ? "controller.quorum.fetch.timeout.ms"
                                   : "syncLimit x tickTime") +
         ")";
}

void Raft::crash() {
  const Durable keep = durable_;
  *this = Raft(self_, voters_, cfg_, flavor_);
  durable_ = keep;
}

void Raft::cancel_role_timers(world::Ctx& ctx) {
  ctx.cancel(election_timer_);
  ctx.cancel(fetch_timeout_timer_);
  ctx.cancel(check_quorum_timer_);
  ctx.cancel(begin_epoch_timer_);
}

void Raft::arm_election_timeout(world::Ctx& ctx) {
  ctx.cancel(election_timer_);
  const Time t = Time::from_ms(cfg_.controller_quorum_election_timeout_ms);
  arm_election_timer(ctx, ctx.rng().uniform_time(t, t * 2), 0,
                     "controller.quorum.election.timeout.ms");
}

void Raft::arm_election_timer(world::Ctx& ctx, Time after, uint64_t arg, const char* what) {
  election_timer_ = ctx.set_timer(after, election_timer, arg);
  election_countdown_ = Countdown{what, ctx.now(), ctx.now() + after};
}

void Raft::arm_fetch_timeout(world::Ctx& ctx) {
  const Time after = Time::from_ms(cfg_.controller_quorum_fetch_timeout_ms);
  fetch_timeout_timer_ = ctx.set_timer(after, fetch_timeout_timer, 0);
  fetch_countdown_ = Countdown{"controller.quorum.fetch.timeout.ms", ctx.now(), ctx.now() + after};
}

void Raft::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  switch (kind) {
    case election_timer:
      election_timer_ = {};
      if (role_ == Role::candidate && arg == 0) {
        // Lost or split vote: back off, then try again through a pre-vote.
        ++election_retries_;
        const uint64_t window = uint64_t{1} << std::min<uint32_t>(election_retries_, 10);
        const Time backoff =
            std::min(Time::from_ms(100) * static_cast<int64_t>(ctx.rng().uniform(window)),
                     Time::from_ms(cfg_.controller_quorum_election_backoff_max_ms));
        trace(ctx, sim::TraceKind::raft_election,
              "lost the election for epoch " + std::to_string(epoch()) + " (" +
                  std::to_string(granted_.size()) + " of " + std::to_string(voters_.size()) +
                  " votes); retrying after a " + sim::to_string(backoff) + " backoff");
        arm_election_timer(ctx, backoff, 1, "controller.quorum.election.backoff.max.ms");
      } else if (role_ == Role::candidate) {
        become_prospective(ctx, "retrying after the election backoff");
      } else if (role_ == Role::prospective) {
        // Pre-vote timed out without a majority: go back and wait again.
        if (leader_id_ != kNoLeader) {
          become_follower(ctx, epoch(), leader_id_);
        } else {
          become_unattached(ctx, epoch(), "pre-vote got no majority in time");
        }
      } else if (role_ == Role::unattached || role_ == Role::resigned) {
        become_prospective(ctx, "knows no leader after the election timeout");
      }
      break;
    case fetch_timeout_timer:
      fetch_timeout_timer_ = {};
      if (role_ == Role::follower) {
        become_prospective(ctx, "has not heard from leader " + std::to_string(leader_id_) +
                                    " for " + fetch_timeout_text());
      }
      break;
    case check_quorum_timer: {
      check_quorum_timer_ = {};
      if (role_ != Role::leader) break;
      const Time window = Time::from_ms(cfg_.controller_quorum_fetch_timeout_ms * 3 / 2);
      size_t recent = 1;  // the leader itself
      for (const auto& [v, t] : voter_last_fetch_) {
        if (v != self_ && ctx.now() - t <= window) ++recent;
      }
      if (recent < majority()) {
        resign(ctx, "no fetch from a majority of voters within " + sim::to_string(window) +
                        " (1.5 x controller.quorum.fetch.timeout.ms): check-quorum");
      } else {
        check_quorum_timer_ = ctx.set_timer(
            Time::from_ms(cfg_.controller_quorum_fetch_timeout_ms / 4), check_quorum_timer, 0);
      }
      break;
    }
    case begin_epoch_timer:
      begin_epoch_timer_ = {};
      if (role_ == Role::leader) send_begin_epoch(ctx);
      break;
    case fetch_request_timer:
      fetch_request_timer_ = {};
      if (fetch_in_flight_ && fetch_correlation_ == arg) {
        fetch_in_flight_ = false;
        if (role_ == Role::observer) leader_id_ = kNoLeader;  // try another voter
        send_fetch(ctx);
      }
      break;
    case fetch_retry_timer:
      fetch_retry_timer_ = {};
      send_fetch(ctx);
      break;
    case parked_fetch_timer:
      for (size_t i = 0; i < parked_.size(); ++i) {
        if (parked_[i].id == arg) {
          const Parked p = parked_[i];
          parked_.erase(parked_.begin() + static_cast<long>(i));
          answer_fetch(ctx, p.replica, p.request);
          break;
        }
      }
      break;
    default:
      break;
  }
}

void Raft::on_disconnect(world::Ctx& ctx, BrokerId peer) {
  if (flavor_ == Flavor::zookeeper && role_ == Role::follower && peer == leader_id_) {
    // A ZooKeeper follower whose leader connection breaks goes LOOKING at once.
    fetch_in_flight_ = false;
    ctx.cancel(fetch_request_timer_);
    fetched_from_leader_ = false;
    become_prospective(ctx, "lost its connection to leader " + std::to_string(peer) + " (LOOKING)");
    return;
  }
  if (fetch_in_flight_ && fetch_target_ == peer) {
    fetch_in_flight_ = false;
    ctx.cancel(fetch_request_timer_);
    if (role_ == Role::observer && leader_id_ == peer) leader_id_ = kNoLeader;
    schedule_fetch_retry(ctx);
  }
}

// [SECTION] transitions ---------------------------------------------------------------------------

void Raft::set_epoch(int32_t epoch) {
  if (epoch > durable_.epoch) {
    durable_.epoch = epoch;
    durable_.voted_for = kNoLeader;  // a new epoch: no vote cast yet
  }
}

void Raft::step_down_to(world::Ctx& ctx, int32_t epoch, BrokerId leader, const std::string& why) {
  if (!voter_) {
    set_epoch(epoch);
    leader_id_ = leader;
    return;
  }
  if (leader != kNoLeader && leader != self_) {
    set_epoch(epoch);
    become_follower(ctx, epoch, leader);
  } else {
    // Told that it leads an epoch it no longer leads (it restarted): it cannot follow itself,
    // so it waits for the others to elect someone, like Kafka's Resigned state after restart.
    become_unattached(ctx, epoch, why);
  }
}

void Raft::become_unattached(world::Ctx& ctx, int32_t epoch, const std::string& why) {
  const bool was_leader = role_ == Role::leader;
  cancel_role_timers(ctx);
  if (was_leader) drop_parked(ctx, Errc::NOT_LEADER_OR_FOLLOWER);
  set_epoch(epoch);
  role_ = Role::unattached;
  leader_id_ = kNoLeader;
  arm_election_timeout(ctx);
  if (was_leader) {
    trace(ctx, sim::TraceKind::raft_resign,
          std::string("is no longer ") + leader_noun() + ": " + why);
  }
}

void Raft::become_follower(world::Ctx& ctx, int32_t epoch, BrokerId leader) {
  const bool was_leader = role_ == Role::leader;
  const bool news = role_ != Role::follower || leader_id_ != leader || epoch != durable_.epoch;
  cancel_role_timers(ctx);
  if (was_leader) drop_parked(ctx, Errc::NOT_LEADER_OR_FOLLOWER);
  set_epoch(epoch);
  role_ = Role::follower;
  leader_id_ = leader;
  fetched_from_leader_ = false;
  arm_fetch_timeout(ctx);
  election_retries_ = 0;
  if (news) {
    trace(ctx, sim::TraceKind::raft_follower,
          std::string("follows ") + leader_noun() + " " + std::to_string(leader) + " in epoch " +
              std::to_string(epoch));
  }
  if (!fetch_in_flight_ || fetch_target_ != leader) {
    fetch_in_flight_ = false;
    send_fetch(ctx);
  }
}

void Raft::become_prospective(world::Ctx& ctx, const std::string& why) {
  cancel_role_timers(ctx);
  role_ = Role::prospective;
  granted_ = {self_};
  rejected_.clear();
  round_first_correlation_ = next_correlation_;
  trace(ctx, sim::TraceKind::raft_election,
        why + "; asks for pre-votes for epoch " + std::to_string(epoch() + 1) +
            std::string(flavor_ == Flavor::kraft ? " (KIP-996: no epoch bump yet)" : ""));
  if (granted_.size() >= majority()) {
    become_candidate(ctx);
    return;
  }
  for (BrokerId v : voters_) {
    if (v == self_) continue;
    VoteRequest r;
    r.correlation_id = next_correlation_++;
    r.candidate_epoch = epoch() + 1;
    r.candidate_id = self_;
    r.last_offset_epoch = durable_.log.last_epoch();
    r.last_offset = durable_.log.end_offset();
    r.pre_vote = true;
    ctx.send(v, net::MessageKind::vote, r, 64);
  }
  arm_election_timeout(ctx);
}

void Raft::become_candidate(world::Ctx& ctx) {
  cancel_role_timers(ctx);
  durable_.epoch += 1;
  durable_.voted_for = self_;  // persisted before any request goes out
  role_ = Role::candidate;
  leader_id_ = kNoLeader;
  granted_ = {self_};
  rejected_.clear();
  round_first_correlation_ = next_correlation_;
  trace(ctx, sim::TraceKind::raft_election,
        "becomes candidate for epoch " + std::to_string(epoch()) + " and votes for itself");
  if (granted_.size() >= majority()) {
    become_leader(ctx);
    return;
  }
  for (BrokerId v : voters_) {
    if (v == self_) continue;
    VoteRequest r;
    r.correlation_id = next_correlation_++;
    r.candidate_epoch = epoch();
    r.candidate_id = self_;
    r.last_offset_epoch = durable_.log.last_epoch();
    r.last_offset = durable_.log.end_offset();
    r.pre_vote = false;
    ctx.send(v, net::MessageKind::vote, r, 64);
  }
  arm_election_timeout(ctx);
}

void Raft::become_leader(world::Ctx& ctx) {
  cancel_role_timers(ctx);
  role_ = Role::leader;
  leader_id_ = self_;
  election_retries_ = 0;
  fetch_in_flight_ = false;
  ctx.cancel(fetch_request_timer_);
  ctx.cancel(fetch_retry_timer_);
  voter_end_.clear();
  voter_last_fetch_.clear();
  for (BrokerId v : voters_) {
    voter_end_[v] = v == self_ ? durable_.log.end_offset() : kNoOffset;
    voter_last_fetch_[v] = ctx.now();  // check-quorum starts counting now
  }
  std::string votes;
  for (BrokerId v : granted_)
    votes += (votes.empty() ? "" : ", ") + std::to_string(v);
  trace(ctx, sim::TraceKind::raft_leader,
        std::string("is ") + leader_noun() + " for epoch " + std::to_string(epoch()) +
            " (votes from " + votes + ")" +
            std::string(
                flavor_ == Flavor::kraft
                    ? "; it becomes the active controller once its LeaderChangeMessage commits"
                    : ""));
  // The epoch starts with a control record (and an epoch cache entry) before anything else.
  epoch_start_offset_ = durable_.log.append(epoch(), LeaderChangeMessage{self_, voters_});
  voter_end_[self_] = durable_.log.end_offset();
  begin_epoch_pending_.clear();
  for (BrokerId v : voters_) {
    if (v != self_) begin_epoch_pending_.insert(v);
  }
  send_begin_epoch(ctx);
  check_quorum_timer_ = ctx.set_timer(
      Time::from_ms(cfg_.controller_quorum_fetch_timeout_ms * 3 / 2), check_quorum_timer, 0);
  maybe_advance_hw(ctx);
}

void Raft::resign(world::Ctx& ctx, const std::string& why) {
  cancel_role_timers(ctx);
  drop_parked(ctx, Errc::NOT_LEADER_OR_FOLLOWER);
  role_ = Role::resigned;
  leader_id_ = kNoLeader;
  trace(ctx, sim::TraceKind::raft_resign,
        std::string("resigns as ") + leader_noun() + " of epoch " + std::to_string(epoch()) + ": " +
            why);
  // Preferred successors: the voters with the longest logs first.
  std::vector<BrokerId> successors;
  for (BrokerId v : voters_) {
    if (v != self_) successors.push_back(v);
  }
  std::stable_sort(successors.begin(), successors.end(),
                   [&](BrokerId a, BrokerId b) { return voter_end_[a] > voter_end_[b]; });
  for (BrokerId v : successors) {
    EndQuorumEpochRequest r;
    r.correlation_id = next_correlation_++;
    r.leader_epoch = epoch();
    r.leader_id = self_;
    r.preferred_successors = successors;
    ctx.send(v, net::MessageKind::vote, r, 64);
  }
  arm_election_timeout(ctx);
}

// [SECTION] voting --------------------------------------------------------------------------------

bool Raft::log_up_to_date(int32_t last_epoch, Offset end) const {
  const int32_t mine = durable_.log.last_epoch();
  return last_epoch > mine || (last_epoch == mine && end >= durable_.log.end_offset());
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const VoteRequest& m) {
  if (!voter_) return;
  VoteResponse resp;
  resp.correlation_id = m.correlation_id;
  resp.pre_vote = m.pre_vote;
  const bool log_ok = log_up_to_date(m.last_offset_epoch, m.last_offset);
  std::string why;
  if (m.pre_vote) {
    // A pre-vote changes nothing here. Granted only to an up-to-date log, and only if this
    // voter has no live leader itself (KIP-996): so a partitioned voter cannot disrupt.
    const bool has_live_leader =
        role_ == Role::leader ||
        (role_ == Role::follower && fetched_from_leader_ &&
         ctx.now() - last_fetch_ok_ < Time::from_ms(cfg_.controller_quorum_fetch_timeout_ms));
    if (m.candidate_epoch < epoch()) {
      why = "its epoch " + std::to_string(m.candidate_epoch) + " is older than " +
            std::to_string(epoch());
    } else if (has_live_leader) {
      why = "it still hears from leader " + std::to_string(leader_id_);
    } else if (!log_ok) {
      why = "its log is behind";
    }
    resp.vote_granted = why.empty();
  } else {
    if (m.candidate_epoch > epoch()) {
      step_down_to(ctx, m.candidate_epoch, kNoLeader,
                   "saw a vote request for the newer epoch " + std::to_string(m.candidate_epoch));
    }
    if (m.candidate_epoch < epoch()) {
      why = "its epoch " + std::to_string(m.candidate_epoch) + " is older than " +
            std::to_string(epoch());
    } else if (durable_.voted_for != kNoLeader && durable_.voted_for != m.candidate_id) {
      why = "already voted for " + std::to_string(durable_.voted_for) + " in epoch " +
            std::to_string(epoch());
    } else if (role_ == Role::leader || role_ == Role::follower) {
      why =
          "epoch " + std::to_string(epoch()) + " already has leader " + std::to_string(leader_id_);
    } else if (!log_ok) {
      why = "its log (epoch " + std::to_string(m.last_offset_epoch) + ", end " +
            std::to_string(m.last_offset) + ") is behind this voter's";
    }
    resp.vote_granted = why.empty();
    if (resp.vote_granted) {
      durable_.voted_for = m.candidate_id;  // persisted: one vote per epoch, even after a crash
      arm_election_timeout(ctx);
    }
  }
  trace(ctx, sim::TraceKind::raft_vote,
        std::string(resp.vote_granted ? "grants " : "refuses ") +
            (m.pre_vote ? "a pre-vote" : "its vote") + " to " + std::to_string(m.candidate_id) +
            " for epoch " + std::to_string(m.candidate_epoch) + (why.empty() ? "" : ": " + why));
  resp.leader_epoch = epoch();
  // A granted pre-vote names no leader (KIP-996), so the prospective does not follow it.
  resp.leader_id = (m.pre_vote && resp.vote_granted) ? kNoLeader : leader_id_;
  ctx.send(from, net::MessageKind::vote, resp, 48);
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const VoteResponse& m) {
  if (!voter_) return;
  if (m.leader_epoch > epoch()) {
    step_down_to(ctx, m.leader_epoch, m.leader_id,
                 "a voter is already in the newer epoch " + std::to_string(m.leader_epoch));
    return;
  }
  if (m.correlation_id < round_first_correlation_) return;  // an older round
  if (m.pre_vote && role_ == Role::prospective) {
    // KIP-996: a refusal naming a live leader of this epoch means there is one: follow it.
    if (!m.vote_granted && m.leader_id != kNoLeader && m.leader_id != self_ &&
        m.leader_epoch == epoch()) {
      become_follower(ctx, epoch(), m.leader_id);
      return;
    }
    (m.vote_granted ? granted_ : rejected_).insert(from);
    if (granted_.size() >= majority()) {
      become_candidate(ctx);
    } else if (rejected_.size() >= majority()) {
      if (m.leader_id != kNoLeader && m.leader_epoch == epoch()) {
        become_follower(ctx, epoch(), m.leader_id);
      } else if (leader_id_ != kNoLeader) {
        become_follower(ctx, epoch(), leader_id_);
      } else {
        become_unattached(ctx, epoch(), "a majority refused the pre-vote");
      }
    }
  } else if (!m.pre_vote && role_ == Role::candidate && m.leader_epoch == epoch()) {
    (m.vote_granted ? granted_ : rejected_).insert(from);
    if (granted_.size() >= majority()) become_leader(ctx);
  }
}

// [SECTION] leader announcements ------------------------------------------------------------------

void Raft::send_begin_epoch(world::Ctx& ctx) {
  for (BrokerId v : begin_epoch_pending_) {
    BeginQuorumEpochRequest r;
    r.correlation_id = next_correlation_++;
    r.leader_epoch = epoch();
    r.leader_id = self_;
    ctx.send(v, net::MessageKind::vote, r, 48);
  }
  if (!begin_epoch_pending_.empty()) {
    begin_epoch_timer_ = ctx.set_timer(Time::from_ms(cfg_.controller_quorum_request_timeout_ms),
                                       begin_epoch_timer, 0);
  }
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const BeginQuorumEpochRequest& m) {
  BeginQuorumEpochResponse resp;
  resp.correlation_id = m.correlation_id;
  if (m.leader_id == self_) {
    resp.error_code = Errc::INVALID_REQUEST;
  } else if (voter_ && m.leader_epoch >= epoch() &&
             !(m.leader_epoch == epoch() && role_ == Role::leader)) {
    if (role_ != Role::follower || leader_id_ != m.leader_id || epoch() != m.leader_epoch) {
      become_follower(ctx, m.leader_epoch, m.leader_id);
    }
  } else if (!voter_ && m.leader_epoch >= epoch()) {
    set_epoch(m.leader_epoch);
    leader_id_ = m.leader_id;
  } else {
    resp.error_code = Errc::FENCED_LEADER_EPOCH;
  }
  resp.leader_epoch = epoch();
  resp.leader_id = leader_id_;
  ctx.send(from, net::MessageKind::vote, resp, 48);
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const BeginQuorumEpochResponse& m) {
  if (m.leader_epoch > epoch()) {
    step_down_to(ctx, m.leader_epoch, m.leader_id,
                 "a voter is in the newer epoch " + std::to_string(m.leader_epoch));
    return;
  }
  if (role_ == Role::leader && m.error_code == Errc::NONE) begin_epoch_pending_.erase(from);
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const EndQuorumEpochRequest& m) {
  EndQuorumEpochResponse resp;
  resp.correlation_id = m.correlation_id;
  if (voter_ && m.leader_epoch == epoch() && leader_id_ == m.leader_id && role_ == Role::follower) {
    // The leader stepped down: elect a successor soon, the preferred ones first.
    const auto it = std::find(m.preferred_successors.begin(), m.preferred_successors.end(), self_);
    const auto position = it - m.preferred_successors.begin();
    cancel_role_timers(ctx);
    role_ = Role::unattached;
    leader_id_ = kNoLeader;
    const Time backoff = std::min(Time::from_ms(cfg_.controller_quorum_retry_backoff_ms) *
                                      (int64_t{1} << std::min<long>(position, 6)),
                                  Time::from_ms(cfg_.controller_quorum_election_backoff_max_ms));
    trace(ctx, sim::TraceKind::raft_election,
          "hears leader " + std::to_string(m.leader_id) + " resign epoch " +
              std::to_string(m.leader_epoch) + "; starts an election in " +
              sim::to_string(backoff));
    arm_election_timer(ctx, backoff, 0, "controller.quorum.retry.backoff.ms");
  } else if (m.leader_epoch < epoch()) {
    resp.error_code = Errc::FENCED_LEADER_EPOCH;
  }
  resp.leader_epoch = epoch();
  ctx.send(from, net::MessageKind::vote, resp, 48);
}

void Raft::on_message(world::Ctx&, BrokerId, const EndQuorumEpochResponse&) {}

// [SECTION] fetching (follower and observer side)
// --------------------------------------------------

BrokerId Raft::fetch_target() {
  if (leader_id_ != kNoLeader && leader_id_ != self_) return leader_id_;
  // An observer that knows no leader asks the voters in turn (bootstrap servers).
  std::vector<BrokerId> others;
  for (BrokerId v : voters_) {
    if (v != self_) others.push_back(v);
  }
  if (others.empty()) return kNoLeader;
  return others[bootstrap_index_++ % others.size()];
}

void Raft::send_fetch(world::Ctx& ctx) {
  if (fetch_in_flight_) return;
  if (voter_ && role_ != Role::follower) return;
  const BrokerId target = fetch_target();
  if (target == kNoLeader) return;
  FetchRequest r;
  r.correlation_id = next_correlation_++;
  r.replica_id = self_;
  r.current_leader_epoch = epoch();
  r.fetch_offset = durable_.log.end_offset();
  r.last_fetched_epoch = durable_.log.end_offset() > 0 ? durable_.log.last_epoch() : kNoEpoch;
  fetch_in_flight_ = true;
  fetch_correlation_ = r.correlation_id;
  fetch_target_ = target;
  ctx.cancel(fetch_request_timer_);
  fetch_request_timer_ = ctx.set_timer(Time::from_ms(cfg_.controller_quorum_request_timeout_ms),
                                       fetch_request_timer, r.correlation_id);
  ctx.send(target, net::MessageKind::metadata, r, 64);
}

void Raft::schedule_fetch_retry(world::Ctx& ctx) {
  if (fetch_retry_timer_.armed()) return;
  fetch_retry_timer_ =
      ctx.set_timer(Time::from_ms(std::max<int64_t>(cfg_.controller_quorum_retry_backoff_ms, 1)),
                    fetch_retry_timer, 0);
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const FetchResponse& m) {
  if (!fetch_in_flight_ || m.correlation_id != fetch_correlation_) return;
  fetch_in_flight_ = false;
  ctx.cancel(fetch_request_timer_);
  if (m.error_code != Errc::NONE) {
    if (m.leader_epoch > epoch() ||
        (m.leader_epoch == epoch() && m.leader_id != kNoLeader && m.leader_id != leader_id_)) {
      step_down_to(
          ctx, m.leader_epoch, m.leader_id,
          "learned of epoch " + std::to_string(m.leader_epoch) + " from " + std::to_string(from));
    } else if (!voter_) {
      leader_id_ = m.leader_id;  // may be -1: then ask the next voter
    } else if (role_ == Role::follower && m.leader_epoch == epoch() && m.leader_id == kNoLeader) {
      become_unattached(ctx, epoch(), "leader " + std::to_string(leader_id_) + " stepped down");
      return;
    }
    schedule_fetch_retry(ctx);
    return;
  }
  if (!voter_) {
    set_epoch(m.leader_epoch);
    leader_id_ = m.leader_id;
  } else if (role_ != Role::follower || m.leader_epoch != epoch()) {
    return;  // state changed while the fetch was out
  }
  if (m.diverging_epoch) {
    // KIP-279: truncate to the end of the largest common epoch, then fetch again.
    const EpochEnd mine = durable_.log.end_offset_for(m.diverging_epoch->epoch);
    Offset to = std::min(mine.end_offset, durable_.log.end_offset());
    if (mine.epoch == m.diverging_epoch->epoch) to = std::min(to, m.diverging_epoch->end_offset);
    if (to < 0) to = 0;
    SIM_ASSERT(to >= hw_, "a replica never truncates committed entries");
    trace(ctx, sim::TraceKind::raft_truncate,
          "truncates its metadata log from " + std::to_string(durable_.log.end_offset()) + " to " +
              std::to_string(to) + ": diverging epoch " + std::to_string(m.diverging_epoch->epoch) +
              " ends at " + std::to_string(m.diverging_epoch->end_offset) + " on the leader");
    durable_.log.truncate_to(to);
  } else {
    SIM_ASSERT(m.records.empty() || m.base_offset == durable_.log.end_offset(),
               "fetched records continue the log");
    for (const LogEntry& e : m.records)
      durable_.log.append(e.epoch, e.record);
    hw_ = std::max(hw_, std::min(m.high_watermark, durable_.log.end_offset()));
    leader_hw_ = m.high_watermark;
  }
  if (voter_) {
    last_fetch_ok_ = ctx.now();
    fetched_from_leader_ = true;
    ctx.cancel(fetch_timeout_timer_);
    arm_fetch_timeout(ctx);
  }
  send_fetch(ctx);
}

// [SECTION] serving fetches (leader side) ---------------------------------------------------------

Offset Raft::append(world::Ctx& ctx, MetadataRecord record) {
  SIM_ASSERT(role_ == Role::leader, "only the leader appends");
  const Offset o = durable_.log.append(epoch(), std::move(record));
  voter_end_[self_] = durable_.log.end_offset();
  maybe_advance_hw(ctx);
  complete_parked(ctx);
  return o;
}

void Raft::maybe_advance_hw(world::Ctx& ctx) {
  std::vector<Offset> ends;
  for (const auto& [v, end] : voter_end_)
    ends.push_back(end);
  std::sort(ends.begin(), ends.end(), std::greater<>());
  const Offset candidate = ends[voters_.size() / 2];  // replicated on a majority
  // Only entries of the leader's own epoch commit by counting (Raft section 5.4.2).
  if (candidate > epoch_start_offset_ && candidate > hw_) {
    hw_ = candidate;
    complete_parked(ctx);
  }
}

void Raft::answer_fetch(world::Ctx& ctx, BrokerId to, const FetchRequest& req) {
  FetchResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.leader_epoch = epoch();
  resp.leader_id = leader_id_;
  resp.high_watermark = hw_;
  resp.base_offset = req.fetch_offset;
  const Offset end = std::min<Offset>(durable_.log.end_offset(),
                                      req.fetch_offset + static_cast<Offset>(kFetchMaxRecords));
  size_t bytes = 64;
  for (Offset o = req.fetch_offset; o < end; ++o) {
    resp.records.push_back(durable_.log.at(o));
    bytes += 64;
  }
  ctx.send(to, net::MessageKind::metadata, std::move(resp), static_cast<uint32_t>(bytes));
}

void Raft::on_message(world::Ctx& ctx, BrokerId from, const FetchRequest& m) {
  FetchResponse err;
  err.correlation_id = m.correlation_id;
  err.leader_epoch = epoch();
  err.leader_id = leader_id_;
  if (role_ != Role::leader) {
    err.error_code = Errc::NOT_LEADER_OR_FOLLOWER;
  } else if (m.current_leader_epoch < epoch()) {
    err.error_code = Errc::FENCED_LEADER_EPOCH;
  } else if (m.current_leader_epoch > epoch()) {
    err.error_code = Errc::UNKNOWN_LEADER_EPOCH;
  }
  if (err.error_code != Errc::NONE) {
    ctx.send(from, net::MessageKind::metadata, err, 48);
    return;
  }
  const bool from_voter = is_voter(m.replica_id);
  if (from_voter) voter_last_fetch_[m.replica_id] = ctx.now();
  // Divergence check (IBP >= 2.7 style, inside Fetch).
  if (m.last_fetched_epoch != kNoEpoch) {
    const EpochEnd end = durable_.log.end_offset_for(m.last_fetched_epoch);
    if (end.epoch < m.last_fetched_epoch || end.end_offset < m.fetch_offset) {
      FetchResponse resp;
      resp.correlation_id = m.correlation_id;
      resp.leader_epoch = epoch();
      resp.leader_id = self_;
      resp.high_watermark = hw_;
      resp.diverging_epoch = DivergingEpoch{end.epoch, end.end_offset};
      ctx.send(from, net::MessageKind::metadata, resp, 64);
      return;
    }
  }
  if (from_voter) {
    voter_end_[m.replica_id] = std::max(voter_end_[m.replica_id], m.fetch_offset);
    begin_epoch_pending_.erase(m.replica_id);
    maybe_advance_hw(ctx);
  }
  // Long poll: nothing new and nothing to tell -> wait for an append or a new HW.
  if (m.fetch_offset >= durable_.log.end_offset()) {
    Parked p;
    p.replica = from;
    p.request = m;
    p.id = next_parked_id_++;
    p.timer = ctx.set_timer(Time::from_ms(kFetchMaxWaitMs), parked_fetch_timer, p.id);
    parked_.push_back(p);
    return;
  }
  answer_fetch(ctx, from, m);
}

void Raft::complete_parked(world::Ctx& ctx) {
  if (parked_.empty()) return;
  std::vector<Parked> ready = std::move(parked_);
  parked_.clear();
  for (Parked& p : ready) {
    ctx.cancel(p.timer);
    answer_fetch(ctx, p.replica, p.request);
  }
}

void Raft::drop_parked(world::Ctx& ctx, Errc why) {
  std::vector<Parked> all = std::move(parked_);
  parked_.clear();
  for (Parked& p : all) {
    ctx.cancel(p.timer);
    FetchResponse r;
    r.correlation_id = p.request.correlation_id;
    r.error_code = why;
    r.leader_epoch = epoch();
    r.leader_id = kNoLeader;
    ctx.send(p.replica, net::MessageKind::metadata, r, 48);
  }
}

const char* Raft::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case election_timer:
      return "the election timeout";
    case fetch_timeout_timer:
      return "the KRaft fetch timeout (controller.quorum.fetch.timeout.ms)";
    case check_quorum_timer:
      return "the check-quorum timer";
    case begin_epoch_timer:
      return "the BeginQuorumEpoch resend timer";
    case fetch_request_timer:
      return "the KRaft fetch request timeout";
    case fetch_retry_timer:
      return "the KRaft fetch backoff";
    case parked_fetch_timer:
      return "the KRaft long-poll expiry";
    case timer_kind_max:
      break;
  }
  return nullptr;
}

}  // namespace kafkasim::kafka::raft
