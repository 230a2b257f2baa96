// devops-monitor dashboard through the real binary on a pseudo-terminal: what it draws (exact
// CPU and memory from a fake procfs, keys judged by a fake provider), `q`, Ctrl-C and SIGTERM
// ending it with the terminal restored, a resize redrawn at the new size, a slow provider that
// does not stop the redraws, --simple and a non-terminal stdout as plain flushed text, and no
// key material anywhere.
#include <gtest/gtest.h>
#include <signal.h>
#include <termios.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dashboard/screen_text.hpp"
#include "devops_monitor/provider.hpp"
#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"
#include "support/pty_process.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kRestoreSequence = "\x1b[0m\x1b[?25h\x1b[?1049l";

/// The dashboard on a terminal of `columns` x `rows`, with the world's config, procfs,
/// report dir and disk. No colours (NO_COLOR), so what is drawn reads as text.
PtyOptions dashboard_on_pty(const MonitorWorld& world, std::vector<std::string> extra,
                            int columns = 80, int rows = 24) {
  extra.insert(extra.begin(), "dashboard");
  const RunOptions run = world.run_options(extra);
  PtyOptions options;
  options.args = run.args;
  options.env = run.env;
  options.env["TERM"] = "xterm-256color";
  options.env["NO_COLOR"] = "1";
  options.cwd = run.cwd;
  options.columns = columns;
  options.rows = rows;
  return options;
}

/// The last frame drawn completely on a `columns` x `rows` terminal (each row moved to, and
/// `columns` wide: no colours here), one line per row; empty when there is none yet. A frame
/// may arrive in several reads: one that is still coming is not complete.
std::string last_frame(const std::string& output, int rows, int columns) {
  const std::string first = "\x1b[1;1H";
  for (std::size_t start = output.rfind(first); start != std::string::npos;
       start = start == 0 ? std::string::npos : output.rfind(first, start - 1)) {
    std::string frame;
    std::size_t at = start;
    for (int row = 1; row <= rows; ++row) {
      const std::string move = "\x1b[" + std::to_string(row) + ";1H";
      if (output.compare(at, move.size(), move) != 0) break;
      const std::size_t begin = at + move.size();
      at = std::min(output.find("\x1b[", begin), output.size());
      const std::string line = output.substr(begin, at - begin);
      if (dashboard::columns(line) != static_cast<std::size_t>(columns)) break;
      frame += line + "\n";
      if (row == rows) return frame;
    }
  }
  return "";
}

bool frame_shows(const std::string& output, const std::string& text) {
  return last_frame(output, 24, 80).find(text) != std::string::npos;
}

std::size_t frames_drawn(const std::string& output) {
  std::size_t count = 0;
  for (std::size_t at = output.find("\x1b[1;1H"); at != std::string::npos;
       at = output.find("\x1b[1;1H", at + 1)) {
    ++count;
  }
  return count;
}

bool ends_restored(const std::string& output) {
  return output.size() >= kRestoreSequence.size() &&
         output.compare(output.size() - kRestoreSequence.size(), kRestoreSequence.size(),
                        kRestoreSequence) == 0;
}

TEST(Dashboard, DrawsEveryProviderAndExactFiguresAndQuitsOnQ) {
  MonitorWorld world({.cpu_percent = 25, .memory_percent = 40});
  world.set_key("openai", "test-key-openai-1");
  world.answer("openrouter", {.status = 401, .body = R"({"error":{"code":401}})"});
  world.set_key("openrouter", "test-key-openrouter-1");
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--interval", "1s"}));
  // Drawn once the first key round is in: the openai row says valid.
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) { return frame_shows(out, " valid"); }, milliseconds(8000)))
      << dashboard.output();
  // Every row of it is exactly 80 columns wide (last_frame checks).
  const std::string frame = last_frame(dashboard.output(), 24, 80);
  EXPECT_NE(frame.find("25.0%"), std::string::npos) << frame;
  EXPECT_NE(frame.find("40.0%"), std::string::npos) << frame;
  EXPECT_NE(frame.find("0.52 0.40 0.33"), std::string::npos) << frame;
  EXPECT_NE(frame.find("warn 80 crit 90"), std::string::npos) << frame;
  EXPECT_NE(frame.find("invalid"), std::string::npos) << frame;
  EXPECT_NE(frame.find("no key"), std::string::npos) << frame;
  for (const Provider& provider : builtin_providers()) {
    EXPECT_NE(frame.find(dashboard::cut(provider.name, 16, true)), std::string::npos)
        << provider.name << "\n"
        << frame;
  }
  // Entered the alternate screen with the cursor hidden and the terminal in cbreak mode.
  EXPECT_EQ(dashboard.output().rfind("\x1b[?1049h\x1b[?25l", 0), 0u);
  EXPECT_EQ(dashboard.local_flags() & (ICANON | ECHO), 0u);

  dashboard.type("q");
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_FALSE(exit.timed_out);
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_TRUE(ends_restored(dashboard.output())) << dashboard.output().substr(
      dashboard.output().size() - std::min<std::size_t>(200, dashboard.output().size()));
  EXPECT_EQ(dashboard.local_flags() & (ICANON | ECHO), static_cast<unsigned>(ICANON | ECHO));
  // A viewer: it keeps no report.
  EXPECT_TRUE(timestamped_reports(world.report_dir).empty());
}

