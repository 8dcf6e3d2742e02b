// Producer: a KafkaProducer as a node of its own (KAFKA_REFERENCE 4). It makes records from
// templates at a steady rate (or a fixed count as fast as it can), partitions them (murmur2
// for keys, sticky for null keys), batches them per partition (batch.size, linger.ms), sends
// them to partition leaders with at most max.in.flight.requests.per.connection requests per
// broker, retries with exponential backoff within delivery.timeout.ms, refreshes metadata when
// a broker says NOT_LEADER_OR_FOLLOWER, and, with enable.idempotence, numbers each partition's
// batches so brokers drop retried duplicates. Every record's fate is kept for the checker:
// when it was sent, when it was acknowledged at which offset, or why it failed.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/client/broker_choice.h"
#include "kafka/client/partitioner.h"
#include "kafka/common/errc.h"
#include "kafka/log/record_batch.h"
#include "kafka/protocol/data.h"
#include "net/message.h"
#include "sim/time.h"
#include "sim/timer.h"
#include "world/ctx.h"
#include "world/payload.h"

namespace kafkasim::kafka {

/// "order-{seq % 100}" and "{\"amount\": {seq}}": literal text with {seq} and {seq % N}.
class RecordTemplate {
 public:
  RecordTemplate() = default;
  explicit RecordTemplate(const std::string& text);
  std::string expand(uint64_t seq) const;
  /// The longest expansion there can be.
  size_t max_size() const { return max_size_; }
  /// The expansion for `seq`, kept in the template until the next call. A producer asks for
  /// sequence after sequence: each number's digits are then stepped in place (no division, no
  /// formatting) unless it wraps or gains a digit.
  std::string_view next(uint64_t seq);
  bool empty() const { return parts_.empty(); }

 private:
  struct Part {
    std::string text;
    int64_t modulo = -1;  // -1: literal; 0: {seq}; N: {seq % N}
  };
  /// Where a number of next()'s expansion is, and its value (one per number part, in order).
  struct Number {
    uint32_t at = 0, size = 0;
    uint64_t value = 0;
    uint64_t last = 0;  // its largest value (N - 1 for {seq % N}): stepping past it wraps
  };
  /// Writes the expansion for `seq` at `out` (room for max_size_ bytes); returns its size.
  /// With `numbers`, notes where each number went.
  size_t write(uint64_t seq, char* out, Number* numbers) const;
  /// Adds one to every number of the last expansion in place; false when one wraps or gains
  /// a digit (the expansion must be written again).
  bool step();
  std::vector<Part> parts_;
  size_t max_size_ = 0;
  std::vector<char> last_;       // next()'s expansion: max_size_ bytes, last_size_ used
  std::vector<Number> numbers_;  // one per number part: where it is in last_
  size_t last_size_ = 0;
  uint64_t last_seq_ = 0;
  bool has_last_ = false;
};

struct ProducerConfig {
  std::string client_id;
  uint32_t index = 0;  // which producer of the run: the high bits of record origins
  std::vector<BrokerId> bootstrap;
  std::string topic;
  double rate = 0;       // records per second (steady), or
  int64_t records = -1;  // a fixed count, sent as fast as the producer allows
  std::string key = "";  // template; empty: null key
  std::string value = "{seq}";
  sim::Time start;
  sim::Time stop = sim::Time::max();
  // Kafka's producer settings (4.x defaults)
  int16_t acks = -1;
  bool enable_idempotence = true;
  int64_t linger_ms = 5;
  int64_t batch_size = 16384;
  int64_t max_in_flight_requests_per_connection = 5;
  int64_t retries = 2147483647;
  int64_t retry_backoff_ms = 100;
  int64_t retry_backoff_max_ms = 1000;
  int64_t request_timeout_ms = 30000;
  int64_t delivery_timeout_ms = 120000;
  int64_t buffer_memory = 33554432;
  int64_t metadata_max_age_ms = 300000;
  bool partitioner_ignore_keys = false;
  bool partitioner_adaptive_partitioning_enable = true;
};

/// What happened to one record, for the checker.
struct SentRecord {
  enum class State : uint8_t { pending, acked, failed };
  int32_t partition = -1;
  State state = State::pending;
  Errc error = Errc::NONE;
  Offset offset = kNoOffset;
  sim::Time created;
  sim::Time acked;
};

class Producer {
 public:
  enum TimerKind : uint16_t {
    start_timer = 120,
    gen_timer = 121,
    send_timer = 122,
    request_timer = 123,
    metadata_timer = 124,
    expiry_timer = 125,  // a batch, queued or in flight, may reach delivery.timeout.ms
  };
  /// What each of its timers is, for event descriptions ("the election timeout fires");
  /// nullptr for a kind it does not own.
  static const char* timer_name(uint16_t kind);
  static constexpr uint64_t origin(uint32_t producer, uint64_t seq) {
    return (uint64_t{producer} << 40) | seq;
  }
  static constexpr uint64_t seq_of(uint64_t origin) { return origin & ((uint64_t{1} << 40) - 1); }

