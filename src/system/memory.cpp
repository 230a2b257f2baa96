#include "system/memory.hpp"

#include <unistd.h>

#include <cmath>
#include <limits>
#include <vector>

#include "system/procfs.hpp"

namespace devops_monitor {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

/// The meminfo line for `key` ("MemTotal:"), or nullptr if we do not use that line.
std::optional<std::uint64_t>* field_for(MeminfoFields& f, std::string_view key,
                                        std::optional<std::uint64_t>& total) {
  if (key == "MemTotal:") return &total;
  if (key == "MemFree:") return &f.free;
  if (key == "MemAvailable:") return &f.available;
  if (key == "Cached:") return &f.cached;
  if (key == "Active(file):") return &f.active_file;
  if (key == "Inactive(file):") return &f.inactive_file;
  if (key == "SReclaimable:") return &f.slab_reclaimable;
  return nullptr;
}

/// "Key:   1234 kB" -> bytes. The kernel prints these lines in kB (psutil assumes so too).
Result<std::uint64_t> parse_kb_line(const std::vector<std::string_view>& fields,
                                    const std::string& where) {
  const bool unit_ok = fields.size() == 2 || (fields.size() == 3 && fields[2] == "kB");
  if (!unit_ok) {
    return Error{.what = "invalid meminfo line",
                 .detail = "expected \"" + std::string(fields[0]) + " <number> kB\"",
                 .where = where};
  }
  const std::optional<std::uint64_t> kb = parse_u64(fields[1]);
  if (!kb) {
    return Error{.what = "invalid meminfo value",
                 .detail = std::string(fields[0]) + " " + describe_bad_u64(fields[1]),
                 .where = where};
  }
  if (*kb > kMax / 1024) {
    return Error{.what = "invalid meminfo value",
                 .detail = std::string(fields[0]) + " is too large to count in bytes",
                 .where = where};
  }
  return *kb * 1024;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return a > kMax - b ? kMax : a + b;
}

Error missing_field(const std::string& key, const std::string& why, const std::string& where) {
  return Error{.what = "meminfo has no " + key + " line", .detail = why, .where = where};
}

/// psutil's calculate_avail_vmem, the kernel's own MemAvailable formula for kernels that do
/// not print it, step for step in the same floating-point operations so the result (and the
/// rounded percent) is the same to the byte. Negative estimates become 0, as psutil does.
std::uint64_t estimate_from_watermarks(const MeminfoFields& f, std::uint64_t free,
                                       std::uint64_t low_watermark) {
  const auto wm = static_cast<double>(low_watermark);
  double avail = static_cast<double>(free) - wm;
  double pagecache = static_cast<double>(*f.active_file) + static_cast<double>(*f.inactive_file);
  pagecache -= std::min(pagecache / 2, wm);
  avail += pagecache;
  const auto slab = static_cast<double>(*f.slab_reclaimable);
  avail += slab - std::min(slab / 2.0, wm);
  avail = std::trunc(avail);  // Python's int()
  if (avail <= 0) return 0;
  if (avail >= 18446744073709551616.0) return kMax;  // 2^64: absurd input, caught by the caller
  return static_cast<std::uint64_t>(avail);
}

/// Available memory on kernels without MemAvailable, as psutil 5.9 computes it.
Result<std::uint64_t> estimate_available(const MeminfoFields& f,
                                         std::optional<std::uint64_t> low_watermark_bytes,
                                         const std::string& where) {
  if (!f.free) {
    return missing_field("MemFree:", "needed to estimate available memory without MemAvailable",
                         where);
  }
  if (wants_zoneinfo(f) && low_watermark_bytes) {
    return estimate_from_watermarks(f, *f.free, *low_watermark_bytes);
  }
  // psutil's fallback (and the kernel's definition before 2.6.28): free plus page cache.
  // Not Buffers: psutil leaves them out, and matching it matters more than the older
  // "free + buffers + cached" rule of thumb.
  return saturating_add(*f.free, f.cached.value_or(0));
}

std::uint64_t page_size() {
  const long size = ::sysconf(_SC_PAGESIZE);
  return size > 0 ? static_cast<std::uint64_t>(size) : 4096;
}

}  // namespace

Result<MeminfoFields> parse_meminfo_fields(std::string_view text, const std::string& where) {
  if (Result<void> complete = require_complete_text(text, where); !complete) {
    return complete.error();
  }
  MeminfoFields fields;
  std::optional<std::uint64_t> total;
  const std::vector<std::string_view> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string_view> parts = split_fields(lines[i]);
    if (parts.empty()) continue;
    std::optional<std::uint64_t>* slot = field_for(fields, parts[0], total);
    if (slot == nullptr) continue;
    Result<std::uint64_t> bytes = parse_kb_line(parts, where_line(where, i));
    if (!bytes) return bytes.error();
    *slot = *bytes;  // a repeated key keeps its last value, as in psutil's dict
  }
  if (!total) return missing_field("MemTotal:", "the total memory is required", where);
  if (*total == 0) {
    return Error{.what = "meminfo reports MemTotal of 0",
                 .detail = "a percentage of zero memory means nothing",
                 .where = where};
  }
  fields.total = *total;
  return fields;
}

