// `devops-monitor history` as users run it: the real binary over real report directories
// (written by real checks, or generated here: our format, the old tool's, corrupt files).
#include <gtest/gtest.h>

#include <ctime>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

/// "monitoring_report_YYYYMMDD_HHMMSS.json" for `hours_ago` before now (UTC).
std::string history_report_name(int hours_ago) {
  const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(hours_ago) * 3600;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char name[64];
  std::strftime(name, sizeof name, "monitoring_report_%Y%m%d_%H%M%S.json", &utc);
  return name;
}

/// A report in our format `hours_ago` before now, with one key.
nlohmann::json history_report(int hours_ago, const std::string& provider, const std::string& state,
                              const std::string& error_message = "API key is valid") {
  const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(hours_ago) * 3600;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S.000+00:00", &utc);
  return {{"timestamp", stamp},
          {"api_keys",
           {{{"provider", provider},
             {"key_present", true},
             {"key_valid", state == "valid"},
             {"error_message", error_message},
             {"id", "openai"},
             {"state", state},
             {"latency_ms", 100 + hours_ago}}}},
          {"system_health",
           {{"cpu_percent", 20.0},
            {"memory_percent", 50.0},
            {"disk_percent", 40.0},
            {"status", "healthy"},
            {"disks", {{{"path", "/"}, {"percent", 40.0 + hours_ago * 0.1}}}}}},
          {"status", state == "valid" ? "healthy" : "critical"}};
}

void write_history_report(const MonitorWorld& world, int hours_ago, const std::string& text) {
  std::filesystem::create_directories(world.report_dir);
  write_text(world.report_dir / history_report_name(hours_ago), text);
}

/// Lines of `text` that start with `prefix`.
int history_lines_starting(const std::string& text, const std::string& prefix) {
  int count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (text.compare(start, prefix.size(), prefix) == 0) ++count;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return count;
}

