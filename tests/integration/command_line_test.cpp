// The command line as a newcomer meets it: each command's own --help with every flag and its
// default, -V, "did you mean", usage errors that Nagios still reads, thresholds as flags, one
// duration grammar (7d where promised), missing directories, and the wait line on a terminal.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <sstream>
#include <thread>

#include "http/http_client.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;

RunResult run_bare(const std::vector<std::string>& args) {
  RunOptions options;
  options.args = args;
  options.env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/nonexistent"}};
  return run_monitor(options);
}

/// The flags a help page lists (the left column), in order.
std::vector<std::string> listed_flags(const std::string& help) {
  std::vector<std::string> flags;
  std::istringstream lines(help);
  const std::regex flag_line(R"(^  (-\w,)?(--[a-z-]+))");
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, flag_line)) flags.push_back(match[2]);
  }
  return flags;
}

/// The help text of one flag: its line and the description's continuation lines.
std::string flag_entry(const std::string& help, const std::string& flag) {
  std::istringstream lines(help);
  const std::regex flag_line("^  (-\\w,)?" + flag + "( |$)");
  std::string entry;
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("  -") || line.empty()) inside = std::regex_search(line, flag_line);
    if (inside) entry += line + "\n";
  }
  return entry;
}

struct CommandFlags {
  std::vector<std::string> command;  // {"notify", "github"}
  std::vector<std::string> flags;    // besides --help
};

const std::vector<CommandFlags>& expected_flags() {
  static const std::vector<CommandFlags> table = {
      {{"check"},
       {"--check", "--json", "--format", "--textfile-dir", "--config", "--env-file", "--timeout",
        "--report-dir", "--no-save", "--retention-days", "--procfs", "--disk", "--mount-timeout",
        "--warning", "--critical", "--cpu-window", "--deadline"}},
      {{"providers"}, {"--json", "--config", "--env-file", "--timeout"}},
      {{"serve"},
       {"--listen", "--web-config", "--key-interval", "--config", "--env-file", "--timeout",
        "--report-dir", "--no-save", "--retention-days", "--procfs", "--disk", "--mount-timeout",
        "--warning", "--critical"}},
      {{"watch"},
       {"--interval", "--confirm", "--config", "--env-file", "--timeout", "--report-dir",
        "--no-save", "--retention-days", "--procfs", "--disk", "--mount-timeout", "--warning",
        "--critical"}},
      {{"dashboard"},
       {"--interval", "--simple", "--config", "--env-file", "--timeout", "--report-dir", "--procfs",
        "--disk", "--mount-timeout", "--warning", "--critical"}},
      {{"history"}, {"--since", "--json", "--config", "--report-dir"}},
      {{"report"}, {"--html", "--since", "--config", "--report-dir"}},
      {{"badge"}, {"--format", "--config", "--report-dir"}},
      {{"prune"},
       {"--dry-run", "--ignore-gaps", "--json", "--config", "--report-dir", "--retention-days"}},
      {{"scan"},
       {"--max-file-size", "--exclude", "--no-ignore", "--sarif", "--json", "--verify",
        "--verify-ambiguous", "--verify-limit", "--staged", "--git", "--install-hook", "--config",
        "--timeout"}},
      {{"notify", "github"},
       {"--repo", "--report", "--scan", "--min-status", "--alert-key", "--dry-run", "--json",
        "--config", "--report-dir"}},
      {{"silence", "add"}, {"--for", "--match", "--comment", "--config", "--report-dir"}},
      {{"silence", "list"}, {"--json", "--config", "--report-dir"}},
      {{"silence", "expire"}, {"--config", "--report-dir"}},
  };
  return table;
}

TEST(CommandLine, EachCommandsHelpIsItsOwnAndListsEveryFlagWithItsDefault) {
  for (const CommandFlags& expected : expected_flags()) {
    std::vector<std::string> args = expected.command;
    args.emplace_back("--help");
    const RunResult run = run_bare(args);
    std::string name = "devops-monitor";
    for (const std::string& word : expected.command) name += " " + word;
    ASSERT_EQ(run.exit_code, 0) << name << ": " << run.err;
    EXPECT_NE(run.out.find("Usage: " + name + " "), std::string::npos) << run.out;
    std::vector<std::string> listed = listed_flags(run.out);
    const auto help = std::find(listed.begin(), listed.end(), "--help");
    ASSERT_NE(help, listed.end()) << name << "\n" << run.out;
    listed.erase(help);
    EXPECT_EQ(listed, expected.flags) << name << "\n" << run.out;
    for (const std::string& flag : expected.flags) {
      EXPECT_NE(flag_entry(run.out, flag).find("[default:"), std::string::npos)
          << name << " " << flag << " shows no default:\n"
          << flag_entry(run.out, flag);
    }
  }
}

