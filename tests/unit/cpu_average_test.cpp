// The daemons' rolling CPU average over plain values: weighted by each reading's window, old
// readings leave once the newer ones cover the span, and the ring never grows.
#include "engine/cpu_average.hpp"

#include <gtest/gtest.h>

namespace devops_monitor::engine {
namespace {

constexpr Milliseconds kSecond{1000};

TEST(CpuAverage, IsZeroWithoutReadingsAndTheReadingItselfWithOne) {
  CpuAverage average(Milliseconds(60000), kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 0.0);
  EXPECT_EQ(average.covered(), Milliseconds(0));
  average.add(42.0, Milliseconds(100));
  EXPECT_DOUBLE_EQ(average.percent(), 42.0);
  EXPECT_EQ(average.covered(), Milliseconds(100));
}

TEST(CpuAverage, OneBusySecondInAMinuteIsNotAState) {
  CpuAverage average(Milliseconds(60000), kSecond);
  for (int i = 0; i < 59; ++i) average.add(10.0, kSecond);
  average.add(100.0, kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 11.5);  // (59 * 10 + 100) / 60
  EXPECT_EQ(average.covered(), Milliseconds(60000));
}

TEST(CpuAverage, ReadingsAreWeightedByTheirWindow) {
  CpuAverage average(Milliseconds(60000), kSecond);
  average.add(100.0, Milliseconds(100));  // the sampler's short first reading
  average.add(0.0, Milliseconds(900));
  EXPECT_DOUBLE_EQ(average.percent(), 10.0);
  EXPECT_EQ(average.covered(), Milliseconds(1000));
}

TEST(CpuAverage, OldReadingsLeaveOnceTheSpanIsCovered) {
  CpuAverage average(Milliseconds(5000), kSecond);
  for (int i = 0; i < 5; ++i) average.add(90.0, kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 90.0);
  for (int i = 0; i < 5; ++i) average.add(20.0, kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 20.0) << "the busy minute has left the window";
  EXPECT_EQ(average.covered(), Milliseconds(5000));
  average.add(50.0, kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 26.0);  // (4 * 20 + 50) / 5
}

TEST(CpuAverage, AnHourOfTicksKeepsTheRingAtItsSize) {
  CpuAverage average(Milliseconds(60000), kSecond);
  // Readings shorter than a tick (a slow first one, then fast ones) fill the ring: the oldest
  // then goes, and the average covers a little less than the span rather than growing.
  for (int i = 0; i < 3600; ++i) average.add(i % 2 == 0 ? 0.0 : 100.0, Milliseconds(500));
  EXPECT_NEAR(average.percent(), 50.0, 1.0);
  EXPECT_LE(average.covered(), Milliseconds(61000));
  EXPECT_GE(average.covered(), Milliseconds(30000));
}

TEST(CpuAverage, ANewSpanKeepsTheNewestReadings) {
  CpuAverage average(Milliseconds(10000), kSecond);
  for (int i = 0; i < 8; ++i) average.add(80.0, kSecond);
  for (int i = 0; i < 2; ++i) average.add(30.0, kSecond);
  average.set_span(Milliseconds(2000));
  EXPECT_DOUBLE_EQ(average.percent(), 30.0);
  EXPECT_EQ(average.covered(), Milliseconds(2000));
  average.set_span(Milliseconds(60000));
  average.add(90.0, kSecond);
  EXPECT_DOUBLE_EQ(average.percent(), 50.0);  // (30 + 30 + 90) / 3
}

}  // namespace
}  // namespace devops_monitor::engine
