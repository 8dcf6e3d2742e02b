#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "sim/event_queue.h"
#include "sim/rng.h"

using namespace kafkasim::sim;
using namespace kafkasim::sim::literals;

namespace {
Event at(Time t, uint32_t tag) {
  Event e;
  e.at = t;
  e.a = tag;
  return e;
}
}  // namespace

TEST_CASE("events pop in time order", "[unit][queue]") {
  EventQueue q;
  q.push(at(30_ms, 3));
  q.push(at(10_ms, 1));
  q.push(at(20_ms, 2));
  REQUIRE(q.pop().a == 1);
  REQUIRE(q.pop().a == 2);
  REQUIRE(q.pop().a == 3);
  REQUIRE(q.empty());
}

TEST_CASE("events at the same time pop by priority, then insertion order", "[unit][queue]") {
  EventQueue q;
  q.push(at(5_ms, 1), Priority::normal);
  q.push(at(5_ms, 2), Priority::normal);
  q.push(at(5_ms, 3), Priority::command);
  q.push(at(5_ms, 4), Priority::system);
  q.push(at(5_ms, 5), Priority::normal);
  std::vector<uint32_t> order;
  while (!q.empty())
    order.push_back(q.pop().a);
  REQUIRE(order == std::vector<uint32_t>{3, 4, 1, 2, 5});
}

TEST_CASE("a random workload pops exactly in (time, order) order", "[unit][queue]") {
  Rng rng(7, "queue-test");
  EventQueue q;
  std::vector<Event> reference;
  for (uint32_t i = 0; i < 5000; ++i) {
    Event e = at(Time::from_us(static_cast<int64_t>(rng.uniform(200))), i);
    q.push(e);
    e.order = i | (uint64_t{128} << 56);
    reference.push_back(e);
    if (i % 3 == 0) {  // interleave pops, as a simulation does
      const Event popped = q.pop();
      auto it = std::min_element(reference.begin(), reference.end(), EventQueue::before);
      REQUIRE(popped.a == it->a);
      reference.erase(it);
    }
  }
  std::sort(reference.begin(), reference.end(), EventQueue::before);
  for (const Event& e : reference)
    REQUIRE(q.pop().a == e.a);
  REQUIRE(q.empty());
}

TEST_CASE("removing dead events keeps the rest in exactly their pop order", "[unit][queue]") {
  Rng rng(11, "queue-remove");
  EventQueue q;
  std::vector<Event> reference;
  for (uint32_t i = 0; i < 3000; ++i) {
    Event e = at(Time::from_us(static_cast<int64_t>(rng.uniform(500))), i);
    q.push(e);
    e.order = i | (uint64_t{128} << 56);
    reference.push_back(e);
  }
  for (int k = 0; k < 100; ++k)
    (void)q.pop();
  std::sort(reference.begin(), reference.end(), EventQueue::before);
  reference.erase(reference.begin(), reference.begin() + 100);
  auto dead = [](const Event& e) { return e.a % 3 == 1; };
  const size_t removed = q.remove_if(dead);
  REQUIRE(removed == static_cast<size_t>(std::count_if(reference.begin(), reference.end(), dead)));
  reference.erase(std::remove_if(reference.begin(), reference.end(), dead), reference.end());
  REQUIRE(q.size() == reference.size());
  for (const Event& e : reference)
    REQUIRE(q.pop().a == e.a);
  REQUIRE(q.empty());
  REQUIRE(q.remove_if(dead) == 0);
}
