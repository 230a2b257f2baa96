// The children this process starts on purpose (disk probes, actions) and reaps itself. They are
// registered while they are forked, under one lock, so that code looking for orphans that were
// re-parented to this process (when it is a subreaper, or PID 1 in a container) never takes one
// of them for an orphan, and never reaps one that its owner is still waiting for.
#pragma once

#include <sys/types.h>

#include <functional>
#include <mutex>
#include <optional>

namespace devops_monitor::children {

/// Runs `start` with the registry locked and registers the pid it returns (nothing when it
/// returns -1). `start` forks or spawns; a forked child must end in exec or _exit inside it.
pid_t start_registered(const std::function<pid_t()>& start);

/// What waiting for a child found.
enum class Reaped {
  exited,   // reaped now: `status` holds its wait status
  running,  // WNOHANG only: still running
  gone,     // not a child of this process any more (ECHILD: reaped elsewhere, or never ours)
};

/// waitpid(pid) (blocking, or WNOHANG when `block` is false), EINTR retried; a registered
/// child is forgotten once it is reaped or gone.
Reaped reap(pid_t pid, bool block, int* status = nullptr);

/// Holds the registry while a caller looks for orphans: no registered child can start
/// meanwhile, and owns() tells which children are someone's own.
class RegistryLock {
 public:
  RegistryLock();
  [[nodiscard]] bool owns(pid_t pid) const;

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace devops_monitor::children
