#include "config/config_file.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

const std::filesystem::path kSourceDir(DEVOPS_MONITOR_SOURCE_DIR);
const std::filesystem::path kConfigFixtures = kSourceDir / "tests/fixtures/config";
const std::string kConfigCanary = "CANARY-not-a-real-key-123";

Result<Settings> apply(const std::string& text, Settings base = {}) {
  return apply_config_text(text, "test.toml", std::move(base));
}

/// The settings `text` gives; fails the test if it is refused.
Settings applied(const std::string& text, Settings base = {}) {
  Result<Settings> settings = apply(text, std::move(base));
  EXPECT_TRUE(settings.ok()) << text << "\n-> " << settings.error().message();
  return settings.ok() ? *settings : Settings{};
}

/// The error `text` gives; fails the test if it is accepted.
Error refused_config(const std::string& text) {
  Result<Settings> settings = apply(text);
  EXPECT_FALSE(settings.ok()) << text << "\n-> accepted";
  if (settings.ok()) return {};
  EXPECT_EQ(settings.error().message().find('\n'), std::string::npos) << settings.error().message();
  return settings.error();
}

const Provider& provider(const Settings& settings, const std::string& id) {
  auto it = std::find_if(settings.providers.begin(), settings.providers.end(),
                         [&](const Provider& p) { return p.id == id; });
  if (it == settings.providers.end()) throw std::runtime_error("no provider " + id);
  return *it;
}

