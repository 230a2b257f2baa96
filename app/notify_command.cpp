// `devops-monitor notify github`: one GitHub issue per alert key, kept in step with the latest
// report or a scan. The flags and GITHUB_* variables are read here; the library plans and acts.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "command.hpp"
#include "devops_monitor/notify.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kNotifyGithubFooter =
    "Keeps one GitHub issue per alert key: opens it when the status reaches --min-status,\n"
    "comments only when the status or the set of issues changes (so an hourly job leaves one\n"
    "issue, not 24), and comments and closes it when the status falls below --min-status.\n"
    "The issue is found again among the open issues labelled monitoring by a hidden marker\n"
    "holding the alert key (never the host: CI runners have random names).\n"
    "\n"
    "Environment:\n"
    "  GITHUB_TOKEN       token that may write issues (required unless --dry-run; never a flag)\n"
    "  GITHUB_REPOSITORY  default for --repo\n"
    "  GITHUB_API_URL     API base (default https://api.github.com; GitHub Enterprise works)\n"
    "  GITHUB_SERVER_URL, GITHUB_RUN_ID  link the workflow run in issues and comments\n"
    "\n"
    "Prints one line saying what was done (--json: an object). Exit status: 0 when done,\n"
    "nothing to do included; 3 when it could not be done (bad flag, missing token, unreadable\n"
    "input, GitHub or network failure), with one line on stderr saying why.\n"
    "\n"
    "Examples:\n"
    "  devops-monitor check; devops-monitor notify github --repo octo-org/infra\n"
    "  devops-monitor notify github --scan scan.json --alert-key secrets-main\n"
    "  devops-monitor notify github --report latest_report.json --dry-run --json";

struct NotifyFlags {
  SettingsFlags settings;
  std::optional<std::string> repo;
  std::optional<std::string> report;
  std::optional<std::string> scan;
  std::optional<std::string> min_status;
  std::optional<std::string> alert_key;
  bool dry_run = false;
  bool json = false;
};

