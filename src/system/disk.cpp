#include "system/disk.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <system_error>

#include "util/child_processes.hpp"

namespace devops_monitor {

DiskSample disk_sample_from_statvfs(const std::filesystem::path& path, std::uint64_t f_blocks,
                                    std::uint64_t f_bfree, std::uint64_t f_bavail,
                                    std::uint64_t f_frsize) {
  // psutil.disk_usage: total and used count the root-reserved blocks; available does not.
  // A file system claiming more free than total blocks (seen with some FUSE drivers) would
  // give psutil a negative used; we say 0 rather than wrap around to 16 EiB.
  const std::uint64_t used_blocks = f_bfree > f_blocks ? 0 : f_blocks - f_bfree;
  return DiskSample{.path = path,
                    .total_bytes = f_blocks * f_frsize,
                    .used_bytes = used_blocks * f_frsize,
                    .available_bytes = f_bavail * f_frsize};
}

namespace {

/// What a probe process reports back through its pipe.
struct StatvfsAnswer {
  int error_number = 0;
  struct statvfs st {};
};

/// A statvfs running in a child process: its pid, and the read end of its pipe.
struct Probe {
  pid_t pid = -1;
  int fd = -1;
};

/// Probes that have not answered in time, by path. A path with one here is not probed again
/// until it returns (node_exporter keeps a stuck-mount set for the same reason: a daemon must
/// not pile up processes stuck in one mount). Deliberately leaked: a probe may still be stuck
/// while static destructors run.
struct StuckProbes {
  std::mutex mutex;
  std::multimap<std::string, Probe> by_path;
};
StuckProbes& stuck_probes() {
  static auto* stuck = new StuckProbes;
  return *stuck;
}

/// At exit, stuck probes are killed: a probe in a killable wait (an NFS hard mount, a hang in
/// user space) then ends with the tool instead of outliving it. One in an uninterruptible wait
/// (a FUSE request its daemon already read) ends when the kernel lets it.
void kill_stuck_probes_at_exit() {
  StuckProbes& stuck = stuck_probes();
  const std::lock_guard lock(stuck.mutex);
  for (const auto& entry : stuck.by_path) ::kill(entry.second.pid, SIGKILL);
}

/// Reaps the stuck probes that have finally returned, so none is left a zombie.
void reap_returned_probes(StuckProbes& stuck) {
  for (auto probe = stuck.by_path.begin(); probe != stuck.by_path.end();) {
    if (children::reap(probe->second.pid, /*block=*/false) == children::Reaped::running) {
      ++probe;
      continue;
    }
    ::close(probe->second.fd);
    probe = stuck.by_path.erase(probe);
  }
}

/// Keeps a probe that did not answer in time, to be reaped when it returns.
void keep_stuck_probe(const std::string& path, Probe probe) {
  static std::once_flag registered;
  std::call_once(registered, [] { std::atexit(kill_stuck_probes_at_exit); });
  StuckProbes& stuck = stuck_probes();
  const std::lock_guard lock(stuck.mutex);
  stuck.by_path.emplace(path, probe);
}

/// errno values that mean the path itself is wrong, as opposed to the file system behind it.
bool is_bad_path(int error_number) {
  return error_number == ENOENT || error_number == ENOTDIR || error_number == EACCES ||
         error_number == ELOOP || error_number == ENAMETOOLONG;
}

/// The probe itself, in the child: only async-signal-safe calls, as other threads of the
/// parent may have held any lock at the fork.
[[noreturn]] void run_probe(const char* path, int answer_fd) {
  // Hold nothing but the pipe: not the caller's stdout (a cron job or a test reading it would
  // wait for end-of-file as long as the mount is stuck), no sockets, no locks.
  if (answer_fd > 0) ::close_range(0, static_cast<unsigned>(answer_fd) - 1, 0);
  ::close_range(static_cast<unsigned>(answer_fd) + 1, ~0U, 0);
  StatvfsAnswer answer;
  int rc = 0;
  do {
    rc = ::statvfs(path, &answer.st);
  } while (rc != 0 && errno == EINTR);
  answer.error_number = rc == 0 ? 0 : errno;
  [[maybe_unused]] const ssize_t written = ::write(answer_fd, &answer, sizeof answer);
  ::_exit(0);
}

/// Starts statvfs(path) in a child process that writes its answer to the probe's pipe.
/// A process, not a thread: a thread stuck in a FUSE request cannot be killed, and would keep
/// this whole process from exiting. A child, not a grandchild handed to init: whatever this
/// process starts, it reaps, also when it is PID 1 in a container (where nobody else would).
/// pid -1 when no process could be started.
Probe start_probe(const std::string& path) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  const pid_t child = children::start_registered([&] {
    const pid_t pid = ::fork();
    if (pid == 0) run_probe(path.c_str(), fds[1]);
    return pid;
  });
  const int fork_error = errno;
  ::close(fds[1]);
  if (child < 0) {
    ::close(fds[0]);
    errno = fork_error;  // for the caller's message
    return {};
  }
  return {child, fds[0]};
}

/// Waits for the probe's answer until `timeout`; nullopt when none came in time.
std::optional<StatvfsAnswer> wait_for_answer(int fd, Milliseconds timeout) {
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  StatvfsAnswer answer;
  auto* bytes = reinterpret_cast<char*>(&answer);
  std::size_t got = 0;
  while (got < sizeof answer) {
    const auto left =
        std::chrono::duration_cast<Milliseconds>(give_up - std::chrono::steady_clock::now());
    pollfd ready{fd, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(std::max<long long>(0, left.count())));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return std::nullopt;
    const ssize_t n = ::read(fd, bytes + got, sizeof answer - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the probe died without answering
      answer.error_number = EIO;
      return answer;
    }
    got += static_cast<std::size_t>(n);
  }
  return answer;
}

}  // namespace

