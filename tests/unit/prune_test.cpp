#include "store/prune.hpp"

#include <gtest/gtest.h>

#include "support/fixtures.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

using testing::TempDir;
using testing::write_text;

TEST(Prune, ReadsTheTimeFromReportNamesOnly) {
  EXPECT_EQ(report_time_from_name("monitoring_report_20261124_174903.json"), testing::kFixedNow);
  EXPECT_EQ(report_time_from_name("monitoring_report_20261124_174903_12.json"), testing::kFixedNow);
  for (const char* other :
       {"latest_report.json", "key_history.json", "monitoring_report_2026.json",
        "monitoring_report_20261124_174903.json.bak", "notes.txt",
        "monitoring_report_20261324_174903.json", "xmonitoring_report_20261124_174903.json"}) {
    EXPECT_FALSE(report_time_from_name(other).has_value()) << other;
  }
}

TEST(Prune, RetentionIsStrictlyOlderThan) {
  const auto day = std::chrono::hours(24);
  EXPECT_FALSE(past_retention(testing::kFixedNow - 90 * day, testing::kFixedNow, 90));
  EXPECT_TRUE(past_retention(testing::kFixedNow - 90 * day - std::chrono::seconds(1),
                             testing::kFixedNow, 90));
  EXPECT_FALSE(past_retention(testing::kFixedNow, testing::kFixedNow, 1));
}

TEST(Prune, DeletesOnlyOldReportsAndNothingElse) {
  TempDir dir;
  const std::vector<std::string> old = {"monitoring_report_20260801_000000.json",
                                        "monitoring_report_20260801_000000_2.json",
                                        "monitoring_report_20260715_120000.json"};
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

  const auto listed = prune_reports_in(dir.path(), 90, testing::kFixedNow, /*dry_run=*/true);
  ASSERT_TRUE(listed.ok()) << listed.error().message();
  EXPECT_EQ(listed->deleted.size(), 3u);
  for (const auto& name : old)
    EXPECT_TRUE(std::filesystem::exists(dir / name)) << "dry run deleted " << name;

  const auto deleted = prune_reports_in(dir.path(), 90, testing::kFixedNow, /*dry_run=*/false);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->deleted.size(), 3u);
  for (const auto& name : old) EXPECT_FALSE(std::filesystem::exists(dir / name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
  EXPECT_TRUE(std::filesystem::is_directory(dir / "monitoring_report_20200101_000000.json"));
}

TEST(Prune, NeverTheFileToKeep) {
  TempDir dir;
  write_text(dir / "monitoring_report_20200101_000000.json", "{}");
  const auto deleted = prune_reports_in(dir.path(), 1, testing::kFixedNow, false, false,
                                        dir / "monitoring_report_20200101_000000.json");
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->deleted.empty());
}

/// Hourly reports from `first` for `hours` hours.
std::vector<StoredReport> hourly(SystemTime first, int hours) {
  std::vector<StoredReport> reports;
  for (int i = 0; i < hours; ++i) {
    const SystemTime time = first + std::chrono::hours(i);
    reports.push_back({"monitoring_report_" + utc_file_stamp(time) + ".json", time});
  }
  return reports;
}

const auto kDay = std::chrono::hours(24);

TEST(PrunePlan, AnHourlyHistoryLosesOnlyWhatIsPastRetention) {
  // 100 days of hourly reports, the newest an hour ago: the first 10 days go.
  const auto reports = hourly(testing::kFixedNow - 100 * kDay, 100 * 24);
  const PrunePlan plan = plan_pruning(reports, testing::kFixedNow, 90, false);
  EXPECT_EQ(plan.to_delete.size(), 10u * 24) << "the report exactly 90 days old stays";
  EXPECT_TRUE(plan.held_back.empty());
}

