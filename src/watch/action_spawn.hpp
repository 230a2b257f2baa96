// Starting an action's first process: fork and exec rather than posix_spawn, because the child
// has to join the action's cgroup (action_tree.hpp) before exec, while nothing it could start
// exists yet; glibc's posix_spawn has no such attribute before 2.41.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace devops_monitor::watch {

struct SpawnedAction {
  pid_t pid = -1;            // -1: not started
  int output_fd = -1;        // read end of its stdout and stderr; the caller closes it
  int error_number = 0;      // pid -1: why (exec's errno, as posix_spawnp would say it)
  bool join_failed = false;  // pid -1: the child could not join the cgroup; nothing ran
};

/// Runs argv (argv[0] looked up in PATH) with `environment` ("NAME=value") as its whole
/// environment, in a process group of its own, with an empty signal mask and default TERM,
/// INT, HUP and PIPE (the daemon blocks the first three and libcurl may ignore PIPE; both
/// survive exec), stdin from /dev/null, stdout and stderr into one pipe, and no other
/// descriptor of this process. `join_fd`: cgroup.procs of the cgroup it runs in (-1: none).
/// The child is registered as this process's own (util/child_processes.hpp); the caller
/// reaps it.
SpawnedAction spawn_action(const std::vector<std::string>& argv,
                           const std::vector<std::string>& environment, int join_fd);

}  // namespace devops_monitor::watch
