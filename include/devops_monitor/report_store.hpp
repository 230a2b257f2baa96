// The report directory as a store: what checks leave behind and everything read back from it.
//
//   devops_monitor::ReportStore store(settings);            // settings.report_dir
//   auto report = devops_monitor::Monitor(settings).check();
//   if (report) store.keep(*report);                         // timestamped file, latest, history
//   auto badge = store.badge(devops_monitor::BadgeFormat::svg);
//
// Files are written atomically (a temp file, then a link or rename), so readers never see half
// a report; the key history is updated under a lock shared by every process. Never throws.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/silences.hpp"
#include "devops_monitor/status_page.hpp"

namespace devops_monitor {

struct PruneOptions {
  bool dry_run = false;      // only list what would be deleted
  bool ignore_gaps = false;  // delete old reports even from before a gap in the history
};

struct PruneSummary {
  std::vector<std::filesystem::path> deleted;    // or, in a dry run, what would be
  std::vector<std::filesystem::path> held_back;  // old, but from before a gap in the history
  int gap_days = 0;                              // the length of that gap
};

class ReportStore {
 public:
  /// The store of settings.report_dir, keeping settings.retention_days of reports and
  /// reminding of keys older than settings.rotation_days.
  explicit ReportStore(Settings settings);

  [[nodiscard]] const std::filesystem::path& directory() const { return settings_.report_dir; }

  /// Keeps a checked report as monitoring_report_<UTC time>.json and latest_report.json (the
  /// directory is created with parents), records its key fingerprints in the key history and
  /// deletes reports past retention_days. Returns the report file written; key history and
  /// pruning problems are only warnings in `notes`. Gives up (an Error) when the directory
  /// does not answer within settings.effective_deadline() (a hung network mount).
  Result<std::filesystem::path> keep(const Report& report, CheckNotes* notes = nullptr) const;

  /// Deletes monitoring_report_*.json files older than retention_days (by the time in their
  /// name), or with options.dry_run only lists them. Never touches any other file. Reports from
  /// before a gap in the history longer than the retention period (at least 90 days) are held
  /// back unless options.ignore_gaps: after a clock jump forward every report looks old, and
  /// deleting them would wipe the history. Fails when the directory does not exist.
  [[nodiscard]] Result<PruneSummary> prune(const PruneOptions& options) const;

  /// A badge for latest_report.json: the overall status, or system_health.status for reports
  /// of the old tool; unknown when there is no latest report yet, and also when it does not
  /// parse (with a warning in `notes`). Fails when the directory does not exist.
  [[nodiscard]] Result<std::string> badge(BadgeFormat format, CheckNotes* notes = nullptr) const;

  /// The HTML status page, as `report --html` writes it: the last 90 days of reports and
  /// latest_report.json, every range (24h, 7d, 30d, 90d) in the one file with `shown` visible
  /// first. Skipped files are warnings in `notes`. Fails when the directory cannot be listed
  /// (also when it does not exist).
  [[nodiscard]] Result<std::string> status_page(PageRange shown, CheckNotes* notes = nullptr) const;

  /// The maintenance silences of silences.json, active, future and ended (ended ones stay a
  /// week). A file that cannot be read (not a regular file, a symlink, too large, not JSON) is
  /// a warning in `notes` and gives none. Fails when the directory does not exist.
  [[nodiscard]] Result<std::vector<Silence>> silences(CheckNotes* notes = nullptr) const;

  /// Adds a silence (its id is made here, short and unique) under the directory's lock and
  /// returns it. An unreadable silences.json is a warning in `notes` and is replaced. Fails
  /// when the directory does not exist.
  Result<Silence> add_silence(Silence silence, std::chrono::system_clock::time_point now,
                              CheckNotes* notes = nullptr) const;

  /// Ends silence `id` at `now`; fails when there is no such silence or it has ended.
  Result<Silence> expire_silence(const std::string& id, std::chrono::system_clock::time_point now,
                                 CheckNotes* notes = nullptr) const;

 private:
  Settings settings_;
};

}  // namespace devops_monitor
