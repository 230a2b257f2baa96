// load_history() and parse_sample() over generated report directories: our format, the old
// tool's, and every kind of file that is not a report.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "devops_monitor/report_json.hpp"
#include "history/history.hpp"
#include "support/fixtures.hpp"
#include "support/must_run.hpp"
#include "support/process.hpp"
#include "util/file_io.hpp"

namespace devops_monitor::history {
namespace {

using std::chrono::hours;
using testing::TempDir;
using testing::write_text;

/// "monitoring_report_YYYYMMDD_HHMMSS.json" for `time`.
std::string history_file_name(SystemTime time) {
  return "monitoring_report_" + utc_file_stamp(time) + ".json";
}

Report history_our_report(SystemTime time, KeyState state, double root_percent) {
  Report r;
  r.timestamp = format_rfc3339(time, hours(1));
  r.status = Status::warning;
  ApiKeyStatus key = testing::openai_key_in_state(state);
  key.provider = "OpenAI (GPT-4)";
  key.latency_ms = 321;
  key.credit_remaining = 7.25;
  key.error_message = "some error text";
  r.api_keys.push_back(key);
  r.system_health.cpu_percent = 12.5;
  r.system_health.memory_percent = 47.0;
  r.system_health.thresholds.disk = {.warning = 70, .critical = 85};
  r.system_health.disks.push_back({.path = "/", .percent = root_percent});
  DiskHealth stuck{.path = "/mnt/nfs", .status = Status::unknown};
  stuck.error = "statfs did not answer within 5s";
  r.system_health.disks.push_back(stuck);
  return r;
}

/// A report as the old Python tool wrote it (the seed's field list): no state, id, disks,
/// thresholds or overall status, and a timestamp without an offset.
std::string history_old_report(const std::string& provider, bool present, const char* valid) {
  return R"({"timestamp": "2024-01-01T00:00:00", "api_keys": [{"provider": ")" + provider +
         R"(", "key_present": )" + (present ? "true" : "false") + R"(, "key_valid": )" + valid +
         R"(, "error_message": "API key is valid", "last_checked": "2024-01-01T00:00:00"}],
  "system_health": {"cpu_percent": 45.2, "memory_percent": 62.1, "disk_percent": 54.8,
  "timestamp": "2024-01-01T00:00:00", "status": "warning"},
  "issues_found": [], "recommendations": ["System is healthy - continue monitoring"]})";
}

TEST(HistoryLoad, ReadsOurReportsWithTheirOwnTimesAndThresholds) {
  TempDir dir;
  const SystemTime t = testing::kFixedNow - hours(3);
  write_text(dir / history_file_name(t),
             to_json(history_our_report(t, KeyState::rate_limited, 55.5)));
  Result<LoadedHistory> loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_TRUE(loaded->warnings.empty());
  ASSERT_EQ(loaded->samples.size(), 1U);
  const Sample& s = loaded->samples[0];
  EXPECT_EQ(s.time, t);
  EXPECT_EQ(s.status, Status::warning);
  EXPECT_DOUBLE_EQ(s.cpu_percent, 12.5);
  EXPECT_DOUBLE_EQ(s.memory_percent, 47.0);
  EXPECT_DOUBLE_EQ(s.thresholds.disk.warning, 70);
  ASSERT_EQ(s.disks.size(), 1U);  // the disk that did not answer has no figure
  EXPECT_EQ(s.disks[0].path, "/");
  EXPECT_DOUBLE_EQ(s.disks[0].percent, 55.5);
  ASSERT_EQ(s.keys.size(), 1U);
  EXPECT_EQ(s.keys[0].id, "openai");
  EXPECT_EQ(s.keys[0].state, KeyState::rate_limited);
  EXPECT_EQ(s.keys[0].latency_ms, 321);
  EXPECT_EQ(s.keys[0].credit_remaining, 7.25);
}

TEST(HistoryLoad, TheSampleParserAgreesWithSampleOfTheParsedReport) {
  const SystemTime t = testing::kFixedNow;
  for (KeyState state :
       {KeyState::valid, KeyState::invalid, KeyState::missing, KeyState::unknown}) {
    const std::string text = to_json(history_our_report(t, state, 12.3));
    Result<Sample> direct = parse_sample(text, "r.json", t - hours(5));
    ASSERT_TRUE(direct.ok());
    Result<Report> report = parse_report(text, "r.json");
    ASSERT_TRUE(report.ok());
    const Sample via = sample_of(*report, t);
    EXPECT_EQ(direct->time, via.time);
    EXPECT_EQ(direct->status, via.status);
    EXPECT_EQ(direct->keys.size(), via.keys.size());
    EXPECT_EQ(direct->keys[0].state, via.keys[0].state);
    EXPECT_EQ(direct->keys[0].id, via.keys[0].id);
    EXPECT_EQ(direct->keys[0].latency_ms, via.keys[0].latency_ms);
    EXPECT_EQ(direct->keys[0].credit_remaining, via.keys[0].credit_remaining);
    EXPECT_EQ(direct->disks.size(), via.disks.size());
    EXPECT_DOUBLE_EQ(direct->disks[0].percent, via.disks[0].percent);
    EXPECT_DOUBLE_EQ(direct->thresholds.disk.critical, via.thresholds.disk.critical);
  }
}

