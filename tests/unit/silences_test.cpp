// Maintenance silences with values and real files: the match grammar, when a silence holds,
// silences.json (atomic, planted files refused), and the pure steps that make watch, notify
// github, the exposition, the page and the dashboard respect them.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "dashboard/dashboard_view.hpp"
#include "devops_monitor/dashboard.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/report_store.hpp"
#include "devops_monitor/silences.hpp"
#include "notify/alert.hpp"
#include "notify/github_body.hpp"
#include "notify/github_plan.hpp"
#include "notify/notice.hpp"
#include "page/maintenance_html.hpp"
#include "store/silences_file.hpp"
#include "support/fake_provider.hpp"
#include "support/fixtures.hpp"
#include "support/monitor_world.hpp"
#include "support/process.hpp"
#include "util/time_format.hpp"
#include "watch/silence_step.hpp"

namespace devops_monitor {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const std::vector<std::string> kIds = {"openai", "anthropic", "my-proxy"};
const SystemTime kNoon = *parse_rfc3339("2026-12-07T12:00:00Z");

Silence silence_for(std::vector<std::string> matches, std::string id = "s000001",
                    SystemTime starts = kNoon - hours(1), SystemTime ends = kNoon + hours(1)) {
  return Silence{.id = std::move(id),
                 .matches = std::move(matches),
                 .starts_at = format_rfc3339(starts, std::chrono::seconds(0)),
                 .ends_at = format_rfc3339(ends, std::chrono::seconds(0)),
                 .comment = "migrating"};
}

// ---- the grammar and the clock ------------------------------------------------------------

TEST(SilenceMatch, TakesTheMetricsNamesAndRefusesTheRestWithAHint) {
  for (const char* good :
       {"all", "cpu", "memory", "disk:/", "disk:/var/lib", "key:openai", "key:my-proxy"}) {
    const Result<std::string> match = parse_silence_match(good, kIds);
    ASSERT_TRUE(match) << good << ": " << match.error().message();
    EXPECT_EQ(*match, good);
  }
  const auto message = [](std::string_view text) {
    const Result<std::string> match = parse_silence_match(text, kIds);
    EXPECT_FALSE(match) << text;
    return match ? std::string() : match.error().message();
  };
  EXPECT_EQ(message("memroy"),
            "invalid --match: \"memroy\" is not one of all, cpu, memory, disk:<path>, "
            "key:<provider id> (did you mean memory?) (--match)");
  EXPECT_NE(message("key:opnai").find("names no provider (did you mean key:openai?)"),
            std::string::npos);
  EXPECT_NE(message("openai").find("did you mean key:openai?"), std::string::npos);
  EXPECT_NE(message("disk").find("did you mean disk:/?"), std::string::npos);
  EXPECT_NE(message("disk:var").find("absolute path"), std::string::npos);
  EXPECT_EQ(message("\x1b[31mred").find('\x1b'), std::string::npos) << "made printable";
}

TEST(SilenceMatch, AllCoversEverythingADiskOnlyItsOwnPath) {
  EXPECT_TRUE(match_covers("all", "disk:/var"));
  EXPECT_TRUE(match_covers("disk:/", "disk:/"));
  EXPECT_FALSE(match_covers("disk:/", "disk:/var"));
  EXPECT_FALSE(match_covers("cpu", "memory"));
  const std::vector<Silence> silences = {silence_for({"cpu"}, "a"),
                                         silence_for({"key:openai", "cpu"}, "b")};
  EXPECT_EQ(silence_covering(silences, "key:openai")->id, "b");
  EXPECT_EQ(silence_covering(silences, "memory"), nullptr);
  EXPECT_EQ(silenced_components(silences), (std::vector<std::string>{"cpu", "key:openai"}));
}

TEST(SilenceClock, HoldsFromItsStartUntilItsEnd) {
  const Silence silence = silence_for({"cpu"});
  EXPECT_EQ(silence_state(silence, kNoon - hours(2)), SilenceState::upcoming);
  EXPECT_EQ(silence_state(silence, kNoon - hours(1)), SilenceState::active);
  EXPECT_EQ(silence_state(silence, kNoon + hours(1)), SilenceState::ended) << "end excluded";
  Silence broken = silence;
  broken.ends_at = "soon";
  EXPECT_FALSE(silence_active(broken, kNoon));
  EXPECT_EQ(active_silences({silence, broken}, kNoon).size(), 1u);
  const Silence made = new_silence({"memory"}, hours(2), "why", kNoon);
  EXPECT_EQ(*parse_rfc3339(made.ends_at) - *parse_rfc3339(made.starts_at), hours(2));
  EXPECT_TRUE(made.id.empty());
}

// ---- silences.json ------------------------------------------------------------------------

TEST(SilencesFile, AddListExpireThroughTheStoreKeepOneAtomicFile) {
  testing::TempDir dir;
  Settings settings;
  settings.report_dir = dir.path();
  const ReportStore store(settings);
  const SystemTime now = std::chrono::system_clock::now();
  const Result<Silence> first = store.add_silence(new_silence({"cpu"}, hours(1), "a", now), now);
  const Result<Silence> second =
      store.add_silence(new_silence({"disk:/"}, hours(1), "b", now), now);
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->id, second->id);
  EXPECT_TRUE(std::regex_match(first->id, std::regex("s[0-9a-f]{6}"))) << first->id;
  Result<std::vector<Silence>> listed = store.silences();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].comment, "b");

  const Result<Silence> expired = store.expire_silence(first->id, now + minutes(1));
  ASSERT_TRUE(expired) << expired.error().message();
  EXPECT_EQ(silence_state(*expired, now + minutes(1)), SilenceState::ended);
  const Result<Silence> again = store.expire_silence(first->id, now + minutes(2));
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("it ended at"), std::string::npos);
  const Result<Silence> unknown = store.expire_silence("s999999", now);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message(),
            "cannot expire silence: there is no silence with that id; see silence list "
            "(s999999)");
  // Only silences.json and the lock: the temporary file was renamed into place.
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(name == "silences.json" || name == ".devops-monitor.lock") << name;
  }
  // A week after the end, an ended silence is dropped at the next write.
  ASSERT_TRUE(store.add_silence(new_silence({"memory"}, hours(1), "", now + hours(24 * 8)),
                                now + hours(24 * 8)));
  listed = store.silences();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].matches, std::vector<std::string>{"memory"});
}

