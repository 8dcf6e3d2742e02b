// The producer client. See producer.h.
//
// Index:
//   [SECTION] templates
//   [SECTION] lifecycle and record generation
//   [SECTION] partitioning and batching
//   [SECTION] sending and responses
//   [SECTION] metadata and producer id
#include "kafka/client/producer.h"

#include <charconv>

#include <algorithm>
#include <cmath>

#include "world/world.h"

namespace kafkasim::kafka {

using sim::Time;

// [SECTION] templates
// --------------------------------------------------------------------------------

RecordTemplate::RecordTemplate(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("{seq", i);
    if (open == std::string::npos) {
      parts_.push_back({text.substr(i), -1});
      break;
    }
    const size_t close = text.find('}', open);
    if (close == std::string::npos) {
      parts_.push_back({text.substr(i), -1});
      break;
    }
    if (open > i) parts_.push_back({text.substr(i, open - i), -1});
    const std::string inner = text.substr(open + 1, close - open - 1);  // "seq" or "seq % N"
    int64_t mod = 0;
    const size_t pct = inner.find('%');
    if (pct != std::string::npos) mod = std::max<int64_t>(1, std::atoll(inner.c_str() + pct + 1));
    parts_.push_back({"", mod});
    i = close + 1;
  }
  for (const Part& p : parts_) {
    max_size_ += p.modulo < 0 ? p.text.size() : 20;  // UINT64_MAX has 20 digits
    if (p.modulo >= 0)
      numbers_.push_back(
          {0, 0, 0, p.modulo > 0 ? static_cast<uint64_t>(p.modulo) - 1 : UINT64_MAX});
  }
  last_.resize(max_size_);
}

std::string RecordTemplate::expand(uint64_t seq) const {
  std::string out(max_size_, '\0');
  out.resize(write(seq, out.data(), nullptr));
  return out;
}

size_t RecordTemplate::write(uint64_t seq, char* out, Number* numbers) const {
  char* at = out;
  for (const Part& p : parts_) {
    if (p.modulo < 0) {
      at = std::copy(p.text.begin(), p.text.end(), at);
      continue;
    }
    const uint64_t value = p.modulo == 0 ? seq : seq % static_cast<uint64_t>(p.modulo);
    char* const end = std::to_chars(at, at + 20, value).ptr;
    if (numbers != nullptr) {
      numbers->at = static_cast<uint32_t>(at - out);
      numbers->size = static_cast<uint32_t>(end - at);
      numbers->value = value;
      ++numbers;
    }
    at = end;
  }
  return static_cast<size_t>(at - out);
}

std::string_view RecordTemplate::next(uint64_t seq) {
  if (!has_last_ || seq != last_seq_ + 1 || !step()) {
    last_size_ = write(seq, last_.data(), numbers_.data());
    has_last_ = true;
  }
  last_seq_ = seq;
  return {last_.data(), last_size_};
}

bool RecordTemplate::step() {
  for (Number& number : numbers_) {
    if (number.value == number.last) return false;  // wraps
    ++number.value;
    char* const first = last_.data() + number.at;
    char* d = first + number.size - 1;
    while (*d == '9') {
      *d = '0';
      if (d == first) return false;  // 99 -> 100: one digit more
      --d;
    }
    ++*d;
  }
  return true;
}

// [SECTION] lifecycle and record generation
// ----------------------------------------------------------

Producer::Producer(ProducerConfig cfg) : cfg_(std::move(cfg)), key_(cfg_.key), value_(cfg_.value) {}

void Producer::on_crash(bool) {
  // The process is gone with everything in memory; its history is the test's notebook.
  const ProducerConfig cfg = cfg_;
  History history = std::move(history_);
  std::map<Errc, int64_t> errors = std::move(errors_);
  const int64_t acked = acked_, failed = failed_;
  const uint64_t next = next_seq_;
  *this = Producer(cfg);
  history_ = std::move(history);
  errors_ = std::move(errors);
  acked_ = acked;
  failed_ = failed;
  next_seq_ = next;
}

void Producer::on_start(world::Ctx& ctx) {
  if (ctx.now() < cfg_.start) {
    ctx.set_timer(cfg_.start - ctx.now(), start_timer, 0);
    return;
  }
  begin(ctx);
}

void Producer::begin(world::Ctx& ctx) {
  running_ = true;
  request_metadata(ctx);
  generate(ctx);
}

