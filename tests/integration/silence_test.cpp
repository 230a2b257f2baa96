// `devops-monitor silence` through the real binary: add, list and expire with their errors and
// exit statuses; and what a silence does to the real watch daemon (a loopback webhook
// receiver records what it is sent), to `notify github` (the fake GitHub), and to serve's
// /metrics and status page.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "devops_monitor/report_json.hpp"
#include "http/http_client.hpp"
#include "support/fake_github.hpp"
#include "support/monitor_world.hpp"
#include "support/waiting.hpp"
#include "support/watch_process.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// `silence add` that must succeed; its id.
std::string add_silence_ok(MonitorWorld& world, const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"silence", "add"};
  args.insert(args.end(), flags.begin(), flags.end());
  const RunResult run = world.check(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(std::regex_match(run.out, std::regex("s[0-9a-f]{6}\n"))) << run.out;
  return run.out.substr(0, run.out.size() - 1);
}

TEST(SilenceCommand, AddListExpireRoundTrip) {
  MonitorWorld world;
  world.write_config();
  std::filesystem::create_directories(world.report_dir);
  const std::string id =
      add_silence_ok(world, {"--for", "2h", "--match", "disk:/", "--match", "key:openai", "--match",
                             "disk:/", "--comment", "migrating / to NVMe"});
  const std::string other = add_silence_ok(world, {"--for", "30m", "--match", "all"});
  EXPECT_NE(id, other);

  RunResult list = world.check({"silence", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  const nlohmann::json listed = stdout_json(list);
  ASSERT_EQ(listed["silences"].size(), 2u) << list.out;
  EXPECT_EQ(listed["silences"][0]["id"], id);
  EXPECT_EQ(listed["silences"][0]["state"], "active");
  EXPECT_EQ(listed["silences"][0]["matches"], nlohmann::json({"disk:/", "key:openai"}));
  EXPECT_EQ(listed["silences"][0]["comment"], "migrating / to NVMe");
  const auto starts = parse_rfc3339(listed["silences"][0]["starts_at"]);
  const auto ends = parse_rfc3339(listed["silences"][0]["ends_at"]);
  ASSERT_TRUE(starts && ends);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::minutes>(*ends - *starts).count(), 120);

  const RunResult expire = world.check({"silence", "expire", id});
  EXPECT_EQ(expire.exit_code, 0) << expire.err;
  EXPECT_EQ(expire.out, "expired " + id + "\n");
  list = world.check({"silence", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(id + "  ended "), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(other + "  active until "), std::string::npos) << list.out;

  // A check while `all` is silenced lists the silence in its report.
  ASSERT_LE(world.check({"--check"}).exit_code, 2);
  const Result<Report> report =
      parse_report(read_text(world.report_dir / "latest_report.json"), "latest");
  ASSERT_TRUE(report);
  ASSERT_EQ(report->silences.size(), 1u);
  EXPECT_EQ(report->silences[0].id, other);
}

TEST(SilenceCommand, BadInputIsOneLineAndExitThree) {
  MonitorWorld world;
  world.write_config();
  std::filesystem::create_directories(world.report_dir);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"silence", "add", "--for", "2", "--match", "cpu"}, "has no unit"},
      {{"silence", "add", "--for", "400d", "--match", "cpu"}, "outside"},
      {{"silence", "add", "--match", "cpu"}, "silence add needs --for DURATION"},
      {{"silence", "add", "--for", "1h"}, "needs at least one --match"},
      {{"silence", "add", "--for", "1h", "--match", "memroy"},
       "invalid --match: \"memroy\" is not one of all, cpu, memory, disk:<path>, key:<provider "
       "id> (did you mean memory?) (--match)"},
      {{"silence", "add", "--for", "1h", "--match", "key:opnai"}, "did you mean key:openai?"},
      {{"silence", "expire", "s000000"}, "there is no silence with that id"},
      {{"silence", "expire"}, "silence expire needs the ID"},
      {{"silence", "remove"}, "unknown target \"remove\""},
  };
  for (const Case& each : cases) {
    const RunResult run = world.check(each.args);
    EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
    EXPECT_NE(run.err.find(each.message), std::string::npos) << run.err;
    EXPECT_EQ(count_of(run.err, "\n"), 1u) << run.err;
    EXPECT_EQ(run.out, "");
  }
  EXPECT_FALSE(std::filesystem::exists(world.report_dir / "silences.json")) << "nothing written";

  const std::string missing = (world.dir / "no-reports").string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"silence", "add", "--for", "1h", "--match", "cpu"},
        {"silence", "list"},
        {"silence", "expire", "s000000"}}) {
    std::vector<std::string> with_dir = args;
    with_dir.insert(with_dir.end(), {"--report-dir", missing});
    const RunResult run = world.check(with_dir);
    EXPECT_EQ(run.exit_code, 3) << args[1];
    EXPECT_NE(run.err.find("no report directory"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(missing), std::string::npos) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST(SilenceCommand, APlantedFifoIsOneWarningNotAHang) {
  MonitorWorld world;
  world.write_config();
  world.run_timeout = std::chrono::seconds(20);
  std::filesystem::create_directories(world.report_dir);
  ASSERT_EQ(::mkfifo((world.report_dir / "silences.json").c_str(), 0600), 0);
  const RunResult list = world.check({"silence", "list"});
  EXPECT_FALSE(list.timed_out);
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "no silences\n");
  EXPECT_EQ(count_of(list.err, "devops-monitor: warning: "), 1u) << list.err;
  EXPECT_NE(list.err.find("FIFO"), std::string::npos) << list.err;
  const RunResult check = world.check({"--check"});
  EXPECT_FALSE(check.timed_out);
  EXPECT_LE(check.exit_code, 2) << check.err;
}

// ---- watch -----------------------------------------------------------------------------------

std::vector<nlohmann::json> hook_bodies(const FakeProviderServer& server) {
  std::vector<nlohmann::json> bodies;
  for (const RecordedRequest& request : server.requests()) {
    if (request.path == "/hook") bodies.push_back(nlohmann::json::parse(request.body));
  }
  return bodies;
}

TEST(SilencedWatch, SendsNothingForASilencedComponentThenOnceWhenTheSilenceEndsOnABadState) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  world.server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  const std::filesystem::path marker = world.dir / "action-ran";
  world.write_config("[[webhooks]]\nurl = \"" + world.server.url("/hook") +
                     "\"\n[actions]\non_critical = [\"/usr/bin/touch\", \"" + marker.string() +
                     "\"]\n");
  std::filesystem::create_directories(world.report_dir);
  const std::string id = add_silence_ok(world, {"--for", "1h", "--match", "memory"});
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  ASSERT_TRUE(daemon.wait_for_checks(1)) << daemon.log();

  // Memory critical while silenced: checks see it, nobody is told, no action runs.
  set_memory_percent(world.procfs, 95.0);
  ASSERT_TRUE(wait_until([&] {
    return daemon.log().find("critical (memory 95.0% critical)") != std::string::npos;
  })) << daemon.log();
  const std::size_t at_critical = daemon.checks();
  ASSERT_TRUE(daemon.wait_for_checks(at_critical + 2)) << daemon.log();
  EXPECT_TRUE(hook_bodies(world.server).empty()) << daemon.log();
  EXPECT_NE(daemon.log().find("no changes; silenced: memory"), std::string::npos) << daemon.log();
  EXPECT_FALSE(std::filesystem::exists(marker)) << "no action while silenced";

  // The silence ends on a bad state: one notice says so, and only once.
  const RunResult expired = world.check({"silence", "expire", id});
  ASSERT_EQ(expired.exit_code, 0) << expired.err;
  ASSERT_TRUE(wait_until([&] { return !hook_bodies(world.server).empty(); })) << daemon.log();
  const std::size_t at_end = daemon.checks();
  ASSERT_TRUE(daemon.wait_for_checks(at_end + 2)) << daemon.log();
  std::vector<nlohmann::json> bodies = hook_bodies(world.server);
  ASSERT_EQ(bodies.size(), 1u) << daemon.log();
  EXPECT_EQ(bodies[0]["status"], "critical");
  ASSERT_EQ(bodies[0]["changes"].size(), 1u) << bodies[0].dump();
  EXPECT_EQ(bodies[0]["changes"][0]["component"], "memory");
  EXPECT_EQ(bodies[0]["changes"][0]["kind"], "silence_ended");
  EXPECT_EQ(bodies[0]["changes"][0]["to"], "critical");
  EXPECT_EQ(count_of(daemon.log(), "maintenance ended, still not healthy: memory critical"), 1u)
      << daemon.log();

  // Unsilenced, a change speaks as usual: the recovery is sent.
  set_memory_percent(world.procfs, 40.0);
  ASSERT_TRUE(wait_until([&] { return hook_bodies(world.server).size() == 2; })) << daemon.log();
  bodies = hook_bodies(world.server);
  EXPECT_EQ(bodies[1]["changes"][0]["kind"], "recovery");
  EXPECT_EQ(daemon.stop().exit_code, 0) << daemon.log();
}

