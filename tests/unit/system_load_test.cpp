// parse_loadavg and read_loadavg.
#include "system/load.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

std::string loadavg_path(const std::string& scenario) {
  return (testing::kProcfsFixtures / scenario / "loadavg").string();
}

TEST(LoadParse, ReadsTheThreeAverages) {
  Result<LoadAverage> load = parse_loadavg("0.52 0.40 0.33 1/123 4567\n", "/proc/loadavg");
  ASSERT_TRUE(load.ok()) << load.error().message();
  EXPECT_EQ(load->one, 0.52);
  EXPECT_EQ(load->five, 0.40);
  EXPECT_EQ(load->fifteen, 0.33);
}

TEST(LoadParse, ReadsFixtures) {
  Result<LoadAverage> busy = read_loadavg(testing::kProcfsFixtures / "busy");
  ASSERT_TRUE(busy.ok()) << busy.error().message();
  EXPECT_EQ(busy->one, 3.12);
  EXPECT_EQ(busy->fifteen, 2.55);
  Result<LoadAverage> old = read_loadavg(testing::kProcfsFixtures / "old-kernel");
  ASSERT_TRUE(old.ok()) << old.error().message();
  EXPECT_EQ(old->five, 0.78);
}

TEST(LoadParse, ReadsTheLiveLoadavg) {
  Result<LoadAverage> load = read_loadavg("/proc");
  ASSERT_TRUE(load.ok()) << load.error().message();
  EXPECT_GE(load->one, 0.0);
}

TEST(LoadParse, TruncatedFixtureIsAnErrorNamingTheFile) {
  Result<LoadAverage> load = read_loadavg(testing::kProcfsFixtures / "truncated");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error().what, "procfs file is truncated");
  EXPECT_EQ(load.error().where, loadavg_path("truncated"));
}

TEST(LoadParse, MalformedFixtureIsAnErrorNamingTheFile) {
  Result<LoadAverage> load = read_loadavg(testing::kProcfsFixtures / "malformed");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error().what, "invalid loadavg");
  EXPECT_EQ(load.error().detail, "'zero' is not a load average");
  EXPECT_EQ(load.error().where, loadavg_path("malformed"));
}

TEST(LoadParse, MissingFileIsAReadError) {
  Result<LoadAverage> load = read_loadavg(testing::kProcfsFixtures / "no-such-scenario");
  ASSERT_FALSE(load.ok());
  EXPECT_EQ(load.error().what, "cannot read procfs file");
  EXPECT_EQ(load.error().where, loadavg_path("no-such-scenario"));
}

TEST(LoadParse, RefusesMalformedText) {
  const char* bad[] = {
      "",                                   // empty
      "0.52 0.40 0.33 1/123\n",             // too few fields
      "0.52 0.40 0.33 1/123 4567 9\n",      // too many
      "-0.5 0.40 0.33 1/123 4567\n",        // negative average
      "0.52 0.40 nan 1/123 4567\n",         // not a number
      "0.52 0.40 0.33 1-123 4567\n",        // no task counts
      "0.52 0.40 0.33 1/x 4567\n",          // bad total
      "0.52 0.40 0.33 1/123 pid\n",         // bad pid
      "0.52 0.40 0.33 1/123 4567\nmore\n",  // a second line
  };
  for (const char* text : bad) {
    Result<LoadAverage> load = parse_loadavg(text, "/proc/loadavg");
    ASSERT_FALSE(load.ok()) << "accepted: " << text;
    EXPECT_EQ(load.error().where, "/proc/loadavg");
  }
}

}  // namespace
}  // namespace devops_monitor