void Producer::generate(world::Ctx& ctx) {
  if (!running_ || ctx.now() >= cfg_.stop) return;
  if (cfg_.rate > 0) {
    const double elapsed = (ctx.now() - cfg_.start).seconds();
    const auto due = static_cast<uint64_t>(std::floor(cfg_.rate * elapsed)) + 1;
    // buffer.memory: records wait in the accumulator until there is room.
    while (next_seq_ < due && buffered_bytes_ < cfg_.buffer_memory)
      make_record(ctx);
    // Next tick: when the next record is due, but no more often than every millisecond.
    const Time next_due =
        cfg_.start +
        Time::from_ns(static_cast<int64_t>(static_cast<double>(next_seq_) / cfg_.rate * 1e9));
    const Time at = std::max(ctx.now() + Time::from_ms(1), next_due);
    // Keep an armed tick that is due no later (generate also runs on every response).
    if (!gen_timer_.armed() || gen_at_ > at || gen_at_ <= ctx.now()) {
      ctx.cancel(gen_timer_);
      if (at < cfg_.stop) {
        gen_timer_ = ctx.set_timer(at - ctx.now(), gen_timer, 0);
        gen_at_ = at;
      }
    }
  } else if (cfg_.records >= 0) {
    while (next_seq_ < static_cast<uint64_t>(cfg_.records) && buffered_bytes_ < cfg_.buffer_memory)
      make_record(ctx);
  }
  send_ready(ctx);
}

void Producer::make_record(world::Ctx& ctx) {
  const uint64_t seq = next_seq_++;
  SIM_ASSERT(history_.size() == seq, "one history entry per record made, by sequence");
  history_.push_back(SentRecord{});
  history_.back().created = ctx.now();
  std::string_view key;
  if (!key_.empty()) key = key_.next(seq);
  const std::string_view value = value_.next(seq);
  history_.back().partition = place(ctx, seq, key_.empty() ? nullptr : &key, value);
}

// [SECTION] partitioning and batching
// ----------------------------------------------------------------

int32_t Producer::place(world::Ctx& ctx, uint64_t seq, const std::string_view* key,
                        std::string_view value) {
  // Every record passes here: the rare branches (no metadata yet, a null key, a new batch) are
  // functions of their own so that the common one stays short.
  if (partitions_ == 0) return hold(seq, key, value);
  const uint32_t bytes = record_bytes(key, value);
  const int32_t p = key && !cfg_.partitioner_ignore_keys ? partition_for_key(*key, partitions_)
                                                         : sticky_partition(ctx, bytes);
  std::deque<Batch>& q = queue(p);
  if (q.empty() || q.back().closed || q.back().attempts > 0 ||
      q.back().bytes + bytes > static_cast<uint32_t>(std::max<int64_t>(cfg_.batch_size, 1)))
    open_batch(ctx, q, p, bytes);
  Batch& b = q.back();
  b.data->add(ctx.now().ms(), key ? key->data() : nullptr,
              key ? static_cast<int64_t>(key->size()) : -1, value.data(),
              static_cast<int64_t>(value.size()), origin(cfg_.index, seq));
  b.bytes += bytes;
  buffered_bytes_ += bytes;
  if (b.bytes >= cfg_.batch_size) b.closed = true;
  return p;
}

int32_t Producer::hold(uint64_t seq, const std::string_view* key, std::string_view value) {
  // Waiting for metadata, the record still takes its room in buffer.memory.
  buffered_bytes_ += record_bytes(key, value);
  std::optional<std::string> owned_key;
  if (key) owned_key.emplace(*key);
  unplaced_.push_back({seq, {std::move(owned_key), std::string(value)}});
  return -1;
}

int32_t Producer::sticky_partition(world::Ctx& ctx, uint32_t bytes) {
  std::vector<int32_t>& available = available_buf_;
  available.clear();
  for (int32_t i = 0; i < partitions_; ++i) {
    if (leaders_[i] >= 0) available.push_back(i);
  }
  std::vector<int32_t>& queue_sizes = queue_sizes_buf_;
  queue_sizes.clear();
  if (cfg_.partitioner_adaptive_partitioning_enable) {
    for (int32_t i = 0; i < partitions_; ++i)
      queue_sizes.push_back(static_cast<int32_t>(queue(i).size()));
  }
  return sticky_.next(partitions_, available, queue_sizes, cfg_.batch_size, bytes, ctx.rng());
}

