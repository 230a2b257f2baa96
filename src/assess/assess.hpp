// The status rules: pure functions from measurements to verdicts, issues and advice.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "assess/snapshot.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/rules.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

/// The whole report of a check.
Report assess(const Snapshot& snapshot, const ThresholdSet& thresholds);

/// The judgement part of assess(): issues, recommendations, fallback order and overall status
/// from the report's api_keys and system_health (serve joins cached key verdicts to a fresh
/// system sample and concludes the same way).
void conclude(Report& report);

/// healthy below warning, warning from warning to critical inclusive, critical above.
Status metric_status(double percent, const Thresholds& thresholds);

/// CPU, memory and every disk against their thresholds; the worst sets the status.
SystemHealth assess_system(const SystemSample& sample, const ThresholdSet& thresholds,
                           const std::string& timestamp);

/// The verdict on one provider key.
ApiKeyStatus assess_key(const KeyProbe& probe, std::chrono::seconds utc_offset);

// advise() and Advice are public: devops_monitor/rules.hpp.

}  // namespace devops_monitor
