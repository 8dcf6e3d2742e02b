// The partition log: epoch cache (LeaderEpochFileCacheTest vectors), idempotent producer state
// (KAFKA_REFERENCE 7.13), segments, retention, compaction, truncation and durability.
#include <catch2/catch.hpp>

#include "kafka/log/partition_log.h"

using namespace kafkasim;
using namespace kafkasim::kafka;
using namespace kafkasim::sim::literals;

namespace {
RecordBatch batch(int n, int64_t ts_ms = 0, std::string key_prefix = "k",
                  size_t value_bytes = 100) {
  auto d = sim::make_rc<BatchData>();
  for (int i = 0; i < n; ++i) {
    d->add(ts_ms, key_prefix + std::to_string(i), std::string(value_bytes, 'v'), 0);
  }
  return make_batch(std::move(d));
}
RecordBatch keyed(const std::string& key, std::optional<std::string> value, int64_t ts_ms = 0) {
  auto d = sim::make_rc<BatchData>();
  d->add(ts_ms, key, value ? std::optional<std::string_view>(*value) : std::nullopt, 0);
  return make_batch(std::move(d));
}
RecordBatch idem(int64_t pid, int16_t epoch, int32_t first, int32_t last) {
  RecordBatch b = batch(last - first + 1);
  b.producer_id = pid;
  b.producer_epoch = epoch;
  b.base_sequence = first;
  return b;
}
LeaderEpochCache cache(std::vector<std::pair<int32_t, Offset>> entries) {
  LeaderEpochCache c;
  for (auto [e, o] : entries)
    c.assign(e, o);
  return c;
}
}  // namespace

TEST_CASE("the leader epoch cache matches LeaderEpochFileCacheTest", "[unit][log]") {
  LeaderEpochCache a = cache({{2, 11}});
  a.assign(2, 12);  // ignored: same epoch, later offset
  REQUIRE(a.end_offset_for(2, 14) == EpochEndOffset{2, 14});
  REQUIRE(cache({{1, 11}, {2, 13}, {3, 15}}).end_offset_for(2, 17) == EpochEndOffset{2, 15});
  const LeaderEpochCache c = cache({{0, 10}, {2, 13}, {4, 17}});
  REQUIRE(c.end_offset_for(1, 0) == EpochEndOffset{0, 13});
  REQUIRE(c.end_offset_for(2, 0) == EpochEndOffset{2, 17});
  REQUIRE(c.end_offset_for(3, 0) == EpochEndOffset{2, 17});
  LeaderEpochCache d = cache({{5, 11}, {6, 12}, {7, 13}});
  REQUIRE(d.end_offset_for(4, 0) == EpochEndOffset{4, 11});
  d.assign(7, 12);  // drops 6 (start offsets must increase)
  REQUIRE(d.entries() == std::vector<EpochEntry>{{5, 11}, {7, 12}});
  REQUIRE(d.end_offset_for(5, 0) == EpochEndOffset{5, 12});
  REQUIRE(d.end_offset_for(6, 0) == EpochEndOffset{5, 12});
  REQUIRE(cache({{2, 100}}).end_offset_for(3, 100) == EpochEndOffset{kNoEpoch, kNoOffset});
  REQUIRE(cache({{2, 11}, {3, 12}}).end_offset_for(kNoEpoch, 0) ==
          EpochEndOffset{kNoEpoch, kNoOffset});
  REQUIRE(LeaderEpochCache{}.end_offset_for(0, 0) == EpochEndOffset{kNoEpoch, kNoOffset});
  LeaderEpochCache e = cache({{2, 6}});
  e.assign(2, 7);
  REQUIRE(e.entries() == std::vector<EpochEntry>{{2, 6}});
}

