// round_to_tenth: psutil rounds every percentage with Python's round(x, 1).
#include "system/system_sample.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace devops_monitor {
namespace {

TEST(SystemRounding, RoundsToOneDecimal) {
  EXPECT_EQ(round_to_tenth(12.34), 12.3);
  EXPECT_EQ(round_to_tenth(12.36), 12.4);
  EXPECT_EQ(round_to_tenth(0.0), 0.0);
  EXPECT_EQ(round_to_tenth(100.0), 100.0);
  EXPECT_EQ(round_to_tenth(99.96), 100.0);
}

// Expected values are what Python 3.11 prints for round(x, 1).
TEST(SystemRounding, FollowsTheExactBinaryValueLikePython) {
  EXPECT_EQ(round_to_tenth(0.15), 0.1);    // 0.1499999999999999944...; std::round(1.5) says 0.2
  EXPECT_EQ(round_to_tenth(0.35), 0.3);    // 0.3499999999999999778...
  EXPECT_EQ(round_to_tenth(0.45), 0.5);    // 0.4500000000000000111...
  EXPECT_EQ(round_to_tenth(63.75), 63.8);  // exact tie, 8 is even
}

TEST(SystemRounding, BreaksExactTiesToEvenLikePython) {
  EXPECT_EQ(round_to_tenth(0.25), 0.2);
  EXPECT_EQ(round_to_tenth(0.75), 0.8);
  EXPECT_EQ(round_to_tenth(12.25), 12.2);
  EXPECT_EQ(round_to_tenth(45.25), 45.2);
}

TEST(SystemRounding, KeepsNonFiniteValuesAndTheSignOfZero) {
  EXPECT_TRUE(std::isnan(round_to_tenth(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(round_to_tenth(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::signbit(round_to_tenth(-0.04)));  // Python: round(-0.04, 1) == -0.0
  EXPECT_EQ(round_to_tenth(1e300), 1e300);
}

}  // namespace
}  // namespace devops_monitor
