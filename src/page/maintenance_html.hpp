// The status page's maintenance notice: each silence active at the page's time, with when it
// ends, what it covers and its comment, all escaped (a comment is outside text).
#pragma once

#include <string>
#include <vector>

#include "devops_monitor/silences.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::page {

/// A <section id="maintenance"> with one line per silence active at `now`: "Maintenance until
/// 2026-12-07 10:00 UTC: disk:/ — migrating / to NVMe"; empty when none is.
std::string maintenance_html(const std::vector<Silence>& silences, SystemTime now);

}  // namespace devops_monitor::page