TEST(Dashboard, SparklinesStartFromTheReportsAlreadyKept) {
  MonitorWorld world;
  world.set_key("openai", "test-key-openai-4");
  world.answer("openai", {.status = 401, .body = R"({"error":{"code":"invalid_api_key"}})"});
  for (int i = 0; i < 3; ++i) ASSERT_LE(world.check({"--check"}).exit_code, 2);
  world.answer("openai", {.body = provider_fixture("openai", "valid")});
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--interval", "1m"}));
  // The three kept checks (invalid), then this session's first (valid).
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) {
        const std::string frame = last_frame(out, 24, 80);
        const std::size_t at = frame.find("xxx");
        return at != std::string::npos && frame.compare(at + 3, 2, "\xe2\x96") == 0;  // a block
      },
      milliseconds(8000)))
      << last_frame(dashboard.output(), 24, 80);
  dashboard.type("q");
  EXPECT_EQ(dashboard.wait(milliseconds(3000)).exit_code, 0);
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 3u);
}

TEST(Dashboard, RedrawsAtTheNewSizeOnResizeAndEndsOnSigterm) {
  MonitorWorld world;
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--interval", "1s"}));
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) { return frame_shows(out, "q quit"); }, milliseconds(5000)))
      << dashboard.output();
  EXPECT_EQ(dashboard.output().find("\x1b[25;1H"), std::string::npos);

  // Larger: the screen is cleared (only a resize does that), then a frame of 30 rows of 100.
  std::size_t before = dashboard.output().size();
  dashboard.resize(100, 30);
  ASSERT_TRUE(dashboard.read_until(
      [before](const std::string& out) {
        const std::size_t clear = out.find("\x1b[2J", before);
        return clear != out.npos && !last_frame(out.substr(clear), 30, 100).empty();
      },
      milliseconds(3000)))
      << dashboard.output();
  // Smaller: cleared again, then 16 rows of 60.
  dashboard.resize(60, 16);
  before = dashboard.output().size();
  ASSERT_TRUE(dashboard.read_until(
      [before](const std::string& out) {
        const std::size_t clear = out.find("\x1b[2J", before);
        return clear != out.npos && !last_frame(out.substr(clear), 16, 60).empty();
      },
      milliseconds(3000)));
  const std::string after = dashboard.output().substr(dashboard.output().rfind("\x1b[2J"));
  EXPECT_EQ(after.find("\x1b[17;1H"), std::string::npos);

  const auto sent = std::chrono::steady_clock::now();
  dashboard.kill(SIGTERM);
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_LT(std::chrono::steady_clock::now() - sent, milliseconds(1500));
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_TRUE(ends_restored(dashboard.output()));
  EXPECT_EQ(dashboard.local_flags() & (ICANON | ECHO), static_cast<unsigned>(ICANON | ECHO));
}

TEST(Dashboard, CtrlCEndsItAndRestoresTheTerminal) {
  MonitorWorld world;
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {}));
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) { return frame_shows(out, "q quit"); }, milliseconds(5000)))
      << dashboard.output();
  dashboard.type("\x03");  // the line discipline makes it SIGINT
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_TRUE(ends_restored(dashboard.output()));
}