void Producer::open_batch(world::Ctx& ctx, std::deque<Batch>& q, int32_t p, uint32_t bytes) {
  if (!q.empty()) q.back().closed = true;
  Batch b;
  b.partition = p;
  b.data = sim::make_rc<BatchData>();
  // The batch is written in the room a sent batch left (see send_ready), which has grown to
  // the largest batch yet: records are appended without moving.
  if (!spare_bodies_.empty()) {
    *b.data.p = std::move(spare_bodies_.back());
    spare_bodies_.pop_back();
  } else {
    b.data->reserve(4, 4 * size_t{bytes});
  }
  b.created = ctx.now();
  expire_no_later(ctx, b.created + Time::from_ms(cfg_.delivery_timeout_ms));
  q.push_back(std::move(b));
}

// [SECTION] sending and responses
// --------------------------------------------------------------------

int64_t Producer::in_flight_requests() const {
  return static_cast<int64_t>(in_flight_.size());
}

std::vector<Producer::InFlightView> Producer::in_flight_view() const {
  std::vector<InFlightView> out;
  for (const auto& [correlation, f] : in_flight_) {
    InFlightView v{correlation, f.broker, f.batches.size(), 0, 0};
    for (const Batch& b : f.batches) {
      v.records += b.records();
      v.attempts = std::max(v.attempts, b.attempts);
    }
    out.push_back(v);
  }
  return out;
}

Producer::Carrying Producer::request_carrying(uint64_t origin) const {
  const uint64_t seq = seq_of(origin);
  if ((origin >> 40) != cfg_.index || seq >= history_.size()) return {};
  const int32_t partition = history_[seq].partition;
  for (const auto& [correlation, f] : in_flight_) {
    for (const Batch& b : f.batches) {
      // A batch's records are in the order they were made: its sequences ascend.
      if (b.partition != partition || b.records() == 0 || seq < b.seq(0) ||
          seq > b.seq(b.records() - 1))
        continue;
      const auto recs = b.data->records();
      const auto it =
          std::lower_bound(recs.begin(), recs.end(), seq,
                           [](const Record& r, uint64_t s) { return seq_of(r.origin) < s; });
      if (it != recs.end() && seq_of(it->origin) == seq)
        return {correlation, std::max(1, b.attempts)};
    }
  }
  return {};
}

std::map<int32_t, size_t> Producer::queued_batches() const {
  std::map<int32_t, size_t> out;
  for (size_t p = 0; p < queues_.size(); ++p) {
    if (!queues_[p].empty()) out[static_cast<int32_t>(p)] = queues_[p].size();
  }
  return out;
}

bool Producer::retriable(Errc e) const {
  switch (e) {
    case Errc::NOT_LEADER_OR_FOLLOWER:
    case Errc::LEADER_NOT_AVAILABLE:
    case Errc::UNKNOWN_TOPIC_OR_PARTITION:
    case Errc::NOT_ENOUGH_REPLICAS:
    case Errc::NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case Errc::REQUEST_TIMED_OUT:
    case Errc::NETWORK_EXCEPTION:
    case Errc::FENCED_LEADER_EPOCH:
    case Errc::UNKNOWN_LEADER_EPOCH:
    case Errc::OUT_OF_ORDER_SEQUENCE_NUMBER:
      return true;
    default:
      return false;
  }
}

void Producer::arm_sender(world::Ctx& ctx) {
  // The next moment a batch becomes sendable. Batches waiting for a leader or for a free
  // in-flight slot are not timed: a metadata or produce response brings them back.
  Time next = Time::max();
  for (int32_t p = 0; p < static_cast<int32_t>(queues_.size()); ++p) {
    const std::deque<Batch>& q = queues_[static_cast<size_t>(p)];
    if (q.empty()) continue;
    const Batch& b = q.front();
    const BrokerId leader = leader_of(p);
    if (leader < 0) continue;
    if (in_flight_to(leader) >= cfg_.max_in_flight_requests_per_connection) continue;
    Time ready = b.closed ? ctx.now() : b.created + Time::from_ms(cfg_.linger_ms);
    ready = std::max(ready, b.retry_at);
    if (ready <= ctx.now()) continue;  // send_ready just ran and could not send it
    next = std::min(next, ready);
  }
  if (next != Time::max()) next = std::max(next, ctx.now() + Time::from_us(1));
  if (send_timer_.armed() && send_at_ == next) return;  // already set for that moment
  ctx.cancel(send_timer_);
  if (next != Time::max()) {
    send_timer_ = ctx.set_timer(next - ctx.now(), send_timer, 0);
    send_at_ = next;
  }
}

