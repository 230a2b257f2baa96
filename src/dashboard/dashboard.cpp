// The imperative shell of the dashboard: serve's two background threads (the system sampler
// every second, key rounds every key_interval) fill one small state under a mutex; view()
// copies it out and builds the view outside the lock. So the screen never waits for a
// measurement or a provider.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "check/take_snapshot.hpp"
#include "config/settings_check.hpp"
#include "dashboard/dashboard_view.hpp"
#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/text.hpp"
#include "exporter/exporter_state.hpp"
#include "exporter/key_round.hpp"
#include "exporter/serve_worker.hpp"
#include "exporter/system_sampler.hpp"
#include "history/history.hpp"
#include "util/guard.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::dashboard {
namespace {

using DashboardSteady = std::chrono::steady_clock::time_point;

// The screen shows CPU use over the last second, as top does.
constexpr Milliseconds kDashboardTick{1000};
// How long stop() waits for each background thread before letting it go.
constexpr Milliseconds kDashboardStopWait{300};
// How far back the report directory is read for the sparklines at start.
constexpr std::chrono::hours kDashboardHistoryWindow{24 * 7};

}  // namespace

/// What the threads and view() share. Each thread holds it by shared_ptr, so a thread that
/// stop() lets go (a disk probe that outlives the mount timeout) never outlives it.
struct DashboardShared {
  DashboardShared(Settings s, DashboardOptions o)
      : settings(std::move(s)), options(o), host(this_host_name()) {}

  const Settings settings;
  const DashboardOptions options;
  const std::string host;
  std::atomic<bool> stopping{false};

  mutable std::mutex mutex;
  std::condition_variable wake;  // stop() wakes the sleeping threads
  exporter::ExporterState state;
  std::map<std::string, std::deque<DashboardCheck>> recent;
  bool checking = false;
  std::optional<std::chrono::system_clock::time_point> next_round;
  std::optional<std::string> last_error;
  std::uint64_t rounds = 0;

  /// Sleeps until `when` or stop(); false when stopping.
  bool sleep_until(DashboardSteady when) {
    std::unique_lock lock(mutex);
    wake.wait_until(lock, when, [this] { return stopping.load(); });
    return !stopping.load();
  }

  /// The latest problem, with the local time it happened ("03:21:52 key round failed: ...").
  /// The caller holds the lock.
  void note_error_locked(const std::string& line) {
    const auto now = std::chrono::system_clock::now();
    last_error = format_rfc3339(now, local_utc_offset(now)).substr(11, 8) + " " + printable(line);
  }

  void remember_locked(const std::string& id, DashboardCheck check) {
    std::deque<DashboardCheck>& checks = recent[id];
    checks.push_back(check);
    while (checks.size() > options.history_length) checks.pop_front();
  }
};

namespace {

void sample_every_second(const std::shared_ptr<DashboardShared>& shared,
                         exporter::SystemSampler sampler) {
  DashboardSteady next = std::chrono::steady_clock::now() + kDashboardTick;
  while (shared->sleep_until(next)) {
    next += kDashboardTick;
    const std::vector<std::string> problems = sampler.tick(shared->settings);
    {
      const std::lock_guard lock(shared->mutex);
      shared->state.system = sampler.latest();
      if (!problems.empty()) shared->note_error_locked(problems.back());
    }
    // A tick that took longer than a tick (a slow disk) does not queue up the missed ones.
    next = std::max(next, std::chrono::steady_clock::now());
  }
}

/// The sparklines start from the reports already in the directory (watch's, serve's, the
/// timer's): the dashboard itself keeps none. A directory that does not exist yet is no error.
void load_recent_checks(const std::shared_ptr<DashboardShared>& shared) {
  const auto now = std::chrono::system_clock::now();
  std::error_code error;
  if (!std::filesystem::is_directory(shared->settings.report_dir, error)) return;
  Result<history::LoadedHistory> loaded =
      history::load_history(shared->settings.report_dir, now - kDashboardHistoryWindow);
  const std::lock_guard lock(shared->mutex);
  if (!loaded) {
    shared->note_error_locked("history not read: " + loaded.error().message());
    return;
  }
  for (const history::Sample& sample : loaded->samples) {
    for (const history::KeySample& key : sample.keys) {
      shared->remember_locked(key.id, {key.state, key.latency_ms});
    }
  }
  if (!loaded->warnings.empty()) {
    shared->note_error_locked(std::to_string(loaded->warnings.size()) +
                              " report files skipped, e.g. " + loaded->warnings.front());
  }
}

exporter::SystemReading latest_reading(const std::shared_ptr<DashboardShared>& shared) {
  const std::lock_guard lock(shared->mutex);
  return shared->state.system.value_or(exporter::SystemReading{});
}

void check_keys_every_interval(const std::shared_ptr<DashboardShared>& shared) {
  load_recent_checks(shared);
  while (!shared->stopping.load()) {
    const DashboardSteady started = std::chrono::steady_clock::now();
    const DashboardSteady next = started + shared->options.key_interval;
    {
      const std::lock_guard lock(shared->mutex);
      shared->checking = true;
    }
    exporter::RoundOutcome round = exporter::run_key_round(shared->settings, latest_reading(shared),
                                                           shared->host, shared->stopping);
    if (round.cancelled || shared->stopping.load()) return;
    {
      const std::lock_guard lock(shared->mutex);
      shared->checking = false;
      shared->state.last_round_started = round.started_at;
      shared->state.last_round_duration = round.duration;
      // The first line is the round's summary when it produced results; the rest (and every
      // line of a failed round) are problems.
      const std::size_t first_problem = round.keys ? 1 : 0;
      if (round.log_lines.size() > first_problem) shared->note_error_locked(round.log_lines.back());
      if (round.keys) {
        for (const ApiKeyStatus& key : *round.keys) shared->remember_locked(key.id, check_of(key));
        shared->state.keys = std::move(round.keys);
        shared->state.last_success = round.started_at;
      } else {
        ++shared->state.check_errors_total;
      }
      shared->next_round =
          std::chrono::system_clock::now() +
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::max(next - std::chrono::steady_clock::now(), DashboardSteady::duration::zero()));
      ++shared->rounds;
    }
    shared->wake.notify_all();
    // Rounds start key_interval apart; one that took longer is followed at once.
    if (!shared->sleep_until(next)) return;
  }
}

}  // namespace
}  // namespace devops_monitor::dashboard

