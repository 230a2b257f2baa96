// Disk utilisation from statvfs, with psutil's disk_usage() semantics.
#pragma once

#include <cstdint>
#include <filesystem>

#include "devops_monitor/error.hpp"
#include "system/system_sample.hpp"

namespace devops_monitor {

/// Byte counts from statvfs fields (pure, for tests).
DiskSample disk_sample_from_statvfs(const std::filesystem::path& path, std::uint64_t f_blocks,
                                    std::uint64_t f_bfree, std::uint64_t f_bavail,
                                    std::uint64_t f_frsize);

/// statvfs(path), waiting at most `timeout`, like node_exporter's mount-timeout: a stuck
/// mount (NFS server gone, FUSE daemon hung) or an I/O error becomes the sample's `error`,
/// never a hang. While an earlier statvfs of the same path is still stuck, no new one is
/// started. A path that cannot name a file system (missing, not a directory, no permission)
/// is an Error naming it: that is a mistake in the input, not a state of the disk.
Result<DiskSample> measure_disk(const std::filesystem::path& path, Milliseconds timeout);

/// used / (used + available) * 100, one decimal: reserved blocks count neither as used nor as
/// available, so a disk whose unreserved space is full reads 100%.
double disk_percent(const DiskSample& disk);

}  // namespace devops_monitor
