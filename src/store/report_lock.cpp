#include "store/report_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

bool held_by_another(int error_number) {
  return error_number == EAGAIN || error_number == EACCES;
}

}  // namespace

Result<ReportDirLock> ReportDirLock::acquire(const std::filesystem::path& dir,
                                             Milliseconds patience) {
  const std::filesystem::path file = dir / kLockFileName;
  // O_NOFOLLOW: a symlink planted under this name must not make us create or open a file
  // elsewhere; O_NONBLOCK | O_NOCTTY: a FIFO or device planted here must not block or grab a tty.
  const int fd =
      ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0666);
  if (fd < 0) return Error{"cannot lock report directory", errno_text(errno), file.string()};
  ReportDirLock lock(fd);
  // Polling rather than F_OFD_SETLKW: a lock held by a stuck process must cost a bounded wait.
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (true) {
    struct flock request {};
    request.l_type = F_WRLCK;
    request.l_whence = SEEK_SET;
    if (::fcntl(fd, F_OFD_SETLK, &request) == 0) return lock;
    const int error_number = errno;
    if (error_number == EINTR) continue;
    if (!held_by_another(error_number)) {
      return Error{"cannot lock report directory", errno_text(error_number), file.string()};
    }
    if (std::chrono::steady_clock::now() >= give_up) {
      return Error{"cannot lock report directory",
                   "another check held the lock for " + format_duration(patience), file.string()};
    }
    std::this_thread::sleep_for(Milliseconds(10));
  }
}

ReportDirLock::~ReportDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases an OFD lock
}

}  // namespace devops_monitor