TEST(PrunePlan, AClockThatJumpedAYearForwardDeletesNothing) {
  // 60 days of history, then the clock jumps a year: the check writes one report "now".
  auto reports = hourly(testing::kFixedNow - 365 * kDay - 60 * kDay, 60 * 24);
  reports.push_back({"monitoring_report_now.json", testing::kFixedNow});
  const PrunePlan plan =
      plan_pruning(reports, testing::kFixedNow, 90, false, "monitoring_report_now.json");
  EXPECT_TRUE(plan.to_delete.empty());
  EXPECT_EQ(plan.held_back.size(), 60u * 24);
  EXPECT_EQ(plan.gap.count() / 24, 365);
  // ...and the next hourly checks, still on the wrong clock, keep the history too.
  reports.push_back({"monitoring_report_later.json", testing::kFixedNow + std::chrono::hours(5)});
  EXPECT_TRUE(plan_pruning(reports, testing::kFixedNow + std::chrono::hours(5), 90, false)
                  .to_delete.empty());
}

TEST(PrunePlan, AMachineOffForLongerThanTheRetentionKeepsItsHistoryUntilAsked) {
  const auto reports = hourly(testing::kFixedNow - 200 * kDay, 24);  // the newest is 199 days old
  const PrunePlan plan = plan_pruning(reports, testing::kFixedNow, 90, false);
  EXPECT_TRUE(plan.to_delete.empty());
  EXPECT_EQ(plan.held_back.size(), 24u);
  const PrunePlan forced = plan_pruning(reports, testing::kFixedNow, 90, /*ignore_gaps=*/true);
  EXPECT_EQ(forced.to_delete.size(), 24u);
  EXPECT_TRUE(forced.held_back.empty());
}

TEST(PrunePlan, GapsShorterThanNinetyDaysAreOrdinaryEvenWithAShortRetention) {
  // A daily check with one day of retention: every gap is a day; old ones simply go.
  std::vector<StoredReport> reports;
  for (int i = 10; i >= 1; --i)
    reports.push_back({"r" + std::to_string(i), testing::kFixedNow - i * kDay});
  const PrunePlan plan = plan_pruning(reports, testing::kFixedNow, 1, false);
  EXPECT_EQ(plan.to_delete.size(), 9u);
  EXPECT_TRUE(plan.held_back.empty());
}

TEST(PrunePlan, AGapOlderThanTheRetentionWindowOnlyProtectsWhatCameBeforeIt) {
  // Reports from 300 days ago, a 150-day gap, then 150 days of daily reports.
  std::vector<StoredReport> reports;
  reports.push_back({"before-gap", testing::kFixedNow - 300 * kDay});
  for (int i = 150; i >= 1; --i)
    reports.push_back({"d" + std::to_string(i), testing::kFixedNow - i * kDay});
  const PrunePlan plan = plan_pruning(reports, testing::kFixedNow, 90, false);
  EXPECT_EQ(plan.held_back, std::vector<std::filesystem::path>{"before-gap"});
  EXPECT_EQ(plan.to_delete.size(), 60u);
}

TEST(PrunePlan, ReportsFromTheFutureAreNeverOld) {
  // The clock went back: reports "from the future" are not past any retention.
  const auto reports = hourly(testing::kFixedNow + 10 * kDay, 24);
  EXPECT_TRUE(plan_pruning(reports, testing::kFixedNow, 1, false).to_delete.empty());
}

TEST(Prune, ListingIgnoresOtherFilesAndSortsByTime) {
  TempDir dir;
  write_text(dir / "monitoring_report_20261124_170000.json", "{}");
  write_text(dir / "monitoring_report_20250101_000000.json", "{}");
  write_text(dir / "monitoring_report_20261124_170000_2.json", "{}");
  write_text(dir / "latest_report.json", "{}");
  const auto listed = list_reports(dir.path());
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].path.filename(), "monitoring_report_20250101_000000.json");
  EXPECT_EQ((*listed)[2].path.filename(), "monitoring_report_20261124_170000_2.json");
}

TEST(Prune, MissingDirectoryIsAnErrorNamingIt) {
  const auto result = prune_reports_in("/no/such/reports", 90, testing::kFixedNow, false);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().where, "/no/such/reports");
}

}  // namespace
}  // namespace devops_monitor
