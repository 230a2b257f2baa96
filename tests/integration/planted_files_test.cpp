// Files nobody named, planted where the tool looks: a FIFO, a symlink to /dev/zero or an
// oversized file in the report directory, a ./.env in the working directory (a checkout). Each
// is skipped with one warning naming it, and check, serve and watch go on; none may hang a run,
// flood its memory, or move a secret. Every run has a hard time limit, so a regression fails
// the test instead of hanging the suite.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Far above what a check needs (about 1 s, a few under sanitizers), far below a hang.
constexpr milliseconds kPlantedCheckLimit{10000};
// A check's own peak is tens of MiB (about 85 MiB under ASan); reading /dev/zero passed 1 GiB.
constexpr long kPlantedRssLimitKib = 200 * 1024;

std::size_t planted_count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

/// The world's report directory, made now with mode 0755 whatever the umask.
std::filesystem::path planted_report_dir(const MonitorWorld& world) {
  std::filesystem::create_directories(world.report_dir);
  std::filesystem::permissions(world.report_dir, std::filesystem::perms(0755));
  return world.report_dir;
}

/// A check that must finish on its own, well within the limit, and print its result.
RunResult planted_check(MonitorWorld& world, const std::vector<std::string>& args) {
  world.run_timeout = kPlantedCheckLimit + seconds(10);
  RunResult run = world.check(args);
  EXPECT_FALSE(run.timed_out) << "the check hung\n" << run.err;
  EXPECT_LT(run.elapsed, kPlantedCheckLimit) << run.err;
  return run;
}

/// planted_check, with the binary's own peak resident memory in `peak_kib`, from GNU time (a
/// test dependency): the ru_maxrss wait4 gives for a child of this process starts at what this
/// process had resident when it forked, hundreds of MiB late in a sanitized suite. `timeout`
/// kills a binary that reads forever before the run's own limit would kill only its parent.
RunResult planted_check_measured(MonitorWorld& world, const std::vector<std::string>& args,
                                 long& peak_kib) {
  const std::filesystem::path peak_file = world.dir / "peak_rss_kib.txt";
  world.command_prefix = {
      "/usr/bin/time",
      "-o",
      peak_file.string(),
      "-f",
      "%M",
      "/usr/bin/timeout",
      "-s",
      "KILL",
      std::to_string(std::chrono::duration_cast<seconds>(kPlantedCheckLimit).count())};
  RunResult run = planted_check(world, args);
  world.command_prefix.clear();
  // The last line is %M; "Command exited with non-zero status N" may come before it.
  std::string text = read_text(peak_file);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  peak_kib = std::stol(text.substr(text.rfind('\n') + 1));
  return run;
}

/// A check that went on: its result on stdout and the health as exit status.
void expect_result_printed(const RunResult& run) {
  EXPECT_GE(run.exit_code, 0) << run.err;
  EXPECT_LE(run.exit_code, 2) << run.err;
  EXPECT_TRUE(stdout_json(run).contains("status")) << run.out;
}

// ---- the report directory -------------------------------------------------------------

TEST(PlantedFiles, AFifoKeyHistoryIsSkippedWithOneWarningAndTheCheckFinishes) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-planted-fifo-openai");
  const std::filesystem::path history = planted_report_dir(world) / "key_history.json";
  ASSERT_EQ(::mkfifo(history.c_str(), 0644), 0);
  const RunResult run = planted_check(world, {"--check", "--json"});
  expect_result_printed(run);
  EXPECT_EQ(planted_count(run.err,
                          "devops-monitor: warning: cannot read key history: it is a "
                          "FIFO, not a regular file; starting afresh (" +
                              history.string() + ")\n"),
            1u)
      << run.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(history)) << "the check wrote a history anew";
}

TEST(PlantedFiles, AKeyHistoryLinkedToDevZeroIsRefusedQuicklyInLittleMemory) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-planted-zero-openai");
  const std::filesystem::path history = planted_report_dir(world) / "key_history.json";
  std::filesystem::create_symlink("/dev/zero", history);
  long peak_kib = 0;
  const RunResult run = planted_check_measured(world, {"--check", "--json"}, peak_kib);
  expect_result_printed(run);
  EXPECT_LT(peak_kib, kPlantedRssLimitKib);
  EXPECT_EQ(planted_count(run.err,
                          "devops-monitor: warning: cannot read key history: it is a "
                          "symbolic link, which is not followed here; starting afresh (" +
                              history.string() + ")\n"),
            1u)
      << run.err;
  EXPECT_FALSE(std::filesystem::is_symlink(history)) << "replaced by the check's own history";
}

