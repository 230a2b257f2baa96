// Which proxy a request goes through. The layer decides it from the environment itself,
// the way libcurl would, and hands libcurl the answer: so a proxy failure can be named as
// one, and no environment variable can send loopback traffic to a proxy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"
#include "http/url.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

struct Proxy {
  std::string url;      // normalised; what libcurl is given (may carry the proxy's password)
  std::string address;  // "host:port", for messages: never a user or password
};

/// The proxy the environment names for `target`, read as libcurl reads it:
///   https: https_proxy, then HTTPS_PROXY; http: http_proxy only (a CGI request can set
///   HTTP_PROXY through its Proxy header); then all_proxy, ALL_PROXY.
/// None when no_proxy (or NO_PROXY) matches the host, and never for a loopback host.
/// Empty variables count as unset. A proxy without a scheme is http://; its port defaults to
/// 1080 (443 for https://). A setting that does not parse, or whose scheme is not http,
/// https or socks, is an error naming the variable, never its value.
Result<std::optional<Proxy>> choose_proxy(const Url& target, const EnvLookup& environment);

/// libcurl's no_proxy rule: the whole list "*" matches everything; otherwise entries
/// separated by commas or blanks match a host name exactly or as a parent domain (leading
/// and trailing dots ignored, any case), or an IP address exactly or within a /bits range.
bool no_proxy_matches(std::string_view host, std::string_view no_proxy);

}  // namespace devops_monitor