Result<DiskSample> measure_disk(const std::filesystem::path& path, Milliseconds timeout) {
  const std::string key = path.string();
  DiskSample unanswered{.path = path};
  {
    StuckProbes& stuck = stuck_probes();
    const std::lock_guard lock(stuck.mutex);
    reap_returned_probes(stuck);
    if (stuck.by_path.count(key) != 0) {
      unanswered.error = "an earlier statfs of this path has not returned yet (stuck mount?)";
      return unanswered;
    }
  }
  const Probe probe = start_probe(key);
  if (probe.pid < 0) {
    return Error{.what = "cannot measure disk usage",
                 .detail = "cannot start a process: " + std::generic_category().message(errno),
                 .where = key};
  }
  const std::optional<StatvfsAnswer> answer = wait_for_answer(probe.fd, timeout);
  if (!answer) {
    keep_stuck_probe(key, probe);
    unanswered.error =
        "statfs did not answer within " + format_duration(timeout) + " (stuck mount?)";
    return unanswered;
  }
  ::close(probe.fd);
  // It answered (or died): it exits at once, so this wait is short.
  children::reap(probe.pid, /*block=*/true);
  if (answer->error_number != 0) {
    const std::string reason = std::generic_category().message(answer->error_number);
    if (is_bad_path(answer->error_number)) {
      return Error{.what = "cannot measure disk usage", .detail = reason, .where = key};
    }
    unanswered.error = "statfs failed: " + reason;
    return unanswered;
  }
  const struct statvfs& st = answer->st;
  return disk_sample_from_statvfs(path, st.f_blocks, st.f_bfree, st.f_bavail, st.f_frsize);
}

double disk_percent(const DiskSample& disk) {
  // psutil's usage_percent(used, used + available, round_=1), which answers 0 for an empty
  // denominator (a pseudo file system with no blocks at all).
  const std::uint64_t usable = disk.used_bytes + disk.available_bytes;
  if (usable == 0) return 0.0;
  return round_to_tenth(static_cast<double>(disk.used_bytes) / static_cast<double>(usable) * 100);
}

}  // namespace devops_monitor
