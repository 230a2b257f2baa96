// notify_github: the imperative shell around the pure planner. Read the input, list the open
// issues, plan, carry the plan out; every step's failure is one Error.
#include <algorithm>
#include <chrono>
#include <utility>

#include "devops_monitor/notify.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/version.hpp"
#include "notify/alert.hpp"
#include "notify/github_client.hpp"
#include "notify/github_plan.hpp"
#include "notify/scan_results.hpp"
#include "store/silences_file.hpp"
#include "util/ascii.hpp"
#include "util/file_io.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

// Scans rarely reach a few MiB; a larger file is not one of ours, and reading it whole would
// cost that much memory. Reports have the bounded reader's own cap.
constexpr std::size_t kMaxScanBytes = 32 * kMiB;

/// The input as a regular file (never a FIFO to wait on, a device or an oversized file), a
/// symlink followed only when the input was named.
Result<std::string> read_input(const GithubNotifyOptions& options, const char* what) {
  const bool scan = options.input_kind == AlertInput::scan;
  Result<RegularFileText> text =
      read_regular_file(options.input, what,
                        {.max_bytes = scan ? kMaxScanBytes : kMaxReportBytes,
                         .symlinks = options.input_named ? Symlinks::follow : Symlinks::refuse,
                         .kind = scan ? "scan result" : "report"});
  if (!text) return text.error();
  return std::move(text->text);
}

Result<notify::Alert> read_alert(const GithubNotifyOptions& options, const std::string& key,
                                 std::vector<Error>* warnings) {
  if (options.input_kind == AlertInput::scan) {
    Result<std::string> text = read_input(options, "cannot read scan results");
    if (!text) return text.error();
    Result<notify::ScanResults> scan = notify::parse_scan_results(*text, options.input.string());
    if (!scan) return scan.error();
    return notify::alert_from_scan(*scan, key);
  }
  Result<std::string> text = read_input(options, "cannot read report");
  if (!text) return text.error();
  Result<Report> report = parse_report(*text, options.input.string());
  if (!report) return report.error();
  if (!options.silences_dir.empty()) {
    // What is silenced now counts too: the report may be older than the silence.
    CheckNotes notes;
    const std::vector<Silence> now = active_silences(
        read_silences_or_warn(options.silences_dir, &notes), std::chrono::system_clock::now());
    for (const Silence& silence : now) {
      const bool listed = std::any_of(report->silences.begin(), report->silences.end(),
                                      [&](const Silence& s) { return s.id == silence.id; });
      if (!listed) report->silences.push_back(silence);
    }
    warnings->insert(warnings->end(), notes.warnings.begin(), notes.warnings.end());
  }
  return notify::alert_from_report(*report, key);
}

