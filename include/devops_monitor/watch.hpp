// `devops-monitor watch` as a library: what happens after each check of a daemon that checks
// on a schedule. The loop itself (clock, signals, reload) belongs to the caller; this says
// what changed, notifies the webhooks and runs the [actions], on a background thread so none
// of it delays the next check.
//
//   devops_monitor::Watcher watcher([](std::string_view line) { log(line); });
//   watcher.configure(settings);
//   watcher.set_previous(devops_monitor::watch_previous_report(settings, now));
//   for (;;) {
//     devops_monitor::CheckNotes notes;
//     auto report = devops_monitor::watch_check(monitor, &notes, stop_flag);
//     if (report) log(watcher.handle(*report, notes));  // "check ...: warning (...); ..."
//     sleep_until_next_check();
//   }
//   watcher.stop(std::chrono::seconds(1));
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/monitor.hpp"
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

/// monitor.perform_health_check(notes), except that nothing is kept once `stop` is set: a
/// daemon told to stop during the check leaves no report of a half-finished check.
Result<Report> watch_check(const Monitor& monitor, CheckNotes* notes,
                           const std::atomic<bool>& stop);

class Watcher {
 public:
  /// `queue_limit`: deliveries and actions waiting at most; beyond it the oldest is dropped.
  explicit Watcher(WatchLog log, std::size_t queue_limit = 16);
  /// stop(0) if not stopped (see stop()).
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  /// Webhooks, actions and the action timeout from `settings`, used from the next handle()
  /// on; what is already queued keeps the configuration it was queued with. Actions inherit
  /// `environment` ("NAME=value"; unset: this process's) minus every provider key variable.
  void configure(const Settings& settings,
                 std::optional<std::vector<std::string>> environment = std::nullopt);

  /// The report the next one is compared with (none: the next is a first report).
  void set_previous(std::optional<Report> previous);

  /// Compares `report` with the previous one; queues one notice per webhook when anything
  /// changed and the action the overall status calls for. Returns the check's log line:
  /// "check <time>: <status> (<problems>); report <path>; <n> changes: cpu healthy->warning".
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

}  // namespace devops_monitor
