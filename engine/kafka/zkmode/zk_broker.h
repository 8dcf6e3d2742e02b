// ZkBroker: a Kafka broker in ZooKeeper mode (Kafka 3.x, `mode = "zookeeper"`).
//
// It keeps a ZooKeeper session, registers itself as the ephemeral /brokers/ids/<id> (its
// broker epoch is that znode's czxid), and races the other brokers to create the ephemeral
// /controller; the winner runs the ZkController. Brokers learn partition state only from the
// controller's LeaderAndIsr and UpdateMetadata requests, and refuse any carrying a controller
// epoch older than the newest they have seen (STALE_CONTROLLER_EPOCH).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kafka/broker/replica_manager.h"
#include "kafka/common/config.h"
#include "kafka/controller/quorum_controller.h"
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

  const ZkBrokerConfig& config() const { return cfg_; }
  bool registered() const { return broker_epoch_ >= 0; }
  int64_t broker_epoch() const { return broker_epoch_; }
  BrokerId known_controller() const { return known_controller_; }
  const ZkController* controller() const { return controller_ ? &*controller_ : nullptr; }
  bool is_active_controller() const { return controller_ && controller_->active(); }
  int32_t highest_controller_epoch() const { return highest_controller_epoch_; }
  const zk::ZkClient& zk() const { return zk_; }
  /// What this broker believes: the state the controller last sent it.
  const MetadataImage& image() const { return image_; }
  const ReplicaManager& replicas() const { return replicas_; }

 private:
  void drain(world::Ctx& ctx);
  void on_session(world::Ctx& ctx, bool fresh);
  void on_response(world::Ctx& ctx, const zk::ZkResponse& r);
  void on_watch(world::Ctx& ctx, const zk::ZkWatchEvent& w);
  void elect(world::Ctx& ctx);
  void apply(const std::vector<LiveBroker>* live, const std::vector<ZkPartitionState>& parts);
  bool stale(world::Ctx& ctx, BrokerId from, int32_t epoch, const char* what);
  void send_controlled_shutdown(world::Ctx& ctx);

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
  ReplicaManager replicas_;       // logs survive crashes (see ReplicaManager::crash)
  int64_t next_producer_id_ = 0;  // producer ids handed out, kept on disk
};

}  // namespace kafkasim::kafka::zkmode
