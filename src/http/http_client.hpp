// The one HTTP client layer: every request the tool makes (provider key checks today,
// webhooks and the GitHub API next) goes through it, so the transport rules hold for every
// caller. It measures what happened and judges nothing about keys or answers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

using HttpHeader = std::pair<std::string, std::string>;

/// Every member has a default, so callers name only what they need:
///   perform_request({.method = "POST", .url = hook, .body = json, .secrets = {hook}}, options)
struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST, PUT, PATCH or DELETE
  std::string url{};           // without a scheme: https
  std::vector<HttpHeader> headers{};
  /// Sent with POST, PUT, PATCH and DELETE; as application/json unless a Content-Type header
  /// says otherwise. GET and HEAD carry none.
  std::string body{};
  /// Keys, tokens, webhook URLs: redacted from everything in the outcome, never logged.
  std::vector<std::string> secrets{};
  Milliseconds timeout{10000};  // the whole budget, retry included
  /// Retry a transient failure once within the budget. Unset: only idempotent methods
  /// (GET, HEAD) are retried; a POST that broke off may have been acted on.
  std::optional<bool> retry_transient{};
  /// Statuses that count as transient for this request besides 502, 503 and 504 (a webhook
  /// receiver's 500): retried like them when retries are allowed.
  std::vector<int> transient_statuses{};
};

/// Why a request produced no usable HTTP answer.
enum class TransportFailure {
  none,
  invalid_request,   // refused before sending: bad method, body, header or URL
  refused_insecure,  // refused before sending: plain http to a host that is not loopback
  proxy,             // the proxy could not be reached, refused the tunnel, or is misconfigured
  dns,
  connect,
  tls,
  timeout,
  interrupted,  // connection reset or closed mid-answer
  other,
};

struct HttpOutcome {
  TransportFailure failure = TransportFailure::none;
  std::string failure_detail;      // what went wrong, in plain words, redacted
  std::optional<int> http_status;  // when a complete status line arrived
  std::string body;                // redacted; at most the body cap
  bool body_truncated = false;     // the answer was longer than the cap; the rest was not read
  /// The final answer's headers in arrival order: names lowercased, values redacted; at most
  /// HttpOptions::max_headers of at most max_header_bytes each.
  std::vector<HttpHeader> headers;
  bool headers_truncated = false;  // some headers were dropped to stay within the bounds
  std::string redirect_host;       // host named by Location on a 3xx
  std::string host;                // host of the request URL, for messages
  std::string effective_host;      // host of the URL libcurl finally used
  Milliseconds latency{0};         // duration of the last attempt
  Milliseconds budget{0};          // the time allowed: the timeout, clipped by the deadline
  int attempts = 0;
  std::chrono::system_clock::time_point finished_at;  // when the last attempt ended

  /// The first value of a header (`name` in lowercase), if the answer had it.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
};

struct HttpOptions {
  std::string ca_bundle;  // empty: the system CA store
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_headers = 100;
  std::size_t max_header_bytes = 8 * 1024;
  std::string user_agent;
  /// No request runs past this point, whatever its own timeout.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  /// When set and it becomes true, every request still running ends within about 100 ms as
  /// interrupted, and none is started any more: a daemon that stops does not wait for a
  /// silent provider. The flag must outlive the call.
  const std::atomic<bool>* cancel = nullptr;
  /// Where the proxy variables (https_proxy, no_proxy, ...) are read; empty: the process
  /// environment.
  EnvLookup environment;
  /// When set, called from the waiting loop at least every 100 ms with the indices of the
  /// requests that have not finished (never empty): progress for a person watching. It must
  /// be quick and must not throw.
  std::function<void(const std::vector<std::size_t>& unfinished)> on_waiting;
};

/// Runs all requests at once and returns their outcomes in request order. Transient
/// failures (connect errors, interrupted answers, 502/503/504) are retried once if the
/// request allows it and its budget has room. Redirects are never followed; TLS is always
/// verified.
std::vector<HttpOutcome> perform_requests(const std::vector<HttpRequest>& requests,
                                          const HttpOptions& options);

/// One request, on the same rules.
HttpOutcome perform_request(const HttpRequest& request, const HttpOptions& options);

}  // namespace devops_monitor