  Producer() = default;
  explicit Producer(ProducerConfig cfg);

  void on_start(world::Ctx& ctx);
  void on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload);
  void on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg);
  void on_disconnect(world::Ctx& ctx, int32_t peer);
  void on_crash(bool power_loss);

  const ProducerConfig& config() const { return cfg_; }
  /// One entry per record made, by sequence number (origin = index << 40 | seq).
  /// A deque: it grows by blocks, never copying millions of records to double a buffer.
  using History = std::deque<SentRecord>;
  const History& history() const { return history_; }
  const std::map<Errc, int64_t>& errors() const { return errors_; }
  int64_t acked() const { return acked_; }
  int64_t failed() const { return failed_; }
  int64_t in_flight_requests() const;
  int64_t producer_id() const { return producer_id_; }
  int16_t producer_epoch() const { return producer_epoch_; }

  // [views for the studio's inspector] ------------------------------------------------------
  /// One outstanding ProduceRequest.
  struct InFlightView {
    uint32_t correlation_id = 0;
    BrokerId broker = 0;
    size_t batches = 0;
    size_t records = 0;
    int attempts = 0;  // the most attempts among its batches (1: first try)
  };
  std::vector<InFlightView> in_flight_view() const;
  /// The ProduceRequest in flight that carries record `origin` (this producer's,
  /// Producer::origin), and the attempt it is (1: first try); attempt 0 when none does
  /// (queued, answered or not made).
  struct Carrying {
    uint32_t correlation_id = 0;
    int attempt = 0;
  };
  Carrying request_carrying(uint64_t origin) const;
  /// Leader per partition as this producer's metadata says (-1: unknown).
  const std::vector<BrokerId>& leaders() const { return leaders_; }
  /// Idempotence: the sequence the next new batch of partition `p` gets.
  int32_t next_sequence(int32_t p) const {
    return static_cast<size_t>(p) < seqs_.size() ? seqs_[static_cast<size_t>(p)].next : 0;
  }
  /// Batches waiting in the accumulator (not sent, or back for a retry), per partition.
  std::map<int32_t, size_t> queued_batches() const;

 private:
  /// A batch body the producer may still be writing. Copying a World must not let two
  /// producers append to one body: a body only this producer holds (not yet sent) is copied
  /// with it; a sent body is immutable and stays shared with the brokers' logs.
  struct Body {
    sim::Rc<BatchData> p;
    Body() = default;
    Body(sim::Rc<BatchData> d) : p(std::move(d)) {}  // NOLINT(implicit)
    Body(const Body& o) : p(o.p && o.p.use_count() == 1 ? sim::make_rc<BatchData>(*o.p) : o.p) {}
    Body(Body&&) = default;
    Body& operator=(const Body& o) {
      if (this != &o) p = Body(o).p;
      return *this;
    }
    Body& operator=(Body&&) = default;
    BatchData* operator->() const { return p.get(); }
    explicit operator bool() const { return p != nullptr; }
  };
  struct Batch {
    int32_t partition = 0;
    Body data;  // each record's origin holds its sequence number (history index)
    size_t records() const { return data->size(); }
    uint64_t seq(size_t i) const { return seq_of(data->records()[i].origin); }
    uint32_t bytes = 0;
    sim::Time created;
    int32_t base_sequence = -1;   // idempotence: assigned on first send, kept on retries
    int16_t sequence_epoch = -1;  // the producer epoch base_sequence belongs to
    bool sequence_reset = false;  // renumbered by an epoch bump since it was last sent
    int attempts = 0;
    sim::Time retry_at;
    bool closed = false;
  };
  struct InFlight {
    BrokerId broker = 0;
    std::vector<Batch> batches;
    sim::TimerId timer;
  };

  void begin(world::Ctx& ctx);
  void generate(world::Ctx& ctx);
  void make_record(world::Ctx& ctx);
  static uint32_t record_bytes(const std::string_view* key, std::string_view value) {
    return static_cast<uint32_t>(10 + value.size() + (key ? key->size() : 0));
  }
  /// Puts the record in its partition's batch; returns the partition (-1: no metadata yet,
  /// the record waits in unplaced_).
  int32_t place(world::Ctx& ctx, uint64_t seq, const std::string_view* key, std::string_view value);
  /// Keeps a record made before metadata came (unplaced_); returns -1.
  int32_t hold(uint64_t seq, const std::string_view* key, std::string_view value);
  /// The sticky partitioner's choice for a record without a key (or keys ignored).
  int32_t sticky_partition(world::Ctx& ctx, uint32_t bytes);
  /// Closes the last batch of partition `p`'s queue `q` and starts a new one behind it.
  void open_batch(world::Ctx& ctx, std::deque<Batch>& q, int32_t p, uint32_t bytes);
  void request_metadata(world::Ctx& ctx);
  void send_ready(world::Ctx& ctx);
  void arm_sender(world::Ctx& ctx);
  /// Lowers expiry_check_at_ to `at` and arms expiry_timer_ for it when that is earlier.
  void expire_no_later(world::Ctx& ctx, sim::Time at);
  /// Fails the batches, queued or in flight, that reached delivery.timeout.ms.
  void expire(world::Ctx& ctx);
  void handle_result(world::Ctx& ctx, Batch&& b, const ProducePartitionResponse& r);
  void retry(world::Ctx& ctx, Batch&& b, Errc why);
  void fail(Batch&& b, Errc why);
  // Idempotence (Kafka's TransactionManager for a producer without transactional.id).
  struct PartitionSequences {
    int16_t epoch = -1;       // the producer epoch this partition's sequences belong to
    int32_t next = 0;         // the sequence the next new batch gets
    int32_t last_acked = -1;  // the last acknowledged sequence (-1: none in this epoch)
    /// Base sequences of the batches sent and not yet done (acknowledged or failed), queued
    /// for a retry or in a request, lowest first: only the lowest may be sent again.
    std::vector<int32_t> in_flight;
    /// A batch failed with a sequence (expired, or refused for good): until the batches in
    /// flight are done nothing new is sent, then either the sequences after it were
    /// acknowledged or there is a gap and the epoch is bumped.
    bool unresolved = false;
    int32_t unresolved_next = -1;  // the sequence after the failed batch
  };
  PartitionSequences& sequences(int32_t p) {
    if (seqs_.size() <= static_cast<size_t>(p)) seqs_.resize(static_cast<size_t>(p) + 1);
    return seqs_[static_cast<size_t>(p)];
  }
  /// RecordAccumulator.shouldStopDrainBatchesForPartition: may `front`, the first batch of
  /// partition `p`'s queue, be sent now?
  bool drainable(int32_t p, const Batch& front);
  /// Gives a batch drained for the first time its sequence (and the partition a fresh epoch's
  /// sequences once nothing of an older epoch is in flight).
  void assign_sequence(int32_t p, Batch& b);
  /// The batch is done (acknowledged or failed): it leaves its partition's in-flight sequences.
  void sequence_done(const Batch& b);
  /// TransactionManager.maybeResolveSequences and bumpIdempotentEpochAndResetIdIfNeeded.
  void resolve_sequences();
  void request_epoch_bump(int32_t p);
  /// startSequencesAtBeginning: the partition's sequenced batches, in order, from 0 in the
  /// current epoch.
  void rewrite_sequences(int32_t p);
  void fail_request(world::Ctx& ctx, uint32_t correlation, Errc why);
  bool retriable(Errc e) const;
  /// The accumulator's queue of partition `p` (made on first use).
  /// The partition's leader as the producer knows it (-1: unknown).
  BrokerId leader_of(int32_t p) const {
    return p < static_cast<int32_t>(leaders_.size()) ? leaders_[static_cast<size_t>(p)] : -1;
  }
  std::deque<Batch>& queue(int32_t p) {
    if (queues_.size() <= static_cast<size_t>(p)) queues_.resize(static_cast<size_t>(p) + 1);
    return queues_[static_cast<size_t>(p)];
  }
  /// A batch is gone for good (acknowledged, failed, or sent with acks=0): its bytes leave
  /// buffer.memory.
  void release(const Batch& b) { buffered_bytes_ -= b.bytes; }

  ProducerConfig cfg_;
  RecordTemplate key_, value_;
  // volatile
  bool running_ = false;
  uint64_t next_seq_ = 0;
  History history_;
  std::map<Errc, int64_t> errors_;
  int64_t acked_ = 0, failed_ = 0;
  int32_t partitions_ = 0;         // from metadata; 0 unknown
  std::vector<BrokerId> leaders_;  // per partition, -1 unknown
  std::vector<BrokerId> brokers_;  // live brokers known
  bool metadata_in_flight_ = false;
  uint32_t metadata_correlation_ = 0;
  BrokerChoice brokers_to_ask_;
  sim::Time metadata_at_;
  int64_t producer_id_ = -1;
  int16_t producer_epoch_ = -1;
  bool pid_in_flight_ = false;
  uint32_t pid_correlation_ = 0;
  std::vector<std::deque<Batch>> queues_;  // by partition, oldest first
  /// No batch at the front of a queue, or in flight, reaches delivery.timeout.ms before this
  /// (the expiry scan waits for it; expiry_timer_ wakes the producer then). Every batch that
  /// becomes a front (made in an empty queue, retried, or left behind a drained one) lowers it.
  sim::Time expiry_check_at_ = sim::Time::max();
  sim::TimerId expiry_timer_;
  sim::Time expiry_timer_at_ = sim::Time::max();
  int64_t buffered_bytes_ = 0;  // bytes of every batch queued or in flight (buffer.memory)
  /// Emptied bodies of sent batches, with their room: new batches are written in them.
  std::vector<BatchData> spare_bodies_;
  // Idempotence, by partition (grown on first use), and the partitions whose sequences the
  // next epoch bump rewrites (an epoch bump is due when it is not empty).
  std::vector<PartitionSequences> seqs_;
  std::vector<int32_t> epoch_bump_for_;
  size_t unresolved_partitions_ = 0;  // how many of seqs_ are unresolved
  bool resolve_due_ = false;          // a sequenced batch failed since resolve_sequences last ran
  std::deque<std::pair<uint64_t, std::pair<std::optional<std::string>, std::string>>> unplaced_;
  std::vector<int32_t> available_buf_, queue_sizes_buf_;  // the sticky partitioner's inputs
  std::vector<BrokerId> ready_brokers_buf_;               // send_ready's scratch
  std::vector<size_t> request_slots_buf_, request_sizes_buf_;
  std::map<uint32_t, InFlight> in_flight_;
  // Requests in flight to each broker (a handful of brokers: a flat list, looked up only).
  std::vector<std::pair<BrokerId, int64_t>> in_flight_per_broker_;
  int64_t& in_flight_slot(BrokerId b) {  // to count a request sent or ended
    for (auto& [broker, n] : in_flight_per_broker_)
      if (broker == b) return n;
    return in_flight_per_broker_.emplace_back(b, 0).second;
  }
  int64_t in_flight_to(BrokerId b) const {
    for (const auto& [broker, n] : in_flight_per_broker_)
      if (broker == b) return n;
    return 0;
  }
  uint32_t next_correlation_ = 1;
  StickyPartitioner sticky_;
  sim::TimerId gen_timer_, send_timer_;
  sim::Time gen_at_, send_at_;  // when gen_timer_ and send_timer_ fire
};

}  // namespace kafkasim::kafka
