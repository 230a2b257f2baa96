// What the long-running commands (serve, watch) share: how they take signals and how they log.
//
// Signals are blocked in every thread and taken synchronously with sigtimedwait, so no handler
// ever interrupts library code half-way, and waiting for the next check and for a signal is
// one call that uses no CPU. Children the daemons start (actions) must unblock them again:
// spawn_unblocked_mask() gives the mask to pass to posix_spawn.
#pragma once

#include <signal.h>

#include <chrono>
#include <string_view>

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

/// The empty signal mask, for children: posix_spawnattr_setsigmask with POSIX_SPAWN_SETSIGMASK.
sigset_t spawn_unblocked_mask();

/// One log line on stderr, "devops-monitor: <message>", control characters stripped
/// (messages quote outside text). journald adds the time; nothing is coloured.
void log_line(std::string_view message);

}  // namespace devops_monitor::cli
