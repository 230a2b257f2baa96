// Concurrent one-shot HTTP GETs through libcurl: the only place that talks to providers.
// It measures what happened and judges nothing about keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "devops_monitor/duration.hpp"

namespace devops_monitor {

struct ProbeRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  /// The key the request carries. Only used to refuse insecure transport and to redact
  /// it from everything that comes back; never logged.
  std::string secret;
  Milliseconds timeout{10000};  // the whole budget, retry included
};

/// Why a request produced no usable HTTP answer.
enum class TransportFailure {
  none,
  refused_insecure,  // a key would have gone over plain http to a non-loopback host
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
  std::string redirect_host;       // host named by Location on a 3xx
  std::string host;                // host of the request URL, for messages
  Milliseconds latency{0};         // duration of the last attempt
  Milliseconds budget{0};          // the time allowed (ProbeRequest::timeout)
  int attempts = 0;
  std::chrono::system_clock::time_point finished_at;  // when the last attempt ended
};

struct HttpOptions {
  std::string ca_bundle;  // empty: the system CA store
  std::size_t max_body_bytes = 1024 * 1024;
  std::string user_agent;
};

/// Runs all requests at once and returns their outcomes in request order. Transient
/// failures (connect errors, interrupted answers, 502/503/504) are retried once if the
/// request's budget allows. Redirects are never followed; TLS is always verified.
std::vector<HttpOutcome> run_probes(const std::vector<ProbeRequest>& requests,
                                    const HttpOptions& options);

/// The host part of a URL ("" when it does not parse).
std::string url_host(const std::string& url);

/// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host);

}  // namespace devops_monitor