TEST_CASE("idempotent appends follow Kafka's sequence rules (7.13)", "[unit][log]") {
  PartitionLog log;
  auto append = [&](RecordBatch b) {
    const auto v = log.check_producer(b);
    if (v.error == Errc::NONE && !v.duplicate) log.append_as_leader(b, 0, 0_s);
    return v;
  };
  REQUIRE(append(idem(1000, 0, 0, 4)).error == Errc::NONE);
  REQUIRE(log.log_end_offset() == 5);
  REQUIRE(append(idem(1000, 0, 5, 9)).error == Errc::NONE);
  const auto dup = append(idem(1000, 0, 5, 9));
  REQUIRE(dup.duplicate);
  REQUIRE(dup.first_offset == 5);
  REQUIRE(dup.last_offset == 9);
  REQUIRE(log.log_end_offset() == 10);  // nothing appended twice
  REQUIRE(append(idem(1000, 0, 11, 12)).error == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER);
  REQUIRE(append(idem(1000, 1, 0, 2)).error == Errc::NONE);
  REQUIRE(append(idem(1000, 1, 7, 7)).error == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER);
  REQUIRE(append(idem(1000, 0, 10, 10)).error == Errc::INVALID_PRODUCER_EPOCH);
  REQUIRE(append(idem(1000, 2, 5, 5)).error == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER);
}

TEST_CASE("duplicates are caught only within the last five batches", "[unit][log]") {
  PartitionLog log;
  for (int i = 0; i < 6; ++i)
    log.append_as_leader(idem(7, 0, i, i), 0, 0_s);
  REQUIRE(log.check_producer(idem(7, 0, 5, 5)).duplicate);
  REQUIRE(log.check_producer(idem(7, 0, 1, 1)).duplicate);
  REQUIRE(log.check_producer(idem(7, 0, 0, 0)).error == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER);
}

TEST_CASE("an idempotent producer's state outlives the segments retention deletes (KIP-360)",
          "[unit][log]") {
  LogConfig cfg;
  cfg.segment_ms = 1000;
  cfg.retention_ms = 5000;
  PartitionLog log(cfg);
  for (int i = 0; i < 5; ++i)
    log.append_as_leader(idem(7, 0, 2 * i, 2 * i + 1), 0, sim::Time::from_ms(i));
  log.update_high_watermark(log.log_end_offset());
  // Every segment, the active one too, is older than retention.ms: the log is emptied.
  REQUIRE(log.delete_old_segments(60_s) > 0);
  REQUIRE(log.log_start_offset() == log.log_end_offset());
  const auto still_known = [](const PartitionLog& l) {
    // A retry of the last batch is answered with its original offsets, not appended again.
    const auto retry = l.check_producer(idem(7, 0, 8, 9));
    REQUIRE(retry.duplicate);
    REQUIRE(retry.first_offset == 8);
    // The sequence still has to continue where it was.
    REQUIRE(l.check_producer(idem(7, 0, 12, 12)).error == Errc::OUT_OF_ORDER_SEQUENCE_NUMBER);
    REQUIRE(l.check_producer(idem(7, 0, 10, 10)).error == Errc::NONE);
  };
  still_known(log);
  // A restart and a truncation rebuild the state from the log start's, not from nothing.
  log.recover();
  still_known(log);
  log.append_as_leader(idem(7, 0, 10, 10), 1, 61_s);
  log.truncate_to(log.log_end_offset() - 1, 62_s);
  still_known(log);
}

TEST_CASE("segments roll at segment.bytes and segment.ms", "[unit][log]") {
  LogConfig cfg;
  cfg.segment_bytes = 2000;
  cfg.segment_ms = 1000;
  PartitionLog log(cfg);
  for (int i = 0; i < 10; ++i)
    log.append_as_leader(batch(3), 0, 0_s);  // ~400 bytes each
  REQUIRE(log.segments().size() >= 2);
  for (const Segment& s : log.segments())
    REQUIRE(s.size_bytes <= 2000);
  const size_t before = log.segments().size();
  log.append_as_leader(batch(1), 0, 2_s);  // the active segment is older than segment.ms
  REQUIRE(log.segments().size() == before + 1);
}

