// The consumer's per-key order check (engine/kafka/client/key_order.h).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kafka/client/key_order.h"

using kafkasim::kafka::KeyOrderTable;

namespace {
uint64_t origin(uint64_t producer, uint64_t seq) {
  return producer << 40 | seq;
}
}  // namespace

TEST_CASE("a record of one producer and key after a later one is out of order", "[unit][client]") {
  KeyOrderTable t;
  CHECK_FALSE(t.out_of_order("k", origin(0, 1)));
  CHECK_FALSE(t.out_of_order("k", origin(0, 5)));
  CHECK(t.out_of_order("k", origin(0, 3)));            // 5 came first
  CHECK_FALSE(t.out_of_order("k", origin(0, 6)));      // still after 5
  CHECK(t.out_of_order("k", origin(0, 5)));            // delivered again (a duplicate) is late too
  CHECK_FALSE(t.out_of_order("other", origin(0, 2)));  // another key has its own order
  CHECK(t.size() == 2);
}

TEST_CASE("records of one key from two producers are never compared", "[unit][client]") {
  KeyOrderTable t;
  CHECK_FALSE(t.out_of_order("k", origin(2, 100)));
  CHECK_FALSE(t.out_of_order("k", origin(0, 1)));  // producer 0 has no order with producer 2
  CHECK_FALSE(t.out_of_order("k", origin(0, 2)));
  // Producer 0 is still checked although producer 2 wrote the key with a higher origin.
  CHECK(t.out_of_order("k", origin(0, 1)));
  CHECK(t.out_of_order("k", origin(2, 99)));
  CHECK(t.size() == 2);
}

TEST_CASE("the key order table keeps every key as it grows, and a copy is its own",
          "[unit][client]") {
  KeyOrderTable t;
  for (uint64_t i = 0; i < 5000; ++i)
    REQUIRE_FALSE(t.out_of_order("key-" + std::to_string(i), origin(i % 3, i)));
  CHECK(t.size() == 5000);
  KeyOrderTable copy = t;
  for (uint64_t i = 0; i < 5000; ++i) {
    // Each key's last sequence is remembered: one below it is late, one above is not.
    REQUIRE(t.out_of_order("key-" + std::to_string(i), origin(i % 3, i == 0 ? 0 : i - 1)) ==
            (i != 0));
    REQUIRE_FALSE(t.out_of_order("key-" + std::to_string(i), origin(i % 3, i + 10)));
  }
  CHECK(t.size() == 5000);
  CHECK_FALSE(copy.out_of_order("key-7", origin(1, 8)));  // the copy did not see i + 10
  CHECK(copy.out_of_order("key-7", origin(1, 6)));
  CHECK_FALSE(t.out_of_order("", origin(0, 0)));  // an empty key is a key
}

TEST_CASE("keys that differ late, by a zero byte, or are longer than a slot stay apart",
          "[unit][client]") {
  KeyOrderTable t;
  using namespace std::string_literals;
  // Keys of every size up to a slot's and past it, keys that differ in the second word or by
  // a zero byte (not padding), long keys.
  std::vector<std::string> keys = {"a\0"s,
                                   "\0"s,
                                   "",
                                   std::string(300, 'k'),
                                   std::string(300, 'k') + "!",
                                   "abcdefgh-1",
                                   "abcdefgh-2",
                                   "0123456789abcdeg",
                                   "0123456789abcdef-",
                                   "0123456789abcdef+"};
  for (size_t n = 1; n <= 17; ++n) {
    keys.push_back(std::string("0123456789abcdefg").substr(0, n));
    keys.push_back(std::string(n - 1, 'x') + "y");
  }
  // Later keys get earlier sequences: a key taken for another would be reported late.
  for (size_t i = 0; i < keys.size(); ++i) {
    INFO("key " << i);
    REQUIRE_FALSE(t.out_of_order(keys[i], origin(0, 1000 - i)));
  }
  CHECK(t.size() == keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    INFO("key " << i);
    REQUIRE(t.out_of_order(keys[i], origin(0, 999 - i)));  // its own last record was later
    REQUIRE_FALSE(t.out_of_order(keys[i], origin(0, 1000 - i)));
  }
  CHECK(t.size() == keys.size());
}
