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
  const RunOptions run = world.run_options(extra);
  PtyOptions options;
  options.args = run.args;
  options.args.insert(options.args.begin(), "dashboard");
  options.env = run.env;
  options.env["TERM"] = "xterm-256color";
  options.env["NO_COLOR"] = "1";
  options.cwd = run.cwd;
  options.columns = columns;
  options.rows = rows;
  return options;
}

/// The text of row `row` (1-based) in the last frame drawn that has it.
std::string last_row(const std::string& output, int row) {
  const std::string move = "\x1b[" + std::to_string(row) + ";1H";
  const std::size_t at = output.rfind(move);
  if (at == std::string::npos) return "";
  const std::size_t start = at + move.size();
  const std::size_t end = output.find("\x1b[", start);
  return output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

/// The whole last frame as text: rows 1..rows.
std::string last_frame(const std::string& output, int rows) {
  std::string frame;
  for (int row = 1; row <= rows; ++row) frame += last_row(output, row) + "\n";
  return frame;
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
      [](const std::string& out) { return last_frame(out, 24).find(" valid") != out.npos; },
      milliseconds(8000)))
      << dashboard.output();
  const std::string frame = last_frame(dashboard.output(), 24);
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
  for (int row = 1; row <= 24; ++row) {
    EXPECT_EQ(dashboard::columns(last_row(dashboard.output(), row)), 80u) << row << "\n" << frame;
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

TEST(Dashboard, RedrawsAtTheNewSizeOnResizeAndEndsOnSigterm) {
  MonitorWorld world;
  PtyProcess dashboard(monitor_binary(), dashboard_on_pty(world, {"--interval", "1s"}));
  ASSERT_TRUE(dashboard.read_until("\x1b[24;1H", milliseconds(5000))) << dashboard.output();
  EXPECT_EQ(dashboard.output().find("\x1b[25;1H"), std::string::npos);

  dashboard.resize(100, 30);
  ASSERT_TRUE(dashboard.read_until("\x1b[30;1H", milliseconds(3000))) << dashboard.output();
  for (int row = 1; row <= 30; ++row) {
    EXPECT_EQ(dashboard::columns(last_row(dashboard.output(), row)), 100u) << row;
  }
  dashboard.resize(60, 16);
  const std::size_t before = dashboard.output().size();
  ASSERT_TRUE(dashboard.read_until(
      [before](const std::string& out) {
        return out.find("\x1b[2J", before) != out.npos &&
               out.find("\x1b[16;1H", before) != out.npos;
      },
      milliseconds(3000)));
  const std::string after = dashboard.output().substr(dashboard.output().rfind("\x1b[2J"));
  EXPECT_EQ(after.find("\x1b[17;1H"), std::string::npos);
  EXPECT_EQ(dashboard::columns(last_row(after, 16)), 60u);

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
  ASSERT_TRUE(dashboard.read_until("q quit", milliseconds(5000))) << dashboard.output();
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
  ASSERT_TRUE(dashboard.read_until("checking now", milliseconds(5000))) << dashboard.output();
  const std::size_t first = frames_drawn(dashboard.output());
  // Three more frames, each a second apart, while the provider still has not answered.
  ASSERT_TRUE(dashboard.read_until(
      [first](const std::string& out) { return frames_drawn(out) >= first + 3; },
      milliseconds(3600)))
      << frames_drawn(dashboard.output());
  const std::string frame = last_frame(dashboard.output(), 24);
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
  world.set_key("anthropic", canary + "-anthropic");
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
  for (const std::string& text : {dashboard.output(), exit.err}) {
    EXPECT_EQ(text.find(canary.substr(8, 16)), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace devops_monitor::testing
