// --listen HOST:PORT: the address serve binds, and whether it is reachable from this machine only.
#include <arpa/inet.h>

#include <charconv>

#include "serve/http_server.hpp"

namespace devops_monitor::serve {

namespace {

Error bad_listen_address(std::string_view text, std::string why) {
  return Error{"--listen: expected HOST:PORT (127.0.0.1:9877, [::1]:9877)", std::move(why),
               "got '" + std::string(text) + "'"};
}

bool listen_ipv4_literal(const std::string& host) {
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool listen_ipv6_literal(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

// A host name as RFC 1123 allows it: letters, digits, '-' and '.'; the resolver does the rest.
bool listen_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '-' || host.front() == '.') {
    return false;
  }
  for (const char c : host) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool ListenAddress::loopback() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
  if (text.size() > 300) return bad_listen_address(text.substr(0, 64), "too long");
  ListenAddress address;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos)
      return bad_listen_address(text, "no ']' after the IPv6 address");
    address.host = std::string(text.substr(1, close - 1));
    if (!listen_ipv6_literal(address.host))
      return bad_listen_address(text, "not an IPv6 address in [...]");
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return bad_listen_address(text, "no ':PORT' after ']'");
    }
    port_text = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad_listen_address(text, "no ':PORT'");
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      return bad_listen_address(text, "an IPv6 address goes in brackets: [::1]:9877");
    }
    // ":9877" is every address, IPv4 and IPv6, as node_exporter's --web.listen-address has it.
    if (!address.host.empty() && !listen_ipv4_literal(address.host) &&
        !listen_host_name(address.host)) {
      return bad_listen_address(text, "not an IPv4 address or a host name");
    }
  }
  int port = -1;
  const auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return bad_listen_address(text, "the port must be a number from 0 to 65535");
  }
  address.port = port;
  return address;
}

}  // namespace devops_monitor::serve
