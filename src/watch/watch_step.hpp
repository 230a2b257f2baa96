// The pure part of `watch`: given the previous report (or none) and the new one, what to say
// and what to run. Transitions come from assess/transitions; this adds the action rule and
// the one log line per check. No I/O here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/transitions.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor::watch {

/// Which [actions] entry a check triggers: the OVERALL status entering warning, critical, or
/// healthy again. Entering unknown runs nothing: "could not measure" is not a state a
/// recovery command can fix, and the webhooks already say it.
enum class ActionEvent { warning, critical, recovery };

std::string_view to_string(ActionEvent event);  // "warning", "critical", "recovery"

struct WatchStep {
  /// Every transition of this check, overall first: all go out as ONE notice per webhook.
  std::vector<Transition> changes;
  /// The action to run, if the overall status changed into warning, critical or healthy.
  std::optional<ActionEvent> action;
};

WatchStep watch_step(const Report* previous, const Report& current);

/// The argv configured for `event`; empty when none is.
const std::vector<std::string>& action_command(const ActionSettings& actions, ActionEvent event);

/// "no changes", or "2 changes: overall healthy->warning, cpu healthy->warning" ("new" for a
/// component without a previous state).
std::string describe_changes(const std::vector<Transition>& changes);

/// The components that are not healthy, with their values: "cpu 85.3% warning, disk /var
/// 97.0% critical, openai key invalid"; empty when all are healthy.
std::string describe_problems(const Report& report);

/// The one log line of a check: "check <time>: <status> (<problems>); report <path>;
/// <changes>". `report_file` empty: "not saved".
std::string check_line(const Report& report, const std::string& report_file,
                       const std::vector<Transition>& changes);

}  // namespace devops_monitor::watch