void Producer::send_ready(world::Ctx& ctx) {
  if (cfg_.enable_idempotence && producer_id_ < 0) {
    if (!pid_in_flight_ && !brokers_.empty()) {
      pid_in_flight_ = true;
      pid_correlation_ = next_correlation_++;
      const BrokerId to = brokers_to_ask_.any(brokers_);
      ctx.send(to, net::MessageKind::produce, InitProducerIdRequest{pid_correlation_}, 32);
      ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, pid_correlation_);
    }
    return;
  }
  if (partitions_ == 0) return;
  if (ctx.now() >= expiry_check_at_) expire(ctx);
  if (cfg_.enable_idempotence) resolve_sequences();
  // RecordAccumulator.ready: the brokers with a batch that is full, past linger.ms or retried
  // after its backoff. drain then takes the first batch of every partition those brokers
  // lead, ready or not (not those still backing off): one request per broker carries them all.
  std::vector<BrokerId>& ready_brokers = ready_brokers_buf_;
  ready_brokers.clear();
  for (int32_t p = 0; p < static_cast<int32_t>(queues_.size()); ++p) {
    std::deque<Batch>& q = queues_[static_cast<size_t>(p)];
    if (q.empty()) continue;
    const Batch& b = q.front();
    const bool ready = (b.closed || ctx.now() - b.created >= Time::from_ms(cfg_.linger_ms)) &&
                       ctx.now() >= b.retry_at;
    const BrokerId leader = leader_of(p);
    if (!ready || leader < 0 || !drainable(p, b)) continue;
    if (in_flight_to(leader) >= cfg_.max_in_flight_requests_per_connection) continue;
    if (std::find(ready_brokers.begin(), ready_brokers.end(), leader) == ready_brokers.end())
      ready_brokers.push_back(leader);
  }
  if (ready_brokers.empty()) {
    arm_sender(ctx);
    return;
  }
  // One request per ready broker, in broker id order (ready_brokers is small).
  std::sort(ready_brokers.begin(), ready_brokers.end());
  std::vector<ProduceRequest> requests(ready_brokers.size());
  std::vector<std::vector<Batch>> taken(ready_brokers.size());
  // Which request takes each partition's first batch (ready_brokers.size(): none), and how
  // many each request carries, so that filling it allocates once.
  std::vector<size_t>& slots = request_slots_buf_;
  std::vector<size_t>& counts = request_sizes_buf_;
  slots.assign(queues_.size(), ready_brokers.size());
  counts.assign(ready_brokers.size() + 1, 0);
  for (size_t p = 0; p < queues_.size(); ++p) {
    const BrokerId leader = leader_of(static_cast<int32_t>(p));
    if (!queues_[p].empty() && leader >= 0 && ctx.now() >= queues_[p].front().retry_at &&
        drainable(static_cast<int32_t>(p), queues_[p].front()))
      slots[p] = static_cast<size_t>(std::find(ready_brokers.begin(), ready_brokers.end(), leader) -
                                     ready_brokers.begin());
    ++counts[slots[p]];
  }
  for (size_t i = 0; i < ready_brokers.size(); ++i) {
    requests[i].partitions.reserve(counts[i]);
    taken[i].reserve(counts[i]);
  }
  for (int32_t p = 0; p < static_cast<int32_t>(queues_.size()); ++p) {
    const size_t slot = slots[static_cast<size_t>(p)];
    if (slot == ready_brokers.size()) continue;
    std::deque<Batch>& q = queues_[static_cast<size_t>(p)];
    Batch out = std::move(q.front());
    q.pop_front();
    // The batch behind it is at the front now: it expires from there.
    if (!q.empty())
      expire_no_later(ctx, q.front().created + Time::from_ms(cfg_.delivery_timeout_ms));
    out.closed = true;
    if (out.attempts == 0) {
      // The batch is final: the logs keep an exactly sized copy (shared by every replica);
      // the room it was written in is the next batch's.
      BatchData& d = *out.data.p;
      if (d.capacity_bytes() > d.size() * sizeof(Record) + d.bytes().size()) {
        BatchData exact(d);
        if (spare_bodies_.size() < queues_.size()) {
          d.clear();
          spare_bodies_.push_back(std::move(d));
        }
        d = std::move(exact);
      }
    }
    if (cfg_.enable_idempotence && out.base_sequence < 0) assign_sequence(p, out);
    out.sequence_reset = false;
    ++out.attempts;
    RecordBatch rb = make_batch(out.data.p);
    rb.producer_id = cfg_.enable_idempotence ? producer_id_ : -1;
    rb.producer_epoch = cfg_.enable_idempotence ? out.sequence_epoch : -1;
    rb.base_sequence = cfg_.enable_idempotence ? out.base_sequence : -1;
    ProduceRequest& r = requests[slot];
    r.acks = cfg_.acks;
    r.timeout_ms = static_cast<int32_t>(cfg_.request_timeout_ms);
    r.partitions.push_back(ProducePartitionData{TopicPartitionName{cfg_.topic, p}, std::move(rb)});
    taken[slot].push_back(std::move(out));
  }
  for (size_t i = 0; i < requests.size(); ++i) {
    const BrokerId leader = ready_brokers[i];
    ProduceRequest& r = requests[i];
    if (r.partitions.empty()) continue;
    r.correlation_id = next_correlation_++;
    uint32_t bytes = 64;
    for (const auto& pd : r.partitions)
      bytes += pd.batch.size_bytes;
    if (cfg_.acks == 0) {
      // No response will come: the records count as sent (offset unknown).
      for (Batch& b : taken[i]) {
        for (size_t i = 0; i < b.records(); ++i) {
          SentRecord& s = history_[b.seq(i)];
          s.state = SentRecord::State::acked;
          s.acked = ctx.now();
          ++acked_;
        }
        release(b);
      }
      ctx.send(leader, net::MessageKind::produce, std::move(r), bytes);
      continue;
    }
    InFlight f;
    f.broker = leader;
    f.batches = std::move(taken[i]);
    f.timer =
        ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, r.correlation_id);
    ++in_flight_slot(leader);
    in_flight_.emplace(r.correlation_id, std::move(f));
    ctx.send(leader, net::MessageKind::produce, std::move(r), bytes);
  }
  arm_sender(ctx);
}

