// Silences in `watch`, as pure steps over the reports' own silence lists (each report carries
// the silences active when it was taken). They run after whatever decided what to announce
// (watch_step), so any rule that decides that composes with them.
#pragma once

#include <string>
#include <vector>

#include "assess/transitions.hpp"
#include "devops_monitor/report.hpp"
#include "watch/watch_step.hpp"

namespace devops_monitor::watch {

/// `step` without what current.silences cover, so no webhook and no action speaks of it:
/// - cpu, memory and key:<id> go when a silence covers that component;
/// - disk and api_keys (one component for many) go when silences cover every disk, or every
///   provider key, that is not healthy in `previous` or `current`;
/// - overall, and with it the action, goes when every other change of this step went (or
///   `all` is silenced): the overall status moved only because of silenced components.
WatchStep without_silenced(WatchStep step, const Report* previous, const Report& current);

/// The components a silence covered in `previous` that none covers in `current` and that are
/// still not healthy: the one notice that says a maintenance ended on a bad state. Each is a
/// Transition whose from and to are the status it holds, named as the metrics name it
/// ("disk:/", "key:openai"). Components `step` already announces are left out. Empty without
/// a previous report: a silence that ends is seen once, by the check after its end.
std::vector<Transition> silences_ended_while_bad(const Report* previous, const Report& current,
                                                 const WatchStep& step);

/// "maintenance ended, still critical: disk:/, key:openai" for the log line.
std::string describe_ended_silences(const std::vector<Transition>& ended);

}  // namespace devops_monitor::watch
