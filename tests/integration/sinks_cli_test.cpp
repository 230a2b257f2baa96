// check --format nagios|prometheus and --textfile-dir through the real binary: the plugin line
// and its exit codes, the exposition, the textfile written whole, and no key in any of them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

constexpr const char* kSinksCanary = "sk-CANARY-sinks-cli-0a1b2c3d4e5f";

/// One canary per provider, its tail no word a report holds anyway (not the provider's id).
std::string sinks_canary_of(const std::string& id) {
  return std::string(kSinksCanary) + "-" + std::to_string(std::hash<std::string>{}(id) % 999983);
}

std::size_t sinks_line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(SinksCli, NagiosIsOneStatusLineWithPerfdataAndTheExitCodeOfTheStatus) {
  MonitorWorld healthy({.cpu_percent = 5, .memory_percent = 5});
  healthy.set_key("openai", kSinksCanary);
  const RunResult ok = healthy.check({"check", "--format", "nagios", "--no-save"});
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("DEVOPS OK - ", 0), 0u) << ok.out;
  EXPECT_EQ(sinks_line_count(ok.out), 1u) << "no issues: one line and nothing else\n" << ok.out;
  for (const char* perf : {" | cpu=", " memory=", " 'disk_", " keys_usable=1;;;0;6"}) {
    EXPECT_NE(ok.out.find(perf), std::string::npos) << perf << "\n" << ok.out;
  }

  MonitorWorld warning({.cpu_percent = 5, .memory_percent = 5});
  const RunResult warn = warning.check({"--check", "--format", "nagios"});
  EXPECT_EQ(warn.exit_code, 1);
  EXPECT_EQ(warn.out.rfind("DEVOPS WARNING - ", 0), 0u) << warn.out;
  EXPECT_NE(warn.out.find("\nNo API keys configured"), std::string::npos) << "issues as long text";

  MonitorWorld critical({.cpu_percent = 99, .memory_percent = 5});
  critical.set_key("openai", kSinksCanary);
  const RunResult crit = critical.check({"check", "--format", "nagios"});
  EXPECT_EQ(crit.exit_code, 2);
  EXPECT_EQ(crit.out.rfind("DEVOPS CRITICAL - ", 0), 0u) << crit.out;

  const RunResult unknown =
      critical.check({"check", "--format", "nagios", "--procfs", "/nonexistent"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_EQ(unknown.out.rfind("DEVOPS UNKNOWN - ", 0), 0u) << unknown.out;
  EXPECT_EQ(sinks_line_count(unknown.out), 1u);
  for (const RunResult* run : {&ok, &warn, &crit, &unknown}) {
    EXPECT_EQ(run->out.find(kSinksCanary), std::string::npos);
  }
}

TEST(SinksCli, PrometheusIsTheExpositionWithoutKeyMaterial) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  world.set_key("openai", kSinksCanary);
  world.set_key("google", std::string(kSinksCanary) + "-google");
  world.answer("google", {.status = 400, .body = provider_fixture("google", "invalid")});
  const RunResult run = world.check({"check", "--format", "prometheus"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.out.rfind("# HELP devops_monitor_status ", 0), 0u) << run.out;
  for (const char* sample :
       {"devops_monitor_status{component=\"overall\"} 1\n",
        "devops_monitor_api_key_state{provider=\"openai\",state=\"valid\"} 1\n",
        "devops_monitor_api_key_state{provider=\"google\",state=\"invalid\"} 1\n",
        "devops_monitor_api_key_state{provider=\"google\",state=\"valid\"} 0\n",
        "devops_monitor_cpu_usage_ratio 0.05\n", "devops_monitor_check_errors_total 0\n"}) {
    EXPECT_NE(run.out.find(sample), std::string::npos) << sample << run.out;
  }
  EXPECT_EQ(run.out.find("CANARY"), std::string::npos);
  EXPECT_EQ(run.err, "");
}

TEST(SinksCli, AKeyEchoedByTheProviderReachesNeitherFormat) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  for (const std::string& id : builtin_ids()) {
    const std::string key = sinks_canary_of(id);
    world.set_key(id, key);
    world.answer(id, {.status = 401,
                      .body = R"({"error":{"message":"Incorrect API key provided: )" + key +
                              R"(","type":"invalid_request_error"}})"});
  }
  const std::filesystem::path textfiles = world.dir / "textfiles";
  std::filesystem::create_directory(textfiles);
  std::vector<std::string> keys;
  for (const std::string& id : builtin_ids()) keys.push_back(sinks_canary_of(id));
  for (const char* format : {"nagios", "prometheus"}) {
    const RunResult run =
        world.check({"check", "--format", format, "--textfile-dir", textfiles.string()});
    EXPECT_EQ(run.exit_code, 2) << run.err;
    expect_no_key_piece(std::string("stdout of ") + format, run.out, keys);
    expect_no_key_piece(std::string("stderr of ") + format, run.err, keys);
  }
  // The textfile, the reports and the key history.
  expect_no_key_in_files(world.dir.path(), keys, {world.config_file});
}

