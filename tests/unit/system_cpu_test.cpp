// parse_proc_stat, read_cpu_stat and cpu_busy_percent over inline text and fixture trees.
#include "system/cpu.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

std::string stat_path(const std::string& scenario) {
  return (testing::kProcfsFixtures / scenario / "stat").string();
}

CpuTimes read_times(const std::string& scenario) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / scenario);
  EXPECT_TRUE(stat.ok()) << stat.error().message();
  return stat.ok() ? stat->total : CpuTimes{};
}

/// Busy percent between <scenario> and <scenario>-later.
Result<double> percent_between(const std::string& scenario) {
  return cpu_busy_percent(read_times(scenario), read_times(scenario + "-later"),
                          stat_path(scenario + "-later"));
}

// --- parse_proc_stat -------------------------------------------------------------------

TEST(CpuParse, ReadsAllTenCountersAndCountsCpus) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "live-sample");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->total.user, 7156u);
  EXPECT_EQ(stat->total.nice, 0u);
  EXPECT_EQ(stat->total.system, 4966u);
  EXPECT_EQ(stat->total.idle, 520831u);
  EXPECT_EQ(stat->total.iowait, 521u);
  EXPECT_EQ(stat->total.softirq, 157u);
  EXPECT_EQ(stat->cpu_count, 2);
}

TEST(CpuParse, ReadsGuestCounters) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "guest-heavy");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->total.guest, 3980112u);
  EXPECT_EQ(stat->total.guest_nice, 60210u);
  EXPECT_EQ(stat->cpu_count, 8);
}

TEST(CpuParse, OldKernelWithEightCountersLeavesGuestAtZero) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "old-kernel");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->total.user, 284912u);
  EXPECT_EQ(stat->total.steal, 0u);
  EXPECT_EQ(stat->total.guest, 0u);
  EXPECT_EQ(stat->total.guest_nice, 0u);
  EXPECT_EQ(stat->cpu_count, 2);
}

TEST(CpuParse, AcceptsTheFourCountersOfLinux24) {
  Result<CpuStat> stat = parse_proc_stat("cpu  10 20 30 40\ncpu0 10 20 30 40\n", "/proc/stat");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->total.idle, 40u);
  EXPECT_EQ(stat->total.iowait, 0u);
  EXPECT_EQ(stat->cpu_count, 1);
}

TEST(CpuParse, IgnoresCountersANewerKernelMightAdd) {
  Result<CpuStat> stat =
      parse_proc_stat("cpu  1 2 3 4 5 6 7 8 9 10 11 12\ncpu0 1 2 3 4 5 6 7 8 9 10 11 12\n", "x");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->total.guest_nice, 10u);
}

TEST(CpuParse, CountsOnlyCpuNLines) {
  Result<CpuStat> stat = parse_proc_stat(
      "cpu  1 2 3 4\ncpu0 1 2 3 4\ncpu17 1 2 3 4\ncpufreq 1 2 3 4\ncpux 1\nintr 5\n", "x");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_EQ(stat->cpu_count, 2);
}

TEST(CpuParse, MissingAggregateLineIsAnError) {
  Result<CpuStat> stat = parse_proc_stat("cpu0 1 2 3 4\nintr 5\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "no aggregate cpu line");
  EXPECT_EQ(stat.error().where, "/proc/stat");
}

TEST(CpuParse, NoPerCpuLinesIsAnErrorNotACountOfZero) {
  Result<CpuStat> stat = parse_proc_stat("cpu  1 2 3 4\nintr 5\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "no per-CPU lines");
  EXPECT_EQ(stat.error().where, "/proc/stat");
}

TEST(CpuParse, FewerThanFourCountersIsAnError) {
  Result<CpuStat> stat = parse_proc_stat("cpu  1 2 3\ncpu0 1 2 3\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "aggregate cpu line is too short");
  EXPECT_EQ(stat.error().where, "/proc/stat:1");
}

TEST(CpuParse, NonNumericCounterIsAnErrorNamingTheField) {
  Result<CpuStat> stat = parse_proc_stat("intr 5\ncpu  1 2 x3 4\ncpu0 1 2 3 4\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "invalid cpu time counter");
  EXPECT_EQ(stat.error().detail, "system: 'x3' is not a non-negative integer");
  EXPECT_EQ(stat.error().where, "/proc/stat:2");
}

TEST(CpuParse, NegativeCounterIsAnError) {
  Result<CpuStat> stat = parse_proc_stat("cpu  1 -2 3 4\ncpu0 1 2 3 4\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().detail, "nice: '-2' is not a non-negative integer");
}

TEST(CpuParse, OverflowingCounterIsAnError) {
  Result<CpuStat> stat =
      parse_proc_stat("cpu  1 2 3 18446744073709551616\ncpu0 1 2 3 4\n", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().detail, "idle: '18446744073709551616' does not fit in 64 bits");
  EXPECT_EQ(stat.error().where, "/proc/stat:1");
}

TEST(CpuParse, EmptyFileIsAnError) {
  Result<CpuStat> stat = parse_proc_stat("", "/proc/stat");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "procfs file is empty");
  EXPECT_EQ(stat.error().where, "/proc/stat");
}

TEST(CpuParse, TruncatedFixtureIsAnErrorNamingTheFile) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "truncated");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "procfs file is truncated");
  EXPECT_EQ(stat.error().where, stat_path("truncated"));
}

TEST(CpuParse, MalformedFixtureIsAnErrorNamingTheFileAndLine) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "malformed");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "invalid cpu time counter");
  EXPECT_EQ(stat.error().detail, "system: '4966x' is not a non-negative integer");
  EXPECT_EQ(stat.error().where, stat_path("malformed") + ":1");
}

