// ZkBroker: a Kafka broker in ZooKeeper mode (Kafka 3.x, `mode = "zookeeper"`).
//
// It keeps a ZooKeeper session, registers itself as the ephemeral /brokers/ids/<id> (its
// broker epoch is that znode's czxid), and races the other brokers to create the ephemeral
// /controller; the winner runs the ZkController. Brokers learn partition state only from the
// controller's LeaderAndIsr and UpdateMetadata requests, and refuse any carrying a controller
// epoch older than the newest they have seen (STALE_CONTROLLER_EPOCH).
//
// Dynamic configs (DynamicConfigManager): the broker watches /config/changes; for each new
// notification it reads the entity's /config znode and applies it (topic settings to its
// replicas' logs and min.insync.replicas; broker settings when they are its own or the
// cluster default). Kafka starts this listener at broker startup; here it starts at the first
// set_config of the run (the World asks every broker), so that runs that never change a
// config send exactly the ZooKeeper requests they always did. Nothing can differ: until the
// first set_config there is no notification to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/common/config.h"
#include "kafka/controller/quorum_controller.h"
#include "kafka/group/coordinator.h"
#include "kafka/metadata/image.h"
#include "kafka/zk/zk_client.h"
#include "kafka/zkmode/messages.h"
#include "kafka/zkmode/zk_controller.h"
#include "net/message.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka::zkmode {

struct ZkBrokerConfig {
  BrokerId id = 0;
  std::vector<int32_t> zookeeper;  // the ensemble (zookeeper.connect)
  std::vector<BrokerId> brokers;   // every broker of the cluster (for the topic admin)
  std::string rack;
  KafkaConfig config;
  int32_t zookeeper_session_timeout_ms = 18000;
  std::vector<TopicSpec> topics;
  ReplicaManagerConfig replication;
};

class ZkBroker {
 public:
  enum TimerKind : uint16_t { shutdown_retry_timer = 90 };
  /// Its own timers' names, then its components' (ZooKeeper client, controller, replica
  /// manager, group coordinator); nullptr for a kind none of them owns.
  static const char* timer_name(uint16_t kind);

  ZkBroker() = default;
  explicit ZkBroker(ZkBrokerConfig cfg);

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss, sim::Time now);
  void on_shutdown(world::Ctx& ctx);
  void flush(world::Ctx& ctx) { replicas_.flush_all(ctx.now()); }
  int elect_preferred(world::Ctx& ctx, const std::string& partition);
  /// Operator admin requests: this broker's controller does the ZooKeeper work.
  AdminResult admin(world::Ctx& ctx, const CreatePartitionsRequest& r);
  AdminResult admin(world::Ctx& ctx, const AlterPartitionReassignmentsRequest& r);
  AdminResult admin(world::Ctx& ctx, const IncrementalAlterConfigsRequest& r);
  /// Starts watching /config/changes now (idempotent); `want_config_listener` only records
  /// that it should, for a broker that is not running (it starts on its next session).
  void start_config_listener(world::Ctx& ctx);
  void want_config_listener() { config_listener_ = true; }
  /// Reassignments are in use: any controller this broker runs watches
  /// /admin/reassign_partitions from its election (see ZkController).
  void want_reassignment_watch() { reassignment_watch_ = true; }
  const DynamicConfigs& configs() const { return dynamic_; }

  const ZkBrokerConfig& config() const { return cfg_; }
  bool registered() const { return broker_epoch_ >= 0; }
  int64_t broker_epoch() const { return broker_epoch_; }
  BrokerId known_controller() const { return known_controller_; }
  const ZkController* controller() const { return controller_ ? &*controller_ : nullptr; }
  bool is_active_controller() const { return controller_ && controller_->active(); }
  int32_t highest_controller_epoch() const { return highest_controller_epoch_; }
  /// The controller race: this broker's create of the ephemeral /controller znode is asked
  /// and not yet answered (the xid its answer will carry; 0: not racing).
  int64_t controller_create_xid() const { return controller_create_xid_; }
  const zk::ZkClient& zk() const { return zk_; }
  /// What this broker believes: the state the controller last sent it.
  const MetadataImage& image() const { return image_; }
  const ReplicaManager& replicas() const { return replicas_; }
  const group::GroupCoordinator& groups() const { return groups_; }

 private:
  void drain(world::Ctx& ctx);
  void on_session(world::Ctx& ctx, bool fresh);
  void on_response(world::Ctx& ctx, const zk::ZkResponse& r);
  void on_watch(world::Ctx& ctx, const zk::ZkWatchEvent& w);
  void elect(world::Ctx& ctx);
  void apply(const std::vector<LiveBroker>* live, const std::vector<ZkPartitionState>& parts);
  bool stale(world::Ctx& ctx, BrokerId from, int32_t epoch, const char* what);
  void send_controlled_shutdown(world::Ctx& ctx);
  void listen_config_changes(world::Ctx& ctx);
  /// A response to one of the config listener's requests; false when it is not one.
  bool on_config_response(world::Ctx& ctx, const zk::ZkResponse& r);

  ZkBrokerConfig cfg_;
  zk::ZkClient zk_;
  // volatile
  int64_t broker_epoch_ = -1;
  int64_t register_xid_ = 0, owner_check_xid_ = 0, controller_create_xid_ = 0,
          controller_read_xid_ = 0;
  int64_t controller_owner_xid_ = 0, controller_remove_xid_ = 0;
  BrokerId known_controller_ = kNoLeader;
  std::optional<ZkController> controller_;
  int32_t highest_controller_epoch_ = 0;
  MetadataImage image_;
  bool shutting_down_ = false;
  group::GroupCoordinator groups_;  // in memory: reloaded from __consumer_offsets
  ReplicaManager replicas_;         // logs survive crashes (see ReplicaManager::crash)
  int64_t next_producer_id_ = 0;    // producer ids handed out, kept on disk
  // dynamic configs
  bool config_listener_ = false;     // kept across restarts: how this broker runs
  bool reassignment_watch_ = false;  // kept across restarts
  bool config_listening_ = false;    // its requests are out (this process)
  DynamicConfigs dynamic_;           // as read from /config (volatile: read again on start)
  int64_t last_config_change_ = -1;  // highest /config/changes sequence read
  int64_t config_children_xid_ = 0;
  int64_t config_exists_xid_ = 0;
  std::map<int64_t, std::string> config_notification_xids_;  // xid -> notification name
  std::map<int64_t, ConfigResource> config_entity_xids_;     // xid -> entity read
};

}  // namespace kafkasim::kafka::zkmode
