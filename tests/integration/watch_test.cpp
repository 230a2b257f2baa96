// `devops-monitor watch`, the real daemon: checks every second against a fake procfs and fake
// providers, posts to local webhook receivers, runs real action scripts, takes real signals.
// Its stderr goes to a file (through `sh -c 'exec ... 2>>log'`, same pid) so a test can read
// the log while the daemon runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"
#include "support/waiting.hpp"
#include "support/watch_process.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::steady_clock;

/// The check times in a watch log, from its "check <time>:" lines.
std::vector<SystemTime> watch_check_times(const std::string& log) {
  std::vector<SystemTime> out;
  const std::regex line(R"(devops-monitor: check (\S+): )");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
       ++it) {
    if (auto time = parse_rfc3339((*it)[1].str())) out.push_back(*time);
  }
  return out;
}

/// An action script that records its environment in DIR/action-<event>.env and says so.
std::filesystem::path watch_write_recorder(const MonitorWorld& world) {
  const std::filesystem::path script = world.dir / "record.sh";
  write_text(script,
             "#!/bin/sh\n"
             "env > \"$1/action-$DEVOPS_MONITOR_EVENT.env\"\n"
             "echo \"recorded $DEVOPS_MONITOR_EVENT key=[$OPENAI_API_KEY]\"\n");
  ::chmod(script.c_str(), 0700);
  return script;
}

std::string watch_recorder_actions(const MonitorWorld& world) {
  const std::string argv =
      "[\"" + watch_write_recorder(world).string() + "\", \"" + world.dir.path().string() + "\"]";
  return "[actions]\non_warning = " + argv + "\non_critical = " + argv + "\non_recovery = " + argv +
         "\n";
}

std::string watch_webhook_toml(const FakeProviderServer& server, const std::string& path,
                               const std::string& extra = "") {
  return "[[webhooks]]\nurl = \"" + server.url(path) + "\"\n" + extra + "\n";
}

/// A canary key of OpenAI's shape, built at run time (no key-shaped literal in the source).
std::string watch_canary_key() {
  std::string key = "sk-";
  for (int i = 0; i < 4; ++i) key += "CANARYwatch" + std::to_string(1000 + i * 7);
  return key;
}

