#include "notify/github_errors.hpp"

#include <nlohmann/json.hpp>

#include "devops_monitor/text.hpp"
#include "http/url.hpp"
#include "notify/markdown.hpp"
#include "util/ascii.hpp"

namespace devops_monitor::notify {
namespace {

constexpr std::size_t kMessageBytes = 300;

std::optional<long long> header_number(const HttpOutcome& outcome, std::string_view name) {
  const std::optional<std::string> value = outcome.header(name);
  if (!value || value->empty() || value->size() > 18) return std::nullopt;
  long long n = 0;
  for (const char c : *value) {
    if (!ascii::is_digit(c)) return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

/// GitHub's "message" and the messages of its "errors" list, as one printable line.
std::string github_message(const HttpOutcome& outcome) {
  const nlohmann::json doc = nlohmann::json::parse(outcome.body, nullptr, false);
  std::string text;
  if (!doc.is_discarded() && doc.is_object()) {
    if (const auto m = doc.find("message"); m != doc.end() && m->is_string()) text = *m;
    if (const auto errors = doc.find("errors"); errors != doc.end() && errors->is_array()) {
      for (const nlohmann::json& e : *errors) {
        std::string part;
        if (e.is_string()) {
          part = e.get<std::string>();
        } else if (e.is_object()) {
          if (const auto m = e.find("message"); m != e.end() && m->is_string()) {
            part = *m;
          } else {
            for (const char* field : {"resource", "field", "code"}) {
              if (const auto f = e.find(field); f != e.end() && f->is_string())
                part += (part.empty() ? "" : " ") + f->get<std::string>();
            }
          }
        }
        if (!part.empty()) text += (text.empty() ? "" : "; ") + part;
      }
    }
  }
  text = printable(text);
  if (text.size() > kMessageBytes) text = std::string(utf8_prefix(text, kMessageBytes)) + "...";
  return text;
}

std::string with_message(std::string detail, const HttpOutcome& outcome) {
  const std::string message = github_message(outcome);
  return message.empty() ? detail : detail + ": " + message;
}

std::string utc_text(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string default_port(const Url& url) {
  if (!url.port.empty()) return url.port;
  return url.scheme == "https" ? "443" : url.scheme == "http" ? "80" : "";
}

}  // namespace

std::optional<std::chrono::seconds> rate_limit_wait(const HttpOutcome& outcome,
                                                    std::chrono::system_clock::time_point now) {
  if (!outcome.http_status) return std::nullopt;
  const int status = *outcome.http_status;
  if (status != 403 && status != 429) return std::nullopt;
  if (const std::optional<long long> after = header_number(outcome, "retry-after")) {
    return std::chrono::seconds(*after);
  }
  const std::optional<long long> remaining = header_number(outcome, "x-ratelimit-remaining");
  if (remaining && *remaining == 0) {
    if (const std::optional<long long> reset = header_number(outcome, "x-ratelimit-reset")) {
      const auto reset_at = std::chrono::system_clock::time_point(std::chrono::seconds(*reset));
      const auto wait = std::chrono::ceil<std::chrono::seconds>(reset_at - now);
      return std::max(wait, std::chrono::seconds(0));
    }
    return std::chrono::seconds(60);
  }
  // A 429 without a time, or a 403 that says "secondary rate limit" without one.
  if (status == 429 || github_message(outcome).find("rate limit") != std::string::npos) {
    return std::chrono::seconds(60);
  }
  return std::nullopt;
}

std::optional<Error> github_failure(const HttpOutcome& outcome, const GithubCall& call,
                                    std::chrono::system_clock::time_point now) {
  const std::string host = outcome.host;
  const std::string repo = printable(call.repository);
  // A transport failure wins over a status line: an answer cut off mid-body (after "200 OK")
  // is no answer.
  if (outcome.failure != TransportFailure::none || !outcome.http_status) {
    const std::string detail =
        outcome.failure_detail.empty() ? "no answer" : outcome.failure_detail;
    return Error{"cannot reach GitHub to " + call.action, printable(detail), host};
  }
  const int status = *outcome.http_status;
  if (status >= 200 && status < 300) return std::nullopt;
  const std::string http = "HTTP " + std::to_string(status);
  if (const std::optional<std::chrono::seconds> wait = rate_limit_wait(outcome, now)) {
    return Error{"GitHub rate limit reached",
                 with_message(http, outcome) + "; retry after " + utc_text(now + *wait) + " (in " +
                     std::to_string(wait->count()) + " s)",
                 host};
  }
  if (status >= 300 && status < 400) {
    return Error{"repository moved",
                 http + ": GitHub redirects " + repo + " elsewhere (renamed or transferred?); " +
                     "use its current name in --repo",
                 host};
  }
  switch (status) {
    case 401:
      return Error{"GitHub rejected the token",
                   with_message(http, outcome) + "; check GITHUB_TOKEN (expired or revoked?)",
                   host};
    case 403:
      return Error{"GitHub refused to " + call.action,
                   with_message(http, outcome) +
                       "; the token needs the issues: write permission on " + repo +
                       " (in a workflow: permissions: issues: write)",
                   host};
    case 404:
      return Error{"repository not found",
                   http + ": " + repo + " does not exist or is not visible to the token", host};
    case 410:
      return Error{"issues are disabled", http + ": " + repo + " has issues turned off", host};
    case 422:
      return Error{"GitHub did not accept the request to " + call.action,
                   with_message(http + " validation failed", outcome), host};
    default:
      return Error{"GitHub could not " + call.action, with_message(http, outcome), host};
  }
}

std::string next_page_link(std::string_view link_header) {
  // <https://api.github.com/...&page=2>; rel="next", <...>; rel="last"
  std::size_t pos = 0;
  while (pos < link_header.size()) {
    const std::size_t open = link_header.find('<', pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = link_header.find('>', open);
    if (close == std::string_view::npos) break;
    const std::size_t next_entry = link_header.find('<', close);
    const std::string_view params = link_header.substr(
        close + 1,
        next_entry == std::string_view::npos ? std::string_view::npos : next_entry - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos ||
        params.find("rel=next") != std::string_view::npos) {
      return std::string(link_header.substr(open + 1, close - open - 1));
    }
    pos = close + 1;
  }
  return "";
}

bool same_origin(std::string_view a, std::string_view b) {
  const Result<Url> x = parse_url(a);
  const Result<Url> y = parse_url(b);
  if (!x || !y) return false;
  return x->scheme == y->scheme && ascii::equals_ignoring_case(x->host, y->host) &&
         default_port(*x) == default_port(*y);
}

}  // namespace devops_monitor::notify
