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
//
// Admin work (the operator's commands), done through this broker's ZooKeeper session:
//  * add partitions: AdminZkClient rewrites /brokers/topics/<t>; the controller's
//    partition-modification watch fires and it brings the new partitions online (state
//    znodes, LeaderAndIsr to their replicas, UpdateMetadata to all);
//  * reassignment: /admin/reassign_partitions is written; the controller's watch starts it:
//    RS = TRS + ORS in the topic znode (adding/removing replicas), leader epoch bump and
//    LeaderAndIsr so new replicas fetch; once every target replica is in the ISR it moves the
//    leader if needed, shrinks the assignment and the ISR to the target, sends StopReplica
//    (delete) to the removed replicas and clears the znode;
//  * dynamic configs: /config/<type>/<name> plus a /config/changes notification; brokers'
//    config listeners apply them, and this controller reacts to unclean.leader.election.enable
//    turning on by electing leaders for offline partitions at once.
#pragma once

#include <deque>
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
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
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
  /// Operator admin requests. Each traces what it wrote to ZooKeeper or why it refused.
  AdminResult create_partitions(world::Ctx& ctx, zk::ZkClient& zk,
                                const CreatePartitionsRequest& r);
  AdminResult reassign(world::Ctx& ctx, zk::ZkClient& zk,
                       const AlterPartitionReassignmentsRequest& r);
  AdminResult alter_configs(world::Ctx& ctx, zk::ZkClient& zk,
                            const IncrementalAlterConfigsRequest& r);
  /// Watch /admin/reassign_partitions from the election on (Kafka always does; the World turns
  /// it on at the run's first reassign so runs without one send the requests they always did).
  void set_watch_reassignments(bool on) { watch_reassignments_ = on; }
  /// The dynamic configs as this controller's broker knows them (its config listener).
  void set_configs(const DynamicConfigs& c) { configs_ = c; }
  /// Its broker applied a config change of `changed`: an unclean.leader.election.enable that
  /// is now true elects leaders for offline partitions at once (TopicUncleanLeaderElection).
  void on_config_change(world::Ctx& ctx, zk::ZkClient& zk, const DynamicConfigs& c,
                        const ConfigResource& changed);

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
    create_state,
    // admin work
    ignore,           // a write whose outcome nobody waits for (parents that may exist)
    topic_changed,    // partition-modification watch: re-read /brokers/topics/<t>
    reassign_create,  // kafka-reassign-partitions creating /admin/reassign_partitions
    reassign_exists,  // a new controller looks for /admin/reassign_partitions (and watches it)
    reassign_read,    // the controller reads /admin/reassign_partitions
    config_read,      // AdminZkClient reads an entity's config before changing it
    config_create,    // ... and creates it (set instead if it turns out to exist)
  };
  struct Pending {
    Purpose purpose;
    std::string topic = {};
    int32_t partition = 0;
    BrokerId broker = 0;
    std::string key = {};  // config_read: the setting and its new value
    std::string value = {};
  };
  using PartitionKey = std::pair<std::string, int32_t>;
  /// A reassignment in progress: TRS and the replicas it adds (AR) and removes (RR).
  struct Reassigning {
    std::vector<BrokerId> target, adding, removing;
  };
  int64_t request(world::Ctx& ctx, zk::ZkClient& zk, zk::ZkRequest r, Pending p);
  void resign(world::Ctx& ctx, const std::string& why);
  void finish_loading(world::Ctx& ctx, zk::ZkClient& zk);
  void on_brokers_changed(world::Ctx& ctx, zk::ZkClient& zk, const std::vector<BrokerId>& now);
  /// Writes a partition's new state (fenced by the controller epoch) and remembers to tell
  /// the brokers once every write is acknowledged.
  /// `chained`: another write of this znode may still be in flight (a reassignment's steps):
  /// expect the version those writes will leave.
  void write_state(world::Ctx& ctx, zk::ZkClient& zk, ZkPartitionState s, const std::string& why,
                   const std::string& election, bool chained = false);
  /// Creates a new partition's znodes with its replicas that are live as ISR
  /// (NewPartition -> OnlinePartition).
  void init_partition(world::Ctx& ctx, zk::ZkClient& zk, const std::string& topic, int32_t p,
                      const std::vector<BrokerId>& replicas);
  void on_topic_changed(world::Ctx& ctx, zk::ZkClient& zk, const std::string& topic,
                        const zk::ZkResponse& r);
  void start_reassignment(world::Ctx& ctx, zk::ZkClient& zk, const PartitionKey& key,
                          const std::vector<BrokerId>& target);
  void maybe_complete_reassignment(world::Ctx& ctx, zk::ZkClient& zk, const PartitionKey& key);
  /// /brokers/topics/<t> as the controller's memory has it (with adding/removing replicas).
  void write_topic_assignment(world::Ctx& ctx, zk::ZkClient& zk, const std::string& topic);
  void on_config_read(world::Ctx& ctx, zk::ZkClient& zk, const Pending& p, const zk::ZkResponse& r);
  AdminResult refuse(world::Ctx& ctx, const std::string& api, const std::string& what, Errc e,
                     std::string message) const;
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
  // admin work
  std::map<PartitionKey, Reassigning> reassigning_;
  /// Assignments the admin wrote that the partition-modification watch has not brought back
  /// yet: a second add_partitions reads these, as AdminZkClient would read the znode.
  std::map<std::string, std::vector<std::vector<BrokerId>>> admin_assignments_;
  /// Config changes in order: one read-change-write at a time, so the next read sees the
  /// previous write (as kafka-configs runs, one after the other).
  std::deque<Pending> config_ops_;
  std::set<PartitionKey> znode_reassignments_;  // listed in /admin/reassign_partitions
  bool reassign_znode_ = false;  // /admin/reassign_partitions exists (we wrote or read it)
  bool watch_reassignments_ = false;
  std::map<PartitionKey, int> state_writes_in_flight_;
  std::vector<std::pair<BrokerId, PartitionKey>> stop_replicas_;  // sent with the next broadcast
  DynamicConfigs configs_;
};

}  // namespace kafkasim::kafka::zkmode
