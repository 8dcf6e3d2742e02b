#include "kafka/common/ids.h"

namespace kafkasim::kafka {

std::string to_string(const std::vector<BrokerId>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(ids[i]);
  }
  s += ']';
  return s;
}

}  // namespace kafkasim::kafka