TEST(HistoryLoad, ReadsTheOldToolsReports) {
  TempDir dir;
  const SystemTime t = testing::kFixedNow - hours(2);
  write_text(dir / history_file_name(t), history_old_report("Anthropic (Claude)", true, "false"));
  write_text(dir / history_file_name(t + hours(1)),
             history_old_report("Some Proxy (EU)", true, "null"));
  write_text(dir / history_file_name(testing::kFixedNow),
             history_old_report("OpenRouter", false, "null"));
  Result<LoadedHistory> loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->warnings.empty());
  ASSERT_EQ(loaded->samples.size(), 3U);
  const Sample& first = loaded->samples[0];
  EXPECT_EQ(first.time, t);                  // no offset in the timestamp: the file name's UTC time
  EXPECT_EQ(first.status, Status::warning);  // no overall status: system health's
  EXPECT_EQ(first.keys[0].id, "anthropic");  // derived from the display name
  EXPECT_EQ(first.keys[0].state, KeyState::invalid);
  ASSERT_EQ(first.disks.size(), 1U);
  EXPECT_EQ(first.disks[0].path, "/");
  EXPECT_DOUBLE_EQ(first.disks[0].percent, 54.8);
  EXPECT_DOUBLE_EQ(first.thresholds.cpu.warning, 80.0);
  EXPECT_EQ(loaded->samples[1].keys[0].id, "some-proxy-eu");
  EXPECT_EQ(loaded->samples[1].keys[0].state, KeyState::unknown);
  EXPECT_EQ(loaded->samples[2].keys[0].id, "openrouter");
  EXPECT_EQ(loaded->samples[2].keys[0].state, KeyState::missing);
}

TEST(HistoryLoad, BadFilesAreOneWarningEachAndTheRestIsRead) {
  TempDir dir;
  const SystemTime t = testing::kFixedNow - hours(10);
  const std::string good = to_json(history_our_report(t, KeyState::valid, 10));
  write_text(dir / history_file_name(t), good);
  write_text(dir / history_file_name(t + hours(1)), good.substr(0, good.size() / 2));  // truncated
  write_text(dir / history_file_name(t + hours(2)), "{\"name\": \"package.json\", \"version\": 1}");
  write_text(dir / history_file_name(t + hours(3)), "[1, 2, 3]");
  write_text(dir / history_file_name(t + hours(4)), "not json at all");
  write_text(dir / history_file_name(t + hours(5)), "");
  write_text(dir / history_file_name(t + hours(6)), std::string(kMaxReportBytes + 1, ' '));
  std::filesystem::create_directory(dir /
                                    history_file_name(t + hours(7)));  // not a file: not listed
  write_text(dir / "notes.txt", "not a report name, never opened");
  write_text(dir / "latest_report.json", good);
  write_text(dir / history_file_name(t + hours(8)), good);
  Result<LoadedHistory> loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->samples.size(), 2U);
  ASSERT_EQ(loaded->warnings.size(), 6U);
  for (const std::string& w : loaded->warnings) {
    EXPECT_EQ(w.rfind("skipped " + dir.path().string() + "/monitoring_report_", 0), 0U) << w;
  }
  EXPECT_NE(loaded->warnings[0].find("truncated JSON"), std::string::npos) << loaded->warnings[0];
  EXPECT_NE(loaded->warnings[1].find("no api_keys or system_health"), std::string::npos);
  EXPECT_NE(loaded->warnings[2].find("not a JSON object"), std::string::npos);
  EXPECT_NE(loaded->warnings[3].find("not valid JSON"), std::string::npos);
  EXPECT_EQ(loaded->warnings[5], "skipped " + (dir / history_file_name(t + hours(6))).string() +
                                     ": it is larger than 4 MiB, the cap for a report");
}

