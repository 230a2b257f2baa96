#include "devops_monitor/status.hpp"

#include <gtest/gtest.h>

namespace devops_monitor {
namespace {

TEST(Status, WorseTakesTheMoreSevereLevel) {
  EXPECT_EQ(worse(Status::healthy, Status::warning), Status::warning);
  EXPECT_EQ(worse(Status::critical, Status::warning), Status::critical);
  EXPECT_EQ(worse(Status::healthy, Status::healthy), Status::healthy);
  EXPECT_EQ(worse(Status::unknown, Status::critical), Status::unknown);
}

TEST(Status, ExitCodesFollowNagiosPlugins) {
  EXPECT_EQ(exit_code(Status::healthy), 0);
  EXPECT_EQ(exit_code(Status::warning), 1);
  EXPECT_EQ(exit_code(Status::critical), 2);
  EXPECT_EQ(exit_code(Status::unknown), 3);
}

TEST(Status, NamesRoundTrip) {
  for (Status s : {Status::healthy, Status::warning, Status::critical, Status::unknown}) {
    EXPECT_EQ(parse_status(to_string(s)), s);
  }
  EXPECT_FALSE(parse_status("ok").has_value());
}

}  // namespace
}  // namespace devops_monitor
