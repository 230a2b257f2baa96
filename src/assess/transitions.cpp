#include "assess/transitions.hpp"

#include <algorithm>
#include <utility>

#include "devops_monitor/rules.hpp"

namespace devops_monitor {
namespace {

std::optional<Status> status_in(const ComponentStatuses& components, const std::string& name) {
  auto it = std::find_if(components.begin(), components.end(),
                         [&](const auto& component) { return component.first == name; });
  if (it == components.end()) return std::nullopt;
  return it->second;
}

}  // namespace

ComponentStatuses component_statuses(const Report& report) {
  ComponentStatuses out{
      {"overall", report.status},
      {"cpu", report.system_health.cpu_status},
      {"memory", report.system_health.memory_status},
      {"disk", report.system_health.disk_status},
      {"api_keys", api_keys_status(report.api_keys)},
  };
  // Each disk on its own too, named as the metrics and silences name it ("disk:/var"): one
  // disk filling up is its own news, and is confirmed on its own.
  for (const DiskHealth& disk : report.system_health.disks) {
    out.emplace_back("disk:" + disk.path, disk.status);
  }
  for (const ApiKeyStatus& key : report.api_keys) {
    if (std::optional<Status> status = key_component_status(key)) {
      out.emplace_back("key:" + key.id, *status);
    }
  }
  return out;
}

std::string_view transition_word(Status to) {
  return to == Status::healthy ? "recovery" : to_string(to);
}

bool has_insight_warning(const ApiKeyStatus& key) {
  return !key.missing_models.empty() || key.credit_low || key.ratelimit_low;
}

std::optional<Status> key_component_status(const ApiKeyStatus& key) {
  if (!key.key_present) return std::nullopt;
  switch (key.state) {
    case KeyState::valid:
    case KeyState::rate_limited:
      // What the answer told beyond the verdict is a warning, as in api_keys.
      return has_insight_warning(key) ? Status::warning : Status::healthy;
    case KeyState::invalid:
    case KeyState::quota_exhausted:
    case KeyState::restricted:
      return Status::critical;
    case KeyState::unknown:
      return Status::unknown;
    case KeyState::missing:
    case KeyState::unsupported:
      break;
  }
  return std::nullopt;
}

std::vector<Transition> transitions(const Report* previous, const Report& current) {
  const ComponentStatuses before =
      previous != nullptr ? component_statuses(*previous) : ComponentStatuses{};
  std::vector<Transition> events;
  for (const auto& [name, now] : component_statuses(current)) {
    const std::optional<Status> was = status_in(before, name);
    // A component seen for the first time speaks only when it is not healthy: "recovered"
    // from nothing would be noise.
    if (was ? *was == now : now == Status::healthy) continue;
    events.push_back({.component = name, .from = was, .to = now});
  }
  return events;
}

}  // namespace devops_monitor
