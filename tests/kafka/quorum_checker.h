// Test helper: Raft safety invariants over a whole World, checked after every event.
//   * at most one quorum leader per epoch;
//   * an entry below any node's high watermark is the same on every node, forever
//     (committed metadata is never lost or changed);
//   * a new leader's log holds every committed entry (leader completeness);
//   * a leader's high watermark never decreases within its epoch.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "world/cluster.h"

namespace kafkasim::testing {

class QuorumChecker {
 public:
  /// Empty while everything holds; else the first violation, with the time.
  const std::string& failure() const { return failure_; }

  void check(const world::World& w) {
    if (!failure_.empty()) return;
    for (const world::World::Node& n : w.nodes()) {
      if (n.status == world::NodeStatus::crashed || n.status == world::NodeStatus::powered_off ||
          n.status == world::NodeStatus::stopped) {
        continue;
      }
      const kafka::raft::Raft* rp = nullptr;
      if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) rp = &k->raft();
      if (const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl)) rp = &z->raft();
      if (rp == nullptr) continue;
      const kafka::raft::Raft& r = *rp;
      check_committed(w, n.id, r);
      if (r.is_leader()) check_leader(w, n.id, r);
    }
  }

 private:
  struct Entry {
    int32_t epoch;
    std::string what;
    bool operator==(const Entry&) const = default;
  };
  static Entry entry(const kafka::raft::RaftLog& log, kafka::Offset o) {
    return Entry{log.at(o).epoch, kafka::describe(log.at(o).record)};
  }
  void fail(const world::World& w, std::string what) {
    failure_ = "at " + sim::format_clock(w.now()) + ": " + std::move(what);
  }

  void check_committed(const world::World& w, int32_t id, const kafka::raft::Raft& r) {
    kafka::Offset& done = checked_[id];
    if (r.high_watermark() < done) done = 0;  // restarted: check the prefix again as it re-commits
    for (kafka::Offset o = done; o < r.high_watermark(); ++o) {
      const Entry e = entry(r.log(), o);
      if (static_cast<size_t>(o) == committed_.size()) {
        committed_.push_back(e);
      } else if (!(committed_[o] == e)) {
        return fail(w, "node " + std::to_string(id) + " has committed offset " + std::to_string(o) +
                           " = " + e.what + " (epoch " + std::to_string(e.epoch) + ") but it was " +
                           committed_[o].what + " (epoch " + std::to_string(committed_[o].epoch) +
                           ")");
      }
    }
    done = r.high_watermark();
  }

  void check_leader(const world::World& w, int32_t id, const kafka::raft::Raft& r) {
    auto [it, fresh] = leader_of_epoch_.emplace(r.epoch(), id);
    if (it->second != id) {
      return fail(w, "two leaders in epoch " + std::to_string(r.epoch()) + ": " +
                         std::to_string(it->second) + " and " + std::to_string(id));
    }
    if (fresh) {
      for (size_t o = 0; o < committed_.size(); ++o) {
        if (static_cast<kafka::Offset>(o) >= r.log().end_offset() ||
            !(entry(r.log(), static_cast<kafka::Offset>(o)) == committed_[o])) {
          return fail(w, "leader " + std::to_string(id) + " of epoch " + std::to_string(r.epoch()) +
                             " lacks committed offset " + std::to_string(o));
        }
      }
    }
    kafka::Offset& last = leader_hw_[{id, r.epoch()}];
    if (r.high_watermark() < last) {
      return fail(w, "leader " + std::to_string(id) + " high watermark went back from " +
                         std::to_string(last) + " to " + std::to_string(r.high_watermark()));
    }
    last = r.high_watermark();
  }

  std::string failure_;
  std::vector<Entry> committed_;
  std::map<int32_t, kafka::Offset> checked_;
  std::map<int32_t, int32_t> leader_of_epoch_;
  std::map<std::pair<int32_t, int32_t>, kafka::Offset> leader_hw_;
};

}  // namespace kafkasim::testing
