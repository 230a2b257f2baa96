#include "watch/action_spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "util/child_processes.hpp"

namespace devops_monitor::watch {
namespace {

/// What a child that could not exec tells its parent through the status pipe.
struct SpawnFailure {
  int stage = 0;  // kJoinStage or kExecStage
  int error_number = 0;
};
constexpr int kJoinStage = 1;
constexpr int kExecStage = 2;

struct ChildSetup {
  char* const* argv;
  char* const* envp;
  int output_fd;
  int status_fd;
  int join_fd;
};

[[noreturn]] void fail_in_child(int status_fd, int stage) {
  const SpawnFailure failure{stage, errno};
  [[maybe_unused]] const ssize_t written = ::write(status_fd, &failure, sizeof failure);
  ::_exit(127);
}

/// Makes `from` the descriptor `to`, open across exec (dup2 keeps a close-on-exec flag when
/// both are the same descriptor).
void place_descriptor(int from, int to) {
  if (from != to) ::dup2(from, to);
  ::fcntl(to, F_SETFD, 0);
}

/// In the child: only async-signal-safe calls, as other threads of the parent may have held
/// any lock at the fork.
[[noreturn]] void exec_in_child(const ChildSetup& setup) {
  // First into the cgroup, so that whatever it starts is inside too.
  if (setup.join_fd >= 0 && ::write(setup.join_fd, "0", 1) != 1) {
    fail_in_child(setup.status_fd, kJoinStage);
  }
  ::setpgid(0, 0);  // its own group: a timeout ends its children too
  struct sigaction defaults {};
  defaults.sa_handler = SIG_DFL;
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) ::sigaction(signal, &defaults, nullptr);
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  const int null = ::open("/dev/null", O_RDONLY);
  if (null < 0) fail_in_child(setup.status_fd, kExecStage);
  place_descriptor(null, STDIN_FILENO);
  place_descriptor(setup.output_fd, STDOUT_FILENO);
  place_descriptor(setup.output_fd, STDERR_FILENO);
  // Nothing else of the daemon's (sockets, the report lock) goes to the action; the status
  // pipe is close-on-exec already, so a successful exec tells the parent by closing it.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execvpe(setup.argv[0], setup.argv, setup.envp);
  fail_in_child(setup.status_fd, kExecStage);
}

/// The child's report: nullopt when it reached exec.
std::optional<SpawnFailure> read_spawn_status(int fd) {
  SpawnFailure failure;
  ssize_t n = 0;
  do {
    n = ::read(fd, &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof failure)) return std::nullopt;
  return failure;
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

SpawnedAction spawn_action(const std::vector<std::string>& argv,
                           const std::vector<std::string>& environment, int join_fd) {
  SpawnedAction spawned;
  int output[2];
  int status[2];
  if (::pipe2(output, O_CLOEXEC) != 0) {
    spawned.error_number = errno;
    return spawned;
  }
  if (::pipe2(status, O_CLOEXEC) != 0) {
    spawned.error_number = errno;
    ::close(output[0]);
    ::close(output[1]);
    return spawned;
  }
  const std::vector<char*> args = c_strings(argv);
  const std::vector<char*> envp = c_strings(environment);
  const ChildSetup setup{args.data(), envp.data(), output[1], status[1], join_fd};
  const pid_t pid = children::start_registered([&setup] {
    const pid_t child = ::fork();
    if (child == 0) exec_in_child(setup);
    return child;
  });
  const int fork_error = errno;
  ::close(output[1]);
  ::close(status[1]);
  const std::optional<SpawnFailure> failure =
      pid < 0 ? std::optional<SpawnFailure>({kExecStage, fork_error})
              : read_spawn_status(status[0]);
  ::close(status[0]);
  if (!failure) {
    spawned.pid = pid;
    spawned.output_fd = output[0];
    return spawned;
  }
  ::close(output[0]);
  if (pid > 0) children::reap(pid, /*block=*/true);
  spawned.error_number = failure->error_number;
  spawned.join_failed = failure->stage == kJoinStage;
  return spawned;
}

}  // namespace devops_monitor::watch
