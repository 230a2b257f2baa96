// load_settings: which config file and which .env file the command line (and an application
// calling load_settings) reads, with the process's environment, working directory, /etc and
// uid given as values.
#include "config/load_settings.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>

#include "support/must_run.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

class ConfigLoadSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto* sub :
         {"cwd", "home/.config/devops-monitor", "xdg/devops-monitor", "etc/devops-monitor"}) {
      std::filesystem::create_directories(root / sub);
    }
  }

  /// Writes a config file whose timeout tells which file was read.
  std::filesystem::path config(const std::string& relative, const std::string& timeout) {
    testing::write_text(root / relative, "timeout = \"" + timeout + "\"\n");
    ::chmod((root / relative).c_str(), 0644);
    return root / relative;
  }

  Result<Settings> load(const SettingsSources& sources = {}) {
    notes = {};
    return load_settings_in(sources,
                            {.environment = environment_from(env),
                             .working_dir = root / "cwd",
                             .etc_dir = root / "etc",
                             .caller = ::geteuid()},
                            &notes);
  }

  /// The timeout of the settings `sources` give, in ms; fails the test when refused.
  long long timeout_ms(const SettingsSources& sources = {}) {
    Result<Settings> settings = load(sources);
    EXPECT_TRUE(settings.ok()) << settings.error().message();
    return settings.ok() ? settings->timeout.count() : -1;
  }

  testing::TempDir dir;
  std::filesystem::path root = dir.path();
  std::map<std::string, std::string> env{{"HOME", (root / "home").string()},
                                         {"XDG_CONFIG_HOME", (root / "xdg").string()}};
  SettingsNotes notes;
};

TEST_F(ConfigLoadSettings, NothingFoundGivesTheDefaults) {
  Result<Settings> settings = load();
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->timeout, Settings{}.timeout);
  EXPECT_EQ(settings->env_file, std::nullopt);
  EXPECT_EQ(notes.config_file, std::nullopt);
  EXPECT_TRUE(notes.warnings.empty());
}

TEST_F(ConfigLoadSettings, NamedFileComesFirst) {
  const auto named = config("named.toml", "1s");
  config("xdg/devops-monitor/config.toml", "2s");
  env["DEVOPS_MONITOR_CONFIG"] = config("from-env.toml", "3s").string();
  EXPECT_EQ(timeout_ms({.config_file = named}), 1000);
  EXPECT_EQ(notes.config_file, named);
}

TEST_F(ConfigLoadSettings, ThenTheEnvironmentVariable) {
  config("xdg/devops-monitor/config.toml", "2s");
  config("etc/devops-monitor/config.toml", "4s");
  env["DEVOPS_MONITOR_CONFIG"] = config("from-env.toml", "3s").string();
  EXPECT_EQ(timeout_ms(), 3000);
  env["DEVOPS_MONITOR_CONFIG"] = "";
  EXPECT_EQ(timeout_ms(), 2000) << "an empty DEVOPS_MONITOR_CONFIG names nothing";
}

TEST_F(ConfigLoadSettings, ThenXdgConfigHomeThenEtc) {
  config("home/.config/devops-monitor/config.toml", "5s");
  config("etc/devops-monitor/config.toml", "4s");
  EXPECT_EQ(timeout_ms(), 4000) << "$HOME/.config is only the default of XDG_CONFIG_HOME";
  config("xdg/devops-monitor/config.toml", "2s");
  EXPECT_EQ(timeout_ms(), 2000);
  env.erase("XDG_CONFIG_HOME");
  EXPECT_EQ(timeout_ms(), 5000);
  env["XDG_CONFIG_HOME"] = "relative/dir";
  EXPECT_EQ(timeout_ms(), 5000) << "the XDG spec says to ignore a relative XDG_CONFIG_HOME";
  env.clear();
  EXPECT_EQ(timeout_ms(), 4000) << "no HOME and no XDG_CONFIG_HOME";
}

TEST_F(ConfigLoadSettings, DirectoriesAreNotInstalledConfigFiles) {
  std::filesystem::create_directories(root / "xdg/devops-monitor/config.toml");
  config("etc/devops-monitor/config.toml", "4s");
  EXPECT_EQ(timeout_ms(), 4000);
}

TEST_F(ConfigLoadSettings, WorkingDirectoryConfigIsNeverReadUnlessNamed) {
  const auto local = config("cwd/devops-monitor.toml", "7s");
  EXPECT_EQ(timeout_ms(), Settings{}.timeout.count());
  ASSERT_EQ(notes.warnings.size(), 1u);
  const std::string warning = notes.warnings[0].message();
  EXPECT_NE(warning.find("ignoring " + local.string()), std::string::npos) << warning;
  EXPECT_NE(warning.find("--config ./devops-monitor.toml"), std::string::npos) << warning;
  EXPECT_EQ(warning.find('\n'), std::string::npos);

  config("etc/devops-monitor/config.toml", "4s");
  EXPECT_EQ(timeout_ms(), 4000) << "an installed file is still used";
  EXPECT_EQ(notes.warnings.size(), 1u) << "and the local one still ignored, with a warning";

  EXPECT_EQ(timeout_ms({.config_file = local}), 7000) << "named, it is read";
  EXPECT_TRUE(notes.warnings.empty());
  env["DEVOPS_MONITOR_CONFIG"] = local.string();
  EXPECT_EQ(timeout_ms(), 7000);
  EXPECT_TRUE(notes.warnings.empty());
}

