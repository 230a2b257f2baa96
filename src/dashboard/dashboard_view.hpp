// The dashboard's view from plain values: the engine's report of the moment (the latest
// system reading and the last key verdicts), the providers, the last checks and the clock.
// Pure, so the rows, gauges and times are tested with values.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/provider.hpp"
#include "devops_monitor/report.hpp"

namespace devops_monitor::dashboard {

struct ViewInputs {
  Report report;                    // engine::compose_report of the latest state
  std::vector<Provider> providers;  // settings.providers: every enabled one gets a row
  std::map<std::string, std::vector<DashboardCheck>> recent;  // by provider id, oldest first
  bool checking = false;
  std::optional<std::chrono::system_clock::time_point> last_round_started;
  std::optional<std::chrono::system_clock::time_point> next_round;
  std::chrono::system_clock::time_point now{};
  std::chrono::seconds utc_offset{0};  // local time's, for the clock times shown
  Milliseconds key_interval{60000};
  std::optional<std::string> last_error;
};

DashboardView dashboard_view(const ViewInputs& inputs);

/// The check a key verdict makes in the sparkline.
DashboardCheck check_of(const ApiKeyStatus& key);

}  // namespace devops_monitor::dashboard
