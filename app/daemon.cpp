#include "daemon.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <thread>

#include "devops_monitor/text.hpp"

namespace devops_monitor::cli {
namespace {

// How often the start-up thread is looked at between signals: start-up is usually done within
// the first look or two, and a stop signal is answered at once whatever this is.
constexpr std::chrono::milliseconds kStartupLook{20};

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

void run_start_answering_signals(const std::function<void()>& start) {
  std::atomic<bool> done{false};
  std::exception_ptr failure;
  // Threads inherit this thread's mask: the daemon signals stay blocked there and come here.
  std::thread starting([&] {
    try {
      start();
    } catch (...) {
      failure = std::current_exception();
    }
    done.store(true);
  });
  while (!done.load()) {
    if (wait_for_signal(kStartupLook) == DaemonSignal::stop) {
      // The start-up thread may be stuck in the kernel and holds references to this frame:
      // leave without unwinding anything.
      log_line("stopping");
      std::fflush(stdout);
      ::_exit(0);
    }
  }
  starting.join();
  if (failure) std::rethrow_exception(failure);
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
