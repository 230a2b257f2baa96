// The thin shell between the plan and GitHub's REST API: four requests, each through the
// project's one HTTP layer (perform_request), with the token only in an Authorization header
// and in HttpRequest::secrets. It decides nothing about alerts.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/error.hpp"
#include "http/http_client.hpp"
#include "notify/github_plan.hpp"

namespace devops_monitor::notify {

struct GithubApi {
  std::string base_url;    // "https://api.github.com", no trailing slash
  std::string repository;  // OWNER/NAME, already validated
  std::string token;
  HttpOptions http;
  Milliseconds timeout{30000};  // per request
  /// How a rate-limit wait is slept; tests may shorten it.
  std::function<void(std::chrono::seconds)> sleep;
};

struct CreatedIssue {
  int number = 0;
  bool has_monitoring_label = false;  // GitHub drops labels the token may not set
};

/// Open issues labelled `monitoring`, every page (at most 10 of 100), pull requests left
/// out. A next-page link to another scheme, host or port is refused: the token goes nowhere
/// but the API base.
Result<std::vector<ListedIssue>> list_monitoring_issues(const GithubApi& api);
Result<CreatedIssue> create_issue(const GithubApi& api, const std::string& title,
                                  const std::string& body, const std::vector<std::string>& labels);
Result<void> add_comment(const GithubApi& api, int issue, const std::string& body);
/// PATCH: the new body and labels (a comment's state update).
Result<void> update_issue(const GithubApi& api, int issue, const std::string& body,
                          const std::vector<std::string>& labels);
/// PATCH state=closed, state_reason=completed.
Result<void> close_issue(const GithubApi& api, int issue);

}  // namespace devops_monitor::notify
