// The HTML status page: `serve` answers `/` with it, `report --html FILE` writes it to a file.
// The page is drawn here (SVG charts, no script, no CDN); Monitor::status_page builds it from
// the report directory, and write_page_file keeps it.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// The ranges a status page shows its charts over.
enum class PageRange { day, week, month, quarter };

inline constexpr PageRange kPageRanges[] = {PageRange::day, PageRange::week, PageRange::month,
                                            PageRange::quarter};

/// "24h", "7d", "30d", "90d"; nullopt for anything else.
std::optional<PageRange> parse_page_range(std::string_view text);
std::string_view to_string(PageRange range);
std::chrono::seconds range_length(PageRange range);

/// Writes `html` to `file` atomically (a temp file beside it, then rename): a web server or
/// a CI artifact upload never reads half a page. Missing parent directories are created.
Result<void> write_page_file(const std::filesystem::path& file, std::string_view html);

}  // namespace devops_monitor
