#include "assess/confirmation.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace devops_monitor {
namespace {

const ComponentConfirmation* find_component(const ConfirmationState& state,
                                            const std::string& name) {
  auto it = std::find_if(state.begin(), state.end(),
                         [&](const ComponentConfirmation& c) { return c.component == name; });
  return it == state.end() ? nullptr : &*it;
}

}  // namespace

ConfirmationState confirmed_from(const Report* report) {
  ConfirmationState state;
  if (report == nullptr) return state;
  for (const auto& [name, status] : component_statuses(*report)) {
    state.push_back({.component = name, .confirmed = status});
  }
  return state;
}

ConfirmationStep confirm(const ConfirmationState& state, const Report& observed,
                         int checks_needed) {
  ConfirmationStep step;
  for (const auto& [name, now] : component_statuses(observed)) {
    const ComponentConfirmation* known = find_component(state, name);
    ComponentConfirmation next =
        known != nullptr ? *known : ComponentConfirmation{.component = name};
    // Never announced counts as healthy: "recovered" from nothing would be noise.
    if (now == next.confirmed.value_or(Status::healthy)) {
      next.confirmed = now;
      next.candidate.reset();
      next.streak = 0;
    } else {
      next.streak = next.candidate == now ? next.streak + 1 : 1;
      next.candidate = now;
      if (next.streak >= checks_needed) {
        step.announced.push_back({.component = name, .from = next.confirmed, .to = now});
        next.confirmed = now;
        next.candidate.reset();
        next.streak = 0;
      }
    }
    step.state.push_back(std::move(next));
  }
  return step;
}

std::string describe_unconfirmed(const ConfirmationState& state, int checks_needed) {
  std::string out;
  for (const ComponentConfirmation& component : state) {
    if (!component.candidate) continue;
    out += fmt::format("{}{} {} {}/{}", out.empty() ? "" : ", ", component.component,
                       to_string(*component.candidate), component.streak, checks_needed);
  }
  return out;
}

}  // namespace devops_monitor