TEST(SilencedWatch, AnUnsilencedCriticalComponentStillSends) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai");
  world.server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  world.write_config("[[webhooks]]\nurl = \"" + world.server.url("/hook") + "\"\n");
  std::filesystem::create_directories(world.report_dir);
  add_silence_ok(world, {"--for", "1h", "--match", "cpu", "--match", "key:openai"});
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  ASSERT_TRUE(daemon.wait_for_checks(1)) << daemon.log();
  set_memory_percent(world.procfs, 95.0);
  ASSERT_TRUE(wait_until([&] { return !hook_bodies(world.server).empty(); })) << daemon.log();
  const std::vector<nlohmann::json> bodies = hook_bodies(world.server);
  EXPECT_EQ(bodies[0]["changes"][0]["component"], "overall");
  EXPECT_EQ(bodies[0]["changes"][1]["component"], "memory");
  EXPECT_EQ(daemon.stop().exit_code, 0) << daemon.log();
}

// ---- notify github -----------------------------------------------------------------------------

TEST(SilencedNotify, OpensNothingForASilencedComponentAndSpeaksAgainWithoutIt) {
  TempDir dir;
  FakeGithub github;
  Report report;
  report.timestamp = "2026-12-07T10:00:00.000+00:00";
  report.host = "build-host-3";
  report.status = Status::critical;
  report.system_health.status = Status::critical;
  report.system_health.memory_status = Status::critical;
  report.issues_found = {"High memory usage: 95.0%"};
  ApiKeyStatus key;
  key.provider = "OpenAI (GPT-4)";
  key.id = "openai";
  key.key_present = true;
  key.key_valid = true;
  key.state = KeyState::valid;
  report.api_keys = {key};
  write_text(dir / "latest_report.json", to_json(report));
  const auto notify = [&] {
    return run_process(monitor_binary(), {.args = {"notify", "github", "--repo", "octo-org/infra",
                                                   "--report-dir", dir.path().string()},
                                          .env = {{"GITHUB_TOKEN", "token-for-the-fake"},
                                                  {"GITHUB_API_URL", github.api_url()},
                                                  {"PATH", "/usr/bin:/bin"},
                                                  {"HOME", dir.path().string()}},
                                          .cwd = dir.path(),
                                          .timeout = std::chrono::seconds(60)});
  };
  // Silenced in the report directory now (the report is older than the silence).
  const RunResult add = run_process(
      monitor_binary(), {.args = {"silence", "add", "--for", "1h", "--match", "memory",
                                  "--report-dir", dir.path().string()},
                         .env = {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}},
                         .cwd = dir.path()});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const RunResult silenced = notify();
  EXPECT_EQ(silenced.exit_code, 0) << silenced.err;
  EXPECT_EQ(silenced.out, "critical; no open issue (silenced: memory)\n");
  EXPECT_EQ(github.write_count(), 0u);
  EXPECT_TRUE(github.issues().empty());

  std::filesystem::remove(dir / "silences.json");
  const RunResult loud = notify();
  EXPECT_EQ(loud.exit_code, 0) << loud.err;
  EXPECT_EQ(loud.out, "opened #1\n");
  EXPECT_EQ(github.write_count(), 1u);
}

