#include "store/report_files.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <set>
#include <thread>

#include "support/process.hpp"
#include "util/atomic_file.hpp"

namespace devops_monitor {
namespace {

using testing::read_text;
using testing::TempDir;

SystemTime at(long long seconds) {
  return SystemTime(std::chrono::seconds(seconds));
}

TEST(ReportStore, FileNameIsTheUtcStampAndCountsDuplicates) {
  EXPECT_EQ(report_file_name(at(1795542543), 1), "monitoring_report_20261124_174903.json");
  EXPECT_EQ(report_file_name(at(1795542543), 2), "monitoring_report_20261124_174903_2.json");
}

TEST(ReportStore, SavesReportAndLatest) {
  TempDir dir;
  const Result<SavedReport> saved = save_report(dir.path(), "{\"a\":1}\n", at(1795542543));
  ASSERT_TRUE(saved.ok()) << saved.error().message();
  EXPECT_FALSE(saved->latest_error.has_value());
  EXPECT_EQ(saved->report.filename(), "monitoring_report_20261124_174903.json");
  EXPECT_EQ(read_text(saved->report), "{\"a\":1}\n");
  EXPECT_EQ(read_text(dir / "latest_report.json"), "{\"a\":1}\n");
}

TEST(ReportStore, LatestIsACopyNotASecondNameOfTheReport) {
  TempDir dir;
  const Result<SavedReport> saved = save_report(dir.path(), "{\"a\":1}\n", at(1795542543));
  ASSERT_TRUE(saved.ok());
  struct stat report {};
  struct stat latest {};
  ASSERT_EQ(::stat(saved->report.c_str(), &report), 0);
  ASSERT_EQ(::stat((dir / "latest_report.json").c_str(), &latest), 0);
  EXPECT_NE(report.st_ino, latest.st_ino);
  EXPECT_EQ(report.st_nlink, 1u);
  // Editing latest_report.json in place (as a user's script might) leaves the report alone.
  testing::write_text(dir / "latest_report.json", "edited");
  EXPECT_EQ(read_text(saved->report), "{\"a\":1}\n");
}

TEST(ReportStore, FilesGetTheUsualPermissionsUnderTheUmask) {
  for (const mode_t mask : {mode_t{022}, mode_t{077}, mode_t{002}}) {
    TempDir dir;
    const mode_t previous = ::umask(mask);
    const Result<SavedReport> saved = save_report(dir.path(), "{}", at(1795542543));
    ::umask(previous);
    ASSERT_TRUE(saved.ok());
    for (const auto& file : {saved->report, dir / "latest_report.json"}) {
      struct stat info {};
      ASSERT_EQ(::stat(file.c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask) << file << " under umask 0" << std::oct << mask;
    }
  }
}

TEST(ReportStore, StaleTemporaryFilesAreRemovedAndFreshOnesKept) {
  TempDir dir;
  testing::write_text(dir / ".devops-monitor.0123456789abcdef.tmp", "left by a crash");
  testing::write_text(dir / ".devops-monitor.fedcba9876543210.tmp", "being written now");
  testing::write_text(dir / "notes.tmp", "not ours");
  const auto two_hours_ago = std::filesystem::file_time_type::clock::now() - std::chrono::hours(2);
  std::filesystem::last_write_time(dir / ".devops-monitor.0123456789abcdef.tmp", two_hours_ago);
  std::filesystem::last_write_time(dir / "notes.tmp", two_hours_ago);
  EXPECT_EQ(remove_stale_temp_files(dir.path(), std::chrono::hours(1)), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / ".devops-monitor.0123456789abcdef.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir / ".devops-monitor.fedcba9876543210.tmp"));
  EXPECT_TRUE(std::filesystem::exists(dir / "notes.tmp"));
}

TEST(ReportStore, NeverOverwritesAReportOfTheSameSecond) {
  TempDir dir;
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(save_report(dir.path(), std::to_string(i), at(1795542543)).ok());
  }
  EXPECT_EQ(read_text(dir / "monitoring_report_20261124_174903.json"), "1");
  EXPECT_EQ(read_text(dir / "monitoring_report_20261124_174903_2.json"), "2");
  EXPECT_EQ(read_text(dir / "monitoring_report_20261124_174903_3.json"), "3");
  EXPECT_EQ(read_text(dir / "latest_report.json"), "3");
}

TEST(ReportStore, ConcurrentSavesEachGetTheirOwnFile) {
  TempDir dir;
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back(
        [&, i] { ASSERT_TRUE(save_report(dir.path(), std::to_string(i), at(1795542543)).ok()); });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> contents;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("monitoring_report_", 0) != 0) continue;
    ++files;
    contents.insert(read_text(entry.path()));
  }
  EXPECT_EQ(files, 10);
  EXPECT_EQ(contents.size(), 10u);
  // No temporary file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();
  }
}

TEST(ReportStore, PrepareCreatesParentsAndRefusesAFileInTheWay) {
  TempDir dir;
  EXPECT_TRUE(prepare_report_dir(dir / "a/b/c").ok());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "a/b/c"));
  testing::write_text(dir / "file", "x");
  const Result<void> blocked = prepare_report_dir(dir / "file/reports");
  ASSERT_FALSE(blocked.ok());
  EXPECT_NE(blocked.error().where.find("file/reports"), std::string::npos);
}

}  // namespace
}  // namespace devops_monitor
