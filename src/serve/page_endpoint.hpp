// serve's `/`: which range a request asks for, and the headers the status page is sent with.
// Pure; the page itself is rendered (and cached per range until the next key round) by
// metrics_server.cpp, off the /metrics path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/status_page.hpp"
#include "serve/http_server.hpp"

namespace devops_monitor::serve {

/// The page has no script and fetches nothing: everything else is refused by the browser.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

/// The range in a query ("range=30d", among other parameters); 7d without one; nullopt when
/// the value is none of 24h, 7d, 30d, 90d.
std::optional<PageRange> page_range_of_query(std::string_view query);

/// 200 text/html with the Content-Security-Policy and no caching (X-Content-Type-Options, as
/// every answer, comes from the server).
HttpAnswer page_answer(std::string html);

/// 400 naming the ranges there are.
HttpAnswer bad_range_answer();

}  // namespace devops_monitor::serve
