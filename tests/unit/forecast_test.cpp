// The forecasts over plain values: a steady decline, a top-up mid-way, flat, too little
// history, rising disk use and freed disk space; and the series serve exports.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "history/forecast.hpp"
#include "serve/exporter_answers.hpp"

namespace devops_monitor::history {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const SystemTime kNow = SystemTime{} + hours(24 * 365 * 56);

/// Points every `step` up to now, oldest first: value(i) for i = 0 .. n-1.
template <class Value>
std::vector<TrendPoint> series(int n, SystemTime::duration step, Value value) {
  std::vector<TrendPoint> points;
  for (int i = 0; i < n; ++i) points.push_back({kNow - (n - 1 - i) * step, value(i)});
  return points;
}

TEST(Forecast, ASteadyDeclineRunsOutWhereItsLineReachesZero) {
  // 100 credit spent at 1 an hour: 10 left now, so 10 hours to go.
  const auto points = series(91, hours(1), [](int i) { return 100.0 - i; });
  const auto eta = seconds_until_zero(points, 0.0, kNow);
  ASSERT_TRUE(eta);
  EXPECT_NEAR(*eta, 10 * 3600.0, 1.0);
}

TEST(Forecast, ATopUpStartsANewSegmentAndNeverMakesANegativeBurn) {
  // 50 -> 20 over 30 hours, a top-up to 200, then 200 -> 190 over 10 hours: 1 an hour, so
  // 190 hours; the fall before the top-up is left out, and the jump is no "negative burn".
  auto points = series(31, hours(1), [](int i) { return 50.0 - i; });
  for (TrendPoint& p : points) p.time -= hours(11);
  const auto after = series(11, hours(1), [](int i) { return 200.0 - i; });
  points.insert(points.end(), after.begin(), after.end());
  const auto eta = seconds_until_zero(points, 0.0, kNow);
  ASSERT_TRUE(eta);
  EXPECT_NEAR(*eta, 190 * 3600.0, 1.0);

  // Just after a top-up there is too little of the new segment: no forecast at all.
  auto fresh = series(30, hours(1), [](int i) { return 50.0 - i; });
  fresh.push_back({kNow + minutes(1), 500.0});
  EXPECT_FALSE(seconds_until_zero(fresh, 0.0, kNow + minutes(1)));
}

TEST(Forecast, FlatOrRisingHasNoForecast) {
  EXPECT_FALSE(seconds_until_zero(series(20, hours(1), [](int) { return 42.0; }), 0.0, kNow));
  // Rising within the tolerance (noise) is no decline either.
  EXPECT_FALSE(
      seconds_until_zero(series(20, hours(1), [](int i) { return 40.0 + 0.1 * i; }), 1.0, kNow));
}

TEST(Forecast, TooFewPointsOrTooShortASpanHasNoForecast) {
  const auto falling = [](int i) { return 100.0 - 10.0 * i; };
  EXPECT_FALSE(seconds_until_zero(series(2, hours(1), falling), 0.0, kNow));
  EXPECT_FALSE(seconds_until_zero(series(5, minutes(10), falling), 0.0, kNow));  // 40 minutes
  EXPECT_TRUE(seconds_until_zero(series(3, minutes(30), falling), 0.0, kNow));   // 1 hour
  // Points older than the window do not count: three points, but two are 8 days old.
  auto old = series(3, hours(1), falling);
  old[0].time -= hours(24 * 8);
  old[1].time -= hours(24 * 8);
  EXPECT_FALSE(seconds_until_zero(old, 0.0, kNow));
}

TEST(Forecast, ASlowDeclineIsAnsweredWhateverItsSizeAndAPastZeroIsZero) {
  // 0.01 a day from 2 left: 200 days.
  const auto slow = series(8, hours(24), [](int i) { return 2.07 - 0.01 * i; });
  const auto eta = seconds_until_zero(slow, 0.0, kNow);
  ASSERT_TRUE(eta);
  EXPECT_NEAR(*eta / 86400.0, 200.0, 0.01);
  // The line crossed zero before now (the last reports were still slightly above): 0.
  const auto crossed = series(5, hours(1), [](int i) { return 4.0 - 1.0 * i; });
  EXPECT_EQ(seconds_until_zero(crossed, 0.0, kNow + hours(3)), 0.0);
}

Sample disk_sample(SystemTime time, double percent) {
  Sample s;
  s.time = time;
  s.disks.push_back({"/", percent, 0, 0});
  return s;
}

TEST(Forecast, RisingDiskUseGivesWhenItIsFullAndFreedSpaceStartsAgain) {
  // 50% -> 80% over 30 hours (1 point an hour): full in 20 hours.
  std::vector<Sample> samples;
  for (int i = 0; i <= 30; ++i) samples.push_back(disk_sample(kNow - hours(30 - i), 50.0 + i));
  Forecasts f = forecast(samples, kNow);
  ASSERT_EQ(f.disk_full_in_seconds.count("/"), 1u);
  EXPECT_NEAR(f.disk_full_in_seconds.at("/"), 20 * 3600.0, 1.0);

  // Space freed (80% -> 40%) an hour later: the trend starts again there, and two points
  // are too little to say anything.
  samples.push_back(disk_sample(kNow + hours(1), 40.0));
  samples.push_back(disk_sample(kNow + hours(2), 41.0));
  f = forecast(samples, kNow + hours(2));
  EXPECT_EQ(f.disk_full_in_seconds.count("/"), 0u);
  // Then it fills at 1 point an hour from 40%: 57 hours from 43%; the steeper past is not used.
  samples.push_back(disk_sample(kNow + hours(3), 42.0));
  samples.push_back(disk_sample(kNow + hours(4), 43.0));
  f = forecast(samples, kNow + hours(4));
  ASSERT_EQ(f.disk_full_in_seconds.count("/"), 1u);
  EXPECT_NEAR(f.disk_full_in_seconds.at("/"), 57 * 3600.0, 1.0);
}

TEST(Forecast, CreditFromReportedFiguresOnlyAndCountedDownBetweenRounds) {
  std::vector<Sample> samples;
  for (int i = 0; i < 6; ++i) {
    Sample s;
    s.time = kNow - hours(5 - i);
    KeySample spending;
    spending.id = "openrouter";
    spending.credit_remaining = 10.0 - i;
    KeySample silent;
    silent.id = "openai";  // reports no credit: no forecast
    s.keys = {spending, silent};
    samples.push_back(s);
  }
  const Forecasts f = forecast(samples, kNow);
  ASSERT_EQ(f.credit_exhausted_in_seconds.size(), 1u);
  EXPECT_NEAR(f.credit_exhausted_in_seconds.at("openrouter"), 5 * 3600.0, 1.0);
  const Forecasts later = seen_at(f, kNow + hours(1));
  EXPECT_NEAR(later.credit_exhausted_in_seconds.at("openrouter"), 4 * 3600.0, 1.0);
  EXPECT_EQ(seen_at(f, kNow + hours(9)).credit_exhausted_in_seconds.at("openrouter"), 0.0);
}

TEST(Forecast, ServeExportsTheForecastsAsSeenAtItsLatestReading) {
  engine::EngineState state;
  state.system = engine::SystemReading{};
  state.system->taken_at = kNow + hours(1);
  state.probe_requests_total = {{"openai", 3}};
  Forecasts f;
  f.as_of = kNow;
  f.disk_full_in_seconds["/"] = 7200;
  f.credit_exhausted_in_seconds["openrouter"] = 3 * 86400;
  const std::string text = serve::render_metrics(state, ThresholdSet{}, "host", f);
  for (const char* line : {"devops_monitor_disk_full_eta_seconds{path=\"/\"} 3600\n",
                           "devops_monitor_credit_exhausted_eta_seconds{provider=\"openrouter\"} "
                           "255600\n",
                           "devops_monitor_probe_requests_total{provider=\"openai\"} 3\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
}

}  // namespace
}  // namespace devops_monitor::history
