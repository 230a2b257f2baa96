// Report files: names, latest_report.json, never overwritten, never half-written.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "support/faults.hpp"
#include "support/monitor_world.hpp"
#include "support/must_run.hpp"
#include "support/private_mounts.hpp"

namespace devops_monitor::testing {
namespace {

void expect_parses(const std::filesystem::path& file) {
  const nlohmann::json doc = nlohmann::json::parse(read_text(file), nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << file << " is not complete JSON";
}

TEST(Reports, CheckWritesTimestampedReportAndLatestWithTheSameContent) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--json"});
  ASSERT_LE(run.exit_code, 2) << run.err;
  const auto reports = timestamped_reports(world.report_dir);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(read_text(reports[0]), run.out);
  EXPECT_EQ(read_text(world.report_dir / "latest_report.json"), run.out);
}

TEST(Reports, HumanOutputNamesTheSavedReport) {
  MonitorWorld world;
  const RunResult run = world.check({"--check"});
  const auto reports = timestamped_reports(world.report_dir);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(run.out.find("Report saved: " + reports[0].string()), std::string::npos) << run.out;
}

TEST(Reports, ReportDirIsCreatedWithParents) {
  MonitorWorld world;
  const auto nested = world.dir / "a" / "b" / "reports";
  const RunResult run = world.check({"--check", "--report-dir", nested.string()});
  ASSERT_LE(run.exit_code, 2) << run.err;
  EXPECT_EQ(timestamped_reports(nested).size(), 1u);
}

TEST(Reports, NoSaveWritesNothing) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--no-save"});
  ASSERT_LE(run.exit_code, 2) << run.err;
  EXPECT_FALSE(std::filesystem::exists(world.report_dir));
  EXPECT_EQ(run.out.find("Report saved"), std::string::npos);
}

TEST(Reports, ChecksInTheSameSecondNeverOverwriteEachOther) {
  MonitorWorld world;
  for (int i = 0; i < 3; ++i) {
    const RunResult run = world.check({"--check", "--cpu-window", "100ms"});
    ASSERT_LE(run.exit_code, 2) << run.err;
  }
  const auto reports = timestamped_reports(world.report_dir);
  EXPECT_EQ(reports.size(), 3u);
}

TEST(Reports, TenConcurrentChecksGiveTenDistinctValidReports) {
  MonitorWorld world;
  std::vector<Process> running;
  for (int i = 0; i < 10; ++i) {
    RunOptions options;
    options.args = {"--check",      "--json", "--config",     world.config_file.string(),
                    "--procfs",     "/proc",  "--report-dir", world.report_dir.string(),
                    "--cpu-window", "100ms",  "--disk",       world.dir.path().string()};
    options.env = world.env;
    options.cwd = world.dir.path();
    running.emplace_back(monitor_binary(), options);
  }
  std::set<std::string> outputs;
  for (Process& p : running) {
    const RunResult r = p.wait();
    EXPECT_LE(r.exit_code, 2) << r.err;
    outputs.insert(r.out);
  }
  const auto reports = timestamped_reports(world.report_dir);
  EXPECT_EQ(reports.size(), 10u);
  std::set<std::string> contents;
  for (const auto& file : reports) {
    expect_parses(file);
    contents.insert(read_text(file));
    keep_for_schema_validation(read_text(file));
  }
  EXPECT_EQ(contents, outputs) << "each report file is exactly one check's output";
  expect_parses(world.report_dir / "latest_report.json");
}

TEST(Reports, UnwritableReportDirStillShowsTheResultAndSaysWhyItWasNotSaved) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-unwritable-1234");
  std::filesystem::create_directories(world.report_dir);
  ::chmod(world.report_dir.c_str(), 0555);
  world.as_nobody = true;  // root ignores permissions; the check runs as nobody then
  const RunResult run = world.check({"--check"});
  EXPECT_EQ(run.exit_code, 1) << "healthy, but a report that cannot be kept is a warning\n"
                              << run.err;
  EXPECT_NE(run.out.find("OpenAI (GPT-4): API key is valid"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Report not saved: cannot save report: Permission denied"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Report could not be saved"), std::string::npos) << run.out;
  EXPECT_NE(
      run.err.find("devops-monitor: report not saved: cannot save report: Permission denied (" +
                   world.report_dir.string() + ")"),
      std::string::npos)
      << run.err;
  EXPECT_TRUE(std::filesystem::is_empty(world.report_dir));
}

