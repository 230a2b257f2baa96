// One Monitoring Plugins line: "DEVOPS <STATE> - <summary> | <perfdata>", then the issues as
// long text. Thousands of tools parse this shape: keep it stable.
#include <fmt/format.h>

#include <algorithm>

#include "devops_monitor/render.hpp"
#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

const char* nagios_state(Status status) {
  switch (status) {
    case Status::healthy:
      return "OK";
    case Status::warning:
      return "WARNING";
    case Status::critical:
      return "CRITICAL";
    case Status::unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

/// Outside text on one line, without the '|' that would start perfdata.
std::string plugin_text(std::string_view text) {
  std::string out = printable(text);
  std::replace(out.begin(), out.end(), '|', '/');
  return out;
}

std::string percent_perfdata(std::string_view name, double value, const Thresholds& levels) {
  return fmt::format("{}={:.1f}%;{:g};{:g};0;100", perfdata_label(name), value, levels.warning,
                     levels.critical);
}

bool usable(const ApiKeyStatus& key) {
  return (key.state == KeyState::valid || key.state == KeyState::rate_limited) &&
         key.missing_models.empty();
}

}  // namespace

std::string perfdata_label(std::string_view name) {
  // The guidelines forbid '=' and reserve the single quote (doubled inside quotes); anything
  // beyond letters, digits and '_' is quoted, so paths and provider ids always parse.
  std::string label = printable(name);
  std::replace(label.begin(), label.end(), '=', '_');
  std::replace(label.begin(), label.end(), '|', '_');
  const bool plain = !label.empty() && std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (plain) return label;
  std::string quoted = "'";
  for (const char c : label) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

std::string render_nagios(const Report& report) {
  const SystemHealth& s = report.system_health;
  const auto usable_keys = std::count_if(report.api_keys.begin(), report.api_keys.end(), usable);
  std::string summary =
      fmt::format("cpu {:.1f}%, memory {:.1f}%, disk {:.1f}%, {}/{} keys usable", s.cpu_percent,
                  s.memory_percent, s.disk_percent, usable_keys, report.api_keys.size());
  if (!report.issues_found.empty()) {
    summary += fmt::format(", {} issue{}", report.issues_found.size(),
                           report.issues_found.size() == 1 ? "" : "s");
  }
  std::string perfdata = percent_perfdata("cpu", s.cpu_percent, s.thresholds.cpu) + " " +
                         percent_perfdata("memory", s.memory_percent, s.thresholds.memory);
  for (const DiskHealth& disk : s.disks) {
    if (disk.status == Status::unknown) {
      // "U": the guidelines' value for one that could not be determined.
      perfdata += fmt::format(" {}=U", perfdata_label("disk_" + disk.path));
    } else {
      perfdata += " " + percent_perfdata("disk_" + disk.path, disk.percent, s.thresholds.disk);
    }
  }
  perfdata += fmt::format(" load1={:.2f};;;0; load5={:.2f};;;0; load15={:.2f};;;0;",
                          s.load_average.one, s.load_average.five, s.load_average.fifteen);
  perfdata += fmt::format(" keys_usable={};;;0;{}", usable_keys, report.api_keys.size());
  std::string out =
      fmt::format("DEVOPS {} - {} | {}\n", nagios_state(report.status), summary, perfdata);
  for (const std::string& issue : report.issues_found) out += plugin_text(issue) + "\n";
  return out;
}

std::string render_nagios_failure(std::string_view reason) {
  return "DEVOPS UNKNOWN - the check could not run: " + plugin_text(reason) + "\n";
}

}  // namespace devops_monitor
