// `devops-monitor notify github` through the real binary against a fake GitHub REST API:
// one issue per alert key, comments only on change, labels people added kept, recovery
// closes, every failure one clear line and exit 3, and the token nowhere but its header.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "devops_monitor/report_json.hpp"
#include "support/fake_github.hpp"
#include "support/fake_proxy.hpp"
#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

const std::string kCanaryToken = "ghs_CANARYtoken0123456789abcdefCANARY";
const std::string kMarker = "<!-- devops-monitor:alert key=health -->";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool has_label(const FakeIssue& issue, const std::string& label) {
  return std::find(issue.labels.begin(), issue.labels.end(), label) != issue.labels.end();
}

Report sample_report(Status status, std::vector<std::string> issues = {}) {
  Report report;
  report.timestamp = "2026-11-25T10:00:00.000+00:00";
  report.host = "build-host-3";
  report.version = "0.1.0";
  report.status = status;
  report.issues_found = std::move(issues);
  if (report.issues_found.empty() && status != Status::healthy)
    report.issues_found = {"High CPU usage: 85.3% (warning at 80%)"};
  report.recommendations = {"Close unnecessary processes"};
  ApiKeyStatus key;
  key.provider = "OpenAI (GPT-4)";
  key.id = "openai";
  key.env_var = "OPENAI_API_KEY";
  key.key_present = true;
  key.key_valid = true;
  key.state = KeyState::valid;
  key.latency_ms = 212;
  report.api_keys = {key};
  report.system_health.cpu_percent = 85.3;
  report.system_health.status = status;
  return report;
}

FakeIssue monitoring_issue(const std::string& title, const std::string& body,
                           bool pull_request = false) {
  FakeIssue issue;
  issue.title = title;
  issue.body = body;
  issue.labels = {"monitoring"};
  issue.pull_request = pull_request;
  return issue;
}

RunOptions run_options(std::vector<std::string> args, std::map<std::string, std::string> env,
                       const std::filesystem::path& cwd) {
  RunOptions options;
  options.args = std::move(args);
  options.env = std::move(env);
  options.cwd = cwd;
  return options;
}

class NotifyGithub : public ::testing::Test {
 protected:
  void write_report(const Report& report) { write_text(report_file, to_json(report)); }

  std::map<std::string, std::string> env() const {
    return {{"GITHUB_TOKEN", kCanaryToken},
            {"GITHUB_API_URL", github.api_url()},
            {"PATH", "/usr/bin:/bin"},
            {"HOME", dir.path().string()}};
  }

  RunResult notify(std::vector<std::string> extra = {},
                   std::optional<std::map<std::string, std::string>> environment = std::nullopt) {
    std::vector<std::string> args = {"notify",         "github",   "--repo",
                                     "octo-org/infra", "--report", report_file.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult run = run_process(monitor_binary(), {.args = args,
                                                   .env = environment.value_or(env()),
                                                   .cwd = dir.path(),
                                                   .timeout = std::chrono::seconds(60)});
    EXPECT_FALSE(contains(run.out, kCanaryToken)) << run.out;
    EXPECT_FALSE(contains(run.err, kCanaryToken)) << run.err;
    return run;
  }

  void TearDown() override {
    // The canary token travels in the Authorization header and nowhere else.
    for (const RecordedRequest& r : github.requests()) {
      EXPECT_FALSE(contains(r.target, kCanaryToken)) << r.target;
      EXPECT_FALSE(contains(r.body, kCanaryToken));
      for (const auto& [name, value] : r.headers) {
        if (name != "Authorization") {
          EXPECT_FALSE(contains(value, kCanaryToken)) << name;
        }
      }
    }
    for (const FakeIssue& issue : github.issues()) {
      EXPECT_FALSE(contains(issue.title + issue.body, kCanaryToken));
      for (const std::string& comment : issue.comments)
        EXPECT_FALSE(contains(comment, kCanaryToken));
    }
  }

  TempDir dir;
  std::filesystem::path report_file = dir / "latest_report.json";
  FakeGithub github;
};

TEST_F(NotifyGithub, OpensOneIssueWithMarkerLabelsAndGithubHeaders) {
  write_report(sample_report(Status::warning));
  const RunResult run = notify();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "opened #1\n");
  EXPECT_EQ(run.err, "");
  const FakeIssue issue = github.issue(1);
  EXPECT_EQ(issue.title, "devops-monitor: WARNING on build-host-3");
  EXPECT_EQ(issue.labels, (std::vector<std::string>{"monitoring", "automated", "priority-high"}));
  EXPECT_TRUE(contains(issue.body, kMarker)) << issue.body;
  EXPECT_TRUE(
      contains(issue.body, "<!-- devops-monitor:state {\"status\":\"warning\",\"issues\":\""));
  EXPECT_TRUE(contains(issue.body, "| Provider | State | Latency |"));
  EXPECT_TRUE(contains(issue.body, "212 ms"));
  EXPECT_TRUE(contains(issue.body, "### Recommendations"));

