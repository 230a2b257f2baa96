// Nothing the tool starts outlives it or is left a zombie: disk probes are reaped also when the
// tool is PID 1 of a container (a PID namespace, made here with unshare), and an action that
// times out ends with its whole tree, also what it put in a session of its own or handed to
// init; actions get a minimal environment, without the daemon's secrets.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/monitor_world.hpp"
#include "support/private_mounts.hpp"
#include "watch/action_runner.hpp"
#include "watch/process_table.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// Why PID namespaces cannot be made here, or nullopt. The tests that need one fail with this
/// rather than skip: CI runs as root, and a test that skipped quietly would prove nothing.
std::optional<std::string> children_pid_namespace_problem() {
  RunOptions options;
  options.args = {"--pid", "--fork", "--mount-proc", "/bin/true"};
  options.env = {{"PATH", "/usr/sbin:/usr/bin:/sbin:/bin"}};
  options.timeout = std::chrono::seconds(10);
  const RunResult run = run_process("/usr/bin/unshare", options);
  if (run.exit_code == 0) return std::nullopt;
  return "`unshare --pid --fork --mount-proc` is not permitted here (it needs root with "
         "CAP_SYS_ADMIN, as in CI): " +
         run.err;
}

/// The text of /proc/<pid>/<name>, empty when gone.
std::string children_proc_text(pid_t pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Processes whose command line holds `marker` (a number no other process uses).
std::vector<pid_t> children_with_marker(const std::string& marker) {
  std::vector<pid_t> found;
  for (const watch::ProcessEntry& process : watch::process_table()) {
    std::string cmdline = children_proc_text(process.pid, "cmdline");
    if (process.state != 'Z' && cmdline.find(marker) != std::string::npos) {
      found.push_back(process.pid);
    }
  }
  return found;
}

/// Waits until no process holds `marker`, at most `limit`; what is left (then killed, so a
/// failing run leaves nothing behind either).
std::vector<pid_t> children_left_after(const std::string& marker, milliseconds limit) {
  const auto until = steady_clock::now() + limit;
  std::vector<pid_t> left = children_with_marker(marker);
  while (!left.empty() && steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(50));
    left = children_with_marker(marker);
  }
  for (pid_t pid : left) ::kill(pid, SIGKILL);
  return left;
}

/// The first child of `parent`, waiting for it at most 10 s; -1 when none came.
pid_t children_first_child_of(pid_t parent) {
  const auto until = steady_clock::now() + std::chrono::seconds(10);
  while (steady_clock::now() < until) {
    for (const watch::ProcessEntry& process : watch::process_table()) {
      if (process.parent == parent) return process.pid;
    }
    std::this_thread::sleep_for(milliseconds(20));
  }
  return -1;
}

/// The zombies among the processes `of` picks, now.
std::set<pid_t> children_zombies(const std::function<bool(const watch::ProcessEntry&)>& of) {
  std::set<pid_t> zombies;
  for (const watch::ProcessEntry& process : watch::process_table()) {
    if (process.state == 'Z' && of(process)) zombies.insert(process.pid);
  }
  return zombies;
}

/// Zombies that stay: seen twice, 300 ms apart. A probe that has just answered is a zombie for
/// the moment before it is reaped; one nobody reaps is a zombie for good.
std::vector<std::string> children_lasting_zombies(
    const std::function<bool(const watch::ProcessEntry&)>& of) {
  const std::set<pid_t> first = children_zombies(of);
  std::this_thread::sleep_for(milliseconds(300));
  std::vector<std::string> lasting;
  for (pid_t pid : children_zombies(of)) {
    if (first.count(pid) != 0) lasting.push_back(std::to_string(pid));
  }
  return lasting;
}

/// "pid (name)" of every zombie that stays in the PID namespace of `pid`.
std::vector<std::string> children_zombies_in_namespace_of(pid_t pid) {
  const std::string ns = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/ns/pid");
  return children_lasting_zombies([&ns](const watch::ProcessEntry& process) {
    std::error_code ec;
    const std::filesystem::path link = "/proc/" + std::to_string(process.pid) + "/ns/pid";
    return std::filesystem::read_symlink(link, ec).string() == ns;
  });
}

std::string children_join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += item + " ";
  return out;
}

