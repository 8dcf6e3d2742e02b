#include "kafka/log/record_batch.h"

#include <limits>

namespace kafkasim::kafka {

std::optional<std::string_view> BatchData::key(size_t i) const {
  const Record& r = records[i];
  if (r.key_size < 0) return std::nullopt;
  return std::string_view(bytes).substr(r.key_at, static_cast<size_t>(r.key_size));
}

std::optional<std::string_view> BatchData::value(size_t i) const {
  const Record& r = records[i];
  if (r.value_size < 0) return std::nullopt;
  return std::string_view(bytes).substr(r.value_at(), static_cast<size_t>(r.value_size));
}

size_t BatchData::add(int64_t timestamp_ms, std::optional<std::string_view> key,
                      std::optional<std::string_view> value, uint64_t origin) {
  Record r;
  if (records.empty()) base_timestamp_ms = timestamp_ms;
  r.timestamp_delta = static_cast<int32_t>(timestamp_ms - base_timestamp_ms);
  r.offset_delta = static_cast<int32_t>(records.size());
  r.origin = origin;
  r.key_at = static_cast<uint32_t>(bytes.size());
  if (key) {
    r.key_size = static_cast<int32_t>(key->size());
    bytes.append(*key);
  }
  if (value) {
    r.value_size = static_cast<int32_t>(value->size());
    bytes.append(*value);
  }
  if (timestamp_ms > max_timestamp_ms) max_timestamp_ms = timestamp_ms;
  records.push_back(r);
  return records.size() - 1;
}

int32_t RecordBatch::last_sequence() const {
  if (base_sequence < 0) return -1;
  const int64_t last = static_cast<int64_t>(base_sequence) + last_offset_delta;
  return static_cast<int32_t>(last > std::numeric_limits<int32_t>::max()
                                  ? last - std::numeric_limits<int32_t>::max() - 1
                                  : last);
}

RecordBatch make_batch(std::shared_ptr<const BatchData> data) {
  RecordBatch b;
  size_t bytes = 61;
  for (const Record& r : data->records) {
    bytes += 10 + static_cast<size_t>(std::max(r.key_size, 0)) +
             static_cast<size_t>(std::max(r.value_size, 0));
  }
  b.last_offset_delta = data->records.empty() ? 0 : data->records.back().offset_delta;
  b.size_bytes = static_cast<uint32_t>(bytes);
  b.data = std::move(data);
  return b;
}

}  // namespace kafkasim::kafka
