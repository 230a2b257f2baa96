// The heartbeat: one GET after every completed check, to a dead man's switch (a
// healthchecks-style ping URL), so that a watch daemon that died is noticed. The URL's path
// and query usually hold the switch's token: only the host is ever named.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "devops_monitor/settings.hpp"
#include "http/http_client.hpp"

namespace devops_monitor::watch {

/// The whole ping, connection included: a slow switch must not hold up the deliveries queued
/// behind it for long.
inline constexpr Milliseconds kHeartbeatTimeout{10000};

/// One GET, never retried (the next check pings again), the URL a secret of the request.
HttpRequest heartbeat_request(const std::string& url);

/// Why the ping failed, as one log line naming the host only ("heartbeat to hc.example failed:
/// HTTP 500"); none when the switch answered 2xx.
std::optional<std::string> heartbeat_problem(const HttpOutcome& outcome, const std::string& host);

/// Sends the ping through the HTTP layer (its transport rules apply) and returns the problem,
/// if any. `cancel` ends it early when watch stops.
std::optional<std::string> send_heartbeat(const Settings& settings,
                                          const std::atomic<bool>& cancel);

}  // namespace devops_monitor::watch
