// The status rules for API keys, for callers that check keys on their own.
#pragma once

#include <string>
#include <vector>

#include "devops_monitor/report.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

/// The API part of the overall status: no key present -> warning; every present key invalid
/// or out of quota -> critical; any invalid, out-of-quota or unverifiable key, or no usable
/// key -> warning; otherwise healthy.
Status api_keys_status(const std::vector<ApiKeyStatus>& keys);

/// Provider ids that can serve now (valid, rate limited) in the given (priority) order, then
/// those that could not be verified; never invalid, missing or out-of-quota ones.
std::vector<std::string> fallback_order(const std::vector<ApiKeyStatus>& keys);

struct Advice {
  std::vector<std::string> issues;
  std::vector<std::string> recommendations;
};

/// The report's issues_found and recommendations for these keys and this system health: short
/// sentences a person can act on, keeping the old tool's phrases users grep for. Public for
/// the Python package's _identify_issues and _generate_recommendations.
Advice advise(const std::vector<ApiKeyStatus>& keys, const SystemHealth& system);

}  // namespace devops_monitor
