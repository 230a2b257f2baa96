#include "report/prune.hpp"

#include <gtest/gtest.h>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

using testing::TempDir;
using testing::write_text;

const SystemTime kNow = SystemTime(std::chrono::seconds(1795542543));  // 2026-11-24T17:49:03Z

TEST(Prune, ReadsTheTimeFromReportNamesOnly) {
  EXPECT_EQ(report_time_from_name("monitoring_report_20261124_174903.json"), kNow);
  EXPECT_EQ(report_time_from_name("monitoring_report_20261124_174903_12.json"), kNow);
  for (const char* other :
       {"latest_report.json", "key_history.json", "monitoring_report_2026.json",
        "monitoring_report_20261124_174903.json.bak", "notes.txt",
        "monitoring_report_20261324_174903.json", "xmonitoring_report_20261124_174903.json"}) {
    EXPECT_FALSE(report_time_from_name(other).has_value()) << other;
  }
}

TEST(Prune, RetentionIsStrictlyOlderThan) {
  const auto day = std::chrono::hours(24);
  EXPECT_FALSE(past_retention(kNow - 90 * day, kNow, 90));
  EXPECT_TRUE(past_retention(kNow - 90 * day - std::chrono::seconds(1), kNow, 90));
  EXPECT_FALSE(past_retention(kNow, kNow, 1));
}

TEST(Prune, DeletesOnlyOldReportsAndNothingElse) {
  TempDir dir;
  const std::vector<std::string> old = {"monitoring_report_20260801_000000.json",
                                        "monitoring_report_20260801_000000_2.json",
                                        "monitoring_report_20250101_120000.json"};
  const std::vector<std::string> kept = {"monitoring_report_20261124_170000.json",
                                         "monitoring_report_20260827_000000.json",  // 89 days, 18 h
                                         "latest_report.json",
                                         "key_history.json",
                                         "notes.txt",
                                         "monitoring_report_old.json",
                                         ".devops-monitor.abc.tmp"};
  for (const auto& name : old) write_text(dir / name, "{}");
  for (const auto& name : kept) write_text(dir / name, "{}");
  std::filesystem::create_directory(dir / "monitoring_report_20200101_000000.json");  // a directory

  const auto listed = prune_reports(dir.path(), 90, kNow, /*dry_run=*/true);
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  EXPECT_EQ(listed->size(), 3u);
  for (const auto& name : old)
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << "dry run deleted " << name;

  const auto deleted = prune_reports(dir.path(), 90, kNow, /*dry_run=*/false);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->size(), 3u);
  for (const auto& name : old) EXPECT_FALSE(std::filesystem::exists(dir / name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
  EXPECT_TRUE(std::filesystem::is_directory(dir / "monitoring_report_20200101_000000.json"));
}

TEST(Prune, NeverTheFileToKeep) {
  TempDir dir;
  write_text(dir / "monitoring_report_20200101_000000.json", "{}");
  const auto deleted =
      prune_reports(dir.path(), 1, kNow, false, dir / "monitoring_report_20200101_000000.json");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->empty());
}

TEST(Prune, MissingDirectoryIsAnErrorNamingIt) {
  const auto result = prune_reports("/no/such/reports", 90, kNow, false);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().where, "/no/such/reports");
}

}  // namespace
}  // namespace devops_monitor
