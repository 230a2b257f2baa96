// CPU utilisation from /proc/stat, with psutil's cpu_percent semantics.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {

/// Parses the text of /proc/stat. `where` names the file in errors (a missing or short
/// "cpu" line, a non-numeric field).
Result<CpuStat> parse_proc_stat(std::string_view text, const std::string& where);

/// Reads and parses <procfs>/stat.
Result<CpuStat> read_cpu_stat(const std::filesystem::path& procfs);

/// Busy share of the interval between two readings, in percent with one decimal, as psutil:
/// busy excludes idle and iowait; guest and guest_nice are already inside user and nice, so
/// they are not counted twice. A counter that went backwards (iowait can) adds 0, as in
/// psutil. Fails (naming `where`) when no time elapsed between the readings (psutil would say
/// 0.0), which on a live kernel cannot happen and means the file is not live.
Result<double> cpu_busy_percent(const CpuTimes& before, const CpuTimes& after,
                                const std::string& where);

}  // namespace devops_monitor
