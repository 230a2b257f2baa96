// serve's system sampler over a procfs tree of files the test writes: the first reading is
// CPU since boot, a tick measures CPU between readings, and a reading that fails keeps the
// previous values and is reported once, not on every tick.
#include <gtest/gtest.h>

#include <filesystem>

#include "exporter/system_sampler.hpp"
#include "support/fake_procfs.hpp"
#include "support/process.hpp"

namespace devops_monitor::exporter {
namespace {

using testing::TempDir;
using testing::write_text;

struct SamplerTree {
  TempDir dir;
  Settings settings;
  SamplerTree() {
    std::filesystem::create_directories(dir / "proc");
    settings.procfs = dir / "proc";
    settings.disks = {dir.path()};
    write_text(dir / "proc" / "meminfo", testing::meminfo_text(25.0));
    write_text(dir / "proc" / "loadavg", "1.00 0.50 0.25 1/100 4242\n");
    write_text(dir / "proc" / "stat", testing::stat_text(100, 300, 4));
  }
};

TEST(ExporterSampler, FirstReadingIsCpuSinceBootThenEachTickMeasuresTheTimeBetween) {
  SamplerTree tree;
  Result<SystemSampler> sampler = SystemSampler::start(tree.settings);
  ASSERT_TRUE(sampler) << sampler.error().message();
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 25.0);
  EXPECT_EQ(sampler->latest().sample.cpu_count, 4);
  EXPECT_DOUBLE_EQ(sampler->latest().sample.load.one, 1.0);
  ASSERT_EQ(sampler->latest().sample.disks.size(), 1u);
  EXPECT_GT(sampler->latest().sample.disks[0].total_bytes, 0u);

  // 90 busy of 100 ticks since the first reading.
  write_text(tree.dir / "proc" / "stat", testing::stat_text(190, 310, 4));
  write_text(tree.dir / "proc" / "meminfo", testing::meminfo_text(50.0));
  EXPECT_TRUE(sampler->tick(tree.settings).empty());
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 90.0);
  EXPECT_NEAR(sampler->latest().sample.memory.available_bytes * 2.0,
              static_cast<double>(sampler->latest().sample.memory.total_bytes), 4096.0);
}

TEST(ExporterSampler, AFailedReadingKeepsThePreviousValuesAndIsReportedOnce) {
  SamplerTree tree;
  Result<SystemSampler> sampler = SystemSampler::start(tree.settings);
  ASSERT_TRUE(sampler) << sampler.error().message();
  // Counters that did not move: the file is not live (the same rule as a check).
  const std::vector<std::string> first = sampler->tick(tree.settings);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_NE(first[0].find("stat"), std::string::npos) << first[0];
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 25.0) << "the previous value is kept";
  EXPECT_TRUE(sampler->tick(tree.settings).empty()) << "a lasting problem is logged once";

  std::filesystem::remove(tree.dir / "proc" / "loadavg");
  const std::vector<std::string> load = sampler->tick(tree.settings);
  ASSERT_EQ(load.size(), 1u);
  EXPECT_NE(load[0].find("loadavg"), std::string::npos) << load[0];
  EXPECT_DOUBLE_EQ(sampler->latest().sample.load.one, 1.0);
}

TEST(ExporterSampler, StartFailsWhereACheckWould) {
  SamplerTree tree;
  tree.settings.disks = {tree.dir / "no-such-dir"};
  Result<SystemSampler> missing_disk = SystemSampler::start(tree.settings);
  ASSERT_FALSE(missing_disk);
  EXPECT_NE(missing_disk.error().message().find("no-such-dir"), std::string::npos);
  tree.settings.disks = {tree.dir.path()};
  tree.settings.procfs = tree.dir / "nothing";
  EXPECT_FALSE(SystemSampler::start(tree.settings));
}

}  // namespace
}  // namespace devops_monitor::exporter
