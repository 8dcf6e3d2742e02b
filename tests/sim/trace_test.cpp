#include <catch2/catch.hpp>

#include "sim/trace.h"

using namespace kafkasim::sim;
using namespace kafkasim::sim::literals;

TEST_CASE("the trace fingerprint depends on every field and on order", "[unit][trace]") {
  auto make = [](int variant) {
    Trace t;
    t.add(1_s, 101, TraceKind::node_crash, "broker 101 crashed");
    if (variant == 1) {
      t.add(2_s, 102, TraceKind::note, "b");
      t.add(2_s, 102, TraceKind::note, "a");
    } else {
      t.add(2_s, 102, TraceKind::note, "a");
      t.add(2_s, 102, TraceKind::note, variant == 2 ? "c" : "b");
    }
    return t.hash();
  };
  REQUIRE(make(0) == make(0));
  REQUIRE(make(0) != make(1));  // order
  REQUIRE(make(0) != make(2));  // text
  Trace a, b;
  a.add(1_s, 1, TraceKind::note, "x");
  b.add(1_s, 2, TraceKind::note, "x");
  REQUIRE(a.hash() != b.hash());  // node
}

TEST_CASE("a trace that does not keep records still fingerprints them", "[unit][trace]") {
  Trace keep, drop;
  drop.set_keep_records(false);
  keep.add(1_s, 1, TraceKind::note, "x");
  drop.add(1_s, 1, TraceKind::note, "x");
  REQUIRE(keep.hash() == drop.hash());
  REQUIRE(keep.records().size() == 1);
  REQUIRE(drop.records().empty());
  REQUIRE(drop.count() == 1);
}
