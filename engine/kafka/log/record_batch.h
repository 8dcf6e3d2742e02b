// Records and record batches (magic v2 fields that matter; KAFKA_REFERENCE 1.4).
//
// A batch's records live in an immutable BatchData shared by every replica that holds the
// batch (a follower's copy of a fetched batch points at the same bytes): replication never
// copies record data, which keeps memory per stored record small, and sharing immutable data
// keeps a copied World a true snapshot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "kafka/common/ids.h"
#include "sim/rc.h"

namespace kafkasim::kafka {

/// One record of a batch (v2 keeps deltas too): its key and value are in the batch's bytes,
/// the value right after the key.
struct Record {
  int32_t timestamp_delta = 0;  // CreateTime, ms after the batch's base timestamp
  int32_t offset_delta = 0;     // offset = batch base offset + delta (compaction leaves gaps)
  uint32_t key_at = 0;
  int32_t key_size = -1;    // -1: null key
  int32_t value_size = -1;  // -1: null value (a tombstone)
  /// Which client record this is (producer index << 40 | its sequence), a header the
  /// simulator adds so lost, duplicated and reordered records can be counted.
  uint64_t origin = 0;
  uint32_t value_at() const { return key_at + static_cast<uint32_t>(std::max(key_size, 0)); }
};
static_assert(sizeof(Record) == 32, "a stored record's overhead stays small");

/// A batch's records and their keys and values, in one heap block: the records, then the bytes
/// (keys and values back to back). One allocation per batch body, and no slack in an exactly
/// sized copy (what a producer sends): the logs keep millions of them.
class BatchData {
 public:
  BatchData() = default;
  BatchData(const BatchData& o);  // a deep copy, exactly sized
  BatchData(BatchData&& o) noexcept { swap(o); }
  BatchData& operator=(BatchData o) noexcept {
    swap(o);
    return *this;
  }
  ~BatchData() { ::operator delete(block_); }

  int64_t base_timestamp_ms = -1;  // the first record's
  int64_t max_timestamp_ms = 0;

  std::span<const Record> records() const {
    return {reinterpret_cast<const Record*>(block_), count_};
  }
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  /// Every record's key and value bytes, back to back.
  std::string_view bytes() const { return {bytes_begin(), bytes_size_}; }
  /// Heap bytes held (the memory measure's).
  size_t capacity_bytes() const { return records_cap_ * sizeof(Record) + bytes_cap_; }

  int64_t timestamp_ms(size_t i) const { return base_timestamp_ms + records()[i].timestamp_delta; }
  std::optional<std::string_view> key(size_t i) const;
  std::optional<std::string_view> value(size_t i) const;

  /// Room for `records` records with `bytes` key and value bytes in all, so that adding them
  /// allocates nothing more.
  void reserve(size_t records, size_t bytes);
  /// Empties the body, keeping its room for records to come.
  void clear() {
    count_ = bytes_size_ = 0;
    base_timestamp_ms = -1;
    max_timestamp_ms = 0;
  }
  /// Appends a record (its offset delta: its index); returns its index.
  size_t add(int64_t timestamp_ms, std::optional<std::string_view> key,
             std::optional<std::string_view> value, uint64_t origin) {
    return add(timestamp_ms, key ? key->data() : nullptr,
               key ? static_cast<int64_t>(key->size()) : -1, value ? value->data() : nullptr,
               value ? static_cast<int64_t>(value->size()) : -1, origin);
  }
  /// The same with sizes of -1 for a null key or value (scalars: no optional passed in memory
  /// on the path every produced record takes).
  size_t add(int64_t timestamp_ms, const char* key, int64_t key_size, const char* value,
             int64_t value_size, uint64_t origin);
  /// Compaction keeps a record's offset when the records before it are gone.
  void set_offset_delta(size_t i, int32_t delta) { records_mut()[i].offset_delta = delta; }

 private:
  Record* records_mut() { return reinterpret_cast<Record*>(block_); }
  const char* bytes_begin() const { return block_ + records_cap_ * sizeof(Record); }
  void reallocate(size_t records, size_t bytes);
  void swap(BatchData& o) noexcept {
    std::swap(base_timestamp_ms, o.base_timestamp_ms);
    std::swap(max_timestamp_ms, o.max_timestamp_ms);
    std::swap(block_, o.block_);
    std::swap(count_, o.count_);
    std::swap(records_cap_, o.records_cap_);
    std::swap(bytes_size_, o.bytes_size_);
    std::swap(bytes_cap_, o.bytes_cap_);
  }

  char* block_ = nullptr;  // records_cap_ records, then bytes_cap_ bytes
  uint32_t count_ = 0;
  uint32_t records_cap_ = 0;
  uint32_t bytes_size_ = 0;
  uint32_t bytes_cap_ = 0;
};

struct RecordBatch {
  Offset base_offset = 0;
  int32_t last_offset_delta = 0;
  LeaderEpoch partition_leader_epoch = kNoEpoch;  // stamped by the leader on append
  int64_t producer_id = -1;                       // NO_PRODUCER_ID
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;  // NO_SEQUENCE
  uint32_t size_bytes = 0;     // on the wire and on disk
  sim::Rc<const BatchData> data;

  Offset last_offset() const { return base_offset + last_offset_delta; }
  int32_t record_count() const { return data ? static_cast<int32_t>(data->size()) : 0; }
  /// The sequence of the last record, wrapping past Integer.MAX_VALUE to 0.
  int32_t last_sequence() const;
  bool idempotent() const { return producer_id >= 0; }
};

/// Builds a batch of `data` (offsets from 0) with its size estimated like v2's encoding:
/// a 61-byte header plus, per record, its key, value and ~10 bytes of varints.
RecordBatch make_batch(sim::Rc<const BatchData> data);

}  // namespace kafkasim::kafka
