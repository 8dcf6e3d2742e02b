#include "app_state.h"

#include <algorithm>
#include <cmath>

namespace kafkasim::gui {

void AppState::advance(double real_dt) {
  if (!playing) return;
  const double dt_ns = std::clamp(real_dt, 0.0, 0.25) * speed * 1e9;
  const sim::Time target = std::min(end, world.now() + sim::Time::from_ns(std::llround(dt_ns)));
  world.run_until(target);
  if (world.now() >= end) playing = false;
}

void AppState::step_event() {
  playing = false;
  if (world.sim().has_pending() && world.sim().next_time() <= end) world.step();
}

void AppState::submit(const world::Command& c) {
  auto ok = world.apply(c);
  status_line = ok ? "at " + sim::to_string(world.now()) + ": " + world::describe(c)
                   : "refused: " + ok.error();
}

}  // namespace kafkasim::gui
