// AckedIndex: which records producers were told are written, and at which offset, by
// partition. The log strip marks acknowledged records with it, and marks red the offsets where
// an acknowledged record is no longer in the log (Kafka gave that promise up: acks=1 and a
// failover, an unclean election, a power loss).
//
// Producers keep one SentRecord per record made (Producer::history); a record's state moves
// once, from pending to acked or failed. The index reads each history once, keeping the
// indexes still pending to look at again, so a frame costs what changed, not every record ever
// made. Time travel restores older Worlds: a rewind (AppState::rewinds) starts it over.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "kafka/common/ids.h"
#include "kafka/log/partition_log.h"
#include "world/world.h"

namespace kafkasim::gui {

class AckedIndex {
 public:
  struct Acked {
    kafka::Offset offset = kafka::kNoOffset;
    uint64_t origin = 0;  // Producer::origin(producer index, sequence)
    sim::Time at;         // when the producer had the acknowledgement
  };

  /// Brings the index up to `w`; from scratch when `rewinds` differs from the last call's.
  void update(const world::World& w, uint64_t rewinds);

  /// Records acknowledged at offsets [from, to) of partition `partition` of `topic`, by offset
  /// (several at one offset when a truncation made room for another record there).
  std::vector<Acked> between(const std::string& topic, int32_t partition, kafka::Offset from,
                             kafka::Offset to) const;
  /// Every record acknowledged on that partition, by offset.
  const std::vector<Acked>& of(const std::string& topic, int32_t partition) const;

  /// Whether the record `origin` was acknowledged at `offset` (a record appended twice, after a
  /// retry, was acknowledged at one of its offsets only).
  bool acked_at(uint64_t origin, kafka::Offset offset) const;

  /// The records acknowledged on partition `tp` that its leader's log no longer holds at
  /// their offset: the promise broken (retention and compaction, which remove records by
  /// design, excluded; acked_record_lost), among those acknowledged at offsets [from, to).
  /// None while the partition has no leader.
  std::vector<Acked> lost(const world::World& w, const kafka::TopicPartitionName& tp,
                          kafka::Offset from = 0, kafka::Offset to = INT64_MAX) const;

  /// The client id of the producer that made record `origin` ("" when none).
  const std::string& client_of(uint64_t origin) const;

 private:
  struct Producer {
    uint32_t index = 0;
    std::string topic;
    std::string client_id;
    size_t scanned = 0;           // history entries looked at
    std::vector<size_t> pending;  // of those, the ones still pending then
    /// Acknowledged offset by sequence (kNoOffset: not acknowledged, or acks=0).
    std::vector<kafka::Offset> offsets;
  };
  uint64_t rewinds_ = UINT64_MAX;
  std::vector<Producer> producers_;  // by producer index
  std::map<std::pair<std::string, int32_t>, std::vector<Acked>> by_partition_;
  static inline const std::vector<Acked> none_{};
  static inline const std::string no_client_{};
};

}  // namespace kafkasim::gui
