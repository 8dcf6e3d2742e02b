#include "kafka/log/record_batch.h"

#include <algorithm>
#include <limits>

#include "sim/assert.h"

namespace kafkasim::kafka {

BatchData::BatchData(const BatchData& o)
    : base_timestamp_ms(o.base_timestamp_ms), max_timestamp_ms(o.max_timestamp_ms) {
  reserve(o.count_, o.bytes_size_);
  std::copy_n(o.records().data(), o.count_, records_mut());
  std::copy_n(o.bytes_begin(), o.bytes_size_, block_ + records_cap_ * sizeof(Record));
  count_ = o.count_;
  bytes_size_ = o.bytes_size_;
}

std::optional<std::string_view> BatchData::key(size_t i) const {
  const Record& r = records()[i];
  if (r.key_size < 0) return std::nullopt;
  return bytes().substr(r.key_at, static_cast<size_t>(r.key_size));
}

std::optional<std::string_view> BatchData::value(size_t i) const {
  const Record& r = records()[i];
  if (r.value_size < 0) return std::nullopt;
  return bytes().substr(r.value_at(), static_cast<size_t>(r.value_size));
}

void BatchData::reserve(size_t records, size_t bytes) {
  if (records <= records_cap_ && bytes <= bytes_cap_) return;
  reallocate(std::max<size_t>(records, records_cap_), std::max<size_t>(bytes, bytes_cap_));
}

void BatchData::reallocate(size_t records, size_t bytes) {
  SIM_ASSERT(records >= count_ && bytes >= bytes_size_, "a batch body keeps its records");
  SIM_ASSERT(bytes <= std::numeric_limits<uint32_t>::max() &&
                 records <= std::numeric_limits<uint32_t>::max(),
             "a batch body under 4 GiB");
  if (records == records_cap_ && bytes == bytes_cap_) return;
  char* block = nullptr;
  if (records + bytes > 0) {
    block = static_cast<char*>(::operator new(records * sizeof(Record) + bytes));
    std::copy_n(records_mut(), count_, reinterpret_cast<Record*>(block));
    std::copy_n(bytes_begin(), bytes_size_, block + records * sizeof(Record));
  }
  ::operator delete(block_);
  block_ = block;
  records_cap_ = static_cast<uint32_t>(records);
  bytes_cap_ = static_cast<uint32_t>(bytes);
}

size_t BatchData::add(int64_t timestamp_ms, const char* key, int64_t key_size, const char* value,
                      int64_t value_size, uint64_t origin) {
  const size_t need =
      static_cast<size_t>(std::max<int64_t>(key_size, 0) + std::max<int64_t>(value_size, 0));
  if (count_ == records_cap_ || bytes_size_ + need > bytes_cap_) {
    // Grow the part that is full like a vector: twice the room, or what this record needs.
    reallocate(
        count_ == records_cap_ ? std::max<size_t>(4, 2 * size_t{records_cap_}) : records_cap_,
        bytes_size_ + need > bytes_cap_
            ? std::max<size_t>(bytes_size_ + need, 2 * size_t{bytes_cap_})
            : bytes_cap_);
  }
  Record r;
  if (count_ == 0) base_timestamp_ms = timestamp_ms;
  r.timestamp_delta = static_cast<int32_t>(timestamp_ms - base_timestamp_ms);
  r.offset_delta = static_cast<int32_t>(count_);
  r.origin = origin;
  r.key_at = bytes_size_;
  char* out = block_ + records_cap_ * sizeof(Record) + bytes_size_;
  r.key_size = static_cast<int32_t>(key_size);
  r.value_size = static_cast<int32_t>(value_size);
  if (key_size > 0) out = std::copy_n(key, key_size, out);
  if (value_size > 0) std::copy_n(value, value_size, out);
  bytes_size_ += static_cast<uint32_t>(need);
  if (timestamp_ms > max_timestamp_ms) max_timestamp_ms = timestamp_ms;
  records_mut()[count_] = r;
  return count_++;
}

int32_t RecordBatch::last_sequence() const {
  if (base_sequence < 0) return -1;
  const int64_t last = static_cast<int64_t>(base_sequence) + last_offset_delta;
  return static_cast<int32_t>(last > std::numeric_limits<int32_t>::max()
                                  ? last - std::numeric_limits<int32_t>::max() - 1
                                  : last);
}

RecordBatch make_batch(sim::Rc<const BatchData> data) {
  RecordBatch b;
  size_t bytes = 61;
  for (const Record& r : data->records()) {
    bytes += 10 + static_cast<size_t>(std::max(r.key_size, 0)) +
             static_cast<size_t>(std::max(r.value_size, 0));
  }
  b.last_offset_delta = data->empty() ? 0 : data->records().back().offset_delta;
  b.size_bytes = static_cast<uint32_t>(bytes);
  b.data = std::move(data);
  return b;
}

}  // namespace kafkasim::kafka
