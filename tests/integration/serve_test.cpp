// devops-monitor serve through the real binary: the endpoints over real HTTP on 127.0.0.1,
// the exposition checked by promtool, key rounds on their own interval (never per scrape),
// reports per round, a failed round counted, signals, and no key material anywhere.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/http_client.hpp"
#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

/// A key-shaped canary, built at run time (never committed as a literal).
std::string serve_canary() {
  std::mt19937 rng(8080);
  return std::string("sk-") + "proj-" + random_chars(rng, kAlnum, 40);
}

/// The serve command on port 0 with the world's config, procfs, report dir and disk.
struct ServeRun {
  ServeRun(MonitorWorld& world, std::vector<std::string> extra) {
    RunOptions options;
    options.args = {"serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--config",
                    world.config_file.string(),
                    "--procfs",
                    world.procfs.root().string(),
                    "--report-dir",
                    world.report_dir.string(),
                    "--disk",
                    world.dir.path().string(),
                    "--timeout",
                    "5s"};
    options.args.insert(options.args.end(), extra.begin(), extra.end());
    options.env = world.env;
    options.cwd = world.dir.path();
    options.timeout = milliseconds(30000);  // a server that never stops is killed
    process.emplace(monitor_binary(), options);
    // The whole line: the port's digits may arrive in a later read than "listening on".
    const std::regex line(R"(listening on 127\.0\.0\.1:(\d+)[ \n])");
    const auto until = steady_clock::now() + milliseconds(10000);
    std::smatch match;
    std::string err = process->read_err_until("listening on", milliseconds(10000));
    while (!std::regex_search(err, match, line) && steady_clock::now() < until &&
           err.find("listening on") != std::string::npos) {
      err = process->read_err_until(err + "\n", milliseconds(50));
    }
    if (std::regex_search(err, match, line)) port = std::stoi(match[1]);
  }
  ~ServeRun() {
    if (process) process->kill(SIGKILL);
  }
  ServeRun(const ServeRun&) = delete;
  ServeRun& operator=(const ServeRun&) = delete;

  [[nodiscard]] HttpOutcome get(const std::string& path, const std::string& method = "GET") const {
    HttpOptions options;
    return perform_request({.method = method,
                            .url = "http://127.0.0.1:" + std::to_string(port) + path,
                            .timeout = milliseconds(5000)},
                           options);
  }

  /// GETs `path` until `done` holds for the body (or `timeout` passes); the last answer.
  template <typename Done>
  HttpOutcome poll(const std::string& path, Done done, milliseconds timeout = milliseconds(8000)) {
    const auto until = steady_clock::now() + timeout;
    HttpOutcome answer = get(path);
    while (!done(answer) && steady_clock::now() < until) {
      std::this_thread::sleep_for(milliseconds(50));
      answer = get(path);
    }
    return answer;
  }

  /// SIGTERM (or `signal`), then everything the process said; `took` is how long it needed.
  RunResult stop(int signal = SIGTERM) {
    const auto sent = steady_clock::now();
    process->kill(signal);
    RunResult result = process->wait();
    took = std::chrono::duration_cast<milliseconds>(steady_clock::now() - sent);
    process.reset();
    return result;
  }

  std::optional<Process> process;
  int port = 0;
  milliseconds took{0};
};

bool has_report(const HttpOutcome& answer) {
  return answer.http_status == 200;
}

/// The value of an unlabelled sample, or -1 when absent.
double sample_value_of(const std::string& text, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex("\n" + name + " ([0-9.e+-]+)\n"))) return -1;
  return std::stod(match[1]);
}

std::string promtool_verdict(const MonitorWorld& world, const std::string& exposition) {
  const std::filesystem::path file = world.dir / "metrics.prom";
  write_text(file, exposition);
  RunOptions options;
  options.args = {"-c", "/usr/bin/promtool check metrics < '" + file.string() + "'"};
  options.env = {{"PATH", "/usr/bin:/bin"}};
  const RunResult run = run_process("/bin/sh", options);
  return run.exit_code == 0 ? "" : run.out + run.err;
}

