// URLs as libcurl reads them: one parser, so the host a rule checks is the host curl uses.
#pragma once

#include <string>

namespace devops_monitor {

struct UrlParts {
  std::string scheme;
  std::string host;
};

/// The scheme and host of a URL (both empty when it does not parse).
UrlParts parse_url(const std::string& url);

/// The host part of a URL ("" when it does not parse).
std::string url_host(const std::string& url);

/// True for "localhost", 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host);

}  // namespace devops_monitor