  const std::vector<RecordedRequest> requests = github.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target,
            "/repos/octo-org/infra/issues?state=open&labels=monitoring&per_page=100");
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/repos/octo-org/infra/issues");
  for (const RecordedRequest& r : requests) {
    EXPECT_EQ(r.headers.find("Authorization")->second, "Bearer " + kCanaryToken);
    EXPECT_EQ(r.headers.find("Accept")->second, "application/vnd.github+json");
    EXPECT_EQ(r.headers.find("X-GitHub-Api-Version")->second, "2022-11-28");
    EXPECT_TRUE(r.headers.find("User-Agent")->second.starts_with("devops-monitor/"));
  }
}

TEST_F(NotifyGithub, SameReportTwiceLeavesOneIssueAndNoComment) {
  write_report(sample_report(Status::warning));
  ASSERT_EQ(notify().out, "opened #1\n");
  const RunResult again = notify();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "no change; #1 left open\n");
  EXPECT_EQ(github.issues().size(), 1U);
  EXPECT_TRUE(github.issue(1).comments.empty());
  EXPECT_EQ(github.write_count(), 1U);  // the POST that opened it
}

TEST_F(NotifyGithub, CommentsOnlyWhenStatusOrIssuesChange) {
  write_report(sample_report(Status::warning, {"High CPU usage: 85.3% (warning at 80%)"}));
  ASSERT_EQ(notify().out, "opened #1\n");
  // A figure that moved is not a new issue.
  write_report(sample_report(Status::warning, {"High CPU usage: 87.9% (warning at 80%)"}));
  EXPECT_EQ(notify().out, "no change; #1 left open\n");
  // Another issue is.
  write_report(sample_report(Status::warning, {"High CPU usage: 87.9% (warning at 80%)",
                                               "OpenAI (GPT-4) API key is invalid"}));
  EXPECT_EQ(notify().out, "commented on #1 (issues changed, still warning)\n");
  write_report(sample_report(Status::critical, {"OpenAI (GPT-4) API key is invalid"}));
  const RunResult worse = notify();
  EXPECT_EQ(worse.out, "commented on #1 (warning -> critical)\n") << worse.err;
  EXPECT_EQ(notify().out, "no change; #1 left open\n");
  const FakeIssue issue = github.issue(1);
  ASSERT_EQ(issue.comments.size(), 2U);
  EXPECT_TRUE(contains(issue.comments[1], "WARNING → CRITICAL")) << issue.comments[1];
  EXPECT_TRUE(contains(issue.body, "\"status\":\"critical\""));
  EXPECT_TRUE(has_label(issue, "priority-critical"));
  EXPECT_FALSE(has_label(issue, "priority-high"));
}

TEST_F(NotifyGithub, PrioritySwapKeepsLabelsPeopleAdded) {
  write_report(sample_report(Status::warning));
  ASSERT_EQ(notify().out, "opened #1\n");
  github.edit_issue(1, [](FakeIssue& issue) { issue.labels.push_back("team-infra"); });
  write_report(sample_report(Status::critical));
  ASSERT_EQ(notify().exit_code, 0);
  EXPECT_EQ(github.issue(1).labels, (std::vector<std::string>{"monitoring", "automated",
                                                              "team-infra", "priority-critical"}));
}

TEST_F(NotifyGithub, RecoveryCommentsAndCloses) {
  write_report(sample_report(Status::critical));
  ASSERT_EQ(notify().out, "opened #1\n");
  write_report(sample_report(Status::healthy));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "closed #1 (healthy again)\n");
  const FakeIssue issue = github.issue(1);
  EXPECT_EQ(issue.state, "closed");
  EXPECT_EQ(issue.state_reason, "completed");
  ASSERT_EQ(issue.comments.size(), 1U);
  EXPECT_TRUE(contains(issue.comments[0], "Recovered"));
  // Healthy and nothing open any more: nothing to do.
  EXPECT_EQ(notify().out, "healthy; no open issue\n");
}

