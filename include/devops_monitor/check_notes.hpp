// What a check, a key round or keeping a report did besides producing its report, and how a
// check tells a person watching what it is waiting for.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

struct CheckNotes {
  std::vector<Error> warnings;                        // skipped .env lines, unreadable history...
  std::optional<std::filesystem::path> report_file;   // the report written, if it was saved
  std::vector<std::filesystem::path> pruned_reports;  // old reports deleted after saving
  std::optional<Error> keep_error;                    // why the report could not be saved
  /// Requests the key checks sent, per provider id (retries and model-list pages included).
  std::map<std::string, std::uint64_t> probe_requests;
};

/// For a line on a terminal: once a check has waited `after` for providers, `waiting` is
/// called once, from the checking thread, with the display names of those that have not
/// answered yet. Never called when all answered in time.
struct CheckProgress {
  std::chrono::milliseconds after{1000};
  std::function<void(const std::vector<std::string>& providers)> waiting{};
};

}  // namespace devops_monitor
