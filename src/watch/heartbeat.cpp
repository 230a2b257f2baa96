#include "watch/heartbeat.hpp"

#include <fmt/format.h>

#include "http/url.hpp"

namespace devops_monitor::watch {

HttpRequest heartbeat_request(const std::string& url) {
  return HttpRequest{.method = "GET",
                     .url = url,
                     .secrets = {url},
                     .timeout = kHeartbeatTimeout,
                     .retry_transient = false};
}

std::optional<std::string> heartbeat_problem(const HttpOutcome& outcome, const std::string& host) {
  // The detail is redacted by the HTTP layer (the URL is the request's secret); the host is
  // added here, since redaction hides it too.
  const std::string where = host.empty() ? std::string("heartbeat_url") : host;
  if (outcome.failure != TransportFailure::none) {
    return fmt::format("heartbeat to {} failed: {}", where, outcome.failure_detail);
  }
  const int status = outcome.http_status.value_or(0);
  if (status >= 200 && status < 300) return std::nullopt;
  return fmt::format("heartbeat to {} failed: HTTP {}", where, status);
}

std::optional<std::string> send_heartbeat(const Settings& settings,
                                          const std::atomic<bool>& cancel) {
  HttpOptions options;
  options.ca_bundle = settings.ca_bundle;
  options.max_body_bytes = 4096;  // a ping's answer says "OK"; nothing of it is kept
  options.cancel = &cancel;
  const HttpOutcome outcome = perform_request(heartbeat_request(settings.heartbeat_url), options);
  return heartbeat_problem(outcome, url_host(settings.heartbeat_url));
}

}  // namespace devops_monitor::watch
