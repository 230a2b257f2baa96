// The engine's two threads: the sampler (a system reading every second) and the rounds (the
// check every round interval). Both fill one EngineState under a mutex that no measurement, no
// request and no listener ever holds, so state() never waits.
#include "engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "check/take_snapshot.hpp"
#include "config/settings_check.hpp"
#include "devops_monitor/text.hpp"
#include "engine/system_sampler.hpp"
#include "engine/worker.hpp"
#include "util/guard.hpp"

namespace devops_monitor::engine {
namespace {

// CPU use is the busy share between two ticks: readings are at most this old.
constexpr Milliseconds kSampleTick = SystemSampler::kTick;

}  // namespace

struct Engine::Shared {
  Shared(Settings s, EngineOptions o, EngineListeners l)
      : options(o),
        listeners(std::move(l)),
        host(this_host_name()),
        settings(std::make_shared<const Settings>(std::move(s))) {
    interval = options.round_interval;
  }

  const EngineOptions options;
  const EngineListeners listeners;
  const std::string host;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::condition_variable wake;              // stop() and reload() wake the sleeping threads
  std::shared_ptr<const Settings> settings;  // replaced whole by reload(), never changed
  Milliseconds interval{0};
  bool reloaded = false;
  EngineState state;
  // When the current round started; with sample_only_before_rounds the sampler sleeps until
  // the CPU average's span before the next. `schedule` changes whenever that moment may have
  // moved (a round started, a reload), which wakes a sleeping sampler to look again.
  SteadyTime round_started = SteadyClock::now();
  std::uint64_t schedule = 0;

  void log(std::string_view line) const {
    if (stopping.load() || !listeners.log) return;
    try {
      listeners.log(line);
    } catch (...) {  // a listener's failure is not the engine's: the loop goes on
    }
  }

  /// The latest problem, with the local time it happened. The caller holds the lock.
  void note_problem_locked(const std::string& line) {
    const SystemTime now = std::chrono::system_clock::now();
    state.last_problem =
        format_rfc3339(now, local_utc_offset(now)).substr(11, 8) + " " + printable(line);
  }

  std::shared_ptr<const Settings> current_settings() const {
    const std::lock_guard lock(mutex);
    return settings;
  }

  /// Sleeps until `when`, stop() or a change of `schedule` from `seen` (then updated); false
  /// when stopping.
  bool sleep_until(SteadyTime when, std::uint64_t& seen) {
    std::unique_lock lock(mutex);
    wake.wait_until(lock, when, [&] { return stopping.load() || schedule != seen; });
    seen = schedule;
    return !stopping.load();
  }

