#include "kafka/metadata/placement.h"

#include <algorithm>
#include <set>

namespace kafkasim::kafka {

namespace {
int32_t replica_index(int32_t first, int32_t shift, int32_t j, int32_t n) {
  return (first + 1 + (shift + j) % (n - 1)) % n;
}
}  // namespace

std::vector<BrokerId> rack_alternated(const std::map<BrokerId, std::string>& racks) {
  std::map<std::string, std::vector<BrokerId>> by_rack;  // both sorted
  for (const auto& [b, r] : racks)
    by_rack[r].push_back(b);
  std::vector<BrokerId> out;
  for (size_t round = 0; out.size() < racks.size(); ++round) {
    for (const auto& [r, bs] : by_rack) {
      if (round < bs.size()) out.push_back(bs[round]);
    }
  }
  return out;
}

sim::Result<std::vector<std::vector<BrokerId>>, std::string> assign_replicas(
    int32_t partitions, int32_t replication_factor, std::vector<BrokerId> brokers,
    const std::map<BrokerId, std::string>& racks, sim::Rng& rng, int32_t start,
    int32_t first_partition) {
  std::sort(brokers.begin(), brokers.end());
  const auto n = static_cast<int32_t>(brokers.size());
  if (partitions < 1) return sim::Err{std::string("the number of partitions must be at least 1")};
  if (replication_factor < 1)
    return sim::Err{std::string("the replication factor must be at least 1")};
  if (replication_factor > n) {
    return sim::Err{"replication factor " + std::to_string(replication_factor) +
                    " is larger than the " + std::to_string(n) + " available brokers"};
  }
  const int32_t start_index = start >= 0 ? start % n : static_cast<int32_t>(rng.uniform(n));
  int32_t shift = start >= 0 ? start % n : static_cast<int32_t>(rng.uniform(n));
  std::vector<std::vector<BrokerId>> out;

  size_t with_rack = 0;
  for (BrokerId b : brokers)
    with_rack += racks.count(b);
  const int32_t end = first_partition + partitions;
  if (with_rack == 0 || n == 1) {
    for (int32_t p = first_partition; p < end; ++p) {
      if (p > 0 && p % n == 0) ++shift;
      const int32_t first = (p + start_index) % n;
      std::vector<BrokerId> replicas = {brokers[first]};
      for (int32_t j = 0; j < replication_factor - 1; ++j) {
        replicas.push_back(brokers[replica_index(first, shift, j, n)]);
      }
      out.push_back(std::move(replicas));
    }
    return out;
  }
  if (with_rack != brokers.size()) {
    return sim::Err{std::string("either every broker has a rack or none does")};
  }
  std::map<BrokerId, std::string> rack_of;
  for (BrokerId b : brokers)
    rack_of[b] = racks.at(b);
  const std::vector<BrokerId> arranged = rack_alternated(rack_of);
  std::set<std::string> all_racks;
  for (const auto& [b, r] : rack_of)
    all_racks.insert(r);
  const auto num_racks = static_cast<int32_t>(all_racks.size());
  for (int32_t p = first_partition; p < end; ++p) {
    if (p > 0 && p % n == 0) ++shift;
    const int32_t first = (p + start_index) % n;
    const BrokerId leader = arranged[first];
    std::vector<BrokerId> replicas = {leader};
    std::set<std::string> racks_used = {rack_of[leader]};
    std::set<BrokerId> brokers_used = {leader};
    int32_t k = 0;
    for (int32_t j = 0; j < replication_factor - 1; ++j) {
      for (;;) {
        const BrokerId b = arranged[replica_index(first, shift * num_racks, k, n)];
        const std::string& r = rack_of[b];
        ++k;
        const bool rack_ok =
            !racks_used.count(r) || static_cast<int32_t>(racks_used.size()) == num_racks;
        const bool broker_ok =
            !brokers_used.count(b) || static_cast<int32_t>(brokers_used.size()) == num_racks;
        if (rack_ok && broker_ok) {
          replicas.push_back(b);
          racks_used.insert(r);
          brokers_used.insert(b);
          break;
        }
      }
    }
    out.push_back(std::move(replicas));
  }
  return out;
}

}  // namespace kafkasim::kafka