/// A valid report (the world's own latest_report.json) padded with blanks past `size`.
std::string planted_big_report(MonitorWorld& world, std::size_t size) {
  const RunResult made = world.check({"--check", "--json"});
  EXPECT_LE(made.exit_code, 2) << made.err;
  std::string text = read_text(world.report_dir / "latest_report.json");
  text.append(size + 1 - text.size(), ' ');
  return text;
}

TEST(PlantedFiles, AnOversizedLatestReportIsSkippedByTheBadgeAndServesPage) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-planted-big-openai");
  const std::filesystem::path latest = planted_report_dir(world) / "latest_report.json";
  write_text(latest, planted_big_report(world, 4 * 1024 * 1024));
  const std::string refused =
      "cannot read report: it is larger than 4 MiB, the cap for a report (" + latest.string() + ")";

  const RunResult badge = world.check({"badge"});
  EXPECT_EQ(badge.exit_code, 0) << badge.err;
  EXPECT_NE(badge.out.find("unknown"), std::string::npos) << badge.out;
  EXPECT_EQ(badge.err, "devops-monitor: warning: " + refused + "\n");

  RunOptions options = world.run_options({"serve", "--listen", "127.0.0.1:0", "--no-save"});
  options.timeout = seconds(20);
  Process serve(monitor_binary(), options);
  const std::string err = serve.read_err_until("listening on", seconds(15));
  EXPECT_NE(err.find("devops-monitor: status page: latest report not shown: " + refused + "\n"),
            std::string::npos)
      << err;
  serve.kill(SIGTERM);
  EXPECT_EQ(serve.wait().exit_code, 0);
}

