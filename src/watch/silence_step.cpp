#include "watch/silence_step.hpp"

#include <algorithm>
#include <utility>

#include "devops_monitor/silences.hpp"

namespace devops_monitor::watch {
namespace {

using Named = std::vector<std::pair<std::string, Status>>;

/// The components of a report a silence can name, with their status.
Named silenceable_components(const Report& report) {
  const SystemHealth& health = report.system_health;
  Named out{{"cpu", health.cpu_status}, {"memory", health.memory_status}};
  for (const DiskHealth& disk : health.disks) out.emplace_back("disk:" + disk.path, disk.status);
  for (const ApiKeyStatus& key : report.api_keys) {
    if (std::optional<Status> status = key_component_status(key)) {
      out.emplace_back("key:" + key.id, *status);
    }
  }
  return out;
}

/// Every member of a group ("disk:" or "key:") that is not healthy in either report is
/// covered, and there is at least one.
bool group_silenced(std::string_view prefix, const Report* previous, const Report& current) {
  bool any = false;
  for (const Report* report : {previous, &current}) {
    if (report == nullptr) continue;
    for (const auto& [name, status] : silenceable_components(*report)) {
      if (!name.starts_with(prefix) || status == Status::healthy) continue;
      if (silence_covering(current.silences, name) == nullptr) return false;
      any = true;
    }
  }
  return any;
}

bool silenced(const std::string& component, const Report* previous, const Report& current) {
  if (silence_covering(current.silences, component) != nullptr) return true;
  if (component == "disk") return group_silenced("disk:", previous, current);
  if (component == "api_keys") return group_silenced("key:", previous, current);
  return false;
}

bool announced(const WatchStep& step, const std::string& component) {
  // A disk or a key speaks through its group's change as well as its own name.
  const std::string group = component.starts_with("disk:") ? "disk" : component;
  return std::any_of(step.changes.begin(), step.changes.end(), [&](const Transition& change) {
    return change.component == component || change.component == group;
  });
}

}  // namespace

WatchStep without_silenced(WatchStep step, const Report* previous, const Report& current) {
  if (current.silences.empty()) return step;
  std::vector<Transition> kept;
  bool any_component = false;
  bool component_kept = false;
  std::optional<Transition> overall;
  for (Transition& change : step.changes) {
    if (change.component == "overall") {
      overall = std::move(change);
      continue;
    }
    any_component = true;
    if (silenced(change.component, previous, current)) continue;
    component_kept = true;
    kept.push_back(std::move(change));
  }
  const bool overall_silenced = silence_covering(current.silences, "overall") != nullptr ||
                                (any_component && !component_kept);
  if (overall && !overall_silenced) kept.insert(kept.begin(), std::move(*overall));
  if (overall_silenced) step.action.reset();
  step.changes = std::move(kept);
  return step;
}

std::vector<Transition> silences_ended_while_bad(const Report* previous, const Report& current,
                                                 const WatchStep& step) {
  std::vector<Transition> out;
  if (previous == nullptr || previous->silences.empty()) return out;
  for (const auto& [name, status] : silenceable_components(current)) {
    if (status == Status::healthy) continue;
    if (silence_covering(previous->silences, name) == nullptr) continue;
    if (silence_covering(current.silences, name) != nullptr) continue;
    if (announced(step, name)) continue;
    out.push_back({.component = name, .from = status, .to = status});
  }
  return out;
}

std::string describe_ended_silences(const std::vector<Transition>& ended) {
  std::string out = "maintenance ended, still not healthy:";
  const char* separator = " ";
  for (const Transition& change : ended) {
    out += separator + change.component + " " + std::string(to_string(change.to));
    separator = ", ";
  }
  return out;
}

}  // namespace devops_monitor::watch