void Producer::expire_no_later(world::Ctx& ctx, Time at) {
  expiry_check_at_ = std::min(expiry_check_at_, at);
  if (expiry_timer_.armed() && expiry_timer_at_ <= expiry_check_at_) return;
  ctx.cancel(expiry_timer_);
  expiry_timer_ =
      ctx.set_timer(std::max(expiry_check_at_ - ctx.now(), Time::zero()), expiry_timer, 0);
  expiry_timer_at_ = expiry_check_at_;
}

void Producer::expire(world::Ctx& ctx) {
  // RecordAccumulator.expiredBatches and Sender.getExpiredInflightBatches: a batch fails once
  // delivery.timeout.ms has passed since it was made, at the front of its partition's queue
  // (an older batch a retry put behind a younger one waits to reach the front, as in Kafka) or
  // in a request not answered yet (the request stays outstanding; its answer skips the batch).
  const Time timeout = Time::from_ms(cfg_.delivery_timeout_ms);
  Time next = Time::max();
  for (std::deque<Batch>& q : queues_) {
    while (!q.empty() && ctx.now() - q.front().created >= timeout) {
      Batch b = std::move(q.front());
      q.pop_front();
      fail(std::move(b), Errc::REQUEST_TIMED_OUT);
    }
    if (!q.empty()) next = std::min(next, q.front().created + timeout);
  }
  for (auto& [correlation, f] : in_flight_) {
    for (auto it = f.batches.begin(); it != f.batches.end();) {
      if (ctx.now() - it->created < timeout) {
        next = std::min(next, it->created + timeout);
        ++it;
        continue;
      }
      Batch b = std::move(*it);
      it = f.batches.erase(it);
      fail(std::move(b), Errc::REQUEST_TIMED_OUT);
    }
  }
  expiry_check_at_ = Time::max();
  if (next != Time::max()) expire_no_later(ctx, next);
}

void Producer::handle_result(world::Ctx& ctx, Batch&& b, const ProducePartitionResponse& r) {
  if (r.error_code == Errc::NONE) {
    for (size_t i = 0; i < b.records(); ++i) {
      SentRecord& s = history_[b.seq(i)];
      s.state = SentRecord::State::acked;
      s.offset = r.base_offset >= 0 ? r.base_offset + static_cast<Offset>(i) : kNoOffset;
      s.acked = ctx.now();
      ++acked_;
    }
    release(b);
    if (b.base_sequence >= 0) {
      PartitionSequences& s = sequences(b.partition);
      s.last_acked =
          std::max(s.last_acked, b.base_sequence + static_cast<int32_t>(b.records()) - 1);
      sequence_done(b);
    }
    return;
  }
  ++errors_[r.error_code];
  if (r.error_code == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER && b.base_sequence >= 0) {
    // TransactionManager.canRetry. A batch that is not the one right after the last
    // acknowledged (or was renumbered since it was sent) is only waiting for an earlier one:
    // it is retried as it is. The next one refused means the broker lost records the producer
    // had sent (a gap): bump the epoch and number the partition's batches afresh (KIP-360).
    const PartitionSequences& s = sequences(b.partition);
    const bool next = b.base_sequence == s.last_acked + 1;
    if (s.unresolved ? b.base_sequence == s.unresolved_next : next && !b.sequence_reset)
      request_epoch_bump(b.partition);
  }
  retry(ctx, std::move(b), r.error_code);
}

