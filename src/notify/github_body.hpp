// Issue and comment text for GitHub: an Alert rendered as Markdown, every outside string
// escaped (markdown_text), and the hidden markers the planner reads back. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/status.hpp"
#include "notify/alert.hpp"

namespace devops_monitor::notify {

/// The last state the tool reported in an issue, kept in the issue body.
struct IssueState {
  Status status = Status::healthy;
  std::string signature;
};

/// `<!-- devops-monitor:alert key=KEY -->`: which alert an issue belongs to.
std::string alert_marker(std::string_view key);
/// `<!-- devops-monitor:state {"status":"warning","issues":"<signature>"} -->`.
std::string state_marker(const IssueState& state);
/// The first state marker in `body`; nullopt when there is none or it does not parse (a
/// person edited the body).
std::optional<IssueState> read_state_marker(std::string_view body);
/// `body` with its state marker replaced by one for `state` (prepended when it had none).
std::string with_state_marker(std::string_view body, const IssueState& state);

/// "devops-monitor: CRITICAL on build-host-3": plain text (titles are not Markdown),
/// printable and at most 256 characters, GitHub's limit.
std::string issue_title(const Alert& alert);
/// Markers first (so cutting the end never loses them), then facts, sections and the run
/// link; bounded to GitHub's body limit.
std::string issue_body(const Alert& alert, const std::string& run_url);
/// A comment for a change: what changed, then the alert's sections again.
std::string change_comment(const Alert& alert, std::optional<Status> previous_status,
                           const std::string& run_url);
/// A comment for a recovery (status below the alerting level) before closing.
std::string recovery_comment(const Alert& alert, Status min_status, const std::string& run_url);

}  // namespace devops_monitor::notify
