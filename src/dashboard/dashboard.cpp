// The dashboard, a front-end of the engine: the engine samples the system every second and
// checks the keys every interval; the dashboard only remembers each provider's last checks for
// the sparklines and builds the view from a copy of the engine's state. So the screen never
// waits for a measurement or a provider.
#include "devops_monitor/dashboard.hpp"

#include <deque>
#include <map>
#include <mutex>

#include "dashboard/dashboard_view.hpp"
#include "devops_monitor/text.hpp"
#include "engine/engine.hpp"
#include "history/history.hpp"
#include "store/silences_file.hpp"
#include "util/guard.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::dashboard {
namespace {

// How far back the report directory is read for the sparklines at start.
constexpr std::chrono::hours kDashboardHistoryWindow{24 * 7};
// What stop() gives the engine's threads before letting them go.
constexpr Milliseconds kDashboardStopWait{300};

}  // namespace

/// The sparklines' checks, shared with the engine's rounds listener.
struct RecentChecks {
  explicit RecentChecks(std::size_t length) : history_length(length) {}

  const std::size_t history_length;
  mutable std::mutex mutex;
  std::map<std::string, std::deque<DashboardCheck>> by_provider;
  std::optional<std::string> load_problem;  // the report directory could not be read at start

  void remember(const std::string& id, DashboardCheck check) {
    std::deque<DashboardCheck>& checks = by_provider[id];
    checks.push_back(check);
    while (checks.size() > history_length) checks.pop_front();
  }
};

namespace {

/// The sparklines start from the reports already in the directory (watch's, serve's, the
/// timer's): the dashboard itself keeps none. A directory that does not exist yet is no error.
void load_recent_checks(RecentChecks& recent, const std::filesystem::path& report_dir) {
  const auto now = std::chrono::system_clock::now();
  std::error_code error;
  if (!std::filesystem::is_directory(report_dir, error)) return;
  Result<history::LoadedHistory> loaded =
      history::load_history(report_dir, now - kDashboardHistoryWindow);
  const std::lock_guard lock(recent.mutex);
  if (!loaded) {
    recent.load_problem = "history not read: " + loaded.error().message();
    return;
  }
  for (const history::Sample& sample : loaded->samples) {
    for (const history::KeySample& key : sample.keys) {
      recent.remember(key.id, {key.state, key.latency_ms});
    }
  }
  if (!loaded->warnings.empty()) {
    recent.load_problem = std::to_string(loaded->warnings.size()) + " report files skipped, e.g. " +
                          loaded->warnings.front();
  }
}

}  // namespace
}  // namespace devops_monitor::dashboard

namespace devops_monitor {

struct Dashboard::Impl {
  DashboardOptions options;
  std::vector<Provider> providers;
  std::shared_ptr<dashboard::RecentChecks> recent;
  std::unique_ptr<engine::Engine> engine;
  // The maintenance shown is the one of now; silences.json is read again when it changes.
  std::unique_ptr<SilencesCache> silences;
  bool stopped = false;
};

Dashboard::Dashboard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Dashboard::~Dashboard() {
  stop();
}

Result<std::unique_ptr<Dashboard>> Dashboard::start(Settings settings, DashboardOptions options) {
  return guarded<std::unique_ptr<Dashboard>>(
      "cannot start the dashboard", [&]() -> Result<std::unique_ptr<Dashboard>> {
        options.history_length = std::max<std::size_t>(options.history_length, 1);
        auto impl = std::make_unique<Impl>();
        impl->options = options;
        impl->providers = settings.providers;
        impl->silences = std::make_unique<SilencesCache>(settings.report_dir);
        impl->recent = std::make_shared<dashboard::RecentChecks>(options.history_length);
        dashboard::load_recent_checks(*impl->recent, settings.report_dir);
        const std::shared_ptr<dashboard::RecentChecks> recent = impl->recent;
        engine::EngineListeners listeners{
            .round = [recent](const engine::Round& round, const engine::EngineState&) {
              if (!round.report) return;
              const std::lock_guard lock(recent->mutex);
              for (const ApiKeyStatus& key : round.report->api_keys) {
                recent->remember(key.id, dashboard::check_of(key));
              }
            }};
        // A viewer: the reports are watch's, serve's and the timer's to keep.
        Result<std::unique_ptr<engine::Engine>> engine = engine::Engine::start(
            std::move(settings),
            {.round_interval = options.key_interval, .sample_system = true, .keep_reports = false},
            std::move(listeners));
        if (!engine) return engine.error();
        impl->engine = std::move(*engine);
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
  const engine::EngineState state = impl_->engine->state();
  dashboard::ViewInputs inputs;
  {
    const std::lock_guard lock(impl_->recent->mutex);
    for (const auto& [id, checks] : impl_->recent->by_provider) {
      inputs.recent[id].assign(checks.begin(), checks.end());
    }
    inputs.last_error = impl_->recent->load_problem;
  }
  if (state.last_problem) inputs.last_error = state.last_problem;
  inputs.report = impl_->engine->report_of(state);
  inputs.report.silences = impl_->silences->current();
  inputs.providers = impl_->providers;
  inputs.checking = state.round_running;
  inputs.next_round = state.next_round;
  inputs.last_round_started = state.last_round_started;
  inputs.now = std::chrono::system_clock::now();
  inputs.utc_offset = local_utc_offset(inputs.now);
  inputs.key_interval = impl_->options.key_interval;
  return dashboard::dashboard_view(inputs);
}

std::uint64_t Dashboard::rounds_finished() const {
  return impl_->engine->state().rounds_finished;
}

void Dashboard::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  if (impl_->engine) impl_->engine->stop(dashboard::kDashboardStopWait);
}

}  // namespace devops_monitor
