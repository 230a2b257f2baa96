// `devops-monitor watch` as a library: a daemon that checks on a schedule, keeps each report,
// and when something changes notifies the webhooks and runs the [actions], on a background
// thread so none of it delays the next check.
//
//   auto daemon = devops_monitor::WatchDaemon::start(settings, [](std::string_view line) {
//     log(line);                                  // "check ...: warning (...); ..."
//   });
//   ... wait for a signal; on SIGHUP: (*daemon)->reload(new_settings);
//   (*daemon)->stop(std::chrono::seconds(1));
//
// The checks run on the engine's rounds (src/engine), every settings.watch_interval counted
// from the start of each. The Watcher below is what happens after each check; it is public for
// callers that run checks their own way.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

/// Where the Watcher's own lines go (failed deliveries, action outcomes): one line each,
/// possibly from the background thread. Lines hold no key and no webhook URL.
using WatchLog = std::function<void(std::string_view line)>;

/// The report the first check is compared with, so that a restart does not alert again on a
/// state that holds: settings.report_dir/latest_report.json when it parses and its timestamp
/// is less than two intervals (settings.watch_interval) before `now`. Otherwise none (the
/// first check then speaks of whatever is not healthy); `why` says which and why.
std::optional<Report> watch_previous_report(const Settings& settings,
                                            std::chrono::system_clock::time_point now,
                                            std::string* why = nullptr);

class Watcher {
 public:
  /// `queue_limit`: deliveries and actions waiting at most; beyond it the oldest is dropped.
  explicit Watcher(WatchLog log, std::size_t queue_limit = 16);
  /// stop(0) if not stopped (see stop()).
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  /// Webhooks, actions and the action timeout from `settings`, used from the next handle()
  /// on; what is already queued keeps the configuration it was queued with. Actions get PATH,
  /// HOME and LANG from `environment` ("NAME=value"; unset: this process's), and the names
  /// settings.actions.pass_env lists, nothing else of it. An action that times out is ended
  /// with its whole process tree; where no cgroup can be made for it, this process becomes a
  /// child subreaper for good (docs/design.md, "Watch").
  void configure(const Settings& settings,
                 std::optional<std::vector<std::string>> environment = std::nullopt);

  /// The states taken as announced before the next check: each component's in `previous`
  /// (none: nothing announced yet, so a bad state needs settings.watch_confirm checks).
  void set_previous(std::optional<Report> previous);

  /// Confirms `report`'s states against those announced (a change needs
  /// settings.watch_confirm consecutive checks that agree); queues one notice per webhook when
  /// a change is confirmed, the action the overall status calls for, and then the GET to
  /// settings.heartbeat_url when set (a failure is logged, naming its host only). Returns the
  /// check's log line: "check <time>: <status> (<problems>); report <path>; <n> changes: cpu
  /// healthy->warning[; unconfirmed: memory critical 1/2]".
  std::string handle(const Report& report, const CheckNotes& notes);

  /// Queues no more; gives queued and running work up to `grace`, then drops the rest and
  /// stops a running action. True when everything ended; false when a delivery is still
  /// stuck in the network (up to its timeout): the Watcher must then not be destroyed, and a
  /// process that wants to exit now leaves with _exit after flushing its output.
  bool stop(std::chrono::milliseconds grace);

  /// Deliveries and actions queued or running.
  [[nodiscard]] std::size_t pending() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class WatchDaemon {
 public:
  /// Compares the first check with the report directory's latest report (watch_previous_report),
  /// logs the start line ("watching every 1h; 2 webhooks; actions: on_critical; reports in ...;
  /// previous report ..."), and starts the checks. Fails (naming the setting) on settings that
  /// no check could run with.
  static Result<std::unique_ptr<WatchDaemon>> start(Settings settings, WatchLog log);
  WatchDaemon(const WatchDaemon&) = delete;
  WatchDaemon& operator=(const WatchDaemon&) = delete;
  ~WatchDaemon();

  /// New settings from the next check on (webhooks, actions, interval, everything); the check
  /// running now finishes with the old ones.
  void reload(Settings settings);

  /// Stops checking (a check in flight is abandoned and keeps nothing) and gives deliveries and
  /// actions up to `grace`. True when everything ended; false when a thread is still stuck (a
  /// delivery waiting on a receiver, a disk probe): a process that wants to exit now then leaves
  /// with _exit after flushing its output, rather than destroying the daemon under that thread.
  bool stop(std::chrono::milliseconds grace);

  struct Impl;

 private:
  explicit WatchDaemon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace devops_monitor