TEST(HistoryLoad, UnreadableFileIsAWarning) {
  TempDir dir;
  const SystemTime t = testing::kFixedNow - hours(1);
  const auto file = dir / "elsewhere.json";
  write_text(file, to_json(history_our_report(t, KeyState::valid, 10)));
  // A report name that is a symlink is not followed (even root cannot read it that way).
  std::filesystem::create_symlink(file, dir / history_file_name(t));
  Result<LoadedHistory> loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->samples.empty());
  ASSERT_EQ(loaded->warnings.size(), 1U);
  EXPECT_NE(loaded->warnings[0].find(": it is a symbolic link, which is not followed here"),
            std::string::npos)
      << loaded->warnings[0];
  // A file that cannot be read is a warning too. Root reads every file, so as root (CI) this
  // half runs as the user nobody.
  write_text(dir / history_file_name(t + hours(1)), "{}");
  std::filesystem::permissions(dir / history_file_name(t + hours(1)), std::filesystem::perms::none);
  std::filesystem::permissions(
      dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                      std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                      std::filesystem::perms::others_exec);
  const std::string warnings = testing::run_as_nobody([&] {
    Result<LoadedHistory> unprivileged = load_history(dir.path(), testing::kFixedNow - hours(24));
    if (!unprivileged.ok()) return "error: " + unprivileged.error().message();
    std::string all;
    for (const std::string& warning : unprivileged->warnings) all += warning + "\n";
    return all;
  });
  EXPECT_NE(warnings.find("Permission denied"), std::string::npos) << warnings;
  EXPECT_EQ(std::count(warnings.begin(), warnings.end(), '\n'), 2) << warnings;
}

TEST(HistoryLoad, AnIndexThatIsNotARegularFileIsOneWarningAndIsReplaced) {
  TempDir dir;
  const SystemTime t = testing::kFixedNow - hours(1);
  write_text(dir / history_file_name(t), to_json(history_our_report(t, KeyState::valid, 10)));
  ASSERT_EQ(::mkfifo((dir / kHistoryIndexName).c_str(), 0644), 0);
  Result<LoadedHistory> loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->samples.size(), 1U);
  ASSERT_EQ(loaded->warnings.size(), 1U);
  EXPECT_EQ(loaded->warnings[0], "history index not used: it is a FIFO, not a regular file (" +
                                     (dir / kHistoryIndexName).string() + ")");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / kHistoryIndexName)) << "written anew";
  loaded = load_history(dir.path(), testing::kFixedNow - hours(24));
  EXPECT_TRUE(loaded->warnings.empty());
}

TEST(HistoryLoad, FilesBeforeSinceAreNotEvenOpened) {
  TempDir dir;
  const SystemTime since = testing::kFixedNow - hours(24);
  // Corrupt, but named before `since`: no warning, because it is never read.
  write_text(dir / history_file_name(since - hours(1)), "{truncated");
  const SystemTime t = since + hours(1);
  write_text(dir / history_file_name(t), to_json(history_our_report(t, KeyState::valid, 10)));
  Result<LoadedHistory> loaded = load_history(dir.path(), since);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->warnings.empty());
  EXPECT_EQ(loaded->samples.size(), 1U);
}

TEST(HistoryLoad, AMissingDirectoryIsAnErrorNamingIt) {
  TempDir dir;
  Result<LoadedHistory> loaded = load_history(dir / "nope", testing::kFixedNow);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message().find("nope"), std::string::npos);
}

TEST(HistoryIndex, RoundTripsEverySampleField) {
  HistoryIndex index;
  Sample s;
  s.time = testing::kFixedNow + std::chrono::milliseconds(125);
  s.status = Status::critical;
  s.cpu_percent = 12.345678901234;
  s.memory_percent = 0.1;
  s.thresholds.disk = {.warning = 70.5, .critical = 85};
  s.disks = {{"/", 55.5, 1000, 555}, {"/odd\tpath\n%20", 1.0, 0, 0}};
  s.keys = {{"openai", "OpenAI (GPT-4)", KeyState::quota_exhausted, 321, 12.75},
            {"x", "tab\there\x1b[31m", KeyState::missing, std::nullopt}};
  index["monitoring_report_20261124_174903.json"] = IndexEntry{{4356, 17, 18}, s};
  const std::string text = format_history_index(index);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);  // the header and one line
  const HistoryIndex back = parse_history_index(text);
  ASSERT_EQ(back.size(), 1U);
  const IndexEntry& e = back.begin()->second;
  EXPECT_EQ(e.stamp, (FileStamp{4356, 17, 18}));
  EXPECT_EQ(e.sample.time, s.time);
  EXPECT_EQ(e.sample.status, s.status);
  EXPECT_EQ(e.sample.cpu_percent, s.cpu_percent);
  EXPECT_EQ(e.sample.thresholds.disk.warning, 70.5);
  ASSERT_EQ(e.sample.disks.size(), 2U);
  EXPECT_EQ(e.sample.disks[1].path, s.disks[1].path);
  EXPECT_EQ(e.sample.disks[0].used_bytes, 555U);
  ASSERT_EQ(e.sample.keys.size(), 2U);
  EXPECT_EQ(e.sample.keys[1].provider, s.keys[1].provider);
  EXPECT_EQ(e.sample.keys[0].latency_ms, 321);
  EXPECT_FALSE(e.sample.keys[1].latency_ms.has_value());
  EXPECT_EQ(e.sample.keys[0].credit_remaining, 12.75);
  EXPECT_FALSE(e.sample.keys[1].credit_remaining.has_value());
  EXPECT_EQ(format_history_index(back), text);
}

