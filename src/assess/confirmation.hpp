// Confirmation: a component changes state for notifications and actions only after N
// consecutive checks agree, recovery likewise (Gatus' failure and success thresholds,
// Prometheus' `for:`). Pure data in, pure data out; the report itself keeps what each check
// measured, only what is announced goes through here. Later steps (such as dropping what is
// silenced) compose after it on the transitions it returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/transitions.hpp"
#include "devops_monitor/report.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

/// One component's announced state and the run of checks that see something else.
struct ComponentConfirmation {
  std::string component;  // as in Transition: "overall", "cpu", "key:openai", ...
  /// The state last announced (or taken over from a previous report). Unset: never announced,
  /// which counts as healthy, as for a component seen for the first time.
  std::optional<Status> confirmed{};
  /// What the latest checks saw instead of `confirmed`, and how many in a row saw it.
  std::optional<Status> candidate{};
  int streak = 0;
};

/// Every component watch has seen, in the order of the last check.
using ConfirmationState = std::vector<ComponentConfirmation>;

struct ConfirmationStep {
  ConfirmationState state;
  /// The changes confirmed by this check, overall first (transitions()' order).
  std::vector<Transition> announced;
};

/// The state at start-up: each component of `report` confirmed as it was there (none
/// without a report: nothing announced yet). watch seeds it from the latest report when that
/// is recent, so a restart neither repeats nor re-confirms a state that holds.
ConfirmationState confirmed_from(const Report* report);

/// One check: a component whose status differs from its confirmed one starts or extends a
/// streak; when `checks_needed` consecutive checks saw the same status, that status is
/// announced and confirmed. A check that sees the confirmed status again ends the streak.
/// Components absent from `observed` are forgotten. checks_needed <= 1 announces at once:
/// exactly transitions(previous, observed).
ConfirmationStep confirm(const ConfirmationState& state, const Report& observed, int checks_needed);

/// "memory critical 1/2, key:openai invalid..." : the components on their way to a change,
/// for the log line; empty when none is.
std::string describe_unconfirmed(const ConfirmationState& state, int checks_needed);

}  // namespace devops_monitor