TEST(Serve, AnswersMetricsHealthzReportAndNotFoundWithoutKeyMaterial) {
  MonitorWorld world({.cpu_percent = 25, .memory_percent = 40});
  const std::string canary = serve_canary();
  world.set_key("openai", canary);
  world.set_key("anthropic", canary + "-2nd7Qw4Zr");
  // The provider echoes the key in its error, as some do.
  world.answer("anthropic", {.status = 401,
                             .body = R"({"type":"error","error":{"type":"authentication_error",)"
                                     R"("message":"invalid x-api-key )" +
                                     canary + R"("}})"});
  ServeRun serve(world, {"--no-save"});
  ASSERT_GT(serve.port, 0) << "no 'listening on 127.0.0.1:PORT' line";

  const HttpOutcome report = serve.poll("/report", has_report);
  ASSERT_EQ(report.http_status, 200) << report.body;
  EXPECT_NE(report.body.find("\"api_keys\""), std::string::npos);
  const HttpOutcome metrics = serve.get("/metrics");
  ASSERT_EQ(metrics.http_status, 200);
  EXPECT_EQ(metrics.header("content-type").value_or(""),
            "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = metrics.body;
  for (const char* line :
       {"devops_monitor_cpu_usage_ratio 0.25", "devops_monitor_memory_usage_ratio 0.4",
        R"(devops_monitor_api_key_state{provider="openai",state="valid"} 1)",
        R"(devops_monitor_api_key_state{provider="anthropic",state="invalid"} 1)",
        R"(devops_monitor_status{component="api_keys"} 1)",
        "devops_monitor_check_errors_total 0"}) {
    EXPECT_NE(text.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n"
                                                                             << text;
  }
  EXPECT_GT(sample_value_of(text, "devops_monitor_last_success_timestamp_seconds"), 1.7e9);
  EXPECT_EQ(promtool_verdict(world, text), "");

  const HttpOutcome health = serve.get("/healthz");
  EXPECT_EQ(health.http_status, 200);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(serve.get("/nothing-here").http_status, 404);
  const HttpOutcome head = serve.get("/metrics", "HEAD");
  EXPECT_EQ(head.http_status, 200);
  EXPECT_TRUE(head.body.empty());

  const RunResult stopped = serve.stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_LT(serve.took, milliseconds(1000));
  const std::vector<std::string> keys = {canary, canary + "-2nd7Qw4Zr"};
  expect_no_key_piece("/metrics", text, keys);
  expect_no_key_piece("/report", report.body, keys);
  expect_no_key_piece("/", serve.get("/").body, keys);
  expect_no_key_piece("stderr", stopped.err, keys);
  expect_no_key_piece("stdout", stopped.out, keys);
  expect_no_key_in_files(world.dir.path(), keys, {world.config_file});
  EXPECT_NE(stopped.err.find("keys checked"), std::string::npos) << stopped.err;
}

TEST(Serve, KeyChecksRunOnTheirIntervalNeverPerScrapeAndEachRoundKeepsAReport) {
  MonitorWorld world;
  world.set_key("openai", serve_canary());
  {
    ServeRun serve(world, {});  // the default interval (5m): one round in this test
    ASSERT_GT(serve.port, 0);
    ASSERT_EQ(serve.poll("/report", has_report).http_status, 200);
    for (int i = 0; i < 30; ++i) ASSERT_EQ(serve.get("/metrics").http_status, 200);
    EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
    const RunResult stopped = serve.stop();
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  }
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(world.report_dir / "latest_report.json"));

  {
    ServeRun serve(world, {"--key-interval", "1s"});
    ASSERT_GT(serve.port, 0);
    std::this_thread::sleep_for(milliseconds(2500));
    const RunResult stopped = serve.stop();
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  }
  const std::size_t requests = world.server.request_count(world.route("openai"));
  EXPECT_GE(requests, 1u + 3u) << "rounds at 0s, 1s and 2s";
  EXPECT_LE(requests, 1u + 4u);
  EXPECT_EQ(timestamped_reports(world.report_dir).size(), requests) << "one report per round";

  MonitorWorld unsaved;
  unsaved.set_key("openai", serve_canary());
  {
    ServeRun serve(unsaved, {"--key-interval", "1s", "--no-save"});
    ASSERT_GT(serve.port, 0);
    std::this_thread::sleep_for(milliseconds(1500));
    EXPECT_EQ(serve.stop().exit_code, 0);
  }
  EXPECT_GE(unsaved.server.request_count(unsaved.route("openai")), 2u);
  EXPECT_FALSE(std::filesystem::exists(unsaved.report_dir));
}

