#include "notify/github_client.hpp"

#include <nlohmann/json.hpp>
#include <thread>

#include "http/url.hpp"
#include "notify/github_errors.hpp"

namespace devops_monitor::notify {
namespace {

using GithubJson = nlohmann::json;

// A wait longer than this is reported with the time to retry instead of slept through: an
// hourly job should not sit for an hour.
constexpr std::chrono::seconds kLongestRateLimitWait{60};
constexpr int kMaxPages = 10;
// A page of 100 issues with bodies near GitHub's 65536-character limit is ~7 MB.
constexpr std::size_t kListBodyCap = 16 * 1024 * 1024;

/// One request with GitHub's headers; a rate limit that asks for at most a minute is waited
/// out and the request sent once more (a 403/429 was not acted on, so even a POST may be).
Result<HttpOutcome> call_github(const GithubApi& api, HttpRequest request, const GithubCall& call,
                                std::size_t body_cap = 1024 * 1024) {
  request.headers = {{"Authorization", "Bearer " + api.token},
                     {"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"}};
  request.secrets = {api.token};
  request.timeout = api.timeout;
  HttpOptions options = api.http;
  options.max_body_bytes = body_cap;
  for (int attempt = 0;; ++attempt) {
    HttpOutcome outcome = perform_request(request, options);
    const auto now = std::chrono::system_clock::now();
    if (attempt == 0) {
      const std::optional<std::chrono::seconds> wait = rate_limit_wait(outcome, now);
      if (wait && *wait <= kLongestRateLimitWait) {
        if (api.sleep) {
          api.sleep(*wait);
        } else {
          std::this_thread::sleep_for(*wait);
        }
        continue;
      }
    }
    if (std::optional<Error> failure = github_failure(outcome, call, now)) return *failure;
    if (outcome.body_truncated) {
      return Error{"GitHub's answer is too large", "to " + call.action, outcome.host};
    }
    return outcome;
  }
}

std::string repo_url(const GithubApi& api, const std::string& path) {
  return api.base_url + "/repos/" + api.repository + path;
}

Error bad_answer(const GithubCall& call, const HttpOutcome& outcome) {
  return Error{"unexpected answer from GitHub", "to " + call.action + ": not the JSON expected",
               outcome.host};
}

}  // namespace

Result<std::vector<ListedIssue>> list_monitoring_issues(const GithubApi& api) {
  const GithubCall call{"list issues", api.repository};
  std::vector<ListedIssue> issues;
  std::string url = repo_url(api, "/issues?state=open&labels=monitoring&per_page=100");
  for (int page = 1; !url.empty(); ++page) {
    if (page > kMaxPages) {
      return Error{"too many open issues", "more than 10 pages of open issues labelled monitoring",
                   api.repository};
    }
    Result<HttpOutcome> outcome =
        call_github(api, {.method = "GET", .url = url}, call, kListBodyCap);
    if (!outcome) return outcome.error();
    const GithubJson doc = GithubJson::parse(outcome->body, nullptr, false);
    if (doc.is_discarded() || !doc.is_array()) return bad_answer(call, *outcome);
    for (const GithubJson& item : doc) {
      if (!item.is_object() || item.contains("pull_request")) continue;  // PRs are listed too
      const auto number = item.find("number");
      if (number == item.end() || !number->is_number_integer()) continue;
      ListedIssue issue;
      issue.number = number->get<int>();
      if (const auto body = item.find("body"); body != item.end() && body->is_string())
        issue.body = body->get<std::string>();
      if (const auto labels = item.find("labels"); labels != item.end() && labels->is_array()) {
        for (const GithubJson& label : *labels) {
          if (label.is_string()) {
            issue.labels.push_back(label.get<std::string>());
          } else if (label.is_object() && label.contains("name") && label["name"].is_string()) {
            issue.labels.push_back(label["name"].get<std::string>());
          }
        }
      }
      issues.push_back(std::move(issue));
    }
    const std::string next = next_page_link(outcome->header("link").value_or(""));
    if (!next.empty() && !same_origin(next, api.base_url)) {
      return Error{"refused to follow GitHub's next-page link",
                   "it points to " + url_host(next).substr(0, 100) +
                       ", and the token is only ever sent to the API base",
                   outcome->host};
    }
    url = next;
  }
  return issues;
}

Result<CreatedIssue> create_issue(const GithubApi& api, const std::string& title,
                                  const std::string& body, const std::vector<std::string>& labels) {
  const GithubCall call{"open an issue", api.repository};
  const GithubJson request = {{"title", title}, {"body", body}, {"labels", labels}};
  Result<HttpOutcome> outcome =
      call_github(api,
                  {.method = "POST",
                   .url = repo_url(api, "/issues"),
                   .body = request.dump(-1, ' ', false, GithubJson::error_handler_t::replace)},
                  call);
  if (!outcome) return outcome.error();
  const GithubJson doc = GithubJson::parse(outcome->body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("number") ||
      !doc["number"].is_number_integer()) {
    return bad_answer(call, *outcome);
  }
  CreatedIssue created{.number = doc["number"].get<int>(), .has_monitoring_label = false};
  if (const auto got = doc.find("labels"); got != doc.end() && got->is_array()) {
    for (const GithubJson& label : *got) {
      if ((label.is_object() && label.value("name", "") == "monitoring") || label == "monitoring")
        created.has_monitoring_label = true;
    }
  }
  return created;
}

Result<void> add_comment(const GithubApi& api, int issue, const std::string& body) {
  const GithubCall call{"comment on issue #" + std::to_string(issue), api.repository};
  const GithubJson request = {{"body", body}};
  Result<HttpOutcome> outcome =
      call_github(api,
                  {.method = "POST",
                   .url = repo_url(api, "/issues/" + std::to_string(issue) + "/comments"),
                   .body = request.dump(-1, ' ', false, GithubJson::error_handler_t::replace)},
                  call);
  if (!outcome) return outcome.error();
  return {};
}

Result<void> update_issue(const GithubApi& api, int issue, const std::string& body,
                          const std::vector<std::string>& labels) {
  const GithubCall call{"update issue #" + std::to_string(issue), api.repository};
  const GithubJson request = {{"body", body}, {"labels", labels}};
  Result<HttpOutcome> outcome =
      call_github(api,
                  {.method = "PATCH",
                   .url = repo_url(api, "/issues/" + std::to_string(issue)),
                   .body = request.dump(-1, ' ', false, GithubJson::error_handler_t::replace)},
                  call);
  if (!outcome) return outcome.error();
  return {};
}

Result<void> close_issue(const GithubApi& api, int issue) {
  const GithubCall call{"close issue #" + std::to_string(issue), api.repository};
  const GithubJson request = {{"state", "closed"}, {"state_reason", "completed"}};
  Result<HttpOutcome> outcome =
      call_github(api,
                  {.method = "PATCH",
                   .url = repo_url(api, "/issues/" + std::to_string(issue)),
                   .body = request.dump()},
                  call);
  if (!outcome) return outcome.error();
  return {};
}

}  // namespace devops_monitor::notify
