// What to do on GitHub for one alert, decided from values only: the alert, the open issue
// that carries its marker (or none) and the options. The client (github_client) only carries
// the plan out; it never decides whether to speak.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/status.hpp"
#include "notify/alert.hpp"

namespace devops_monitor::notify {

/// An open issue as the listing returns it (pull requests already left out).
struct ListedIssue {
  int number = 0;
  std::string body;
  std::vector<std::string> labels;
};

struct PlanOptions {
  Status min_status = Status::warning;  // at or above it an issue is (kept) open
  std::string run_url;                  // the workflow run, or empty
};

enum class PlanStep {
  nothing,    // below the alerting level and no issue open
  open,       // POST an issue
  comment,    // POST a comment, PATCH the body's state marker and the priority label
  unchanged,  // an issue is open and nothing changed: no write request
  close,      // POST a comment, PATCH state=closed
};

struct GithubPlan {
  PlanStep step = PlanStep::nothing;
  int issue = 0;  // the open issue, for comment, unchanged and close
  std::optional<Status> previous_status;
  std::string title;                // open
  std::string body;                 // open: the new body; comment: the body with the new state
  std::vector<std::string> labels;  // open: all labels; comment: the labels written back
  std::string comment;              // comment and close
};

/// "priority-high" for warning, "priority-critical" for critical (and unknown).
std::string priority_label(Status status);

/// The oldest open issue whose body holds the alert's marker.
std::optional<ListedIssue> find_alert_issue(const std::vector<ListedIssue>& issues,
                                            const std::string& key);

/// What to do for `alert`. While silences apply (alert.silenced), only what they do not cover
/// counts: no issue is opened for a silenced component alone, an open issue is neither
/// commented on for it nor closed while it is still bad (its status is the unsilenced one, and
/// changes of the issue texts alone are not news), and it closes as usual once all is well.
GithubPlan plan_github(const Alert& alert, const std::optional<ListedIssue>& open_issue,
                       const PlanOptions& options);

/// The one line that says what was done ("opened #12", "commented on #12 (warning ->
/// critical)", ...). `issue` is the issue number (for open: the one GitHub gave, 0 in a dry
/// run).
std::string plan_summary(const GithubPlan& plan, Status status, int issue, bool dry_run);

/// "opened", "commented", "unchanged", "closed", "none": the action in --json.
const char* plan_action(PlanStep step);

}  // namespace devops_monitor::notify
