// disk_sample_from_statvfs, measure_disk and disk_percent (psutil.disk_usage semantics).
#include "system/disk.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace devops_monitor {
namespace {

TEST(DiskUsage, BytesFromStatvfsFields) {
  const DiskSample disk = disk_sample_from_statvfs("/data", 1000, 400, 350, 4096);
  EXPECT_EQ(disk.path, std::filesystem::path("/data"));
  EXPECT_EQ(disk.total_bytes, 1000u * 4096);
  EXPECT_EQ(disk.used_bytes, 600u * 4096);
  EXPECT_EQ(disk.available_bytes, 350u * 4096);
}

TEST(DiskUsage, PercentLeavesReservedBlocksOut) {
  // 600 used, 350 available to users, 50 reserved for root: 600 / 950, not 600 / 1000.
  EXPECT_EQ(disk_percent(disk_sample_from_statvfs("/", 1000, 400, 350, 4096)), 63.2);
}

TEST(DiskUsage, FullOnceOnlyReservedBlocksAreLeft) {
  EXPECT_EQ(disk_percent(disk_sample_from_statvfs("/", 1000, 50, 0, 4096)), 100.0);
}

TEST(DiskUsage, EmptyFileSystemIsZeroPercent) {
  EXPECT_EQ(disk_percent(disk_sample_from_statvfs("/", 1000, 1000, 1000, 4096)), 0.0);
}

TEST(DiskUsage, FileSystemWithoutBlocksIsZeroPercentAsInPsutil) {
  // /proc, /sys and friends report 0 blocks; psutil.disk_usage says 0.0 for them.
  EXPECT_EQ(disk_percent(disk_sample_from_statvfs("/proc", 0, 0, 0, 4096)), 0.0);
}

TEST(DiskUsage, MoreFreeThanTotalBlocksIsZeroUsedNotAWraparound) {
  const DiskSample disk = disk_sample_from_statvfs("/fuse", 100, 120, 100, 4096);
  EXPECT_EQ(disk.used_bytes, 0u);
  EXPECT_EQ(disk_percent(disk), 0.0);
}

TEST(DiskUsage, MeasuresTheRootFileSystem) {
  Result<DiskSample> disk = measure_disk("/", Milliseconds(5000));
  ASSERT_TRUE(disk.ok()) << disk.error().message();
  EXPECT_EQ(disk->path, std::filesystem::path("/"));
  EXPECT_GT(disk->total_bytes, 0u);
  EXPECT_LE(disk->used_bytes, disk->total_bytes);
  const double percent = disk_percent(*disk);
  EXPECT_GE(percent, 0.0);
  EXPECT_LE(percent, 100.0);
}

TEST(DiskUsage, MissingPathIsAnErrorNamingThePath) {
  Result<DiskSample> disk = measure_disk("/no/such/mount/point", Milliseconds(5000));
  ASSERT_FALSE(disk.ok());
  EXPECT_EQ(disk.error().what, "cannot measure disk usage");
  EXPECT_EQ(disk.error().detail, "No such file or directory");
  EXPECT_EQ(disk.error().where, "/no/such/mount/point");
}

}  // namespace
}  // namespace devops_monitor