TEST(HistoryIndex, TheFuzzSeedIsAValidIndex) {
  const HistoryIndex index = parse_history_index(
      testing::read_text(testing::kSourceTree / "fuzz" / "corpus" / "history" / "index.tsv"));
  ASSERT_EQ(index.size(), 1U);
  const Sample& s = index.begin()->second.sample;
  EXPECT_EQ(s.disks.at(1).path, "/odd\tpath");
  EXPECT_EQ(s.keys.at(1).provider, "tab\there");
  EXPECT_EQ(s.keys.at(0).state, KeyState::quota_exhausted);
  EXPECT_EQ(s.keys.at(0).credit_remaining, 12.5);
}

TEST(HistoryIndex, BadLinesAndForeignFilesAreIgnored) {
  EXPECT_TRUE(parse_history_index("something else\n").empty());
  EXPECT_TRUE(parse_history_index("").empty());
  HistoryIndex index;
  index["a.json"] = IndexEntry{{1, 2, 3}, Sample{}};
  const std::string good = format_history_index(index);
  EXPECT_EQ(parse_history_index(good).size(), 1U);
  EXPECT_TRUE(parse_history_index(good.substr(0, good.size() - 1)).empty());  // unfinished line
  std::string bad = good;
  bad.replace(bad.find("healthy"), 7, "fine");
  EXPECT_TRUE(parse_history_index(bad).empty());
  EXPECT_TRUE(parse_history_index(good + "a.json\t1\t2\n").size() == 1U);
}

TEST(HistoryIndex, IsWrittenBesideTheReportsAndNeverTrustedOverThem) {
  TempDir dir;
  const SystemTime since = testing::kFixedNow - hours(24);
  const SystemTime t = since + hours(1);
  const auto file = dir / history_file_name(t);
  write_text(file, to_json(history_our_report(t, KeyState::valid, 10)));
  ASSERT_TRUE(load_history(dir.path(), since).ok());
  ASSERT_TRUE(std::filesystem::exists(dir / kHistoryIndexName));
  // The report changes after it was indexed: the report wins.
  write_text(file, to_json(history_our_report(t, KeyState::invalid, 10)));
  Result<LoadedHistory> again = load_history(dir.path(), since);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->samples.size(), 1U);
  EXPECT_EQ(again->samples[0].keys[0].state, KeyState::invalid);
  // A doctored index entry with the right stamp would be believed; one without is not.
  write_text(dir / kHistoryIndexName, "devops-monitor history index 2\nnonsense\n");
  Result<LoadedHistory> third = load_history(dir.path(), since);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->samples.size(), 1U);
  // A report that is gone leaves the index too.
  std::filesystem::remove(file);
  ASSERT_TRUE(load_history(dir.path(), since).ok());
  EXPECT_EQ(parse_history_index(testing::read_text(dir / kHistoryIndexName)).size(), 0U);
}

TEST(HistoryIndex, AnIndexedCorruptFileIsStillAWarningEachRun) {
  TempDir dir;
  const SystemTime since = testing::kFixedNow - hours(24);
  write_text(dir / history_file_name(since + hours(1)), "{broken");
  for (int run = 0; run < 2; ++run) {
    Result<LoadedHistory> loaded = load_history(dir.path(), since);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->warnings.size(), 1U);
  }
}

TEST(HistoryLoad, ProviderIdsForDisplayNames) {
  EXPECT_EQ(provider_id_for_name("Together AI (Kimi K2)"), "together");
  EXPECT_EQ(provider_id_for_name("Google Gemini"), "google");
  EXPECT_EQ(provider_id_for_name("My Proxy (EU)"), "my-proxy-eu");
  EXPECT_EQ(provider_id_for_name("  "), "");
}

}  // namespace
}  // namespace devops_monitor::history
