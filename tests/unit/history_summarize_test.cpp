// summarize(): statistics over hand-built samples (docs/history.md has the rules).
#include <gtest/gtest.h>

#include "history/history.hpp"
#include "support/fixtures.hpp"

namespace devops_monitor::history {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const SystemTime kHistoryStart = testing::kFixedNow - hours(100);

/// A sample `h` hours after kHistoryStart with the given status and OpenAI in `state`.
Sample history_sample_at(double h, Status status = Status::healthy,
                         KeyState state = KeyState::valid,
                         std::optional<std::int64_t> latency = 100) {
  Sample s;
  s.time = kHistoryStart + seconds(static_cast<std::int64_t>(h * 3600));
  s.status = status;
  s.cpu_percent = 10;
  s.memory_percent = 50;
  s.disks.push_back({"/", 40.0, 0, 0});
  s.keys.push_back({"openai", "OpenAI (GPT-4)", state, latency});
  return s;
}

std::vector<Sample> history_hourly(int count) {
  std::vector<Sample> samples;
  for (int i = 0; i < count; ++i) samples.push_back(history_sample_at(i));
  return samples;
}

TEST(HistorySummarize, NoSamplesIsAnEmptySummary) {
  const HistorySummary s = summarize({}, kHistoryStart, testing::kFixedNow);
  EXPECT_EQ(s.reports, 0);
  EXPECT_TRUE(s.providers.empty());
  EXPECT_TRUE(s.resources.empty());
  EXPECT_TRUE(s.time_in_status.empty());
  EXPECT_EQ(s.since, kHistoryStart);
  EXPECT_EQ(s.until, testing::kFixedNow);
}

TEST(HistorySummarize, EachSampleLastsUntilTheNextAndTheLastUntilNowWithinTheGapLimit) {
  // Hourly samples 0..9, now is hour 10: ten hours of healthy, the last one included.
  const HistorySummary s = summarize(history_hourly(10), kHistoryStart, kHistoryStart + hours(10));
  EXPECT_EQ(s.reports, 10);
  EXPECT_EQ(s.time_in_status.at(Status::healthy), hours(10));
  EXPECT_EQ(s.providers.at(0).time_in_state.at(KeyState::valid), hours(10));
}

TEST(HistorySummarize, AGapCountsAtMostTwiceTheMedianInterval) {
  std::vector<Sample> samples = history_hourly(5);            // hours 0..4
  samples.push_back(history_sample_at(20, Status::warning));  // the machine was off for 16 hours
  samples.push_back(history_sample_at(21, Status::warning));
  EXPECT_EQ(gap_limit(samples), hours(2));
  // Now is long after the last sample: it too counts for 2 hours at most.
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(40));
  EXPECT_EQ(s.time_in_status.at(Status::healthy), hours(4) + hours(2));
  EXPECT_EQ(s.time_in_status.at(Status::warning), hours(1) + hours(2));
}

TEST(HistorySummarize, GapLimitWithFewSamplesIsAnHour) {
  EXPECT_EQ(gap_limit({}), hours(1));
  EXPECT_EQ(gap_limit({history_sample_at(0)}), hours(1));
  EXPECT_EQ(gap_limit({history_sample_at(0), history_sample_at(0)}), seconds(1));
}

TEST(HistorySummarize, TransitionsInOrderWithTheirTimes) {
  std::vector<Sample> samples = {history_sample_at(0), history_sample_at(1, Status::warning),
                                 history_sample_at(2, Status::critical),
                                 history_sample_at(3, Status::critical), history_sample_at(4)};
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(5));
  ASSERT_EQ(s.transitions.size(), 3U);
  EXPECT_EQ(s.transitions[0].time, kHistoryStart + hours(1));
  EXPECT_EQ(s.transitions[0].from, Status::healthy);
  EXPECT_EQ(s.transitions[0].to, Status::warning);
  EXPECT_EQ(s.transitions[1].to, Status::critical);
  EXPECT_EQ(s.transitions[2].from, Status::critical);
  EXPECT_EQ(s.transitions[2].to, Status::healthy);
  EXPECT_EQ(s.time_in_status.at(Status::critical), hours(2));
}