TEST_F(NotifyGithub, HealthyWithNothingOpenSendsNoWriteRequest) {
  write_report(sample_report(Status::healthy));
  const RunResult run = notify({"--json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json doc = stdout_json(run);
  EXPECT_EQ(doc["action"], "none");
  EXPECT_EQ(doc["summary"], "healthy; no open issue");
  EXPECT_TRUE(doc["issue"].is_null());
  EXPECT_EQ(github.write_count(), 0U);
}

TEST_F(NotifyGithub, MinStatusCriticalIgnoresWarnings) {
  write_report(sample_report(Status::warning));
  EXPECT_EQ(notify({"--min-status", "critical"}).out, "warning; no open issue\n");
  EXPECT_EQ(github.write_count(), 0U);
  write_report(sample_report(Status::critical));
  EXPECT_EQ(notify({"--min-status", "critical"}).out, "opened #1\n");
  EXPECT_TRUE(has_label(github.issue(1), "priority-critical"));
}

TEST_F(NotifyGithub, AlertKeysKeepSeparateIssues) {
  write_report(sample_report(Status::warning));
  EXPECT_EQ(notify({"--alert-key", "runner-a"}).out, "opened #1\n");
  EXPECT_EQ(notify({"--alert-key", "runner-b"}).out, "opened #2\n");
  EXPECT_EQ(notify({"--alert-key", "runner-a"}).out, "no change; #1 left open\n");
  EXPECT_TRUE(contains(github.issue(2).body, "<!-- devops-monitor:alert key=runner-b -->"));
  const RunResult bad = notify({"--alert-key", "a b"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "--alert-key")) << bad.err;
}

TEST_F(NotifyGithub, ScanFindingsOpenASecurityIssue) {
  const std::string finding =
      R"j({"file":"src/app.py","line":12,"column":9,"kind":"openai","provider":"OpenAI (GPT-4)",)j"
      R"j("rule":"openai-project-key","redacted":"sk-proj-AbCd…","fingerprint":"1a2b3c4d",)j"
      R"j("verification":"live","extra_field":true})j";
  const std::string scan = R"({"tool":"devops-monitor","version":"0.1.0","scanned_at":)"
                           R"("2026-11-25T10:00:00Z","paths":["."],"files_scanned":40,)"
                           R"("bytes_scanned":1000,"findings":[)" +
                           finding + "," +
                           std::string(finding).replace(finding.find("12"), 2, "40") +
                           R"(],"warnings":[]})";
  write_text(dir / "scan.json", scan);
  const std::vector<std::string> args = {"notify",         "github", "--repo",
                                         "octo-org/infra", "--scan", (dir / "scan.json").string()};
  const RunOptions options{.args = args, .env = env(), .cwd = dir.path()};
  const RunResult run = run_process(monitor_binary(), options);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "opened #1\n");
  const FakeIssue issue = github.issue(1);
  EXPECT_EQ(issue.title, "devops-monitor: 2 exposed credentials found");
  EXPECT_EQ(issue.labels,
            (std::vector<std::string>{"monitoring", "automated", "security", "priority-critical"}));
  EXPECT_TRUE(contains(issue.body, "<!-- devops-monitor:alert key=exposed-keys -->"));
  EXPECT_TRUE(contains(issue.body, "| src/app.py:12 |")) << issue.body;
  EXPECT_TRUE(contains(issue.body, "sk-proj-AbCd…"));
  EXPECT_TRUE(contains(issue.body, "| live |"));
  EXPECT_EQ(run_process(monitor_binary(), options).out, "no change; #1 left open\n");
  // Findings gone: the issue is closed; the health issue is a different one.
  write_text(dir / "scan.json", R"({"tool":"devops-monitor","findings":[]})");
  EXPECT_EQ(run_process(monitor_binary(), options).out, "closed #1 (healthy again)\n");
}

TEST_F(NotifyGithub, FindsTheMarkedIssueOnALaterPageAndSkipsPullRequests) {
  const std::string body = kMarker +
                           "\n<!-- devops-monitor:state "
                           "{\"status\":\"warning\",\"issues\":\"x\"} -->\n";
  const int marked = github.add_issue(monitoring_issue("ours", body));
  for (int i = 0; i < 2; ++i) github.add_issue(monitoring_issue("other", "something else"));
  // A pull request carrying the marker (the issues API lists PRs too) is newer: it comes first.
  github.add_issue(monitoring_issue("pr", body, true));
  write_report(sample_report(Status::warning));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "commented on #" + std::to_string(marked) + " (issues changed, still warning)\n");
  std::size_t pages = 0;
  for (const RecordedRequest& r : github.requests()) pages += r.method == "GET" ? 1 : 0;
  EXPECT_EQ(pages, 2U);  // page size 2: the marked issue is on page 2
  EXPECT_EQ(github.issues().size(), 4U);
}

