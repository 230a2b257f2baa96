// The pure step of `watch` over sequences of reports: what is notified (one notice per check,
// every changed component in it) and which action runs (the overall status only).
#include "watch/watch_step.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.hpp"
#include "support/fake_provider.hpp"
#include "support/fixtures.hpp"

namespace devops_monitor::watch {
namespace {

/// A report with these cpu and memory statuses; overall is the worse of the two.
Report watch_report(Status cpu, Status memory = Status::healthy) {
  Report report;
  report.timestamp = "2026-12-05T10:00:00+00:00";
  report.status = worse(cpu, memory);
  report.system_health.status = report.status;
  report.system_health.cpu_status = cpu;
  report.system_health.cpu_percent = cpu == Status::healthy ? 12.5 : 85.3;
  report.system_health.memory_status = memory;
  report.system_health.memory_percent = memory == Status::healthy ? 40.0 : 95.0;
  report.api_keys.push_back(testing::openai_key_in_state(KeyState::valid));
  return report;
}

/// What a watch does over a sequence of reports, the first with no previous one: for each
/// check, the number of changes notified (0: no notice) and the action it runs.
struct WatchTrace {
  std::vector<std::size_t> notices;
  std::vector<std::optional<Status>> actions;
};

WatchTrace watch_over(const std::vector<Report>& reports) {
  WatchTrace trace;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const WatchStep step = watch_step(i == 0 ? nullptr : &reports[i - 1], reports[i]);
    trace.notices.push_back(step.changes.size());
    trace.actions.push_back(step.action);
  }
  return trace;
}

std::vector<Status> actions_run(const WatchTrace& trace) {
  std::vector<Status> out;
  for (const auto& action : trace.actions) {
    if (action) out.push_back(*action);
  }
  return out;
}

constexpr Status kWH = Status::healthy;
constexpr Status kWW = Status::warning;
constexpr Status kWC = Status::critical;
constexpr Status kWU = Status::unknown;

TEST(WatchStep, HealthyThenHealthyDoesNothing) {
  const WatchTrace trace = watch_over({watch_report(kWH), watch_report(kWH)});
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{0, 0}));
  EXPECT_TRUE(actions_run(trace).empty());
}

TEST(WatchStep, WarningCriticalRecoveryEachOnce) {
  const WatchTrace trace = watch_over({watch_report(kWH), watch_report(kWW), watch_report(kWW),
                                       watch_report(kWC), watch_report(kWH)});
  EXPECT_EQ(actions_run(trace),
            (std::vector<Status>{Status::warning, Status::critical, Status::healthy}));
  // A notice for each check with a change (overall and cpu together), none while it holds.
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{0, 2, 0, 2, 2}));
  EXPECT_EQ(trace.actions[2], std::nullopt);
}

TEST(WatchStep, AFirstReportThatIsCriticalRunsOnCritical) {
  const WatchTrace trace = watch_over({watch_report(kWC)});
  EXPECT_EQ(actions_run(trace), (std::vector<Status>{Status::critical}));
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{2}));
}

TEST(WatchStep, AFirstReportThatIsHealthySaysNothing) {
  const WatchTrace trace = watch_over({watch_report(kWH)});
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{0}));
  EXPECT_TRUE(actions_run(trace).empty());
}

TEST(WatchStep, EveryChangedComponentIsInTheOneNotice) {
  const Report before = watch_report(kWH, kWH);
  const Report after = watch_report(kWC, kWW);
  const WatchStep step = watch_step(&before, after);
  std::vector<std::string> components;
  for (const Transition& change : step.changes) components.push_back(change.component);
  EXPECT_EQ(components, (std::vector<std::string>{"overall", "cpu", "memory"}));
  EXPECT_EQ(step.action, Status::critical);
}

TEST(WatchStep, AComponentChangeUnderAnOverallThatHoldsRunsNoAction) {
  // cpu recovers while memory keeps the overall status critical.
  const Report before = watch_report(kWC, kWC);
  const Report after = watch_report(kWH, kWC);
  const WatchStep held = watch_step(&before, after);
  ASSERT_EQ(held.changes.size(), 1u);
  EXPECT_EQ(held.changes[0].component, "cpu");
  EXPECT_EQ(held.action, std::nullopt);
}

TEST(WatchStep, CriticalToWarningRunsOnWarningNotRecovery) {
  const WatchTrace trace = watch_over({watch_report(kWC), watch_report(kWW)});
  EXPECT_EQ(actions_run(trace), (std::vector<Status>{Status::critical, Status::warning}));
}

TEST(WatchStep, UnknownRunsNoActionButItsRecoveryDoes) {
  const WatchTrace trace = watch_over({watch_report(kWH), watch_report(kWU), watch_report(kWH)});
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{0, 2, 2}));
  EXPECT_EQ(actions_run(trace), (std::vector<Status>{Status::healthy}));
}

TEST(WatchStep, ActionCommandPicksTheConfiguredArgv) {
  ActionSettings actions{.on_warning = {"w"}, .on_critical = {"c", "x"}, .on_recovery = {}};
  EXPECT_EQ(action_command(actions, Status::warning), (std::vector<std::string>{"w"}));
  EXPECT_EQ(action_command(actions, Status::critical), (std::vector<std::string>{"c", "x"}));
  EXPECT_TRUE(action_command(actions, Status::healthy).empty());
  actions.on_recovery = {"r"};
  EXPECT_EQ(action_command(actions, Status::healthy), (std::vector<std::string>{"r"}));
  EXPECT_TRUE(action_command(actions, Status::unknown).empty()) << "unknown runs nothing";
  EXPECT_EQ(action_name(Status::healthy), "on_recovery");
  EXPECT_EQ(action_name(Status::critical), "on_critical");
}