const Provider& builtin_provider(const std::string& id) {
  static const std::vector<Provider> table = builtin_providers();
  return *std::find_if(table.begin(), table.end(), [&](const Provider& p) { return p.id == id; });
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// ---- top-level keys -------------------------------------------------------------------------

TEST(ConfigFile, EmptyFileKeepsTheBase) {
  const Settings settings = applied("# nothing but a comment\n");
  const Settings defaults;
  EXPECT_EQ(settings.report_dir, defaults.report_dir);
  EXPECT_EQ(settings.cpu_window, defaults.cpu_window);
  EXPECT_EQ(settings.timeout, defaults.timeout);
  EXPECT_EQ(settings.disks, defaults.disks);
  EXPECT_EQ(settings.providers.size(), builtin_providers().size());
}

TEST(ConfigFile, KeysNotInTheFileKeepTheirBaseValues) {
  Settings base;
  base.report_dir = "/from/flags";
  base.timeout = Milliseconds(2000);
  base.thresholds.disk = {50, 60};
  const Settings settings = applied("cpu_window = \"2s\"\n", base);
  EXPECT_EQ(settings.report_dir, "/from/flags");
  EXPECT_EQ(settings.timeout, Milliseconds(2000));
  EXPECT_EQ(settings.cpu_window, Milliseconds(2000));
  EXPECT_EQ(settings.thresholds.disk.warning, 50);
}

TEST(ConfigFile, PathsAreTakenAsWritten) {
  const Settings settings = applied(
      "report_dir = \"reports/here\"\nprocfs = \"../proc\"\nenv_file = \"secrets/.env\"\n"
      "ca_bundle = \"certs/ca.pem\"\ndisks = [\"/\", \"data\"]\n");
  EXPECT_EQ(settings.report_dir, "reports/here");
  EXPECT_EQ(settings.procfs, "../proc");
  EXPECT_EQ(settings.env_file, std::filesystem::path("secrets/.env"));
  EXPECT_EQ(settings.ca_bundle, "certs/ca.pem");
  EXPECT_EQ(settings.disks, (std::vector<std::filesystem::path>{"/", "data"}));
}

TEST(ConfigFile, EmptyCaBundleMeansTheSystemStore) {
  Settings base;
  base.ca_bundle = "/some/ca.pem";
  EXPECT_EQ(applied("ca_bundle = \"\"\n", base).ca_bundle, "");
}

TEST(ConfigFile, EmptyPathsAreRefused) {
  for (const std::string key : {"report_dir", "procfs", "env_file"}) {
    const Error error = refused_config(key + " = \"\"\n");
    EXPECT_EQ(error.what, "invalid config");
    EXPECT_EQ(error.detail, key + " must not be empty");
    EXPECT_EQ(error.where, "test.toml:1:" + std::to_string(key.size() + 4));
  }
}

TEST(ConfigFile, StringKeysOfTheWrongTypeAreRefused) {
  EXPECT_EQ(refused_config("report_dir = 5\n").detail,
            "report_dir must be a string, not an integer");
  EXPECT_EQ(refused_config("procfs = true\n").detail, "procfs must be a string, not a boolean");
  EXPECT_EQ(refused_config("ca_bundle = []\n").detail, "ca_bundle must be a string, not an array");
  EXPECT_EQ(refused_config("env_file = {}\n").detail, "env_file must be a string, not a table");
  EXPECT_EQ(refused_config("report_dir = 1979-05-27\n").detail,
            "report_dir must be a string, not a date");
}

TEST(ConfigFile, Durations) {
  const Settings settings = applied("cpu_window = \"1.5s\"\ntimeout = \"1m30s\"\n");
  EXPECT_EQ(settings.cpu_window, Milliseconds(1500));
  EXPECT_EQ(settings.timeout, Milliseconds(90000));
}

TEST(ConfigFile, MountTimeoutAndDeadline) {
  const Settings settings = applied("mount_timeout = \"750ms\"\ndeadline = \"2m\"\n");
  EXPECT_EQ(settings.mount_timeout, Milliseconds(750));
  EXPECT_EQ(settings.deadline, Milliseconds(120000));
  EXPECT_FALSE(applied("").deadline.has_value()) << "unset: cpu_window + timeout + 5s";
  EXPECT_EQ(applied("").effective_deadline(), Milliseconds(1000 + 10000 + 5000));
  EXPECT_EQ(refused_config("mount_timeout = \"50ms\"\n").detail,
            "mount_timeout \"50ms\" is outside 100ms to 5m");
  EXPECT_EQ(refused_config("deadline = \"2h\"\n").detail, "deadline \"2h\" is outside 1s to 1h");
  EXPECT_EQ(refused_config("deadline = 30\n").detail,
            "deadline must be a duration string such as \"30s\" (units ms, s, m, h, d), not an "
            "integer");
}

TEST(ConfigFile, DurationRangesAreInclusive) {
  EXPECT_EQ(applied("cpu_window = \"100ms\"\n").cpu_window, Milliseconds(100));
  EXPECT_EQ(applied("cpu_window = \"10m\"\n").cpu_window, Milliseconds(600000));
  EXPECT_EQ(applied("timeout = \"100ms\"\n").timeout, Milliseconds(100));
  EXPECT_EQ(applied("timeout = \"5m\"\n").timeout, Milliseconds(300000));

  const Error low = refused_config("cpu_window = \"99ms\"\n");
  EXPECT_EQ(low.what, "invalid duration");
  EXPECT_EQ(low.detail, "cpu_window \"99ms\" is outside 100ms to 10m");
  EXPECT_EQ(low.where, "test.toml:1:14");
  EXPECT_EQ(refused_config("cpu_window = \"10m1ms\"\n").detail,
            "cpu_window \"10m1ms\" is outside 100ms to 10m");
  EXPECT_EQ(refused_config("timeout = \"0s\"\n").detail, "timeout \"0s\" is outside 100ms to 5m");
  EXPECT_EQ(refused_config("timeout = \"5m1ms\"\n").detail,
            "timeout \"5m1ms\" is outside 100ms to 5m");
}

TEST(ConfigFile, BadDurationTextIsRefusedAtItsPosition) {
  const Error error = refused_config("report_dir = \"r\"\n\ntimeout   =   \"5x\"\n");
  EXPECT_EQ(error.what, "invalid duration");
  EXPECT_EQ(error.detail, "timeout \"5x\" has unknown unit \"x\"; use ms, s, m, h or d");
  EXPECT_EQ(error.where, "test.toml:3:15");
  EXPECT_EQ(refused_config("cpu_window = \"10\"\n").detail,
            "cpu_window \"10\" has no unit; write a number and a unit (ms, s, m, h, d), like "
            "\"10s\" or \"1h30m\"");
}

TEST(ConfigFile, DurationThatIsNotAStringIsRefused) {
  const Error error = refused_config("timeout = 10\n");
  EXPECT_EQ(error.what, "invalid config");
  EXPECT_EQ(error.detail,
            "timeout must be a duration string such as \"10s\" (units ms, s, m, h, d), not an "
            "integer");
  EXPECT_EQ(error.where, "test.toml:1:11");
  EXPECT_EQ(refused_config("cpu_window = 1.5\n").detail,
            "cpu_window must be a duration string such as \"1s\" (units ms, s, m, h, d), not a "
            "float");
}

TEST(ConfigFile, Disks) {
  EXPECT_EQ(applied("disks = [\"/\"]\n").disks, (std::vector<std::filesystem::path>{"/"}));
  EXPECT_EQ(applied("disks = [\n  \"/a\",\n  \"/b\",\n]\n").disks,
            (std::vector<std::filesystem::path>{"/a", "/b"}));
}

TEST(ConfigFile, BadDisksAreRefusedAtTheElement) {
  EXPECT_EQ(refused_config("disks = \"/\"\n").detail,
            "disks must be an array of paths like [\"/\", \"/home\"], not a string");
  const Error empty = refused_config("disks = []\n");
  EXPECT_EQ(empty.detail, "disks must list at least one path");
  EXPECT_EQ(empty.where, "test.toml:1:9");
  const Error element = refused_config("disks = [\n  \"/\",\n  \"\",\n]\n");
  EXPECT_EQ(element.detail, "disks[1] must not be empty");
  EXPECT_EQ(element.where, "test.toml:3:3");
  EXPECT_EQ(refused_config("disks = [\"/\", 5]\n").detail,
            "disks[1] must be a string, not an integer");
}

// ---- unknown keys and syntax ------------------------------------------------------------------

TEST(ConfigFile, UnknownTopLevelKeyIsRefusedWithASuggestion) {
  const Error error = refused_config("report_dirr = \"x\"\n");
  EXPECT_EQ(error.what, "invalid config");
  EXPECT_EQ(error.detail, "unknown key 'report_dirr'; did you mean 'report_dir'?");
  EXPECT_EQ(error.where, "test.toml:1:1");
  EXPECT_EQ(refused_config("colour = 1\n").detail, "unknown key 'colour'");
  EXPECT_EQ(refused_config("[threshold]\nwarning = 1\n").detail,
            "unknown key 'threshold'; did you mean 'thresholds'?");
}

TEST(ConfigFile, UnknownNestedKeysAreRefused) {
  const Error error = refused_config("timeout = \"5s\"\n\n[thresholds]\ncpu_warn = 85\n");
  EXPECT_EQ(error.detail, "unknown key 'cpu_warn' in [thresholds]; did you mean 'cpu_warning'?");
  EXPECT_EQ(error.where, "test.toml:4:1");
  const Error provider_key =
      refused_config("[providers.openai]\n  endpoint = \"https://x.test/\"\n");
  EXPECT_EQ(provider_key.detail, "unknown key 'endpoint' in [providers.openai]");
  EXPECT_EQ(provider_key.where, "test.toml:2:3");
  EXPECT_EQ(
      refused_config("[providers.mine]\nenv_var = \"K_API_KEY\"\ndialect = \"google\"\n").detail,
      "unknown key 'dialect' in [providers.mine]");
}

TEST(ConfigFile, EveryTableSuggestsTheKeyMeant) {
  struct Case {
    std::string text;
    std::string detail;
  };
  for (const Case& c : std::vector<Case>{
           {"[providers.openai]\ntest_endpont = \"https://x.test/\"\n",
            "unknown key 'test_endpont' in [providers.openai]; did you mean 'test_endpoint'?"},
           {"[providers.mine]\nenv_var = \"M_API_KEY\"\ntrust = true\n",
            "unknown key 'trust' in [providers.mine]; did you mean 'trust_env_var'?"},
           {"[actions]\ntimeuot = \"5s\"\n",
            "unknown key 'timeuot' in [actions]; did you mean 'timeout'?"},
           {"[[webhooks]]\nurl = \"https://a.example/\"\ntimout = \"5s\"\n",
            "unknown key 'timout' in [[webhooks]]; did you mean 'timeout'?"},
           {"[serve]\ninterval = \"5s\"\n", "unknown key 'interval' in [serve]"},
           {"[watch]\nintreval = \"5s\"\n",
            "unknown key 'intreval' in [watch]; did you mean 'interval'?"},
       }) {
    EXPECT_EQ(refused_config(c.text).detail, c.detail) << c.text;
  }
}

TEST(ConfigFile, DurationsGivenAsNumbersNameTheUnitsInEveryTable) {
  EXPECT_EQ(refused_config("[[webhooks]]\nurl = \"https://a.example/\"\ntimeout = 10\n").detail,
            "webhooks[0].timeout must be a duration string such as \"10s\" (units ms, s, m, h, "
            "d), not an integer");
  EXPECT_EQ(refused_config("[watch]\ninterval = 3600\n").detail,
            "watch.interval must be a duration string such as \"1h\" (units ms, s, m, h, d), not "
            "an integer");
}

TEST(ConfigFile, UnknownKeyWithOddCharactersStaysOnOneLine) {
  const Error error = refused_config("\"bad\\nkey\" = 1\n");
  EXPECT_EQ(error.detail, "unknown key 'bad\\nkey'");
}

TEST(ConfigFile, FirstProblemInFileOrderIsReported) {
  // toml++ keeps keys sorted by name; errors still come in the order they were written.
  const Error error = refused_config("zzz = 1\naaa = 2\n");
  EXPECT_EQ(error.detail, "unknown key 'zzz'");
}

TEST(ConfigFile, SyntaxErrorsNameLineAndColumn) {
  const Error header = refused_config("[thresholds\nwarning = 1\n");
  EXPECT_EQ(header.what, "config syntax error");
  EXPECT_FALSE(header.detail.empty());
  EXPECT_EQ(header.where.rfind("test.toml:1:", 0), 0u) << header.where;

  const Error duplicate = refused_config("timeout = \"1s\"\ntimeout = \"2s\"\n");
  EXPECT_EQ(duplicate.what, "config syntax error");
  EXPECT_EQ(duplicate.where.rfind("test.toml:2:", 0), 0u) << duplicate.where;

  const Error value = refused_config("\n\nreport_dir = \n");
  EXPECT_EQ(value.where.rfind("test.toml:3:", 0), 0u) << value.where;

  EXPECT_EQ(refused_config("x = \"unterminated\n").what, "config syntax error");
  EXPECT_EQ(refused_config(std::string("a = \"\xff\"\n")).what, "config syntax error");
}

TEST(ConfigFile, TableNamesThatCannotStartAKeyAreSyntaxErrorsNotCrashes) {
  // toml++ 3.3 only asserts that a table name starts with a key character: abort() in debug
  // builds (found by fuzz/config_fuzz.cpp; the first input is its crash, minimised).
  struct Case {
    std::string text;
    std::string where;
  };
  for (const Case& c : std::vector<Case>{{"[:providers.openai]\ntest_endpoint = \"x\"\n", "1:2"},
                                         {"timeout = \"2s\"\n\n[[[a]]]\n", "3:3"},
                                         {"[[=\n", "1:3"},
                                         {"[ \t\x01]\n", "1:4"},
                                         {"\xEF\xBB\xBF[\xC3\xA9t\xC3\xA9]\n", "1:2"},
                                         {"  [[ +1]]", "1:6"}}) {
    const Error error = refused_config(c.text);
    EXPECT_EQ(error.what, "config syntax error") << c.text;
    EXPECT_EQ(error.where, "test.toml:" + c.where) << c.text;
  }
  // Array elements that start with '}' or a Unicode line break (found by the same fuzzer).
  for (const Case& c : std::vector<Case>{{"x = [}\n", "1:6"},
                                         {"disks = [\"/\",\n  }]\n", "2:3"},
                                         {"[providers.openai]\nheaders = {a=[1, }]}\n", "2:18"},
                                         {"disks = [\xE2\x80\xA8]\n", "1:10"},
                                         {"disks = [\"/\", # c\n\xC2\x85]\n", "2:1"}}) {
    const Error error = refused_config(c.text);
    EXPECT_EQ(error.what, "config syntax error") << c.text;
    EXPECT_EQ(error.where, "test.toml:" + c.where) << c.text << " " << error.message();
  }
  // Non-ASCII outside strings and comments: toml++'s whitespace tables reach
  // __builtin_unreachable() for U+00A1 to U+0499 (found by the same fuzzer; its input was
  // "\xCF\x89", a lone omega).
  for (const Case& c :
       std::vector<Case>{{"\xCF\x89\n", "1:1"},
                         {"timeout = \"1s\" \xC3\xA9\n", "1:16"},
                         {"\xEF\xBB\xBFx = 1\n\xC3\xA9 = 1\n", "2:1"},
                         {"x = [\xE2\x80\xA8]\n", "1:6"},
                         {"x = \"\"\"a\\\n  \xC3\xA9\"\"\"\n", "2:3"},
                         {"x = \"\"\"\\\xCF\x89\"\"\"\n", "1:9"},
                         // A quote inside a number does not open a string (toml++ names the quote).
                         {"retention_days = 92233\"\xCA\x97'''\"\n", "1:23"},
                         {"disks = [1\"\xCF\x89\"]\n", "1:11"}}) {
    const Error error = refused_config(c.text);
    EXPECT_EQ(error.what, "config syntax error") << c.text;
    EXPECT_EQ(error.where, "test.toml:" + c.where) << c.text << " " << error.message();
  }
  EXPECT_EQ(provider(applied("# caf\xC3\xA9\n[providers.openai] # \xCF\x89\nname = \"caf\xC3\xA9 "
                             "\xCF\x89\"\n"),
                     "openai")
                .name,
            "caf\xC3\xA9 \xCF\x89");
  // In strings and comments they are just text.
  EXPECT_EQ(applied("disks = [\"/a}\", '/b [}', \"\"\"/c\"\"\"] # [}, \xE2\x80\xA8\n").disks.size(),
            3u);
  EXPECT_EQ(applied("[providers.openai]\nname = \"\"\"x\"\"\"\"\"\nenv_var = \"K_API_KEY\" # , }\n")
                .providers.size(),
            6u);
  // A mistake before such a line is reported first, as toml++ reports the first mistake.
  EXPECT_EQ(refused_config("timeout = \n[:x]\n").where.rfind("test.toml:1:", 0), 0u);
  // Inside a multi-line array the line is not a header; the config refuses it all the same.
  EXPECT_EQ(refused_config("disks = [\n[+1],\n]\n").what, "config syntax error");
  // Names that do start with a key character are untouched.
  EXPECT_EQ(provider(applied("[ \"providers\" . openai ]\nenabled = false\n"), "openai").enabled,
            false);
  EXPECT_EQ(refused_config("[[providers]]\n").what.find("syntax"), std::string::npos);
}

TEST(ConfigFile, DottedAndInlineTablesWorkLikeSections) {
  const Settings settings = applied(
      "thresholds.cpu_warning = 70\nproviders.openai.enabled = false\n"
      "providers.mine = { env_var = \"MINE_API_KEY\" }\n");
  EXPECT_EQ(settings.thresholds.cpu.warning, 70);
  EXPECT_FALSE(provider(settings, "openai").enabled);
  EXPECT_EQ(provider(settings, "mine").env_var, "MINE_API_KEY");
}

TEST(ConfigFile, SectionsThatAreNotTablesAreRefused) {
  EXPECT_EQ(refused_config("thresholds = 5\n").detail,
            "thresholds must be a table, not an integer");
  EXPECT_EQ(refused_config("providers = [\"openai\"]\n").detail,
            "providers must be a table of [providers.<id>] sections, not an array");
  EXPECT_EQ(refused_config("providers.openai = true\n").detail,
            "[providers.openai] must be a table, not a boolean");
}

// ---- thresholds -------------------------------------------------------------------------------

TEST(ConfigThresholds, GeneralValuesApplyToEveryMetric) {
  const Settings settings = applied("[thresholds]\nwarning = 60\ncritical = 70.5\n");
  for (const Thresholds& t :
       {settings.thresholds.cpu, settings.thresholds.memory, settings.thresholds.disk}) {
    EXPECT_EQ(t.warning, 60);
    EXPECT_EQ(t.critical, 70.5);
  }
}

TEST(ConfigThresholds, PerMetricWinsWhereverItIsWritten) {
  for (const std::string text :
       {"[thresholds]\nwarning = 60\ncritical = 70\ndisk_warning = 50\nmemory_critical = 99\n",
        "[thresholds]\ndisk_warning = 50\nmemory_critical = 99\nwarning = 60\ncritical = 70\n"}) {
    const Settings settings = applied(text);
    EXPECT_EQ(settings.thresholds.cpu.warning, 60) << text;
    EXPECT_EQ(settings.thresholds.cpu.critical, 70) << text;
    EXPECT_EQ(settings.thresholds.memory.warning, 60) << text;
    EXPECT_EQ(settings.thresholds.memory.critical, 99) << text;
    EXPECT_EQ(settings.thresholds.disk.warning, 50) << text;
    EXPECT_EQ(settings.thresholds.disk.critical, 70) << text;
  }
}

TEST(ConfigThresholds, EveryPerMetricKey) {
  const Settings settings = applied(
      "[thresholds]\ncpu_warning = 1\ncpu_critical = 2\nmemory_warning = 3\nmemory_critical = 4\n"
      "disk_warning = 5\ndisk_critical = 6\n");
  EXPECT_EQ(settings.thresholds.cpu.warning, 1);
  EXPECT_EQ(settings.thresholds.cpu.critical, 2);
  EXPECT_EQ(settings.thresholds.memory.warning, 3);
  EXPECT_EQ(settings.thresholds.memory.critical, 4);
  EXPECT_EQ(settings.thresholds.disk.warning, 5);
  EXPECT_EQ(settings.thresholds.disk.critical, 6);
}

TEST(ConfigThresholds, BoundsAreInclusive) {
  const Settings settings = applied("[thresholds]\nwarning = 0\ncritical = 100\n");
  EXPECT_EQ(settings.thresholds.cpu.warning, 0);
  EXPECT_EQ(settings.thresholds.cpu.critical, 100);
  EXPECT_EQ(applied("[thresholds]\ncritical = 99.999\nwarning = 99.998\n").thresholds.disk.critical,
            99.999);
}

TEST(ConfigThresholds, OutOfRangeIsRefusedAtTheValue) {
  const Error error = refused_config("[thresholds]\ncpu_critical = 101\n");
  EXPECT_EQ(error.what, "invalid config");
  EXPECT_EQ(error.detail, "thresholds.cpu_critical = 101 is outside 0 to 100");
  EXPECT_EQ(error.where, "test.toml:2:16");
  EXPECT_EQ(refused_config("[thresholds]\nwarning = -1\n").detail,
            "thresholds.warning = -1 is outside 0 to 100");
  EXPECT_EQ(refused_config("[thresholds]\nwarning = 100.5\n").detail,
            "thresholds.warning = 100.5 is outside 0 to 100");
  EXPECT_EQ(refused_config("[thresholds]\nwarning = nan\n").detail,
            "thresholds.warning = nan is outside 0 to 100");
  EXPECT_EQ(refused_config("[thresholds]\nwarning = inf\n").detail,
            "thresholds.warning = inf is outside 0 to 100");
}

TEST(ConfigThresholds, WrongTypesAreRefused) {
  EXPECT_EQ(refused_config("[thresholds]\nwarning = \"80\"\n").detail,
            "thresholds.warning must be a number from 0 to 100, not a string");
  EXPECT_EQ(refused_config("[thresholds]\ndisk_warning = true\n").detail,
            "thresholds.disk_warning must be a number from 0 to 100, not a boolean");
}

TEST(ConfigThresholds, WarningMustBeBelowCritical) {
  const Error error =
      refused_config("timeout = \"5s\"\n[thresholds]\nwarning = 95\ncritical = 90\n");
  EXPECT_EQ(error.what, "invalid config");
  EXPECT_EQ(
      error.detail,
      "cpu warning 95 (thresholds.warning) must be below cpu critical 90 (thresholds.critical)");
  EXPECT_EQ(error.where, "test.toml:4:1") << "the later of the two keys";

  const Error equal = refused_config("[thresholds]\nmemory_critical = 70\nmemory_warning = 70\n");
  EXPECT_EQ(equal.detail,
            "memory warning 70 (thresholds.memory_warning) must be below memory critical 70 "
            "(thresholds.memory_critical)");
  EXPECT_EQ(equal.where, "test.toml:3:1");
}

TEST(ConfigThresholds, ConflictWithADefaultPointsAtTheKeyInTheFile) {
  const Error error = refused_config("[thresholds]\n\n  disk_critical = 50\n");
  EXPECT_EQ(error.detail,
            "disk warning 80 (default) must be below disk critical 50 (thresholds.disk_critical)");
  EXPECT_EQ(error.where, "test.toml:3:3");
}

TEST(ConfigThresholds, ConflictAfterMergingIsFound) {
  // The general warning meets a per-metric critical.
  const Error error =
      refused_config("[thresholds]\ndisk_critical = 60\nwarning = 70\ncritical = 95\n");
  EXPECT_EQ(error.detail,
            "disk warning 70 (thresholds.warning) must be below disk critical 60 "
            "(thresholds.disk_critical)");
  EXPECT_EQ(error.where, "test.toml:3:1");
  // A per-metric override can also resolve what the general values alone would break.
  const Settings fine = applied(
      "[thresholds]\ncritical = 50\ncpu_warning = 40\nmemory_warning = 40\ndisk_warning = 40\n");
  EXPECT_EQ(fine.thresholds.cpu.critical, 50);
}

// ---- providers ------------------------------------------------------------------------------

TEST(ConfigProviders, BuiltinCanBeAdjusted) {
  const Settings settings = applied(
      "[providers.moonshot]\ntest_endpoint = \"https://api.moonshot.cn/v1/models\"\n"
      "enabled = false\npriority = 5\nname = \"Moonshot CN\"\nenv_var = \"MOONSHOT_CN_API_KEY\"\n");
  const Provider& moonshot = provider(settings, "moonshot");
  EXPECT_EQ(moonshot.test_endpoint, "https://api.moonshot.cn/v1/models");
  EXPECT_FALSE(moonshot.enabled);
  EXPECT_EQ(moonshot.priority, 5);
  EXPECT_EQ(moonshot.name, "Moonshot CN");
  EXPECT_EQ(moonshot.env_var, "MOONSHOT_CN_API_KEY");
  EXPECT_EQ(moonshot.dialect, Dialect::generic);
  EXPECT_EQ(settings.providers.size(), builtin_providers().size())
      << "adjusted in place, not added";
  EXPECT_EQ(provider(settings, "openai").test_endpoint, builtin_provider("openai").test_endpoint);
}

TEST(ConfigProviders, BuiltinKeepsWhatIsNotOverridden) {
  const Settings settings = applied("[providers.anthropic]\npriority = 1\n");
  const Provider& anthropic = provider(settings, "anthropic");
  EXPECT_EQ(anthropic.auth, AuthKind::header);
  EXPECT_EQ(anthropic.auth_header, "x-api-key");
  EXPECT_EQ(anthropic.dialect, Dialect::anthropic);
  EXPECT_EQ(anthropic.headers, (Headers{{"anthropic-version", "2023-06-01"}}));
  EXPECT_EQ(anthropic.name, builtin_provider("anthropic").name);
}

TEST(ConfigProviders, BuiltinHeadersAreMergedNotReplaced) {
  const Settings settings = applied(
      "[providers.anthropic]\nheaders = { Anthropic-Version = \"2024-01-01\", X-Extra = \"1\" }\n");
  EXPECT_EQ(provider(settings, "anthropic").headers,
            (Headers{{"Anthropic-Version", "2024-01-01"}, {"X-Extra", "1"}}));
}

TEST(ConfigProviders, AuthForms) {
  EXPECT_EQ(provider(applied("[providers.openai]\nauth = \"none\"\n"), "openai").auth,
            AuthKind::none);
  const Provider header =
      provider(applied("[providers.openai]\nauth = \"header:X-Key\"\n"), "openai");
  EXPECT_EQ(header.auth, AuthKind::header);
  EXPECT_EQ(header.auth_header, "X-Key");
  const Provider bearer = provider(applied("[providers.google]\nauth = \"bearer\"\n"), "google");
  EXPECT_EQ(bearer.auth, AuthKind::bearer);
  EXPECT_EQ(bearer.auth_header, "");
}

TEST(ConfigProviders, BadAuthIsRefusedWithoutQuotingIt) {
  for (const std::string& value :
       std::vector<std::string>{"Bearer " + kConfigCanary, "header:", "header:Bad Name",
                                "header:" + kConfigCanary + "\\n", "BEARER", ""}) {
    const Error error = refused_config("[providers.openai]\nauth = \"" + value + "\"\n");
    EXPECT_EQ(error.where, "test.toml:2:8") << value;
    EXPECT_EQ(error.message().find("CANARY"), std::string::npos) << error.message();
  }
  EXPECT_EQ(
      refused_config("[providers.openai]\nauth = \"basic\"\n").detail,
      "providers.openai.auth must be \"bearer\", \"none\" or \"header:<Header-Name>\" with a valid "
      "header name");
  EXPECT_EQ(refused_config("[providers.openai]\nauth = 1\n").detail,
            "providers.openai.auth must be a string, not an integer");
}

TEST(ConfigProviders, CustomProviderDefaults) {
  const Settings settings = applied("[providers.my-llm_2]\nenv_var = \"MY_LLM_API_KEY\"\n");
  const Provider& mine = provider(settings, "my-llm_2");
  EXPECT_EQ(mine.name, "my-llm_2");
  EXPECT_EQ(mine.env_var, "MY_LLM_API_KEY");
  EXPECT_EQ(mine.test_endpoint, "") << "cannot be checked";
  EXPECT_EQ(mine.auth, AuthKind::bearer);
  EXPECT_TRUE(mine.headers.empty());
  EXPECT_EQ(mine.dialect, Dialect::generic);
  EXPECT_EQ(mine.priority, 1001);
  EXPECT_TRUE(mine.enabled);
  EXPECT_EQ(settings.providers.back().id, "my-llm_2");
}

TEST(ConfigProviders, CustomProviderWithEveryKey) {
  const Settings settings = applied(
      "[providers.custom]\nname = \"Custom Provider\"\nenv_var = \"CUSTOM_API_KEY\"\n"
      "test_endpoint = \"http://127.0.0.1:8080/v1/test\"\nauth = \"header:X-Custom-Key\"\n"
      "headers = { X-Extra = \"yes\", Accept = \"application/json\" }\npriority = 3\nenabled = "
      "false\n");
  const Provider& custom = provider(settings, "custom");
  EXPECT_EQ(custom.name, "Custom Provider");
  EXPECT_EQ(custom.test_endpoint, "http://127.0.0.1:8080/v1/test");
  EXPECT_EQ(custom.auth, AuthKind::header);
  EXPECT_EQ(custom.auth_header, "X-Custom-Key");
  EXPECT_EQ(custom.headers, (Headers{{"X-Extra", "yes"}, {"Accept", "application/json"}}));
  EXPECT_EQ(custom.priority, 3);
  EXPECT_FALSE(custom.enabled);
}

TEST(ConfigProviders, CustomPrioritiesFollowTheOrderOfAppearance) {
  // Not alphabetical: toml++ sorts keys, the file order is what counts.
  const Settings settings = applied(
      "[providers.zeta]\nenv_var = \"Z_API_KEY\"\n[providers.openai]\nenabled = true\n"
      "[providers.alpha]\nenv_var = \"A_API_KEY\"\n[providers.mid]\nenv_var = \"M_API_KEY\"\n"
      "priority = 7\n");
  EXPECT_EQ(provider(settings, "zeta").priority, 1001);
  EXPECT_EQ(provider(settings, "alpha").priority, 1002);
  EXPECT_EQ(provider(settings, "mid").priority, 7);
  const std::size_t n = builtin_providers().size();
  ASSERT_EQ(settings.providers.size(), n + 3);
  EXPECT_EQ(settings.providers[n].id, "zeta");
  EXPECT_EQ(settings.providers[n + 1].id, "alpha");
  EXPECT_EQ(settings.providers[n + 2].id, "mid");
}

TEST(ConfigProviders, ApplyingTwiceReplacesACustomProvider) {
  const Settings once = applied("[providers.mine]\nenv_var = \"A_API_KEY\"\n");
  const Settings twice = applied("[providers.mine]\nenv_var = \"B_API_KEY\"\n", once);
  EXPECT_EQ(twice.providers.size(), builtin_providers().size() + 1);
  EXPECT_EQ(provider(twice, "mine").env_var, "B_API_KEY");
}

TEST(ConfigProviders, CustomProviderNeedsEnvVar) {
  const Error error = refused_config("timeout = \"5s\"\n\n[providers.mine]\nname = \"Mine\"\n");
  EXPECT_EQ(error.detail,
            "[providers.mine] needs env_var, the environment variable that holds its key");
  EXPECT_EQ(error.where, "test.toml:3:1");
}

TEST(ConfigProviders, BadIdsAreRefused) {
  const Error upper = refused_config("[providers.OpenAI]\nenv_var = \"K\"\n");
  EXPECT_EQ(upper.detail, "provider id 'OpenAI' may only use a-z, 0-9, '_' and '-'");
  EXPECT_EQ(upper.where, "test.toml:1:12");
  EXPECT_EQ(refused_config("[providers.\"my llm\"]\nenv_var = \"K\"\n").detail,
            "provider id 'my llm' may only use a-z, 0-9, '_' and '-'");
  EXPECT_EQ(refused_config("[providers.\"\"]\nenv_var = \"K\"\n").detail,
            "provider id '' may only use a-z, 0-9, '_' and '-'");
}

TEST(ConfigProviders, EnvVarMustBeAVariableNameAndIsNeverQuoted) {
  for (const std::string& value : std::vector<std::string>{kConfigCanary, "1ABC", "A.B", "A B"}) {
    const Error error = refused_config("[providers.mine]\nenv_var = \"" + value + "\"\n");
    EXPECT_EQ(
        error.detail,
        "providers.mine.env_var must be a variable name like \"EXAMPLE_API_KEY\" (letters, digits "
        "and '_', not starting with a digit)");
    EXPECT_EQ(error.where, "test.toml:2:11");
  }
  EXPECT_EQ(refused_config("[providers.openai]\nenv_var = \"\"\n").detail,
            "providers.openai.env_var must not be empty");
  EXPECT_EQ(
      provider(applied("[providers.m]\nenv_var = \"_k9\"\ntrust_env_var = true\n"), "m").env_var,
      "_k9");
}

TEST(ConfigProviders, EnvVarMustBeAnApiKeyVariableUnlessTheTableOptsIn) {
  // One line of config must not turn any secret of the environment into a bearer token.
  const Error custom = refused_config(
      "[providers.custom]\ntest_endpoint = \"https://x.test/\"\n"
      "env_var = \"AWS_SECRET_ACCESS_KEY\"\n");
  EXPECT_EQ(custom.what, "invalid config");
  EXPECT_EQ(custom.detail,
            "providers.custom.env_var is not an API key variable (a built-in provider's, or a "
            "name like EXAMPLE_API_KEY); if that variable really holds this provider's key, add "
            "trust_env_var = true to [providers.custom]");
  EXPECT_EQ(custom.where, "test.toml:3:11");
  EXPECT_EQ(custom.message().find("AWS_SECRET"), std::string::npos) << "the value is not quoted";

  const Error builtin = refused_config("[providers.openai]\nenv_var = \"GITHUB_TOKEN\"\n");
  EXPECT_EQ(builtin.where, "test.toml:2:11");
  EXPECT_NE(builtin.detail.find("trust_env_var = true to [providers.openai]"), std::string::npos);
  const Error opted_out =
      refused_config("[providers.c]\nenv_var = \"HOME\"\ntrust_env_var = false\n");
  EXPECT_EQ(opted_out.where, "test.toml:2:11");
}

TEST(ConfigProviders, TrustEnvVarOptsInWhereverItIsWritten) {
  for (const std::string text :
       {"[providers.c]\nenv_var = \"AWS_SECRET_ACCESS_KEY\"\ntrust_env_var = true\n",
        "[providers.c]\ntrust_env_var = true\nenv_var = \"AWS_SECRET_ACCESS_KEY\"\n",
        "providers.c = { trust_env_var = true, env_var = \"AWS_SECRET_ACCESS_KEY\" }\n"}) {
    EXPECT_EQ(provider(applied(text), "c").env_var, "AWS_SECRET_ACCESS_KEY") << text;
  }
  // The opt-in is per table: another provider's does not count.
  EXPECT_EQ(refused_config("[providers.a]\nenv_var = \"A_API_KEY\"\ntrust_env_var = true\n"
                           "[providers.b]\nenv_var = \"GITHUB_TOKEN\"\n")
                .where,
            "test.toml:5:11");
  EXPECT_EQ(refused_config("[providers.c]\nenv_var = \"X\"\ntrust_env_var = \"yes\"\n").detail,
            "providers.c.trust_env_var must be true or false, not a string");
}

TEST(ConfigProviders, KeyVariablesNeedNoOptIn) {
  for (const std::string name : {"CUSTOM_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY",
                                 "GOOGLE_API_KEY", "MOONSHOT_API_KEY", "X9_API_KEY"}) {
    EXPECT_EQ(provider(applied("[providers.c]\nenv_var = \"" + name + "\"\n"), "c").env_var, name);
  }
  // A built-in keeps its own variable when the table does not set one.
  EXPECT_EQ(provider(applied("[providers.openai]\npriority = 1\n"), "openai").env_var,
            "OPENAI_API_KEY");
}

TEST(ConfigProviders, NameMustBeReadable) {
  EXPECT_EQ(refused_config("[providers.openai]\nname = \"  \"\n").detail,
            "providers.openai.name must not be blank");
  EXPECT_EQ(refused_config("[providers.openai]\nname = \"a\\nb\"\n").detail,
            "providers.openai.name must not contain control characters");
}

TEST(ConfigProviders, EndpointsThatAreAccepted) {
  for (const std::string url :
       {"https://api.example.com/v1/models", "http://127.0.0.1:8080/x", "http://localhost",
        "https://[::1]:8443/v1", "HTTPS://Example.COM/path?q=1",
        "https://host_name.internal/a/b#frag", "https://api.example.com:443"}) {
    EXPECT_EQ(provider(applied("[providers.openai]\ntest_endpoint = \"" + url + "\"\n"), "openai")
                  .test_endpoint,
              url);
  }
  EXPECT_EQ(provider(applied("[providers.openai]\ntest_endpoint = \"\"\n"), "openai").test_endpoint,
            "")
      << "empty: cannot be checked";
}

TEST(ConfigProviders, EndpointsThatAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"ftp://example.com/", "must be an http:// or https:// URL"},
      {"example.com/v1", "must be an http:// or https:// URL"},
      {"https://", "has no host"},
      {"https:///path", "has no host"},
      {"https://:8080/path", "has no host"},
      {"https://host:/x", "has an invalid port"},
      {"https://host:0/x", "has an invalid port"},
      {"https://host:65536/x", "has an invalid port"},
      {"https://host:80a/x", "has an invalid port"},
      {"https://ho$t/x", "has an invalid host"},
      {"https://[]/x", "has an invalid IPv6 host"},
      {"https://[::1/x", "has an invalid IPv6 host"},
      {"https://[::1]x/", "has an invalid port"},
      {"https://user:pw@host/x",
       "must not carry user:password@ (keys go in the environment, not the URL)"},
      {"https://host/a b", "must not contain spaces or control characters"},
      {"https://host/a\\tb", "must not contain spaces or control characters"},
  };
  for (const auto& [url, why] : cases) {
    const Error error = refused_config("[providers.openai]\ntest_endpoint = \"" + url + "\"\n");
    EXPECT_EQ(error.detail, "providers.openai.test_endpoint " + why) << url;
    EXPECT_EQ(error.where, "test.toml:2:17") << url;
  }
}