TEST(Reports, UnwritableReportDirStillPrintsTheJsonWithTheFailureAmongItsIssues) {
  MonitorWorld world;
  std::filesystem::create_directories(world.report_dir);
  ::chmod(world.report_dir.c_str(), 0555);
  world.as_nobody = true;
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.out;
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(report["status"], "warning");
  bool named = false;
  for (const auto& issue : report["issues_found"]) {
    named = named || issue.get<std::string>().find("Report could not be saved") == 0;
  }
  EXPECT_TRUE(named) << report["issues_found"].dump();
  EXPECT_NE(run.err.find("report not saved"), std::string::npos) << run.err;
}

TEST(Reports, OnAFullDiskTheResultIsShownAndNothingHalfWrittenIsLeft) {
  if (const auto why = private_mounts_unavailable()) DEVOPS_MONITOR_SKIP_OR_FAIL(*why);
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-full-disk-5678");
  std::filesystem::create_directories(world.report_dir);
  // The report directory is a full tmpfs; the check's own disk is the test's directory.
  world.command_prefix = on_full_disk(world.report_dir);
  world.env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
  const RunResult run = world.check({"--check", "--json", "--disk", world.report_dir.string()});
  ASSERT_NE(run.exit_code, 97) << "could not mount the tmpfs: " << run.err;
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.out << run.err;
  keep_for_schema_validation(run.out);
  EXPECT_EQ(run.exit_code, 2) << "a full disk is critical\n" << run.err;
  EXPECT_EQ(report["system_health"]["disk_percent"], 100.0);
  EXPECT_EQ(report["api_keys"][1]["state"], "valid");
  EXPECT_NE(run.err.find("devops-monitor: report not saved: cannot save report: No space left on "
                         "device (" +
                         world.report_dir.string() + ")"),
            std::string::npos)
      << run.err;
  bool named = false;
  for (const auto& issue : report["issues_found"]) {
    named = named || issue.get<std::string>().find("No space left on device") != std::string::npos;
  }
  EXPECT_TRUE(named) << report["issues_found"].dump();
  EXPECT_EQ(read_text(world.report_dir.string() + ".after"), "filler\n")
      << "no temporary or partial file may be left on the full disk";
}

TEST(Reports, LocksThatFailAsOnNfsWithoutLockdNeverFailTheCheck) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-nolock-1234");
  const std::filesystem::path log = world.dir / "faults.log";
  // Whatever locking call the store makes, it fails with ENOLCK ("No locks available"), as
  // an NFS mount without a lock manager answers.
  world.env = with_faults(world.env, "flock:*:errno=ENOLCK;fcntl:*:errno=ENOLCK", log);
  const RunResult run = world.check({"--check"});
  EXPECT_FALSE(fired_faults(log).empty()) << "no lock was even attempted";
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Report saved"), std::string::npos) << run.out;
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 1u);
  EXPECT_NE(run.err.find("devops-monitor: warning: key history not updated: cannot lock report "
                         "directory: No locks available"),
            std::string::npos)
      << run.err;
}

TEST(Reports, FileInTheWayOfTheReportDirIsReportedAndTheResultShown) {
  MonitorWorld world;
  write_text(world.dir / "blocker", "x");
  const RunResult run =
      world.check({"--check", "--report-dir", (world.dir / "blocker" / "reports").string()});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("System health"), std::string::npos) << run.out;
  EXPECT_NE(run.err.find("cannot create report directory"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("blocker/reports"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace devops_monitor::testing