TEST(HistorySummarize, AvailabilityCountsOnlyValidAsUsable) {
  std::vector<Sample> samples;
  const KeyState states[] = {
      KeyState::valid,       KeyState::valid,   KeyState::rate_limited, KeyState::quota_exhausted,
      KeyState::unknown,     KeyState::invalid, KeyState::valid,        KeyState::missing,
      KeyState::unsupported, KeyState::valid};
  for (int i = 0; i < 10; ++i) samples.push_back(history_sample_at(i, Status::healthy, states[i]));
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(10));
  ASSERT_EQ(s.providers.size(), 1U);
  const ProviderSummary& p = s.providers[0];
  EXPECT_EQ(p.id, "openai");
  EXPECT_EQ(p.checks, 8);  // missing and unsupported asked nothing of the provider
  EXPECT_EQ(p.usable_checks, 4);
  EXPECT_DOUBLE_EQ(p.availability, 0.5);
  EXPECT_EQ(p.time_in_state.at(KeyState::valid), hours(4));
  EXPECT_EQ(p.time_in_state.at(KeyState::missing), hours(1));
  ASSERT_TRUE(p.last_change.has_value());
  EXPECT_EQ(p.last_change->time, kHistoryStart + hours(9));
  EXPECT_EQ(p.last_change->from, KeyState::unsupported);
  EXPECT_EQ(p.last_change->to, KeyState::valid);
}

TEST(HistorySummarize, LatencyPercentilesAreNearestRank) {
  std::vector<Sample> samples;
  for (int i = 1; i <= 20; ++i)
    samples.push_back(history_sample_at(i, Status::healthy, KeyState::valid, i * 10));
  samples.push_back(history_sample_at(21, Status::healthy, KeyState::unknown, std::nullopt));
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(22));
  ASSERT_TRUE(s.providers[0].latency.has_value());
  EXPECT_EQ(s.providers[0].latency->p50_ms, 100);  // 10th of 20
  EXPECT_EQ(s.providers[0].latency->p95_ms, 190);  // 19th of 20
  EXPECT_EQ(s.providers[0].latency->max_ms, 200);
  EXPECT_EQ(s.providers[0].latency->measured, 20);
  EXPECT_EQ(s.providers[0].last_change->to, KeyState::unknown);
}

TEST(HistorySummarize, NoLatencyNoStatsAndNoChangeWithoutOne) {
  const HistorySummary s =
      summarize({history_sample_at(0, Status::healthy, KeyState::valid, std::nullopt)},
                kHistoryStart, kHistoryStart + hours(1));
  EXPECT_FALSE(s.providers[0].latency.has_value());
  EXPECT_FALSE(s.providers[0].last_change.has_value());
}

TEST(HistorySummarize, ProvidersInTheNewestReportsOrderThenOlderOnes) {
  Sample old = history_sample_at(0);
  old.keys.push_back({"retired", "Retired AI", KeyState::valid, std::nullopt});
  Sample newer = history_sample_at(1);
  newer.keys.insert(newer.keys.begin(), {"anthropic", "Anthropic (Claude)", KeyState::invalid, 5});
  newer.keys[1].provider = "OpenAI renamed";
  const HistorySummary s = summarize({old, newer}, kHistoryStart, kHistoryStart + hours(2));
  ASSERT_EQ(s.providers.size(), 3U);
  EXPECT_EQ(s.providers[0].id, "anthropic");
  EXPECT_EQ(s.providers[1].id, "openai");
  EXPECT_EQ(s.providers[1].provider, "OpenAI renamed");
  EXPECT_EQ(s.providers[2].id, "retired");
  EXPECT_EQ(s.providers[1].checks, 2);
}