TEST(CpuParse, MissingProcfsIsAReadError) {
  Result<CpuStat> stat = read_cpu_stat(testing::kProcfsFixtures / "no-such-scenario");
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.error().what, "cannot read procfs file");
  EXPECT_EQ(stat.error().where, stat_path("no-such-scenario"));
}

TEST(CpuParse, ReadsTheLiveProcStat) {
  Result<CpuStat> stat = read_cpu_stat("/proc");
  ASSERT_TRUE(stat.ok()) << stat.error().message();
  EXPECT_GE(stat->cpu_count, 1);
  EXPECT_GT(stat->total.user + stat->total.system + stat->total.idle, 0u);
}

// --- cpu_busy_percent ------------------------------------------------------------------

TEST(CpuPercent, BusyScenarioIsSeventyFivePercent) {
  // 400 ticks: 300 in user, nice, system, irq, softirq and steal; 80 idle and 20 iowait.
  Result<double> percent = percent_between("busy");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 75.0);
}

TEST(CpuPercent, GuestTimeIsNotCountedTwice) {
  // Busy 704 of 800 ticks. Adding guest (520) and guest_nice (36) again would say 92.9.
  Result<double> percent = percent_between("guest-heavy");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 88.0);
}

TEST(CpuPercent, OldKernelScenario) {
  Result<double> percent = percent_between("old-kernel");  // 90 busy of 200 ticks
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 45.0);
}

TEST(CpuPercent, LiveSamplePair) {
  Result<double> percent = percent_between("live-sample");  // 3 busy of 205 ticks
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 1.5);
}

TEST(CpuPercent, TieIsSettledByPsutilsFloatingPointNotExactArithmetic) {
  // 181 busy of 400 ticks is exactly 45.25; exact arithmetic with ties to even gives 45.2,
  // psutil (seconds as floats) gives 45.3, and the parity test checks that psutil agrees.
  Result<double> percent = percent_between("pre-memavailable");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 45.3);
}

TEST(CpuPercent, IowaitIsIdleTime) {
  CpuTimes before;
  CpuTimes after;
  after.user = 10;
  after.iowait = 90;
  Result<double> percent = cpu_busy_percent(before, after, "/proc/stat");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 10.0);
}

TEST(CpuPercent, FullyBusyIsOneHundred) {
  CpuTimes before;
  CpuTimes after;
  after.user = 150;
  after.system = 40;
  after.steal = 10;
  Result<double> percent = cpu_busy_percent(before, after, "/proc/stat");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 100.0);
}

TEST(CpuPercent, ACounterGoingBackwardsCountsAsZeroLikePsutil) {
  // Linux's iowait may decrease; psutil (and top) clamp each counter's delta at zero.
  CpuTimes before;
  before.iowait = 500;
  CpuTimes after;
  after.user = 25;
  after.idle = 75;
  after.iowait = 100;
  Result<double> percent = cpu_busy_percent(before, after, "/proc/stat");
  ASSERT_TRUE(percent.ok()) << percent.error().message();
  EXPECT_EQ(*percent, 25.0);
}

TEST(CpuPercent, IdenticalReadingsAreAnErrorNotZero) {
  const CpuTimes times = read_times("busy");
  Result<double> percent = cpu_busy_percent(times, times, stat_path("busy"));
  ASSERT_FALSE(percent.ok());
  EXPECT_EQ(percent.error().what, "CPU counters did not advance during the measurement window");
  EXPECT_EQ(percent.error().where, stat_path("busy"));
}

TEST(CpuPercent, ReadingsInTheWrongOrderAreAnError) {
  Result<double> percent =
      cpu_busy_percent(read_times("busy-later"), read_times("busy"), stat_path("busy"));
  ASSERT_FALSE(percent.ok());
  EXPECT_EQ(percent.error().what, "CPU counters did not advance during the measurement window");
  EXPECT_EQ(percent.error().where, stat_path("busy"));
}

TEST(CpuPercent, OnlyGuestAdvancingIsNoElapsedTime) {
  // Guest time is a part of user time, so on its own it is not time that passed.
  CpuTimes before;
  CpuTimes after;
  after.guest = 100;
  after.guest_nice = 100;
  Result<double> percent = cpu_busy_percent(before, after, "/proc/stat");
  ASSERT_FALSE(percent.ok());
  EXPECT_EQ(percent.error().where, "/proc/stat");
}

}  // namespace
}  // namespace devops_monitor