TEST_F(ConfigLoadSettings, UntrustedInstalledFileIsRefusedNotSkipped) {
  const auto xdg = config("xdg/devops-monitor/config.toml", "2s");
  config("etc/devops-monitor/config.toml", "4s");
  ::chmod(xdg.c_str(), 0666);
  Result<Settings> settings = load();
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().what, "untrusted config file");
  EXPECT_EQ(settings.error().detail, "it is world-writable (mode 0666)");
  EXPECT_EQ(settings.error().where, xdg.string());
}

TEST_F(ConfigLoadSettings, UntrustedNamedFileIsRefused) {
  const auto named = config("named.toml", "1s");
  ::chmod(named.c_str(), 0620);
  Result<Settings> settings = load({.config_file = named});
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().message(),
            "untrusted config file: it is group-writable (mode 0620) (" + named.string() + ")");
}

TEST_F(ConfigLoadSettings, NamedFileThatDoesNotExistIsAnError) {
  Result<Settings> settings = load({.config_file = root / "nope.toml"});
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.error().what, "cannot read config file");
  EXPECT_EQ(settings.error().where, (root / "nope.toml").string());
  env["DEVOPS_MONITOR_CONFIG"] = (root / "nope.toml").string();
  EXPECT_FALSE(load().ok()) << "named by the environment: no quiet fallback either";
}

TEST_F(ConfigLoadSettings, DotEnvInTheWorkingDirectoryIsUsedWhenNoneIsNamed) {
  EXPECT_EQ(load()->env_file, std::nullopt);
  testing::write_text(root / "cwd/.env", "OPENAI_API_KEY=x\n");
  EXPECT_EQ(load()->env_file, root / "cwd/.env");
}

TEST_F(ConfigLoadSettings, NamedEnvFileThenTheConfigsThenDotEnv) {
  testing::write_text(root / "cwd/.env", "");
  testing::write_text(root / "etc/devops-monitor/config.toml", "env_file = \"/from/config.env\"\n");
  EXPECT_EQ(load()->env_file, std::filesystem::path("/from/config.env"));
  EXPECT_EQ(load({.env_file = "/from/flag.env"})->env_file,
            std::filesystem::path("/from/flag.env"));
}

TEST_F(ConfigLoadSettings, OnlyTheDotEnvFoundInTheWorkingDirectoryIsUnnamed) {
  EXPECT_TRUE(Settings{}.env_file_named) << "an application's own env_file is its choice";
  testing::write_text(root / "cwd/.env", "");
  EXPECT_FALSE(load()->env_file_named) << "found, not named: a checkout may have planted it";
  EXPECT_TRUE(load({.env_file = root / "cwd/.env"})->env_file_named) << "--env-file .env";
  testing::write_text(root / "etc/devops-monitor/config.toml",
                      "env_file = \"" + (root / "cwd/.env").string() + "\"\n");
  EXPECT_TRUE(load()->env_file_named) << "the config's env_file";
}

TEST_F(ConfigLoadSettings, AWorkingDirectoryThatCannotBeSearchedIsAWarningNotAnException) {
  // A .env that cannot be looked at (here a symlink loop, as root cannot be refused EACCES;
  // the command line is tested as nobody in an unsearchable directory).
  std::filesystem::create_symlink(".env", root / "cwd/.env");
  Result<Settings> settings = load();
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings->env_file, std::nullopt);
  ASSERT_EQ(notes.warnings.size(), 1u);
  EXPECT_NE(notes.warnings[0].message().find("cannot tell whether " + (root / "cwd/.env").string() +
                                             " exists"),
            std::string::npos)
      << notes.warnings[0].message();
}

TEST_F(ConfigLoadSettings, PublicLoadSettingsNeverReadsTheWorkingDirectoryConfig) {
  // The real process: the test's working directory gets a devops-monitor.toml it must ignore.
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(root / "cwd");
  config("cwd/devops-monitor.toml", "7s");
  ::setenv("DEVOPS_MONITOR_CONFIG", "", 1);
  ::setenv("XDG_CONFIG_HOME", (root / "xdg").c_str(), 1);
  SettingsNotes process_notes;
  const Result<Settings> settings = load_settings({}, &process_notes);
  std::filesystem::current_path(before);
  ::unsetenv("DEVOPS_MONITOR_CONFIG");
  ::unsetenv("XDG_CONFIG_HOME");
  if (std::filesystem::exists("/etc/devops-monitor/config.toml")) {
    DEVOPS_MONITOR_SKIP_OR_FAIL("this host has /etc/devops-monitor/config.toml, which it reads");
  }
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(settings->timeout, Settings{}.timeout);
  ASSERT_EQ(process_notes.warnings.size(), 1u);
  EXPECT_NE(process_notes.warnings[0].message().find("ignoring ./devops-monitor.toml"),
            std::string::npos)
      << process_notes.warnings[0].message();
}

}  // namespace
}  // namespace devops_monitor
