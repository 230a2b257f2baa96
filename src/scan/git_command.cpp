#include "scan/git_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "devops_monitor/text.hpp"
#include "util/child_processes.hpp"
#include "util/file_io.hpp"

extern char** environ;

namespace devops_monitor::scan {
namespace {

constexpr std::size_t kGitStderrKept = 4096;  // git's first line is all a message shows

/// The pipe ends this process keeps; both closed on every path out.
struct GitPipes {
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  GitPipes() = default;
  GitPipes(const GitPipes&) = delete;
  GitPipes& operator=(const GitPipes&) = delete;
  ~GitPipes() {
    for (const int fd : {out[0], out[1], err[0], err[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
};

/// The variables that choose a repository other than the one -C finds.
bool locates_a_repository(std::string_view entry) {
  for (const std::string_view name :
       {"GIT_DIR=", "GIT_WORK_TREE=", "GIT_INDEX_FILE=", "GIT_OBJECT_DIRECTORY=",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES=", "GIT_COMMON_DIR=", "GIT_NAMESPACE=", "GIT_PREFIX="}) {
    if (entry.starts_with(name)) return true;
  }
  return false;
}

std::vector<std::string> git_environment(GitRepository repository) {
  std::vector<std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("GIT_OPTIONAL_LOCKS=") || text.starts_with("GIT_TERMINAL_PROMPT=")) {
      continue;
    }
    if (repository == GitRepository::at_directory && locates_a_repository(text)) continue;
    environment.emplace_back(text);
  }
  // A scan only reads: it must not refresh (write) the index under a running git command,
  // and nothing may stop to ask for a password.
  environment.emplace_back("GIT_OPTIONAL_LOCKS=0");
  environment.emplace_back("GIT_TERMINAL_PROMPT=0");
  return environment;
}

pid_t spawn_git(const std::vector<std::string>& argv, GitRepository repository, GitPipes& pipes,
                int& spawn_error) {
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, pipes.out[1], STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, pipes.err[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> environment = git_environment(repository);
  std::vector<char*> env;
  for (std::string& entry : environment) env.push_back(entry.data());
  env.push_back(nullptr);
  const pid_t pid = children::start_registered([&]() -> pid_t {
    pid_t child = -1;
    spawn_error = ::posix_spawnp(&child, "git", &actions, nullptr, args.data(), env.data());
    return spawn_error == 0 ? child : -1;
  });
  ::posix_spawn_file_actions_destroy(&actions);
  return pid;
}

/// Reads both pipes until git closes them (or `on_output` says stop); keeps the start of
/// stderr.
void pump(GitPipes& pipes, pid_t pid, const std::function<bool(std::string_view)>& on_output,
          std::string& stderr_text) {
  std::array<char, 65536> chunk{};
  bool out_open = true;
  bool err_open = true;
  while (out_open || err_open) {
    std::array<pollfd, 2> fds{
        {{out_open ? pipes.out[0] : -1, POLLIN, 0}, {err_open ? pipes.err[0] : -1, POLLIN, 0}}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t got = ::read(fds[i].fd, chunk.data(), chunk.size());
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) {
        (i == 0 ? out_open : err_open) = false;
        continue;
      }
      const std::string_view data(chunk.data(), static_cast<std::size_t>(got));
      if (i == 1) {
        if (stderr_text.size() < kGitStderrKept) {
          stderr_text.append(data.substr(0, kGitStderrKept - stderr_text.size()));
        }
      } else if (!on_output(data)) {
        ::kill(pid, SIGTERM);
        out_open = false;
      }
    }
  }
}

std::string first_line(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.starts_with("fatal: ")) line.erase(0, 7);
  return printable(line);
}

}  // namespace

const std::vector<std::string>& git_safety_options() {
  static const std::vector<std::string> options = {"-c", "core.fsmonitor=false", "-c",
                                                   "core.quotePath=false", "--no-pager"};
  return options;
}

Result<GitRun> run_git(const std::filesystem::path& dir, const std::vector<std::string>& args,
                       const std::function<bool(std::string_view)>& on_output,
                       GitRepository repository) {
  std::vector<std::string> argv = {"git", "-C", dir.string()};
  argv.insert(argv.end(), git_safety_options().begin(), git_safety_options().end());
  argv.insert(argv.end(), args.begin(), args.end());
  GitPipes pipes;
  if (::pipe2(pipes.out, O_CLOEXEC) != 0 || ::pipe2(pipes.err, O_CLOEXEC) != 0) {
    return Error{"cannot run git", errno_text(errno), dir.string()};
  }
  int spawn_error = 0;
  const pid_t pid = spawn_git(argv, repository, pipes, spawn_error);
  if (pid < 0) {
    return Error{"cannot run git",
                 spawn_error == ENOENT ? "git not found in PATH" : errno_text(spawn_error),
                 dir.string()};
  }
  ::close(pipes.out[1]);
  ::close(pipes.err[1]);
  pipes.out[1] = pipes.err[1] = -1;
  std::string stderr_text;
  pump(pipes, pid, on_output, stderr_text);
  ::close(pipes.out[0]);  // a git still writing after a stop gets EPIPE and ends
  pipes.out[0] = -1;
  int status = 0;
  GitRun run;
  if (children::reap(pid, true, &status) == children::Reaped::exited && WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.error = first_line(stderr_text);
  return run;
}

Result<std::string> git_output(const std::filesystem::path& dir,
                               const std::vector<std::string>& args, std::size_t max_bytes,
                               GitRepository repository) {
  std::string output;
  bool too_long = false;
  Result<GitRun> run = run_git(
      dir, args,
      [&](std::string_view data) {
        if (output.size() + data.size() > max_bytes) {
          too_long = true;
          return false;
        }
        output.append(data);
        return true;
      },
      repository);
  if (!run) return run.error();
  if (too_long) {
    return Error{"git answered more than expected",
                 "over " + std::to_string(max_bytes) + " bytes from git " + args.front(),
                 dir.string()};
  }
  if (run->exit_code != 0) {
    return Error{"git failed", run->error.empty() ? "git " + args.front() + " failed" : run->error,
                 dir.string()};
  }
  return output;
}

}  // namespace devops_monitor::scan