TEST(Children, ServeAsPidOneOfAContainerLeavesNoZombies) {
  const std::optional<std::string> problem = children_pid_namespace_problem();
  ASSERT_FALSE(problem) << *problem;
  MonitorWorld world;
  const std::filesystem::path second = world.dir / "second-disk";
  std::filesystem::create_directories(second);
  RunOptions options =
      world.run_options({"serve", "--listen", "127.0.0.1:0", "--disk", world.dir.path().string(),
                         "--disk", second.string(), "--timeout", "5s"});
  // serve is PID 1 of its namespace, as in a container: whatever it leaves unreaped stays.
  options.args.insert(options.args.begin(),
                      {"--pid", "--fork", "--mount-proc", "--kill-child", monitor_binary()});
  options.timeout = milliseconds(30000);
  Process unshare("/usr/bin/unshare", options);
  const std::string err = unshare.read_err_until("listening on", milliseconds(15000));
  ASSERT_NE(err.find("listening on"), std::string::npos) << err;
  const pid_t serve = children_first_child_of(unshare.pid());
  ASSERT_GT(serve, 0) << "serve did not start under unshare";
  const std::string status = children_proc_text(serve, "status");
  ASSERT_NE(status.find("\nNSpid:\t" + std::to_string(serve) + "\t1\n"), std::string::npos)
      << "serve is not PID 1 of its namespace:\n"
      << status;
  // Two disks a second, measured each in a process of its own: five seconds make ten.
  std::this_thread::sleep_for(std::chrono::seconds(5));
  const std::vector<std::string> zombies = children_zombies_in_namespace_of(serve);
  EXPECT_TRUE(zombies.empty()) << zombies.size() << " zombies: " << children_join(zombies);
  ::kill(serve, SIGTERM);  // unshare itself ignores SIGTERM while it waits
  const RunResult run = unshare.wait();
  EXPECT_FALSE(run.timed_out) << run.err;
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST(Children, AStuckProbeIsReapedWhenItFinallyReturns) {
  if (const auto why = private_mounts_unavailable()) GTEST_SKIP() << *why;
  MonitorWorld world;
  const std::filesystem::path stuck = world.dir / "stuck";
  std::filesystem::create_directories(stuck);
  RunOptions options = world.run_options({"serve", "--listen", "127.0.0.1:0", "--mount-timeout",
                                          "200ms", "--disk", stuck.string(), "--timeout", "5s"});
  options.env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
  const std::vector<std::string> prefix = on_stuck_mount(stuck);
  options.args.insert(options.args.begin(), monitor_binary());
  options.args.insert(options.args.begin(), prefix.begin() + 1, prefix.end());
  options.timeout = milliseconds(30000);
  Process wrapped(prefix.front(), options);
  const std::string err = wrapped.read_err_until("listening on", milliseconds(15000));
  ASSERT_NE(err.find("listening on"), std::string::npos) << err;
  // The file system daemon and serve are children of the wrapping shell.
  pid_t serve = -1;
  pid_t file_system = -1;
  const pid_t shell = wrapped.pid();  // unshare without --fork becomes the shell
  for (const watch::ProcessEntry& process : watch::process_table()) {
    if (process.parent != shell) continue;
    const std::string comm = children_proc_text(process.pid, "comm");
    if (comm.starts_with("stuck_fs")) file_system = process.pid;
    if (comm.starts_with("devops-monitor")) serve = process.pid;
  }
  ASSERT_GT(serve, 0);
  ASSERT_GT(file_system, 0);
  std::this_thread::sleep_for(milliseconds(1500));
  std::size_t probes = 0;
  for (const watch::ProcessEntry& process : watch::process_table()) {
    if (process.parent == serve && process.state != 'Z') ++probes;
  }
  EXPECT_EQ(probes, 1u) << "one probe, stuck in the mount and not started again each second";
  // The file system dies: the stuck statfs returns (ENOTCONN) and its probe exits.
  ::kill(file_system, SIGKILL);
  std::this_thread::sleep_for(milliseconds(2500));  // a few more samples: each reaps
  const std::vector<std::string> zombies = children_lasting_zombies(
      [serve](const watch::ProcessEntry& process) { return process.parent == serve; });
  EXPECT_TRUE(zombies.empty()) << "zombie children of serve: " << children_join(zombies);
  wrapped.kill(SIGKILL);
  ::kill(serve, SIGKILL);
}

/// A number no other process has on its command line, for `sleep`.
std::string children_marker(int base) {
  return std::to_string(base) + "." + std::to_string(::getpid() % 100000);
}

/// An action that leaves a sleeper in a session of its own (setsid) and one more that it
/// handed to init by forking twice, then waits.
std::string children_escaping_script(const std::string& first, const std::string& second) {
  return "setsid sleep " + first + " & (setsid sleep " + second + " &); sleep 60";
}

TEST(Children, AWatchActionThatTimesOutEndsWithItsWholeTree) {
  MonitorWorld world(ProcfsValues{.memory_percent = 95.0});
  const std::string first = children_marker(301);
  const std::string second = children_marker(302);
  world.write_config("[actions]\ntimeout = \"1s\"\non_critical = [\"/bin/sh\", \"-c\", \"" +
                     children_escaping_script(first, second) + "\"]\n");
  const std::filesystem::path log = world.dir / "watch.log";
  RunOptions options =
      world.run_options({"watch", "--interval", "1h", "--confirm", "1", "--no-save"});
  options.args.insert(options.args.begin(),
                      {"-c", "exec \"$0\" \"$@\" 2>>" + log.string(), monitor_binary()});
  options.timeout = std::chrono::seconds(60);
  Process watch("/bin/sh", options);
  const auto until = steady_clock::now() + std::chrono::seconds(20);
  std::string text;
  while (text.find("timed out") == std::string::npos && steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(50));
    std::error_code ec;
    if (std::filesystem::exists(log, ec)) text = read_text(log);
  }
  ASSERT_NE(text.find("action on_critical (/bin/sh) timed out after 1.0s"), std::string::npos)
      << text;
  // The log line comes once the tree is gone; a moment more for a slow machine.
  const std::vector<pid_t> left_first = children_left_after(first, milliseconds(500));
  const std::vector<pid_t> left_second = children_left_after(second, milliseconds(500));
  watch.kill(SIGTERM);
  const RunResult run = watch.wait();
  EXPECT_TRUE(left_first.empty()) << "the setsid sleep outlived the action's timeout";
  EXPECT_TRUE(left_second.empty()) << "the double-forked sleep outlived the action's timeout";
  EXPECT_EQ(run.exit_code, 0) << read_text(log);
}