TEST_F(NotifyGithub, RefusesANextLinkToAnotherHost) {
  FakeProviderServer elsewhere;
  github.next_link_base = "http://localhost:" + std::to_string(elsewhere.port());
  for (int i = 0; i < 3; ++i) github.add_issue(monitoring_issue("other", "x"));
  write_report(sample_report(Status::warning));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_TRUE(contains(run.err, "refused to follow GitHub's next-page link")) << run.err;
  EXPECT_TRUE(contains(run.err, "localhost")) << run.err;
  EXPECT_TRUE(elsewhere.requests().empty());
  EXPECT_EQ(github.write_count(), 0U);
}

TEST_F(NotifyGithub, WaitsOutAShortRetryAfterOnce) {
  github.retry_after_seconds = 1;
  github.fail_next(GithubFailure::retry_after, 1, "POST");
  write_report(sample_report(Status::warning));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "opened #1\n");
  EXPECT_EQ(github.issues().size(), 1U);
  // Exactly one retry, sent no sooner than the server asked.
  std::vector<RecordedRequest> posts;
  for (const RecordedRequest& request : github.requests()) {
    if (request.method == "POST") posts.push_back(request);
  }
  ASSERT_EQ(posts.size(), 2U) << "the refused POST and its one retry";
  EXPECT_EQ(posts[0].body, posts[1].body) << "the same issue asked for again";
  EXPECT_GE(posts[1].received - posts[0].received, std::chrono::milliseconds(950))
      << "Retry-After: 1 was not waited out";
}

struct FailureCase {
  GithubFailure failure;
  int count;
  std::string method;
  std::vector<std::string> expected;
};

class NotifyGithubFailures : public NotifyGithub,
                             public ::testing::WithParamInterface<FailureCase> {};

TEST_P(NotifyGithubFailures, OneClearLineAndExit3) {
  const FailureCase& c = GetParam();
  github.retry_after_seconds = 120;
  github.fail_next(c.failure, c.count, c.method);
  write_report(sample_report(Status::critical));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(run.err.starts_with("devops-monitor: ")) << run.err;
  EXPECT_TRUE(run.err.ends_with(" (127.0.0.1)\n")) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos) << run.err;
  for (const std::string& part : c.expected) EXPECT_TRUE(contains(run.err, part)) << run.err;
}

INSTANTIATE_TEST_SUITE_P(
    Github, NotifyGithubFailures,
    ::testing::Values(
        FailureCase{GithubFailure::unauthorized,
                    1,
                    "",
                    {"GitHub rejected the token", "Bad credentials", "GITHUB_TOKEN"}},
        FailureCase{GithubFailure::forbidden,
                    1,
                    "POST",
                    {"GitHub refused to open an issue", "issues: write"}},
        FailureCase{GithubFailure::not_found,
                    1,
                    "",
                    {"repository not found", "octo-org/infra", "not visible to the token"}},
        FailureCase{GithubFailure::gone, 1, "", {"issues are disabled", "HTTP 410"}},
        FailureCase{GithubFailure::unprocessable,
                    1,
                    "POST",
                    {"validation failed", "body is too long (maximum is 65536 characters)"}},
        FailureCase{GithubFailure::retry_after,
                    1,
                    "",
                    {"GitHub rate limit reached", "retry after", "(in 120 s)"}},
        FailureCase{GithubFailure::rate_limit_exhausted,
                    1,
                    "",
                    {"GitHub rate limit reached", "API rate limit exceeded", "retry after"}},
        FailureCase{
            GithubFailure::moved, 1, "", {"repository moved", "renamed or transferred", "--repo"}},
        FailureCase{
            GithubFailure::drop_connection, 2, "", {"cannot reach GitHub to list issues"}}));

