// The report directory: timestamped reports that are never overwritten, and latest_report.json.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

inline constexpr std::string_view kLatestReportName = "latest_report.json";

/// Creates the directory (with parents) unless it exists. Whether it takes a report is only
/// known by writing one: an empty probe file passes on a full disk.
Result<void> prepare_report_dir(const std::filesystem::path& dir);

/// "monitoring_report_20261124_164903.json", or with "_2", "_3"... for later duplicates.
std::string report_file_name(SystemTime time, int duplicate);

struct SavedReport {
  std::filesystem::path report;       // the timestamped report written
  std::optional<Error> latest_error;  // set when latest_report.json could not be replaced
};

/// Writes `json` as monitoring_report_<UTC stamp>.json, taking the first free name (_2, _3,
/// ... for reports in the same second, also across concurrent processes), then replaces
/// latest_report.json with a copy. Each file appears complete or not at all. Fails only when
/// the timestamped report could not be written.
Result<SavedReport> save_report(const std::filesystem::path& dir, std::string_view json,
                                SystemTime time);

/// `dir`/latest_report.json; none when there is none. It was found, not named, so it is read
/// only as a regular file of at most 4 MiB (a FIFO or a symlink planted there is refused at
/// once); that, an unreadable file or one that does not parse is an Error naming it.
Result<std::optional<Report>> read_latest_report(const std::filesystem::path& dir);

/// The newest timestamped report of `dir` that reads and parses, trying at most
/// `kNewestReportTries` from the newest back (a report being written or cut short is skipped);
/// none when there is none. Read with the same rules as latest_report.json. For readers that
/// must show a report when latest_report.json is missing or unreadable.
inline constexpr int kNewestReportTries = 5;
Result<std::optional<Report>> read_newest_report(const std::filesystem::path& dir);

}  // namespace devops_monitor
