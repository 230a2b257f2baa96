// What a check, a key round or keeping a report did besides producing its report.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

struct CheckNotes {
  std::vector<Error> warnings;                        // skipped .env lines, unreadable history...
  std::optional<std::filesystem::path> report_file;   // the report written, if it was saved
  std::vector<std::filesystem::path> pruned_reports;  // old reports deleted after saving
  std::optional<Error> keep_error;                    // why the report could not be saved
};

}  // namespace devops_monitor