TEST(Children, AWatchActionGetsNoSecretOfTheDaemonUnlessPassed) {
  MonitorWorld world(ProcfsValues{.memory_percent = 95.0});
  // Canaries built at run time (never committed as key-shaped literals).
  const std::string github_token = "gh" + std::string("p_") + std::string(30, 'G') + "canary";
  const std::string aws_secret = "aws" + std::string(30, 'S') + "canary";
  world.env["GITHUB_TOKEN"] = github_token;
  world.env["AWS_SECRET_ACCESS_KEY"] = aws_secret;
  world.env["PAGER_ROUTING_KEY"] = "pager-value";
  world.env["HOME"] = world.dir.path().string();
  world.env["LANG"] = "C.UTF-8";
  const std::filesystem::path script = world.dir / "record.sh";
  write_text(script, "#!/bin/sh\nenv > \"$0.env\"\necho recorded\n");
  ::chmod(script.c_str(), 0700);

  const std::filesystem::path log = world.dir / "watch.log";
  auto run_watch = [&](const std::string& pass_env) {
    std::error_code ec;
    std::filesystem::remove(script.string() + ".env", ec);
    std::filesystem::remove(log, ec);
    world.write_config("[actions]\non_critical = [\"" + script.string() + "\"]\n" + pass_env);
    RunOptions options =
        world.run_options({"watch", "--interval", "1h", "--confirm", "1", "--no-save"});
    options.args.insert(options.args.begin(),
                        {"-c", "exec \"$0\" \"$@\" 2>>" + log.string(), monitor_binary()});
    options.timeout = std::chrono::seconds(60);
    Process watch("/bin/sh", options);
    const auto until = steady_clock::now() + std::chrono::seconds(20);
    while (steady_clock::now() < until &&
           (!std::filesystem::exists(log, ec) ||
            read_text(log).find("action on_critical") == std::string::npos)) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    watch.kill(SIGTERM);
    watch.wait();
    return std::filesystem::exists(script.string() + ".env", ec)
               ? read_text(script.string() + ".env")
               : "no environment recorded; log: " + read_text(log);
  };

  const std::string minimal = run_watch("");
  EXPECT_EQ(minimal.find(github_token), std::string::npos) << "GITHUB_TOKEN reached the action";
  EXPECT_EQ(minimal.find(aws_secret), std::string::npos) << "AWS_SECRET_ACCESS_KEY did";
  EXPECT_EQ(minimal.find("PAGER_ROUTING_KEY="), std::string::npos) << minimal;
  EXPECT_NE(minimal.find("\nHOME=" + world.dir.path().string() + "\n"), std::string::npos)
      << minimal;
  EXPECT_NE(minimal.find("LANG=C.UTF-8\n"), std::string::npos) << minimal;
  EXPECT_NE(minimal.find("PATH="), std::string::npos) << minimal;
  EXPECT_NE(minimal.find("DEVOPS_MONITOR_EVENT=critical\n"), std::string::npos) << minimal;

  const std::string passed = run_watch("pass_env = [\"PAGER_ROUTING_KEY\", \"GITHUB_TOKEN\"]\n");
  EXPECT_NE(passed.find("PAGER_ROUTING_KEY=pager-value\n"), std::string::npos) << passed;
  EXPECT_NE(passed.find("GITHUB_TOKEN=" + github_token + "\n"), std::string::npos) << passed;
  EXPECT_EQ(passed.find(aws_secret), std::string::npos) << "AWS_SECRET_ACCESS_KEY was not passed";
}

