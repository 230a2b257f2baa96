// WatchDaemon, a front-end of the engine: each round is a check judged with the sampler's
// reading (CPU on its rolling average, as serve and the dashboard) and kept; the Watcher says what
// changed, notifies and runs the actions. The Watcher is used from the rounds thread and from
// reload(), so a mutex takes turns between them.
#include <fmt/format.h>

#include <mutex>

#include "config/settings_check.hpp"
#include "devops_monitor/watch.hpp"
#include "engine/engine.hpp"
#include "http/url.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

/// "watching every 1h; changes confirmed by 2 checks; 2 webhooks; actions: on_critical;
/// heartbeat to HOST; reports in DIR; <previous>".
std::string watch_start_line(const Settings& settings, const std::string& previous) {
  std::string actions;
  for (const auto& [name, argv] : {std::pair{"on_warning", &settings.actions.on_warning},
                                   std::pair{"on_critical", &settings.actions.on_critical},
                                   std::pair{"on_recovery", &settings.actions.on_recovery}}) {
    if (!argv->empty()) actions += std::string(actions.empty() ? "" : ", ") + name;
  }
  const std::size_t hooks = settings.webhooks.size();
  const int confirm = settings.watch_confirm;
  return fmt::format(
      "watching every {}; changes confirmed by {} check{}; {} webhook{}; actions: "
      "{}; {}; reports {}; {}",
      format_duration(settings.watch_interval), confirm, confirm == 1 ? "" : "s", hooks,
      hooks == 1 ? "" : "s", actions.empty() ? "none" : actions,
      settings.heartbeat_url.empty() ? std::string("no heartbeat")
                                     : "heartbeat to " + url_host(settings.heartbeat_url),
      settings.save_report ? "in " + settings.report_dir.string() : "not saved", previous);
}

}  // namespace

struct WatchDaemon::Impl {
  explicit Impl(WatchLog l) : log(std::move(l)), watcher(log) {}

  WatchLog log;
  std::mutex watcher_mutex;
  Watcher watcher;
  std::unique_ptr<engine::Engine> engine;  // last: stops before the Watcher goes away

  void after_check(const engine::Round& round) {
    if (!round.report) {
      log("check failed: " + round.report.error().message());
      return;
    }
    const std::lock_guard lock(watcher_mutex);
    log(watcher.handle(*round.report, round.notes));
  }
};

WatchDaemon::WatchDaemon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WatchDaemon::~WatchDaemon() {
  stop(Milliseconds(0));
}

Result<std::unique_ptr<WatchDaemon>> WatchDaemon::start(Settings settings, WatchLog log) {
  return guarded<std::unique_ptr<WatchDaemon>>(
      "cannot watch", [&]() -> Result<std::unique_ptr<WatchDaemon>> {
        if (Result<void> valid = check_settings(settings); !valid) return valid.error();
        auto impl = std::make_unique<Impl>(std::move(log));
        impl->watcher.configure(settings);
        std::string previous;
        impl->watcher.set_previous(
            watch_previous_report(settings, std::chrono::system_clock::now(), &previous));
        impl->log(watch_start_line(settings, previous));
        // The listeners hold the Impl by a plain pointer: the engine is the Impl's last member,
        // so its threads are stopped (or, when stuck, the process leaves with _exit) before
        // the rest of the Impl is destroyed.
        Impl* raw = impl.get();
        engine::EngineListeners listeners{
            .round = [raw](const engine::Round& round,
                           const engine::EngineState&) { raw->after_check(round); },
            .log = [raw](std::string_view line) { raw->log(line); }};
        const Milliseconds interval = settings.watch_interval;
        Result<std::unique_ptr<engine::Engine>> engine =
            engine::Engine::start(std::move(settings),
                                  {.round_interval = interval,
                                   .sample_system = true,
                                   .sample_only_before_rounds = true,
                                   .keep_reports = true},
                                  std::move(listeners));
        if (!engine) return engine.error();
        impl->engine = std::move(*engine);
        return std::unique_ptr<WatchDaemon>(new WatchDaemon(std::move(impl)));
      });
}

void WatchDaemon::reload(Settings settings) {
  const Milliseconds interval = settings.watch_interval;
  {
    const std::lock_guard lock(impl_->watcher_mutex);
    impl_->watcher.configure(settings);
  }
  impl_->engine->reload(std::move(settings), interval);
}

bool WatchDaemon::stop(std::chrono::milliseconds grace) {
  if (!impl_) return true;
  const auto until = std::chrono::steady_clock::now() + grace;
  const bool engine_ended = impl_->engine->stop(grace);
  const auto left =
      std::max(std::chrono::duration_cast<Milliseconds>(until - std::chrono::steady_clock::now()),
               Milliseconds(0));
  const bool watcher_ended = impl_->watcher.stop(left);
  return engine_ended && watcher_ended;
}

}  // namespace devops_monitor