TEST(SilencesFile, AMissingDirectoryIsAnErrorNamingIt) {
  testing::TempDir dir;
  Settings settings;
  settings.report_dir = dir / "missing";
  const Result<std::vector<Silence>> listed = ReportStore(settings).silences();
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().message().find("no report directory"), std::string::npos);
  EXPECT_FALSE(ReportStore(settings).add_silence(silence_for({"cpu"}), kNoon));
  EXPECT_FALSE(std::filesystem::exists(settings.report_dir)) << "a typo creates nothing";
}

TEST(SilencesFile, APlantedFifoOrSymlinkIsOneWarningNeverAHang) {
  testing::TempDir dir;
  Settings settings;
  settings.report_dir = dir.path();
  const std::filesystem::path file = dir / "silences.json";
  for (const bool fifo : {true, false}) {
    std::filesystem::remove(file);
    if (fifo) {
      ASSERT_EQ(::mkfifo(file.c_str(), 0600), 0);
    } else {
      std::filesystem::create_symlink("/dev/zero", file);
    }
    CheckNotes notes;
    const Result<std::vector<Silence>> listed = ReportStore(settings).silences(&notes);
    ASSERT_TRUE(listed);
    EXPECT_TRUE(listed->empty());
    ASSERT_EQ(notes.warnings.size(), 1u);
    EXPECT_NE(notes.warnings[0].message().find(fifo ? "FIFO" : "symbolic link"), std::string::npos)
        << notes.warnings[0].message();
    // Adding replaces the entry itself (never writes through a symlink) and says so.
    CheckNotes add_notes;
    ASSERT_TRUE(ReportStore(settings).add_silence(silence_for({"cpu"}, ""), kNoon, &add_notes));
    EXPECT_EQ(add_notes.warnings.size(), 1u);
    EXPECT_TRUE(std::filesystem::is_regular_file(std::filesystem::symlink_status(file)));
  }
}

TEST(SilencesFile, TheCacheRereadsOnlyAChangedFile) {
  testing::TempDir dir;
  SilencesCache cache(dir.path());
  EXPECT_TRUE(cache.current().empty());
  ASSERT_TRUE(add_silence(dir.path(), silence_for({"cpu"}, ""), kNoon, nullptr));
  EXPECT_EQ(cache.current().size(), 1u);
  ASSERT_TRUE(add_silence(dir.path(), silence_for({"memory"}, ""), kNoon, nullptr));
  EXPECT_EQ(cache.current().size(), 2u) << "the rename gave it a new inode";
  std::filesystem::remove(dir / "silences.json");
  EXPECT_TRUE(cache.current().empty());
}

TEST(SilencesFile, TheReportCarriesItsSilencesAndReadsThemBack) {
  Report report;
  report.timestamp = "2026-12-07T12:00:00.000+00:00";
  report.system_health.timestamp = report.timestamp;
  report.version = "0.1.0";
  report.silences = {silence_for({"disk:/", "key:openai"})};
  const Result<Report> back = parse_report(to_json(report), "test");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->silences.size(), 1u);
  EXPECT_EQ(back->silences[0].matches, report.silences[0].matches);
  EXPECT_EQ(back->silences[0].comment, "migrating");
  testing::keep_for_schema_validation(to_json(report));
}

