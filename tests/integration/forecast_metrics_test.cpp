// serve's forecasts end to end: reports already in the report directory (read through the
// history layer at start) make devops_monitor_disk_full_eta_seconds and
// devops_monitor_credit_exhausted_eta_seconds in /metrics, and too little history makes none.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "http/http_client.hpp"
#include "support/monitor_world.hpp"
#include "support/serve_process.hpp"

namespace devops_monitor::testing {
namespace {

using std::chrono::milliseconds;

/// A report `hours_ago` before now: "/forecast-data" at `percent`, OpenRouter's key with
/// `credit` left.
void write_forecast_report(const MonitorWorld& world, int hours_ago, double percent,
                           double credit) {
  const std::time_t t = std::time(nullptr) - static_cast<std::time_t>(hours_ago) * 3600;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[64];
  char name[64];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S.000+00:00", &utc);
  std::strftime(name, sizeof name, "monitoring_report_%Y%m%d_%H%M%S.json", &utc);
  const nlohmann::json report = {
      {"timestamp", stamp},
      {"status", "healthy"},
      {"api_keys",
       {{{"provider", "OpenRouter"},
         {"id", "openrouter"},
         {"key_present", true},
         {"key_valid", true},
         {"state", "valid"},
         {"credit_remaining", credit},
         {"credit_unit", "USD"}}}},
      {"system_health",
       {{"cpu_percent", 10.0},
        {"memory_percent", 20.0},
        {"disk_percent", percent},
        {"status", "healthy"},
        {"disks", {{{"path", "/forecast-data"}, {"percent", percent}}}}}}};
  std::filesystem::create_directories(world.report_dir);
  write_text(world.report_dir / name, report.dump(2));
}

/// /metrics of `serve` over the world's report directory, after its first key round.
std::string metrics_after_first_round(MonitorWorld& world) {
  RunOptions options = world.run_options({"serve", "--listen", "127.0.0.1:0", "--no-save"});
  options.timeout = milliseconds(30000);
  Process serve(monitor_binary(), options);
  std::string err;
  const int port = serve_port_after_first_round(serve, err);
  if (port == 0) {
    ADD_FAILURE() << err;
    return "";
  }
  HttpOutcome metrics;
  for (int i = 0; i < 100; ++i) {  // the round's publication follows its log line
    metrics = perform_request({.method = "GET",
                               .url = "http://127.0.0.1:" + std::to_string(port) + "/metrics",
                               .timeout = milliseconds(5000)},
                              HttpOptions{});
    if (metrics.body.find("devops_monitor_api_key_state") != std::string::npos &&
        metrics.body.find("{component=\"overall\"}") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  serve.kill(SIGTERM);
  EXPECT_EQ(serve.wait().exit_code, 0);
  return metrics.body;
}

double sample_of(const std::string& text, const std::string& series) {
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

TEST(ForecastMetrics, ServeExportsWhatTheReportHistoryForesees) {
  MonitorWorld world;
  // Hourly: "/forecast-data" filling 1 point an hour to 90% an hour ago (9 hours left now);
  // credit 40 -> 37, a top-up, then 80 falling 2 an hour to 74 an hour ago (36 hours left).
  for (int h = 8; h >= 1; --h) {
    write_forecast_report(world, h, 90.0 - (h - 1), h > 4 ? 32.0 + h : 80.0 - 2.0 * (4 - h));
  }
  const std::string text = metrics_after_first_round(world);
  EXPECT_NEAR(sample_of(text, R"(devops_monitor_disk_full_eta_seconds{path="/forecast-data"})"),
              9 * 3600.0, 120)
      << text;
  EXPECT_NEAR(
      sample_of(text, R"(devops_monitor_credit_exhausted_eta_seconds{provider="openrouter"})"),
      36 * 3600.0, 120)
      << text;
}

TEST(ForecastMetrics, TooLittleHistoryExportsNoForecast) {
  MonitorWorld world;
  write_forecast_report(world, 2, 80.0, 20.0);
  write_forecast_report(world, 1, 85.0, 10.0);  // two reports: too few to say anything
  const std::string text = metrics_after_first_round(world);
  EXPECT_NE(text.find("# TYPE devops_monitor_disk_full_eta_seconds gauge\n"), std::string::npos);
  EXPECT_EQ(text.find("devops_monitor_disk_full_eta_seconds{"), std::string::npos) << text;
  EXPECT_EQ(text.find("devops_monitor_credit_exhausted_eta_seconds{"), std::string::npos) << text;
}

}  // namespace
}  // namespace devops_monitor::testing
