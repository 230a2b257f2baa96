#include "watch/action_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "devops_monitor/text.hpp"
#include "util/redact.hpp"

namespace devops_monitor::watch {
namespace {

using ActionClock = std::chrono::steady_clock;
constexpr int kActionPollMs = 20;  // how often a running action is looked at; costs nothing

/// posix_spawn's attributes and file actions, destroyed on every path.
struct ActionSpawnSetup {
  posix_spawnattr_t attr{};
  posix_spawn_file_actions_t files{};
  ActionSpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&files);
  }
  ~ActionSpawnSetup() {
    posix_spawn_file_actions_destroy(&files);
    posix_spawnattr_destroy(&attr);
  }
  ActionSpawnSetup(const ActionSpawnSetup&) = delete;
  ActionSpawnSetup& operator=(const ActionSpawnSetup&) = delete;
};

struct ActionPipe {
  int fds[2] = {-1, -1};
  ~ActionPipe() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void close_write_end() {
    ::close(fds[1]);
    fds[1] = -1;
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

}  // namespace

ActionOutcome run_action(const ActionRun& run, const std::atomic<bool>* cancel) {
  ActionOutcome outcome;
  const auto started = ActionClock::now();
  if (run.argv.empty() || run.argv[0].empty()) {
    outcome.error = "no program named";
    return outcome;
  }
  ActionPipe pipe;
  if (::pipe2(pipe.fds, O_CLOEXEC) != 0) {
    outcome.error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return outcome;
  }
  ActionSpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.files, pipe.fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&setup.files, pipe.fds[1], STDERR_FILENO);
  // The daemon blocks TERM/INT/HUP (taken with sigtimedwait) and the HTTP layer may ignore
  // PIPE; both a mask and ignored dispositions survive exec, so the child gets them reset.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setpgroup(&setup.attr, 0);  // its own group: a timeout ends its children too
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);

  std::vector<char*> argv;
  for (const std::string& arg : run.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : run.environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  const int spawned =
      posix_spawnp(&pid, argv[0], &setup.files, &setup.attr, argv.data(), envp.data());
  pipe.close_write_end();
  if (spawned != 0) {
    outcome.error = std::strerror(spawned);
    return outcome;
  }
  ::fcntl(pipe.fds[0], F_SETFL, ::fcntl(pipe.fds[0], F_GETFL) | O_NONBLOCK);

  std::string kept;
  bool open = true;
  bool stopping = false;
  bool killed = false;
  bool cancelled = false;
  ActionClock::time_point kill_at{};
  const ActionClock::time_point deadline = started + run.timeout;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    const auto now = ActionClock::now();
    const bool cancel_now = cancel != nullptr && cancel->load();
    if (!stopping && (now >= deadline || cancel_now)) {
      cancelled = cancel_now && now < deadline;
      ::kill(-pid, SIGTERM);
      stopping = true;
      outcome.signal = SIGTERM;
      kill_at = now + (cancelled ? kActionCancelGrace : kActionKillGrace);
    } else if (stopping && !killed && now >= kill_at) {
      ::kill(-pid, SIGKILL);
      killed = true;
      outcome.signal = SIGKILL;
    }
    if (open) {
      pollfd watch{.fd = pipe.fds[0], .events = POLLIN, .revents = 0};
      if (::poll(&watch, 1, kActionPollMs) > 0) {
        open = read_action_output(pipe.fds[0], kept, outcome.output_truncated);
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(kActionPollMs));
    }
  }
  // What it wrote last; a grandchild still holding the pipe is not waited for.
  if (open) read_action_output(pipe.fds[0], kept, outcome.output_truncated);
  if (stopping) ::kill(-pid, SIGKILL);  // whatever of its group outlived it
  outcome.took = std::chrono::duration_cast<Milliseconds>(ActionClock::now() - started);
  outcome.output = printable(redact_secrets(kept, run.secrets));
  if (stopping && !cancelled) {
    outcome.end = ActionOutcome::End::timed_out;
  } else if (WIFEXITED(status)) {
    outcome.end = ActionOutcome::End::exited;
    outcome.exit_code = WEXITSTATUS(status);
  } else {
    outcome.end = ActionOutcome::End::signaled;
    outcome.signal = WIFSIGNALED(status) ? WTERMSIG(status) : outcome.signal;
  }
  return outcome;
}

std::vector<std::string> action_environment(const std::vector<std::string>& inherited,
                                            const Settings& settings, Status event, Status status,
                                            std::optional<Status> previous,
                                            const std::string& report_file) {
  std::vector<std::string> out;
  for (const std::string& entry : inherited) {
    const std::string name = action_env_name(entry);
    const bool key_variable =
        std::any_of(settings.providers.begin(), settings.providers.end(),
                    [&](const Provider& provider) { return provider.env_var == name; });
    if (key_variable || name.rfind("DEVOPS_MONITOR_", 0) == 0) continue;
    out.push_back(entry);
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
  if (outcome.output.empty()) return line + "; no output";
  return line + "; output: " + outcome.output + (outcome.output_truncated ? " [truncated]" : "");
}

}  // namespace devops_monitor::watch
