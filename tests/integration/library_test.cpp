// The library as an application uses it: a Monitor in this process, real HTTP to fake
// providers on 127.0.0.1, a fake procfs tree.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "devops_monitor/monitor.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/report_store.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

/// Settings routing every built-in provider to `world`'s fake server.
Settings settings_for(const MonitorWorld& world) {
  Settings settings;
  settings.procfs = world.procfs.root();
  settings.report_dir = world.report_dir;
  settings.cpu_window = Milliseconds(150);
  settings.timeout = Milliseconds(3000);
  settings.disks = {world.dir.path()};
  for (Provider& p : settings.providers) p.test_endpoint = world.server.url(world.route(p.id));
  return settings;
}

TEST(Library, PerformHealthCheckReturnsTheReportAndSavesIt) {
  MonitorWorld world({.cpu_percent = 20, .memory_percent = 30});
  const Monitor monitor(settings_for(world),
                        {{"OPENAI_API_KEY", "CANARY-openai"}, {"GOOGLE_API_KEY", "CANARY-google"}});
  CheckNotes notes;
  const Result<Report> report = monitor.perform_health_check(&notes);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->status, Status::healthy);
  EXPECT_EQ(report->provider_fallback_order, (std::vector<std::string>{"openai", "google"}));
  EXPECT_DOUBLE_EQ(report->system_health.cpu_percent, 20.0);
  ASSERT_TRUE(notes.report_file.has_value());
  EXPECT_EQ(read_text(*notes.report_file), to_json(*report));
  keep_for_schema_validation(to_json(*report));
}

TEST(Library, CheckingAndKeepingAreSeparateSteps) {
  MonitorWorld world;
  const Monitor monitor(settings_for(world), {{"OPENAI_API_KEY", "CANARY-openai"}});
  CheckNotes notes;
  const Result<Report> report = monitor.check(&notes);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_FALSE(std::filesystem::exists(world.report_dir)) << "checking writes nothing";
  const Result<std::filesystem::path> kept = ReportStore(monitor.settings()).keep(*report, &notes);
  ASSERT_TRUE(kept.ok()) << kept.error().message();
  EXPECT_EQ(read_text(*kept), to_json(*report));
  EXPECT_EQ(read_text(world.report_dir / "latest_report.json"), to_json(*report));
  EXPECT_TRUE(std::filesystem::exists(world.report_dir / "key_history.json"));
}

TEST(Library, AReportThatCannotBeKeptIsStillReturnedWithTheFailureAmongItsIssues) {
  MonitorWorld world({.cpu_percent = 10, .memory_percent = 10});
  write_text(world.dir / "blocker", "a file where the report directory should be");
  Settings settings = settings_for(world);
  settings.report_dir = world.dir / "blocker" / "reports";
  const Monitor monitor(settings, {{"OPENAI_API_KEY", "CANARY-openai"}});
  CheckNotes notes;
  const Result<Report> report = monitor.perform_health_check(&notes);
  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_TRUE(notes.keep_error.has_value());
  EXPECT_EQ(notes.keep_error->what, "cannot create report directory");
  EXPECT_FALSE(notes.report_file.has_value());
  EXPECT_EQ(report->status, Status::warning) << "healthy machine, but its reports are not kept";
  ASSERT_FALSE(report->issues_found.empty());
  EXPECT_EQ(report->issues_found.back().rfind("Report could not be saved: cannot create report "
                                              "directory",
                                              0),
            0u)
      << report->issues_found.back();
  EXPECT_EQ(report->api_keys[1].state, KeyState::valid) << "the measured result is all there";
}

TEST(Library, NeverPrintsEvenWhenThingsGoWrong) {
  MonitorWorld world;
  write_text(world.dir / "broken.env", "not a line\nOPENAI_API_KEY='unterminated\n");
  Settings settings = settings_for(world);
  settings.env_file = world.dir / "broken.env";
  const Monitor monitor(settings, {});
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  CheckNotes notes;
  const Result<Report> report = monitor.perform_health_check(&notes);
  Settings broken = settings_for(world);
  broken.procfs = world.dir / "no-proc";
  const Result<Report> failed = Monitor(broken, {}).perform_health_check();
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(notes.warnings.size(), 2u) << "malformed .env lines come back as warnings";
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().where.find("no-proc"), std::string::npos);
}