TEST(CommandLine, TheNotifyLevelHasItsOwnPageToo) {
  const RunResult run = run_bare({"notify", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("Usage: devops-monitor notify "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("github"), std::string::npos) << run.out;
}

TEST(CommandLine, VersionBothWays) {
  for (const char* flag : {"--version", "-V"}) {
    const RunResult run = run_bare({flag});
    EXPECT_EQ(run.exit_code, 0) << flag;
    EXPECT_TRUE(std::regex_match(run.out, std::regex(R"(devops-monitor \d+\.\d+\.\d+\n)")))
        << run.out;
  }
}

TEST(CommandLine, TyposGetDidYouMean) {
  const RunResult command = run_bare({"chek"});
  EXPECT_EQ(command.exit_code, 3);
  EXPECT_EQ(command.err,
            "devops-monitor: invalid command line: unknown command \"chek\"; did you mean check? "
            "(see devops-monitor --help)\n");
  const RunResult flag = run_bare({"history", "--snce", "7d"});
  EXPECT_EQ(flag.exit_code, 3);
  EXPECT_EQ(flag.err,
            "devops-monitor: invalid command line: unknown flag --snce; did you mean --since? "
            "(see devops-monitor history --help)\n");
  const RunResult target = run_bare({"notify", "githb"});
  EXPECT_NE(target.err.find("unknown target \"githb\"; did you mean github?"), std::string::npos)
      << target.err;
  const RunResult far = run_bare({"--frobnicate"});
  EXPECT_EQ(far.err,
            "devops-monitor: invalid command line: unknown flag --frobnicate (see devops-monitor "
            "check --help)\n")
      << "no suggestion when nothing is close";
}

TEST(CommandLine, LeftoversAreNamedInTheOrderGiven) {
  const RunResult run = run_bare({"check", "first", "second"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("unexpected argument \"first\""), std::string::npos) << run.err;
  const RunResult misplaced = run_bare({"--json", "providers"});
  EXPECT_NE(misplaced.err.find("the command comes first: devops-monitor providers"),
            std::string::npos)
      << misplaced.err;
}

TEST(CommandLine, AUsageErrorUnderNagiosFormatStillPrintsThePluginLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check", "--format", "nagios", "--bogus"},
        {"--format=nagios", "--timeout", "10"},
        {"check", "--format", "nagios", "--timeout"}}) {
    const RunResult run = run_bare(args);
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_EQ(run.out.rfind("DEVOPS UNKNOWN - ", 0), 0u) << run.out;
    EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

TEST(CommandLine, ThresholdFlagsSetAllThreeResources) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 85});
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  EXPECT_EQ(world.check({"--check", "--no-save"}).exit_code, 1) << "85% is over the default 80";
  const RunResult relaxed = world.check({"--check", "--no-save", "-w", "90", "-c", "95"});
  EXPECT_EQ(relaxed.exit_code, 0) << relaxed.out << relaxed.err;
  const RunResult strict = world.check({"--check", "--json", "--no-save", "--critical", "84"});
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
  const nlohmann::json thresholds = stdout_json(strict)["system_health"]["thresholds"];
  EXPECT_EQ(thresholds["disk"]["critical"], 84.0) << thresholds.dump();
  EXPECT_EQ(thresholds["cpu"]["warning"], 80.0) << "the other level keeps its default";
  const RunResult crossed = world.check({"--check", "-w", "95", "-c", "90"});
  EXPECT_EQ(crossed.exit_code, 3);
  EXPECT_NE(crossed.err.find("cpu warning 95% must be below cpu critical 90%"), std::string::npos)
      << crossed.err;
  EXPECT_EQ(world.check({"--check", "-w", "101"}).exit_code, 3);
}

