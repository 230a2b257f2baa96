// The read side of the report store: which reports a directory holds. Every reader of the
// history (prune, and later history, the status page, watch, notify) lists through here.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "util/time_format.hpp"

namespace devops_monitor {

/// A timestamped report file and the UTC time in its name.
struct StoredReport {
  std::filesystem::path path;
  SystemTime time{};
};

/// The UTC time in a report file name ("monitoring_report_20261124_174903_2.json"); nullopt
/// for any other name, so no other file can ever be taken for a report.
std::optional<SystemTime> report_time_from_name(std::string_view file_name);

/// The monitoring_report_*.json regular files in `dir`, oldest first (by the time in their
/// names, then by name). Never throws; an unreadable directory is an Error naming it.
Result<std::vector<StoredReport>> list_reports(const std::filesystem::path& dir);

}  // namespace devops_monitor
