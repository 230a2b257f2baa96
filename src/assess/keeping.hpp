// What a report says when it could not be kept: the failure is part of the result.
#pragma once

#include <string>

#include "devops_monitor/error.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor {

/// The report with the failure among its issues, a recommendation to fix it, and its status
/// at least warning (pure).
Report with_keeping_failure(Report report, const Error& error, const std::string& report_dir);

}  // namespace devops_monitor
