#include "system/disk.hpp"

#include <sys/statvfs.h>

#include <cerrno>
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

Result<DiskSample> measure_disk(const std::filesystem::path& path) {
  struct statvfs st {};
  int rc = 0;
  do {
    rc = ::statvfs(path.c_str(), &st);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    return Error{.what = "cannot measure disk usage",
                 .detail = std::generic_category().message(errno),
                 .where = path.string()};
  }
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