TEST_CASE("retention deletes whole old segments, never at or above the high watermark",
          "[unit][log]") {
  LogConfig cfg;
  cfg.segment_bytes = 1000;
  cfg.retention_ms = 60000;
  PartitionLog log(cfg);
  for (int i = 0; i < 12; ++i)
    log.append_as_leader(batch(2, /*ts*/ i < 6 ? 0 : 100000), 0, sim::Time::from_ms(i));
  REQUIRE(log.log_end_offset() == 24);
  // Nothing is committed yet: nothing may go.
  REQUIRE(log.delete_old_segments(120_s) == 0);
  log.update_high_watermark(24);
  const int deleted = log.delete_old_segments(120_s);  // records at t=0 are older than 60 s
  REQUIRE(deleted > 0);
  REQUIRE(log.log_start_offset() > 0);
  REQUIRE(log.log_start_offset() <= 12);  // the t=100 s records stay
  REQUIRE(log.read(log.log_start_offset(), log.log_end_offset(), 1 << 20).front().base_offset ==
          log.log_start_offset());
  // The deleted segments are on record, one after the other from 0 to the new log start.
  REQUIRE(log.deleted_segments().size() == static_cast<size_t>(deleted));
  CHECK(log.deleted_segments().front().first == 0);
  for (size_t i = 1; i < log.deleted_segments().size(); ++i)
    CHECK(log.deleted_segments()[i].first == log.deleted_segments()[i - 1].second);
  CHECK(log.deleted_segments().back().second == log.log_start_offset());
  REQUIRE(log.last_removal());
  CHECK(log.last_removal()->kind == LogRemoval::Kind::deleted);
  CHECK(log.last_removal()->from == 0);
  CHECK(log.last_removal()->to == log.log_start_offset());
  // Size retention: keep at most ~1 segment.
  LogConfig by_size = cfg;
  by_size.retention_ms = -1;
  by_size.retention_bytes = 1000;
  PartitionLog big(by_size);
  for (int i = 0; i < 12; ++i)
    big.append_as_leader(batch(2), 0, 0_s);
  big.update_high_watermark(big.log_end_offset());
  big.delete_old_segments(0_s);
  // Kafka's rule deletes a segment only while the rest still holds retention.bytes: what is
  // left is at least retention.bytes, and less than that plus its oldest segment.
  REQUIRE(big.size_bytes() >= 1000);
  REQUIRE(big.size_bytes() - big.segments().front().size_bytes < 1000);
  REQUIRE(big.high_watermark() >= big.log_start_offset());
}

TEST_CASE("compaction keeps the latest value per key, and drops old tombstones", "[unit][log]") {
  LogConfig cfg;
  cfg.cleanup_delete = false;
  cfg.cleanup_compact = true;
  cfg.segment_bytes = 300;
  cfg.delete_retention_ms = 1000;
  PartitionLog log(cfg);
  log.append_as_leader(keyed("a", "1"), 0, 0_s);
  log.append_as_leader(keyed("b", "1"), 0, 0_s);
  log.append_as_leader(keyed("a", "2"), 0, 0_s);
  log.append_as_leader(keyed("b", std::nullopt), 0, 0_s);  // tombstone for b
  log.append_as_leader(keyed("c", "1"), 0, 0_s);
  for (int i = 0; i < 5; ++i)
    log.append_as_leader(keyed("z" + std::to_string(i), "x"), 0, 0_s);
  log.update_high_watermark(log.log_end_offset());
  REQUIRE(log.maybe_compact(10_s) >= 2);
  std::map<std::string, std::pair<Offset, bool>> seen;
  for (const RecordBatch& b : log.read(0, log.log_end_offset(), 1 << 20)) {
    for (size_t i = 0; i < b.data->size(); ++i) {
      seen[std::string(*b.data->key(i))] = {b.base_offset + b.data->records()[i].offset_delta,
                                            b.data->value(i).has_value()};
    }
  }
  REQUIRE(seen["a"].first == 2);        // the latest a survives at its own offset
  REQUIRE(seen.count("b") == 0);        // the tombstone is older than delete.retention.ms
  REQUIRE(log.log_end_offset() == 10);  // offsets never change
}