TEST(HistoryCli, SummarisesTheReportsOfRealChecks) {
  MonitorWorld world;
  world.write_config();
  for (int i = 0; i < 2; ++i) ASSERT_LE(world.check({"--check", "--json"}).exit_code, 2);
  const RunResult human = world.check({"history"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_EQ(human.err, "");
  for (const char* section : {"History since ", "\nOverall\n", "\nKeys\n", "\nSystem\n"}) {
    EXPECT_NE(human.out.find(section), std::string::npos) << section << "\n" << human.out;
  }
  EXPECT_NE(human.out.find(": 2 reports"), std::string::npos) << human.out;
  // Not a terminal: plain text, no escape codes, no sparklines.
  EXPECT_EQ(human.out.find('\033'), std::string::npos);
  EXPECT_EQ(human.out.find("▁"), std::string::npos);
  EXPECT_EQ(human.out.find("█"), std::string::npos);

  const RunResult json = world.check({"history", "--json", "--since", "1h"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = stdout_json(json);
  EXPECT_EQ(doc["reports"], 2);
  EXPECT_EQ(doc["skipped_files"], 0);
  EXPECT_EQ(doc["providers"].size(), builtin_ids().size());
  EXPECT_EQ(doc["resources"][0]["name"], "cpu");
  EXPECT_EQ(doc["resources"][1]["name"], "memory");
  EXPECT_TRUE(doc["overall"]["time_in_status_seconds"].is_object());
}

TEST(HistoryCli, ReadsOldReportsAndSkipsBadFilesWithOneWarningEach) {
  MonitorWorld world;
  world.write_config();
  write_history_report(world, 5, R"json({"timestamp": "2024-01-01T00:00:00", "api_keys": [
      {"provider": "OpenAI (GPT-4)", "key_present": true, "key_valid": false,
       "error_message": "API key is invalid", "last_checked": "2024-01-01T00:00:00"}],
      "system_health": {"cpu_percent": 45.2, "memory_percent": 62.1, "disk_percent": 54.8,
       "timestamp": "2024-01-01T00:00:00", "status": "healthy"},
      "issues_found": [], "recommendations": []})json");
  write_history_report(world, 4, history_report(4, "OpenAI (GPT-4)", "valid").dump(2));
  write_history_report(world, 3,
                       history_report(3, "OpenAI (GPT-4)", "valid").dump(2).substr(0, 200));
  write_history_report(world, 2, R"json({"name": "some-package", "version": "1.0.0"})json");
  write_history_report(world, 1, history_report(1, "OpenAI (GPT-4)", "valid").dump(2));
  write_history_report(world, 24 * 30, "{corrupt but before --since: never opened");
  write_text(world.report_dir / "notes.json", "not a report name");

  const RunResult run = world.check({"history", "--json", "--since", "2d"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(history_lines_starting(run.err, "devops-monitor: skipped "), 2) << run.err;
  EXPECT_NE(run.err.find("truncated JSON"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("no api_keys or system_health"), std::string::npos) << run.err;
  const nlohmann::json doc = stdout_json(run);
  EXPECT_EQ(doc["reports"], 3);
  EXPECT_EQ(doc["skipped_files"], 2);
  ASSERT_EQ(doc["providers"].size(), 1U);
  EXPECT_EQ(doc["providers"][0]["id"], "openai");  // from the old report's display name too
  EXPECT_EQ(doc["providers"][0]["checks"], 3);
  EXPECT_EQ(doc["providers"][0]["usable_checks"], 2);
  EXPECT_EQ(doc["providers"][0]["last_change"]["from"], "invalid");
  EXPECT_EQ(doc["providers"][0]["last_change"]["to"], "valid");

  // The second run reads the index beside the reports and says the same.
  EXPECT_TRUE(std::filesystem::exists(world.report_dir / "history_index.tsv"));
  const RunResult again = world.check({"history", "--json", "--since", "2d"});
  nlohmann::json first = doc, second = stdout_json(again);
  // What depends on "now" (the newest report lasts until now) moves between the runs.
  for (nlohmann::json* d : {&first, &second}) {
    for (const char* moving : {"since", "until", "overall"}) d->erase(moving);
    for (auto& provider : (*d)["providers"]) provider.erase("time_in_state_seconds");
  }
  EXPECT_EQ(second, first);
  EXPECT_EQ(again.err, run.err);
}

TEST(HistoryCli, HostileTextFromReportsStaysInertAndNoErrorTextIsShown) {
  MonitorWorld world;
  world.write_config();
  // A canary key built at run time, in the error message a report holds.
  const std::string canary =
      std::string("sk-") + "proj-" + std::string(30, 'Z') + "history" + std::to_string(20261206);
  const std::string hostile = "Evil\x1b]0;owned\x07\x1b[31m<script>alert(1)</script>";
  write_history_report(world, 2, history_report(2, hostile, "invalid", "denied " + canary).dump());
  write_history_report(world, 1, history_report(1, hostile, "valid", canary).dump());
  for (bool tty : {false, true}) {
    RunOptions options = world.run_options({"history"});
    options.stdout_tty = tty;
    options.env["NO_COLOR"] = "1";
    const RunResult run = run_process(monitor_binary(), options);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find('\x07'), std::string::npos);
    EXPECT_NE(run.out.find("<script>alert(1)</script>"), std::string::npos) << run.out;
    EXPECT_EQ(run.out.find(canary), std::string::npos);
    EXPECT_EQ(run.err.find(canary), std::string::npos);
    EXPECT_EQ(run.out.find("denied"), std::string::npos);  // no error messages at all
  }
  const RunResult json = world.check({"history", "--json"});
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_EQ(json.out.find(canary), std::string::npos);
  EXPECT_EQ(json.out.find("\\u001b"), std::string::npos) << json.out;
  const nlohmann::json doc = stdout_json(json);
  EXPECT_EQ(doc["providers"][0]["provider"], "Evil]0;owned[31m<script>alert(1)</script>");
}

TEST(HistoryCli, SparklinesOnATerminalColouredUnlessNoColor) {
  MonitorWorld world;
  world.write_config();
  for (int h = 8; h >= 1; --h) {
    write_history_report(world, h,
                         history_report(h, "OpenAI (GPT-4)", h == 4 ? "invalid" : "valid").dump());
  }
  RunOptions options = world.run_options({"history"});
  options.stdout_tty = true;
  options.env.erase("NO_COLOR");
  const RunResult coloured = run_process(monitor_binary(), options);
  ASSERT_EQ(coloured.exit_code, 0) << coloured.err;
  EXPECT_NE(coloured.out.find("\033[32m█\033[0m"), std::string::npos) << coloured.out;
  EXPECT_NE(coloured.out.find("\033[31m▁\033[0m"), std::string::npos) << coloured.out;
  options.env["NO_COLOR"] = "1";
  const RunResult plain = run_process(monitor_binary(), options);
  EXPECT_EQ(plain.out.find('\033'), std::string::npos);
  EXPECT_NE(plain.out.find("████▁███"), std::string::npos) << plain.out;
}

TEST(HistoryCli, ExitStatusAndEmptyDirectory) {
  MonitorWorld world;
  world.write_config();
  std::filesystem::create_directories(world.report_dir);
  const RunResult empty = world.check({"history", "--since", "36h"});
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(empty.out.rfind("no reports since ", 0), 0U) << empty.out;
  EXPECT_NE(empty.out.find("(36h)"), std::string::npos) << empty.out;
  const RunResult empty_json = world.check({"history", "--json"});
  EXPECT_EQ(empty_json.exit_code, 0);
  EXPECT_EQ(stdout_json(empty_json)["reports"], 0);

  const RunResult bad = world.check({"history", "--since", "7 days"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("(--since)"), std::string::npos) << bad.err;
  EXPECT_EQ(history_lines_starting(bad.err, "devops-monitor: "), 1) << bad.err;

  const RunResult missing =
      world.check({"history", "--report-dir", (world.dir / "nowhere").string()});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("nowhere"), std::string::npos) << missing.err;

  const RunResult help = world.check({"history", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--since"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("docs/history.md"), std::string::npos);
}

}  // namespace
}  // namespace devops_monitor::testing

namespace devops_monitor::testing {
namespace {

TEST(HistoryCli, ForecastsWhenADiskIsFullAndCreditRunsOutAfterItsLastTopUp) {
  MonitorWorld world;
  world.write_config();
  // Hourly reports: credit 30 -> 27 before a top-up 4 hours ago, then 60 falling 2 an hour
  // to 54 an hour ago (26 hours left now); "/" filling 1 point an hour to 90% an hour ago
  // (9 hours left now).
  for (int h = 8; h >= 1; --h) {
    nlohmann::json report = history_report(h, "OpenRouter", "valid");
    report["api_keys"][0]["id"] = "openrouter";
    report["api_keys"][0]["credit_remaining"] = h > 4 ? 22.0 + h : 60.0 - 2.0 * (4 - h);
    report["system_health"]["disks"][0]["percent"] = 90.0 - (h - 1);
    write_history_report(world, h, report.dump(2));
  }
  for (int run = 0; run < 2; ++run) {  // the second run reads the index: the same answer
    const RunResult json_run = world.check({"history", "--json"});
    ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
    const nlohmann::json forecasts = stdout_json(json_run)["forecasts"];
    EXPECT_EQ(forecasts["window_seconds"], 7 * 24 * 3600);
    ASSERT_EQ(forecasts["credit_exhausted"].size(), 1u) << forecasts;
    EXPECT_EQ(forecasts["credit_exhausted"][0]["provider"], "openrouter");
    EXPECT_NEAR(forecasts["credit_exhausted"][0]["eta_seconds"].get<double>(), 26 * 3600.0, 120);
    ASSERT_EQ(forecasts["disk_full"].size(), 1u) << forecasts;
    EXPECT_EQ(forecasts["disk_full"][0]["path"], "/");
    EXPECT_NEAR(forecasts["disk_full"][0]["eta_seconds"].get<double>(), 9 * 3600.0, 120);
  }
  const RunResult text = world.check({"history"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\nForecasts (trend of the last 7 days)\n"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("  disk / full in about 8h 59m\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  openrouter credit runs out in about 1d 1h\n"), std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace devops_monitor::testing