TEST(ConfigProviders, EndpointErrorsNeverQuoteTheUrl) {
  for (const std::string& url : std::vector<std::string>{"ftp://host/" + kConfigCanary,
                                                         "https://" + kConfigCanary + ":x@host/",
                                                         "https://ho st/" + kConfigCanary}) {
    const Error error = refused_config("[providers.openai]\ntest_endpoint = \"" + url + "\"\n");
    EXPECT_EQ(error.message().find("CANARY"), std::string::npos) << error.message();
  }
}

TEST(ConfigProviders, HeadersAreChecked) {
  const Error name = refused_config("[providers.openai]\nheaders = { \"Bad Header\" = \"x\" }\n");
  EXPECT_EQ(name.detail, "providers.openai.headers has an invalid header name 'Bad Header'");
  EXPECT_EQ(name.where, "test.toml:2:13");

  const Error crlf = refused_config("[providers.openai]\nheaders = { X-A = \"" + kConfigCanary +
                                    "\\r\\nEvil: 1\" }\n");
  EXPECT_EQ(crlf.detail,
            "providers.openai.headers.X-A must not contain line breaks or control characters");
  EXPECT_EQ(crlf.where, "test.toml:2:19");
  EXPECT_EQ(crlf.message().find("CANARY"), std::string::npos);

  EXPECT_EQ(refused_config("[providers.openai]\nheaders = { X-A = 1 }\n").detail,
            "providers.openai.headers.X-A must be a string, not an integer");
  EXPECT_EQ(refused_config("[providers.openai]\nheaders = \"X-A: 1\"\n").detail,
            "providers.openai.headers must be a table like { X-Name = \"value\" }, not a string");
  EXPECT_EQ(refused_config("[providers.openai]\nheaders = { X-A = \"1\", x-a = \"2\" }\n").detail,
            "providers.openai.headers gives header 'x-a' twice");
  EXPECT_EQ(
      provider(applied("[providers.openai]\nheaders = { X-A = \"tab\\tok\" }\n"), "openai").headers,
      (Headers{{"X-A", "tab\tok"}}));
}