TEST(Watch, HealthyCriticalHealthyNotifiesEachChangeOnceAndRunsTheActions) {
  MonitorWorld world;
  const std::string key = watch_canary_key();
  world.set_key("openai", key);
  world.server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  world.write_config(watch_webhook_toml(world.server, "/hook") + watch_recorder_actions(world));
  WatchProcess daemon(world, {"watch", "--interval", "1s"});

  ASSERT_TRUE(daemon.wait_for_checks(2)) << daemon.log();
  EXPECT_EQ(world.server.request_count("/hook"), 0u) << "healthy from the start: nothing to say";
  set_memory_percent(world.procfs, 95.0);
  ASSERT_TRUE(daemon.wait_for_log("action on_critical")) << daemon.log();
  EXPECT_EQ(world.server.request_count("/hook"), 1u);
  const std::size_t checks_at_critical = daemon.checks();
  ASSERT_TRUE(daemon.wait_for_checks(checks_at_critical + 1)) << daemon.log();
  set_memory_percent(world.procfs, 40.0);
  ASSERT_TRUE(daemon.wait_for_log("action on_recovery")) << daemon.log();
  const std::size_t checks_at_recovery = daemon.checks();
  ASSERT_TRUE(daemon.wait_for_checks(checks_at_recovery + 1)) << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;

  // Exactly one POST per check with transitions: critical, then recovery.
  const std::vector<RecordedRequest> posts = world.server.requests();
  std::vector<nlohmann::json> bodies;
  for (const RecordedRequest& request : posts) {
    if (request.path == "/hook") bodies.push_back(nlohmann::json::parse(request.body));
  }
  ASSERT_EQ(bodies.size(), 2u) << log;
  EXPECT_EQ(bodies[0]["status"], "critical");
  EXPECT_EQ(bodies[0]["changes"][0]["component"], "overall");
  EXPECT_EQ(bodies[0]["changes"][1]["component"], "memory");
  EXPECT_EQ(bodies[1]["status"], "healthy");
  EXPECT_EQ(bodies[1]["changes"][0]["kind"], "recovery");
  EXPECT_EQ(count_of(log, "action on_critical"), 1u) << log;
  EXPECT_EQ(count_of(log, "action on_recovery"), 1u) << log;
  EXPECT_EQ(count_of(log, "action on_warning"), 0u) << log;
  EXPECT_NE(log.find("critical (memory 95.0% critical)"), std::string::npos) << log;
  EXPECT_NE(log.find("2 changes: overall healthy->critical, memory healthy->critical"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("output: recorded critical key=[]"), std::string::npos) << log;
  EXPECT_NE(log.find("devops-monitor: stopping"), std::string::npos) << log;

  // The action's environment: status, previous status, the report written, no key variable.
  const std::string env = read_text(world.dir / "action-critical.env");
  EXPECT_NE(env.find("DEVOPS_MONITOR_STATUS=critical\n"), std::string::npos) << env;
  EXPECT_NE(env.find("DEVOPS_MONITOR_PREVIOUS_STATUS=healthy\n"), std::string::npos) << env;
  EXPECT_NE(env.find("DEVOPS_MONITOR_EVENT=critical\n"), std::string::npos) << env;
  const std::smatch report = [&] {
    std::smatch match;
    std::regex_search(env, match, std::regex("DEVOPS_MONITOR_REPORT=(\\S+)"));
    return match;
  }();
  ASSERT_FALSE(report.empty()) << env;
  EXPECT_TRUE(std::filesystem::exists(report[1].str())) << env;
  EXPECT_EQ(env.find("OPENAI_API_KEY"), std::string::npos) << env;
  // No piece of the key anywhere: the log, the webhook bodies, the reports, the key history,
  // the actions' environments.
  expect_no_key_piece("the log", log, {key});
  for (const RecordedRequest& request : posts)
    expect_no_key_piece("a webhook", request.body, {key});
  expect_no_key_in_files(world.dir.path(), {key}, {world.config_file});
  ASSERT_TRUE(std::filesystem::exists(world.report_dir / "latest_report.json"))
      << "the reports were read";
  const std::string recovery_env = read_text(world.dir / "action-recovery.env");
  EXPECT_NE(recovery_env.find("DEVOPS_MONITOR_STATUS=healthy\n"), std::string::npos);
  EXPECT_NE(recovery_env.find("DEVOPS_MONITOR_PREVIOUS_STATUS=critical\n"), std::string::npos);
}

TEST(Watch, ActionTimeoutIsKilledAndLogged) {
  MonitorWorld world(ProcfsValues{.memory_percent = 95.0});
  world.set_key("openai", watch_canary_key());  // one valid key: api_keys healthy
  world.write_config("[actions]\ntimeout = \"1s\"\non_critical = [\"sleep\", \"60\"]\n");
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  ASSERT_TRUE(daemon.wait_for_log("action on_critical")) << daemon.log();
  // Still checking every second while the action ran (the second check comes at about 1s).
  EXPECT_TRUE(daemon.wait_for_checks(2)) << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  EXPECT_NE(log.find("action on_critical (sleep) timed out after 1.0s: stopped with SIGTERM"),
            std::string::npos)
      << log;
  // One action per transition: the critical state holds, so sleep ran once.
  EXPECT_EQ(count_of(log, "action on_critical"), 1u) << log;
}

TEST(Watch, ActionFailureAndMissingProgramAreLogged) {
  MonitorWorld world(ProcfsValues{.memory_percent = 85.0});
  world.set_key("openai", watch_canary_key());  // one valid key: api_keys healthy
  world.write_config(
      "[actions]\non_warning = [\"sh\", \"-c\", \"echo boom >&2; exit 3\"]\n"
      "on_critical = [\"/nonexistent/devops-monitor-action\"]\n");
  WatchProcess daemon(world, {"watch", "--interval", "1s", "--no-save"});
  ASSERT_TRUE(daemon.wait_for_log("action on_warning")) << daemon.log();
  set_memory_percent(world.procfs, 95.0);
  ASSERT_TRUE(daemon.wait_for_log("action on_critical")) << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  EXPECT_NE(log.find("action on_warning (sh) failed: exit status 3 after"), std::string::npos)
      << log;
  EXPECT_NE(log.find("output: boom"), std::string::npos) << log;
  EXPECT_NE(log.find("action on_critical could not start: No such file or directory "
                     "(/nonexistent/devops-monitor-action)"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("report not saved"), std::string::npos) << log;
  EXPECT_TRUE(timestamped_reports(world.report_dir).empty());
}

TEST(Watch, HangingAndFailingWebhooksDoNotDelayTheNextCheck) {
  MonitorWorld world(ProcfsValues{.memory_percent = 95.0});
  world.set_key("openai", watch_canary_key());  // one valid key: api_keys healthy
  world.server.on("/fails", FakeResponse{.status = 500, .body = "boom"});
  world.server.on("/hangs", FakeResponse{.hang = true});
  world.write_config(watch_webhook_toml(world.server, "/fails") +
                     watch_webhook_toml(world.server, "/hangs", "timeout = \"20s\""));
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  // The first check's delivery to /hangs is held for its whole 20 s timeout; four checks
  // within the 15 s wait_for_checks allows can only happen while it is still in flight, and
  // the stand-in saw it arrive: the counts prove it, not a clock.
  ASSERT_TRUE(daemon.wait_for_checks(4)) << daemon.log();
  EXPECT_EQ(world.server.request_count("/hangs"), 1u) << "the hanging delivery went out once";
  ASSERT_TRUE(daemon.wait_for_log("HTTP 500 after 2 attempts: boom (webhooks[0])")) << daemon.log();
  const RunResult run = daemon.stop();  // the hanging delivery is still in flight
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  // The daemon's promise: SIGTERM ends it within a second, a stuck delivery notwithstanding
  // (the bound allows for a loaded machine).
  EXPECT_LT(daemon.took, std::chrono::milliseconds(2500)) << log;
  EXPECT_GE(watch_check_times(log).size(), 4u) << log;
  // Critical from the first check on: one notice only, retried once on the 500.
  EXPECT_EQ(world.server.request_count("/fails"), 2u);
  EXPECT_EQ(world.server.request_count("/hangs"), 1u);
  world.server.stop();
}

TEST(Watch, SigtermMidCheckEndsAtOnceAndKeepsNothing) {
  MonitorWorld world;
  world.set_key("openai", watch_canary_key());
  world.answer("openai", FakeResponse{.hang = true});
  WatchProcess daemon(world, {"watch", "--interval", "1s", "--timeout", "30s"});
  ASSERT_TRUE(wait_until([&] { return world.server.request_count(world.route("openai")) > 0; }))
      << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  EXPECT_LT(daemon.took, std::chrono::milliseconds(1500)) << log;
  EXPECT_NE(log.find("devops-monitor: stopping"), std::string::npos) << log;
  EXPECT_EQ(log.find("devops-monitor: check "), std::string::npos) << log;
  EXPECT_TRUE(timestamped_reports(world.report_dir).empty());
  EXPECT_FALSE(std::filesystem::exists(world.report_dir / "latest_report.json"));
  world.server.stop();
}

TEST(Watch, SigintBetweenChecksEndsCleanly) {
  MonitorWorld world;
  world.set_key("openai", watch_canary_key());
  WatchProcess daemon(world, {"watch", "--interval", "1h"});
  ASSERT_TRUE(daemon.wait_for_checks(1)) << daemon.log();
  const RunResult run = daemon.stop(SIGINT);
  EXPECT_EQ(run.exit_code, 0) << daemon.log();
  EXPECT_LT(daemon.took, std::chrono::milliseconds(1000)) << daemon.log();
  EXPECT_NE(daemon.log().find("devops-monitor: stopping"), std::string::npos) << daemon.log();
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 1u);
}

TEST(Watch, SighupKeepsTheOldConfigWhenTheNewIsBrokenAndUsesAGoodOne) {
  MonitorWorld world;
  world.set_key("openai", watch_canary_key());
  world.server.on("/old", FakeResponse{.status = 200, .body = "ok"});
  world.server.on("/new", FakeResponse{.status = 200, .body = "ok"});
  world.write_config(watch_webhook_toml(world.server, "/old"));
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  // The second check: start-up (which drops a SIGHUP, being busy reading the config) ended a
  // while ago. The first can be logged within the moment start-up takes to return.
  ASSERT_TRUE(daemon.wait_for_checks(2)) << daemon.log();

  write_text(world.config_file, "[watch]\ninterval = 5\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log("config reload failed: ")) << daemon.log();
  EXPECT_NE(daemon.log().find("; keeping the previous configuration"), std::string::npos);
  const std::size_t after_failure = daemon.checks();
  ASSERT_TRUE(daemon.wait_for_checks(after_failure + 1)) << "still checking\n" << daemon.log();

  world.write_config(watch_webhook_toml(world.server, "/new"));
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for_log("configuration reloaded")) << daemon.log();
  set_memory_percent(world.procfs, 95.0);
  ASSERT_TRUE(wait_until([&] { return world.server.request_count("/new") == 1; })) << daemon.log();
  const RunResult run = daemon.stop();
  EXPECT_EQ(run.exit_code, 0) << daemon.log();
  EXPECT_EQ(world.server.request_count("/old"), 0u);
}

TEST(Watch, ACanaryKeyEchoedByTheProviderNeverShows) {
  MonitorWorld world;
  const std::string key = watch_canary_key();
  world.set_key("openai", key);
  world.answer("openai",
               FakeResponse{.status = 401,
                            .body = R"({"error":{"message":"Incorrect API key provided: )" + key +
                                    R"("}})"});
  world.server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  const std::filesystem::path script = world.dir / "show.sh";
  write_text(script, "#!/bin/sh\nenv; cat \"$DEVOPS_MONITOR_REPORT\"\n");
  ::chmod(script.c_str(), 0700);
  world.write_config(watch_webhook_toml(world.server, "/hook") + "[actions]\non_critical = [\"" +
                     script.string() + "\"]\n");
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  ASSERT_TRUE(daemon.wait_for_log("action on_critical")) << daemon.log();
  ASSERT_TRUE(wait_until([&] { return world.server.request_count("/hook") == 1; }));
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  EXPECT_NE(log.find("openai key invalid"), std::string::npos) << log;
  EXPECT_NE(log.find("DEVOPS_MONITOR_STATUS=critical"), std::string::npos) << log;
  EXPECT_EQ(log.find(key), std::string::npos) << log;
  EXPECT_EQ(log.find(key.substr(3, 12)), std::string::npos) << log;
  for (const RecordedRequest& request : world.server.requests()) {
    if (request.path == "/hook") {
      EXPECT_EQ(request.body.find(key), std::string::npos);
    }
  }
}

