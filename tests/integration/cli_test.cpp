// The command line: compatible with the old script, machine output kept clean.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

RunResult run_plain(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) {
  RunOptions options;
  options.args = args;
  options.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent"}};
  options.cwd = cwd;
  return run_monitor(options);
}

TEST(Cli, JsonOutputIsOnlyTheReport) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  EXPECT_TRUE(report.contains("api_keys"));
  EXPECT_EQ(run.out.find("\033["), std::string::npos);
  EXPECT_EQ(run.out.front(), '{');
}

TEST(Cli, HumanOutputHasTheOldSectionsAndNoColourWhenNotATerminal) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  world.answer("google", {.status = 400, .body = provider_fixture("google", "invalid")});
  world.set_key("google", "CANARY-google");
  const RunResult run = world.check({"--check"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  for (const char* section :
       {"API keys", "System health", "Issues found", "Recommendations",
        "Report saved:", "Provider fallback order: OpenAI (GPT-4)",
        "Overall status:", "✅ OpenAI (GPT-4): API key is valid",
        "❌ Google Gemini: API key is invalid", "Google Gemini API key is invalid"}) {
    EXPECT_NE(run.out.find(section), std::string::npos) << section << "\n" << run.out;
  }
  EXPECT_EQ(run.out.find("\033["), std::string::npos) << "colour without a terminal";
  EXPECT_EQ(run.err, "");
}

TEST(Cli, ColourOnATerminalUnlessNoColorIsSet) {
  MonitorWorld world;
  RunOptions options;
  options.args = {"--check",      "--no-save",
                  "--config",     world.config_file.string(),
                  "--procfs",     world.procfs.root().string(),
                  "--cpu-window", "100ms",
                  "--disk",       world.dir.path().string()};
  options.env = world.env;
  options.stdout_tty = true;
  const RunResult coloured = run_monitor(options);
  EXPECT_NE(coloured.out.find("\033["), std::string::npos) << coloured.out;
  EXPECT_NE(coloured.out.find("Overall status"), std::string::npos);

  options.env["NO_COLOR"] = "1";
  const RunResult plain = run_monitor(options);
  EXPECT_NE(plain.out.find("Overall status"), std::string::npos) << plain.out;
  EXPECT_EQ(plain.out.find("\033["), std::string::npos) << plain.out;
}

TEST(Cli, CheckCommandAndCheckFlagAreTheSame) {
  MonitorWorld world;
  const RunResult by_flag = world.check({"--check", "--json", "--no-save"});
  const RunResult by_command = world.check({"check", "--json", "--no-save"});
  EXPECT_EQ(by_flag.exit_code, by_command.exit_code);
  EXPECT_EQ(stdout_json(by_flag)["api_keys"].size(), stdout_json(by_command)["api_keys"].size());
}

TEST(Cli, NoArgumentsRunsACheckWithTheDefaultsAndIgnoresTheConfigInTheWorkingDirectory) {
  MonitorWorld world;
  // Everything is default (/proc, /, 1s); ./devops-monitor.toml is not read unless named.
  write_text(world.config_file, "report_dir = \"from-config\"\n");
  RunOptions options;
  options.env = world.env;
  options.cwd = world.dir.path();
  const RunResult run = run_monitor(options, world.dir / "monitoring_reports");
  EXPECT_LE(run.exit_code, 2) << run.err;
  EXPECT_NE(run.out.find("Overall status"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(world.dir / "monitoring_reports" / "latest_report.json"));
  EXPECT_FALSE(std::filesystem::exists(world.dir / "from-config"));
  EXPECT_GE(run.elapsed.count(), 1000) << "default CPU window is 1s";
  EXPECT_EQ(run.err,
            "devops-monitor: warning: ignoring ./devops-monitor.toml: a config file in the "
            "working directory is read only when named; to use it, run with --config "
            "./devops-monitor.toml\n");

  options.args = {"--config", "./devops-monitor.toml", "--no-save", "--cpu-window", "100ms"};
  const RunResult named = run_monitor(options);
  EXPECT_LE(named.exit_code, 2) << named.err;
  EXPECT_EQ(named.err, "") << "named, it is read without a warning";
}

TEST(Cli, NoKeysIsAWarningWithTheOldPhrase) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 1);
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(report["issues_found"][0], "No API keys configured - AI features will not work");
  EXPECT_EQ(report["status"], "warning");
}

TEST(Cli, BadFlagsAreExitThreeWithOneLine) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--bogus"},
                                               {"--timeout", "ten"},
                                               {"--timeout", "10"},
                                               {"--cpu-window", "1ms"},
                                               {"--timeout"},
                                               {"frobnicate"}}) {
    const RunResult run = run_plain(args);
    EXPECT_EQ(run.exit_code, 3) << args[0];
    EXPECT_EQ(run.err.rfind("devops-monitor: ", 0), 0u) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.out, "");
  }
  EXPECT_NE(run_plain({"--timeout", "ten"}).err.find("--timeout"), std::string::npos);
}

TEST(Cli, HelpAndVersion) {
  const RunResult help = run_plain({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag :
       {"--check", "--json", "--report-dir", "--config", "--env-file", "--procfs", "--disk",
        "--cpu-window", "--timeout", "--no-save", "--version", "Exit status",
        "--config FILE, else $DEVOPS_MONITOR_CONFIG, else", "--config ./devops-monitor.toml"}) {
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  }
  const RunResult version = run_plain({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("devops-monitor ", 0), 0u);
}

}  // namespace
}  // namespace devops_monitor::testing