// ---- watch ---------------------------------------------------------------------------------

Report watched(Status cpu, Status disk, std::vector<Silence> silences = {}) {
  Report report;
  report.status = worse(cpu, disk);
  report.system_health.cpu_status = cpu;
  report.system_health.disk_status = disk;
  DiskHealth root;
  root.path = "/";
  root.status = disk;
  DiskHealth var;
  var.path = "/var";
  report.system_health.disks = {root, var};
  report.api_keys.push_back(testing::openai_key_in_state(KeyState::valid));
  report.silences = std::move(silences);
  return report;
}

std::vector<std::string> components_of(const watch::WatchStep& step) {
  std::vector<std::string> out;
  for (const Transition& change : step.changes) out.push_back(change.component);
  return out;
}

watch::WatchStep silenced_step(const Report* previous, const Report& current) {
  return watch::without_silenced(watch::watch_step(previous, current), previous, current);
}

TEST(SilencedWatch, ASilencedComponentAloneSaysNothingAndRunsNoAction) {
  const Report before = watched(Status::healthy, Status::healthy);
  const Report full = watched(Status::healthy, Status::critical, {silence_for({"disk:/"})});
  const watch::WatchStep step = silenced_step(&before, full);
  EXPECT_TRUE(step.changes.empty()) << ::testing::PrintToString(components_of(step));
  EXPECT_FALSE(step.action);
  // The same change without the silence: overall, disk and disk:/, and the critical action.
  Report loud = full;
  loud.silences.clear();
  const watch::WatchStep unsilenced = silenced_step(&before, loud);
  EXPECT_EQ(components_of(unsilenced), (std::vector<std::string>{"overall", "disk", "disk:/"}));
  EXPECT_EQ(unsilenced.action, Status::critical);
}

TEST(SilencedWatch, WhatIsNotSilencedStillSpeaks) {
  const Report before = watched(Status::healthy, Status::healthy);
  // A silence on another disk does not cover /.
  const Report other = watched(Status::healthy, Status::critical, {silence_for({"disk:/var"})});
  EXPECT_EQ(components_of(silenced_step(&before, other)),
            (std::vector<std::string>{"overall", "disk", "disk:/"}));
  // cpu silenced, the disk not: the disk (as a group and as /) and overall speak, cpu does
  // not.
  const Report both = watched(Status::critical, Status::warning, {silence_for({"cpu"})});
  const watch::WatchStep step = silenced_step(&before, both);
  EXPECT_EQ(components_of(step), (std::vector<std::string>{"overall", "disk", "disk:/"}));
  EXPECT_EQ(step.action, Status::critical);
  // `all` silences everything, overall included.
  const Report all = watched(Status::critical, Status::critical, {silence_for({"all"})});
  EXPECT_TRUE(silenced_step(&before, all).changes.empty());
}

TEST(SilencedWatch, ASilenceThatEndsOnABadStateIsSaidOnceByTheNextCheck) {
  const Report silenced = watched(Status::healthy, Status::critical, {silence_for({"disk:/"})});
  const Report ended = watched(Status::healthy, Status::critical);
  const watch::WatchStep step = silenced_step(&silenced, ended);
  EXPECT_TRUE(step.changes.empty()) << "the state held: no transition";
  const std::vector<Transition> said = watch::silences_ended_while_bad(&silenced, ended, step);
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0].component, "disk:/");
  EXPECT_EQ(said[0].to, Status::critical);
  EXPECT_EQ(said[0].from, Status::critical);
  // The check after that: the previous report has no silence left, so nothing more.
  EXPECT_TRUE(watch::silences_ended_while_bad(&ended, ended, silenced_step(&ended, ended)).empty());
  // Ended on a healthy state: nothing to say.
  const Report fine = watched(Status::healthy, Status::healthy);
  EXPECT_TRUE(
      watch::silences_ended_while_bad(&silenced, fine, silenced_step(&silenced, fine)).empty());
  // The notice carries it as a change of kind silence_ended.
  notify::Notice notice = notify::notice_from(ended, {});
  notice.silences_ended = said;
  const nlohmann::json payload = nlohmann::json::parse(notify::json_payload(notice));
  EXPECT_EQ(payload["changes"][0]["component"], "disk:/");
  EXPECT_EQ(payload["changes"][0]["kind"], "silence_ended");
  EXPECT_NE(notify::slack_payload(notice).find("maintenance ended, still critical"),
            std::string::npos);
}

// ---- notify github -------------------------------------------------------------------------

