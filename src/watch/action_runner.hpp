// Running one recovery action (Monit's `exec`): argv without a shell, a bounded time that ends
// its whole process tree (action_tree.hpp), its output captured and bounded, and a minimal
// environment.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status.hpp"
#include "watch/action_tree.hpp"
#include "watch/watch_step.hpp"

namespace devops_monitor::watch {

/// At most this much of an action's output (stdout and stderr together) is kept; the rest
/// is read and dropped so the action never blocks on a full pipe.
inline constexpr std::size_t kActionOutputCap = 4096;
/// After the timeout: SIGTERM, this long to end, then SIGKILL.
inline constexpr Milliseconds kActionKillGrace{2000};
/// When the daemon stops while an action runs: a shorter grace, so stopping stays within ~1s.
inline constexpr Milliseconds kActionCancelGrace{200};
/// After the action's first process has ended: how long killing what it left may take.
inline constexpr Milliseconds kActionTreeEndLimit{2000};

struct ActionRun {
  std::vector<std::string> argv;         // argv[0] is looked up in PATH
  std::vector<std::string> environment;  // "NAME=value": the child's whole environment
  Milliseconds timeout{30000};
  std::vector<std::string> secrets;  // redacted from the output kept
  bool allow_cgroup = true;          // false: the subreaper way even where a cgroup works
};

struct ActionOutcome {
  enum class End { exited, signaled, timed_out, not_started };
  End end = End::not_started;
  int exit_code = 0;   // End::exited
  int signal = 0;      // End::signaled, or the one that ended it after a timeout
  std::string error;   // End::not_started: why ("No such file or directory")
  std::string output;  // printable(), secrets redacted, at most kActionOutputCap bytes
  bool output_truncated = false;
  Milliseconds took{0};
  Containment containment = Containment::subreaper;  // how its process tree was held
  bool tree_left = false;  // a process of its tree could not be ended (stuck in the kernel)
};

/// Runs the action and waits for it, at most `run.timeout` plus the kill grace. Setting
/// `cancel` ends a running action early (SIGTERM, kActionCancelGrace, SIGKILL). Stopping
/// signals its whole tree, sessions of its own included; when its first process has ended,
/// whatever the action left running is killed and reaped (action_tree.hpp). The child gets
/// an empty signal mask and default TERM/INT/HUP handling (the daemon blocks them), stdin from
/// /dev/null, and its own process group.
ActionOutcome run_action(const ActionRun& run, const std::atomic<bool>* cancel = nullptr);

/// The action's environment, minimal: PATH, HOME and LANG from `inherited` ("NAME=value"),
/// plus the variables `settings.actions.pass_env` names, plus DEVOPS_MONITOR_EVENT, _STATUS,
/// _PREVIOUS_STATUS (empty on a first report) and _REPORT (empty when not saved). Nothing
/// else of the daemon's environment: it holds secrets (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY,
/// the provider keys) that an action has no business with unless passed on purpose.
std::vector<std::string> action_environment(const std::vector<std::string>& inherited,
                                            const Settings& settings, Status event, Status status,
                                            std::optional<Status> previous,
                                            const std::string& report_file);

/// One log line: "action on_critical (page-oncall) exited with status 3 after 0.1s; output:
/// ...". `name` is "on_critical".
std::string describe_outcome(const std::string& name, const ActionRun& run,
                             const ActionOutcome& outcome);

}  // namespace devops_monitor::watch
