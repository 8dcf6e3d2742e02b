// Records and record batches (magic v2 fields that matter; KAFKA_REFERENCE 1.4).
//
// A batch's records live in an immutable BatchData shared by every replica that holds the
// batch (a follower's copy of a fetched batch points at the same bytes): replication never
// copies record data, which keeps memory per stored record small, and sharing immutable data
// keeps a copied World a true snapshot.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/common/ids.h"

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

struct BatchData {
  std::string bytes;  // keys and values, back to back
  std::vector<Record> records;
  int64_t base_timestamp_ms = -1;  // the first record's
  int64_t max_timestamp_ms = 0;

  int64_t timestamp_ms(size_t i) const { return base_timestamp_ms + records[i].timestamp_delta; }

  std::optional<std::string_view> key(size_t i) const;
  std::optional<std::string_view> value(size_t i) const;
  /// Appends a record; returns its index.
  size_t add(int64_t timestamp_ms, std::optional<std::string_view> key,
             std::optional<std::string_view> value, uint64_t origin);
};

struct RecordBatch {
  Offset base_offset = 0;
  int32_t last_offset_delta = 0;
  LeaderEpoch partition_leader_epoch = kNoEpoch;  // stamped by the leader on append
  int64_t producer_id = -1;                       // NO_PRODUCER_ID
  int16_t producer_epoch = -1;
  int32_t base_sequence = -1;  // NO_SEQUENCE
  uint32_t size_bytes = 0;     // on the wire and on disk
  std::shared_ptr<const BatchData> data;

  Offset last_offset() const { return base_offset + last_offset_delta; }
  int32_t record_count() const { return data ? static_cast<int32_t>(data->records.size()) : 0; }
  /// The sequence of the last record, wrapping past Integer.MAX_VALUE to 0.
  int32_t last_sequence() const;
  bool idempotent() const { return producer_id >= 0; }
};

/// Builds a batch of `data` (offsets from 0) with its size estimated like v2's encoding:
/// a 61-byte header plus, per record, its key, value and ~10 bytes of varints.
RecordBatch make_batch(std::shared_ptr<const BatchData> data);

}  // namespace kafkasim::kafka
