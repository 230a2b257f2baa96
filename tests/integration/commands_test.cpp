// The badge, prune and providers commands, and key rotation across checks, through the
// real binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

std::string today_stamp_minus(int days) {
  // One "now" for the whole run: stamps taken a second apart would make a gap of 250 days
  // read as 249.
  static const std::time_t now = std::time(nullptr);
  const std::time_t t = now - static_cast<std::time_t>(days) * 86400;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d_%H%M%S", &utc);
  return text;
}

// ---- badge -------------------------------------------------------------------------------

TEST(BadgeCommand, FollowsTheLatestReport) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 95});
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  ASSERT_EQ(world.check({"--check"}).exit_code, 2);
  const RunResult markdown = world.check({"badge"});
  EXPECT_EQ(markdown.exit_code, 0) << markdown.err;
  EXPECT_EQ(markdown.out, "![Status](https://img.shields.io/badge/status-critical-red)\n");
  const RunResult json = world.check({"badge", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["message"], "critical");
  const RunResult svg = world.check({"badge", "--format", "svg"});
  EXPECT_NE(svg.out.find(">critical</text>"), std::string::npos);
  EXPECT_EQ(svg.err, "");
}

TEST(BadgeCommand, NoReportIsUnknownAndGrey) {
  MonitorWorld world;
  std::filesystem::create_directories(world.report_dir);
  const RunResult run = world.check({"badge"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "![Status](https://img.shields.io/badge/status-unknown-lightgrey)\n");
  EXPECT_EQ(run.err, "");
}

TEST(BadgeCommand, AMissingReportDirectoryIsAnErrorNotAnUnknownBadge) {
  MonitorWorld world;
  const RunResult run = world.check({"badge", "--report-dir", (world.dir / "typo").string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "") << "no badge for a directory that is not there";
  EXPECT_EQ(run.err, "devops-monitor: no report directory: it does not exist; run a check first (" +
                         (world.dir / "typo").string() + ")\n");
}

TEST(BadgeCommand, ReportOfTheOldToolUsesSystemHealth) {
  MonitorWorld world;
  std::filesystem::create_directories(world.report_dir);
  write_text(world.report_dir / "latest_report.json",
             R"({"timestamp": "2024-01-01T00:00:00", "api_keys": [], "system_health":
                 {"cpu_percent": 85.0, "memory_percent": 10.0, "disk_percent": 10.0,
                  "timestamp": "2024-01-01T00:00:00", "status": "warning"},
                 "issues_found": [], "recommendations": []})");
  EXPECT_EQ(world.check({"badge"}).out,
            "![Status](https://img.shields.io/badge/status-warning-yellow)\n");
}

TEST(BadgeCommand, UnreadableReportIsUnknownWithANote) {
  MonitorWorld world;
  std::filesystem::create_directories(world.report_dir);
  write_text(world.report_dir / "latest_report.json", "{\"timestamp\": ");
  const RunResult run = world.check({"badge", "--format", "json"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(run.out)["message"], "unknown");
  EXPECT_NE(run.err.find("latest_report.json"), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1);
}

TEST(BadgeCommand, RejectsUnknownFormats) {
  MonitorWorld world;
  EXPECT_EQ(world.check({"badge", "--format", "png"}).exit_code, 3);
  EXPECT_EQ(world.check({"badge", "--json"}).exit_code, 3);
}

// ---- prune -------------------------------------------------------------------------------

class PruneCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(world.report_dir);
    for (const auto& name : old_reports) write_text(world.report_dir / name, "{}");
    for (const auto& name : other_files) write_text(world.report_dir / name, "{}");
  }
  MonitorWorld world;
  const std::vector<std::string> old_reports = {
      "monitoring_report_" + today_stamp_minus(150) + ".json",
      "monitoring_report_" + today_stamp_minus(91) + "_2.json"};
  const std::vector<std::string> other_files = {
      "monitoring_report_" + today_stamp_minus(10) + ".json", "latest_report.json", "notes.txt",
      "monitoring_report_backup.json"};
};

