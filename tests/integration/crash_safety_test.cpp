// Crash safety, proved at every step of the save sequence: the fault-injection library kills
// the real binary right before or right after the Nth write, fsync, link, rename or unlink it
// makes in the report directory. Whatever the moment, the directory holds complete reports
// only, a latest_report.json and key history that parse, and the next check works.
#include <gtest/gtest.h>
#include <signal.h>

#include "devops_monitor/report_json.hpp"
#include "store/key_history_store.hpp"
#include "support/faults.hpp"
#include "support/monitor_world.hpp"
#include "util/atomic_file.hpp"

namespace devops_monitor::testing {
namespace {

/// Every file in the report directory is one the store writes, and every one parses.
void expect_consistent(const std::filesystem::path& dir, const std::string& moment) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (is_temp_file_name(name) || name == ".devops-monitor.lock") continue;
    const std::string text = read_text(entry.path());
    if (name == "key_history.json") {
      const Result<KeyHistory> history = parse_key_history(text, name);
      EXPECT_TRUE(history.ok()) << moment << ": " << history.error().message();
      continue;
    }
    const bool report = name == "latest_report.json" || name.rfind("monitoring_report_", 0) == 0;
    EXPECT_TRUE(report) << moment << ": unexpected file " << name;
    const Result<Report> parsed = parse_report(text, name);
    ASSERT_TRUE(parsed.ok()) << moment << ": " << parsed.error().message();
    EXPECT_EQ(parsed->api_keys.size(), 6u) << moment << ": " << name << " is not complete";
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "latest_report.json")) << moment;
}

struct KillPoint {
  std::string function;  // write, fsync, link, rename, unlink
  std::string action;    // kill (before the call) or kill-after
};

class CrashSafety : public ::testing::TestWithParam<KillPoint> {};

TEST_P(CrashSafety, KilledAtEveryCallTheDirectoryStaysConsistent) {
  const KillPoint point = GetParam();
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-crash-1234");
  world.cpu_window = "100ms";
  // A first complete check: latest_report.json and the key history exist before the kills.
  ASSERT_LE(world.check({"--check"}).exit_code, 2);
  const std::map<std::string, std::string> clean_env = world.env;

  int fired = 0;
  for (int nth = 1; nth <= 8; ++nth) {
    const std::filesystem::path log = world.dir / ("faults-" + std::to_string(nth) + ".log");
    const std::string rule = point.function + "@" + world.report_dir.string() + ":" +
                             std::to_string(nth) + ":" + point.action;
    world.env = with_faults(clean_env, rule, log);
    const RunResult run = world.check({"--check"});
    world.env = clean_env;
    const std::string moment = point.action + " at " + point.function + " #" + std::to_string(nth);
    if (fired_faults(log).empty()) {
      // Fewer calls than nth: the sweep is complete; the check must have finished normally.
      EXPECT_LE(run.exit_code, 2) << moment << "\n" << run.err;
      break;
    }
    ++fired;
    EXPECT_EQ(run.signal, SIGKILL) << moment << " did not kill the check\n" << run.err;
    expect_consistent(world.report_dir, moment);
  }
  EXPECT_GE(fired, 1) << "the save sequence never called " << point.function;

  // The next check after all those kills works and leaves the directory consistent.
  const RunResult after = world.check({"--check"});
  EXPECT_LE(after.exit_code, 2) << after.err;
  expect_consistent(world.report_dir, "after the kills");
}

INSTANTIATE_TEST_SUITE_P(
    SaveSequence, CrashSafety,
    ::testing::Values(KillPoint{"write", "kill"}, KillPoint{"write", "kill-after"},
                      KillPoint{"fsync", "kill"}, KillPoint{"fsync", "kill-after"},
                      KillPoint{"link", "kill"}, KillPoint{"link", "kill-after"},
                      KillPoint{"rename", "kill"}, KillPoint{"rename", "kill-after"},
                      KillPoint{"unlink", "kill"}, KillPoint{"unlink", "kill-after"}),
    [](const ::testing::TestParamInfo<KillPoint>& info) {
      std::string name = info.param.function + "_" + info.param.action;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
}  // namespace devops_monitor::testing
