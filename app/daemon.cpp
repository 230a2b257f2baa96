#include "daemon.hpp"

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string>

#include "devops_monitor/text.hpp"

namespace devops_monitor::cli {
namespace {

sigset_t daemon_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_daemon_signals() {
  const sigset_t set = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

DaemonSignal wait_for_signal(std::chrono::milliseconds timeout) {
  const sigset_t set = daemon_signals();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec wait{.tv_sec = static_cast<time_t>(seconds.count()),
                      .tv_nsec = static_cast<long>((timeout - seconds).count() * 1000000L)};
  for (;;) {
    const int signal = sigtimedwait(&set, nullptr, &wait);
    if (signal == SIGHUP) return DaemonSignal::reload;
    if (signal == SIGTERM || signal == SIGINT) return DaemonSignal::stop;
    // EINTR: another signal (SIGCHLD, SIGWINCH) woke us early; waiting a little longer than
    // asked is harmless, so the full timeout starts again rather than tracking the rest.
    if (signal < 0 && errno == EINTR) continue;
    return DaemonSignal::none;
  }
}

sigset_t spawn_unblocked_mask() {
  sigset_t set;
  sigemptyset(&set);
  return set;
}

void log_line(std::string_view message) {
  const std::string line = "devops-monitor: " + printable(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace devops_monitor::cli