/// The zombie children of this (test) process that stay.
std::vector<std::string> children_own_zombies() {
  return children_lasting_zombies(
      [](const watch::ProcessEntry& process) { return process.parent == ::getpid(); });
}

watch::ActionRun children_action(const std::string& script, Milliseconds timeout,
                                 bool allow_cgroup) {
  return watch::ActionRun{.argv = {"/bin/sh", "-c", script},
                          .environment = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
                          .timeout = timeout,
                          .secrets = {},
                          .allow_cgroup = allow_cgroup};
}

/// Whether this machine has a cgroup v2 hierarchy mounted (the cgroup way is then expected).
bool children_cgroup2_mounted() {
  std::ifstream mounts("/proc/self/mountinfo");
  for (std::string line; std::getline(mounts, line);) {
    if (line.find(" - cgroup2 ") != std::string::npos) return true;
  }
  return false;
}

void children_expect_tree_ended(bool allow_cgroup) {
  const std::string first = children_marker(allow_cgroup ? 303 : 305);
  const std::string second = children_marker(allow_cgroup ? 304 : 306);
  const watch::ActionOutcome outcome = watch::run_action(
      children_action(children_escaping_script(first, second), Milliseconds(1000), allow_cgroup));
  EXPECT_EQ(outcome.end, watch::ActionOutcome::End::timed_out);
  EXPECT_FALSE(outcome.tree_left);
  EXPECT_TRUE(children_left_after(first, milliseconds(0)).empty()) << "the setsid sleep is left";
  EXPECT_TRUE(children_left_after(second, milliseconds(0)).empty()) << "the orphan is left";
  const std::vector<std::string> zombies = children_own_zombies();
  EXPECT_TRUE(zombies.empty()) << "zombies: " << children_join(zombies);
}

TEST(Children, ATimedOutActionsTreeEndsTheWayThisMachineAllows) {
  const watch::ActionOutcome probe =
      watch::run_action(children_action("exit 0", Milliseconds(1000), true));
  const watch::Containment expected =
      children_cgroup2_mounted() ? watch::Containment::cgroup : watch::Containment::subreaper;
  EXPECT_EQ(probe.containment, expected) << "this machine's way: " << to_string(expected);
  std::printf("actions are contained by: %s\n", std::string(to_string(probe.containment)).c_str());
  children_expect_tree_ended(true);
}

TEST(Children, ATimedOutActionsTreeEndsAsASubreaperToo) {
  children_expect_tree_ended(false);
}

TEST(Children, WhatAFinishedActionLeftRunningEndsWithIt) {
  for (const bool allow_cgroup : {true, false}) {
    const std::string daemon = children_marker(allow_cgroup ? 307 : 308);
    const watch::ActionOutcome outcome = watch::run_action(
        children_action("(setsid sleep " + daemon + " > /dev/null 2>&1 &); exit 0",
                        Milliseconds(5000), allow_cgroup));
    EXPECT_EQ(outcome.end, watch::ActionOutcome::End::exited);
    EXPECT_EQ(outcome.exit_code, 0);
    EXPECT_TRUE(children_left_after(daemon, milliseconds(0)).empty())
        << to_string(outcome.containment) << ": the daemonized sleep outlived its action";
    EXPECT_TRUE(children_own_zombies().empty());
  }
}

}  // namespace
}  // namespace devops_monitor::testing
