// The library's front door for checking: the old tool's DevOpsMonitor class, in C++. What a
// check leaves behind (report files, the key history, badges, the status page, pruning)
// belongs to the ReportStore (devops_monitor/report_store.hpp).
//
//   auto settings = devops_monitor::load_settings();      // as the command line: config, ./.env
//   if (!settings) { /* settings.error().message() names the file and the problem */ }
//   devops_monitor::Monitor monitor(*settings);
//   auto report = monitor.perform_health_check();
//   if (!report) { /* report.error().message() says what could not run */ }
//   else if (report->status == devops_monitor::Status::critical) { alert(); }
//   else if (!report->provider_fallback_order.empty()) { use(report->provider_fallback_order[0]); }
//
// `Monitor monitor;` alone (a default Settings) uses the built-in defaults and reads keys from
// the process environment only: no config file, no .env file.
//
// The library never prints and never exits: it returns results and errors.
//
// Thread safety: the const member functions may run at the same time from several threads on
// one Monitor; each check keeps its own state, and report files and the key history are safe
// across threads and processes (no name is written twice, the key history is updated under a
// lock). Changing providers() or thresholds() while a check runs is a data race: configure
// first, then check.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/config.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/provider.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

class Monitor {
 public:
  /// Keys come from the process environment, then from settings.env_file (none by default:
  /// a default Settings reads no config and no .env; see load_settings).
  explicit Monitor(Settings settings = {});
  /// Keys come from `environment` instead of the process environment, then settings.env_file.
  Monitor(Settings settings, std::map<std::string, std::string> environment);

  [[nodiscard]] const Settings& settings() const { return settings_; }
  /// The provider table: read it, add a custom provider, override a built-in.
  std::vector<Provider>& providers() { return settings_.providers; }
  ThresholdSet& thresholds() { return settings_.thresholds; }

  /// A full check: check(), then, unless settings.save_report is false, keeping the report in
  /// settings.report_dir (ReportStore::keep). A failure to keep never costs the result: the
  /// report comes back with the failure among its issues and its status at least warning, and
  /// notes->keep_error says what failed. Fails only when the check itself cannot run
  /// (unreadable procfs, missing disk path, unreadable .env file).
  /// `progress` (optional) is told which providers the check still waits for, once it has
  /// waited a while: for a line on a terminal.
  Result<Report> perform_health_check(CheckNotes* notes = nullptr,
                                      const CheckProgress& progress = {}) const;

  /// Measures the system and checks every enabled provider's key, concurrently, and judges
  /// the result. Writes nothing; reads the report directory's key history (if any) to mark
  /// rotated keys and key ages. Keep the report with ReportStore::keep.
  Result<Report> check(CheckNotes* notes = nullptr, const CheckProgress& progress = {}) const;

  /// CPU (over settings.cpu_window), memory and disks against the thresholds.
  [[nodiscard]] Result<SystemHealth> check_system_health() const;

  /// One key: `env_var` is looked up, `provider` says how to check it.
  [[nodiscard]] Result<ApiKeyStatus> check_api_key_status(const std::string& env_var,
                                                          const Provider& provider) const;

  /// Every enabled provider's key, concurrently, in priority order.
  Result<std::vector<ApiKeyStatus>> check_api_keys(CheckNotes* notes = nullptr,
                                                   const CheckProgress& progress = {}) const;

  /// Provider ids to use, best first: those that can serve now, then those that could not be
  /// verified (runs the key checks).
  [[nodiscard]] Result<std::vector<std::string>> provider_fallback_order() const;

 private:
  Result<Report> check_until(CheckNotes* notes, const CheckProgress& progress,
                             std::chrono::steady_clock::time_point deadline) const;

  Settings settings_;
  std::optional<std::map<std::string, std::string>> environment_;
};

}  // namespace devops_monitor
