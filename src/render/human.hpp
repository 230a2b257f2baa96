// The human summary printed by `devops-monitor --check`.
#pragma once

#include <optional>
#include <string>

#include "devops_monitor/report.hpp"

namespace devops_monitor {

struct HumanOptions {
  bool color = false;                      // ANSI colours (a TTY without NO_COLOR)
  std::optional<std::string> report_path;  // where the report was saved, if it was
};

/// The overall status first, then the old tool's sections: API keys, system health, issues,
/// recommendations, report path, and last the provider fallback order.
std::string render_human(const Report& report, const HumanOptions& options);

}  // namespace devops_monitor
