// A check is bounded in time on a machine in trouble: a stuck mount becomes that disk's error,
// a silent provider is cut off at the deadline, a hung report directory costs the saving but
// never the result, and the whole run ends by its deadline, so hourly jobs cannot pile up.
#include <gtest/gtest.h>

#include "support/faults.hpp"
#include "support/monitor_world.hpp"
#include "support/must_run.hpp"
#include "support/private_mounts.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;

const nlohmann::json* find_disk(const nlohmann::json& report, const std::string& path) {
  for (const auto& disk : report["system_health"]["disks"]) {
    if (disk["path"] == path) return &disk;
  }
  return nullptr;
}

bool has_issue_starting(const nlohmann::json& report, const std::string& start) {
  for (const auto& issue : report["issues_found"]) {
    if (issue.get<std::string>().rfind(start, 0) == 0) return true;
  }
  return false;
}

/// What a check must say about a disk that never answered.
void expect_stuck_disk(const RunResult& run, const std::string& stuck, const std::string& fine) {
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.err;
  keep_for_schema_validation(run.out);
  EXPECT_EQ(run.exit_code, 1) << "a disk that cannot be measured is a warning\n" << run.err;
  const nlohmann::json* disk = find_disk(report, stuck);
  ASSERT_NE(disk, nullptr) << report["system_health"].dump(2);
  EXPECT_EQ((*disk)["status"], "unknown");
  EXPECT_EQ((*disk)["error"], "statfs did not answer within 500ms (stuck mount?)");
  const nlohmann::json* other = find_disk(report, fine);
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE((*other)["error"].is_null()) << "the other disk is measured as usual";
  EXPECT_GT((*other)["total_bytes"].get<double>(), 0);
  EXPECT_TRUE(has_issue_starting(report, "Disk " + stuck + " could not be measured"))
      << report["issues_found"].dump();
  EXPECT_EQ(report["system_health"]["disk_status"], "warning");
}

TEST(TimeBounds, AStuckFuseMountBecomesThatDisksErrorNotAHang) {
  if (const auto why = private_mounts_unavailable()) DEVOPS_MONITOR_SKIP_OR_FAIL(*why);
  MonitorWorld world;
  const std::filesystem::path stuck = world.dir / "stuck";
  std::filesystem::create_directories(stuck);
  world.command_prefix = on_stuck_mount(stuck);
  world.env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
  const RunResult run =
      world.check({"--check", "--json", "--no-save", "--mount-timeout", "500ms", "--disk",
                   world.dir.path().string(), "--disk", stuck.string()});
  ASSERT_NE(run.exit_code, 97) << "the FUSE file system did not mount: " << run.err;
  EXPECT_FALSE(run.timed_out);
  EXPECT_LT(run.elapsed, milliseconds(10000)) << "the check must not wait for the mount";
  expect_stuck_disk(run, stuck.string(), world.dir.path().string());
}

TEST(TimeBounds, AStatfsThatNeverReturnsIsCutOffAtTheMountTimeout) {
  MonitorWorld world;
  const std::filesystem::path stuck = world.dir / "nfs";
  std::filesystem::create_directories(stuck);
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "statvfs@" + stuck.string() + ":*:hang", log);
  const RunResult run =
      world.check({"--check", "--json", "--no-save", "--mount-timeout", "500ms", "--disk",
                   world.dir.path().string(), "--disk", stuck.string()});
  EXPECT_FALSE(fired_faults(log).empty());
  EXPECT_LT(run.elapsed, milliseconds(10000));
  expect_stuck_disk(run, stuck.string(), world.dir.path().string());
}

TEST(TimeBounds, AnIoErrorOnAMountIsThatDisksErrorButAMissingPathIsBadInput) {
  MonitorWorld world;
  const std::filesystem::path stale = world.dir / "stale";
  std::filesystem::create_directories(stale);
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "statvfs@" + stale.string() + ":*:errno=ESTALE", log);
  const RunResult run = world.check({"--check", "--json", "--no-save", "--disk", stale.string()});
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(report["system_health"]["disks"][0]["error"], "statfs failed: Stale file handle");

  const RunResult missing = world.check({"--check", "--disk", (world.dir / "nowhere").string()});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("cannot measure disk usage: No such file or directory"),
            std::string::npos)
      << missing.err;
}

TEST(TimeBounds, TheDeadlineCutsOffAProviderWhateverItsTimeout) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-deadline-1234");
  world.answer("openai", {.hang = true});
  const RunResult run = world.check({"--check", "--json", "--timeout", "60s", "--deadline", "3s"});
  EXPECT_FALSE(run.timed_out);
  EXPECT_LT(run.elapsed, milliseconds(6000)) << "bounded by the 3s deadline, not the 60s timeout";
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_EQ(report["api_keys"][1]["state"], "unknown");
  EXPECT_NE(report["api_keys"][1]["error_message"].get<std::string>().find("no answer from"),
            std::string::npos)
      << report["api_keys"][1].dump();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 1u) << "the result was still saved";
}

TEST(TimeBounds, AHungReportDirectoryCostsTheSavingButNeverTheResult) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-hung-dir-1234");
  const std::filesystem::path log = world.dir / "faults.log";
  // Every write into the report directory hangs, as on an NFS server that went away.
  world.env = with_faults(world.env, "write@" + world.report_dir.string() + ":*:hang", log);
  const RunResult run = world.check({"--check", "--deadline", "3s", "--cpu-window", "200ms"});
  EXPECT_FALSE(fired_faults(log).empty());
  EXPECT_FALSE(run.timed_out);
  EXPECT_LT(run.elapsed, milliseconds(6000));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("OpenAI (GPT-4): API key is valid"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("report not saved: cannot save report: the report directory did not "
                         "answer within"),
            std::string::npos)
      << run.err;
}

TEST(TimeBounds, ADeadlineShorterThanTheWindowIsRefused) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--cpu-window", "5s", "--deadline", "3s"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err,
            "devops-monitor: invalid settings: deadline 3s must be at least 1s longer than "
            "cpu_window 5s (deadline)\n");
}

}  // namespace
}  // namespace devops_monitor::testing
