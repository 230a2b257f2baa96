// Running actions for real: output captured, bounded and redacted, timeouts that end the
// whole process group, a clean signal mask in the child, cancellation when the daemon stops.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "watch/action_runner.hpp"

namespace devops_monitor::watch {
namespace {

ActionRun watch_shell_action(const std::string& script,
                             Milliseconds timeout = Milliseconds(10000)) {
  return ActionRun{.argv = {"/bin/sh", "-c", script},
                   .environment = {"PATH=/usr/bin:/bin"},
                   .timeout = timeout,
                   .secrets = {}};
}

TEST(WatchAction, OutputIsCapturedAndTheSecretRedacted) {
  // Built at run time: no key-shaped literal in the source.
  const std::string secret = "sk-" + std::string(24, 'Q') + "canary" + std::to_string(42);
  ActionRun run = watch_shell_action("echo \"key is $SECRET\"; echo oops >&2; exit 4");
  run.environment.push_back("SECRET=" + secret);
  run.secrets = {secret};
  const ActionOutcome outcome = run_action(run);
  EXPECT_EQ(outcome.end, ActionOutcome::End::exited);
  EXPECT_EQ(outcome.exit_code, 4);
  EXPECT_EQ(outcome.output.find(secret), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("[REDACTED]"), std::string::npos) << outcome.output;
  EXPECT_NE(outcome.output.find("oops"), std::string::npos) << outcome.output;
  EXPECT_NE(describe_outcome("on_warning", run, outcome).find("failed: exit status 4"),
            std::string::npos);
}

TEST(WatchAction, LongOutputIsCutAtTheCap) {
  const ActionOutcome outcome =
      run_action(watch_shell_action("head -c 200000 /dev/zero | tr '\\0' a; echo done"));
  EXPECT_EQ(outcome.end, ActionOutcome::End::exited);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(outcome.output.size(), kActionOutputCap);
  EXPECT_TRUE(outcome.output_truncated);
}

TEST(WatchAction, ATimeoutEndsTheWholeProcessGroup) {
  // The background sleep keeps the pipe open: only killing the group ends the wait.
  const auto start = std::chrono::steady_clock::now();
  const ActionOutcome outcome =
      run_action(watch_shell_action("sleep 60 & sleep 60", Milliseconds(500)));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(outcome.end, ActionOutcome::End::timed_out);
  EXPECT_LT(took, std::chrono::milliseconds(3000));
}

TEST(WatchAction, TheChildGetsAnEmptySignalMaskAndDefaultHandlers) {
  // As in the daemon: the signals blocked in this thread, and SIGPIPE ignored.
  sigset_t daemon_set;
  sigemptyset(&daemon_set);
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&daemon_set, signal);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &daemon_set, &old_mask);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_pipe {};
  sigaction(SIGPIPE, &ignore, &old_pipe);
  const ActionOutcome outcome =
      run_action(watch_shell_action("grep -E '^(SigBlk|SigIgn)' /proc/self/status"));
  sigaction(SIGPIPE, &old_pipe, nullptr);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  EXPECT_NE(outcome.output.find("SigBlk: 0000000000000000"), std::string::npos) << outcome.output;
  // SIGPIPE is signal 13: bit 0x1000 of SigIgn.
  const std::size_t ign = outcome.output.find("SigIgn:");
  ASSERT_NE(ign, std::string::npos) << outcome.output;
  const unsigned long long ignored = std::stoull(outcome.output.substr(ign + 7), nullptr, 16);
  EXPECT_EQ(ignored & (1ULL << (SIGPIPE - 1)), 0u) << outcome.output;
}

TEST(WatchAction, CancelStopsARunningActionQuickly) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  const ActionOutcome outcome = run_action(watch_shell_action("sleep 60"), &cancel);
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  EXPECT_EQ(outcome.end, ActionOutcome::End::signaled);
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST(WatchAction, AMissingProgramIsNamed) {
  const ActionRun run{.argv = {"devops-monitor-no-such-program"},
                      .environment = {},
                      .timeout = Milliseconds(1000),
                      .secrets = {}};
  const ActionOutcome outcome = run_action(run);
  EXPECT_EQ(outcome.end, ActionOutcome::End::not_started);
  EXPECT_EQ(describe_outcome("on_critical", run, outcome),
            "action on_critical could not start: No such file or directory "
            "(devops-monitor-no-such-program)");
}

}  // namespace
}  // namespace devops_monitor::watch