TEST(ConfigProviders, HeadersAsASubTable) {
  const Settings settings = applied("[providers.openai.headers]\nX-One = \"1\"\n");
  EXPECT_EQ(provider(settings, "openai").headers, (Headers{{"X-One", "1"}}));
}

TEST(ConfigProviders, HeaderThatClashesWithAuthIsRefused) {
  const Error bearer =
      refused_config("[providers.openai]\nheaders = { authorization = \"Bearer x\" }\n");
  EXPECT_EQ(
      bearer.detail,
      "providers.openai.headers sets 'authorization', the header auth already sends the key in");
  EXPECT_EQ(bearer.where, "test.toml:2:13");
  // The clash is found whichever of the two is written first.
  const Error header = refused_config(
      "[providers.mine]\nenv_var = \"K_API_KEY\"\nheaders = { X-Key = \"a\" }\n"
      "auth = \"header:x-key\"\n");
  EXPECT_EQ(header.where, "test.toml:3:13");
  const Error builtin_header =
      refused_config("[providers.anthropic]\nauth = \"header:Anthropic-Version\"\n");
  EXPECT_EQ(builtin_header.where, "test.toml:2:8") << "the clash comes from auth";
  // With auth = "none" no key is sent, so any header is fine.
  EXPECT_TRUE(
      apply("[providers.openai]\nauth = \"none\"\nheaders = { Authorization = \"x\" }\n").ok());
}