// ---- serve ---------------------------------------------------------------------------------

struct SilencedServe {
  explicit SilencedServe(MonitorWorld& world) {
    RunOptions options = world.run_options({"serve", "--listen", "127.0.0.1:0"});
    options.timeout = milliseconds(30000);
    process.emplace(monitor_binary(), options);
    const std::regex line(R"(listening on 127\.0\.0\.1:(\d+)[ \n])");
    std::smatch match;
    const auto until = steady_clock::now() + milliseconds(10000);
    std::string err = process->read_err_until("listening on", milliseconds(10000));
    while (!std::regex_search(err, match, line) && steady_clock::now() < until &&
           err.find("listening on") != std::string::npos) {
      err = process->read_err_until(err + "\n", milliseconds(50));
    }
    if (std::regex_search(err, match, line)) port = std::stoi(match[1]);
  }
  ~SilencedServe() {
    if (process) process->kill(SIGKILL);
  }
  SilencedServe(const SilencedServe&) = delete;
  SilencedServe& operator=(const SilencedServe&) = delete;

  [[nodiscard]] HttpOutcome get(const std::string& path) const {
    return perform_request({.method = "GET",
                            .url = "http://127.0.0.1:" + std::to_string(port) + path,
                            .timeout = milliseconds(5000)},
                           HttpOptions{});
  }
  /// GETs `path` until its body contains `part`; the last body.
  std::string poll_for(const std::string& path, const std::string& part) const {
    std::string body;
    wait_until([&] {
      body = get(path).body;
      return body.find(part) != std::string::npos;
    });
    return body;
  }