TEST_CASE("truncation removes whole batches and the epoch cache follows", "[unit][log]") {
  PartitionLog log;
  log.append_as_leader(batch(2), 0, 0_s);  // 0-1
  log.append_as_leader(batch(2), 1, 0_s);  // 2-3
  log.append_as_leader(batch(2), 3, 0_s);  // 4-5
  REQUIRE(log.epochs().entries() == std::vector<EpochEntry>{{0, 0}, {1, 2}, {3, 4}});
  REQUIRE(!log.last_removal());
  log.truncate_to(3, 1_s);  // inside the 2-3 batch: it goes whole
  REQUIRE(log.log_end_offset() == 2);
  REQUIRE(log.epochs().entries() == std::vector<EpochEntry>{{0, 0}});
  REQUIRE(log.last_batch_epoch() == 0);
  // What went is on record for those who watch: [2, 6) at 1 s.
  REQUIRE(log.last_removal());
  CHECK(log.last_removal()->kind == LogRemoval::Kind::truncated);
  CHECK(log.last_removal()->from == 2);
  CHECK(log.last_removal()->to == 6);
  CHECK(log.last_removal()->at == 1_s);
}

TEST_CASE("a crash keeps the page cache, a power loss keeps only what was flushed", "[unit][log]") {
  LogConfig cfg;
  cfg.os_dirty_expire_ms = 30000;
  PartitionLog log(cfg);
  log.append_as_leader(batch(1), 0, 0_s);
  log.flush(1_s);
  log.append_as_leader(batch(1), 0, 2_s);
  log.append_as_leader(batch(1), 0, 40_s);
  REQUIRE(log.durable_end(41_s) == 2);  // the t=2 s write was written back by the OS at 32 s
  PartitionLog crashed = log;           // kill -9: the page cache survives, nothing to do
  REQUIRE(crashed.log_end_offset() == 3);
  log.lose_unflushed(41_s);
  REQUIRE(log.log_end_offset() == 2);
  LogConfig every = cfg;
  every.flush_messages = 1;  // flush.messages=1: every append is fsynced
  PartitionLog safe(every);
  safe.append_as_leader(batch(1), 0, 0_s);
  safe.lose_unflushed(0_s);
  REQUIRE(safe.log_end_offset() == 1);
}

TEST_CASE("reads stop at the limit offset on batch boundaries", "[unit][log]") {
  PartitionLog log;
  for (int i = 0; i < 4; ++i)
    log.append_as_leader(batch(3), 0, 0_s);      // 0-2, 3-5, 6-8, 9-11
  REQUIRE(log.read(4, 9, 1 << 20).size() == 2);  // 3-5 (holds 4) and 6-8
  REQUIRE(log.read(0, 12, 1).size() == 1);       // at least one batch by default
  REQUIRE(log.read(0, 12, 1, false).empty());    // not once a response holds records (KIP-74)
  const uint32_t one = log.read(0, 12, 1).front().size_bytes;
  REQUIRE(log.read(0, 12, 2 * one, false).size() == 2);
  REQUIRE(log.read(12, 12, 1 << 20).empty());
  // What a held fetch counts: the bytes of those batches, no further than asked.
  REQUIRE(log.readable_bytes(0, 12, 1 << 20, SIZE_MAX) == 4 * size_t{one});
  REQUIRE(log.readable_bytes(0, 12, 1 << 20, one + 1) == 2 * size_t{one});
  REQUIRE(log.readable_bytes(3, 9, 1 << 20, SIZE_MAX) == 2 * size_t{one});
  REQUIRE(log.readable_bytes(0, 12, 1, SIZE_MAX) == one);
}

