#include "report/report_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "support/process.hpp"

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
  const Result<std::filesystem::path> saved =
      save_report(dir.path(), "{\"a\":1}\n", at(1795542543));
  ASSERT_TRUE(saved.ok()) << saved.error().message();
  EXPECT_EQ(saved->filename(), "monitoring_report_20261124_174903.json");
  EXPECT_EQ(read_text(*saved), "{\"a\":1}\n");
  EXPECT_EQ(read_text(dir / "latest_report.json"), "{\"a\":1}\n");
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
