// The engine: the one loop under serve, watch and the dashboard. It owns the clock, the
// system sampler (a reading every second), the key rounds (every round interval, counted from
// the start of each), readiness and stopping; the front-ends only turn what it reports into
// metrics, notifications or a screen, and never run a loop of their own.
//
//   auto engine = engine::Engine::start(settings, {.round_interval = 5min}, {
//       .round = [](const Round& round, const EngineState& now) { ... },  // rounds thread
//       .sample = [](const EngineState& now) { ... },                     // sampler thread
//       .log = [](std::string_view line) { ... }});
//   ... (*engine)->state(), (*engine)->current_report() ...
//   (*engine)->stop(1s);
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"
#include "engine/engine_state.hpp"
#include "engine/round.hpp"

namespace devops_monitor::engine {

struct EngineOptions {
  /// Between the starts of two rounds; a round that took longer is followed at once.
  Milliseconds round_interval{5 * 60 * 1000};
  /// Measure the system every second in the background, and judge each round with the latest
  /// reading, CPU on its rolling average over settings.cpu_average (serve, watch, the
  /// dashboard). Off: each round measures the system over the CPU window, as a check does.
  bool sample_system = true;
  /// With sample_system: sample only during the cpu_average span before each round (watch,
  /// whose rounds are the only readers of its readings): between rounds the sampler sleeps,
  /// so a daemon checking hourly does not wake every second. The CPU average a round sees is
  /// the same, since the ring keeps only the span's newest readings.
  bool sample_only_before_rounds = false;
  /// Keep each round's report in the report directory (also needs settings.save_report).
  bool keep_reports = true;
};

struct EngineListeners {
  /// After each round (not after a cancelled one), with the state that includes it; on the
  /// rounds thread. A slow listener delays the next round, never a reading.
  std::function<void(const Round&, const EngineState&)> round{};
  /// After each system reading, with the state that includes it; on the sampler thread.
  std::function<void(const EngineState&)> sample{};
  /// Problems worth a line: a reading that could not be taken (once, until it changes), a
  /// round's warnings, a report not kept, a round longer than the interval. Outside text, not
  /// yet made printable. Not called once stopping.
  std::function<void(std::string_view line)> log{};
};

class Engine {
 public:
  /// Checks the settings; with sample_system, takes the first reading (failing, naming the
  /// file or path, where a check would fail). Then the sampler and the first round start.
  static Result<std::unique_ptr<Engine>> start(Settings settings, EngineOptions options,
                                               EngineListeners listeners);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  /// stop(0) when not stopped.
  ~Engine();

  /// A copy of what the engine knows now. Never waits for a measurement or a round.
  [[nodiscard]] EngineState state() const;
  /// compose_report(state, thresholds, host) with the engine's thresholds and host: the
  /// report of the moment `state` was taken.
  [[nodiscard]] Report report_of(const EngineState& state) const;
  /// The settings rounds use now (reload() replaces them).
  [[nodiscard]] Settings settings() const;

  /// New settings and interval, from the next round on; the round running now finishes with
  /// the old ones. The next round starts `round_interval` after the last one started.
  void reload(Settings settings, Milliseconds round_interval);

  /// Stops sampling and rounds; a round in flight is cancelled (its requests abandoned, nothing
  /// kept). Waits up to `grace` for the threads, then lets them go (a disk probe stuck in a
  /// mount holds only its own share of the state). True when both ended. Idempotent.
  bool stop(Milliseconds grace);

  struct Shared;

 private:
  explicit Engine(std::shared_ptr<Shared> shared);
  std::shared_ptr<Shared> shared_;
  struct Workers;
  std::unique_ptr<Workers> workers_;
  bool stopped_ = false;
  bool ended_ = false;  // what stop() found
};

}  // namespace devops_monitor::engine
