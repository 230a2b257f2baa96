// The report directory's own trust: a directory others may write to gets one warning per run.
#include "store/report_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

TEST(ReportDir, OnlyAnOwnerWritableDirectoryIsQuiet) {
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0755), std::nullopt);
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0700), std::nullopt);
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0555), std::nullopt);
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0775), "is group-writable (mode 0775)");
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0757), "is world-writable (mode 0757)");
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 0777), "is group- and world-writable (mode 0777)");
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 01777), "is group- and world-writable (mode 1777)")
      << "sticky keeps others from replacing our files, not from planting missing ones";
  EXPECT_EQ(report_dir_exposure(S_IFDIR | 02775), "is group-writable (mode 2775)");
}

TEST(ReportDir, TheWarningNamesTheDirectoryOncePerProcess) {
  testing::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0775));
  const std::optional<Error> first = report_dir_exposure_once(dir.path());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->what, "report directory writable by others");
  EXPECT_EQ(first->where, dir.path().string());
  EXPECT_EQ(first->detail.rfind("it is group-writable (mode 0775): ", 0), 0u) << first->detail;
  EXPECT_EQ(report_dir_exposure_once(dir.path()), std::nullopt) << "once";
  EXPECT_EQ(report_dir_exposure_once(dir.path() / "." / ""), std::nullopt)
      << "the same directory, spelled differently";
}

TEST(ReportDir, AQuietOrMissingDirectoryGivesNoWarning) {
  testing::TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
  EXPECT_EQ(report_dir_exposure_once(dir.path()), std::nullopt);
  EXPECT_EQ(report_dir_exposure_once(dir / "not-yet"), std::nullopt);
}

}  // namespace
}  // namespace devops_monitor