TEST(Serve, AFailedRoundIsCountedAndLoggedAndKeepsThePreviousKeyResults) {
  MonitorWorld world;
  const std::filesystem::path env_file = world.dir / "keys.env";
  write_text(env_file, "OPENAI_API_KEY=" + serve_canary() + "\n");
  ServeRun serve(world, {"--key-interval", "1s", "--no-save", "--env-file", env_file.string()});
  ASSERT_GT(serve.port, 0);
  ASSERT_EQ(serve.poll("/report", has_report).http_status, 200);
  // A .env that cannot be read any more: the next round fails, serve goes on.
  std::filesystem::remove(env_file);
  std::filesystem::create_directory(env_file);
  const HttpOutcome metrics = serve.poll("/metrics", [](const HttpOutcome& answer) {
    return answer.body.find("\ndevops_monitor_check_errors_total 0\n") == std::string::npos;
  });
  EXPECT_GE(sample_value_of(metrics.body, "devops_monitor_check_errors_total"), 1.0)
      << metrics.body;
  EXPECT_NE(metrics.body.find(R"(devops_monitor_api_key_state{provider="openai",state="valid"} 1)"),
            std::string::npos)
      << "the previous round's keys are kept\n"
      << metrics.body;
  EXPECT_GT(sample_value_of(metrics.body, "devops_monitor_last_check_timestamp_seconds"),
            sample_value_of(metrics.body, "devops_monitor_last_success_timestamp_seconds"));
  EXPECT_EQ(serve.get("/healthz").http_status, 200);
  const RunResult stopped = serve.stop();
  EXPECT_EQ(stopped.exit_code, 0);
  EXPECT_NE(stopped.err.find("key round failed"), std::string::npos) << stopped.err;
  EXPECT_NE(stopped.err.find("keys.env"), std::string::npos) << "names the file\n" << stopped.err;
}

TEST(Serve, StopsWithinASecondEvenWhileAProviderHangsAndIgnoresSighup) {
  MonitorWorld world;
  world.set_key("openai", serve_canary());
  world.answer("openai", {.hang = true});
  ServeRun serve(world, {"--timeout", "60s", "--no-save"});
  ASSERT_GT(serve.port, 0);
  // Before the first round ends: system series, no key series, /report not yet.
  const HttpOutcome early = serve.get("/metrics");
  EXPECT_EQ(early.http_status, 200);
  EXPECT_NE(early.body.find("\ndevops_monitor_cpu_usage_ratio "), std::string::npos);
  EXPECT_EQ(early.body.find("devops_monitor_api_key_state{"), std::string::npos) << early.body;
  EXPECT_EQ(promtool_verdict(world, early.body), "");
  EXPECT_EQ(serve.get("/report").http_status, 503);
  // Nor a status that needs the keys, and not ready: the first scrape after a restart must not
  // resolve an alert that the first round fires again.
  EXPECT_EQ(early.body.find("component=\"overall\""), std::string::npos) << early.body;
  EXPECT_EQ(early.body.find("component=\"api_keys\""), std::string::npos) << early.body;
  const HttpOutcome starting = serve.get("/healthz");
  EXPECT_EQ(starting.http_status, 503) << starting.body;
  EXPECT_NE(starting.body.find("first key round"), std::string::npos) << starting.body;
  serve.process->kill(SIGHUP);
  EXPECT_NE(
      serve.process->read_err_until("does not reload", milliseconds(3000)).find("does not reload"),
      std::string::npos);
  EXPECT_EQ(serve.get("/healthz").http_status, 503) << "SIGHUP does not stop it";
  ASSERT_EQ(world.server.request_count(world.route("openai")), 1u) << "the round is waiting";
  const RunResult stopped = serve.stop(SIGINT);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_LT(serve.took, milliseconds(1000)) << stopped.err;
}

