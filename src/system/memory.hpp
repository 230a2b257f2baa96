// Memory utilisation from /proc/meminfo, with psutil's virtual_memory().percent semantics.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {

/// Parses /proc/meminfo text (values in kB). Needs MemTotal; uses MemAvailable. Kernels
/// older than 3.14 have no MemAvailable: like psutil 5.9 this then estimates it from
/// /proc/zoneinfo (see read_meminfo), and without that uses MemFree + Cached. As psutil and
/// procps do for containers whose meminfo is distorted, an available above the total is
/// replaced by MemFree; if that is above the total too the file is refused. Errors name `where`.
Result<MemoryInfo> parse_meminfo(std::string_view text, const std::string& where);

/// Reads <procfs>/meminfo, and <procfs>/zoneinfo when meminfo lacks MemAvailable.
Result<MemoryInfo> read_meminfo(const std::filesystem::path& procfs);

/// (total - available) / total * 100, one decimal. 0 for a zero total, which parse_meminfo
/// never produces.
double memory_percent(const MemoryInfo& memory);

// Pure steps of parse_meminfo / read_meminfo, exposed for tests.

/// The /proc/meminfo values psutil's virtual_memory() uses, in bytes.
struct MeminfoFields {
  std::uint64_t total = 0;
  std::optional<std::uint64_t> free, available, cached;
  std::optional<std::uint64_t> active_file, inactive_file, slab_reclaimable;
};

/// Parses the fields above; other lines are not looked at, so new kernel lines cannot break
/// us. Fails on a missing, zero or malformed MemTotal, or a malformed field we use.
Result<MeminfoFields> parse_meminfo_fields(std::string_view text, const std::string& where);

/// True when psutil would estimate availability from zoneinfo watermarks: no MemAvailable,
/// but Active(file), Inactive(file) and SReclaimable present (kernels 2.6.28 to 3.13).
bool wants_zoneinfo(const MeminfoFields& fields);

/// Sum of the "low" watermarks of all zones in /proc/zoneinfo, in pages.
Result<std::uint64_t> parse_zoneinfo_low_pages(std::string_view text, const std::string& where);

/// Total and available memory as psutil computes them. `low_watermark_bytes` is the zoneinfo
/// sum times the page size, or nullopt when zoneinfo is absent or not wanted.
Result<MemoryInfo> memory_info_from_fields(const MeminfoFields& fields,
                                           std::optional<std::uint64_t> low_watermark_bytes,
                                           const std::string& where);

}  // namespace devops_monitor
