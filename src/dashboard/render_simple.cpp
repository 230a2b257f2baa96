// `dashboard --simple`: the same view as plain ASCII lines, for a log, a pipe or a terminal
// that cannot take escape codes.
#include <algorithm>
#include <cstdio>

#include "dashboard/screen_text.hpp"
#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

/// The last checks in the ASCII sparkline; "-" when none of them had a key to check.
std::string simple_history(const DashboardProvider& provider) {
  const bool any = std::any_of(provider.recent.begin(), provider.recent.end(), [](const auto& c) {
    return c.state != KeyState::missing && c.state != KeyState::unsupported;
  });
  if (!any) return "-";
  std::string text;
  for (const std::string& glyph : dashboard::sparkline(provider.recent, 30, false)) text += glyph;
  return "[" + text + "]";
}

}  // namespace

std::string render_simple(const DashboardView& view) {
  std::string out = "devops-monitor dashboard: " + printable(view.host) + " at " +
                    printable(view.now) + ": " + std::string(to_string(view.status)) + "\n";
  for (const std::string& line : view.maintenance) out += "  " + printable(line) + "\n";
  for (const DashboardGauge& gauge : view.gauges) {
    out += "  " + printable(gauge.name) + " " + dashboard::percent_text(gauge.percent) + " " +
           std::string(to_string(gauge.status));
    char thresholds[64];
    std::snprintf(thresholds, sizeof thresholds, " (warning %g%%, critical %g%%)",
                  gauge.thresholds.warning, gauge.thresholds.critical);
    out += thresholds;
    if (!gauge.detail.empty()) out += ": " + printable(gauge.detail);
    out += "\n";
  }
  out += "  Load " + dashboard::load_text(view.load) + " (1, 5, 15 min)\n";
  out += "  API keys: " + dashboard::schedule_text(view) + "\n";
  for (const DashboardProvider& provider : view.providers) {
    out += "    " + printable(provider.name) + ": " + dashboard::state_words(provider);
    if (provider.latency_ms) out += ", " + dashboard::latency_text(provider.latency_ms);
    if (provider.checked && !provider.message.empty()) out += ", " + printable(provider.message);
    out += "; last checks " + simple_history(provider) + "\n";
  }
  if (view.providers.empty()) out += "    no provider is enabled\n";
  if (view.last_error) out += "  Last error: " + printable(*view.last_error) + "\n";
  return out + "\n";
}

}  // namespace devops_monitor