TEST(Watch, UnloadableSettingsAndABadIntervalExitThree) {
  MonitorWorld world;
  const RunResult missing =
      world.check({"watch", "--config", (world.dir / "missing.toml").string()});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_NE(missing.err.find("devops-monitor: "), std::string::npos);
  const RunResult too_short = world.check({"watch", "--interval", "500ms"});
  EXPECT_EQ(too_short.exit_code, 3) << too_short.err;
  EXPECT_NE(too_short.err.find("--interval"), std::string::npos) << too_short.err;
  const RunResult json = world.check({"watch", "--json"});
  EXPECT_EQ(json.exit_code, 3) << json.err;
}

// ---- confirmation, the CPU average, the heartbeat ------------------------------------

/// The provider's answers, check by check: valid, or 401 (an invalid key, overall critical).
std::vector<FakeResponse> watch_key_answers(const std::string& pattern) {
  std::vector<FakeResponse> out;
  for (char c : pattern) {
    out.push_back(c == 'g'
                      ? FakeResponse{.status = 200, .body = provider_fixture("openai", "valid")}
                      : FakeResponse{.status = 401, .body = R"({"error":"bad key"})"});
  }
  return out;
}

std::vector<std::string> watch_statuses_posted(const FakeProviderServer& server,
                                               const std::string& path) {
  std::vector<std::string> out;
  for (const RecordedRequest& request : server.requests()) {
    if (request.path == path) out.push_back(nlohmann::json::parse(request.body)["status"]);
  }
  return out;
}

