// The GitHub planner and the reading of GitHub's answers, with values only.
#include <gtest/gtest.h>

#include "notify/alert.hpp"
#include "notify/github_body.hpp"
#include "notify/github_errors.hpp"
#include "notify/github_plan.hpp"
#include "notify/scan_results.hpp"

namespace devops_monitor::notify {
namespace {

Alert plan_alert(Status status, std::vector<std::string> issues = {"High CPU usage: 85.3%"}) {
  Report report;
  report.status = status;
  report.host = "build-host-3";
  report.timestamp = "2026-11-25T10:00:00.000+00:00";
  report.issues_found = std::move(issues);
  return alert_from_report(report, "health");
}

ListedIssue open_issue_for(const Alert& alert, std::vector<std::string> labels = {}) {
  return {.number = 7,
          .body = issue_body(alert, ""),
          .labels = labels.empty() ? std::vector<std::string>{"monitoring", "automated",
                                                              priority_label(alert.status)}
                                   : std::move(labels)};
}

TEST(GithubPlan, OpensAtOrAboveMinStatusOnly) {
  const GithubPlan warning = plan_github(plan_alert(Status::warning), std::nullopt, {});
  EXPECT_EQ(warning.step, PlanStep::open);
  EXPECT_EQ(warning.title, "devops-monitor: WARNING on build-host-3");
  EXPECT_EQ(warning.labels, (std::vector<std::string>{"monitoring", "automated", "priority-high"}));
  EXPECT_NE(warning.body.find("<!-- devops-monitor:alert key=health -->"), std::string::npos);
  EXPECT_EQ(plan_summary(warning, Status::warning, 12, false), "opened #12");

  const PlanOptions critical_only{.min_status = Status::critical, .run_url = ""};
  EXPECT_EQ(plan_github(plan_alert(Status::warning), std::nullopt, critical_only).step,
            PlanStep::nothing);
  const GithubPlan critical =
      plan_github(plan_alert(Status::critical), std::nullopt, critical_only);
  EXPECT_EQ(critical.labels.back(), "priority-critical");
  EXPECT_EQ(plan_github(plan_alert(Status::unknown), std::nullopt, {}).labels.back(),
            "priority-critical");
  const GithubPlan healthy = plan_github(plan_alert(Status::healthy, {}), std::nullopt, {});
  EXPECT_EQ(healthy.step, PlanStep::nothing);
  EXPECT_EQ(plan_summary(healthy, Status::healthy, 0, false), "healthy; no open issue");
}

TEST(GithubPlan, SameStateIsUnchangedAndFiguresDoNotCount) {
  const ListedIssue open = open_issue_for(plan_alert(Status::warning));
  const GithubPlan again =
      plan_github(plan_alert(Status::warning, {"High CPU usage: 91.0%"}), open, {});
  EXPECT_EQ(again.step, PlanStep::unchanged);
  EXPECT_EQ(plan_summary(again, Status::warning, 7, false), "no change; #7 left open");
}

TEST(GithubPlan, ChangeCommentsUpdatesStateAndSwapsOnlyThePriority) {
  ListedIssue open = open_issue_for(plan_alert(Status::warning),
                                    {"monitoring", "priority-high", "team-infra", "automated"});
  const Alert worse = plan_alert(Status::critical);
  const GithubPlan plan = plan_github(worse, open, {});
  EXPECT_EQ(plan.step, PlanStep::comment);
  EXPECT_EQ(plan.issue, 7);
  EXPECT_EQ(plan.previous_status, Status::warning);
  EXPECT_EQ(plan.labels, (std::vector<std::string>{"monitoring", "team-infra", "automated",
                                                   "priority-critical"}));
  EXPECT_EQ(read_state_marker(plan.body)->status, Status::critical);
  EXPECT_NE(plan.comment.find("WARNING → CRITICAL"), std::string::npos);
  EXPECT_EQ(plan_summary(plan, Status::critical, 7, false),
            "commented on #7 (warning -> critical)");

  const GithubPlan more =
      plan_github(plan_alert(Status::warning, {"High CPU usage: 85.3%", "Disk / full"}), open, {});
  EXPECT_EQ(more.step, PlanStep::comment);
  EXPECT_EQ(plan_summary(more, Status::warning, 7, true),
            "would comment on #7 (issues changed, still warning)");
}

TEST(GithubPlan, BodyWithoutStateCountsAsChanged) {
  const GithubPlan plan = plan_github(plan_alert(Status::warning),
                                      ListedIssue{.number = 3, .body = "edited", .labels = {}}, {});
  EXPECT_EQ(plan.step, PlanStep::comment);
  EXPECT_FALSE(plan.previous_status);
}

TEST(GithubPlan, BelowMinStatusClosesWithAComment) {
  const ListedIssue open = open_issue_for(plan_alert(Status::critical));
  const GithubPlan healthy = plan_github(plan_alert(Status::healthy, {}), open, {});
  EXPECT_EQ(healthy.step, PlanStep::close);
  EXPECT_NE(healthy.comment.find("Recovered"), std::string::npos);
  EXPECT_EQ(plan_summary(healthy, Status::healthy, 7, false), "closed #7 (healthy again)");
  const GithubPlan warning = plan_github(plan_alert(Status::warning), open,
                                         {.min_status = Status::critical, .run_url = ""});
  EXPECT_EQ(warning.step, PlanStep::close);
  EXPECT_EQ(plan_summary(warning, Status::warning, 7, false),
            "closed #7 (warning is below the alerting level)");
}

TEST(GithubPlan, FindsTheOldestIssueWithTheExactKey) {
  const std::string marker = alert_marker("health");
  const std::vector<ListedIssue> issues = {
      {.number = 9, .body = marker, .labels = {}},
      {.number = 4, .body = "x " + marker, .labels = {}},
      {.number = 2, .body = alert_marker("health-2"), .labels = {}},
  };
  EXPECT_EQ(find_alert_issue(issues, "health")->number, 4);
  EXPECT_EQ(find_alert_issue(issues, "health-2")->number, 2);
  EXPECT_FALSE(find_alert_issue(issues, "other"));
}

TEST(AlertFromScan, FindingsAreCriticalAndTheSignatureIsTheirPlaces) {
  ScanResults scan;
  scan.findings = {{.file = "a.py",
                    .line = 3,
                    .column = 1,
                    .kind = "openai",
                    .provider = "OpenAI",
                    .rule = "r",
                    .redacted = "sk-…",
                    .fingerprint = "f1",
                    .verification = "live"}};
  const Alert one = alert_from_scan(scan, "exposed-keys");
  EXPECT_EQ(one.status, Status::critical);
  EXPECT_EQ(one.headline, "1 exposed credential found");
  EXPECT_EQ(one.labels, std::vector<std::string>{"security"});
  ScanResults moved = scan;
  moved.findings[0].line = 4;
  EXPECT_NE(alert_from_scan(moved, "k").signature, one.signature);
  EXPECT_EQ(alert_from_scan(ScanResults{}, "k").status, Status::healthy);
}

TEST(ScanResultsParse, ToleratesExtraFieldsAndRefusesOtherShapes) {
  const auto ok = parse_scan_results(
      R"({"tool":"devops-monitor","new":1,"findings":[{"file":"x","line":2,"more":[]}]})", "s");
  ASSERT_TRUE(ok) << ok.error().message();
  EXPECT_EQ(ok->findings[0].line, 2);
  EXPECT_FALSE(parse_scan_results("[]", "s"));
  EXPECT_FALSE(parse_scan_results(R"({"tool":"other","findings":[]})", "s"));
  EXPECT_FALSE(parse_scan_results(R"({"findings":{}})", "s"));
  EXPECT_FALSE(parse_scan_results(R"({"findings":[1]})", "s"));
}

TEST(IssuesSignature, OrderAndFiguresDoNotMatterWordsDo) {
  EXPECT_EQ(issues_signature({"a 85.3%", "b"}), issues_signature({"b", "a 91%"}));
  EXPECT_EQ(issues_signature({"1,024 MiB"}), issues_signature({"12 MiB"}));
  EXPECT_NE(issues_signature({"a"}), issues_signature({"a", "b"}));
}

HttpOutcome github_answer(int status, std::string body = "", std::vector<HttpHeader> headers = {}) {
  HttpOutcome outcome;
  outcome.http_status = status;
  outcome.body = std::move(body);
  outcome.headers = std::move(headers);
  outcome.host = "api.github.com";
  return outcome;
}

const auto kGithubNow = std::chrono::system_clock::time_point(std::chrono::seconds(1795542543));

TEST(GithubErrors, RateLimits) {
  EXPECT_EQ(rate_limit_wait(github_answer(429, "", {{"retry-after", "30"}}), kGithubNow),
            std::chrono::seconds(30));
  EXPECT_EQ(rate_limit_wait(github_answer(403, "", {{"retry-after", "5"}}), kGithubNow),
            std::chrono::seconds(5));
  EXPECT_EQ(rate_limit_wait(
                github_answer(
                    403, "", {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1795542603"}}),
                kGithubNow),
            std::chrono::seconds(60));
  EXPECT_EQ(rate_limit_wait(github_answer(429), kGithubNow), std::chrono::seconds(60));
  EXPECT_FALSE(rate_limit_wait(github_answer(403, R"({"message":"Forbidden"})"), kGithubNow));
  EXPECT_FALSE(rate_limit_wait(github_answer(200), kGithubNow));
  const auto error = github_failure(
      github_answer(403, R"({"message":"API rate limit exceeded"})",
                    {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1795546143"}}),
      {"list issues", "o/r"}, kGithubNow);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message(),
            "GitHub rate limit reached: HTTP 403: API rate limit exceeded; retry after "
            "2026-11-24T18:49:03Z (in 3600 s) (api.github.com)");
}

TEST(GithubErrors, EachStatusSaysWhatToDo) {
  const GithubCall call{"open an issue", "o/r"};
  EXPECT_FALSE(github_failure(github_answer(201), call, kGithubNow));
  EXPECT_EQ(github_failure(github_answer(404), call, kGithubNow)->message(),
            "repository not found: HTTP 404: o/r does not exist or is not visible to the token "
            "(api.github.com)");
  EXPECT_NE(github_failure(github_answer(403), call, kGithubNow)->detail.find("issues: write"),
            std::string::npos);
  EXPECT_EQ(github_failure(github_answer(301), call, kGithubNow)->what, "repository moved");
  const auto invalid = github_failure(
      github_answer(422, R"({"message":"Validation Failed","errors":[{"resource":"Issue",)"
                         R"("field":"labels","code":"invalid"},"bad\u001b[2J"]})"),
      call, kGithubNow);
  EXPECT_EQ(invalid->detail,
            "HTTP 422 validation failed: Validation Failed; Issue labels invalid; bad[2J");
  HttpOutcome cut = github_answer(200);
  cut.failure = TransportFailure::interrupted;
  cut.failure_detail = "connection closed mid-answer";
  EXPECT_EQ(github_failure(cut, call, kGithubNow)->what, "cannot reach GitHub to open an issue");
}

TEST(GithubLinks, NextPageAndOrigin) {
  EXPECT_EQ(next_page_link(R"(<https://api.github.com/x?page=2>; rel="next", )"
                           R"(<https://api.github.com/x?page=5>; rel="last")"),
            "https://api.github.com/x?page=2");
  EXPECT_EQ(next_page_link(R"(<https://api.github.com/x?page=1>; rel="prev")"), "");
  EXPECT_EQ(next_page_link(""), "");
  EXPECT_TRUE(same_origin("https://api.github.com/a", "https://API.github.com:443"));
  EXPECT_FALSE(same_origin("https://api.github.com.evil.io/a", "https://api.github.com"));
  EXPECT_FALSE(same_origin("http://api.github.com/a", "https://api.github.com"));
  EXPECT_FALSE(same_origin("https://api.github.com:8443/a", "https://api.github.com"));
  EXPECT_FALSE(same_origin("not a url", "https://api.github.com"));
}

}  // namespace
}  // namespace devops_monitor::notify