TEST_F(NotifyGithub, NoAnswerIsExit3NamingTheHost) {
  write_report(sample_report(Status::critical));
  std::map<std::string, std::string> environment = env();
  environment["GITHUB_API_URL"] = "http://127.0.0.1:" + std::to_string(closed_port());
  const RunResult run = notify({}, environment);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_TRUE(run.err.starts_with("devops-monitor: cannot reach GitHub to list issues: "))
      << run.err;
  EXPECT_TRUE(run.err.ends_with("(127.0.0.1)\n")) << run.err;
  // Plain http goes to loopback only, as for every request of the tool: refused before any
  // lookup or connection (a proxy would see the request if one went out), not failed by DNS.
  FakeProxy proxy("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]");
  environment["GITHUB_API_URL"] = "http://api.github.example";
  environment["http_proxy"] = proxy.url();
  const RunResult insecure = notify({}, environment);
  EXPECT_EQ(insecure.exit_code, 3);
  EXPECT_TRUE(contains(insecure.err, "cannot reach GitHub to list issues")) << insecure.err;
  EXPECT_TRUE(contains(insecure.err, "refusing plain http to api.github.example")) << insecure.err;
  EXPECT_EQ(proxy.connections(), 0) << proxy.received();
}

TEST_F(NotifyGithub, MissingTokenIsExit3AndNoRequest) {
  write_report(sample_report(Status::critical));
  std::map<std::string, std::string> environment = env();
  environment.erase("GITHUB_TOKEN");
  const RunResult run = notify({}, environment);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_TRUE(contains(run.err, "GITHUB_TOKEN")) << run.err;
  EXPECT_TRUE(github.requests().empty());
}

TEST_F(NotifyGithub, RepositoryFromTheEnvironmentAndValidated) {
  write_report(sample_report(Status::warning));
  std::map<std::string, std::string> environment = env();
  environment["GITHUB_REPOSITORY"] = "octo-org/infra";
  environment["GITHUB_RUN_ID"] = "987654";
  const RunResult run = run_process(
      monitor_binary(),
      run_options({"notify", "github", "--report", report_file.string()}, environment, dir.path()));
  EXPECT_EQ(run.out, "opened #1\n") << run.err;
  EXPECT_TRUE(contains(github.issue(1).body,
                       "[Workflow run](https://github.com/octo-org/infra/actions/runs/987654)"));
  const RunResult bad = notify({"--repo", "octo-org/infra/extra"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "--repo must be OWNER/NAME")) << bad.err;
  environment["GITHUB_REPOSITORY"] = "no-slash";
  const RunResult bad_env = run_process(
      monitor_binary(),
      run_options({"notify", "github", "--report", report_file.string()}, environment, dir.path()));
  EXPECT_EQ(bad_env.exit_code, 3);
  EXPECT_TRUE(contains(bad_env.err, "GITHUB_REPOSITORY must be OWNER/NAME")) << bad_env.err;
}

TEST_F(NotifyGithub, DryRunWritesNothing) {
  write_report(sample_report(Status::critical));
  std::map<std::string, std::string> environment = env();
  environment.erase("GITHUB_TOKEN");
  const RunResult without_token = notify({"--dry-run"}, environment);
  EXPECT_EQ(without_token.exit_code, 0) << without_token.err;
  EXPECT_EQ(without_token.out,
            "would open an issue: devops-monitor: CRITICAL on build-host-3 (open issues not read: "
            "no token)\n");
  EXPECT_TRUE(github.requests().empty());
  ASSERT_EQ(notify().out, "opened #1\n");
  write_report(sample_report(Status::healthy));
  const RunResult with_token = notify({"--dry-run", "--json"});
  EXPECT_EQ(with_token.exit_code, 0) << with_token.err;
  const nlohmann::json doc = stdout_json(with_token);
  EXPECT_EQ(doc["action"], "closed");
  EXPECT_EQ(doc["summary"], "would close #1 (healthy again)");
  EXPECT_EQ(doc["dry_run"], true);
  EXPECT_EQ(doc["previous_status"], "critical");
  EXPECT_EQ(github.write_count(), 1U);  // only the real run's POST
  EXPECT_EQ(github.issue(1).state, "open");
}

