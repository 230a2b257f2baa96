// Running one recovery action (Monit's `exec`): argv without a shell, a bounded time, its
// output captured and bounded, and an environment without the provider keys.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/settings.hpp"
#include "devops_monitor/status.hpp"
#include "watch/watch_step.hpp"

namespace devops_monitor::watch {

/// At most this much of an action's output (stdout and stderr together) is kept; the rest
/// is read and dropped so the action never blocks on a full pipe.
inline constexpr std::size_t kActionOutputCap = 4096;
/// After the timeout: SIGTERM, this long to end, then SIGKILL.
inline constexpr Milliseconds kActionKillGrace{2000};
/// When the daemon stops while an action runs: a shorter grace, so stopping stays within ~1s.
inline constexpr Milliseconds kActionCancelGrace{200};

struct ActionRun {
  std::vector<std::string> argv;         // argv[0] is looked up in PATH (posix_spawnp)
  std::vector<std::string> environment;  // "NAME=value": the child's whole environment
  Milliseconds timeout{30000};
  std::vector<std::string> secrets;  // redacted from the output kept
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
};

/// Runs the action and waits for it, at most `run.timeout` plus the kill grace. Setting
/// `cancel` ends a running action early (SIGTERM, kActionCancelGrace, SIGKILL). The child
/// gets an empty signal mask and default TERM/INT/HUP handling (the daemon blocks them),
/// stdin from /dev/null, and its own process group, so a timeout also ends what it started.
ActionOutcome run_action(const ActionRun& run, const std::atomic<bool>* cancel = nullptr);

/// The action's environment: `inherited` ("NAME=value") without any provider's key variable
/// (every env_var of `settings.providers`: keys are secrets an action has no business with)
/// and without stale DEVOPS_MONITOR_* values, plus DEVOPS_MONITOR_EVENT, _STATUS,
/// _PREVIOUS_STATUS (empty on a first report) and _REPORT (empty when not saved).
std::vector<std::string> action_environment(const std::vector<std::string>& inherited,
                                            const Settings& settings, Status event, Status status,
                                            std::optional<Status> previous,
                                            const std::string& report_file);

/// One log line: "action on_critical (page-oncall) exited with status 3 after 0.1s; output:
/// ...". `name` is "on_critical".
std::string describe_outcome(const std::string& name, const ActionRun& run,
                             const ActionOutcome& outcome);

}  // namespace devops_monitor::watch
