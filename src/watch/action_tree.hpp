// An action's whole process tree, so that nothing it started outlives it: also what it put in
// a session of its own (setsid) or handed to init by forking twice, which its process group
// does not hold. Two ways, chosen per action:
//  - cgroup: a cgroup v2 of its own, under this process's, which every descendant stays in
//    whatever it does; ending it is cgroup.kill. Used where cgroup v2 is mounted and writable.
//  - subreaper: this process becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so whatever
//    the action orphans is re-parented here rather than to init; ending it is finding those
//    adopted children (children this process did not start, started after the action) and
//    their descendants in /proc, and killing them until none is left.
// Either way, whatever comes back to this process (as a subreaper, or as PID 1) is reaped.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/duration.hpp"

namespace devops_monitor::watch {

enum class Containment { cgroup, subreaper };
std::string_view to_string(Containment containment);

class ActionTree {
 public:
  /// A cgroup for the next action when `allow_cgroup` and one can be made here; otherwise
  /// this process becomes a subreaper.
  explicit ActionTree(bool allow_cgroup);
  ~ActionTree();
  ActionTree(const ActionTree&) = delete;
  ActionTree& operator=(const ActionTree&) = delete;

  [[nodiscard]] Containment containment() const { return containment_; }
  /// cgroup.procs of the action's cgroup, open for writing: the child writes "0" to it
  /// before exec, so it is inside before it can start anything. -1 for a subreaper.
  [[nodiscard]] int join_fd() const { return join_fd_; }
  /// Gives up the cgroup (the child could not join it) and becomes a subreaper instead.
  void fall_back_to_subreaper();

  /// The action's first process, once started.
  void started(pid_t leader);
  /// `signal` to every process of the tree now, the leader included while it runs.
  void signal_all(int signal);
  /// After the leader was reaped: kills whatever is left of the tree and reaps what was
  /// re-parented to this process, for at most `limit`. True when nothing is left.
  bool end_all(Milliseconds limit);

 private:
  [[nodiscard]] std::vector<pid_t> cgroup_members() const;
  [[nodiscard]] bool cgroup_populated() const;
  void kill_cgroup();

  Containment containment_ = Containment::subreaper;
  std::string cgroup_dir_;
  int join_fd_ = -1;
  pid_t leader_ = -1;
  unsigned long long leader_start_ = 0;
};

}  // namespace devops_monitor::watch
