// The watch command: signals at the edge (app/daemon.hpp), the library's WatchDaemon inside.
// SIGHUP reads the configuration again (a bad one is logged and the old one kept); SIGTERM or
// SIGINT stop it within a second, also during a check.
#include "watch_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "daemon.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/watch.hpp"
#include "settings_from_cli.hpp"

namespace devops_monitor::cli {
namespace {

/// What in-flight deliveries and actions, and a check in flight, get when the daemon stops.
constexpr std::chrono::milliseconds kWatchStopGrace{1000};

Result<Settings> load_watch_settings(const CliOptions& options) {
  std::vector<Error> warnings;
  Result<Settings> settings = settings_from_cli(options, warnings);
  for (const Error& warning : warnings) log_line("warning: " + warning.message());
  return settings;
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

}  // namespace

int run_watch(const CliOptions& options) {
  // First, before any thread starts: every thread inherits the mask, so only
  // wait_for_signal() in this thread ever takes SIGTERM, SIGINT and SIGHUP.
  block_daemon_signals();
  Result<Settings> settings = load_watch_settings(options);
  if (!settings) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(settings.error().message()).c_str());
    return 3;
  }
  Result<std::unique_ptr<WatchDaemon>> daemon =
      WatchDaemon::start(std::move(*settings), [](std::string_view line) { log_line(line); });
  if (!daemon) {
    std::fprintf(stderr, "devops-monitor: %s\n", printable(daemon.error().message()).c_str());
    return 3;
  }
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

}  // namespace devops_monitor::cli