void Producer::retry(world::Ctx& ctx, Batch&& b, Errc why) {
  const bool in_time = ctx.now() - b.created < Time::from_ms(cfg_.delivery_timeout_ms);
  if (!retriable(why) || !in_time || b.attempts > cfg_.retries) {
    fail(std::move(b), why);
    return;
  }
  if (why == Errc::NOT_LEADER_OR_FOLLOWER || why == Errc::LEADER_NOT_AVAILABLE ||
      why == Errc::FENCED_LEADER_EPOCH || why == Errc::UNKNOWN_LEADER_EPOCH ||
      why == Errc::UNKNOWN_TOPIC_OR_PARTITION || why == Errc::NETWORK_EXCEPTION) {
    request_metadata(ctx);
  }
  // Exponential backoff with 20% jitter (CommonClientConfigs).
  const double base =
      static_cast<double>(cfg_.retry_backoff_ms) * std::pow(2.0, std::max(0, b.attempts - 1));
  const double capped = std::min(
      base, static_cast<double>(std::max(cfg_.retry_backoff_max_ms, cfg_.retry_backoff_ms)));
  const double jitter = 0.8 + 0.4 * ctx.rng().next_double();
  b.retry_at = ctx.now() + Time::from_ns(static_cast<int64_t>(capped * jitter * 1e6));
  b.closed = true;
  expire_no_later(ctx, b.created + Time::from_ms(cfg_.delivery_timeout_ms));
  std::deque<Batch>& q = queue(b.partition);
  if (cfg_.enable_idempotence) {
    // Keep sequence order: retried batches go before later ones, oldest sequence first.
    auto it = q.begin();
    while (it != q.end() && it->base_sequence >= 0 && it->base_sequence < b.base_sequence)
      ++it;
    q.insert(it, std::move(b));
  } else {
    q.push_front(std::move(b));
  }
  arm_sender(ctx);
}

void Producer::fail(Batch&& b, Errc why) {
  release(b);
  for (size_t i = 0; i < b.records(); ++i) {
    SentRecord& s = history_[b.seq(i)];
    s.state = SentRecord::State::failed;
    s.error = why;
    ++failed_;
  }
  // A batch that had a sequence may leave a gap: the partition's sequences are unresolved
  // until what is in flight is done (Sender: markSequenceUnresolved).
  if (cfg_.enable_idempotence && b.base_sequence >= 0) {
    sequence_done(b);
    PartitionSequences& s = sequences(b.partition);
    if (!s.unresolved) ++unresolved_partitions_;
    s.unresolved = true;
    s.unresolved_next = b.base_sequence + static_cast<int32_t>(b.records());
    resolve_due_ = true;
  }
}

bool Producer::drainable(int32_t p, const Batch& front) {
  if (!cfg_.enable_idempotence) return true;
  const PartitionSequences& s = sequences(p);
  if (front.base_sequence < 0) {
    // A new batch waits while the partition's sequences are unresolved, and while batches of
    // an older epoch are in flight: sequence 0 of the new epoch must not overtake them.
    return !s.unresolved && (s.in_flight.empty() || s.epoch == producer_epoch_);
  }
  // A retry goes only when it is the first in line: one request at a time until it is done.
  return s.in_flight.empty() || s.in_flight.front() == front.base_sequence;
}

void Producer::assign_sequence(int32_t p, Batch& b) {
  PartitionSequences& s = sequences(p);
  if (s.epoch != producer_epoch_ && s.in_flight.empty()) {
    // maybeUpdateProducerIdAndEpoch: the epoch was bumped and nothing of the old one is left.
    s.epoch = producer_epoch_;
    s.next = 0;
    s.last_acked = -1;
  }
  b.base_sequence = s.next;
  b.sequence_epoch = s.epoch;
  s.next += static_cast<int32_t>(b.records());
  s.in_flight.push_back(b.base_sequence);  // the highest yet
}

void Producer::sequence_done(const Batch& b) {
  std::vector<int32_t>& v = sequences(b.partition).in_flight;
  const auto it = std::find(v.begin(), v.end(), b.base_sequence);
  if (it != v.end()) v.erase(it);
}

void Producer::request_epoch_bump(int32_t p) {
  const auto it = std::lower_bound(epoch_bump_for_.begin(), epoch_bump_for_.end(), p);
  if (it == epoch_bump_for_.end() || *it != p) epoch_bump_for_.insert(it, p);
}

