// The studio's command line parsed into Options (the window-free half of kafkasim-gui).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "options.h"

using namespace kafkasim;

namespace {
std::optional<std::string> parse(std::vector<std::string> args, gui::Options& o) {
  args.insert(args.begin(), "kafkasim-gui");
  std::vector<char*> argv;
  for (std::string& a : args)
    argv.push_back(a.data());
  return gui::parse(static_cast<int>(argv.size()), argv.data(), o);
}
}  // namespace

TEST_CASE("the speed slow-motion and hide options reach Options", "[studio][options]") {
  gui::Options o;
  REQUIRE_FALSE(parse({"--speed", "5", "--slow-motion", "0.4", "--hide", "cluster,side"}, o));
  REQUIRE(o.speed);
  CHECK(*o.speed == 5.0);
  CHECK(o.slow_motion == 0.4);
  CHECK(o.hide_cluster);
  CHECK_FALSE(o.hide_details);
  CHECK(o.hide_side);

  gui::Options only_slow;
  REQUIRE_FALSE(parse({"--slow-motion", "2"}, only_slow));
  CHECK_FALSE(only_slow.speed);
  CHECK(only_slow.slow_motion == 2.0);
}