TEST(WatchConfirm, OneBadAnswerBetweenGoodOnesSendsNothingTwoInARowSendOne) {
  MonitorWorld world;
  world.set_key("openai", watch_canary_key());
  world.server.on("/hook", FakeResponse{.status = 200, .body = "ok"});
  world.write_config(watch_webhook_toml(world.server, "/hook"));
  // good, one bad, good, two bad, two good (the last answer repeats).
  world.server.on_sequence(world.route("openai"), watch_key_answers("gbgbbgg"));
  WatchProcess daemon(world, {"watch", "--interval", "1s", "--confirm", "2"});
  ASSERT_TRUE(daemon.wait_for_checks(7)) << daemon.log();
  ASSERT_TRUE(wait_until([&] { return world.server.request_count("/hook") >= 2; })) << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  // Every answer was measured and kept as it was; only the agreeing pair was announced, and
  // its recovery once two good checks agreed.
  EXPECT_EQ(watch_statuses_posted(world.server, "/hook"),
            (std::vector<std::string>{"critical", "healthy"}))
      << log;
  EXPECT_EQ(count_of(log, "unconfirmed: overall critical 1/2"), 2u) << log;
  EXPECT_EQ(count_of(log, "unconfirmed: overall healthy 1/2"), 1u) << log;
  EXPECT_NE(log.find("changes confirmed by 2 checks"), std::string::npos) << log;
  EXPECT_GE(timestamped_reports(world.report_dir).size(), 7u);
  // watch judges CPU on the sampler's rolling average, and its reports say so.
  const nlohmann::json latest =
      nlohmann::json::parse(read_text(world.report_dir / "latest_report.json"));
  EXPECT_EQ(latest["system_health"]["cpu_basis"], "average");
  EXPECT_GT(latest["system_health"]["cpu_window_ms"].get<int>(), 1000);
  // A check keeps its window.
  const nlohmann::json checked = stdout_json(world.check({"check", "--json", "--no-save"}));
  EXPECT_EQ(checked["system_health"]["cpu_basis"], "window");
}

