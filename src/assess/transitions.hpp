// Transitions: what changed between two reports, per component, as pure data. Whether to
// speak is decided here and only here; notifiers and actions carry out what this returns.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devops_monitor/report.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

struct Transition {
  /// "overall", "cpu", "memory", "disk", "api_keys", "disk:<path>" or "key:<provider id>".
  std::string component;
  /// Unset on the first report, when there was no state to come from.
  std::optional<Status> from;
  Status to = Status::healthy;
};

/// What entering `to` is called where people read it (notices' "kind", action events):
/// "recovery" for healthy, the status itself otherwise.
std::string_view transition_word(Status to);

/// A key that serves but warns: a required model missing, credit below min_credit, rate-limit
/// headroom below ratelimit_warning_ratio (docs/provider-insight.md).
bool has_insight_warning(const ApiKeyStatus& key);

/// The status of one provider key as a component: a key that can serve (valid, rate limited)
/// is healthy, or warning with an insight warning; one that cannot (invalid, out of quota,
/// restricted) critical, an unverified one unknown.
/// Missing and unsupported keys are not components (nullopt): api_keys speaks for them.
std::optional<Status> key_component_status(const ApiKeyStatus& key);

/// Every component of a report with its status, in the order events are listed: overall,
/// cpu, memory, disk (the worst disk), api_keys, each disk ("disk:/var"), then each provider
/// key (key_component_status) in report order.
using ComponentStatuses = std::vector<std::pair<std::string, Status>>;
ComponentStatuses component_statuses(const Report& report);

/// The changes from `previous` to `current`, in component_statuses() order. A state that holds
/// gives no event. Without a previous report only the components that are not healthy give one
/// (from unset): a first check that finds everything healthy has nothing to say. A provider key
/// that is absent from `current` gives none (api_keys covers a key that went missing).
std::vector<Transition> transitions(const Report* previous, const Report& current);

}  // namespace devops_monitor
