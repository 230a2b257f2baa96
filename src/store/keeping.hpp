// Keeping a checked report: the second step of a check, whose failure never costs the result.
#pragma once

#include <chrono>
#include <filesystem>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"
#include "model/key_history.hpp"

namespace devops_monitor {

/// The report directory's key history as it stands; an unreadable one counts as empty (with
/// a warning), since history problems never fail a check. Also warns, once per process, when
/// the directory is writable by others (store/report_dir.hpp).
KeyHistory current_key_history(const Settings& settings, CheckNotes* notes);

/// Saves the report (timestamped file and latest_report.json), records its key fingerprints
/// under the directory's lock, removes stale temporary files and prunes old reports. Only a
/// report that could not be written is an Error; the rest are warnings in `notes`.
Result<std::filesystem::path> keep_report(const Settings& settings, const Report& report,
                                          CheckNotes* notes);

/// keep_report, on a thread of its own, waited for until `deadline`: a report directory on a
/// hung NFS server becomes an Error, not a hang.
Result<std::filesystem::path> keep_report_until(const Settings& settings, const Report& report,
                                                CheckNotes* notes,
                                                std::chrono::steady_clock::time_point deadline);

}  // namespace devops_monitor
