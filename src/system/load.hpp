// Load averages from /proc/loadavg (informational only).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor {

Result<LoadAverage> parse_loadavg(std::string_view text, const std::string& where);
Result<LoadAverage> read_loadavg(const std::filesystem::path& procfs);

}  // namespace devops_monitor
