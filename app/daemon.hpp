// What the long-running commands (serve, watch) share: how they take signals and how they log.
//
// Signals are blocked in every thread and taken synchronously with sigtimedwait, so no handler
// ever interrupts library code half-way, and waiting for the next check and for a signal is
// one call that uses no CPU. Children the daemons start (actions) must unblock them again:
// spawn_unblocked_mask() gives the mask to pass to posix_spawn.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>

namespace devops_monitor::cli {

enum class DaemonSignal {
  none,    // the time passed
  stop,    // SIGTERM or SIGINT: end cleanly
  reload,  // SIGHUP: read the config again
};

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread. Call it first in a daemon command,
/// before any thread starts: threads inherit the mask, so only wait_for_signal() sees them.
void block_daemon_signals();

/// Waits up to `timeout` (0: only looks) for one of the blocked signals.
DaemonSignal wait_for_signal(std::chrono::milliseconds timeout);

/// Runs `start` on a thread of its own while this thread keeps taking signals; see
/// start_answering_signals.
void run_start_answering_signals(const std::function<void()>& start);

/// A daemon's start-up (its config, the report directory, the first system reading, binding
/// the port), run so that SIGTERM or SIGINT end the process within a second at any moment of
/// it, even when something in it is stuck (a config on a hung NFS mount, a disk that does not
/// answer): then "stopping" is logged and the process leaves at once with exit status 0,
/// running no destructors; nothing is half-kept, since reports are written atomically. A
/// SIGHUP during start-up is dropped: the start is reading the configuration anyway. Call
/// after block_daemon_signals(). An exception `start` throws is thrown here.
template <class T>
T start_answering_signals(const std::function<T()>& start) {
  std::optional<T> result;
  run_start_answering_signals([&] { result.emplace(start()); });
  return std::move(*result);
}

/// The empty signal mask, for children: posix_spawnattr_setsigmask with POSIX_SPAWN_SETSIGMASK.
sigset_t spawn_unblocked_mask();

/// One log line on stderr, "devops-monitor: <message>", control characters stripped
/// (messages quote outside text). journald adds the time; nothing is coloured.
void log_line(std::string_view message);

}  // namespace devops_monitor::cli
