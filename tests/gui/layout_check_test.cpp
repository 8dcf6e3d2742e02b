// check_layout: what --check-layout reports of the boxes one frame drew.
#include <catch2/catch.hpp>

#include "layout_check.h"

using kafkasim::gui::check_layout;
using kafkasim::gui::DrawnBox;
using kafkasim::gui::Rect;

namespace {
const Rect kWindow{0, 0, 400, 300};
DrawnBox box(const char* what, Rect r, Rect clip = kWindow) {
  return DrawnBox{"cluster", what, r, clip};
}
}  // namespace

TEST_CASE("boxes that cover each other are reported once per pair, touching ones are not",
          "[gui][layout]") {
  const auto r =
      check_layout({box("node 101", {10, 10, 50, 50}), box("caption of 101", {40, 40, 120, 60}),
                    box("node 102", {120, 10, 160, 50})});  // touches the caption
  REQUIRE(r.overlaps.size() == 1);
  CHECK(r.overlaps[0] == "cluster: node 101 overlaps cluster: caption of 101");
  CHECK(r.clipped.empty());
}

TEST_CASE("boxes of one group may overlap (a node, its badge)", "[gui][layout]") {
  DrawnBox a = box("node 101", {10, 10, 50, 50}), b = box("badge of 101", {40, 5, 55, 20});
  a.group = b.group = 7;
  CHECK(check_layout({a, b}).overlaps.empty());
  b.group = 8;
  CHECK(check_layout({a, b}).overlaps.size() == 1);
}

TEST_CASE("a box reaching out of its clip rectangle is clipped, unless that area scrolls",
          "[gui][layout]") {
  // A table cell's text wider than its column: clipped.
  auto r = check_layout({box("leader epoch header", {100, 0, 220, 20}, {100, 0, 130, 20})});
  REQUIRE(r.clipped.size() == 1);
  CHECK(r.clipped[0] == "cluster: leader epoch header is clipped (needs 120x20, has 30x20)");
  // A caption below the bottom of a view that does not scroll: clipped.
  CHECK(check_layout({box("caption of 101", {10, 290, 60, 310})}).clipped.size() == 1);
  // The same in a list that scrolls: half scrolled out of sight, or wholly; not clipped.
  DrawnBox row = box("row 9", {10, 290, 60, 310});
  row.scrolls = true;
  DrawnBox gone = box("row 30", {10, 900, 60, 920});
  gone.scrolls = true;
  CHECK(check_layout({row, gone}).clipped.empty());
  // Sideways, a table that scrolls sideways.
  DrawnBox column = box("view of 109", {500, 10, 600, 30});
  column.scrolls_x = true;
  CHECK(check_layout({column}).clipped.empty());
  // A box wider than a list that only scrolls up and down is still clipped.
  DrawnBox wide = box("reason", {10, 10, 500, 30});
  wide.scrolls = true;
  CHECK(check_layout({wide}).clipped.size() == 1);
}

TEST_CASE("what is scrolled out of sight overlaps nothing", "[gui][layout]") {
  DrawnBox gone = box("row 30", {10, 400, 60, 420});
  gone.scrolls = true;
  CHECK(
      check_layout({gone, box("legend", {0, 400, 100, 420}, {0, 390, 400, 430})}).overlaps.empty());
}
