#include "support/must_run.hpp"

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

namespace devops_monitor::testing {

std::string run_as_nobody(const std::function<std::string()>& work) {
  if (::geteuid() != 0) return work();
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) return "child failed: pipe";
  const pid_t child = ::fork();
  if (child < 0) return "child failed: fork";
  if (child == 0) {
    ::close(pipe_ends[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) {
      ::_exit(2);
    }
    const std::string result = work();
    std::size_t written = 0;
    while (written < result.size()) {
      const ssize_t n = ::write(pipe_ends[1], result.data() + written, result.size() - written);
      if (n <= 0) ::_exit(3);
      written += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(pipe_ends[1]);
  std::string result;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_ends[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    result.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return "child failed: status " + std::to_string(status);
  }
  return result;
}

}  // namespace devops_monitor::testing
