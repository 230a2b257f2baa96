// What a status page is drawn from, read from a report directory: the last 90 days of
// samples (through history::load_history, the one reader of the history) and the newest
// report (latest_report.json, else the newest timestamped report), which carries the issues
// and recommendations.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"
#include "history/history.hpp"

namespace devops_monitor::page {

struct PageSources {
  std::vector<history::Sample> samples{};  // oldest first
  std::optional<Report> latest{};          // none: no report that reads at all
  std::vector<std::string> warnings{};     // files skipped, an unreadable latest_report.json
};

/// Fails only when `dir` cannot be listed (a missing directory included).
Result<PageSources> load_page_sources(const std::filesystem::path& dir, SystemTime now);

/// Keeps `samples` (oldest first) to the widest page range before `now`.
void trim_to_page_ranges(std::vector<history::Sample>& samples, SystemTime now);

}  // namespace devops_monitor::page