  /// The earliest moment the next reading is needed: with sample_only_before_rounds, two ticks
  /// more than the CPU average's span before the next round (so the round's average holds the
  /// span's readings only); otherwise now.
  SteadyTime quiet_until() const {
    if (!options.sample_only_before_rounds) return SteadyTime::min();
    const std::lock_guard lock(mutex);
    return round_started + interval - settings->cpu_average - 2 * kSampleTick;
  }
};

namespace {

using Shared = Engine::Shared;

template <typename Listener, typename... Args>
void notify(const Listener& listener, Args&&... args) {
  if (!listener) return;
  try {
    listener(std::forward<Args>(args)...);
  } catch (...) {  // a front-end's failure must not end the engine's thread
  }
}

void sample_forever(const std::shared_ptr<Shared>& shared, SystemSampler sampler) {
  SteadyTime due = SteadyClock::now() + kSampleTick;  // a tick after the last reading
  std::uint64_t seen = 0;
  for (;;) {
    const SteadyTime next = std::max(due, shared->quiet_until());
    if (!shared->sleep_until(next, seen)) return;
    if (SteadyClock::now() < next) continue;  // the schedule moved: look again
    const std::vector<std::string> problems = sampler.tick(*shared->current_settings());
    EngineState now;
    {
      const std::lock_guard lock(shared->mutex);
      shared->state.system = sampler.latest();
      if (!problems.empty()) shared->note_problem_locked(problems.back());
      if (shared->listeners.sample) now = shared->state;
    }
    for (const std::string& problem : problems) shared->log(problem);
    if (shared->stopping.load()) return;
    notify(shared->listeners.sample, now);
    // A tick that took longer than a tick (a slow disk) does not queue up the missed ones.
    due = std::max(next + kSampleTick, SteadyClock::now());
  }
}

/// The round's results into the state, and its problems into the log. Returns the new state.
EngineState record(Shared& shared, const Round& round, SteadyTime started) {
  EngineState now;
  {
    const std::lock_guard lock(shared.mutex);
    EngineState& state = shared.state;
    state.round_running = false;
    state.last_round_started = round.started_at;
    state.last_round_duration = round.duration;
    ++state.rounds_finished;
    for (const auto& [provider, sent] : round.notes.probe_requests) {
      state.probe_requests_total[provider] += sent;
    }
    if (round.report) {
      state.keys = round.report->api_keys;
      state.last_success = round.started_at;
    } else {
      ++state.check_errors_total;
      shared.note_problem_locked("key round failed: " + round.report.error().message());
    }
    if (round.notes.keep_error) {
      shared.note_problem_locked("report not saved: " + round.notes.keep_error->message());
    }
    const auto left =
        std::max(started + shared.interval - SteadyClock::now(), SteadyClock::duration::zero());
    state.next_round = std::chrono::system_clock::now() +
                       std::chrono::duration_cast<std::chrono::system_clock::duration>(left);
    now = state;
  }
  for (const Error& warning : round.notes.warnings) shared.log("warning: " + warning.message());
  if (round.notes.keep_error) shared.log("report not saved: " + round.notes.keep_error->message());
  return now;
}

/// Waits for the next round's start: `started` plus the interval, which a reload may change
/// meanwhile. False when stopping.
bool wait_for_next_round(Shared& shared, SteadyTime started) {
  std::unique_lock lock(shared.mutex);
  if (SteadyClock::now() >= started + shared.interval) {
    const std::string interval = format_duration(shared.interval);
    lock.unlock();
    shared.log("the round took longer than the interval " + interval + "; the next starts now");
    return !shared.stopping.load();
  }
  for (;;) {
    shared.reloaded = false;
    const SteadyTime next = started + shared.interval;
    shared.wake.wait_until(lock, next, [&] { return shared.stopping.load() || shared.reloaded; });
    if (shared.stopping.load()) return false;
    if (!shared.reloaded || SteadyClock::now() >= started + shared.interval) return true;
  }
}

void run_rounds_forever(const std::shared_ptr<Shared>& shared) {
  while (!shared->stopping.load()) {
    const SteadyTime started = SteadyClock::now();
    std::shared_ptr<const Settings> settings;
    std::optional<SystemReading> reading;
    {
      const std::lock_guard lock(shared->mutex);
      settings = shared->settings;
      shared->state.round_running = true;
      shared->round_started = started;
      ++shared->schedule;
      if (shared->options.sample_system) reading = shared->state.system;
    }
    shared->wake.notify_all();  // a sampler asleep until the next round's span looks again
    const Round round =
        run_round(*settings, reading, shared->options.keep_reports, shared->stopping);
    if (round.cancelled || shared->stopping.load()) return;
    const EngineState now = record(*shared, round, started);
    notify(shared->listeners.round, round, now);
    if (!wait_for_next_round(*shared, started)) return;
  }
}

}  // namespace

struct Engine::Workers {
  std::optional<Worker> sampler;
  std::optional<Worker> rounds;
};

Engine::Engine(std::shared_ptr<Shared> shared)
    : shared_(std::move(shared)), workers_(std::make_unique<Workers>()) {}

Engine::~Engine() {
  stop(Milliseconds(0));
}

Result<std::unique_ptr<Engine>> Engine::start(Settings settings, EngineOptions options,
                                              EngineListeners listeners) {
  return guarded<std::unique_ptr<Engine>>("cannot start", [&]() -> Result<std::unique_ptr<Engine>> {
    if (Result<void> valid = check_settings(settings); !valid) return valid.error();
    std::optional<SystemSampler> sampler;
    if (options.sample_system) {
      Result<SystemSampler> first = SystemSampler::start(settings);
      if (!first) return first.error();
      sampler.emplace(std::move(*first));
    }
    auto shared = std::make_shared<Shared>(std::move(settings), options, std::move(listeners));
    shared->state.round_running = true;  // the first round starts at once
    if (sampler) shared->state.system = sampler->latest();
    std::unique_ptr<Engine> engine(new Engine(shared));
    if (sampler) {
      engine->workers_->sampler.emplace(
          [shared, s = std::move(*sampler)]() mutable { sample_forever(shared, std::move(s)); });
    }
    engine->workers_->rounds.emplace([shared] { run_rounds_forever(shared); });
    return engine;
  });
}

EngineState Engine::state() const {
  const std::lock_guard lock(shared_->mutex);
  return shared_->state;
}

Report Engine::report_of(const EngineState& state) const {
  return compose_report(state, shared_->current_settings()->thresholds, shared_->host);
}

Settings Engine::settings() const {
  return *shared_->current_settings();
}

void Engine::reload(Settings settings, Milliseconds round_interval) {
  {
    const std::lock_guard lock(shared_->mutex);
    shared_->settings = std::make_shared<const Settings>(std::move(settings));
    shared_->interval = round_interval;
    shared_->reloaded = true;
    ++shared_->schedule;
  }
  shared_->wake.notify_all();
}

bool Engine::stop(Milliseconds grace) {
  if (stopped_) return ended_;
  stopped_ = true;
  {
    const std::lock_guard lock(shared_->mutex);
    shared_->stopping.store(true);  // also cancels a round's requests
  }
  shared_->wake.notify_all();
  const SteadyTime until = SteadyClock::now() + grace;
  const bool rounds_ended = !workers_->rounds || workers_->rounds->stop_waiting_at(until);
  const bool sampler_ended = !workers_->sampler || workers_->sampler->stop_waiting_at(until);
  ended_ = rounds_ended && sampler_ended;
  return ended_;
}

}  // namespace devops_monitor::engine