void Producer::resolve_sequences() {
  resolve_due_ = false;
  // Nothing to walk when no partition waits for its sequences to resolve (the usual case).
  if (unresolved_partitions_ == 0 && epoch_bump_for_.empty()) return;
  for (int32_t p = 0; p < static_cast<int32_t>(seqs_.size()); ++p) {
    PartitionSequences& s = seqs_[static_cast<size_t>(p)];
    if (!s.unresolved || !s.in_flight.empty()) continue;
    // Everything sent is done: resolved if the last sequence sent was acknowledged (a batch
    // expired but later ones made it), else there is a gap.
    s.unresolved = false;
    --unresolved_partitions_;
    if (s.next - s.last_acked != 1) request_epoch_bump(p);
  }
  if (epoch_bump_for_.empty()) return;
  // Bump the epoch locally (KIP-360) and number the partitions with a gap afresh; the others
  // move to the new epoch once their batches in flight are done.
  ++producer_epoch_;
  for (int32_t p : epoch_bump_for_)
    rewrite_sequences(p);
  epoch_bump_for_.clear();
}

void Producer::rewrite_sequences(int32_t p) {
  std::vector<Batch*> sequenced;
  for (Batch& b : queue(p))
    if (b.base_sequence >= 0) sequenced.push_back(&b);
  for (auto& [correlation, f] : in_flight_)
    for (Batch& b : f.batches)
      if (b.partition == p && b.base_sequence >= 0) sequenced.push_back(&b);
  std::sort(sequenced.begin(), sequenced.end(),
            [](const Batch* a, const Batch* b) { return a->base_sequence < b->base_sequence; });
  PartitionSequences& s = sequences(p);
  if (s.unresolved) --unresolved_partitions_;
  s = PartitionSequences{};
  s.epoch = producer_epoch_;
  for (Batch* b : sequenced) {
    b->base_sequence = s.next;
    b->sequence_epoch = s.epoch;
    b->sequence_reset = true;
    s.in_flight.push_back(s.next);
    s.next += static_cast<int32_t>(b->records());
  }
}

void Producer::fail_request(world::Ctx& ctx, uint32_t correlation, Errc why) {
  auto it = in_flight_.find(correlation);
  if (it == in_flight_.end()) return;
  InFlight f = std::move(it->second);
  in_flight_.erase(it);
  ctx.cancel(f.timer);
  --in_flight_slot(f.broker);
  for (Batch& b : f.batches) {
    ++errors_[why];
    retry(ctx, std::move(b), why);
  }
}

void Producer::on_message(world::Ctx& ctx, const net::Envelope& env, world::Payload&& payload) {
  const BrokerId from = ctx.world().node_id(env.src);
  brokers_to_ask_.heard_from(from);
  if (auto* r = std::get_if<ProduceResponse>(&payload)) {
    auto it = in_flight_.find(r->correlation_id);
    if (it == in_flight_.end()) return;
    InFlight f = std::move(it->second);
    in_flight_.erase(it);
    ctx.cancel(f.timer);
    --in_flight_slot(f.broker);
    for (Batch& b : f.batches) {
      const auto res = std::find_if(
          r->partitions.begin(), r->partitions.end(),
          [&](const ProducePartitionResponse& x) { return x.tp.partition == b.partition; });
      if (res == r->partitions.end()) {
        retry(ctx, std::move(b), Errc::UNKNOWN_SERVER_ERROR);
      } else {
        handle_result(ctx, std::move(b), *res);
      }
    }
    generate(ctx);
  } else if (auto* m = std::get_if<MetadataResponse>(&payload)) {
    if (!metadata_in_flight_ || m->correlation_id != metadata_correlation_) return;
    metadata_in_flight_ = false;
    metadata_at_ = ctx.now();
    if (!m->brokers.empty()) brokers_ = m->brokers;
    bool known = false;
    for (const MetadataTopic& t : m->topics) {
      // A topic with no partitions yet (its creation not fully applied on that broker) is
      // as good as unknown: ask again.
      if (t.name != cfg_.topic || t.error_code != Errc::NONE || t.partitions.empty()) continue;
      known = true;
      partitions_ = static_cast<int32_t>(t.partitions.size());
      leaders_.assign(t.partitions.size(), -1);
      for (const MetadataPartition& p : t.partitions)
        if (p.partition >= 0 && p.partition < partitions_) leaders_[p.partition] = p.leader;
    }
    if (!known) {
      ctx.set_timer(Time::from_ms(cfg_.retry_backoff_ms), metadata_timer, 0);  // not created yet
      return;
    }
    while (!unplaced_.empty()) {
      auto u = std::move(unplaced_.front());
      unplaced_.pop_front();
      std::string_view key;
      if (u.second.first) key = *u.second.first;
      const std::string_view* k = u.second.first ? &key : nullptr;
      buffered_bytes_ -= record_bytes(k, u.second.second);  // counted again in its batch
      history_[u.first].partition = place(ctx, u.first, k, u.second.second);
    }
    const bool missing_leader =
        std::any_of(leaders_.begin(), leaders_.end(), [](BrokerId b) { return b < 0; });
    if (missing_leader) ctx.set_timer(Time::from_ms(cfg_.retry_backoff_ms), metadata_timer, 0);
    send_ready(ctx);
  } else if (auto* p = std::get_if<InitProducerIdResponse>(&payload)) {
    if (!pid_in_flight_ || p->correlation_id != pid_correlation_) return;
    pid_in_flight_ = false;
    if (p->error_code == Errc::NONE) {
      producer_id_ = p->producer_id;
      producer_epoch_ = p->producer_epoch;
    }
    send_ready(ctx);
  }
}