bool wants_zoneinfo(const MeminfoFields& fields) {
  return !fields.available && fields.active_file && fields.inactive_file && fields.slab_reclaimable;
}

Result<std::uint64_t> parse_zoneinfo_low_pages(std::string_view text, const std::string& where) {
  if (Result<void> complete = require_complete_text(text, where); !complete) {
    return complete.error();
  }
  std::uint64_t pages = 0;
  bool found = false;
  const std::vector<std::string_view> lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string_view> parts = split_fields(lines[i]);
    // psutil's test, kept as is: a stripped line starting with "low".
    if (parts.empty() || !parts[0].starts_with("low")) continue;
    const std::optional<std::uint64_t> value =
        parts.size() >= 2 ? parse_u64(parts[1]) : std::nullopt;
    if (!value || *value > kMax - pages) {
      return Error{.what = "invalid zoneinfo watermark",
                   .detail = parts.size() >= 2 ? describe_bad_u64(parts[1]) : "no value",
                   .where = where_line(where, i)};
    }
    pages += *value;
    found = true;
  }
  if (!found) {
    return Error{.what = "zoneinfo has no \"low\" watermark lines", .detail = "", .where = where};
  }
  return pages;
}

Result<MemoryInfo> memory_info_from_fields(const MeminfoFields& fields,
                                           std::optional<std::uint64_t> low_watermark_bytes,
                                           const std::string& where) {
  std::uint64_t available = 0;
  if (fields.available) {
    available = *fields.available;
  } else {
    Result<std::uint64_t> estimate = estimate_available(fields, low_watermark_bytes, where);
    if (!estimate) return estimate.error();
    available = *estimate;
  }
  if (available > fields.total) {
    // Decision: psutil and procps read an available above the total as the distorted meminfo
    // of some containers and fall back to MemFree; we do the same to report the same number.
    // If MemFree is above the total as well, psutil would print a negative percent: we refuse
    // the file instead of reporting nonsense.
    if (!fields.free || *fields.free > fields.total) {
      return Error{.what = "meminfo reports more available memory than total memory",
                   .detail = "MemAvailable (or its estimate) and MemFree exceed MemTotal",
                   .where = where};
    }
    available = *fields.free;
  }
  return MemoryInfo{.total_bytes = fields.total, .available_bytes = available};
}

Result<MemoryInfo> parse_meminfo(std::string_view text, const std::string& where) {
  Result<MeminfoFields> fields = parse_meminfo_fields(text, where);
  if (!fields) return fields.error();
  return memory_info_from_fields(*fields, std::nullopt, where);
}

Result<MemoryInfo> read_meminfo(const std::filesystem::path& procfs) {
  const std::string where = (procfs / "meminfo").string();
  Result<std::string> text = read_procfs_file(procfs, "meminfo");
  if (!text) return text.error();
  Result<MeminfoFields> fields = parse_meminfo_fields(*text, where);
  if (!fields) return fields.error();

  std::optional<std::uint64_t> low_watermark_bytes;
  if (wants_zoneinfo(*fields)) {
    // Like psutil, an unreadable zoneinfo (kernels before 2.6.13 have none) means the
    // MemFree + Cached fallback rather than a failure; a malformed one is an error.
    if (Result<std::string> zoneinfo = read_procfs_file(procfs, "zoneinfo"); zoneinfo) {
      Result<std::uint64_t> pages =
          parse_zoneinfo_low_pages(*zoneinfo, (procfs / "zoneinfo").string());
      if (!pages) return pages.error();
      const std::uint64_t size = page_size();
      low_watermark_bytes = *pages > kMax / size ? kMax : *pages * size;
    }
  }
  return memory_info_from_fields(*fields, low_watermark_bytes, where);
}

double memory_percent(const MemoryInfo& memory) {
  if (memory.total_bytes == 0) return 0.0;  // psutil's usage_percent answer; see the header
  // psutil: round(float(total - available) / total * 100, 1), the difference taken exactly.
  const double used = memory.available_bytes <= memory.total_bytes
                          ? static_cast<double>(memory.total_bytes - memory.available_bytes)
                          : -static_cast<double>(memory.available_bytes - memory.total_bytes);
  return round_to_tenth(used / static_cast<double>(memory.total_bytes) * 100);
}

}  // namespace devops_monitor
