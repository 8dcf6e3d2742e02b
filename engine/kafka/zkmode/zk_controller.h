// ZkController: the Kafka controller of ZooKeeper mode (Kafka 3.x's KafkaController), run by
// the broker that won the race to create the ephemeral /controller znode.
//
// On election it increments /controller_epoch (a conditional setData), loads brokers and
// partition states from ZooKeeper, elects leaders for offline partitions and tells brokers with
// LeaderAndIsr and UpdateMetadata. It watches /brokers/ids: a broker whose ZooKeeper session
// expired disappears from there, and the controller moves its leaderships and removes it from
// every ISR (bumping the leader epoch, as the 3.x controller does). Every partition-state write
// is a multi() that checks /controller_epoch's version, so a deposed controller cannot write.
// Elections follow PartitionStateMachine: offline (first live ISR replica in assignment order,
// or any live replica when unclean election is enabled), preferred, controlled shutdown.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kafka/common/config.h"
#include "kafka/controller/messages.h"
#include "kafka/controller/quorum_controller.h"
#include "kafka/metadata/image.h"
#include "kafka/zk/zk_client.h"
#include "kafka/zkmode/messages.h"
#include "world/ctx.h"

namespace kafkasim::kafka::zkmode {

class ZkController {
 public:
  enum TimerKind : uint16_t { imbalance_timer = 80, admin_timer = 81 };
  enum class State : uint8_t { bumping_epoch, loading, active, resigned };

  ZkController() = default;
  ZkController(BrokerId self, KafkaConfig cfg, std::vector<TopicSpec> topics,
               std::vector<BrokerId> cluster_brokers);

  void start(world::Ctx& ctx, zk::ZkClient& zk);
  /// True if `xid` is one of this controller's ZooKeeper requests.
  bool owns(int64_t xid) const { return pending_.count(xid) != 0; }
  void on_response(world::Ctx& ctx, zk::ZkClient& zk, const zk::ZkResponse& r);
  void on_watch(world::Ctx& ctx, zk::ZkClient& zk, const zk::ZkWatchEvent& w);
  void on_timer(world::Ctx& ctx, zk::ZkClient& zk, uint16_t kind);
  ControlledShutdownResponse on_controlled_shutdown(world::Ctx& ctx, zk::ZkClient& zk,
                                                    const ControlledShutdownRequest& m);
  int elect_preferred(world::Ctx& ctx, zk::ZkClient& zk, const std::string& partition);
  /// AlterIsr from a partition leader (IBP >= 2.7): the ISR changes, the leader epoch does not.
  void on_alter_partition(world::Ctx& ctx, zk::ZkClient& zk, BrokerId from,
                          const AlterPartitionRequest& m);

  State state() const { return state_; }
  bool active() const { return state_ == State::active; }
  bool resigned() const { return state_ == State::resigned; }
  int32_t epoch() const { return epoch_; }
  /// The controller context (what it believes about every broker and partition).
  const MetadataImage& image() const { return image_; }

 private:
  enum class Purpose : uint8_t {
    read_epoch,
    create_epoch,
    bump_epoch,
    broker_ids,
    broker_data,
    topic_ids,
    topic_data,
    partition_state,
    write_state,
    create_topic,
    create_state
  };
  struct Pending {
    Purpose purpose;
    std::string topic = {};
    int32_t partition = 0;
    BrokerId broker = 0;
  };
  int64_t request(world::Ctx& ctx, zk::ZkClient& zk, zk::ZkRequest r, Pending p);
  void resign(world::Ctx& ctx, const std::string& why);
  void finish_loading(world::Ctx& ctx, zk::ZkClient& zk);
  void on_brokers_changed(world::Ctx& ctx, zk::ZkClient& zk, const std::vector<BrokerId>& now);
  /// Writes a partition's new state (fenced by the controller epoch) and remembers to tell
  /// the brokers once every write is acknowledged.
  void write_state(world::Ctx& ctx, zk::ZkClient& zk, ZkPartitionState s, const std::string& why,
                   const std::string& election);
  void handle_failed_brokers(world::Ctx& ctx, zk::ZkClient& zk, const std::set<BrokerId>& dead);
  void elect_offline(world::Ctx& ctx, zk::ZkClient& zk, const std::string& why);
  /// Picks s.leader by the offline election rules; returns the election's name for traces.
  std::string elect_offline_leader(ZkPartitionState& s) const;
  void maybe_create_topics(world::Ctx& ctx, zk::ZkClient& zk);
  void maybe_broadcast(world::Ctx& ctx);
  void rebuild_image();
  bool live(BrokerId b) const { return live_.count(b) != 0; }
  bool unclean(const std::string& topic) const;
  std::string state_path(const std::string& t, int32_t p) const;

  BrokerId self_ = 0;
  KafkaConfig cfg_;
  std::vector<TopicSpec> topics_;
  std::vector<BrokerId> cluster_brokers_;
  // volatile
  State state_ = State::bumping_epoch;
  int32_t epoch_ = 0;
  int32_t epoch_zk_version_ = 0;
  std::map<int64_t, Pending> pending_;
  int loads_outstanding_ = 0;
  std::map<BrokerId, LiveBroker> live_;
  std::map<std::string, std::vector<std::vector<BrokerId>>> assignment_;
  std::map<std::pair<std::string, int32_t>, ZkPartitionState> states_;
  std::set<std::pair<std::string, int32_t>> changed_;  // to announce with LeaderAndIsr
  std::set<BrokerId> full_state_for_;  // new or returning brokers: all their partitions
  std::set<BrokerId> shutting_down_;
  std::map<std::pair<std::string, int32_t>, std::pair<BrokerId, uint32_t>> alter_replies_;
  int writes_outstanding_ = 0;
  bool broadcast_due_ = false;
  sim::Time active_since_;
  MetadataImage image_;
  sim::TimerId imbalance_timer_, admin_timer_;
};

}  // namespace kafkasim::kafka::zkmode
