// The report directory: timestamped reports that are never overwritten, and latest_report.json.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

inline constexpr std::string_view kLatestReportName = "latest_report.json";

/// Creates the directory (with parents) unless it exists. Whether it takes a report is only
/// known by writing one: an empty probe file passes on a full disk.
Result<void> prepare_report_dir(const std::filesystem::path& dir);

/// "monitoring_report_20261124_164903.json", or with "_2", "_3"... for later duplicates.
std::string report_file_name(SystemTime time, int duplicate);

/// Writes `json` as monitoring_report_<UTC stamp>.json, taking the first free name (_2, _3,
/// ... for reports in the same second, also across concurrent processes), then replaces
/// latest_report.json with it. Each file appears complete or not at all. Returns the path
/// of the timestamped report.
Result<std::filesystem::path> save_report(const std::filesystem::path& dir, std::string_view json,
                                          SystemTime time);

}  // namespace devops_monitor
