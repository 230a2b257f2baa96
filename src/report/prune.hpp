// Report retention: deleting monitoring_report_*.json files past their time.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

/// The UTC time in a report file name ("monitoring_report_20261124_174903_2.json"); nullopt
/// for any other name, so no other file can ever be selected.
std::optional<SystemTime> report_time_from_name(std::string_view file_name);

/// Pure: is a report of `report_time` older than `retention_days` at `now`?
bool past_retention(SystemTime report_time, SystemTime now, int retention_days);

/// Deletes (or with `dry_run` only lists) the timestamped reports in `dir` older than
/// `retention_days`, never `keep`. Returns the files deleted (or that would be), by name order.
Result<std::vector<std::filesystem::path>> prune_reports(const std::filesystem::path& dir,
                                                         int retention_days, SystemTime now,
                                                         bool dry_run,
                                                         const std::filesystem::path& keep = {});

}  // namespace devops_monitor
