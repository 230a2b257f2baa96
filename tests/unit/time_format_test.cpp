#include "util/time_format.hpp"

#include <gtest/gtest.h>

namespace devops_monitor {
namespace {

const SystemTime kInstant = SystemTime(std::chrono::milliseconds(1795542543125LL));

TEST(TimeFormat, Rfc3339InUtcEndsWithZ) {
  EXPECT_EQ(format_rfc3339_utc(kInstant), "2026-11-24T17:49:03.125Z");
}

TEST(TimeFormat, Rfc3339WithOffsetAndMilliseconds) {
  EXPECT_EQ(format_rfc3339(kInstant, std::chrono::seconds(0)), "2026-11-24T17:49:03.125+00:00");
  EXPECT_EQ(format_rfc3339(kInstant, std::chrono::hours(1)), "2026-11-24T18:49:03.125+01:00");
  EXPECT_EQ(format_rfc3339(kInstant, -std::chrono::minutes(330)), "2026-11-24T12:19:03.125-05:30");
}

TEST(TimeFormat, FileStampIsUtc) {
  EXPECT_EQ(utc_file_stamp(kInstant), "20261124_174903");
}

}  // namespace
}  // namespace devops_monitor
