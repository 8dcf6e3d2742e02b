// The studio's recordings (docs/recording.md): save the studio's branch up to now (the lesson's
// text or built-in world and seed, the commands clicked so far with the event and time each was
// made at) to a new file, re-executed so that it holds all a `kafkasim run --record` holds
// (trace, client records, per-second metrics), and open a recording as a lesson whose clicked
// commands replay as the run reaches them. No ImGui here (kafkasim_studio_core).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app_state.h"
#include "sim/result.h"

namespace kafkasim::gui {

/// Where the studio's lesson came from: what a recording needs to re-execute it. A built-in
/// world (world::make_builtin_world) by its name, or a scenario file by its text.
struct LessonSource {
  std::string world;  // "orders", "orders-zk", "demo"; empty for a scenario file
  std::string file;
  std::string text;  // the whole scenario file
  uint64_t seed = 1;
  /// Commands a recording scheduled from the start (a fuzzer's faults): saved again with it.
  std::vector<world::StampedCommand> extra;
  /// Opened from a recording: its path, and where the recorded run ended (nullopt: it did not
  /// finish, or this is not a recording).
  std::string recording;
  std::optional<sim::Time> recorded_end;
  /// Whether there is something to record (a built-in world, or a scenario file's text).
  bool recordable() const { return !world.empty() || !text.empty(); }
};

/// Writes `app`'s branch up to now to a new file `path` (never overwriting one) by re-executing
/// it headless with a recorder; an error (and no file) if that did not reach `app`'s state.
sim::Result<sim::Ok, std::string> save_recording(const AppState& app, const LessonSource& src,
                                                 const std::string& path);

/// A path for the next save: "<dir>/<lesson file's stem or built-in world>-<n>.db", the first
/// that is free.
std::string next_recording_path(const LessonSource& src, const std::string& dir);

/// Opens a recording (of a scenario file or a built-in world) at its start, its clicked commands
/// queued to replay exactly when the run reaches them; a scenario's in lesson mode. The time
/// bar ends at the lesson's end or where the recorded run stopped, whichever is later. `src`
/// receives what saving it again needs.
sim::Result<AppState, std::string> open_recording(const std::string& path, LessonSource& src);

}  // namespace kafkasim::gui
