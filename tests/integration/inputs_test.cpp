// Inputs the check reads: .env files, the config file, procfs, disks, thresholds.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

std::string state_of(const nlohmann::json& report, const std::string& id) {
  for (const auto& k : report["api_keys"]) {
    if (k["id"] == id) return k["state"];
  }
  return "absent";
}

// ---- .env ------------------------------------------------------------------------------

TEST(EnvFile, KeysComeFromTheDefaultDotEnvInTheWorkingDirectory) {
  MonitorWorld world;
  write_text(
      world.dir / ".env",
      "# keys\nexport "
      "OPENAI_API_KEY='CANARY-openai-from-dotenv'\n\nANTHROPIC_API_KEY=\"CANARY-anthropic\"\n");
  const nlohmann::json report = stdout_json(world.check({"--check", "--json"}));
  EXPECT_EQ(state_of(report, "openai"), "valid");
  EXPECT_EQ(state_of(report, "anthropic"), "valid");
  EXPECT_EQ(state_of(report, "google"), "missing");
}

TEST(EnvFile, EnvironmentWinsOverTheFile) {
  MonitorWorld world;
  write_text(world.dir / ".env", "OPENAI_API_KEY=CANARY-from-file\n");
  world.set_key("openai", "CANARY-from-environment");
  ASSERT_LE(world.check({"--check", "--json"}).exit_code, 2);
  const auto requests = world.server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.find("Authorization")->second, "Bearer CANARY-from-environment");
}

TEST(EnvFile, EmptyEnvironmentVariableWinsOverTheFileAndSaysSo) {
  // As python-dotenv: a variable set in the environment, even empty, is not overridden.
  MonitorWorld world;
  write_text(world.dir / ".env", "OPENAI_API_KEY=CANARY-from-file\n");
  world.env["OPENAI_API_KEY"] = "";
  const RunResult run = world.check({"--check", "--json"});
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(state_of(report, "openai"), "missing");
  EXPECT_EQ(report["api_keys"][1]["error_message"],
            "API key not configured (OPENAI_API_KEY is set but empty)");
  EXPECT_EQ(report["api_keys"][0]["error_message"],
            "API key not configured (TOGETHER_API_KEY is not set)");
  EXPECT_TRUE(world.server.requests().empty());
}

TEST(EnvFile, ExpansionCannotPullOtherSecretsOutOfTheEnvironment) {
  // A file the user named; a ./.env nobody named cannot take even API key variables from the
  // environment (planted_files_test.cpp).
  MonitorWorld world;
  const std::string canary = "CANARYawsWs7Ed4Rf5Tg6Yh7Uj8Ik9Ol0Pq1Aw2Se3";
  const std::filesystem::path env_file = world.dir / "keys.env";
  write_text(env_file,
             "OPENAI_API_KEY=${AWS_SECRET_ACCESS_KEY}\nGOOGLE_API_KEY=\"${ANTHROPIC_API_KEY}\"\n");
  world.env["AWS_SECRET_ACCESS_KEY"] = canary;
  world.set_key("anthropic", "CANARY-anthropic");
  const RunResult run = world.check({"--check", "--json", "--env-file", env_file.string()});
  const nlohmann::json report = stdout_json(run);
  EXPECT_EQ(state_of(report, "openai"), "missing");
  EXPECT_EQ(state_of(report, "google"), "valid") << "API key variables still expand";
  for (const RecordedRequest& request : world.server.requests()) {
    for (const auto& [name, value] : request.headers) {
      EXPECT_EQ(value.find(canary), std::string::npos) << request.path << " " << name;
    }
  }
  EXPECT_EQ(world.server.request_count(world.route("openai")), 0u);
  EXPECT_EQ(run.err,
            "devops-monitor: warning: not expanding ${AWS_SECRET_ACCESS_KEY} from the environment: "
            "only API key variables (a built-in provider's, or *_API_KEY) and earlier entries of "
            "this file are; it gets its :-default or nothing (" +
                env_file.string() + ":1)\n");
  EXPECT_EQ(run.out.find(canary), std::string::npos);
}

