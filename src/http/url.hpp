// URLs as libcurl reads them. One parser for the rules and for the transfer: the URL a rule
// approves is, character for character, the URL libcurl is given, so libcurl has nothing
// left to guess (a scheme, a host written as 127.1).
#pragma once

#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

struct Url {
  std::string text;              // normalised: what libcurl is given
  std::string scheme;            // lowercase
  std::string host;              // normalised: 127.1 -> 127.0.0.1, IPv6 in brackets; "" for file:
  std::string port;              // as written; "" when the URL names none
  bool has_credentials = false;  // a user (even empty) or password before '@'
};

/// Parses `url` with curl_url. Without a scheme it is https, never a guess at http.
/// The error names the problem and never quotes the URL: people paste keys into URLs.
Result<Url> parse_url(std::string_view url);

/// The host part of a URL ("" when it does not parse), e.g. of a Location header.
std::string url_host(std::string_view url);

/// True when traffic to `host` (as parse_url normalises it) cannot leave this machine:
///   "localhost" in any case (libcurl resolves it itself, never through DNS),
///   127.0.0.0/8, [::1], and IPv4-mapped [::ffff:127.x.y.z].
/// Not "localhost." or "*.localhost" (the system resolver decides those), not 0.0.0.0, not
/// the IPv4-compatible [::127.0.0.1].
bool is_loopback_host(std::string_view host);

}  // namespace devops_monitor