TEST(ConfigProviders, PriorityAndEnabledTypes) {
  EXPECT_EQ(provider(applied("[providers.openai]\npriority = 0\n"), "openai").priority, 0);
  EXPECT_EQ(provider(applied("[providers.openai]\npriority = 1000000\n"), "openai").priority,
            1000000);
  EXPECT_EQ(refused_config("[providers.openai]\npriority = -1\n").detail,
            "providers.openai.priority = -1 is outside 0 to 1000000");
  EXPECT_EQ(refused_config("[providers.openai]\npriority = 1000001\n").detail,
            "providers.openai.priority = 1000001 is outside 0 to 1000000");
  EXPECT_EQ(refused_config("[providers.openai]\npriority = 1.5\n").detail,
            "providers.openai.priority must be a whole number from 0 to 1000000, not a float");
  const Error enabled = refused_config("[providers.openai]\nenabled = \"no\"\n");
  EXPECT_EQ(enabled.detail, "providers.openai.enabled must be true or false, not a string");
  EXPECT_EQ(enabled.where, "test.toml:2:11");
}

TEST(ConfigProviders, ABadValueLeavesNoHalfAppliedProvider) {
  Result<Settings> settings = apply("[providers.openai]\nname = \"X\"\npriority = -1\n");
  ASSERT_FALSE(settings.ok());
}

