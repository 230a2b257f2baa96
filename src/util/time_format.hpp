// Formatting instants for reports (RFC 3339 with offset) and report file names (UTC).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace devops_monitor {

using SystemTime = std::chrono::system_clock::time_point;

/// "2026-11-24T17:49:03.125+01:00": milliseconds, and the given offset from UTC (pure).
std::string format_rfc3339(SystemTime time, std::chrono::seconds utc_offset);

/// format_rfc3339 in UTC with "Z" for the offset: "2026-11-24T16:49:03.125Z" (pure).
std::string format_rfc3339_utc(SystemTime time);

/// Reads what format_rfc3339 writes (fraction optional, "Z" or an offset); nullopt otherwise.
std::optional<SystemTime> parse_rfc3339(const std::string& text);

/// The local time zone's offset from UTC at `time` (reads the TZ database).
std::chrono::seconds local_utc_offset(SystemTime time);

/// "20261124_164903": UTC, for report file names.
std::string utc_file_stamp(SystemTime time);

}  // namespace devops_monitor