TEST(Serve, TheFirstScrapeAfterHealthzTurns200CarriesEveryKeysSeries) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) world.set_key(id, serve_canary());
  world.answer(
      "google",
      {.status = 400, .body = provider_fixture("google", "invalid"), .delay = milliseconds(1200)});
  ServeRun serve(world, {"--no-save"});
  ASSERT_GT(serve.port, 0);
  HttpOutcome health;
  const auto until = steady_clock::now() + milliseconds(10000);
  do {
    health = serve.get("/healthz");
  } while (health.http_status != 200 && steady_clock::now() < until);
  ASSERT_EQ(health.http_status, 200) << health.body;
  const HttpOutcome metrics = serve.get("/metrics");
  for (const std::string& id : builtin_ids()) {
    EXPECT_NE(metrics.body.find("devops_monitor_api_key_state{provider=\"" + id + "\""),
              std::string::npos)
        << id << "\n"
        << metrics.body;
  }
  EXPECT_NE(metrics.body.find("devops_monitor_status{component=\"overall\"} 1"), std::string::npos)
      << "Google's invalid key makes it a warning from the first scrape on\n"
      << metrics.body;
  EXPECT_NE(
      metrics.body.find(R"(devops_monitor_api_key_state{provider="google",state="invalid"} 1)"),
      std::string::npos);
}

TEST(Serve, CannotStartIsExitThreeWithOneLine) {
  MonitorWorld world;
  const RunResult bad_listen = world.check({"serve", "--listen", "nowhere"});
  EXPECT_EQ(bad_listen.exit_code, 3);
  EXPECT_NE(bad_listen.err.find("--listen"), std::string::npos) << bad_listen.err;
  const RunResult bad_disk = world.check(
      {"serve", "--listen", "127.0.0.1:0", "--disk", (world.dir / "no-such-dir").string()});
  EXPECT_EQ(bad_disk.exit_code, 3);
  EXPECT_NE(bad_disk.err.find("no-such-dir"), std::string::npos) << bad_disk.err;
  const RunResult bad_interval = world.check({"serve", "--key-interval", "10ms"});
  EXPECT_EQ(bad_interval.exit_code, 3);
  EXPECT_NE(bad_interval.err.find("--key-interval"), std::string::npos) << bad_interval.err;
  for (const RunResult* run : {&bad_listen, &bad_disk, &bad_interval}) {
    EXPECT_EQ(std::count(run->err.begin(), run->err.end(), '\n'), 1) << run->err;
  }
}

TEST(Serve, ReportServesThePagesViewNotTheWholeReport) {
  MonitorWorld world;
  const std::string canary = serve_canary();
  world.set_key("openai", canary);
  world.set_key("anthropic", canary + "-anthropic");
  // A provider (or a custom endpoint's gateway) whose error names an internal host.
  world.answer("anthropic",
               {.status = 500,
                .body = R"({"type":"error","error":{"type":"api_error","message":"upstream )"
                        R"(llm-gw-7.corp.internal refused"}})"});
  ServeRun serve(world, {});
  ASSERT_GT(serve.port, 0);
  const HttpOutcome report = serve.poll("/report", has_report);
  ASSERT_EQ(report.http_status, 200) << report.body;
  const nlohmann::json served = nlohmann::json::parse(report.body);
  ASSERT_EQ(served["api_keys"].size(), builtin_ids().size()) << report.body;
  for (const char* absent :
       {"key_fingerprint", "env_var", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "error_message",
        "corp.internal", "issues_found", "recommendations", "notices"}) {
    EXPECT_EQ(report.body.find(absent), std::string::npos) << absent << " in\n" << report.body;
  }
  EXPECT_NE(report.body.find("\"state\": \"unknown\""), std::string::npos) << report.body;
  EXPECT_EQ(serve.stop().exit_code, 0);
  // The whole report stays in the report directory.
  const std::string kept = read_text(world.report_dir / "latest_report.json");
  EXPECT_NE(kept.find("key_fingerprint"), std::string::npos);
  EXPECT_NE(kept.find("corp.internal"), std::string::npos);
}