TEST_CASE("a batch body keeps its records as it grows, is copied whole and trimmed",
          "[unit][log]") {
  BatchData d;
  d.reserve(2, 8);  // too small: adding must grow both parts
  for (int i = 0; i < 100; ++i) {
    const std::string value = i % 7 == 3 ? "" : std::string(static_cast<size_t>(i), 'a' + i % 26);
    d.add(1000 + i,
          i % 5 == 0 ? std::nullopt : std::optional<std::string>("key-" + std::to_string(i)),
          i % 7 == 3 ? std::nullopt : std::optional<std::string_view>(value),
          static_cast<uint64_t>(i));
  }
  auto check = [](const BatchData& b) {
    REQUIRE(b.size() == 100);
    for (size_t i = 0; i < 100; ++i) {
      const int n = static_cast<int>(i);
      REQUIRE(b.records()[i].origin == i);
      REQUIRE(b.records()[i].offset_delta == n);
      REQUIRE(b.timestamp_ms(i) == 1000 + n);
      if (n % 5 == 0) {
        REQUIRE_FALSE(b.key(i).has_value());
      } else {
        REQUIRE(*b.key(i) == "key-" + std::to_string(n));
      }
      if (n % 7 == 3) {
        REQUIRE_FALSE(b.value(i).has_value());  // a tombstone
      } else {
        REQUIRE(*b.value(i) == std::string(i, static_cast<char>('a' + n % 26)));
      }
    }
    REQUIRE(b.max_timestamp_ms == 1099);
  };
  check(d);
  const BatchData copy = d;
  check(copy);
  // A copy is exactly sized: what a producer sends of a batch written in a roomier body.
  REQUIRE(copy.capacity_bytes() == copy.size() * sizeof(Record) + copy.bytes().size());
  REQUIRE(copy.capacity_bytes() < d.capacity_bytes());
  d.set_offset_delta(99, 150);  // compaction keeps offsets
  REQUIRE(d.records()[99].offset_delta == 150);
  REQUIRE(copy.records()[99].offset_delta == 99);
  // Cleared, a body keeps its room, and records added again start over.
  const size_t room = d.capacity_bytes();
  d.clear();
  REQUIRE(d.empty());
  REQUIRE(d.bytes().empty());
  REQUIRE(d.capacity_bytes() == room);
  d.add(5000, std::string_view("k"), std::string_view("v"), 7);
  d.add(5003, std::nullopt, std::string_view("w"), 8);
  REQUIRE(d.capacity_bytes() == room);
  REQUIRE(d.size() == 2);
  REQUIRE(d.records()[1].offset_delta == 1);
  REQUIRE(d.timestamp_ms(1) == 5003);
  REQUIRE(d.max_timestamp_ms == 5003);
  REQUIRE(*d.key(0) == "k");
  REQUIRE(*d.value(1) == "w");
  BatchData moved = std::move(d);
  REQUIRE(moved.size() == 2);
  REQUIRE(*moved.value(0) == "v");
  check(copy);
}

TEST_CASE("a stored record costs well under 200 bytes with 100-byte values", "[unit][log]") {
  auto d = sim::make_rc<BatchData>();
  for (int i = 0; i < 1000; ++i)
    d->add(0, "order-" + std::to_string(i), std::string(100, 'x'), 0);
  const size_t per_record = (16 + sizeof(BatchData) + d->capacity_bytes()) / 1000;
  INFO("bytes per record: " << per_record);
  REQUIRE(per_record < 200);
  const BatchData sent = *d;  // what a producer sends of a finished batch
  size_t keys = 0;
  for (int i = 0; i < 1000; ++i)
    keys += ("order-" + std::to_string(i)).size();
  // Exactly sized, a body holds its record headers, keys and values and nothing more.
  REQUIRE(sent.capacity_bytes() == 1000 * (sizeof(Record) + 100) + keys);
}
