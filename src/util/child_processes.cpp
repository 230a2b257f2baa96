#include "util/child_processes.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <set>

namespace devops_monitor::children {
namespace {

struct Registry {
  std::mutex mutex;
  std::set<pid_t> pids;
};

/// Deliberately leaked: a probe may still be registered while static destructors run.
Registry& registry() {
  static auto* children = new Registry;
  return *children;
}

void forget(pid_t pid) {
  Registry& known = registry();
  const std::lock_guard lock(known.mutex);
  known.pids.erase(pid);
}

}  // namespace

pid_t start_registered(const std::function<pid_t()>& start) {
  Registry& known = registry();
  const std::lock_guard lock(known.mutex);
  const pid_t pid = start();
  if (pid > 0) known.pids.insert(pid);
  return pid;
}

Reaped reap(pid_t pid, bool block, int* status) {
  int ignored = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, status != nullptr ? status : &ignored, block ? 0 : WNOHANG);
    if (done == 0) return Reaped::running;
    if (done == pid) {
      forget(pid);
      return Reaped::exited;
    }
    if (errno == EINTR) continue;
    forget(pid);
    return Reaped::gone;
  }
}

RegistryLock::RegistryLock() : lock_(registry().mutex) {}

bool RegistryLock::owns(pid_t pid) const {
  return registry().pids.count(pid) != 0;
}

}  // namespace devops_monitor::children