TEST(HistorySummarize, SamplesOutsideTheRangeAreLeftOut) {
  std::vector<Sample> samples = {history_sample_at(-5, Status::critical), history_sample_at(0),
                                 history_sample_at(1), history_sample_at(50, Status::critical)};
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(2));
  EXPECT_EQ(s.reports, 2);
  EXPECT_EQ(s.time_in_status.count(Status::critical), 0U);
}

TEST(HistorySummarize, ResourcesMinAvgMaxAndTimeAboveThresholds) {
  std::vector<Sample> samples;
  const double cpu[] = {10, 80, 85, 90, 95, 20};
  for (int i = 0; i < 6; ++i) {
    Sample s = history_sample_at(i);
    s.cpu_percent = cpu[i];
    if (i == 4) s.thresholds.cpu = {.warning = 96, .critical = 99};  // that report's own
    samples.push_back(s);
  }
  const HistorySummary s = summarize(samples, kHistoryStart, kHistoryStart + hours(6));
  ASSERT_GE(s.resources.size(), 3U);
  const ResourceSummary& r = s.resources[0];
  EXPECT_EQ(r.name, "cpu");
  EXPECT_DOUBLE_EQ(r.min, 10);
  EXPECT_DOUBLE_EQ(r.max, 95);
  EXPECT_DOUBLE_EQ(r.avg, 380.0 / 6);
  EXPECT_EQ(r.above_warning, hours(3));   // 80, 85 and 90 (warning from 80 on); 95 is under 96
  EXPECT_EQ(r.above_critical, hours(0));  // 90 is not above 90
  EXPECT_EQ(s.resources[1].name, "memory");
  EXPECT_EQ(s.resources[2].name, "disk /");
  EXPECT_FALSE(r.full_at.has_value());
  EXPECT_FALSE(r.percent_per_day.has_value());  // no forecast for cpu
}

/// Disk "/" at `percent(i)` for history_hourly samples 0..count-1.
template <class F>
std::vector<Sample> history_disk_series(int count, F percent) {
  std::vector<Sample> samples;
  for (int i = 0; i < count; ++i) {
    Sample s = history_sample_at(i);
    s.disks = {{"/", percent(i), 0, 0}, {"/home", 30.0, 0, 0}};
    samples.push_back(s);
  }
  return samples;
}

const ResourceSummary& history_disk_named(const HistorySummary& s, const std::string& name) {
  for (const ResourceSummary& r : s.resources) {
    if (r.name == name) return r;
  }
  throw std::runtime_error("no resource " + name);
}

TEST(HistorySummarize, RisingDiskGetsAFillForecast) {
  // 1 point an hour from 40% at hour 0: hour 23 is 63%, 100% at hour 60.
  const auto samples = history_disk_series(24, [](int i) { return 40.0 + i; });
  const SystemTime now = kHistoryStart + hours(24);
  const HistorySummary s = summarize(samples, kHistoryStart, now);
  const ResourceSummary& root = history_disk_named(s, "disk /");
  ASSERT_TRUE(root.full_at.has_value());
  EXPECT_NEAR(std::chrono::duration<double>(*root.full_at - kHistoryStart).count(), 60.0 * 3600,
              1.0);
  ASSERT_TRUE(root.percent_per_day.has_value());
  EXPECT_NEAR(*root.percent_per_day, 24.0, 1e-6);
  const ResourceSummary& home = history_disk_named(s, "disk /home");
  EXPECT_FALSE(home.full_at.has_value());
  EXPECT_NEAR(home.percent_per_day.value_or(-1), 0.0, 1e-9);
}

TEST(HistorySummarize, FlatOrFallingDiskHasNoForecast) {
  const auto falling = history_disk_series(24, [](int i) { return 80.0 - i; });
  const HistorySummary s = summarize(falling, kHistoryStart, kHistoryStart + hours(24));
  EXPECT_FALSE(history_disk_named(s, "disk /").full_at.has_value());
  EXPECT_LT(history_disk_named(s, "disk /").percent_per_day.value_or(0), 0);
}