TEST(Dashboard, ASlowProviderDoesNotHoldTheScreen) {
  MonitorWorld world({.cpu_percent = 30});
  world.set_key("openai", "test-key-openai-2");
  world.answer("openai", {.delay = milliseconds(4000)});
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--interval", "1s"}));
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) { return frame_shows(out, "checking now"); }, milliseconds(5000)))
      << dashboard.output();
  const std::size_t first = frames_drawn(dashboard.output());
  // Three more frames, each a second apart, while the provider still has not answered.
  ASSERT_TRUE(dashboard.read_until(
      [first](const std::string& out) { return frames_drawn(out) >= first + 3; },
      milliseconds(3600)))
      << frames_drawn(dashboard.output());
  const std::string frame = last_frame(dashboard.output(), 24, 80);
  EXPECT_NE(frame.find("checking now"), std::string::npos) << frame;
  EXPECT_NE(frame.find("30.0%"), std::string::npos) << frame;
  dashboard.type("q");
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_TRUE(ends_restored(dashboard.output()));
}

TEST(Dashboard, SimpleOnATerminalIsPlainTextAfterEachRound) {
  MonitorWorld world({.cpu_percent = 25, .memory_percent = 40});
  world.set_key("openai", "test-key-openai-3");
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--simple", "--interval", "1s"}));
  const auto summaries = [](const std::string& out) {
    std::size_t count = 0;
    for (std::size_t at = out.find("devops-monitor dashboard:"); at != std::string::npos;
         at = out.find("devops-monitor dashboard:", at + 1)) {
      ++count;
    }
    return count;
  };
  ASSERT_TRUE(dashboard.read_until([&](const std::string& out) { return summaries(out) >= 3; },
                                   milliseconds(6000)))
      << dashboard.output();
  dashboard.kill(SIGTERM);
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_EQ(exit.exit_code, 0) << exit.err;
  EXPECT_EQ(dashboard.output().find('\x1b'), std::string::npos) << dashboard.output();
  EXPECT_NE(dashboard.output().find("CPU 25.0% healthy"), std::string::npos);
  EXPECT_NE(dashboard.output().find("OpenAI (GPT-4): valid"), std::string::npos)
      << dashboard.output();
}

TEST(Dashboard, StdoutThatIsNotATerminalGetsPlainFlushedText) {
  MonitorWorld world({.cpu_percent = 25});
  RunOptions options = world.run_options({"dashboard", "--interval", "1s"});
  options.env["TERM"] = "xterm";
  options.timeout = milliseconds(2500);  // then SIGKILL: only flushed output survives it
  const RunResult run = run_process(monitor_binary(), options);
  EXPECT_TRUE(run.timed_out);
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("CPU 25.0% healthy"), std::string::npos) << run.out << run.err;
  EXPECT_NE(run.out.find("API keys: checked"), std::string::npos) << run.out;
}

TEST(Dashboard, BadFlagsAndProcfsExitThreeWithOneLine) {
  MonitorWorld world;
  RunOptions options = world.run_options({"dashboard", "--interval", "0s"});
  RunResult run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("--interval"), std::string::npos) << run.err;
  options = world.run_options({"dashboard", "--procfs", (world.dir / "nothing").string()});
  run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("nothing"), std::string::npos) << run.err;
}

TEST(Dashboard, NoKeyMaterialReachesTheTerminal) {
  std::mt19937 rng(1010);
  const std::string canary = std::string("sk-") + "proj-" + random_chars(rng, kAlnum, 40);
  MonitorWorld world;
  world.set_key("openai", canary);
  world.set_key("anthropic", canary + "-2nd7Qw4Zr");
  // The provider echoes the key in its error, as some do.
  world.answer("anthropic", {.status = 401,
                             .body = R"({"type":"error","error":{"type":"authentication_error",)"
                                     R"("message":"invalid x-api-key )" +
                                     canary + R"("}})"});
  PtyOptions options = dashboard_on_pty(world, {"--interval", "1s"}, 200, 40);
  options.env.erase("NO_COLOR");
  PtyProcess dashboard(monitor_binary(), options);
  ASSERT_TRUE(dashboard.read_until(
      [](const std::string& out) { return out.find("invalid") != out.npos; }, milliseconds(8000)))
      << dashboard.output();
  dashboard.read_until("never", milliseconds(1200));  // a second round
  dashboard.type("q");
  const PtyExit exit = dashboard.wait(milliseconds(3000));
  EXPECT_EQ(exit.exit_code, 0);
  const std::vector<std::string> keys = {canary, canary + "-2nd7Qw4Zr"};
  expect_no_key_piece("the terminal", dashboard.output(), keys);
  expect_no_key_piece("stderr", exit.err, keys);
  expect_no_key_in_files(world.dir.path(), keys, {world.config_file});
}

}  // namespace
}  // namespace devops_monitor::testing