// ---- files ----------------------------------------------------------------------------------

/// A copy of a fixture in a fresh temporary directory, owned by the test's user: the source
/// tree itself may belong to another user (a CI checkout), which the trust check refuses.
class FixtureCopy {
 public:
  explicit FixtureCopy(const std::string& relative) : file_(dir_ / "config.toml") {
    std::filesystem::copy_file(kConfigFixtures / relative, file_);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return file_; }

 private:
  testing::TempDir dir_;
  std::filesystem::path file_;
};

TEST(ConfigFile, FullExampleAppliesEveryKey) {
  const FixtureCopy full("full.toml");
  Result<Settings> result = apply_config_file(full.path(), Settings{});
  ASSERT_TRUE(result.ok()) << result.error().message();
  const Settings& s = *result;
  EXPECT_EQ(s.report_dir, "monitoring_reports");
  EXPECT_EQ(s.cpu_window, Milliseconds(1000));
  EXPECT_EQ(s.timeout, Milliseconds(10000));
  EXPECT_EQ(s.mount_timeout, Milliseconds(5000));
  EXPECT_EQ(s.deadline, Milliseconds(30000));
  EXPECT_EQ(s.disks, (std::vector<std::filesystem::path>{"/", "/var/lib/docker"}));
  EXPECT_EQ(s.ca_bundle, "");
  EXPECT_EQ(s.procfs, "/proc");
  EXPECT_EQ(s.env_file, std::filesystem::path("/etc/devops-monitor/keys.env"));
  EXPECT_EQ(s.thresholds.cpu.warning, 85);
  EXPECT_EQ(s.thresholds.cpu.critical, 95.5);
  EXPECT_EQ(s.thresholds.memory.warning, 80);
  EXPECT_EQ(s.thresholds.memory.critical, 90);
  EXPECT_EQ(s.thresholds.disk.warning, 75);
  EXPECT_EQ(s.thresholds.disk.critical, 90);
  EXPECT_EQ(provider(s, "moonshot").test_endpoint, "https://api.moonshot.cn/v1/models");
  EXPECT_FALSE(provider(s, "together").enabled);
  const Provider& openai = provider(s, "openai");
  EXPECT_EQ(openai.priority, 5);
  EXPECT_EQ(openai.name, "OpenAI");
  EXPECT_EQ(openai.headers, (Headers{{"OpenAI-Organization", "org-FAKE000000000000"}}));
  const Provider& gateway = provider(s, "local-gateway");
  EXPECT_EQ(gateway.name, "Local LLM gateway");
  EXPECT_EQ(gateway.env_var, "LOCAL_GATEWAY_API_KEY");
  EXPECT_EQ(gateway.test_endpoint, "http://127.0.0.1:8080/v1/models");
  EXPECT_EQ(gateway.auth, AuthKind::header);
  EXPECT_EQ(gateway.auth_header, "X-Api-Key");
  EXPECT_EQ(gateway.headers, (Headers{{"X-Client", "devops-monitor"}}));
  EXPECT_EQ(gateway.priority, 70);
  EXPECT_TRUE(gateway.enabled);
  ASSERT_EQ(gateway.key_patterns.size(), 1u);
  EXPECT_EQ(gateway.key_patterns[0].regex, "lgw_[A-Za-z0-9]{32}");
  EXPECT_EQ(gateway.max_model_pages, 10);
  EXPECT_EQ(gateway.balance_endpoint, "http://127.0.0.1:8080/v1/users/me/balance");
  EXPECT_EQ(gateway.credit_unit, "credits");
  EXPECT_EQ(openai.required_models, (std::vector<std::string>{"gpt-4o", "o3"}));
  EXPECT_EQ(openai.ratelimit_warning_ratio, 0.1);
  EXPECT_EQ(provider(s, "moonshot").min_credit, std::optional<double>(10.0));
  EXPECT_EQ(s.watch_interval, Milliseconds(3'600'000));
  ASSERT_EQ(s.webhooks.size(), 2u);
  EXPECT_EQ(s.webhooks[0].format, WebhookFormat::slack);
  EXPECT_EQ(s.webhooks[0].timeout, Milliseconds(10000));
  EXPECT_EQ(s.webhooks[1].url, "http://127.0.0.1:9000/devops-monitor");
  EXPECT_EQ(s.webhooks[1].format, WebhookFormat::json);
  EXPECT_EQ(s.actions.on_warning, (std::vector<std::string>{"systemctl", "restart", "my-agent"}));
  EXPECT_EQ(s.actions.on_critical, (std::vector<std::string>{"/usr/local/bin/page-oncall"}));
  EXPECT_EQ(s.actions.on_recovery,
            (std::vector<std::string>{"logger", "devops-monitor recovered"}));
  EXPECT_EQ(s.actions.timeout, Milliseconds(30000));
}

TEST(ConfigFile, DocumentationExampleIsTheTestedFixture) {
  const std::string doc = testing::read_text(kSourceDir / "docs/configuration.md");
  const std::string open = "```toml\n";
  const std::size_t start = doc.find(open);
  ASSERT_NE(start, std::string::npos) << "docs/configuration.md has no ```toml block";
  const std::size_t end = doc.find("```", start + open.size());
  ASSERT_NE(end, std::string::npos);
  const std::string example = doc.substr(start + open.size(), end - start - open.size());
  EXPECT_EQ(example, testing::read_text(kConfigFixtures / "full.toml"))
      << "the example in docs/configuration.md and tests/fixtures/config/full.toml differ";
  Result<Settings> settings = apply_config_text(example, "docs/configuration.md", Settings{});
  ASSERT_TRUE(settings.ok()) << settings.error().message();
  EXPECT_EQ(provider(*settings, "local-gateway").env_var, "LOCAL_GATEWAY_API_KEY");
}

TEST(ConfigFile, BrokenFixturesNameFileLineAndColumn) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"syntax.toml", ":3:"},
      {"unknown_key.toml", ":5:1"},
      {"thresholds_order.toml", ":4:1"},
      {"bad_type.toml", ":2:11"},
      {"custom_without_env_var.toml", ":4:1"},
      {"bad_endpoint.toml", ":2:17"},
      {"untrusted_env_var.toml", ":4:11"},
  };
  for (const auto& [name, position] : cases) {
    const FixtureCopy copy("broken/" + name);
    const std::filesystem::path& file = copy.path();
    Result<Settings> settings = apply_config_file(file, Settings{});
    ASSERT_FALSE(settings.ok()) << name;
    EXPECT_EQ(settings.error().where.rfind(file.string() + position, 0), 0u)
        << name << ": " << settings.error().message();
    EXPECT_EQ(settings.error().message().find('\n'), std::string::npos)
        << settings.error().message();
  }
}