TEST(SilencedGithubPlan, NoIssueOpensAndNoCommentIsMadeForASilencedComponent) {
  Report report = watched(Status::healthy, Status::critical, {silence_for({"disk:/"})});
  report.issues_found = {"Disk / is 97% full"};
  const notify::Alert alert = notify::alert_from_report(report, "health");
  EXPECT_EQ(alert.status, Status::critical);
  EXPECT_EQ(alert.unsilenced_status, Status::healthy);
  EXPECT_EQ(notify::plan_github(alert, std::nullopt, {}).step, notify::PlanStep::nothing);

  // An issue opened earlier for the cpu: neither commented on nor closed while / is silenced.
  Report cpu = watched(Status::critical, Status::healthy);
  cpu.issues_found = {"High CPU usage: 95%"};
  const notify::Alert cpu_alert = notify::alert_from_report(cpu, "health");
  const notify::ListedIssue open{
      .number = 7, .body = notify::issue_body(cpu_alert, ""), .labels = {"monitoring"}};
  EXPECT_EQ(notify::plan_github(alert, open, {}).step, notify::PlanStep::unchanged);
  // cpu still critical beside the silenced disk: its issue texts changed, but not the status.
  Report both = watched(Status::critical, Status::critical, {silence_for({"disk:/"})});
  both.issues_found = {"High CPU usage: 95%", "Disk / is 97% full"};
  EXPECT_EQ(notify::plan_github(notify::alert_from_report(both, "health"), open, {}).step,
            notify::PlanStep::unchanged);
  // Without silences the same report comments.
  both.silences.clear();
  EXPECT_EQ(notify::plan_github(notify::alert_from_report(both, "health"), open, {}).step,
            notify::PlanStep::comment);
  // Everything healthy again: the issue closes as usual, silence or not.
  const Report well = watched(Status::healthy, Status::healthy, {silence_for({"disk:/"})});
  EXPECT_EQ(notify::plan_github(notify::alert_from_report(well, "health"), open, {}).step,
            notify::PlanStep::close);
}

// ---- exposition, page, dashboard ------------------------------------------------------------

TEST(SilencedOutputs, TheExpositionNamesEachSilencedComponent) {
  Report report = watched(Status::healthy, Status::critical,
                          {silence_for({"disk:/", "key:openai"}), silence_for({"disk:/"}, "b")});
  const std::string text = render(report, OutputFormat::prometheus);
  EXPECT_NE(text.find("# TYPE devops_monitor_silenced gauge\n"
                      "devops_monitor_silenced{component=\"disk:/\"} 1\n"
                      "devops_monitor_silenced{component=\"key:openai\"} 1\n"),
            std::string::npos)
      << text;
  report.silences.clear();
  const std::string quiet = render(report, OutputFormat::prometheus);
  EXPECT_NE(quiet.find("# TYPE devops_monitor_silenced gauge\n"), std::string::npos);
  EXPECT_EQ(quiet.find("devops_monitor_silenced{"), std::string::npos);
}

TEST(SilencedOutputs, ThePageShowsTheMaintenanceWithItsCommentAsText) {
  Silence silence = silence_for({"disk:/"});
  silence.comment = "<script>alert(1)</script> & \"more\"";
  const std::string html = page::maintenance_html({silence}, kNoon);
  EXPECT_NE(html.find("Maintenance until <time datetime=\"2026-12-07T13:00:00Z\">2026-12-07 13:00 "
                      "UTC</time>: disk:/ — &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                      "&quot;more&quot;"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(page::maintenance_html({silence}, kNoon + hours(2)), "") << "ended: not shown";
}

TEST(SilencedOutputs, TheDashboardShowsTheMaintenanceWithoutControlCharacters) {
  dashboard::ViewInputs inputs;
  Silence silence = silence_for({"memory"});
  silence.comment = "swap \x1b[2Jcleared\x07";
  inputs.report.silences = {silence,
                            silence_for({"cpu"}, "old", kNoon - hours(3), kNoon - hours(2))};
  inputs.now = kNoon;
  const DashboardView view = dashboard::dashboard_view(inputs);
  ASSERT_EQ(view.maintenance.size(), 1u) << "the ended one is left out";
  const std::string simple = render_simple(view);
  EXPECT_NE(simple.find("  maintenance until 2026-12-07 13:00:00: memory - swap [2Jcleared\n"),
            std::string::npos)
      << simple;
  EXPECT_EQ(simple.find('\x1b'), std::string::npos);
  bool shown = false;
  for (const std::string& line : render_screen(view, 80, 24)) {
    EXPECT_EQ(line.find('\x07'), std::string::npos);
    shown = shown || line.find("maintenance until") != std::string::npos;
  }
  EXPECT_TRUE(shown);
}

}  // namespace
}  // namespace devops_monitor
