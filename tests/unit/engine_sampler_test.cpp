// serve's system sampler over procfs trees: the first reading is CPU over a short window, a
// tick measures CPU between readings, and a reading that fails keeps the previous values and
// is reported once, not on every tick.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "engine/system_sampler.hpp"
#include "support/fake_procfs.hpp"
#include "support/process.hpp"

namespace devops_monitor::engine {
namespace {

using testing::TempDir;
using testing::write_text;

/// A live fake procfs (CPU at 30%, memory at 25%), and a static tree beside it whose CPU
/// counters never move.
struct SamplerTree {
  testing::FakeProcfs live{{.cpu_percent = 30,
                            .memory_percent = 25,
                            .cpu_count = 4,
                            .loadavg = "1.00 0.50 0.25 1/100 4242\n"}};
  TempDir dir;
  Settings settings;
  SamplerTree() {
    settings.procfs = live.root();
    settings.disks = {dir.path()};
    std::filesystem::create_directories(dir / "proc");
    write_text(dir / "proc" / "meminfo", testing::meminfo_text(50.0));
    write_text(dir / "proc" / "loadavg", "2.00 1.00 0.50 1/100 4242\n");
    write_text(dir / "proc" / "stat", testing::stat_text(100, 300, 4));
  }
};

TEST(EngineSampler, FirstReadingIsAShortWindowThenEachTickMeasuresTheTimeBetween) {
  SamplerTree tree;
  const auto before = std::chrono::steady_clock::now();
  Result<SystemSampler> sampler = SystemSampler::start(tree.settings);
  ASSERT_TRUE(sampler) << sampler.error().message();
  EXPECT_GE(std::chrono::steady_clock::now() - before, kMinCpuWindow);
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 30.0);
  EXPECT_EQ(sampler->latest().sample.cpu_count, 4);
  EXPECT_DOUBLE_EQ(sampler->latest().sample.load.one, 1.0);
  ASSERT_EQ(sampler->latest().sample.disks.size(), 1u);
  EXPECT_GT(sampler->latest().sample.disks[0].total_bytes, 0u);

  // The fake advances its counters after each read, on its own thread: give it a moment, as
  // the real tick (1 s) does.
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  const std::vector<std::string> problems = sampler->tick(tree.settings);
  EXPECT_TRUE(problems.empty()) << problems.front();
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 30.0);
  EXPECT_NEAR(static_cast<double>(sampler->latest().sample.memory.available_bytes) / 0.75,
              static_cast<double>(sampler->latest().sample.memory.total_bytes), 4096.0);
}

TEST(EngineSampler, AFailedReadingKeepsThePreviousValuesAndIsReportedOnce) {
  SamplerTree tree;
  Result<SystemSampler> sampler = SystemSampler::start(tree.settings);
  ASSERT_TRUE(sampler) << sampler.error().message();
  // Counters below the last reading (a procfs that is not live): the same rule as a check.
  Settings stale = tree.settings;
  stale.procfs = tree.dir / "proc";
  const std::vector<std::string> first = sampler->tick(stale);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_NE(first[0].find("stat"), std::string::npos) << first[0];
  EXPECT_DOUBLE_EQ(sampler->latest().sample.cpu_percent, 30.0) << "the previous value is kept";
  EXPECT_DOUBLE_EQ(sampler->latest().sample.load.one, 2.0) << "what could be read is new";
  EXPECT_TRUE(sampler->tick(stale).empty()) << "a lasting problem is logged once";

  std::filesystem::remove(stale.procfs / "loadavg");
  const std::vector<std::string> load = sampler->tick(stale);
  ASSERT_EQ(load.size(), 1u);
  EXPECT_NE(load[0].find("loadavg"), std::string::npos) << load[0];
  EXPECT_DOUBLE_EQ(sampler->latest().sample.load.one, 2.0);
}

TEST(EngineSampler, StartFailsWhereACheckWould) {
  SamplerTree tree;
  tree.settings.disks = {tree.dir / "no-such-dir"};
  Result<SystemSampler> missing_disk = SystemSampler::start(tree.settings);
  ASSERT_FALSE(missing_disk);
  EXPECT_NE(missing_disk.error().message().find("no-such-dir"), std::string::npos);
  tree.settings.disks = {tree.dir.path()};
  tree.settings.procfs = tree.dir / "nothing";
  EXPECT_FALSE(SystemSampler::start(tree.settings));
  tree.settings.procfs = tree.dir / "proc";  // counters that never move
  EXPECT_FALSE(SystemSampler::start(tree.settings));
}

}  // namespace
}  // namespace devops_monitor::engine