TEST(WatchStep, CheckLineNamesStatusProblemsReportAndChanges) {
  const Report before = watch_report(kWH);
  const Report after = watch_report(kWW);
  const std::string line =
      check_line(after, "/var/lib/dm/r.json", watch_step(&before, after).changes);
  EXPECT_EQ(line,
            "check 2026-12-05T10:00:00+00:00: warning (cpu 85.3% warning); report "
            "/var/lib/dm/r.json; 2 changes: overall healthy->warning, cpu healthy->warning");
  EXPECT_EQ(check_line(before, "", {}),
            "check 2026-12-05T10:00:00+00:00: healthy; report not saved; no changes");
}

TEST(WatchStep, DescribeChangesSaysNewForAFirstReport) {
  const Report first = watch_report(kWC);
  EXPECT_EQ(describe_changes(watch_step(nullptr, first).changes),
            "2 changes: overall new->critical, cpu new->critical");
}

TEST(WatchStep, ProblemsNameKeysDisksAndMissingKeys) {
  Report report = watch_report(kWH);
  report.api_keys.push_back(testing::openai_key_in_state(KeyState::invalid));
  report.system_health.disks.push_back({.path = "/var", .percent = 97.0, .status = kWC});
  EXPECT_EQ(describe_problems(report), "disk /var 97.0% critical, openai key invalid");
  Report missing = watch_report(kWH);
  missing.api_keys = {testing::openai_key_in_state(KeyState::missing)};
  EXPECT_NE(describe_problems(missing).find("api_keys "), std::string::npos);
}

/// A report as a check makes it from OpenRouter's /key answer `fixture`, judged by the real
/// rules (assess_key, then conclude) with min_credit 20 USD; the system healthy.
Report credit_watch_report(const char* fixture) {
  Provider openrouter;
  for (const Provider& p : builtin_providers()) {
    if (p.id == "openrouter") openrouter = p;
  }
  openrouter.min_credit = 20.0;
  KeyProbe probe;
  probe.provider = openrouter;
  probe.key_present = true;
  HttpOutcome answer;
  answer.http_status = 200;
  answer.body = testing::provider_fixture("openrouter", fixture);
  answer.attempts = 1;
  probe.outcome = answer;
  Report report = watch_report(kWH);
  report.api_keys = {assess_key(probe, std::chrono::seconds(0))};
  conclude(report);
  return report;
}

TEST(WatchStep, CreditFallingBelowMinCreditIsOneWarningNoticeAndItsTopUpARecovery) {
  // valid.json: 74.5 USD left of the key's cap; key_legacy.json: 12.4, below 20.
  const std::vector<Report> reports = {
      credit_watch_report("valid"), credit_watch_report("key_legacy"),
      credit_watch_report("key_legacy"), credit_watch_report("valid")};
  ASSERT_EQ(reports[0].status, kWH);
  ASSERT_TRUE(reports[1].api_keys[0].credit_low);
  ASSERT_EQ(reports[1].api_keys[0].state, KeyState::valid) << "low credit is no verdict";
  const WatchTrace trace = watch_over(reports);
  EXPECT_EQ(trace.notices, (std::vector<std::size_t>{0, 3, 0, 3}))
      << "one notice when it turns low, none while it stays low, one on the top-up";
  EXPECT_EQ(actions_run(trace), (std::vector<Status>{Status::warning, Status::healthy}));
  const WatchStep low = watch_step(&reports[0], reports[1]);
  EXPECT_EQ(describe_changes(low.changes),
            "3 changes: overall healthy->warning, api_keys healthy->warning, "
            "key:openrouter healthy->warning");
  EXPECT_EQ(describe_problems(reports[1]), "openrouter key credit low (12.4 USD)");
}

TEST(WatchStep, ProblemsNameTheInsightWarningOfAKeyThatStillServes) {
  Report report = watch_report(kWH);
  ApiKeyStatus& openai = report.api_keys[0];
  openai.key_present = true;
  openai.missing_models = {"o3", "gpt-4.1"};
  openai.ratelimit_low = true;
  openai.ratelimit_limit = 5000;
  openai.ratelimit_remaining = 120;
  EXPECT_EQ(describe_problems(report),
            "openai key missing o3 gpt-4.1, openai key rate limit low (120/5000 requests)");
}

TEST(WatchStep, ConfirmedActionsRunOnceTheChangeIsConfirmedWithTheAnnouncedPreviousStatus) {
  ConfirmationState confirmed;
  std::vector<std::optional<Status>> actions;
  std::vector<std::optional<Status>> previous;
  for (Status cpu : {kWH, kWC, kWH, kWC, kWC, kWC, kWH, kWH}) {
    WatchStep step = watch_step(confirmed, watch_report(cpu), 2);
    actions.push_back(step.action);
    previous.push_back(step.previous_overall);
    confirmed = std::move(step.confirmed);
  }
  const std::vector<std::optional<Status>> expected = {
      std::nullopt, std::nullopt, std::nullopt, std::nullopt, kWC, std::nullopt, std::nullopt, kWH};
  EXPECT_EQ(actions, expected);
  EXPECT_EQ(previous[4], kWH);
  EXPECT_EQ(previous[7], kWC);
}

TEST(WatchStep, CheckLineSaysWhatIsUnconfirmed) {
  const WatchStep step = watch_step(ConfirmationState{}, watch_report(kWC), 2);
  EXPECT_TRUE(step.changes.empty());
  const std::string line =
      check_line(watch_report(kWC), "", step.changes, describe_unconfirmed(step.confirmed, 2));
  EXPECT_NE(line.find("; no changes; unconfirmed: overall critical 1/2, cpu critical 1/2"),
            std::string::npos)
      << line;
}

}  // namespace
}  // namespace devops_monitor::watch
