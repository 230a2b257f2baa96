// The watch loop: a check every interval, its log line, the Watcher's notices and actions,
// and signals at the edge (app/daemon.hpp). The check runs on a thread of its own so that
// the main thread keeps taking signals while providers are waited on: SIGTERM mid-check ends
// the process within a second, and the half-finished check keeps nothing.
#include "watch_command.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon.hpp"
#include "devops_monitor/monitor.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/watch.hpp"
#include "settings_from_cli.hpp"

namespace devops_monitor::cli {
namespace {

using WatchClock = std::chrono::steady_clock;
/// How often the main thread looks whether a running check has finished. Only while a check
/// runs: between checks it sleeps in one sigtimedwait until the next check or a signal.
constexpr std::chrono::milliseconds kWatchCheckPoll{50};
/// What in-flight deliveries and actions get when the daemon stops.
constexpr std::chrono::milliseconds kWatchStopGrace{1000};

/// One check on its own thread; the main thread reads the result once `done`.
struct WatchCheckRun {
  std::atomic<bool> stop{false};  // set on SIGTERM/SIGINT: keep nothing
  std::mutex mutex;
  bool done = false;
  std::optional<Result<Report>> result;
  CheckNotes notes;
};

Result<Settings> load_watch_settings(const CliOptions& options) {
  std::vector<Error> warnings;
  Result<Settings> settings = settings_from_cli(options, warnings);
  for (const Error& warning : warnings) log_line("warning: " + warning.message());
  return settings;
}

/// Leaves while another thread may still use the Monitor (a check waiting on a provider) or
/// the Watcher (a delivery waiting on a receiver, up to its timeout). Returning from main
/// would destroy them under that thread: a use after free. _exit runs no destructors; what
/// matters is already done: the log is flushed, the interrupted check keeps nothing, and
/// reports are written atomically (a file appears whole or not at all).
[[noreturn]] void leave_watch_now() {
  std::fflush(stderr);
  std::fflush(stdout);
  ::_exit(0);
}

std::string watch_start_line(const Settings& settings, const std::string& previous) {
  std::string actions;
  for (const auto& [name, argv] : {std::pair{"on_warning", &settings.actions.on_warning},
                                   std::pair{"on_critical", &settings.actions.on_critical},
                                   std::pair{"on_recovery", &settings.actions.on_recovery}}) {
    if (!argv->empty()) actions += std::string(actions.empty() ? "" : ", ") + name;
  }
  return "watching every " + format_duration(settings.watch_interval) + "; " +
         std::to_string(settings.webhooks.size()) + " webhook" +
         (settings.webhooks.size() == 1 ? "" : "s") +
         "; actions: " + (actions.empty() ? "none" : actions) + "; reports " +
         (settings.save_report ? "in " + settings.report_dir.string() : "not saved") + "; " +
         previous;
}

void log_watch_check(Watcher& watcher, const Result<Report>& report, const CheckNotes& notes) {
  for (const Error& warning : notes.warnings) log_line("warning: " + warning.message());
  if (!report) {
    log_line("check failed: " + report.error().message());
    return;
  }
  if (notes.keep_error) log_line("report not saved: " + notes.keep_error->message());
  log_line(watcher.handle(*report, notes));
}

}  // namespace

int run_watch(const CliOptions& options) {
  // First, before any thread starts: every thread inherits the mask, so only
  // wait_for_signal() in this thread ever takes SIGTERM, SIGINT and SIGHUP.
  block_daemon_signals();
  Result<Settings> first = load_watch_settings(options);
  if (!first) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(first.error().message()).c_str());
    return 3;
  }
  std::shared_ptr<const Monitor> monitor = std::make_shared<const Monitor>(std::move(*first));
  Watcher watcher(log_line);
  watcher.configure(monitor->settings());
  std::string previous;
  watcher.set_previous(
      watch_previous_report(monitor->settings(), std::chrono::system_clock::now(), &previous));
  log_line(watch_start_line(monitor->settings(), previous));

  // A reload is read at once (so a bad file is reported at once) and used from the next
  // check; the check running now finishes with the configuration it started with.
  std::shared_ptr<const Monitor> reloaded;
  auto reload = [&] {
    Result<Settings> settings = load_watch_settings(options);
    if (!settings) {
      log_line("config reload failed: " + settings.error().message() +
               "; keeping the previous configuration");
      return;
    }
    reloaded = std::make_shared<const Monitor>(std::move(*settings));
    log_line("configuration reloaded");
  };
  auto use_reloaded = [&] {
    if (!reloaded) return;
    monitor = std::move(reloaded);
    reloaded.reset();
    watcher.configure(monitor->settings());
  };
  auto stop = [&](bool check_running) {
    log_line("stopping");
    const bool idle = watcher.stop(kWatchStopGrace);
    if (!idle || check_running) leave_watch_now();
    return 0;
  };

  for (;;) {
    use_reloaded();
    const WatchClock::time_point started = WatchClock::now();
    auto run = std::make_shared<WatchCheckRun>();
    std::thread checker([run, monitor] {
      // The library does not throw; an allocation still might, and an exception leaving a
      // thread ends the process: it becomes this check's error instead.
      Result<Report> report = Error{"check failed", "unexpected failure", ""};
      try {
        report = watch_check(*monitor, &run->notes, run->stop);
      } catch (const std::exception& e) {
        report = Error{"check failed", std::string("unexpected failure: ") + e.what(), ""};
      }
      const std::lock_guard<std::mutex> lock(run->mutex);
      run->result.emplace(std::move(report));
      run->done = true;
    });
    for (bool done = false; !done;) {
      const DaemonSignal signal = wait_for_signal(kWatchCheckPoll);
      if (signal == DaemonSignal::reload) reload();
      {
        const std::lock_guard<std::mutex> lock(run->mutex);
        done = run->done;
      }
      if (signal == DaemonSignal::stop) {
        run->stop = true;
        if (!done) return stop(/*check_running=*/true);
        checker.join();
        return stop(false);
      }
    }
    checker.join();
    log_watch_check(watcher, *run->result, run->notes);

    // The interval counts from the start of each check: a check that took longer than the
    // interval is followed by the next one at once.
    use_reloaded();
    WatchClock::time_point next = started + monitor->settings().watch_interval;
    if (WatchClock::now() >= next) {
      log_line("the check took longer than the interval " +
               format_duration(monitor->settings().watch_interval) + "; the next starts now");
    }
    for (WatchClock::time_point now = WatchClock::now(); now < next; now = WatchClock::now()) {
      const DaemonSignal signal =
          wait_for_signal(std::chrono::ceil<std::chrono::milliseconds>(next - now));
      if (signal == DaemonSignal::stop) return stop(false);
      if (signal == DaemonSignal::reload) {
        reload();
        use_reloaded();
        next = started + monitor->settings().watch_interval;
      }
    }
  }
}

}  // namespace devops_monitor::cli
