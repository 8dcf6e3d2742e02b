// The studio's tests open lessons from scenarios/ the way the studio does: loaded, built for
// the file's seed, in an AppState that runs to the lesson's end.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "app_state.h"
#include "scenario/loader.h"
#include "scenario/runner.h"

namespace kafkasim::test {

inline gui::AppState open_lesson(const std::string& file) {
  auto s = scenario::load_scenario(std::string(KAFKASIM_SCENARIO_DIR) + "/" + file);
  REQUIRE(s);
  auto w = scenario::build_world(*s, s->seed);
  REQUIRE(w);
  return gui::AppState(std::move(*w), s->duration);
}

}  // namespace kafkasim::test
