#include "watch/action_tree.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "util/child_processes.hpp"
#include "watch/process_table.hpp"

namespace devops_monitor::watch {
namespace {

constexpr std::string_view kCgroupName = "devops-monitor-action-";
constexpr std::chrono::milliseconds kTreePollInterval{5};

/// Set once a child could not join a cgroup made here: the next actions go straight to the
/// subreaper way rather than failing the same way each time.
std::atomic<bool> cgroups_refused{false};

/// Cgroups whose last process was stuck when its action ended (a process in an uninterruptible
/// wait cannot be killed): removed by a later action once empty.
struct LeftoverCgroups {
  std::mutex mutex;
  std::vector<std::string> dirs;
};
LeftoverCgroups& leftover_cgroups() {
  static auto* leftovers = new LeftoverCgroups;
  return *leftovers;
}

void remove_leftover_cgroups() {
  LeftoverCgroups& leftovers = leftover_cgroups();
  const std::lock_guard lock(leftovers.mutex);
  std::erase_if(leftovers.dirs, [](const std::string& dir) { return ::rmdir(dir.c_str()) == 0; });
}

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// This process's cgroup v2 path ("0::/path" in /proc/self/cgroup); empty without one.
std::string own_cgroup_path() {
  std::istringstream lines(text_of("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("0::/")) return line.substr(3);
  }
  return "";
}

/// Where the cgroup v2 hierarchy that holds `own` is mounted, from /proc/self/mountinfo
/// ("id parent dev root mountpoint options ... - cgroup2 source options"); empty when none is.
std::string cgroup2_directory(const std::string& own) {
  std::istringstream lines(text_of("/proc/self/mountinfo"));
  for (std::string line; std::getline(lines, line);) {
    const std::size_t separator = line.find(" - ");
    if (separator == std::string::npos || !line.substr(separator + 3).starts_with("cgroup2 ")) {
      continue;
    }
    std::istringstream fields(line.substr(0, separator));
    std::string id, parent, device, root, mountpoint;
    fields >> id >> parent >> device >> root >> mountpoint;
    // Escaped names (\040 for a space) are not worth decoding: the subreaper way then.
    if (mountpoint.find('\\') != std::string::npos) continue;
    if (root == "/") return mountpoint + (own == "/" ? "" : own);
    if (own == root) return mountpoint;
    if (own.starts_with(root + "/")) return mountpoint + own.substr(root.size());
  }
  return "";
}

/// The processes listed in a cgroup file of pids (cgroup.procs).
std::vector<pid_t> pids_in(const std::string& path) {
  std::vector<pid_t> pids;
  std::istringstream lines(text_of(path));
  for (pid_t pid = 0; lines >> pid;) pids.push_back(pid);
  return pids;
}

bool write_text_to(const std::string& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return written;
}

/// Children of this process that it did not start itself and that started with or after the
/// action: what the action orphaned. Called with the child registry locked.
std::vector<pid_t> adopted_children(const std::vector<ProcessEntry>& table,
                                    const children::RegistryLock& registry, pid_t leader,
                                    unsigned long long leader_start) {
  const pid_t self = ::getpid();
  std::vector<pid_t> adopted;
  for (const ProcessEntry& process : table) {
    if (process.parent == self && process.pid != leader && !registry.owns(process.pid) &&
        process.start_ticks >= leader_start) {
      adopted.push_back(process.pid);
    }
  }
  return adopted;
}

}  // namespace

std::string_view to_string(Containment containment) {
  return containment == Containment::cgroup ? "cgroup" : "subreaper";
}

ActionTree::ActionTree(bool allow_cgroup) {
  remove_leftover_cgroups();
  if (allow_cgroup && !cgroups_refused) {
    static std::atomic<unsigned> made{0};
    const std::string base = cgroup2_directory(own_cgroup_path());
    const std::string dir = base + "/" + std::string(kCgroupName) + std::to_string(::getpid()) +
                            "-" + std::to_string(++made);
    if (!base.empty() && ::mkdir(dir.c_str(), 0755) == 0) {
      join_fd_ = ::open((dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
      if (join_fd_ >= 0) {
        cgroup_dir_ = dir;
        containment_ = Containment::cgroup;
        return;
      }
      ::rmdir(dir.c_str());
    }
  }
  fall_back_to_subreaper();
}

ActionTree::~ActionTree() {
  if (join_fd_ >= 0) ::close(join_fd_);
  if (!cgroup_dir_.empty() && ::rmdir(cgroup_dir_.c_str()) != 0) {
    LeftoverCgroups& leftovers = leftover_cgroups();
    const std::lock_guard lock(leftovers.mutex);
    leftovers.dirs.push_back(cgroup_dir_);
  }
}

void ActionTree::fall_back_to_subreaper() {
  if (join_fd_ >= 0) {
    ::close(join_fd_);
    join_fd_ = -1;
    cgroups_refused = true;
  }
  if (!cgroup_dir_.empty()) ::rmdir(cgroup_dir_.c_str());
  cgroup_dir_.clear();
  containment_ = Containment::subreaper;
  // Process-wide and for good: orphans of any action come back here from now on.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
}

void ActionTree::started(pid_t leader) {
  leader_ = leader;
  if (std::optional<ProcessEntry> entry = read_process(leader)) leader_start_ = entry->start_ticks;
}

std::vector<pid_t> ActionTree::cgroup_members() const {
  return cgroup_dir_.empty() ? std::vector<pid_t>{} : pids_in(cgroup_dir_ + "/cgroup.procs");
}

bool ActionTree::cgroup_populated() const {
  return !cgroup_dir_.empty() &&
         text_of(cgroup_dir_ + "/cgroup.events").find("populated 1") != std::string::npos;
}

void ActionTree::kill_cgroup() {
  if (cgroup_dir_.empty()) return;
  // cgroup.kill (Linux 5.14) ends every member at once, also those forking meanwhile; before
  // it, each member is killed, and end_all() repeats that until the cgroup is empty.
  if (write_text_to(cgroup_dir_ + "/cgroup.kill", "1")) return;
  for (pid_t pid : cgroup_members()) ::kill(pid, SIGKILL);
}

void ActionTree::signal_all(int signal) {
  const children::RegistryLock registry;
  const std::vector<ProcessEntry> table = process_table();
  std::vector<pid_t> roots = adopted_children(table, registry, leader_, leader_start_);
  if (leader_ > 0) roots.push_back(leader_);
  const std::vector<pid_t> cgroup = cgroup_members();
  roots.insert(roots.end(), cgroup.begin(), cgroup.end());
  for (pid_t pid : with_descendants(table, roots)) {
    if (pid != ::getpid()) ::kill(pid, signal);
  }
}

bool ActionTree::end_all(Milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  kill_cgroup();
  const pid_t self = ::getpid();
  for (;;) {
    bool left = cgroup_populated();
    {
      const children::RegistryLock registry;
      const std::vector<ProcessEntry> table = process_table();
      std::map<pid_t, const ProcessEntry*> by_pid;
      for (const ProcessEntry& process : table) by_pid[process.pid] = &process;
      std::vector<pid_t> roots = adopted_children(table, registry, -1, leader_start_);
      const std::vector<pid_t> cgroup = cgroup_members();
      roots.insert(roots.end(), cgroup.begin(), cgroup.end());
      for (pid_t pid : with_descendants(table, roots)) {
        const auto found = by_pid.find(pid);
        if (pid == self || found == by_pid.end()) continue;
        left = true;
        if (found->second->state != 'Z') {
          ::kill(pid, SIGKILL);
        } else if (found->second->parent == self) {
          int status = 0;
          ::waitpid(pid, &status, WNOHANG);  // adopted: nobody else will reap it
        }
      }
    }
    if (!left) return true;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(kTreePollInterval);
  }
}

}  // namespace devops_monitor::watch
