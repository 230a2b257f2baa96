// The report directory's lock, held for read-modify-writes of its shared files (the key
// history), so concurrent checks never lose each other's updates.
#pragma once

#include <filesystem>
#include <string_view>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/error.hpp"

namespace devops_monitor {

inline constexpr std::string_view kLockFileName = ".devops-monitor.lock";

/// An exclusive lock on <dir>/.devops-monitor.lock: an open file description lock (fcntl
/// F_OFD_SETLK) on a file opened read-write. Unlike flock on a directory opened read-only,
/// this works on NFS and CIFS, and unlike classic POSIX locks it also excludes other threads
/// of the same process. Released on destruction.
/// How long a writer waits for the lock: a concurrent check holds it for milliseconds; one
/// that holds it longer is stuck.
inline constexpr Milliseconds kReportLockPatience{5000};

class ReportDirLock {
 public:
  /// Waits at most `patience` for a lock another check holds.
  static Result<ReportDirLock> acquire(const std::filesystem::path& dir, Milliseconds patience);
  ReportDirLock(ReportDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ReportDirLock(const ReportDirLock&) = delete;
  ReportDirLock& operator=(const ReportDirLock&) = delete;
  ReportDirLock& operator=(ReportDirLock&&) = delete;
  ~ReportDirLock();

 private:
  explicit ReportDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace devops_monitor
