// serve's metrics and answers over plain values (no threads, no sockets): what /metrics shows
// before and after a key round, the rounds' facts, the errors counter, the metric contract,
// readiness, and what each path answers.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "devops_monitor/version.hpp"
#include "serve/exporter_answers.hpp"
#include "support/fixtures.hpp"

namespace devops_monitor::serve {
namespace {

using testing::kFixedNow;
using testing::kSourceTree;

engine::EngineState system_only_state() {
  engine::EngineState state;
  engine::SystemReading reading;
  reading.sample.cpu_percent = 12.5;
  reading.sample.cpu_count = 2;
  reading.sample.memory = {.total_bytes = 1000, .available_bytes = 600};
  reading.sample.load = {0.5, 0.25, 0.125};
  DiskSample disk;
  disk.path = "/";
  disk.total_bytes = 1000;
  disk.used_bytes = 250;
  disk.available_bytes = 750;
  reading.sample.disks = {disk};
  reading.taken_at = kFixedNow;
  state.system = reading;
  return state;
}

ApiKeyStatus exporter_key(const std::string& id, KeyState state) {
  ApiKeyStatus key;
  key.provider = id;
  key.id = id;
  key.state = state;
  key.key_present = state != KeyState::missing;
  key.latency_ms = 125;
  key.key_fingerprint = "0badf00d";
  return key;
}

/// The sample lines of `family` (name followed by '{' or ' ').
std::vector<std::string> samples_of(const std::string& text, const std::string& family) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(family + "{", 0) == 0 || line.rfind(family + " ", 0) == 0) {
      lines.push_back(line);
    }
  }
  return lines;
}