namespace devops_monitor {

struct Dashboard::Impl {
  std::shared_ptr<dashboard::DashboardShared> shared;
  std::optional<exporter::ServeWorker> sampler;
  std::optional<exporter::ServeWorker> rounds;
  bool stopped = false;
};

Dashboard::Dashboard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Dashboard::~Dashboard() {
  stop();
}

Result<std::unique_ptr<Dashboard>> Dashboard::start(Settings settings, DashboardOptions options) {
  return guarded<std::unique_ptr<Dashboard>>(
      "cannot start the dashboard", [&]() -> Result<std::unique_ptr<Dashboard>> {
        if (Result<void> valid = check_settings(settings); !valid) return valid.error();
        // A viewer: the reports are watch's, serve's and the timer's to keep.
        settings.save_report = false;
        Result<exporter::SystemSampler> sampler = exporter::SystemSampler::start(settings);
        if (!sampler) return sampler.error();
        options.history_length = std::max<std::size_t>(options.history_length, 1);
        auto impl = std::make_unique<Impl>();
        impl->shared = std::make_shared<dashboard::DashboardShared>(std::move(settings), options);
        const std::shared_ptr<dashboard::DashboardShared> shared = impl->shared;
        shared->state.system = sampler->latest();
        shared->checking = true;  // the first round starts at once
        impl->sampler.emplace([shared, s = std::move(*sampler)]() mutable {
          dashboard::sample_every_second(shared, std::move(s));
        });
        impl->rounds.emplace([shared] { dashboard::check_keys_every_interval(shared); });
        return std::unique_ptr<Dashboard>(new Dashboard(std::move(impl)));
      });
}

DashboardView Dashboard::view() const {
  // The library's promise: no exception escapes (an allocation could still fail).
  try {
    return current_view();
  } catch (...) {
    DashboardView failed;
    failed.status = Status::unknown;
    failed.last_error = unexpected_failure("cannot show the dashboard").message();
    return failed;
  }
}

DashboardView Dashboard::current_view() const {
  const dashboard::DashboardShared& shared = *impl_->shared;
  dashboard::ViewInputs inputs;
  exporter::ExporterState state;
  {
    const std::lock_guard lock(shared.mutex);
    state = shared.state;
    for (const auto& [id, checks] : shared.recent) {
      inputs.recent[id].assign(checks.begin(), checks.end());
    }
    inputs.checking = shared.checking;
    inputs.next_round = shared.next_round;
    inputs.last_error = shared.last_error;
  }
  inputs.report = exporter::compose_report(state, shared.settings.thresholds, shared.host);
  inputs.providers = shared.settings.providers;
  inputs.last_round_started = state.last_round_started;
  inputs.now = std::chrono::system_clock::now();
  inputs.utc_offset = local_utc_offset(inputs.now);
  inputs.key_interval = shared.options.key_interval;
  return dashboard::dashboard_view(inputs);
}

std::uint64_t Dashboard::rounds_finished() const {
  const std::lock_guard lock(impl_->shared->mutex);
  return impl_->shared->rounds;
}

void Dashboard::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  {
    const std::lock_guard lock(impl_->shared->mutex);
    impl_->shared->stopping.store(true);  // also cancels a key round's requests
  }
  impl_->shared->wake.notify_all();
  const auto until = std::chrono::steady_clock::now() + dashboard::kDashboardStopWait;
  if (impl_->rounds) impl_->rounds->stop_waiting_at(until);
  if (impl_->sampler) impl_->sampler->stop_waiting_at(until);
}

}  // namespace devops_monitor
