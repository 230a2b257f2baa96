// Reading files under a procfs root ("/proc", or a host's /proc mounted into a container).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// Reads <procfs>/<name> whole. Errors name the full path. Procfs files report a size of 0,
/// so this reads until EOF rather than trusting the size.
Result<std::string> read_procfs_file(const std::filesystem::path& procfs, const std::string& name);

// Small pure helpers shared by the procfs parsers.

/// Fails (naming `where`) unless `text` is a complete procfs file: not empty and ending in a
/// newline. The kernel always ends these files with one, so a missing newline means a short
/// read or a cut copy, whose last number may be cut too.
Result<void> require_complete_text(std::string_view text, const std::string& where);

/// The lines of `text`, without their newlines.
std::vector<std::string_view> split_lines(std::string_view text);

/// The fields of a line, separated by runs of spaces or tabs.
std::vector<std::string_view> split_fields(std::string_view line);

/// A whole token as an unsigned decimal: no sign, no spaces, no trailing characters, fits in
/// 64 bits.
std::optional<std::uint64_t> parse_u64(std::string_view token);

/// Why parse_u64 refused `token`, for an Error's detail.
std::string describe_bad_u64(std::string_view token);

/// `where` with a 1-based line number appended ("/proc/stat:3").
std::string where_line(const std::string& where, std::size_t line_index);

}  // namespace devops_monitor