  std::optional<Process> process;
  int port = 0;
};

TEST(SilencedServe, MetricsAndThePageShowTheSilenceOnceAddedAndNotOnceExpired) {
  MonitorWorld world;
  world.write_config();
  std::filesystem::create_directories(world.report_dir);
  SilencedServe serve(world);
  ASSERT_NE(serve.port, 0);
  ASSERT_EQ(serve.poll_for("/healthz", "ok"), "ok\n");
  std::string metrics = serve.get("/metrics").body;
  EXPECT_NE(metrics.find("# TYPE devops_monitor_silenced gauge"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("devops_monitor_silenced{"), std::string::npos) << metrics;

  // Added while serve runs: the next reading (every second) exports it.
  const std::string id = add_silence_ok(
      world, {"--for", "2h", "--match", "memory", "--comment", "<script>alert(1)</script>"});
  metrics = serve.poll_for("/metrics", "devops_monitor_silenced{");
  EXPECT_NE(metrics.find("\ndevops_monitor_silenced{component=\"memory\"} 1\n"), std::string::npos)
      << metrics;
  const std::string page = serve.poll_for("/", "Maintenance until");
  EXPECT_NE(page.find(": memory — &lt;script&gt;alert(1)&lt;/script&gt;</li>"), std::string::npos)
      << page;
  EXPECT_EQ(page.find("<script>"), std::string::npos);

  ASSERT_EQ(world.check({"silence", "expire", id}).exit_code, 0);
  EXPECT_TRUE(wait_until([&] {
    return serve.get("/metrics").body.find("devops_monitor_silenced{") == std::string::npos;
  }));
  EXPECT_EQ(serve.get("/").body.find("Maintenance until"), std::string::npos);
}

}  // namespace
}  // namespace devops_monitor::testing