TEST(ConfigFile, UnreadableFileIsAnErrorNamingIt) {
  Result<Settings> missing = apply_config_file("/nonexistent/devops-monitor.toml", Settings{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().what, "cannot read config file");
  EXPECT_EQ(missing.error().detail, "No such file or directory");
  EXPECT_EQ(missing.error().where, "/nonexistent/devops-monitor.toml");

  testing::TempDir dir;
  Result<Settings> directory = apply_config_file(dir.path(), Settings{});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().what, "untrusted config file");
  EXPECT_EQ(directory.error().detail, "it is a directory, not a regular file");
}

// ---- finding the file -------------------------------------------------------------------------
// The search order is tested with load_settings (config_load_settings_test.cpp).

TEST(ConfigFile, InstalledFileDefaultsToSlashEtc) {
  testing::TempDir dir;
  const std::optional<std::filesystem::path> found =
      find_installed_config(environment_from({{"XDG_CONFIG_HOME", dir.path().string()}}));
  if (std::filesystem::exists("/etc/devops-monitor/config.toml")) {
    EXPECT_EQ(found, std::filesystem::path("/etc/devops-monitor/config.toml"));
  } else {
    EXPECT_EQ(found, std::nullopt);
  }
}

TEST(ConfigFile, TheWorkingDirectoryIsNeverSearched) {
  testing::TempDir dir;
  testing::write_text(dir / "devops-monitor.toml", "");
  const std::filesystem::path before = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto found = find_installed_config(environment_from({}), dir / "etc");
  const auto named = named_config_file(std::nullopt, environment_from({}));
  std::filesystem::current_path(before);
  EXPECT_EQ(found, std::nullopt);
  EXPECT_EQ(named, std::nullopt);
}

}  // namespace
}  // namespace devops_monitor

