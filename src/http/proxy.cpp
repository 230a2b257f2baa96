#include "http/proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::array<std::string_view, 6> kProxySchemes = {"http",    "https",  "socks4",
                                                           "socks4a", "socks5", "socks5h"};

/// The first of `names` that is set to something non-empty, with its name.
std::optional<std::pair<std::string, std::string>> first_set(
    const EnvLookup& environment, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    std::optional<std::string> value = environment(name);
    if (value && !value->empty()) return std::make_pair(std::string(name), *value);
  }
  return std::nullopt;
}

/// Whether the first `bits` bits of two addresses of `size` bytes agree.
bool prefix_matches(const unsigned char* a, const unsigned char* b, unsigned bits) {
  const unsigned bytes = bits / 8;
  if (std::memcmp(a, b, bytes) != 0) return false;
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (a[bytes] & mask) == (b[bytes] & mask);
}

/// `entry` ("10.0.0.0/8", "::1", "192.168.1.7") against an address of the same family.
bool address_matches(int family, const std::string& host, std::string_view entry) {
  const std::size_t slash = entry.find('/');
  const std::string address(entry.substr(0, slash));
  const unsigned max_bits = family == AF_INET ? 32 : 128;
  unsigned bits = max_bits;
  if (slash != std::string_view::npos) {
    bits = 0;
    for (char c : entry.substr(slash + 1)) {
      if (c < '0' || c > '9' || bits > max_bits) return false;
      bits = bits * 10 + static_cast<unsigned>(c - '0');
    }
    if (bits == 0 || bits > max_bits) bits = max_bits;  // as libcurl: /0 means the address
  }
  std::array<unsigned char, 16> want{};
  std::array<unsigned char, 16> have{};
  if (inet_pton(family, address.c_str(), want.data()) != 1) return false;
  if (inet_pton(family, host.c_str(), have.data()) != 1) return false;
  return prefix_matches(have.data(), want.data(), bits);
}

bool name_matches(std::string_view host, std::string_view entry) {
  if (!entry.empty() && entry.back() == '.') entry.remove_suffix(1);
  if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
  if (entry.empty()) return false;
  if (entry.size() == host.size()) return ascii::equals_ignoring_case(entry, host);
  // www.example.com matches example.com; nonexample.com does not.
  return entry.size() < host.size() && host[host.size() - entry.size() - 1] == '.' &&
         ascii::equals_ignoring_case(host.substr(host.size() - entry.size()), entry);
}

std::string default_port(const std::string& scheme) {
  return scheme == "https" ? "443" : "1080";
}

}  // namespace

bool no_proxy_matches(std::string_view host, std::string_view no_proxy) {
  std::string_view list = no_proxy;
  while (!list.empty() && ascii::is_space_or_tab(list.front())) list.remove_prefix(1);
  while (!list.empty() && ascii::is_space_or_tab(list.back())) list.remove_suffix(1);
  if (list.empty()) return false;
  if (list == "*") return true;

  int family = 0;
  std::string name(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
    family = AF_INET6;
  } else {
    in_addr v4{};
    if (inet_pton(AF_INET, name.c_str(), &v4) == 1) family = AF_INET;
    if (family == 0 && !name.empty() && name.back() == '.') name.pop_back();
  }

  std::size_t pos = 0;
  while (pos < list.size()) {
    const std::size_t end = list.find_first_of(", \t", pos);
    const std::string_view entry =
        list.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? list.size() : end + 1;
    if (entry.empty()) continue;
    const bool match =
        family == 0 ? name_matches(name, entry) : address_matches(family, name, entry);
    if (match) return true;
  }
  return false;
}

Result<std::optional<Proxy>> choose_proxy(const Url& target, const EnvLookup& environment) {
  // Loopback traffic never leaves the machine, so no setting sends it to a proxy.
  if (is_loopback_host(target.host)) return std::optional<Proxy>();
  const auto setting =
      target.scheme == "https"
          ? first_set(environment, {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"})
          : first_set(environment, {"http_proxy", "all_proxy", "ALL_PROXY"});
  if (!setting) return std::optional<Proxy>();
  if (const auto no_proxy = first_set(environment, {"no_proxy", "NO_PROXY"});
      no_proxy && no_proxy_matches(target.host, no_proxy->second)) {
    return std::optional<Proxy>();
  }

  const auto& [variable, value] = *setting;
  // libcurl reads a proxy without a scheme as http://, not as the https a bare URL gets.
  const bool has_scheme = value.find("://") != std::string::npos;
  Result<Url> url = parse_url(has_scheme ? value : "http://" + value);
  if (!url) return Error{"invalid proxy setting", url.error().detail, variable};
  if (std::find(kProxySchemes.begin(), kProxySchemes.end(), url->scheme) == kProxySchemes.end()) {
    return Error{"invalid proxy setting",
                 "scheme " + url->scheme + " is not a proxy scheme (http, https or socks)",
                 variable};
  }
  if (url->host.empty()) return Error{"invalid proxy setting", "no host", variable};
  const std::string port = url->port.empty() ? default_port(url->scheme) : url->port;
  return std::optional<Proxy>(Proxy{url->text, url->host + ":" + port});
}

}  // namespace devops_monitor