/// "name value" with the value spelled the way the exposition spells it.
std::string fmt_line(const std::string& name, double value) {
  return fmt::format("{} {}", name, value);
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(ServeMetrics, BeforeTheFirstRoundMetricsHaveTheSystemButNoKeySeries) {
  const engine::EngineState state = system_only_state();
  const std::string text = render_metrics(state, ThresholdSet{}, "host");
  EXPECT_TRUE(has_line(text, "devops_monitor_cpu_usage_ratio 0.125")) << text;
  EXPECT_TRUE(has_line(text, "devops_monitor_memory_usage_ratio 0.4")) << text;
  EXPECT_TRUE(has_line(text, "devops_monitor_disk_usage_ratio{path=\"/\"} 0.25")) << text;
  EXPECT_TRUE(has_line(text, "devops_monitor_load1 0.5")) << text;
  EXPECT_TRUE(samples_of(text, "devops_monitor_api_key_state").empty()) << text;
  EXPECT_TRUE(samples_of(text, "devops_monitor_api_key_check_duration_seconds").empty());
  EXPECT_EQ(text.find("component=\"api_keys\""), std::string::npos) << "no key verdict exists yet\n"
                                                                    << text;
  // Nor an overall status, which needs one: "healthy" here would resolve a firing alert after
  // every restart, and the first round would fire it again.
  EXPECT_EQ(text.find("component=\"overall\""), std::string::npos) << text;
  EXPECT_TRUE(has_line(text, "devops_monitor_status{component=\"cpu\"} 0")) << text;
  EXPECT_TRUE(samples_of(text, "devops_monitor_last_check_timestamp_seconds").empty());
  EXPECT_TRUE(samples_of(text, "devops_monitor_last_success_timestamp_seconds").empty());
  EXPECT_TRUE(samples_of(text, "devops_monitor_check_duration_seconds").empty());
  EXPECT_TRUE(has_line(text, "devops_monitor_check_errors_total 0")) << text;
  EXPECT_TRUE(
      has_line(text, std::string("devops_monitor_build_info{version=\"") + kVersion + "\"} 1"));
}

TEST(ServeMetrics, ARoundsKeysAndFactsAppearWithTheFreshSystemSample) {
  engine::EngineState state = system_only_state();
  state.keys = std::vector<ApiKeyStatus>{exporter_key("openai", KeyState::valid),
                                         exporter_key("google", KeyState::invalid)};
  state.last_round_started = kFixedNow - std::chrono::seconds(30);
  state.last_success = kFixedNow - std::chrono::seconds(30);
  state.last_round_duration = Milliseconds(1500);
  const std::string text = render_metrics(state, ThresholdSet{}, "host");

  EXPECT_TRUE(has_line(text, R"(devops_monitor_api_key_state{provider="openai",state="valid"} 1)"))
      << text;
  EXPECT_TRUE(
      has_line(text, R"(devops_monitor_api_key_state{provider="google",state="invalid"} 1)"));
  EXPECT_TRUE(has_line(text, R"(devops_monitor_api_key_state{provider="google",state="valid"} 0)"));
  EXPECT_TRUE(
      has_line(text, R"(devops_monitor_api_key_check_duration_seconds{provider="openai"} 0.125)"));
  EXPECT_TRUE(has_line(text, R"(devops_monitor_status{component="api_keys"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(devops_monitor_status{component="overall"} 1)")) << text;
  const double round_start =
      std::chrono::duration<double>((kFixedNow - std::chrono::seconds(30)).time_since_epoch())
          .count();
  EXPECT_TRUE(has_line(text, fmt_line("devops_monitor_last_check_timestamp_seconds", round_start)))
      << text;
  EXPECT_TRUE(
      has_line(text, fmt_line("devops_monitor_last_success_timestamp_seconds", round_start)));
  EXPECT_TRUE(has_line(text, "devops_monitor_check_duration_seconds 1.5")) << text;
  // The system part is the sample's, not the round's.
  EXPECT_TRUE(has_line(text, "devops_monitor_cpu_usage_ratio 0.125"));
  EXPECT_EQ(text.find("0badf00d"), std::string::npos) << "no fingerprint in any metric";
}

TEST(ServeMetrics, FailedRoundsCountAndTheLastSuccessStaysBehind) {
  engine::EngineState state = system_only_state();
  state.keys = std::vector<ApiKeyStatus>{exporter_key("openai", KeyState::valid)};
  state.last_success = kFixedNow - std::chrono::minutes(10);
  state.last_round_started = kFixedNow - std::chrono::minutes(5);
  state.last_round_duration = Milliseconds(2);
  state.check_errors_total = 2;
  const std::string text = render_metrics(state, ThresholdSet{}, "host");
  EXPECT_TRUE(has_line(text, "devops_monitor_check_errors_total 2")) << text;
  const auto last_check = samples_of(text, "devops_monitor_last_check_timestamp_seconds");
  const auto last_success = samples_of(text, "devops_monitor_last_success_timestamp_seconds");
  ASSERT_EQ(last_check.size(), 1u);
  ASSERT_EQ(last_success.size(), 1u);
  EXPECT_NE(last_check, last_success);
  // The previous round's keys are kept.
  EXPECT_TRUE(has_line(text, R"(devops_monitor_api_key_state{provider="openai",state="valid"} 1)"));
}

TEST(ServeMetrics, ExportsExactlyTheMetricContract) {
  std::set<std::string> contract;
  std::ifstream names(kSourceTree / "tests" / "deploy" / "metric_names.txt");
  for (std::string line; std::getline(names, line);) {
    if (!line.empty() && line[0] != '#') contract.insert(line);
  }
  ASSERT_FALSE(contract.empty());
  engine::EngineState state = system_only_state();
  state.keys = std::vector<ApiKeyStatus>{exporter_key("openai", KeyState::valid)};
  std::set<std::string> exported;
  std::istringstream in(render_metrics(state, ThresholdSet{}, "host"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) exported.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  EXPECT_EQ(exported, contract);
}

TEST(ServeMetrics, PathsAnswerMetricsHealthReportOrNotFound) {
  Published ready{.metrics = std::make_shared<const std::string>("m 1\n"),
                  .report_json = std::make_shared<const std::string>("{}\n"),
                  .ready = true};
  const HttpAnswer metrics = answer("/metrics", ready);
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.body, "m 1\n");
  EXPECT_EQ(metrics.content_type, kMetricsContentType);
  const HttpAnswer health = answer("/healthz", ready);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  const HttpAnswer report = answer("/report", ready);
  EXPECT_EQ(report.status, 200);
  EXPECT_EQ(report.body, "{}\n");
  EXPECT_EQ(report.content_type, "application/json");
  for (const char* path : {"/", "/metrics/", "/favicon.ico", "/report.json", ""}) {
    EXPECT_EQ(answer(path, ready).status, 404) << path;
  }
}

TEST(ServeMetrics, NotReadyBeforeTheFirstRound) {
  const Published starting{.metrics = std::make_shared<const std::string>("m 1\n")};
  const HttpAnswer health = answer("/healthz", starting);
  EXPECT_EQ(health.status, 503) << "a load balancer or Prometheus must not take it as up yet";
  EXPECT_EQ(std::count(health.body.begin(), health.body.end(), '\n'), 1) << "one line";
  const HttpAnswer early = answer("/report", starting);
  EXPECT_EQ(early.status, 503);
  EXPECT_EQ(std::count(early.body.begin(), early.body.end(), '\n'), 1) << "one line";
  EXPECT_EQ(answer("/metrics", starting).status, 200) << "the system part is measured already";
}

TEST(ServeMetrics, ReadinessIsTheFirstRoundsKeys) {
  engine::EngineState state = system_only_state();
  EXPECT_FALSE(state.ready());
  state.check_errors_total = 1;  // a failed round judged no key
  EXPECT_FALSE(state.ready());
  state.keys = std::vector<ApiKeyStatus>{};
  EXPECT_TRUE(state.ready()) << "no enabled provider is an answer too";
  EXPECT_TRUE(has_line(render_metrics(state, ThresholdSet{}, "host"),
                       "devops_monitor_status{component=\"overall\"} 1"))
      << "no key at all is a warning, once judged";
}

TEST(ServeReportView, ReportServesWhatThePageShowsAndNothingMore) {
  Report report;
  report.timestamp = "2026-01-02T03:04:05Z";
  report.status = Status::warning;
  report.host = "build-7";
  ApiKeyStatus key = exporter_key("openai", KeyState::unknown);
  key.env_var = "OPENAI_API_KEY";
  key.key_fingerprint = "0a1b2c3d";
  key.key_first_seen = "2025-01-01T00:00:00Z";
  key.error_message = "Could not verify the key: cannot connect to llm-gw.corp.internal:443";
  key.http_status = 502;
  key.latency_ms = 120;
  key.restriction = "region";
  key.credit_remaining = 12.5;
  report.api_keys = {key};
  report.issues_found = {"OpenAI API key could not be verified: llm-gw.corp.internal"};
  report.recommendations = {"Verify or regenerate the OpenAI API key and update OPENAI_API_KEY"};
  report.notices = {"OpenAI key rotated (fingerprint 0a1b2c3d, was 99999999)"};
  DiskHealth disk;
  disk.path = "/srv";
  disk.status = Status::unknown;
  disk.error = "statfs of nfs.corp.internal:/srv did not answer";
  report.system_health.disks = {disk};
  report.provider_fallback_order = {"openai"};

  const std::string served = public_report_json(report);
  const auto json = nlohmann::json::parse(served);
  for (const char* absent :
       {"0a1b2c3d", "OPENAI_API_KEY", "corp.internal", "99999999", "key_fingerprint", "env_var",
        "error_message", "http_status", "key_first_seen", "restriction", "credit_remaining",
        "issues_found", "recommendations", "notices", "\"error\""}) {
    EXPECT_EQ(served.find(absent), std::string::npos) << absent << " in\n" << served;
  }
  EXPECT_EQ(json["status"], "warning");
  EXPECT_EQ(json["host"], "build-7");
  EXPECT_EQ(json["timestamp"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(json["provider_fallback_order"], nlohmann::json::array({"openai"}));
  const auto& served_key = json["api_keys"].at(0);
  EXPECT_EQ(served_key["id"], "openai");
  EXPECT_EQ(served_key["state"], "unknown");
  EXPECT_EQ(served_key["latency_ms"], 120);
  EXPECT_EQ(served_key.size(), 7u) << served_key.dump();
  EXPECT_EQ(json["system_health"]["disks"].at(0)["path"], "/srv");
  EXPECT_EQ(json["system_health"]["disks"].at(0)["status"], "unknown");
}

}  // namespace
}  // namespace devops_monitor::serve
