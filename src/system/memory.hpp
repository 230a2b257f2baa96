// Memory utilisation from /proc/meminfo, with psutil's virtual_memory().percent semantics.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {

/// Parses /proc/meminfo text (values in kB). Needs MemTotal; uses MemAvailable, or on kernels
/// older than 3.14 MemFree + Buffers + Cached. Errors name `where`.
Result<MemoryInfo> parse_meminfo(std::string_view text, const std::string& where);

Result<MemoryInfo> read_meminfo(const std::filesystem::path& procfs);

/// (total - available) / total * 100, one decimal.
double memory_percent(const MemoryInfo& memory);

}  // namespace devops_monitor
