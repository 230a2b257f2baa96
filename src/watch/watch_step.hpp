// The pure part of `watch`: given what was announced so far and the new report, what to say
// and what to run. Confirmed transitions come from assess/confirmation; this adds the action
// rule and the one log line per check. No I/O here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/confirmation.hpp"
#include "assess/transitions.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor::watch {

struct WatchStep {
  /// What is announced after this check: the state to hand to the next step.
  ConfirmationState confirmed;
  /// Every confirmed transition of this check, overall first: all go out as ONE notice per
  /// webhook.
  std::vector<Transition> changes;
  /// The [actions] entry a check triggers: the OVERALL status it entered, when that is warning,
  /// critical, or healthy again (on_recovery). Entering unknown runs nothing: "could not
  /// measure" is not a state a recovery command can fix, and the webhooks already say it.
  std::optional<Status> action;
  /// The overall status announced before this check's overall change (none: never announced,
  /// or no overall change): the action's DEVOPS_MONITOR_PREVIOUS_STATUS.
  std::optional<Status> previous_overall;
};

/// `current` through confirmation (assess/confirmation.hpp, `checks_needed` agreeing checks),
/// then the action rule on the confirmed overall change.
WatchStep watch_step(const ConfirmationState& confirmed, const Report& current, int checks_needed);

/// Without confirmation: every change between two reports at once.
WatchStep watch_step(const Report* previous, const Report& current);

/// The argv configured for entering `status` (on_warning, on_critical, on_recovery for
/// healthy); empty when none is, and always for unknown.
const std::vector<std::string>& action_command(const ActionSettings& actions, Status status);

/// "on_warning", "on_critical", "on_recovery" (healthy), "none" (unknown).
std::string_view action_name(Status status);

/// "no changes", or "2 changes: overall healthy->warning, cpu healthy->warning" ("new" for a
/// component without a previous state).
std::string describe_changes(const std::vector<Transition>& changes);

/// The components that are not healthy, with their values: "cpu 85.3% warning, disk /var
/// 97.0% critical, openai key invalid"; empty when all are healthy.
std::string describe_problems(const Report& report);

/// The one log line of a check: "check <time>: <status> (<problems>); report <path>;
/// <changes>", then "; unconfirmed: memory critical 1/2" when `unconfirmed` is not empty.
/// `report_file` empty: "not saved".
std::string check_line(const Report& report, const std::string& report_file,
                       const std::vector<Transition>& changes, const std::string& unconfirmed = "");

}  // namespace devops_monitor::watch
