// The report a watch compares its first check with: latest_report.json when recent enough.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "devops_monitor/report_json.hpp"
#include "devops_monitor/watch.hpp"
#include "support/fixtures.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

Settings watch_settings_in(const testing::TempDir& dir) {
  Settings settings;
  settings.report_dir = dir.path();
  settings.watch_interval = std::chrono::hours(1);
  return settings;
}

void write_latest(const testing::TempDir& dir, SystemTime taken, Status status) {
  Report report;
  report.timestamp = format_rfc3339(taken, std::chrono::seconds(0));
  report.status = status;
  testing::write_text(dir / "latest_report.json", to_json(report));
}

TEST(WatchPrevious, ARecentLatestReportIsThePreviousOne) {
  testing::TempDir dir;
  write_latest(dir, testing::kFixedNow - std::chrono::minutes(90), Status::critical);
  std::string why;
  const std::optional<Report> previous =
      watch_previous_report(watch_settings_in(dir), testing::kFixedNow, &why);
  ASSERT_TRUE(previous.has_value()) << why;
  EXPECT_EQ(previous->status, Status::critical);
  EXPECT_NE(why.find("(critical)"), std::string::npos) << why;
}

TEST(WatchPrevious, AnOldOneIsIgnored) {
  testing::TempDir dir;
  write_latest(dir, testing::kFixedNow - std::chrono::hours(3), Status::critical);
  std::string why;
  EXPECT_FALSE(watch_previous_report(watch_settings_in(dir), testing::kFixedNow, &why));
  EXPECT_NE(why.find("not within two intervals"), std::string::npos) << why;
}

TEST(WatchPrevious, NoneOrJunkIsNoPreviousReport) {
  testing::TempDir dir;
  std::string why;
  EXPECT_FALSE(watch_previous_report(watch_settings_in(dir), testing::kFixedNow, &why));
  EXPECT_EQ(why, "no previous report");
  testing::write_text(dir / "latest_report.json", "{not json\x1b[31m");
  EXPECT_FALSE(watch_previous_report(watch_settings_in(dir), testing::kFixedNow, &why));
  EXPECT_NE(why.find("previous report ignored"), std::string::npos) << why;
}

}  // namespace
}  // namespace devops_monitor