TEST(Library, CustomProviderAddedInCode) {
  MonitorWorld world;
  world.server.on("/custom/v1/ping", {.status = 200, .body = "{}"});
  Monitor monitor(settings_for(world), {{"CUSTOM_API_KEY", "CANARY-custom"}});
  monitor.providers().push_back({.id = "custom",
                                 .name = "Custom Provider",
                                 .env_var = "CUSTOM_API_KEY",
                                 .test_endpoint = world.server.url("/custom/v1/ping"),
                                 .auth = AuthKind::header,
                                 .auth_header = "X-Api-Key",
                                 .priority = 5});
  const Result<std::vector<std::string>> order = monitor.provider_fallback_order();
  ASSERT_TRUE(order.ok()) << order.error().message();
  EXPECT_EQ(*order, std::vector<std::string>{"custom"});
  EXPECT_EQ(world.server.requests().at(0).headers.find("X-Api-Key")->second, "CANARY-custom");
}

TEST(Library, OverridingABuiltInAndTheThresholds) {
  MonitorWorld world({.cpu_percent = 10, .memory_percent = 72});
  Monitor monitor(settings_for(world), {{"OPENAI_API_KEY", "CANARY-openai"}});
  for (Provider& p : monitor.providers()) {
    if (p.id == "openai") p.test_endpoint = world.server.url("/elsewhere/v1/models");
  }
  world.server.on("/elsewhere/v1/models",
                  {.status = 401, .body = provider_fixture("openai", "invalid")});
  monitor.thresholds().memory = {.warning = 60, .critical = 70};
  const Result<Report> report = monitor.perform_health_check();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->system_health.memory_status, Status::critical);
  EXPECT_EQ(report->api_keys[1].state, KeyState::invalid);
  EXPECT_EQ(report->status, Status::critical);
}

TEST(Library, CheckApiKeyStatusLikeTheOldApi) {
  MonitorWorld world;
  world.server.on("/mine/v1/models",
                  {.status = 429, .body = provider_fixture("openai", "quota_exhausted")});
  const Monitor monitor(settings_for(world), {{"MY_OPENAI_KEY", "CANARY-mine"}});
  Provider openai = monitor.settings().providers[1];
  openai.test_endpoint = world.server.url("/mine/v1/models");
  const Result<ApiKeyStatus> status = monitor.check_api_key_status("MY_OPENAI_KEY", openai);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state, KeyState::quota_exhausted);
  EXPECT_EQ(status->key_valid, std::optional<bool>(true));
  EXPECT_EQ(status->env_var, "MY_OPENAI_KEY");

  const Result<ApiKeyStatus> missing = monitor.check_api_key_status("UNSET_KEY", openai);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->state, KeyState::missing);
}

TEST(Library, CheckSystemHealth) {
  MonitorWorld world({.cpu_percent = 95.5, .memory_percent = 40});
  const Result<SystemHealth> health = Monitor(settings_for(world), {}).check_system_health();
  ASSERT_TRUE(health.ok()) << health.error().message();
  EXPECT_DOUBLE_EQ(health->cpu_percent, 95.5);
  EXPECT_EQ(health->status, Status::critical);
}

TEST(Library, TwoThreadsCheckAtOnceOnOneMonitor) {
  MonitorWorld world;
  Settings settings = settings_for(world);
  settings.procfs = "/proc";  // the fake procfs serves one reader at a time
  const Monitor monitor(settings, {{"OPENAI_API_KEY", "CANARY-openai"}});
  std::vector<Result<Report>> results(4, Error{"not run", "", ""});
  std::vector<CheckNotes> notes(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { results[i] = monitor.perform_health_check(&notes[i]); });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> files;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().message();
    ASSERT_TRUE(notes[i].report_file.has_value());
    files.insert(notes[i].report_file->string());
  }
  EXPECT_EQ(files.size(), 4u) << "each check has its own report file";
  EXPECT_EQ(world.server.request_count(world.route("openai")), 4u);
}

TEST(Library, ValueTypesRoundTripThroughJson) {
  MonitorWorld world;
  const Monitor monitor(settings_for(world), {{"OPENAI_API_KEY", "CANARY-openai"}});
  const Result<Report> report = monitor.perform_health_check();
  ASSERT_TRUE(report.ok());
  const Result<SystemHealth> health = parse_system_health(to_json(report->system_health), "test");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(to_json(*health), to_json(report->system_health));
  for (const ApiKeyStatus& key : report->api_keys) {
    const Result<ApiKeyStatus> back = parse_api_key_status(to_json(key), "test");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(to_json(*back), to_json(key));
  }
  const Result<Report> whole = parse_report(to_json(*report), "test");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(to_json(*whole), to_json(*report));
}

}  // namespace
}  // namespace devops_monitor::testing
