#include "system/disk.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <system_error>

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

/// Paths whose probe has not answered yet, with the read end of the probe's pipe: readable
/// (an answer or end-of-file) once the probe is gone. Deliberately leaked, as the descriptors
/// must stay open for the whole process.
struct StuckPaths {
  std::mutex mutex;
  std::map<std::string, int> pipes;
};
StuckPaths& stuck_paths() {
  static auto* stuck = new StuckPaths;
  return *stuck;
}

/// errno values that mean the path itself is wrong, as opposed to the file system behind it.
bool is_bad_path(int error_number) {
  return error_number == ENOENT || error_number == ENOTDIR || error_number == EACCES ||
         error_number == ELOOP || error_number == ENAMETOOLONG;
}

/// Starts statvfs(path) in a grandchild process that writes its answer to the returned pipe.
/// A process, not a thread: a thread stuck in a FUSE request cannot be killed, and would keep
/// this whole process from exiting; a stuck grandchild belongs to init and keeps nothing else
/// waiting. Returns -1 when no process could be started.
int start_probe(const std::string& path) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    // Only async-signal-safe calls from here on: other threads may hold any lock.
    if (::fork() == 0) {
      // Hold nothing but the pipe: not the caller's stdout (a cron job or a test reading it
      // would wait for end-of-file as long as the mount is stuck), no sockets, no locks.
      if (fds[1] > 0) ::close_range(0, static_cast<unsigned>(fds[1]) - 1, 0);
      ::close_range(static_cast<unsigned>(fds[1]) + 1, ~0U, 0);
      StatvfsAnswer answer;
      int rc = 0;
      do {
        rc = ::statvfs(path.c_str(), &answer.st);
      } while (rc != 0 && errno == EINTR);
      answer.error_number = rc == 0 ? 0 : errno;
      [[maybe_unused]] const ssize_t written = ::write(fds[1], &answer, sizeof answer);
      ::_exit(0);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  if (child < 0) {
    ::close(fds[0]);
    return -1;
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return fds[0];
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

/// True when the probe behind `fd` has finished (answered or died).
bool probe_finished(int fd) {
  pollfd ready{fd, POLLIN, 0};
  return ::poll(&ready, 1, 0) > 0;
}

}  // namespace

Result<DiskSample> measure_disk(const std::filesystem::path& path, Milliseconds timeout) {
  const std::string key = path.string();
  StuckPaths& stuck = stuck_paths();
  DiskSample unanswered{.path = path};
  {
    const std::lock_guard lock(stuck.mutex);
    if (auto earlier = stuck.pipes.find(key); earlier != stuck.pipes.end()) {
      if (!probe_finished(earlier->second)) {
        unanswered.error = "an earlier statfs of this path has not returned yet (stuck mount?)";
        return unanswered;
      }
      ::close(earlier->second);
      stuck.pipes.erase(earlier);
    }
  }
  const int fd = start_probe(key);
  if (fd < 0) {
    return Error{.what = "cannot measure disk usage",
                 .detail = "cannot start a process: " + std::generic_category().message(errno),
                 .where = key};
  }
  const std::optional<StatvfsAnswer> answer = wait_for_answer(fd, timeout);
  if (!answer) {
    const std::lock_guard lock(stuck.mutex);
    // Asked again only once this probe has finished; a concurrent one may have beaten it here.
    if (!stuck.pipes.emplace(key, fd).second) ::close(fd);
    unanswered.error =
        "statfs did not answer within " + format_duration(timeout) + " (stuck mount?)";
    return unanswered;
  }
  ::close(fd);
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