TEST(SinksCli, TextfileAppearsWholeWithNoTempFileLeft) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  world.set_key("openai", kSinksCanary);
  const std::filesystem::path textfiles = world.dir / "textfiles";
  std::filesystem::create_directory(textfiles);
  const RunResult run = world.check({"check", "--textfile-dir", textfiles.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Overall status"), std::string::npos) << "the human output is unchanged";
  const std::string prom = read_text(textfiles / "devops_monitor.prom");
  EXPECT_EQ(prom.rfind("# HELP devops_monitor_status ", 0), 0u);
  EXPECT_NE(prom.find("devops_monitor_build_info{version="), std::string::npos)
      << "the last family is there: the file is whole";
  EXPECT_EQ(prom.back(), '\n');
  EXPECT_EQ(prom.find("CANARY"), std::string::npos);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(textfiles)) {
    EXPECT_EQ(entry.path().filename(), "devops_monitor.prom");
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(SinksCli, AMissingTextfileDirIsCreatedLikeTheReportDir) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  const std::filesystem::path textfiles = world.dir / "node-exporter" / "textfiles";
  const RunResult run = world.check({"check", "--no-save", "--textfile-dir", textfiles.string()});
  EXPECT_EQ(run.err, "");
  EXPECT_TRUE(std::filesystem::is_regular_file(textfiles / "devops_monitor.prom"));
}

TEST(SinksCli, UncreatableTextfileDirIsOneLineAndChangesNothingElse) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  world.set_key("openai", kSinksCanary);
  // Under a regular file: no directory can be made there, by root either.
  write_text(world.dir / "a-file", "");
  const RunResult run = world.check(
      {"check", "--format", "nagios", "--textfile-dir", (world.dir / "a-file" / "t").string()});
  EXPECT_EQ(run.exit_code, 0) << "the measured result decides the status";
  EXPECT_EQ(run.out.rfind("DEVOPS OK - ", 0), 0u) << run.out;
  EXPECT_EQ(run.err.rfind("devops-monitor: textfile not written: ", 0), 0u) << run.err;
  EXPECT_EQ(sinks_line_count(run.err), 1u) << run.err;
}

TEST(SinksCli, ReadOnlyTextfileDirIsOneLineAndChangesNothingElse) {
  MonitorWorld world({.cpu_percent = 5, .memory_percent = 5});
  world.set_key("openai", kSinksCanary);
  const std::filesystem::path textfiles = world.dir / "read-only";
  std::filesystem::create_directory(textfiles);
  ::chmod(textfiles.c_str(), 0555);
  world.as_nobody = true;  // root ignores permissions; the check runs as nobody then
  const RunResult run = world.check(
      {"check", "--format", "prometheus", "--no-save", "--textfile-dir", textfiles.string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("devops_monitor_status{component=\"overall\"} 0\n"), std::string::npos)
      << "the measured result is shown\n"
      << run.out;
  EXPECT_NE(run.err.find("devops-monitor: textfile not written: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Permission denied"), std::string::npos) << run.err;
  EXPECT_EQ(sinks_line_count(run.err), 1u) << run.err;
  EXPECT_TRUE(std::filesystem::is_empty(textfiles)) << "no temp file left behind";
}

TEST(SinksCli, FailedCheckWritesATextfileThatSaysSo) {
  MonitorWorld world;
  const std::filesystem::path textfiles = world.dir / "textfiles";
  std::filesystem::create_directory(textfiles);
  const RunResult run =
      world.check({"check", "--procfs", "/nonexistent", "--textfile-dir", textfiles.string()});
  EXPECT_EQ(run.exit_code, 3);
  const std::string prom = read_text(textfiles / "devops_monitor.prom");
  EXPECT_NE(prom.find("\ndevops_monitor_check_errors_total 1\n"), std::string::npos) << prom;
  EXPECT_EQ(prom.find("\ndevops_monitor_last_success_timestamp_seconds "), std::string::npos);
}

TEST(SinksCli, FormatFlagsConflictOrMisplacedAreClearErrors) {
  MonitorWorld world;
  const RunResult conflict = world.check({"check", "--json", "--format", "nagios"});
  EXPECT_EQ(conflict.exit_code, 3);
  EXPECT_NE(conflict.err.find("--json and --format nagios conflict"), std::string::npos)
      << conflict.err;
  EXPECT_EQ(conflict.out, "");
  const RunResult alias = world.check({"check", "--json", "--format", "json", "--no-save"});
  EXPECT_EQ(alias.out.front(), '{') << alias.err;
  const RunResult bad = world.check({"check", "--format", "xml"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("--format xml is not one of"), std::string::npos) << bad.err;
  const RunResult elsewhere = world.check({"providers", "--format", "nagios"});
  EXPECT_EQ(elsewhere.exit_code, 3);
  EXPECT_NE(elsewhere.err.find("unknown flag --format (see devops-monitor providers --help)"),
            std::string::npos)
      << elsewhere.err;
  EXPECT_EQ(elsewhere.out, "") << "providers has no Nagios line to owe";
  std::filesystem::create_directories(world.report_dir);
  const RunResult badge = world.check({"badge", "--format", "json"});
  EXPECT_EQ(badge.exit_code, 0) << "badge keeps its own --format: " << badge.err;
}

}  // namespace
}  // namespace devops_monitor::testing
