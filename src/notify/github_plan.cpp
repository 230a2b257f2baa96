#include "notify/github_plan.hpp"

#include <algorithm>

#include "notify/github_body.hpp"

namespace devops_monitor::notify {
namespace {

constexpr const char* kPriorityHigh = "priority-high";
constexpr const char* kPriorityCritical = "priority-critical";

bool at_or_above(Status status, Status min_status) {
  return static_cast<int>(status) >= static_cast<int>(min_status);
}

/// The labels the issue has, with only the priority label swapped: labels people added stay.
std::vector<std::string> swap_priority(const std::vector<std::string>& labels, Status status) {
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    if (label != kPriorityHigh && label != kPriorityCritical) out.push_back(label);
  }
  out.push_back(priority_label(status));
  return out;
}

}  // namespace

std::string priority_label(Status status) {
  return status == Status::warning ? kPriorityHigh : kPriorityCritical;
}

std::optional<ListedIssue> find_alert_issue(const std::vector<ListedIssue>& issues,
                                            const std::string& key) {
  const std::string marker = alert_marker(key);
  std::optional<ListedIssue> found;
  for (const ListedIssue& issue : issues) {
    if (issue.body.find(marker) == std::string::npos) continue;
    if (!found || issue.number < found->number) found = issue;
  }
  return found;
}

namespace {

GithubPlan plan_without_silences(const Alert& alert, const std::optional<ListedIssue>& open_issue,
                                 const PlanOptions& options) {
  GithubPlan plan;
  const bool alerting = at_or_above(alert.status, options.min_status);
  if (!open_issue) {
    if (!alerting) return plan;  // nothing
    plan.step = PlanStep::open;
    plan.title = issue_title(alert);
    plan.body = issue_body(alert, options.run_url);
    plan.labels = {"monitoring", "automated"};
    for (const std::string& label : alert.labels) plan.labels.push_back(label);
    plan.labels.push_back(priority_label(alert.status));
    return plan;
  }
  plan.issue = open_issue->number;
  const std::optional<IssueState> last = read_state_marker(open_issue->body);
  if (last) plan.previous_status = last->status;
  if (!alerting) {
    plan.step = PlanStep::close;
    plan.comment = recovery_comment(alert, options.min_status, options.run_url);
    return plan;
  }
  // A body without a readable state (edited by a person) counts as a change: saying the
  // current state once more is better than staying silent about a change.
  if (last && last->status == alert.status && last->signature == alert.signature) {
    plan.step = PlanStep::unchanged;
    return plan;
  }
  plan.step = PlanStep::comment;
  plan.comment = change_comment(alert, plan.previous_status, options.run_url);
  plan.body = with_state_marker(open_issue->body, {alert.status, alert.signature});
  plan.labels = swap_priority(open_issue->labels, alert.status);
  return plan;
}

}  // namespace

GithubPlan plan_github(const Alert& alert, const std::optional<ListedIssue>& open_issue,
                       const PlanOptions& options) {
  if (alert.silenced.empty() || !at_or_above(alert.status, options.min_status)) {
    return plan_without_silences(alert, open_issue, options);
  }
  Alert shown = alert;
  shown.status = alert.unsilenced_status;
  if (open_issue) {
    const std::optional<IssueState> last = read_state_marker(open_issue->body);
    if (!at_or_above(shown.status, options.min_status)) {
      // Still bad, but only where silenced: no comment, and no "recovered" either.
      GithubPlan plan;
      plan.step = PlanStep::unchanged;
      plan.issue = open_issue->number;
      if (last) plan.previous_status = last->status;
      return plan;
    }
    // The silenced components' issue texts change the signature; they are not news.
    if (last) shown.signature = last->signature;
  }
  return plan_without_silences(shown, open_issue, options);
}

const char* plan_action(PlanStep step) {
  switch (step) {
    case PlanStep::open:
      return "opened";
    case PlanStep::comment:
      return "commented";
    case PlanStep::unchanged:
      return "unchanged";
    case PlanStep::close:
      return "closed";
    case PlanStep::nothing:
      break;
  }
  return "none";
}

std::string plan_summary(const GithubPlan& plan, Status status, int issue, bool dry_run) {
  const std::string number = "#" + std::to_string(issue);
  const std::string now(to_string(status));
  switch (plan.step) {
    case PlanStep::open:
      return dry_run ? "would open an issue: " + plan.title : "opened " + number;
    case PlanStep::comment: {
      std::string change = plan.previous_status && *plan.previous_status != status
                               ? std::string(to_string(*plan.previous_status)) + " -> " + now
                               : "issues changed, still " + now;
      return (dry_run ? "would comment on " : "commented on ") + number + " (" + change + ")";
    }
    case PlanStep::unchanged:
      return "no change; " + number + " left open";
    case PlanStep::close: {
      const std::string why =
          status == Status::healthy ? "healthy again" : now + " is below the alerting level";
      return (dry_run ? "would close " : "closed ") + number + " (" + why + ")";
    }
    case PlanStep::nothing:
      break;
  }
  return now + "; no open issue";
}

}  // namespace devops_monitor::notify
