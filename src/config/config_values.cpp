#include "config/config_values.hpp"

#include <algorithm>
#include <vector>

#include "devops_monitor/text.hpp"
#include "util/ascii.hpp"
#include "util/quote.hpp"

namespace devops_monitor {

bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

/// A TOML key as written, in single quotes; control characters escaped to keep one line.
std::string key_name(std::string_view key) {
  const std::string text = in_quotes(key);
  return "'" + text.substr(1, text.size() - 2) + "'";
}

bool valid_provider_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || ascii::is_digit(c) || c == '_' || c == '-';
  });
}

bool valid_env_var(std::string_view name) {
  if (name.empty() || !(ascii::is_alpha(name[0]) || name[0] == '_')) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return ascii::is_alpha(c) || ascii::is_digit(c) || c == '_'; });
}

/// RFC 9110 token: what a header name may be.
bool valid_header_name(std::string_view name) {
  return ascii::is_http_token(name);
}

/// "; did you mean 'x'?" for a near miss or an abbreviation of a known key, else "".
std::string suggestion(std::string_view unknown, std::span<const std::string_view> known) {
  const std::optional<std::string> near =
      closest_word(unknown, std::vector<std::string>(known.begin(), known.end()));
  return near ? "; did you mean " + key_name(*near) + "?" : "";
}

/// Why `url` is not an http(s) URL with a host, or nullopt when it is fine. The URL itself is
/// never quoted back: people paste keys into URLs.
std::optional<std::string> endpoint_problem(std::string_view url) {
  if (std::any_of(url.begin(), url.end(), [](char c) { return c == ' ' || is_control(c); })) {
    return "must not contain spaces or control characters";
  }
  const std::string scheme = ascii::lowercase(url.substr(0, url.find("://")));
  if (url.find("://") == std::string_view::npos || (scheme != "http" && scheme != "https")) {
    return "must be an http:// or https:// URL";
  }
  const std::string_view rest = url.substr(scheme.size() + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos) {
    return "must not carry user:password@ (keys go in the environment, not the URL)";
  }
  std::string_view host = authority;
  std::string_view port;
  if (host.starts_with('[')) {  // [IPv6]:port
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return "has an invalid IPv6 host";
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!host.empty() &&
        host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) {
      return "has an invalid IPv6 host";
    }
    if (!port.empty() && !port.starts_with(':')) return "has an invalid port";
    if (!port.empty()) port.remove_prefix(1);
  } else if (const std::size_t colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty()) return "has an invalid port";
  }
  if (host.empty()) return "has no host";
  if (!std::all_of(host.begin(), host.end(), [](char c) {
        return ascii::is_alpha(c) || ascii::is_digit(c) || c == '-' || c == '.' || c == '_' ||
               c == ':';
      })) {
    return "has an invalid host";
  }
  if (!port.empty()) {
    const bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), ascii::is_digit);
    if (!digits || std::stoi(std::string(port)) < 1 || std::stoi(std::string(port)) > 65535) {
      return "has an invalid port";
    }
  }
  return std::nullopt;
}

std::optional<std::string> webhook_url_problem(std::string_view url) {
  if (std::optional<std::string> problem = endpoint_problem(url)) return problem;
  if (ascii::lowercase(url.substr(0, url.find("://"))) == "https") return std::nullopt;
  // The HTTP layer refuses the same at send time; saying it here finds it before 3 a.m.
  const std::string_view rest = url.substr(url.find("://") + 3);
  std::string host = ascii::lowercase(rest.substr(0, rest.find_first_of("/?#")));
  if (host.starts_with('[')) {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  const bool loopback =
      host == "localhost" || host == "[::1]" ||
      (host.starts_with("127.") && host.find_first_not_of("0123456789.") == std::string::npos);
  if (loopback) return std::nullopt;
  return "must be an https:// URL (plain http only to a loopback host such as 127.0.0.1)";
}

}  // namespace devops_monitor