namespace devops_monitor {
namespace {

TEST(ConfigFile, RetentionAndRotationDays) {
  const Settings settings = applied("retention_days = 30\nrotation_days = 365\n");
  EXPECT_EQ(settings.retention_days, 30);
  EXPECT_EQ(settings.rotation_days, 365);
  const Settings defaults = applied("");
  EXPECT_EQ(defaults.retention_days, 90);
  EXPECT_EQ(defaults.rotation_days, 90);

  EXPECT_EQ(refused_config("retention_days = 0\n").where, "test.toml:1:18");
  EXPECT_NE(refused_config("rotation_days = 40000\n").detail.find("outside 1 to 36500"),
            std::string::npos);
  EXPECT_NE(refused_config("retention_days = \"90d\"\n").detail.find("whole number of days"),
            std::string::npos);
  EXPECT_NE(refused_config("retention_days = 1.5\n").detail.find("whole number of days"),
            std::string::npos);
}

// ---- key_pattern (scan) ----------------------------------------------------------------------

TEST(ConfigKeyPattern, StringOrArrayAddsToTheProvidersShapes) {
  const Settings one = applied(
      "[providers.acme]\nenv_var = \"ACME_API_KEY\"\nkey_pattern = \"acme_[a-z0-9]{32}\"\n");
  ASSERT_EQ(provider(one, "acme").key_patterns.size(), 1u);
  EXPECT_EQ(provider(one, "acme").key_patterns[0].rule, "acme-key");
  EXPECT_EQ(provider(one, "acme").key_patterns[0].regex, "acme_[a-z0-9]{32}");
  const Settings two = applied(
      "[providers.acme]\nenv_var = \"ACME_API_KEY\"\n"
      "key_pattern = [\"acme_[a-z0-9]{32}\", \"acme-live-[A-Z]{20}\"]\n");
  ASSERT_EQ(provider(two, "acme").key_patterns.size(), 2u);
  EXPECT_EQ(provider(two, "acme").key_patterns[1].rule, "acme-key-2");
  const Settings builtin = applied("[providers.openai]\nkey_pattern = \"sk-live-[a-z]{40}\"\n");
  const std::size_t builtin_count = builtin_providers()[1].key_patterns.size();
  EXPECT_EQ(provider(builtin, "openai").key_patterns.size(), builtin_count + 1);
}

TEST(ConfigKeyPattern, PatternsThePrefilterCannotUseAreRefusedAtTheirPosition) {
  const Error short_prefix = refused_config("[providers.acme]\nkey_pattern = \"ab[0-9]{30}\"\n");
  EXPECT_EQ(short_prefix.where, "test.toml:2:15");
  EXPECT_NE(
      short_prefix.detail.find("providers.acme.key_pattern must start with at least 3 literal"),
      std::string::npos)
      << short_prefix.detail;
  const Error in_array =
      refused_config("[providers.acme]\nkey_pattern = [\"acme_[a-z]{9}\", \"[a-z]{30}\"]\n");
  EXPECT_EQ(in_array.where, "test.toml:2:33");
  const Error bad_regex = refused_config("[providers.acme]\nkey_pattern = \"acme_[a-z\"\n");
  EXPECT_NE(bad_regex.detail.find("std::regex"), std::string::npos) << bad_regex.detail;
  EXPECT_EQ(bad_regex.message().find("acme_[a-z"), std::string::npos);  // not quoted back
  const Error alternation = refused_config("[providers.acme]\nkey_pattern = \"acme_[a-z]+|x\"\n");
  EXPECT_NE(alternation.detail.find("|"), std::string::npos);
  const Error not_text = refused_config("[providers.acme]\nkey_pattern = 3\n");
  EXPECT_NE(not_text.detail.find("must be a regular expression string"), std::string::npos);
  const Error empty = refused_config("[providers.acme]\nkey_pattern = []\n");
  EXPECT_NE(empty.detail.find("at least one pattern"), std::string::npos);
}

// ---- [watch], [[webhooks]], [actions] -------------------------------------------------------

TEST(ConfigWatch, IntervalIsADurationOfAtLeastOneSecond) {
  EXPECT_EQ(applied("[watch]\ninterval = \"5m\"\n").watch_interval, Milliseconds(300'000));
  const Error short_one = refused_config("[watch]\ninterval = \"500ms\"\n");
  EXPECT_EQ(short_one.where, "test.toml:2:12");
  EXPECT_NE(short_one.detail.find("watch.interval"), std::string::npos) << short_one.message();
  const Error typo = refused_config("[watch]\ninterval = \"1h\"\nintervl = \"1h\"\n");
  EXPECT_EQ(typo.where, "test.toml:3:1");
  EXPECT_NE(typo.detail.find("did you mean 'interval'?"), std::string::npos) << typo.message();
}

TEST(ConfigServe, KeyIntervalIsADurationFromOneSecondToAWeek) {
  EXPECT_EQ(Settings{}.key_interval, Milliseconds(300'000)) << "5m by default";
  EXPECT_EQ(applied("[serve]\nkey_interval = \"30s\"\n").key_interval, Milliseconds(30'000));
  const Error short_one = refused_config("[serve]\nkey_interval = \"500ms\"\n");
  EXPECT_EQ(short_one.where, "test.toml:2:16");
  EXPECT_NE(short_one.detail.find("serve.key_interval"), std::string::npos) << short_one.message();
  const Error not_text = refused_config("[serve]\nkey_interval = 30\n");
  EXPECT_NE(not_text.detail.find("must be a duration string"), std::string::npos);
  const Error typo = refused_config("[serve]\nkey_intervall = \"1m\"\n");
  EXPECT_NE(typo.detail.find("did you mean 'key_interval'?"), std::string::npos) << typo.message();
}

TEST(ConfigWebhooks, UrlAndFormatAreRead) {
  const Settings s = applied(
      "[[webhooks]]\nurl = \"https://example.com/hook\"\n"
      "[[webhooks]]\nurl = \"http://localhost:8080/x\"\nformat = \"slack\"\n"
      "timeout = \"2s\"\n");
  ASSERT_EQ(s.webhooks.size(), 2u);
  EXPECT_EQ(s.webhooks[0].format, WebhookFormat::json);
  EXPECT_EQ(s.webhooks[1].format, WebhookFormat::slack);
  EXPECT_EQ(s.webhooks[1].timeout, Milliseconds(2000));
}

TEST(ConfigWebhooks, PlainHttpOnlyToLoopbackAndTheUrlIsNeverQuoted) {
  const std::string secret_url = "http://hooks.example.com/services/" + kConfigCanary;
  const Error plain = refused_config("[[webhooks]]\nurl = \"" + secret_url + "\"\n");
  EXPECT_EQ(plain.where, "test.toml:2:7");
  EXPECT_NE(plain.detail.find("webhooks[0].url must be an https:// URL"), std::string::npos)
      << plain.message();
  EXPECT_EQ(plain.message().find(kConfigCanary), std::string::npos);
  EXPECT_EQ(plain.message().find("hooks.example.com"), std::string::npos);
  const Error spaces =
      refused_config("[[webhooks]]\nurl = \"https://x.example/" + kConfigCanary + " y\"\n");
  EXPECT_EQ(spaces.message().find(kConfigCanary), std::string::npos);
  for (const char* url : {"http://127.0.0.1/x", "http://[::1]:9/x", "HTTP://LocalHost/x"}) {
    EXPECT_EQ(applied(std::string("[[webhooks]]\nurl = \"") + url + "\"\n").webhooks.size(), 1u)
        << url;
  }
  for (const char* url : {"http://127.0.0.1.evil.example/x", "http://0.0.0.0/x", "ftp://x/y"}) {
    refused_config(std::string("[[webhooks]]\nurl = \"") + url + "\"\n");
  }
}

TEST(ConfigWebhooks, MistakesNameTheirPlace) {
  const Error no_url = refused_config("[[webhooks]]\nformat = \"json\"\n");
  EXPECT_EQ(no_url.where, "test.toml:1:1");
  EXPECT_NE(no_url.detail.find("webhooks[0] needs url"), std::string::npos) << no_url.message();
  const Error format =
      refused_config("[[webhooks]]\nurl = \"https://a.example/\"\nformat = \"teams\"\n");
  EXPECT_EQ(format.where, "test.toml:3:10");
  const Error typo =
      refused_config("[[webhooks]]\nurl = \"https://a.example/\"\nfromat = \"json\"\n");
  EXPECT_EQ(typo.where, "test.toml:3:1");
  EXPECT_NE(typo.detail.find("in [[webhooks]]; did you mean 'format'?"), std::string::npos)
      << typo.message();
  const Error table = refused_config("webhooks = \"https://a.example/\"\n");
  EXPECT_NE(table.detail.find("[[webhooks]]"), std::string::npos) << table.message();
}

TEST(ConfigActions, ArgvListsOfStrings) {
  const Settings s = applied("[actions]\non_critical = [\"/bin/page\", \"\", \"x\"]\n");
  EXPECT_EQ(s.actions.on_critical, (std::vector<std::string>{"/bin/page", "", "x"}));
  EXPECT_TRUE(s.actions.on_warning.empty());
  const Error empty = refused_config("[actions]\non_warning = []\n");
  EXPECT_EQ(empty.where, "test.toml:2:14");
  const Error shell = refused_config("[actions]\non_warning = \"systemctl restart x\"\n");
  EXPECT_NE(shell.detail.find("must be an array of strings"), std::string::npos) << shell.message();
  const Error number = refused_config("[actions]\non_recovery = [\"logger\", 3]\n");
  EXPECT_EQ(number.where, "test.toml:2:26");
  EXPECT_NE(number.detail.find("actions.on_recovery[1] must be a string"), std::string::npos)
      << number.message();
  const Error program = refused_config("[actions]\non_recovery = [\"\"]\n");
  EXPECT_NE(program.detail.find("must not be empty"), std::string::npos) << program.message();
  const Error typo = refused_config("[actions]\non_critcal = [\"x\"]\n");
  EXPECT_NE(typo.detail.find("did you mean 'on_critical'?"), std::string::npos) << typo.message();
}

TEST(ConfigActions, TimeoutIsADurationFromOneSecondToOneHour) {
  EXPECT_EQ(Settings{}.actions.timeout, Milliseconds(30000));
  EXPECT_EQ(applied("[actions]\ntimeout = \"5s\"\n").actions.timeout, Milliseconds(5000));
  const Error short_one = refused_config("[actions]\ntimeout = \"500ms\"\n");
  EXPECT_NE(short_one.message().find("outside 1s to 1h"), std::string::npos) << short_one.message();
  const Error number = refused_config("[actions]\ntimeout = 30\n");
  EXPECT_NE(number.message().find("duration string"), std::string::npos) << number.message();
}

}  // namespace
}  // namespace devops_monitor

// ---- key insight ------------------------------------------------------------------------

namespace devops_monitor {
namespace {

TEST(ConfigInsight, RequiredModelsCreditAndRateLimitKeysAreRead) {
  const Settings s = applied(
      "[providers.openai]\nrequired_models = [\"gpt-4o\", \"o3\"]\n"
      "ratelimit_warning_ratio = 0.25\n"
      "[providers.moonshot]\nmin_credit = 5\ncredit_unit = \"CNY\"\n"
      "balance_endpoint = \"https://gw.example.test/balance\"\nmax_model_pages = 3\n");
  EXPECT_EQ(provider(s, "openai").required_models, (std::vector<std::string>{"gpt-4o", "o3"}));
  EXPECT_EQ(provider(s, "openai").ratelimit_warning_ratio, 0.25);
  EXPECT_EQ(provider(s, "moonshot").min_credit, std::optional<double>(5.0));
  EXPECT_EQ(provider(s, "moonshot").credit_unit, "CNY");
  EXPECT_EQ(provider(s, "moonshot").balance_endpoint, "https://gw.example.test/balance");
  EXPECT_EQ(provider(s, "moonshot").max_model_pages, 3);
  // Untouched built-ins keep their defaults.
  EXPECT_EQ(provider(s, "moonshot").required_models, std::vector<std::string>{});
  EXPECT_EQ(provider(s, "google").model_id_prefix, "models/");
  EXPECT_EQ(provider(s, "openrouter").check_kind, ProbeKind::key_info);
  EXPECT_EQ(applied("[providers.moonshot]\nbalance_endpoint = \"\"\n").providers.size(), 6u);
}

TEST(ConfigInsight, BadValuesAreRefusedAtTheirPosition) {
  for (const char* bad : {
           "[providers.openai]\nrequired_models = \"gpt-4o\"\n",
           "[providers.openai]\nrequired_models = [\"gpt 4o\"]\n",
           "[providers.openai]\nrequired_models = [1]\n",
           "[providers.openai]\nratelimit_warning_ratio = 1.5\n",
           "[providers.openai]\nmin_credit = -1\n",
           "[providers.openai]\nmin_credit = \"5\"\n",
           "[providers.openai]\nmax_model_pages = 0\n",
           "[providers.openai]\ncredit_unit = \"$\"\n",
           "[providers.openai]\nbalance_endpoint = \"ftp://x.test/b\"\n",
       }) {
    const Error error = refused_config(bad);
    EXPECT_NE(error.message().find("test.toml:2"), std::string::npos) << error.message();
  }
}

TEST(ConfigWatch, ConfirmHeartbeatAndCpuAverageAreReadWithinTheirRanges) {
  const Settings defaults = applied("");
  EXPECT_EQ(defaults.watch_confirm, 2);
  EXPECT_TRUE(defaults.heartbeat_url.empty());
  EXPECT_EQ(defaults.cpu_average, Milliseconds(60000));
  const Settings s = applied(
      "cpu_average = \"5m\"\n[watch]\nconfirm = 3\n"
      "heartbeat_url = \"https://hc-ping.example/uuid\"\n");
  EXPECT_EQ(s.watch_confirm, 3);
  EXPECT_EQ(s.heartbeat_url, "https://hc-ping.example/uuid");
  EXPECT_EQ(s.cpu_average, Milliseconds(5 * 60000));
  EXPECT_EQ(refused_config("[watch]\nconfirm = 0\n").where, "test.toml:2:11");
  refused_config("[watch]\nconfirm = 101\n");
  refused_config("cpu_average = \"500ms\"\n");
  refused_config("cpu_average = \"2h\"\n");
}

TEST(ConfigWatch, AHeartbeatUrlTheHttpLayerWouldRefuseIsNeverQuoted) {
  const Error plain =
      refused_config("[watch]\nheartbeat_url = \"http://hc.example.com/" + kConfigCanary + "\"\n");
  EXPECT_EQ(plain.where, "test.toml:2:17");
  EXPECT_NE(plain.detail.find("heartbeat_url must be an https:// URL"), std::string::npos)
      << plain.message();
  EXPECT_EQ(plain.message().find(kConfigCanary), std::string::npos);
  EXPECT_EQ(applied("[watch]\nheartbeat_url = \"http://127.0.0.1:9/ping\"\n").heartbeat_url,
            "http://127.0.0.1:9/ping");
}

}  // namespace
}  // namespace devops_monitor
