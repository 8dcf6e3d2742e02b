#include "recording_io.h"

#include <algorithm>
#include <filesystem>

#include "record/recording.h"

namespace kafkasim::gui {

sim::Result<sim::Ok, std::string> save_recording(const AppState& app, const LessonSource& src,
                                                 const std::string& path) {
  record::Recording what;
  record::Header& h = what.header;
  h.world = src.world;
  h.scenario_file = src.file;
  h.scenario_text = src.text;
  h.seed = src.seed;
  h.until = app.world.now();
  h.until_event = app.events();
  for (const world::StampedCommand& c : src.extra)
    what.commands.push_back(record::RecordedCommand{c, 0, false});
  for (size_t i = 0; i < app.commands_applied(); ++i) {
    const UserCommand& u = app.commands()[i];
    what.commands.push_back(record::RecordedCommand{
        world::StampedCommand{u.at, u.command, false, u.after_event}, u.after_event, true});
  }
  // Re-executing is what a replay of the file will do, so the file is proven as it is written:
  // it must reach the studio's state exactly (the same events, the same trace hash).
  return record::record_by_replaying(
      path, what, record::Summary{app.world.trace_hash(), app.events(), app.world.now()});
}

std::string next_recording_path(const LessonSource& src, const std::string& dir) {
  const std::string stem = !src.world.empty() ? src.world
                           : src.file.empty() ? "kafkasim"
                                              : std::filesystem::path(src.file).stem().string();
  for (int n = 1;; ++n) {
    const std::filesystem::path p =
        std::filesystem::path(dir) / (stem + "-" + std::to_string(n) + ".db");
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return p.string();
  }
}

sim::Result<AppState, std::string> open_recording(const std::string& path, LessonSource& src) {
  auto rec = record::open_recording(path);
  if (!rec) return sim::Err{rec.error()};
  auto built = record::rebuild(*rec);
  if (!built) return sim::Err{path + ": " + built.error()};
  world::World& w = built->world;
  // Commands scheduled from the start (a fuzzer's) are not the studio's to replay.
  for (const record::RecordedCommand& c : rec->commands) {
    if (c.interactive) continue;
    if (auto ok = w.schedule(c.command.at, c.command.command); !ok)
      return sim::Err{path + ": " + ok.error()};
  }
  // A run recorded past the story's end (kafkasim run orders --until 600s) can be scrubbed to
  // where it stopped.
  const sim::Time end = std::max(built->duration, rec->header.until.value_or(sim::Time::zero()));
  AppState app(std::move(w), end);
  if (built->scenario) app.set_lesson(std::move(*built->scenario));
  std::vector<UserCommand> clicked;
  for (const record::RecordedCommand& c : rec->commands)
    if (c.interactive)
      clicked.push_back(UserCommand{c.after_event, c.command.at, c.command.command});
  app.queue_commands(std::move(clicked));
  src.world = rec->header.world;
  src.file = rec->header.scenario_file;
  src.text = rec->header.scenario_text;
  src.seed = rec->header.seed;
  src.recording = path;
  src.recorded_end = rec->summary ? std::optional<sim::Time>(rec->summary->end) : std::nullopt;
  src.extra.clear();
  for (const record::RecordedCommand& c : rec->commands)
    if (!c.interactive) src.extra.push_back(c.command);
  return app;
}

}  // namespace kafkasim::gui