TEST(CommandLine, SevenDaysWorksWhereverTheDocumentationPromisesIt) {
  MonitorWorld world;
  world.write_config("[watch]\ninterval = \"7d\"\n[serve]\nkey_interval = \"7d\"\n");
  EXPECT_EQ(world.check({"--check", "--no-save"}).exit_code, 1) << "the config is accepted";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"watch", "--interval", "7d", "--no-save"},
        {"dashboard", "--simple", "--interval", "7d"},
        {"serve", "--listen", "127.0.0.1:0", "--key-interval", "7d", "--no-save"}}) {
    RunOptions options = world.run_options(args);
    options.timeout = milliseconds(20000);
    Process daemon(monitor_binary(), options);
    const std::string started = daemon.read_err_until(args[0] == "dashboard" ? "" : "every",
                                                      milliseconds(args[0] == "serve" ? 1 : 5000));
    std::this_thread::sleep_for(milliseconds(700));
    daemon.kill(SIGTERM);
    const RunResult run = daemon.wait();
    EXPECT_EQ(run.exit_code, 0) << args[0] << ": " << started << run.err;
    EXPECT_EQ((started + run.err).find("invalid duration"), std::string::npos) << run.err;
  }
  ASSERT_LE(world.check({"--check"}).exit_code, 2);
  const RunResult history = world.check({"history", "--since", "7d"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  const RunResult too_long = world.check({"watch", "--interval", "8d"});
  EXPECT_EQ(too_long.exit_code, 3);
  EXPECT_NE(too_long.err.find("\"8d\" is outside 1s to 7d (--interval)"), std::string::npos)
      << too_long.err;
}

TEST(CommandLine, ABareNumberIsRefusedNamingTheUnitsInFlagsConfigAndHistory) {
  MonitorWorld world;
  const RunResult flag = world.check({"--check", "--timeout", "10"});
  EXPECT_NE(flag.err.find("\"10\" has no unit; write a number and a unit (ms, s, m, h, d)"),
            std::string::npos)
      << flag.err;
  const RunResult history = world.check({"history", "--since", "10"});
  EXPECT_NE(history.err.find("(ms, s, m, h, d)"), std::string::npos) << history.err;
  world.write_config("timeout = 10\n");
  const RunResult config = world.check({"--check"});
  EXPECT_EQ(config.exit_code, 3);
  EXPECT_NE(config.err.find("ms, s, m, h, d"), std::string::npos) << config.err;
}

TEST(CommandLine, ReadersRefuseAMissingReportDirectoryWritersCreateTheirs) {
  MonitorWorld world;
  const std::string missing = (world.dir / "no-reports").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"history", "--report-dir", missing},
        {"prune", "--report-dir", missing},
        {"badge", "--report-dir", missing},
        {"report", "--html", (world.dir / "page.html").string(), "--report-dir", missing}}) {
    const RunResult run = world.check(args);
    EXPECT_EQ(run.exit_code, 3) << args[0];
    EXPECT_NE(run.err.find("no report directory"), std::string::npos) << args[0] << run.err;
    EXPECT_NE(run.err.find(missing), std::string::npos) << args[0] << run.err;
  }
  ASSERT_LE(world.check({"--check"}).exit_code, 2);
  const std::filesystem::path page = world.dir / "public" / "site" / "index.html";
  const RunResult report = world.check({"report", "--html", page.string()});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(page));
}

TEST(CommandLine, AWaitOfMoreThanASecondIsOneLineOnATerminalAndNothingElsewhere) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  world.set_key("google", "CANARY-google");
  world.answer("openai", {.delay = milliseconds(2500)});
  RunOptions options = world.run_options({"--check", "--no-save"});
  options.stderr_tty = true;
  const RunResult watched = run_monitor(options);
  EXPECT_LE(watched.exit_code, 2) << watched.err;
  EXPECT_NE(watched.err.find("devops-monitor: waiting for OpenAI (GPT-4)..."), std::string::npos)
      << watched.err;
  EXPECT_EQ(watched.err.find("Google"), std::string::npos) << "Google answered at once";
  EXPECT_EQ(std::count(watched.err.begin(), watched.err.end(), '\n'), 1) << watched.err;

  options.stderr_tty = false;
  const RunResult piped = run_monitor(options);
  EXPECT_EQ(piped.err, "") << "no progress line for a cron mail or a pipe";

  world.answer("openai", {});
  options.stderr_tty = true;
  const RunResult quick = run_monitor(options);
  EXPECT_EQ(quick.err.find("waiting for"), std::string::npos) << "nothing to say when all answer";
}

TEST(CommandLine, ServeListensOnEveryAddressForAPortAlone) {
  MonitorWorld world;
  RunOptions options = world.run_options({"serve", "--listen", ":0", "--no-save"});
  options.timeout = milliseconds(20000);
  Process serve(monitor_binary(), options);
  const std::regex line(R"(listening on :(\d+) \(every address\))");
  std::smatch match;
  std::string err = serve.read_err_until("address)", milliseconds(10000));
  ASSERT_TRUE(std::regex_search(err, match, line)) << err;
  const std::string port = match[1];
  for (const std::string host : {"127.0.0.1", "[::1]"}) {
    const HttpOutcome metrics = perform_request({.method = "GET",
                                                 .url = "http://" + host + ":" + port + "/metrics",
                                                 .timeout = milliseconds(5000)},
                                                {});
    EXPECT_EQ(metrics.http_status, 200) << host << " " << metrics.failure_detail;
  }
  serve.kill(SIGTERM);
  EXPECT_EQ(serve.wait().exit_code, 0);
}

}  // namespace
}  // namespace devops_monitor::testing
