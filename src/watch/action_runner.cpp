#include "watch/action_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "devops_monitor/text.hpp"
#include "util/child_processes.hpp"
#include "util/redact.hpp"
#include "watch/action_spawn.hpp"
#include "watch/action_tree.hpp"

namespace devops_monitor::watch {
namespace {

using ActionClock = std::chrono::steady_clock;
constexpr int kActionPollMs = 20;  // how often a running action is looked at; costs nothing
/// What every action gets from the daemon's environment: enough to find programs, a home and
/// a language, and nothing that could be a secret.
constexpr std::array<std::string_view, 3> kActionBasicVariables{"PATH", "HOME", "LANG"};

/// The read end of the action's output pipe, closed on every path.
struct OutputPipe {
  int fd = -1;
  ~OutputPipe() {
    if (fd >= 0) ::close(fd);
  }
};

void keep_action_output(std::string& kept, bool& truncated, const char* data, std::size_t size) {
  const std::size_t room = kActionOutputCap - std::min(kActionOutputCap, kept.size());
  kept.append(data, std::min(room, size));
  if (size > room) truncated = true;
}

/// Reads what is there now; false at end of file or on an error.
bool read_action_output(int fd, std::string& kept, bool& truncated) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      keep_action_output(kept, truncated, buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

std::string action_env_name(const std::string& entry) {
  return entry.substr(0, entry.find('='));
}

std::string action_seconds_text(Milliseconds took) {
  return fmt::format("{:.1f}s", static_cast<double>(took.count()) / 1000.0);
}

/// Starts the action in `tree` (its cgroup when it has one; when the child could not join
/// it, the tree falls back to the subreaper way and the action is started again).
SpawnedAction start_in(ActionTree& tree, const ActionRun& run) {
  SpawnedAction spawned = spawn_action(run.argv, run.environment, tree.join_fd());
  if (spawned.join_failed) {
    tree.fall_back_to_subreaper();
    spawned = spawn_action(run.argv, run.environment, -1);
  }
  if (spawned.pid > 0) tree.started(spawned.pid);
  return spawned;
}

/// Where a running action is: when it is told to stop, and with what.
struct ActionWait {
  ActionClock::time_point deadline;
  ActionClock::time_point kill_at{};
  bool stopping = false;
  bool killed = false;
  bool cancelled = false;
};

/// One look at the clock and the cancel flag: SIGTERM to the whole tree at the deadline (or
/// on cancel), SIGKILL after the grace.
void stop_when_due(ActionWait& wait, ActionTree& tree, pid_t leader,
                   const std::atomic<bool>* cancel, ActionOutcome& outcome) {
  const auto now = ActionClock::now();
  const bool cancel_now = cancel != nullptr && cancel->load();
  if (!wait.stopping && (now >= wait.deadline || cancel_now)) {
    wait.cancelled = cancel_now && now < wait.deadline;
    ::kill(-leader, SIGTERM);
    tree.signal_all(SIGTERM);
    wait.stopping = true;
    outcome.signal = SIGTERM;
    wait.kill_at = now + (wait.cancelled ? kActionCancelGrace : kActionKillGrace);
  } else if (wait.stopping && !wait.killed && now >= wait.kill_at) {
    ::kill(-leader, SIGKILL);
    tree.signal_all(SIGKILL);
    wait.killed = true;
    outcome.signal = SIGKILL;
  }
}

void set_end(ActionOutcome& outcome, const ActionWait& wait, int status) {
  if (wait.stopping && !wait.cancelled) {
    outcome.end = ActionOutcome::End::timed_out;
  } else if (WIFEXITED(status)) {
    outcome.end = ActionOutcome::End::exited;
    outcome.exit_code = WEXITSTATUS(status);
  } else {
    outcome.end = ActionOutcome::End::signaled;
    outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : outcome.signal;
  }
}

}  // namespace

ActionOutcome run_action(const ActionRun& run, const std::atomic<bool>* cancel) {
  ActionOutcome outcome;
  const auto started = ActionClock::now();
  if (run.argv.empty() || run.argv[0].empty()) {
    outcome.error = "no program named";
    return outcome;
  }
  ActionTree tree(run.allow_cgroup);
  const SpawnedAction spawned = start_in(tree, run);
  outcome.containment = tree.containment();
  if (spawned.pid < 0) {
    outcome.error = std::strerror(spawned.error_number);
    return outcome;
  }
  const pid_t pid = spawned.pid;
  OutputPipe pipe{spawned.output_fd};
  ::fcntl(pipe.fd, F_SETFL, ::fcntl(pipe.fd, F_GETFL) | O_NONBLOCK);

  std::string kept;
  bool open = true;
  ActionWait wait{.deadline = started + run.timeout};
  int status = 0;
  while (children::reap(pid, /*block=*/false, &status) == children::Reaped::running) {
    stop_when_due(wait, tree, pid, cancel, outcome);
    if (open) {
      pollfd watch{.fd = pipe.fd, .events = POLLIN, .revents = 0};
      if (::poll(&watch, 1, kActionPollMs) > 0) {
        open = read_action_output(pipe.fd, kept, outcome.output_truncated);
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(kActionPollMs));
    }
  }
  // What it wrote last; a descendant still holding the pipe is not waited for.
  if (open) read_action_output(pipe.fd, kept, outcome.output_truncated);
  // The action is over: whatever it left running, in any session, goes with it.
  outcome.tree_left = !tree.end_all(kActionTreeEndLimit);
  outcome.took = std::chrono::duration_cast<Milliseconds>(ActionClock::now() - started);
  outcome.output = printable(redact_secrets(kept, run.secrets));
  set_end(outcome, wait, status);
  return outcome;
}

std::vector<std::string> action_environment(const std::vector<std::string>& inherited,
                                            const Settings& settings, Status event, Status status,
                                            std::optional<Status> previous,
                                            const std::string& report_file) {
  const std::vector<std::string>& passed = settings.actions.pass_env;
  std::vector<std::string> out;
  for (const std::string& entry : inherited) {
    const std::string name = action_env_name(entry);
    const bool basic = std::find(kActionBasicVariables.begin(), kActionBasicVariables.end(),
                                 name) != kActionBasicVariables.end();
    const bool asked = std::find(passed.begin(), passed.end(), name) != passed.end();
    // The event's own variables are set below, never taken from the daemon's environment.
    if ((basic || asked) && !name.starts_with("DEVOPS_MONITOR_")) out.push_back(entry);
  }
  out.push_back("DEVOPS_MONITOR_EVENT=" + std::string(transition_word(event)));
  out.push_back("DEVOPS_MONITOR_STATUS=" + std::string(to_string(status)));
  out.push_back("DEVOPS_MONITOR_PREVIOUS_STATUS=" +
                std::string(previous ? to_string(*previous) : std::string_view()));
  out.push_back("DEVOPS_MONITOR_REPORT=" + report_file);
  return out;
}

std::string describe_outcome(const std::string& name, const ActionRun& run,
                             const ActionOutcome& outcome) {
  const std::string program = run.argv.empty() ? std::string() : run.argv[0];
  std::string line;
  switch (outcome.end) {
    case ActionOutcome::End::not_started:
      return fmt::format("action {} could not start: {} ({})", name, outcome.error, program);
    case ActionOutcome::End::exited:
      line = outcome.exit_code == 0
                 ? fmt::format("action {} ({}) succeeded after {}", name, program,
                               action_seconds_text(outcome.took))
                 : fmt::format("action {} ({}) failed: exit status {} after {}", name, program,
                               outcome.exit_code, action_seconds_text(outcome.took));
      break;
    case ActionOutcome::End::signaled:
      line = fmt::format("action {} ({}) ended by signal {} ({}) after {}", name, program,
                         outcome.signal,
                         sigabbrev_np(outcome.signal) ? sigabbrev_np(outcome.signal) : "?",
                         action_seconds_text(outcome.took));
      break;
    case ActionOutcome::End::timed_out:
      line = fmt::format("action {} ({}) timed out after {}: stopped with SIG{}", name, program,
                         action_seconds_text(run.timeout),
                         sigabbrev_np(outcome.signal) ? sigabbrev_np(outcome.signal) : "?");
      break;
  }
  // A process stuck in the kernel (a hung mount) cannot be killed: say so, it is still there.
  if (outcome.tree_left) line += "; some of its processes could not be ended";
  if (outcome.output.empty()) return line + "; no output";
  return line + "; output: " + outcome.output + (outcome.output_truncated ? " [truncated]" : "");
}

}  // namespace devops_monitor::watch