TEST(WatchConfirm, AConfirmOutOfRangeExitsThreeNamingTheFlag) {
  MonitorWorld world;
  for (const char* bad : {"0", "101", "two"}) {
    const RunResult run = world.check({"watch", "--confirm", bad});
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_NE(run.err.find("--confirm"), std::string::npos) << run.err;
  }
}

/// The heartbeat's path: a token, as a healthchecks-style ping URL has.
const std::string kWatchPingPath = "/ping/FAKEheartbeatCANARY7f3a9c";

TEST(WatchHeartbeat, EveryCompletedCheckSendsOneGet) {
  MonitorWorld world;
  world.set_key("openai", watch_canary_key());
  world.server.on(kWatchPingPath, FakeResponse{.status = 200, .body = "OK"});
  world.write_config("[watch]\nheartbeat_url = \"" + world.server.url(kWatchPingPath) + "\"\n");
  WatchProcess daemon(world, {"watch", "--interval", "1s"});
  ASSERT_TRUE(daemon.wait_for_checks(3)) << daemon.log();
  const RunResult run = daemon.stop();
  const std::string log = daemon.log();
  EXPECT_EQ(run.exit_code, 0) << log;
  // N checks, N pings: each a GET with no body, and nothing else went to the switch.
  std::size_t pings = 0;
  for (const RecordedRequest& request : world.server.requests()) {
    if (request.path == world.route("openai")) continue;
    EXPECT_EQ(request.path, kWatchPingPath);
    EXPECT_EQ(request.method, "GET");
    EXPECT_TRUE(request.body.empty());
    ++pings;
  }
  EXPECT_EQ(pings, daemon.checks()) << log;
  EXPECT_NE(log.find("heartbeat to 127.0.0.1;"), std::string::npos) << log;
  EXPECT_EQ(log.find("HEARTBEATtoken"), std::string::npos) << log;
}