TEST_F(PruneCommand, DryRunListsWithoutDeleting) {
  const RunResult run = world.check({"prune", "--dry-run"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const auto& name : old_reports) {
    EXPECT_NE(run.out.find("would delete " + (world.report_dir / name).string()), std::string::npos)
        << run.out;
    EXPECT_TRUE(std::filesystem::exists(world.report_dir / name));
  }
  EXPECT_NE(run.out.find("2 reports would be deleted (older than 90 days)"), std::string::npos)
      << run.out;
}

TEST_F(PruneCommand, DeletesOnlyOldTimestampedReports) {
  const RunResult run = world.check({"prune"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  for (const auto& name : old_reports) {
    EXPECT_NE(run.out.find("deleted " + (world.report_dir / name).string()), std::string::npos)
        << run.out;
    EXPECT_FALSE(std::filesystem::exists(world.report_dir / name)) << name;
  }
  for (const auto& name : other_files)
    EXPECT_TRUE(std::filesystem::exists(world.report_dir / name)) << name;
}

TEST_F(PruneCommand, AHistoryFromBeforeAClockJumpIsKeptUntilAsked) {
  // 48 reports from 400 days ago, then (from the fixture) nothing until 150 days ago: as the
  // directory looks after the clock jumped far forward. The check that follows and plain
  // pruning must not wipe them.
  std::vector<std::string> year_old;
  for (int i = 0; i < 48; ++i) {
    year_old.push_back("monitoring_report_" + today_stamp_minus(400) + "_" + std::to_string(i + 2) +
                       ".json");
    write_text(world.report_dir / year_old.back(), "{}");
  }
  const RunResult check = world.check({"--check"});
  ASSERT_LE(check.exit_code, 2) << check.err;
  for (const auto& name : year_old) EXPECT_TRUE(std::filesystem::exists(world.report_dir / name));
  EXPECT_NE(check.err.find("warning: old reports kept: 48 reports past retention come before a "
                           "gap of 250 days"),
            std::string::npos)
      << check.err;
  const RunResult dry = world.check({"prune", "--dry-run", "--json"});
  const nlohmann::json plan = nlohmann::json::parse(dry.out);
  EXPECT_EQ(plan["held_back"].size(), 48u) << dry.out;
  // The check deleted the 150- and 91-day-old reports: the gap now runs to the 10-day-old one.
  EXPECT_EQ(plan["gap_days"], 390) << dry.out;

  const RunResult forced = world.check({"prune", "--ignore-gaps"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  for (const auto& name : year_old) EXPECT_FALSE(std::filesystem::exists(world.report_dir / name));
}

TEST_F(PruneCommand, RetentionFromFlagAndConfig) {
  RunResult run = world.check({"prune", "--dry-run", "--retention-days", "5", "--json"});
  EXPECT_EQ(nlohmann::json::parse(run.out)["files"].size(), 3u) << run.out;
  world.write_config("retention_days = 100\n");
  run = world.check({"prune", "--dry-run", "--json"});
  EXPECT_EQ(nlohmann::json::parse(run.out)["files"].size(), 1u) << run.out;
  EXPECT_EQ(world.check({"prune", "--retention-days", "0"}).exit_code, 3);
}

TEST_F(PruneCommand, ACheckPrunesAfterWritingItsReport) {
  const RunResult run = world.check({"--check"});
  ASSERT_LE(run.exit_code, 2) << run.err;
  for (const auto& name : old_reports)
    EXPECT_FALSE(std::filesystem::exists(world.report_dir / name)) << name;
  for (const auto& name : other_files)
    EXPECT_TRUE(std::filesystem::exists(world.report_dir / name)) << name;
  EXPECT_NE(run.out.find("Old reports deleted: 2"), std::string::npos) << run.out;
  // The new report and latest_report.json are there and agree.
  const auto latest = read_text(world.report_dir / "latest_report.json");
  EXPECT_NE(latest, "{}");
}

// ---- providers -------------------------------------------------------------------------

TEST(ProvidersCommand, PrintsTheFallbackOrderWithEachState) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  world.set_key("anthropic", "CANARY-anthropic");
  world.set_key("google", "CANARY-google");
  world.answer("openai", {.status = 401, .body = provider_fixture("openai", "invalid")});
  world.answer("google", {.status = 429, .body = provider_fixture("google", "rate_limited")});
  const RunResult run = world.check({"providers"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // one invalid key: warning
  EXPECT_NE(run.out.find("Provider fallback order: Anthropic (Claude) → Google Gemini"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("invalid"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(world.report_dir)) << "providers writes no report";

  const RunResult json = world.check({"providers", "--json"});
  const nlohmann::json doc = stdout_json(json);
  EXPECT_EQ(doc["provider_fallback_order"], nlohmann::json({"anthropic", "google"}));
  EXPECT_EQ(doc["api_keys"].size(), 6u);
}

// ---- key rotation ------------------------------------------------------------------------

TEST(KeyRotationCommand, ADifferentKeyIsReportedAsRotated) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-first-key-0001");
  nlohmann::json first = stdout_json(world.check({"--check", "--json"}));
  EXPECT_EQ(first["api_keys"][1]["key_rotated"], false);
  EXPECT_EQ(first["api_keys"][1]["key_age_days"], 0);
  EXPECT_TRUE(first["notices"].empty());

  world.set_key("openai", "CANARY-second-key-0002");
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json second = stdout_json(run);
  EXPECT_EQ(second["api_keys"][1]["key_rotated"], true);
  ASSERT_EQ(second["notices"].size(), 1u);
  EXPECT_EQ(second["notices"][0].get<std::string>().rfind("OpenAI (GPT-4) key rotated", 0), 0u);

  // The state file holds fingerprints and times, never key material.
  const std::string state = read_text(world.report_dir / "key_history.json");
  EXPECT_EQ(state.find("CANARY"), std::string::npos);
  EXPECT_NE(state.find(second["api_keys"][1]["key_fingerprint"].get<std::string>()),
            std::string::npos);

  const RunResult human = world.check({"--check"});
  EXPECT_EQ(human.out.find("key rotated"), std::string::npos) << "a rotation is news once";
}

TEST(KeyRotationCommand, OldKeyGetsARotationReminder) {
  MonitorWorld world;
  world.set_key("anthropic", "CANARY-old-key");
  ASSERT_LE(world.check({"--check"}).exit_code, 2);
  // Back-date the key's first sighting by 120 days.
  nlohmann::json state = nlohmann::json::parse(read_text(world.report_dir / "key_history.json"));
  const std::time_t then = std::time(nullptr) - 120 * 86400;
  std::tm utc{};
  gmtime_r(&then, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000+00:00", &utc);
  state["keys"]["anthropic"]["first_seen"] = text;
  write_text(world.report_dir / "key_history.json", state.dump());

  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  EXPECT_EQ(report["api_keys"][2]["key_age_days"], 120);
  bool reminded = false;
  for (const auto& r : report["recommendations"]) {
    reminded |=
        r == "Rotate the Anthropic (Claude) API key: in use for 120 days (rotate every 90 days)";
  }
  EXPECT_TRUE(reminded) << report["recommendations"];

  world.write_config("rotation_days = 180\n");
  const nlohmann::json relaxed = stdout_json(world.check({"--check", "--json"}));
  for (const auto& r : relaxed["recommendations"])
    EXPECT_EQ(r.get<std::string>().find("Rotate"), std::string::npos);
}

TEST(KeyRotationCommand, CorruptHistoryIsAWarningAndStartsAfresh) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  std::filesystem::create_directories(world.report_dir);
  write_text(world.report_dir / "key_history.json", "garbage");
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_LE(run.exit_code, 2);
  EXPECT_NE(run.err.find("devops-monitor: warning: cannot read key history"), std::string::npos)
      << run.err;
  const auto history =
      nlohmann::json::parse(read_text(world.report_dir / "key_history.json"), nullptr, false);
  EXPECT_TRUE(history.is_object() && history.contains("keys")) << "replaced by a good history";
}

}  // namespace
}  // namespace devops_monitor::testing
