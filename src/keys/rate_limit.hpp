// Rate-limit headroom from the check's answer headers, and how long a throttled key should
// wait (docs/provider-insight.md, "Parsing rules that follow"). Every header is optional:
// absent or malformed gives nothing, never an error and never a different verdict.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/provider.hpp"
#include "http/http_client.hpp"

namespace devops_monitor {

struct RateLimitInfo {
  std::optional<std::int64_t> limit{};          // requests per window
  std::optional<std::int64_t> remaining{};      // requests left in it
  std::optional<double> reset_seconds{};        // until the window resets (OpenAI, Together)
  std::optional<std::string> reset_at{};        // when it resets, RFC 3339 (Anthropic)
  bool unreadable = false;                      // a rate-limit header was there but malformed
  std::optional<double> retry_after_seconds{};  // retry-after (or Google's RetryInfo)
  std::optional<std::string> retry_after_at{};  // retry-after as an HTTP date, as RFC 3339 UTC
};

/// Pure: the rate-limit facts of an answer. Request-family headers only: OpenAI
/// x-ratelimit-{limit,remaining,reset}-requests (reset a Go duration like "6m0s", "20ms"),
/// Anthropic anthropic-ratelimit-requests-{limit,remaining,reset} (reset RFC 3339), Together
/// x-ratelimit-{limit,remaining,reset} (reset in seconds); retry-after (seconds or an HTTP
/// date) and, on Google, the body's RetryInfo.retryDelay ("23s").
RateLimitInfo read_rate_limit(const Provider& provider, const HttpOutcome& outcome);

/// "6m0s" -> 360, "20ms" -> 0.02, "1m30.5s" -> 90.5, "1h" -> 3600; nullopt when malformed.
std::optional<double> parse_go_duration(std::string_view text);
/// "20", "0.5" -> seconds; nullopt for negative, empty or other text.
std::optional<double> parse_seconds(std::string_view text);
/// An RFC 9110 IMF-fixdate ("Wed, 21 Oct 2026 07:28:00 GMT") as "2026-10-21T07:28:00Z".
std::optional<std::string> parse_http_date(std::string_view text);

}  // namespace devops_monitor