TEST(PlantedFiles, AnOversizedReportIsSkippedByHistoryWithAWarning) {
  MonitorWorld world;
  const std::filesystem::path dir = planted_report_dir(world);
  const std::string big = planted_big_report(world, 4 * 1024 * 1024);
  const std::filesystem::path report = timestamped_reports(dir).at(0);
  write_text(report, big);
  const RunResult history = world.check({"history", "--json"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(history.err, "devops-monitor: skipped " + report.string() +
                             ": it is larger than 4 MiB, the cap for a report\n");
}

TEST(PlantedFiles, AGroupWritableReportDirectoryIsOneWarningPerRun) {
  MonitorWorld world;
  const std::filesystem::path dir = planted_report_dir(world);
  std::filesystem::permissions(dir, std::filesystem::perms(0775));
  const std::string warning =
      "warning: report directory writable by others: it is group-writable (mode 0775): whoever "
      "can write there can plant the files checks read back (latest_report.json, "
      "key_history.json); chmod go-w it (" +
      dir.string() + ")\n";
  const RunResult check = planted_check(world, {"--check", "--json"});
  expect_result_printed(check);
  EXPECT_EQ(planted_count(check.err, "devops-monitor: " + warning), 1u) << check.err;

  // A daemon says it once, not every round.
  RunOptions options = world.run_options({"watch", "--interval", "1s"});
  options.timeout = seconds(30);
  Process watch(monitor_binary(), options);
  const auto until = std::chrono::steady_clock::now() + seconds(20);
  while (planted_count(watch.read_err_until("\n(never)", milliseconds(100)),
                       "devops-monitor: check ") < 2 &&
         std::chrono::steady_clock::now() < until) {
  }
  watch.kill(SIGTERM);
  const RunResult stopped = watch.wait();
  EXPECT_GE(planted_count(stopped.err, "devops-monitor: check "), 2u) << stopped.err;
  EXPECT_EQ(planted_count(stopped.err, warning), 1u) << stopped.err;
}

// ---- serve and watch take signals at any moment --------------------------------------

/// Starts `args` (serve or watch) with a FIFO as latest_report.json, sends SIGTERM 300 ms
/// later (or once stderr shows `started`, when not empty), and expects exit 0 within a second.
RunResult planted_daemon_stops(MonitorWorld& world, const std::vector<std::string>& args,
                               const std::string& started) {
  const std::filesystem::path latest = planted_report_dir(world) / "latest_report.json";
  if (!std::filesystem::exists(latest)) {
    EXPECT_EQ(::mkfifo(latest.c_str(), 0644), 0);
  }
  RunOptions options = world.run_options(args);
  options.timeout = seconds(10);  // a daemon that ignores SIGTERM is killed then
  Process daemon(monitor_binary(), options);
  if (started.empty()) {
    std::this_thread::sleep_for(milliseconds(300));
  } else {
    const std::string err = daemon.read_err_until(started, seconds(8));
    EXPECT_NE(err.find(started), std::string::npos) << "did not start\n" << err;
  }
  const auto sent = std::chrono::steady_clock::now();
  daemon.kill(SIGTERM);
  RunResult stopped = daemon.wait();
  const auto took = std::chrono::steady_clock::now() - sent;
  EXPECT_LT(took, milliseconds(1000)) << stopped.err;
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  return stopped;
}

TEST(PlantedFiles, ServeWithAFifoLatestReportStartsAndStopsWithinASecond) {
  MonitorWorld world;
  const std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:0", "--no-save"};
  planted_daemon_stops(world, args, "");
  const RunResult started = planted_daemon_stops(world, args, "listening on");
  EXPECT_NE(started.err.find("status page: latest report not shown: cannot read report: it is a "
                             "FIFO, not a regular file (" +
                             (world.report_dir / "latest_report.json").string() + ")"),
            std::string::npos)
      << started.err;
}

TEST(PlantedFiles, WatchWithAFifoLatestReportStartsAndStopsWithinASecond) {
  MonitorWorld world;
  const std::vector<std::string> args = {"watch", "--interval", "1h", "--no-save"};
  planted_daemon_stops(world, args, "");
  const RunResult started = planted_daemon_stops(world, args, "watching every");
  EXPECT_NE(started.err.find("previous report ignored: cannot read report: it is a FIFO, not a "
                             "regular file (" +
                             (world.report_dir / "latest_report.json").string() + ")"),
            std::string::npos)
      << started.err;
}

// ---- ./.env ------------------------------------------------------------------------

TEST(PlantedFiles, ADotEnvLinkedToDevZeroIsSkippedQuicklyInLittleMemory) {
  MonitorWorld world;
  std::filesystem::create_symlink("/dev/zero", world.dir / ".env");
  long peak_kib = 0;
  const RunResult run = planted_check_measured(world, {"--check", "--json"}, peak_kib);
  expect_result_printed(run);
  EXPECT_LT(peak_kib, kPlantedRssLimitKib);
  EXPECT_EQ(run.err,
            "devops-monitor: warning: ignoring env file: it is a symbolic link, which is not "
            "followed here; keys come from the environment only (.env)\n");
}

TEST(PlantedFiles, ANamedEnvFileThatIsNotARegularFileIsExitThreeAtOnce) {
  MonitorWorld world;
  std::filesystem::create_symlink("/dev/zero", world.dir / "zero.env");
  long peak_kib = 0;
  RunResult run = planted_check_measured(
      world, {"--check", "--env-file", (world.dir / "zero.env").string()}, peak_kib);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_LT(peak_kib, kPlantedRssLimitKib);
  EXPECT_EQ(run.err,
            "devops-monitor: cannot read env file: it is a character device, not a "
            "regular file (" +
                (world.dir / "zero.env").string() + ")\n");
  ASSERT_EQ(::mkfifo((world.dir / "fifo.env").c_str(), 0600), 0);
  run = planted_check(world, {"--check", "--env-file", (world.dir / "fifo.env").string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("it is a FIFO, not a regular file"), std::string::npos) << run.err;
}

TEST(PlantedFiles, AnUnnamedDotEnvCannotHandAnotherKeyToAProvider) {
  // OPENAI_API_KEY=${SENDGRID_API_KEY} in a checkout's ./.env would send the SendGrid key of the
  // CI job's environment to OpenAI (here the fake, which records every Authorization header).
  MonitorWorld world;
  const std::string canary = "SG.CANARYsendgrid7Hq2Lm9Vx4Rt6Zp1Wc3Yb8Nd5";
  world.env["SENDGRID_API_KEY"] = canary;
  write_text(world.dir / ".env", "OPENAI_API_KEY=${SENDGRID_API_KEY}\n");
  const RunResult run = planted_check(world, {"--check", "--json"});
  expect_result_printed(run);
  for (const RecordedRequest& request : world.server.requests()) {
    for (const auto& [name, value] : request.headers) {
      EXPECT_EQ(value.find("CANARY"), std::string::npos) << request.path << " " << name;
    }
  }
  EXPECT_EQ(world.server.request_count(world.route("openai")), 0u) << "OpenAI's key is missing";
  EXPECT_EQ(run.out.find("CANARY"), std::string::npos);
  EXPECT_EQ(run.err.find("CANARY"), std::string::npos) << run.err;
  for (const std::filesystem::path& report : timestamped_reports(world.report_dir)) {
    EXPECT_EQ(read_text(report).find("CANARY"), std::string::npos) << report;
  }
  EXPECT_EQ(run.err,
            "devops-monitor: warning: not expanding ${SENDGRID_API_KEY} from the environment: a "
            ".env file that was not named (--env-file or env_file) sees only its own earlier "
            "entries; it gets its :-default or nothing (.env:1)\n");
}

}  // namespace
}  // namespace devops_monitor::testing
