#include "watch/watch_step.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "devops_monitor/rules.hpp"

namespace devops_monitor::watch {
namespace {

const std::vector<std::string> kNoCommand;

}  // namespace

WatchStep watch_step(const ConfirmationState& confirmed, const Report& current, int checks_needed) {
  ConfirmationStep confirmation = confirm(confirmed, current, checks_needed);
  WatchStep step;
  step.confirmed = std::move(confirmation.state);
  step.changes = std::move(confirmation.announced);
  for (const Transition& change : step.changes) {
    if (change.component != "overall") continue;
    step.previous_overall = change.from;
    if (change.to != Status::unknown) step.action = change.to;
  }
  return step;
}

WatchStep watch_step(const Report* previous, const Report& current) {
  return watch_step(confirmed_from(previous), current, 1);
}

const std::vector<std::string>& action_command(const ActionSettings& actions, Status status) {
  switch (status) {
    case Status::warning:
      return actions.on_warning;
    case Status::critical:
      return actions.on_critical;
    case Status::healthy:
      return actions.on_recovery;
    case Status::unknown:
      break;
  }
  return kNoCommand;
}

std::string_view action_name(Status status) {
  switch (status) {
    case Status::warning:
      return "on_warning";
    case Status::critical:
      return "on_critical";
    case Status::healthy:
      return "on_recovery";
    case Status::unknown:
      break;
  }
  return "none";
}

std::string describe_changes(const std::vector<Transition>& changes) {
  if (changes.empty()) return "no changes";
  std::string out = fmt::format("{} change{}:", changes.size(), changes.size() == 1 ? "" : "s");
  const char* separator = " ";
  for (const Transition& change : changes) {
    out += fmt::format("{}{} {}->{}", separator, change.component,
                       change.from ? to_string(*change.from) : "new", to_string(change.to));
    separator = ", ";
  }
  return out;
}

std::string describe_problems(const Report& report) {
  std::vector<std::string> parts;
  const SystemHealth& health = report.system_health;
  if (health.cpu_status != Status::healthy) {
    parts.push_back(
        fmt::format("cpu {:.1f}% {}", health.cpu_percent, to_string(health.cpu_status)));
  }
  if (health.memory_status != Status::healthy) {
    parts.push_back(
        fmt::format("memory {:.1f}% {}", health.memory_percent, to_string(health.memory_status)));
  }
  for (const DiskHealth& disk : health.disks) {
    if (disk.status == Status::healthy) continue;
    parts.push_back(disk.error ? fmt::format("disk {} {}", disk.path, to_string(disk.status))
                               : fmt::format("disk {} {:.1f}% {}", disk.path, disk.percent,
                                             to_string(disk.status)));
  }
  if (health.disks.empty() && health.disk_status != Status::healthy) {
    parts.push_back(
        fmt::format("disk {:.1f}% {}", health.disk_percent, to_string(health.disk_status)));
  }
  bool key_named = false;
  for (const ApiKeyStatus& key : report.api_keys) {
    const std::optional<Status> status = key_component_status(key);
    if (!status || *status == Status::healthy) continue;
    key_named = true;
    if (!has_insight_warning(key)) {
      parts.push_back(fmt::format("{} key {}", key.id, to_string(key.state)));
      continue;
    }
    // A key that still answers: name what it warns of, not its (fine) state.
    if (!key.missing_models.empty()) {
      parts.push_back(fmt::format("{} key missing {}", key.id, fmt::join(key.missing_models, " ")));
    }
    if (key.credit_low && key.credit_remaining) {
      parts.push_back(fmt::format("{} key credit low ({:g} {})", key.id, *key.credit_remaining,
                                  key.credit_unit.value_or("")));
    }
    if (key.ratelimit_low && key.ratelimit_remaining && key.ratelimit_limit) {
      parts.push_back(fmt::format("{} key rate limit low ({}/{} requests)", key.id,
                                  *key.ratelimit_remaining, *key.ratelimit_limit));
    }
  }
  // Missing keys are no component of their own: api_keys speaks for them.
  const Status keys = api_keys_status(report.api_keys);
  if (!key_named && keys != Status::healthy) {
    parts.push_back(fmt::format("api_keys {}", to_string(keys)));
  }
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : ", ") + part;
  return out;
}

std::string check_line(const Report& report, const std::string& report_file,
                       const std::vector<Transition>& changes, const std::string& unconfirmed) {
  const std::string problems = describe_problems(report);
  return fmt::format(
      "check {}: {}{}; {}; {}{}", report.timestamp, to_string(report.status),
      problems.empty() ? "" : " (" + problems + ")",
      report_file.empty() ? std::string("report not saved") : "report " + report_file,
      describe_changes(changes), unconfirmed.empty() ? "" : "; unconfirmed: " + unconfirmed);
}

}  // namespace devops_monitor::watch