TEST(EnvFile, MalformedLinesAreWarnedWithFileAndLineAndSkipped) {
  MonitorWorld world;
  write_text(
      world.dir / "keys.env",
      "OPENAI_API_KEY=CANARY-good\nthis is not an assignment\nGOOGLE_API_KEY='unterminated\n");
  const RunResult run =
      world.check({"--check", "--json", "--env-file", (world.dir / "keys.env").string()});
  EXPECT_LE(run.exit_code, 2);
  EXPECT_NE(run.err.find("devops-monitor: warning: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("keys.env:2"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("keys.env:3"), std::string::npos) << run.err;
  const nlohmann::json report = stdout_json(run);  // stdout is still only the JSON
  EXPECT_EQ(state_of(report, "openai"), "valid");
  EXPECT_EQ(state_of(report, "google"), "missing");
}

TEST(EnvFile, NamedEnvFileThatDoesNotExistIsExitThree) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--env-file", (world.dir / "nope.env").string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("nope.env"), std::string::npos) << run.err;
}

TEST(EnvFile, TheFileIsNeverExecuted) {
  MonitorWorld world;
  const auto marker = world.dir / "pwned";
  const std::string command = "$(touch " + marker.string() + ")";
  write_text(world.dir / ".env",
             "OPENAI_API_KEY=" + command + "\n`touch " + marker.string() + "`\n");
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(std::filesystem::exists(marker));
  // The file was read: its value went to the provider as written, not as a command's output.
  bool sent_as_written = false;
  for (const RecordedRequest& request : world.server.requests()) {
    const auto auth = request.headers.find("Authorization");
    sent_as_written |= auth != request.headers.end() && auth->second == "Bearer " + command;
  }
  EXPECT_TRUE(sent_as_written);
  EXPECT_NE(run.err.find("ignoring malformed line"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(".env:2"), std::string::npos) << run.err;
}

// ---- config ----------------------------------------------------------------------------

TEST(Config, ErrorsNameFileLineAndColumnAndExitThree) {
  MonitorWorld world;
  write_text(world.config_file, "timeout = \"5s\"\n[thresholds]\nwarning = 95\ncritical = 90\n");
  const RunResult run = world.check({"--check"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("devops-monitor.toml:"), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.out, "");

  write_text(world.config_file, "report_dirr = \"x\"\n");
  const RunResult unknown = world.check({"--check"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("devops-monitor.toml:1:1"), std::string::npos) << unknown.err;

  write_text(world.config_file, "[thresholds\n");
  EXPECT_EQ(world.check({"--check"}).exit_code, 3);
}

TEST(Config, ACaBundleThatCannotBeReadIsOneClearErrorNotSixUnknownKeys) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-ca-bundle-1234");
  const std::string missing = (world.dir / "no-such-ca.pem").string();
  world.write_config("ca_bundle = \"" + missing + "\"\n");
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "devops-monitor: cannot read ca_bundle: No such file or directory (" + missing + ")\n");
  EXPECT_EQ(world.server.requests().size(), 0u);

  world.write_config("ca_bundle = \"" + world.dir.path().string() + "\"\n");
  const RunResult directory = world.check({"--check"});
  EXPECT_EQ(directory.exit_code, 3);
  EXPECT_NE(directory.err.find("cannot read ca_bundle: not a file"), std::string::npos)
      << directory.err;
}

TEST(Config, FlagsWinOverTheConfigFile) {
  MonitorWorld world;
  write_text(world.config_file, "report_dir = \"" + (world.dir / "from-config").string() + "\"\n");
  const RunResult run =
      world.check({"--check", "--report-dir", (world.dir / "from-flag").string()});
  EXPECT_LE(run.exit_code, 2) << run.err;
  EXPECT_TRUE(std::filesystem::exists(world.dir / "from-flag" / "latest_report.json"));
  EXPECT_FALSE(std::filesystem::exists(world.dir / "from-config"));
}

TEST(Config, ThresholdsFromTheConfigFileApply) {
  MonitorWorld world({.cpu_percent = 10, .memory_percent = 75});
  world.write_config("[thresholds]\nmemory_warning = 70\nmemory_critical = 74\n");
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(stdout_json(run)["system_health"]["memory_status"], "critical");
}

// ---- thresholds through the whole binary ---------------------------------------------------

struct Crossing {
  double memory;
  int exit_code;
  const char* status;
};

class MemoryCrossing : public ::testing::TestWithParam<Crossing> {};

TEST_P(MemoryCrossing, ExitStatusFollowsTheMetric) {
  const Crossing c = GetParam();
  MonitorWorld world({.cpu_percent = 10, .memory_percent = c.memory});
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_EQ(run.exit_code, c.exit_code) << run.err;
  const nlohmann::json report = stdout_json(run);
  EXPECT_DOUBLE_EQ(report["system_health"]["memory_percent"].get<double>(), c.memory);
  EXPECT_EQ(report["system_health"]["status"], c.status);
}

INSTANTIATE_TEST_SUITE_P(Boundaries, MemoryCrossing,
                         ::testing::Values(Crossing{79.9, 0, "healthy"},
                                           Crossing{80.0, 1, "warning"},
                                           Crossing{90.0, 1, "warning"},
                                           Crossing{90.1, 2, "critical"}),
                         [](const ::testing::TestParamInfo<Crossing>& info) {
                           std::string name = fmt::format("memory_{:.1f}", info.param.memory);
                           std::replace(name.begin(), name.end(), '.', '_');
                           return name;
                         });

TEST(Cpu, PercentOverTheWindowComesFromProcStat) {
  MonitorWorld world({.cpu_percent = 93.7, .memory_percent = 10});
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  const RunResult run = world.check({"--check", "--json", "--cpu-window", "300ms"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  const nlohmann::json report = stdout_json(run);
  EXPECT_DOUBLE_EQ(report["system_health"]["cpu_percent"].get<double>(), 93.7);
  EXPECT_EQ(report["system_health"]["cpu_count"], 2);
  EXPECT_EQ(report["system_health"]["load_average"]["1m"], 0.52);
  bool phrase = false;
  for (const auto& issue : report["issues_found"]) {
    phrase |= issue.get<std::string>().rfind("System resources critically high", 0) == 0;
  }
  EXPECT_TRUE(phrase) << report["issues_found"];
}

// ---- procfs and disks ----------------------------------------------------------------------

TEST(Procfs, MissingFileIsExitThreeNamingIt) {
  MonitorWorld world;
  std::filesystem::remove(world.procfs.root() / "meminfo");
  const RunResult run = world.check({"--check"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find((world.procfs.root() / "meminfo").string()), std::string::npos) << run.err;
}

TEST(Procfs, TruncatedStatIsExitThreeNamingIt) {
  MonitorWorld world;
  // A tree of its own: the fake procfs keeps rewriting its stat file.
  const auto cut = world.dir / "cut-proc";
  std::filesystem::create_directories(cut);
  for (const char* f : {"meminfo", "loadavg"}) {
    std::filesystem::copy_file(world.procfs.root() / f, cut / f);
  }
  write_text(cut / "stat", "cpu  12 0 3");
  const RunResult run = world.check({"--check", "--procfs", cut.string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("procfs file is truncated"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find((cut / "stat").string()), std::string::npos) << run.err;
}

TEST(Procfs, CountersThatDoNotMoveAreAnErrorNotZero) {
  MonitorWorld world;
  const auto frozen = world.dir / "frozen-proc";
  std::filesystem::create_directories(frozen);
  for (const char* f : {"stat", "meminfo", "loadavg"}) {
    std::filesystem::copy_file(world.procfs.root() / f, frozen / f);
  }
  const RunResult run = world.check({"--check", "--procfs", frozen.string()});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find((frozen / "stat").string()), std::string::npos) << run.err;
}

TEST(Procfs, RealProcWorks) {
  MonitorWorld world;
  const RunResult run = world.check({"--check", "--json", "--procfs", "/proc"});
  EXPECT_LE(run.exit_code, 2) << run.err;
  const nlohmann::json report = stdout_json(run);
  EXPECT_GE(report["system_health"]["cpu_count"].get<int>(), 1);
  EXPECT_GT(report["system_health"]["memory_percent"].get<double>(), 0.0);
}

TEST(Disks, EachDiskIsReportedAndAMissingPathIsExitThree) {
  MonitorWorld world;
  const RunResult run =
      world.check({"--check", "--json", "--disk", "/", "--disk", world.dir.path().string()});
  ASSERT_LE(run.exit_code, 2) << run.err;
  const nlohmann::json report = stdout_json(run);
  ASSERT_EQ(report["system_health"]["disks"].size(), 2u);
  EXPECT_EQ(report["system_health"]["disks"][0]["path"], "/");

  const RunResult missing = world.check({"--check", "--disk", "/no/such/path"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("/no/such/path"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace devops_monitor::testing