// [SECTION] metadata and producer id
// -----------------------------------------------------------------

void Producer::request_metadata(world::Ctx& ctx) {
  if (metadata_in_flight_) return;
  std::vector<BrokerId> candidates = brokers_.empty() ? cfg_.bootstrap : brokers_;
  if (candidates.empty()) return;
  const BrokerId to = brokers_to_ask_.reachable(candidates);
  metadata_in_flight_ = true;
  metadata_correlation_ = next_correlation_++;
  MetadataRequest r;
  r.correlation_id = metadata_correlation_;
  r.topics = {cfg_.topic};
  ctx.send(to, net::MessageKind::metadata, r, 48);
  ctx.set_timer(Time::from_ms(cfg_.request_timeout_ms), request_timer, metadata_correlation_);
}

void Producer::on_timer(world::Ctx& ctx, uint16_t kind, uint64_t arg) {
  switch (kind) {
    case start_timer:
      begin(ctx);
      break;
    case gen_timer:
      gen_timer_ = {};
      generate(ctx);
      break;
    case send_timer:
      send_timer_ = {};
      send_ready(ctx);
      break;
    case expiry_timer:
      expiry_timer_ = {};
      expiry_timer_at_ = Time::max();
      if (ctx.now() >= expiry_check_at_) expire(ctx);
      if (expiry_check_at_ != Time::max()) expire_no_later(ctx, expiry_check_at_);
      break;
    case metadata_timer:
      request_metadata(ctx);
      break;
    case request_timer: {
      const auto c = static_cast<uint32_t>(arg);
      if (metadata_in_flight_ && c == metadata_correlation_) {
        metadata_in_flight_ = false;
        request_metadata(ctx);
      } else if (pid_in_flight_ && c == pid_correlation_) {
        pid_in_flight_ = false;
        send_ready(ctx);
      } else {
        fail_request(ctx, c, Errc::REQUEST_TIMED_OUT);
      }
      break;
    }
    default:
      break;
  }
  // A batch that failed on a timer may have resolved its partition's sequences.
  if (resolve_due_) send_ready(ctx);
  if (ctx.now() - metadata_at_ >= Time::from_ms(cfg_.metadata_max_age_ms) && running_)
    request_metadata(ctx);
}

void Producer::on_disconnect(world::Ctx& ctx, int32_t peer) {
  brokers_to_ask_.disconnected(peer);
  std::vector<uint32_t> broken;
  for (const auto& [c, f] : in_flight_) {
    if (f.broker == peer) broken.push_back(c);
  }
  for (uint32_t c : broken)
    fail_request(ctx, c, Errc::NETWORK_EXCEPTION);
  if (metadata_in_flight_) {
    metadata_in_flight_ = false;
    request_metadata(ctx);
  }
  if (pid_in_flight_) pid_in_flight_ = false;
  send_ready(ctx);
}

const char* Producer::timer_name(uint16_t kind) {
  // Every enumerator, no default: a timer added without a name does not compile (-Werror=switch).
  switch (static_cast<TimerKind>(kind)) {
    case start_timer:
      return "the producer start";
    case gen_timer:
      return "the record generator";
    case send_timer:
      return "the sender wake-up (linger.ms)";
    case request_timer:
      return "a request timeout";
    case metadata_timer:
      return "the metadata retry";
    case expiry_timer:
      return "the delivery.timeout.ms check";
  }
  return nullptr;
}

}  // namespace kafkasim::kafka
