// The watch command: signals at the edge (app/daemon.hpp), the library's WatchDaemon inside.
// SIGHUP reads the configuration again (a bad one is logged and the old one kept); SIGTERM or
// SIGINT stop it within a second, also during a check.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "daemon.hpp"
#include "devops_monitor/watch.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kWatchFooter =
    "Checks every --interval, counted from the start of each check, keeps each report, logs\n"
    "one line per check on stderr, posts the changes to the [[webhooks]] and runs the [actions]\n"
    "of the config when the overall status turns warning, critical or healthy again. A change\n"
    "is announced only once --confirm consecutive checks agree (recovery likewise). CPU is\n"
    "judged on its average over cpu_average (1m) of one-second samples, taken only during\n"
    "that span before each check. The first check is compared with latest_report.json when\n"
    "it is less than two intervals old, so a restart does not alert again on a state that\n"
    "holds. After every completed check, [watch] heartbeat_url gets one GET; a failed one is\n"
    "logged and the checks go on.\n"
    "SIGHUP reloads the configuration (a bad one is logged and the old one kept); SIGTERM or\n"
    "SIGINT stop it within a second, also during a check.\n"
    "Exit status: 0 after SIGTERM or SIGINT, 3 when it cannot start (bad flag or config).\n"
    "Examples:\n"
    "  devops-monitor watch --interval 5m --report-dir /var/lib/devops-monitor\n"
    "  devops-monitor watch --config /etc/devops-monitor/config.toml";

/// What in-flight deliveries and actions, and a check in flight, get when the daemon stops.
constexpr std::chrono::milliseconds kWatchStopGrace{1000};

struct WatchFlags {
  SettingsFlags settings;
  std::optional<std::string> interval;
  std::optional<int> confirm;
};

Result<Settings> load_watch_settings(const WatchFlags& flags) {
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return settings;
  if (flags.interval) {
    Result<Milliseconds> interval =
        duration_flag(*flags.interval, "--interval", kMinWatchInterval, kMaxWatchInterval);
    if (!interval) return interval.error();
    settings->watch_interval = *interval;
  }
  if (flags.confirm) settings->watch_confirm = *flags.confirm;
  return settings;
}

using StartedWatch = Result<std::unique_ptr<WatchDaemon>>;

/// The settings, the previous report and the engine: everything before the first check.
StartedWatch start_watch(const WatchFlags& options) {
  Result<Settings> settings = load_watch_settings(options);
  if (!settings) return settings.error();
  return WatchDaemon::start(std::move(*settings), [](std::string_view line) { log_line(line); });
}

/// Leaves while a thread may still use the daemon (a delivery waiting on a receiver up to its
/// timeout, a disk probe in a stuck mount): destroying it under that thread would be a use
/// after free. _exit runs no destructors; what matters is done: the log is flushed, an
/// interrupted check keeps nothing, and reports are written atomically.
[[noreturn]] void leave_watch_now() {
  std::fflush(stderr);
  std::fflush(stdout);
  ::_exit(0);
}

int run_watch(const WatchFlags& options) {
  // First, before any thread starts: every thread inherits the mask, so only
  // wait_for_signal() in this thread ever takes SIGTERM, SIGINT and SIGHUP.
  block_daemon_signals();
  StartedWatch daemon =
      start_answering_signals<StartedWatch>([&options] { return start_watch(options); });
  if (!daemon) return fail(daemon.error());
  for (;;) {
    const DaemonSignal signal = wait_for_signal(std::chrono::hours(1));
    if (signal == DaemonSignal::stop) break;
    if (signal != DaemonSignal::reload) continue;
    Result<Settings> reloaded = load_watch_settings(options);
    if (!reloaded) {
      log_line("config reload failed: " + reloaded.error().message() +
               "; keeping the previous configuration");
      continue;
    }
    (*daemon)->reload(std::move(*reloaded));
    log_line("configuration reloaded");
  }
  log_line("stopping");
  if (!(*daemon)->stop(kWatchStopGrace)) leave_watch_now();
  return 0;
}

}  // namespace

Command watch_command() {
  return {"watch", "Check on a schedule; notify webhooks and run actions when the status changes",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<WatchFlags>();
            app.footer(kWatchFooter);
            value_flag(app, "--interval", flags->interval, "DURATION",
                       "Time between the starts of two checks (1s to 7d)",
                       "[watch] interval of the config, else 1h");
            app.add_option_function<int>(
                   "--confirm", [flags](int checks) { flags->confirm = checks; },
                   "Consecutive checks that must agree before a change is announced (1 to 100) "
                   "[default: [watch] confirm of the config, else 2]")
                ->type_name("N")
                ->check(CLI::Range(kMinWatchConfirm, kMaxWatchConfirm).description(""));
            add_settings_flags(app, flags->settings,
                               kConfigFlag | kEnvFileFlag | kTimeoutFlag | kReportDirFlag |
                                   kNoSaveFlag | kRetentionFlag | kSystemFlags);
            return [flags] { return run_watch(*flags); };
          }};
}

}  // namespace devops_monitor::cli
