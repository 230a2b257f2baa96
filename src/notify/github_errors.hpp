// Reading GitHub's REST answers: which failure an answer is, how long a rate limit asks us to
// wait, and where the next page is. Pure functions over an HttpOutcome, tested with values.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "http/http_client.hpp"

namespace devops_monitor::notify {

/// What a request was for, for messages: "list issues", "open an issue", ...
struct GithubCall {
  std::string action;
  std::string repository;  // OWNER/NAME
};

/// How long a rate-limited answer (429, or 403 with retry-after or x-ratelimit-remaining: 0)
/// asks us to wait; nullopt when the answer is not a rate limit. A rate limit without a
/// usable time waits 60 s (GitHub's advice for secondary limits).
std::optional<std::chrono::seconds> rate_limit_wait(const HttpOutcome& outcome,
                                                    std::chrono::system_clock::time_point now);

/// nullopt for a 2xx answer; otherwise one Error for the person reading the terminal:
/// `what: detail (host)`, GitHub's own words sanitized and bounded, never the token.
std::optional<Error> github_failure(const HttpOutcome& outcome, const GithubCall& call,
                                    std::chrono::system_clock::time_point now);

/// The rel="next" URL of a Link header, or "" when there is none.
std::string next_page_link(std::string_view link_header);

/// True when both URLs parse and have the same scheme, host and port (default ports
/// filled in): the only place the token may be sent to besides the API base itself.
bool same_origin(std::string_view a, std::string_view b);

}  // namespace devops_monitor::notify