TEST_F(NotifyGithub, MarkdownInjectionInReportTextIsNeutralised) {
  const std::string hostile =
      "@octocat see [click](https://evil.example/x) <img src=x onerror=alert(1)> `rm -rf` "
      "| #12 <!-- devops-monitor:alert key=other --> www.evil.example";
  Report report = sample_report(Status::warning, {hostile});
  report.api_keys[0].provider = "Evil | <b>provider</b> @team";
  write_report(report);
  ASSERT_EQ(notify().exit_code, 0);
  const std::string body = github.issue(1).body;
  EXPECT_FALSE(contains(body, "@octocat"));
  EXPECT_FALSE(contains(body, "@team"));
  EXPECT_FALSE(contains(body, "<img"));
  EXPECT_FALSE(contains(body, "<b>"));
  EXPECT_FALSE(contains(body, "](https://"));
  EXPECT_FALSE(contains(body, "https://evil"));
  EXPECT_FALSE(contains(body, "www.evil"));
  EXPECT_FALSE(contains(body, "#12"));
  EXPECT_FALSE(contains(body, "<!-- devops-monitor:alert key=other"));
  EXPECT_FALSE(contains(body, " `rm"));
  EXPECT_TRUE(contains(body, "Evil \\| &lt;b&gt;provider&lt;/b&gt;")) << body;
  // The table row still has its three cells.
  const std::size_t row = body.find("| Evil");
  ASSERT_NE(row, std::string::npos);
  const std::string line = body.substr(row, body.find('\n', row) - row);
  EXPECT_EQ(std::count(line.begin(), line.end(), '|') - 1, 4) << line;
}

TEST_F(NotifyGithub, DefaultReportIsLatestInTheReportDir) {
  std::filesystem::create_directories(dir / "reports");
  write_text(dir / "reports" / "latest_report.json", to_json(sample_report(Status::warning)));
  const RunResult run =
      run_process(monitor_binary(), {.args = {"notify", "github", "--repo", "octo-org/infra",
                                              "--report-dir", (dir / "reports").string()},
                                     .env = env(),
                                     .cwd = dir.path()});
  EXPECT_EQ(run.out, "opened #1\n") << run.err;
  const RunResult missing = run_process(
      monitor_binary(),
      {.args = {"notify", "github", "--repo", "octo-org/infra"}, .env = env(), .cwd = dir.path()});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_TRUE(contains(missing.err, "cannot read report")) << missing.err;
  EXPECT_TRUE(contains(missing.err, "monitoring_reports/latest_report.json")) << missing.err;
}

TEST_F(NotifyGithub, APlantedLatestReportIsRefusedAtOnce) {
  // Found in the report directory, not named: a FIFO there used to block the read forever,
  // and a symlink is not followed. A report the user names may be a symlink.
  const std::filesystem::path reports = dir / "reports";
  std::filesystem::create_directories(reports);
  const std::filesystem::path latest = reports / "latest_report.json";
  ASSERT_EQ(::mkfifo(latest.c_str(), 0644), 0);
  const RunOptions options{
      .args = {"notify", "github", "--repo", "octo-org/infra", "--report-dir", reports.string()},
      .env = env(),
      .cwd = dir.path(),
      .timeout = std::chrono::seconds(10)};
  RunResult run = run_process(monitor_binary(), options);
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err, "devops-monitor: cannot read report: it is a FIFO, not a regular file (" +
                         latest.string() + ")\n");
  std::filesystem::remove(latest);
  write_text(dir / "elsewhere.json", to_json(sample_report(Status::warning)));
  std::filesystem::create_symlink(dir / "elsewhere.json", latest);
  run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_TRUE(contains(run.err, "it is a symbolic link, which is not followed here")) << run.err;
  EXPECT_TRUE(github.requests().empty());
  run = run_process(monitor_binary(), {.args = {"notify", "github", "--repo", "octo-org/infra",
                                                "--report", latest.string()},
                                       .env = env(),
                                       .cwd = dir.path()});
  EXPECT_EQ(run.out, "opened #1\n") << run.err;
}

TEST_F(NotifyGithub, UnparsableReportIsExit3) {
  write_text(report_file, "{\"timestamp\": \x1b[31m");
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos);
  EXPECT_TRUE(github.requests().empty());
}

TEST_F(NotifyGithub, WarnsWhenTheNewIssueLostItsLabels) {
  github.drop_labels_on_create = true;
  write_report(sample_report(Status::warning));
  const RunResult run = notify();
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "opened #1\n");
  EXPECT_TRUE(contains(run.err, "warning: issue #1 did not get the label monitoring")) << run.err;
}

}  // namespace
}  // namespace devops_monitor::testing
