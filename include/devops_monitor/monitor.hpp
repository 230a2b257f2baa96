// The library's front door: the old tool's DevOpsMonitor class, in C++.
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

#include "devops_monitor/config.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/provider.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status_page.hpp"

namespace devops_monitor {

/// What a check did besides producing its report.
struct CheckNotes {
  std::vector<Error> warnings;                        // skipped .env lines, unreadable history...
  std::optional<std::filesystem::path> report_file;   // the report written, if it was saved
  std::vector<std::filesystem::path> pruned_reports;  // old reports deleted after saving
  std::optional<Error> keep_error;                    // why the report could not be saved
};

struct PruneOptions {
  bool dry_run = false;      // only list what would be deleted
  bool ignore_gaps = false;  // delete old reports even from before a gap in the history
};

struct PruneSummary {
  std::vector<std::filesystem::path> deleted;    // or, in a dry run, what would be
  std::vector<std::filesystem::path> held_back;  // old, but from before a gap in the history
  int gap_days = 0;                              // the length of that gap
};

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

  /// A full check: check(), then, unless settings.save_report is false, keep(). A failure to
  /// keep never costs the result: the report comes back with the failure among its issues and
  /// its status at least warning, and notes->keep_error says what failed. Fails only when the
  /// check itself cannot run (unreadable procfs, missing disk path, unreadable .env file).
  Result<Report> perform_health_check(CheckNotes* notes = nullptr) const;

  /// Step one of a check: measures the system and checks every enabled provider's key,
  /// concurrently, and judges the result. Writes nothing; reads the report directory's key
  /// history (if any) to mark rotated keys and key ages.
  Result<Report> check(CheckNotes* notes = nullptr) const;

  /// Step two: keeps a checked report in settings.report_dir (created with parents) as
  /// monitoring_report_<UTC time>.json and latest_report.json, records its key fingerprints
  /// in the key history and deletes reports past settings.retention_days. Returns the report
  /// file written; key history and pruning problems are only warnings in `notes`.
  Result<std::filesystem::path> keep(const Report& report, CheckNotes* notes = nullptr) const;

  /// CPU (over settings.cpu_window), memory and disks against the thresholds.
  [[nodiscard]] Result<SystemHealth> check_system_health() const;

  /// One key: `env_var` is looked up, `provider` says how to check it.
  [[nodiscard]] Result<ApiKeyStatus> check_api_key_status(const std::string& env_var,
                                                          const Provider& provider) const;

  /// Every enabled provider's key, concurrently, in priority order.
  Result<std::vector<ApiKeyStatus>> check_api_keys(CheckNotes* notes = nullptr) const;

  /// Provider ids to use, best first: those that can serve now, then those that could not be
  /// verified (runs the key checks).
  [[nodiscard]] Result<std::vector<std::string>> provider_fallback_order() const;

  /// A badge for the status in the report directory's latest_report.json: the overall status,
  /// or system_health.status for reports of the old tool; unknown when there is no report, and
  /// also when it does not parse (with a warning in `notes`).
  std::string status_badge(BadgeFormat format, CheckNotes* notes = nullptr) const;

  /// The HTML status page of settings.report_dir, as `report --html` writes it: the
  /// last 90 days of reports and latest_report.json, every range (24h, 7d, 30d, 90d) in the
  /// one file with `shown` visible first. Skipped files are warnings in `notes`. Fails when
  /// the directory cannot be listed (also when it does not exist).
  [[nodiscard]] Result<std::string> status_page(PageRange shown, CheckNotes* notes = nullptr) const;

  /// Deletes monitoring_report_*.json files older than settings.retention_days (by the time in
  /// their name), or with options.dry_run only lists them. Never touches any other file.
  /// Reports from before a gap in the history longer than the retention period (at least 30
  /// days) are held back unless options.ignore_gaps: after a clock jump forward every report
  /// looks old, and deleting them would wipe the history.
  [[nodiscard]] Result<PruneSummary> prune(const PruneOptions& options) const;

  /// prune({.dry_run = dry_run}): the files deleted (or that would be).
  [[nodiscard]] Result<std::vector<std::filesystem::path>> prune_reports(bool dry_run) const;

 private:
  std::string status_badge_of_latest(BadgeFormat format, CheckNotes* notes) const;
  Result<Report> check_until(CheckNotes* notes,
                             std::chrono::steady_clock::time_point deadline) const;

  Settings settings_;
  std::optional<std::map<std::string, std::string>> environment_;
};

}  // namespace devops_monitor
