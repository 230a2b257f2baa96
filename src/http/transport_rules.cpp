#include "http/transport_rules.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::array<std::string_view, 6> kMethods = {"GET", "HEAD",  "POST",
                                                      "PUT", "PATCH", "DELETE"};

Error invalid_request(std::string detail) {
  return Error{"invalid HTTP request", std::move(detail), ""};
}

}  // namespace

Result<void> check_request_shape(const HttpRequest& request) {
  const std::string& method = request.method;
  if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) {
    // A method is not secret, but only a short token is worth repeating.
    const bool printable = ascii::is_http_token(method) && method.size() <= 16;
    return invalid_request("unsupported method" + (printable ? " " + method : std::string()) +
                           " (GET, HEAD, POST, PUT, PATCH or DELETE)");
  }
  if ((method == "GET" || method == "HEAD") && !request.body.empty()) {
    return invalid_request("a " + method + " request carries no body");
  }
  for (const auto& [name, value] : request.headers) {
    if (!ascii::is_http_token(name)) return invalid_request("a header name is not a valid token");
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return invalid_request("the value of header " + name + " contains a line break or NUL");
    }
  }
  return {};
}

Result<Url> check_url(const std::string& url) {
  Result<Url> parsed = parse_url(url);
  if (!parsed) return parsed;
  if (parsed->scheme != "http" && parsed->scheme != "https") {
    return Error{"invalid URL",
                 "scheme " + parsed->scheme + " is not allowed (only https and http)", ""};
  }
  if (parsed->has_credentials) {
    return Error{"invalid URL", "it carries a user name or password (send credentials in a header)",
                 ""};
  }
  return parsed;
}

Result<void> check_plain_http(const Url& url) {
  if (url.scheme != "http" || is_loopback_host(url.host)) return {};
  return Error{"refusing plain http to " + url.host,
               "only loopback hosts are reached without TLS; use https", ""};
}

}  // namespace devops_monitor