TEST(WatchHeartbeat, AFailingOrClosedSwitchIsLoggedByHostAndTheChecksGoOn) {
  for (const bool closed : {false, true}) {
    MonitorWorld world;
    world.set_key("openai", watch_canary_key());
    world.server.on(kWatchPingPath, FakeResponse{.status = 500, .body = "down"});
    const std::string url =
        closed ? "http://127.0.0.1:" + std::to_string(closed_port()) + kWatchPingPath
               : world.server.url(kWatchPingPath);
    world.write_config("[watch]\nheartbeat_url = \"" + url + "\"\n");
    WatchProcess daemon(world, {"watch", "--interval", "1s"});
    ASSERT_TRUE(daemon.wait_for_log("heartbeat to 127.0.0.1 failed: ", 2)) << daemon.log();
    ASSERT_TRUE(daemon.wait_for_checks(3)) << daemon.log();
    const RunResult run = daemon.stop();
    const std::string log = daemon.log();
    EXPECT_EQ(run.exit_code, 0) << log;
    if (!closed) {
      EXPECT_NE(log.find("heartbeat to 127.0.0.1 failed: HTTP 500"), std::string::npos) << log;
      EXPECT_GE(world.server.request_count(kWatchPingPath), 2u);
    }
    EXPECT_EQ(log.find("HEARTBEATtoken"), std::string::npos) << log;
    EXPECT_EQ(log.find("/ping"), std::string::npos) << log;
  }
}

TEST(WatchHeartbeat, AUrlTheHttpLayerWouldRefuseIsAConfigErrorNamingFileAndLine) {
  MonitorWorld world;
  world.write_config(
      "[watch]\nheartbeat_url = \"http://hc.example.com/ping/FAKEheartbeatCANARY7f3a9c\"\n");
  const RunResult run = world.check({"watch", "--interval", "1s"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find(world.config_file.string() + ":2:"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("heartbeat_url"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("HEARTBEATtoken"), std::string::npos) << run.err;
  EXPECT_TRUE(timestamped_reports(world.report_dir).empty());
}

}  // namespace
TEST(WatchSampling, BetweenChecksTheSystemIsNotReadAndTheSpanBeforeEachIs) {
  MonitorWorld world;
  world.write_config("cpu_average = \"2s\"\n");
  WatchProcess daemon(world, {"watch", "--interval", "10s", "--confirm", "1"});
  ASSERT_TRUE(daemon.wait_for_checks(1)) << daemon.log();
  const std::size_t after_first = world.procfs.stat_reads();
  // The next check starts 10 s after the first did and needs the 2 s before it (and two ticks
  // more): nothing reads /proc/stat for the first 6 s. Two of them pass here.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(world.procfs.stat_reads(), after_first) << "the sampler woke between checks";
  ASSERT_TRUE(daemon.wait_for_checks(2)) << daemon.log();
  EXPECT_GE(world.procfs.stat_reads(), after_first + 3) << "the span before the check unread";
  const nlohmann::json latest =
      nlohmann::json::parse(read_text(world.report_dir / "latest_report.json"));
  EXPECT_EQ(latest["system_health"]["cpu_basis"], "average");
  const int averaged = latest["system_health"]["cpu_window_ms"].get<int>();
  EXPECT_GE(averaged, 2000) << "the average covers the span";
  EXPECT_LE(averaged, 3500) << "and not the quiet time before it";
  EXPECT_EQ(daemon.stop().exit_code, 0) << daemon.log();
}

}  // namespace devops_monitor::testing