Result<GithubNotifyOutcome> run_notify(const GithubNotifyOptions& options) {
  if (!valid_github_repository(options.repository)) {
    return Error{"invalid repository", "expected OWNER/NAME", "--repo"};
  }
  const std::string key = !options.alert_key.empty()               ? options.alert_key
                          : options.input_kind == AlertInput::scan ? notify::kScanAlertKey
                                                                   : notify::kHealthAlertKey;
  if (!notify::valid_alert_key(key)) {
    return Error{"invalid alert key", "use letters, digits, '.', '_' and '-' (1 to 64)",
                 "--alert-key"};
  }
  if (options.token.empty() && !options.dry_run) {
    return Error{"no GitHub token", "set GITHUB_TOKEN (a token that may write issues)",
                 "GITHUB_TOKEN"};
  }
  std::vector<Error> warnings;
  Result<notify::Alert> alert = read_alert(options, key, &warnings);
  if (!alert) return alert.error();

  std::string base = options.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  notify::GithubApi api{.base_url = base,
                        .repository = options.repository,
                        .token = options.token,
                        .http = {},
                        .timeout = options.timeout,
                        .sleep = {}};
  api.http.ca_bundle = options.ca_bundle;
  api.http.user_agent = std::string("devops-monitor/") + kVersion;
  api.http.deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);

  GithubNotifyOutcome outcome;
  outcome.warnings = std::move(warnings);
  outcome.alert_key = key;
  outcome.status = alert->status;
  outcome.dry_run = options.dry_run;
  std::optional<notify::ListedIssue> open_issue;
  if (!options.token.empty()) {
    Result<std::vector<notify::ListedIssue>> issues = notify::list_monitoring_issues(api);
    if (!issues) return issues.error();
    open_issue = notify::find_alert_issue(*issues, key);
    outcome.looked_up = true;
  }
  const notify::GithubPlan plan = notify::plan_github(
      *alert, open_issue, {.min_status = options.min_status, .run_url = options.run_url});
  outcome.action = notify::plan_action(plan.step);
  outcome.previous_status = plan.previous_status;
  outcome.title = plan.title;
  outcome.body = plan.body;
  outcome.comment = plan.comment;
  outcome.labels = plan.labels;
  if (plan.issue != 0) outcome.issue = plan.issue;

  if (!options.dry_run) {
    switch (plan.step) {
      case notify::PlanStep::open: {
        Result<notify::CreatedIssue> created =
            notify::create_issue(api, plan.title, plan.body, plan.labels);
        if (!created) return created.error();
        outcome.issue = created->number;
        if (!created->has_monitoring_label) {
          outcome.warnings.push_back(
              {"issue #" + std::to_string(created->number) + " did not get the label monitoring",
               "GitHub drops labels the token may not set; later runs will not find the issue "
               "and open another",
               options.repository});
        }
        break;
      }
      case notify::PlanStep::comment: {
        // Comment first: if the state update then fails, the next run says it again rather
        // than never.
        if (Result<void> r = notify::add_comment(api, plan.issue, plan.comment); !r)
          return r.error();
        if (Result<void> r = notify::update_issue(api, plan.issue, plan.body, plan.labels); !r)
          return r.error();
        break;
      }
      case notify::PlanStep::close: {
        if (Result<void> r = notify::add_comment(api, plan.issue, plan.comment); !r)
          return r.error();
        if (Result<void> r = notify::close_issue(api, plan.issue); !r) return r.error();
        break;
      }
      case notify::PlanStep::unchanged:
      case notify::PlanStep::nothing:
        break;
    }
  }
  outcome.summary =
      notify::plan_summary(plan, alert->status, outcome.issue.value_or(0), options.dry_run);
  if (options.dry_run && !outcome.looked_up) outcome.summary += " (open issues not read: no token)";
  if (!alert->silenced.empty()) {
    std::string silenced;
    for (const std::string& component : alert->silenced) {
      silenced += (silenced.empty() ? "" : ", ") + component;
    }
    outcome.summary += " (silenced: " + silenced + ")";
  }
  return outcome;
}

}  // namespace

bool valid_github_repository(std::string_view repository) {
  const std::size_t slash = repository.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view owner = repository.substr(0, slash);
  const std::string_view name = repository.substr(slash + 1);
  if (owner.empty() || owner.size() > 39 || name.empty() || name.size() > 100) return false;
  if (name == "." || name == "..") return false;
  for (const char c : owner) {
    if (!ascii::is_alpha(c) && !ascii::is_digit(c) && c != '-') return false;
  }
  for (const char c : name) {
    if (!ascii::is_alpha(c) && !ascii::is_digit(c) && c != '.' && c != '_' && c != '-')
      return false;
  }
  return true;
}

bool valid_github_alert_key(std::string_view key) {
  return notify::valid_alert_key(key);
}

Result<GithubNotifyOutcome> notify_github(const GithubNotifyOptions& options) {
  return guarded<GithubNotifyOutcome>("cannot notify GitHub", [&] { return run_notify(options); });
}

}  // namespace devops_monitor
