#include "dashboard/dashboard_view.hpp"

#include <algorithm>
#include <cstdio>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/silences.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::dashboard {
namespace {

/// "6.4 of 16.0 GiB".
std::string gib_of(std::uint64_t used, std::uint64_t total) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f of %.1f GiB", static_cast<double>(used) / kGiB,
                static_cast<double>(total) / kGiB);
  return buffer;
}

/// "2026-12-06 03:21:52" in the given offset from UTC.
std::string local_date_time(std::chrono::system_clock::time_point time,
                            std::chrono::seconds offset) {
  const std::string rfc3339 = format_rfc3339(time, offset);  // 2026-12-06T03:21:52.125+00:00
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 8);
}

std::string local_clock(std::chrono::system_clock::time_point time, std::chrono::seconds offset) {
  return format_rfc3339(time, offset).substr(11, 8);
}

}  // namespace

DashboardCheck check_of(const ApiKeyStatus& key) {
  return {key.state, key.latency_ms};
}

DashboardView dashboard_view(const ViewInputs& inputs) {
  const Report& report = inputs.report;
  const SystemHealth& system = report.system_health;
  DashboardView view;
  view.host = report.host;
  view.now = local_date_time(inputs.now, inputs.utc_offset);
  view.status = report.status;
  view.load = system.load_average;
  view.gauges.push_back(
      {"CPU", system.cpu_percent, system.thresholds.cpu, system.cpu_status,
       std::to_string(system.cpu_count) + (system.cpu_count == 1 ? " CPU" : " CPUs")});
  view.gauges.push_back({"Memory", system.memory_percent, system.thresholds.memory,
                         system.memory_status,
                         gib_of(system.memory_total_bytes - std::min(system.memory_available_bytes,
                                                                     system.memory_total_bytes),
                                system.memory_total_bytes)});
  for (const DiskHealth& disk : system.disks) {
    DashboardGauge gauge{"Disk " + disk.path, disk.percent, system.thresholds.disk, disk.status,
                         gib_of(disk.used_bytes, disk.total_bytes)};
    if (disk.error) {
      gauge.percent.reset();
      gauge.detail = *disk.error;
    }
    view.gauges.push_back(std::move(gauge));
  }

  std::vector<Provider> providers = by_priority(inputs.providers);
  for (const Provider& provider : providers) {
    if (!provider.enabled) continue;
    DashboardProvider row;
    row.id = provider.id;
    row.name = provider.name.empty() ? provider.id : provider.name;
    const auto key = std::find_if(report.api_keys.begin(), report.api_keys.end(),
                                  [&](const ApiKeyStatus& k) { return k.id == provider.id; });
    if (key != report.api_keys.end()) {
      row.checked = true;
      row.state = key->state;
      row.latency_ms = key->latency_ms;
      row.message = key->error_message;
    }
    if (const auto recent = inputs.recent.find(provider.id); recent != inputs.recent.end()) {
      row.recent = recent->second;
    }
    view.providers.push_back(std::move(row));
  }

  view.key_interval = format_duration(inputs.key_interval);
  view.checking = inputs.checking;
  if (inputs.last_round_started) {
    view.last_check = local_clock(*inputs.last_round_started, inputs.utc_offset);
  }
  if (inputs.next_round) {
    view.next_check = local_clock(*inputs.next_round, inputs.utc_offset);
    const auto left = std::chrono::ceil<std::chrono::seconds>(*inputs.next_round - inputs.now);
    view.next_check_in_s = std::max<std::int64_t>(0, left.count());
  }
  view.last_error = inputs.last_error;
  for (const Silence& silence : active_silences(report.silences, inputs.now)) {
    std::string covered;
    for (const std::string& match : silence.matches) {
      covered += (covered.empty() ? "" : ", ") + match;
    }
    std::string line = "maintenance until " +
                       local_date_time(*parse_rfc3339(silence.ends_at), inputs.utc_offset) + ": " +
                       covered;
    if (!silence.comment.empty()) line += " - " + silence.comment;
    view.maintenance.push_back(std::move(line));
  }
  return view;
}

}  // namespace devops_monitor::dashboard