TEST(HistorySummarize, TooFewPointsOrTooShortASpanHasNoForecast) {
  const auto five = history_disk_series(5, [](int i) { return 40.0 + 10 * i; });
  EXPECT_FALSE(
      history_disk_named(summarize(five, kHistoryStart, kHistoryStart + hours(5)), "disk /")
          .percent_per_day.has_value());
  // Many points, but within 5 hours.
  std::vector<Sample> dense;
  for (int i = 0; i < 30; ++i) {
    Sample s = history_sample_at(i / 6.0);
    s.disks = {{"/", 40.0 + i, 0, 0}};
    dense.push_back(s);
  }
  EXPECT_FALSE(
      history_disk_named(summarize(dense, kHistoryStart, kHistoryStart + hours(6)), "disk /")
          .full_at.has_value());
}

TEST(HistorySummarize, ASlowTrendBeyondAYearIsNoForecast) {
  const auto slow = history_disk_series(24, [](int i) { return 40.0 + 0.001 * i; });
  const HistorySummary s = summarize(slow, kHistoryStart, kHistoryStart + hours(24));
  EXPECT_FALSE(history_disk_named(s, "disk /").full_at.has_value());
  EXPECT_GT(history_disk_named(s, "disk /").percent_per_day.value_or(0), 0);
}

TEST(HistorySummarize, ADiskAlreadyPastFullByTrendIsFullNow) {
  const auto steep = history_disk_series(24, [](int i) { return 60.0 + 5 * i; });
  const SystemTime now = kHistoryStart + hours(24);
  EXPECT_EQ(history_disk_named(summarize(steep, kHistoryStart, now), "disk /").full_at, now);
}

TEST(HistorySummarize, AbsurdPercentagesMakeNoForecast) {
  // Found by fuzz/history_fuzz.cpp: a report may claim anything.
  const auto absurd = history_disk_series(24, [](int i) { return i % 2 ? 1e308 : -1e308; });
  const HistorySummary s = summarize(absurd, kHistoryStart, kHistoryStart + hours(24));
  EXPECT_FALSE(history_disk_named(s, "disk /").full_at.has_value());
  EXPECT_FALSE(history_disk_named(s, "disk /").percent_per_day.has_value());
  const std::string human = render_history_human(s, absurd, {.sparklines = true, .range = "1d"});
  EXPECT_NE(human.find("disk /"), std::string::npos);
}

TEST(HistoryRange, TheOneDurationGrammarWithinItsBounds) {
  const auto range = [](const char* text) {
    return parse_duration_between(text, kMinHistoryRange, kMaxHistoryRange);
  };
  EXPECT_EQ(range("7d").value(), hours(24 * 7));
  EXPECT_EQ(range("90d").value(), hours(24 * 90));
  EXPECT_EQ(range("1d12h").value(), hours(36));
  EXPECT_EQ(range("36h").value(), hours(36));
  EXPECT_EQ(range("30m").value(), minutes(30));
  EXPECT_EQ(range("3650d").value(), hours(24 * 3650));
  for (const char* bad : {"", "0d", "d", "7", "7x", "-1d", "3651d", "99999999d", "1d-2h", "0s"}) {
    EXPECT_FALSE(range(bad).ok()) << bad;
  }
  EXPECT_EQ(range("10").error().detail,
            "\"10\" has no unit; write a number and a unit (ms, s, m, h, d), like \"10s\" or "
            "\"1h30m\"");
}

TEST(HistoryKeyStates, UsableAndChecks) {
  EXPECT_TRUE(usable(KeyState::valid));
  for (KeyState s : {KeyState::rate_limited, KeyState::quota_exhausted, KeyState::unknown,
                     KeyState::invalid, KeyState::missing, KeyState::unsupported}) {
    EXPECT_FALSE(usable(s)) << to_string(s);
  }
  EXPECT_FALSE(counts_as_check(KeyState::missing));
  EXPECT_FALSE(counts_as_check(KeyState::unsupported));
  EXPECT_TRUE(counts_as_check(KeyState::unknown));
}

}  // namespace
}  // namespace devops_monitor::history