TEST(Serve, RangeIsIgnoredOnEveryPath) {
  MonitorWorld world;
  world.set_key("openai", serve_canary());
  ServeRun serve(world, {"--no-save"});
  ASSERT_GT(serve.port, 0);
  ASSERT_EQ(serve.poll("/report", has_report).http_status, 200);
  std::string ranges = "bytes=0-";
  for (int i = 1; i < 1300; ++i) ranges += ",0-";
  httplib::Client client("127.0.0.1", serve.port);
  client.set_read_timeout(std::chrono::seconds(5));
  for (const char* path : {"/", "/metrics", "/report"}) {
    auto whole = client.Get(path);
    auto ranged = client.Get(path, {{"Range", ranges}});
    ASSERT_TRUE(whole && ranged) << path;
    EXPECT_EQ(ranged->status, 200) << path;
    EXPECT_FALSE(ranged->has_header("Content-Range")) << path;
    EXPECT_FALSE(ranged->has_header("Accept-Ranges")) << path;
    EXPECT_EQ(ranged->get_header_value("Content-Type"), whole->get_header_value("Content-Type"));
    // /metrics is rendered anew every second: its size may move by a few digits, never
    // 1300-fold.
    EXPECT_NEAR(static_cast<double>(ranged->body.size()), static_cast<double>(whole->body.size()),
                whole->body.size() / 10.0)
        << path;
    EXPECT_EQ(ranged->get_header_value_count("X-Content-Type-Options"), 1u) << path;
  }
}

/// A web config file in the world's directory, owned and only writable by the test's user.
std::filesystem::path serve_web_config(MonitorWorld& world, const std::string& text) {
  const std::filesystem::path file = world.dir / "web.yml";
  write_text(file, text);
  std::filesystem::permissions(file, std::filesystem::perms(0600));
  return file;
}

TEST(Serve, AWebConfigThatWouldFailOpenStopsItNamingFileAndLine) {
  MonitorWorld world;
  const std::string users =
      "basic_auth_users:\n  prometheus: $2y$10$" + std::string(53, 'a') + "\n";
  const std::string tls = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {users + "basic_auth_users:\n", "web.yml:3:"},
      {users + "basic_auth_users: {}\n", "web.yml:3:"},
      {"basic_auth_users: {}\n", "web.yml:1:"},
      {"basic_auth_users: ~\n", "web.yml:1:"},
      {"", "web.yml:1"},
      {"# TLS and auth to come\n", "web.yml:1"},
      {tls + "  key_file: other.pem\n", "web.yml:4:"},
      {tls + "  min_version: TLS13\n  max_version: TLS12\n", "web.yml:5:"},
      {"basic_auth_users:\n  ops: $2b$04$" + std::string(53, 'b') + "\n", "web.yml:2:"},
  };
  for (const auto& [text, where] : cases) {
    const std::filesystem::path file = serve_web_config(world, text);
    RunOptions options = world.run_options(
        {"serve", "--listen", "127.0.0.1:0", "--no-save", "--web-config", file.string()});
    options.timeout = milliseconds(5000);  // a serve that started is a failure, not a hang
    const RunResult run = run_monitor(options);
    EXPECT_EQ(run.exit_code, 3) << text << run.err;
    EXPECT_NE(run.err.find((world.dir / where).string()), std::string::npos) << text << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.err.find("listening"), std::string::npos) << run.err;
  }
}

TEST(Serve, TheFirstLineSaysWhetherTlsAndBasicAuthAreOn) {
  MonitorWorld world;
  {
    ServeRun plain(world, {"--no-save"});
    ASSERT_GT(plain.port, 0);
    const RunResult stopped = plain.stop();
    EXPECT_NE(stopped.err.find("listening on 127.0.0.1:" + std::to_string(plain.port) +
                               " (TLS off, basic auth off)\n"),
              std::string::npos)
        << stopped.err;
  }
  ASSERT_EQ(make_loopback_certificate(world.dir.path()).exit_code, 0);
  const std::string hash = "$2y$10$" + std::string(53, 'a');
  const std::filesystem::path file =
      serve_web_config(world,
                       "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                       "basic_auth_users:\n  prometheus: " +
                           hash + "\n  grafana: " + hash + "\n");
  ServeRun guarded(world, {"--no-save", "--web-config", file.string()});
  ASSERT_GT(guarded.port, 0);
  const RunResult stopped = guarded.stop();
  EXPECT_NE(stopped.err.find("listening on 127.0.0.1:" + std::to_string(guarded.port) +
                             " (TLS on, basic auth on (2 users))\n"),
            std::string::npos)
      << stopped.err;
  EXPECT_EQ(stopped.err.find(hash.substr(7, 20)), std::string::npos) << "never a hash";
}

}  // namespace
}  // namespace devops_monitor::testing