std::string env_text(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

bool all_digits(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

/// The workflow run's page, from the variables GitHub Actions sets; "" outside a run or
/// when they do not look like GitHub's own.
std::string workflow_run_url() {
  std::string server = env_text("GITHUB_SERVER_URL");
  const std::string repository = env_text("GITHUB_REPOSITORY");
  const std::string run_id = env_text("GITHUB_RUN_ID");
  if (server.empty()) server = "https://github.com";
  while (server.size() > 1 && server.back() == '/') server.pop_back();
  const bool web_url = server.starts_with("https://") || server.starts_with("http://");
  if (!web_url || server.find_first_of(" ()<>\"'\\") != std::string::npos ||
      !valid_github_repository(repository) || !all_digits(run_id)) {
    return "";
  }
  return server + "/" + repository + "/actions/runs/" + run_id;
}

nlohmann::ordered_json outcome_json(const GithubNotifyOutcome& outcome,
                                    const std::string& repository) {
  nlohmann::ordered_json doc = {
      {"action", outcome.action},
      {"issue", outcome.issue ? nlohmann::ordered_json(*outcome.issue) : nullptr},
      {"status", to_string(outcome.status)},
      {"previous_status", outcome.previous_status
                              ? nlohmann::ordered_json(to_string(*outcome.previous_status))
                              : nullptr},
      {"alert_key", outcome.alert_key},
      {"repository", repository},
      {"dry_run", outcome.dry_run},
      {"summary", outcome.summary}};
  if (outcome.dry_run) {
    doc["issues_read"] = outcome.looked_up;
    doc["title"] = outcome.title;
    doc["labels"] = outcome.labels;
    doc["body"] = outcome.body;
    doc["comment"] = outcome.comment;
  }
  return doc;
}

int run_notify_github(const NotifyFlags& n) {
  GithubNotifyOptions notify;
  Result<Settings> settings = settings_from_flags(n.settings);
  if (!settings) return fail(settings.error());

  std::string repo_source = "--repo";
  if (n.repo) {
    notify.repository = *n.repo;
  } else {
    notify.repository = env_text("GITHUB_REPOSITORY");
    repo_source = "GITHUB_REPOSITORY";
    if (notify.repository.empty()) {
      return fail({"invalid command line",
                   "no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY", "--repo"});
    }
  }
  if (!valid_github_repository(notify.repository)) {
    return fail({"invalid command line",
                 repo_source + " must be OWNER/NAME, e.g. octo-org/infra, not \"" +
                     notify.repository.substr(0, 150) + "\"",
                 repo_source});
  }
  if (n.alert_key) {
    if (!valid_github_alert_key(*n.alert_key)) {
      return fail({"invalid command line",
                   "--alert-key takes letters, digits, '.', '_' and '-' (1 to 64)", "--alert-key"});
    }
    notify.alert_key = *n.alert_key;
  }
  if (n.scan) {
    notify.input_kind = AlertInput::scan;
    notify.input = *n.scan;
  } else {
    notify.input =
        n.report ? std::filesystem::path(*n.report) : settings->report_dir / "latest_report.json";
    notify.input_named = n.report.has_value();
  }
  const std::string min_status = n.min_status.value_or("warning");
  if (min_status != "warning" && min_status != "critical") {
    return fail({"invalid command line",
                 "--min-status " + min_status + " is not one of warning, critical",
                 "--min-status"});
  }
  notify.min_status = min_status == "critical" ? Status::critical : Status::warning;
  notify.dry_run = n.dry_run;
  notify.token = env_text("GITHUB_TOKEN");
  if (notify.token.empty() && !notify.dry_run) {
    return fail({"no GitHub token",
                 "set GITHUB_TOKEN to a token that may write issues (in a workflow: "
                 "permissions: issues: write)",
                 "GITHUB_TOKEN"});
  }
  if (const std::string api = env_text("GITHUB_API_URL"); !api.empty()) notify.api_url = api;
  notify.run_url = workflow_run_url();
  notify.ca_bundle = settings->ca_bundle;
  notify.silences_dir = settings->report_dir;

  Result<GithubNotifyOutcome> outcome = notify_github(notify);
  if (!outcome) return fail(outcome.error());
  for (const Error& warning : outcome->warnings) {
    std::fprintf(stderr, "devops-monitor: warning: %s\n", printable(warning.message()).c_str());
  }
  std::string out;
  if (n.json) {
    out = outcome_json(*outcome, notify.repository)
              .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
          "\n";
  } else {
    out = printable(outcome->summary) + "\n";
  }
  print(out);
  return 0;
}

Run declare_github(CLI::App& github) {
  auto n = std::make_shared<NotifyFlags>();
  github.footer(kNotifyGithubFooter);
  value_flag(github, "--repo", n->repo, "OWNER/NAME", "Repository for the issue",
             "$GITHUB_REPOSITORY");
  value_flag(github, "--report", n->report, "FILE", "Report to act on",
             "latest_report.json in the report directory");
  value_flag(github, "--scan", n->scan, "FILE",
             "Act on `scan --json` output instead: findings are critical", "none");
  value_flag(github, "--min-status", n->min_status, "STATUS",
             "Status that opens an issue: warning or critical", "warning");
  value_flag(github, "--alert-key", n->alert_key, "NAME",
             "Which issue: one per key (letters, digits, '.', '_', '-')",
             "health, or exposed-keys for --scan");
  switch_flag(github, "--dry-run", n->dry_run,
              "Print what would be done; no write request (open issues are still read when "
              "GITHUB_TOKEN is set)");
  switch_flag(github, "--json", n->json, "What was done, as JSON on stdout");
  add_settings_flags(github, n->settings, kConfigFlag | kReportDirFlag);
  return [n]() -> int {
    if (n->report && n->scan) {
      return fail({"invalid command line", "--report and --scan exclude each other", "--scan"});
    }
    return run_notify_github(*n);
  };
}

}  // namespace

Command notify_command() {
  return {"notify", "Open, update and close GitHub issues from checks and scans",
          [](CLI::App& app) -> Run {
            // One target today; the shape leaves room for more (notify slack, ...).
            auto run = std::make_shared<Run>();
            CLI::App* github = app.add_subcommand(
                "github", "Keep one GitHub issue per alert in step with the latest report or scan");
            *run = declare_github(*github);
            app.require_subcommand(1);
            return [run] { return (*run)(); };
          }};
}

}  // namespace devops_monitor::cli
