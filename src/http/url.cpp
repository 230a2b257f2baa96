#include "http/url.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>

#include "http/curl_library.hpp"
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl().url_cleanup(url); }
};

std::string part(CURLU* handle, CURLUPart which) {
  char* value = nullptr;
  std::string text;
  if (curl().url_get(handle, which, &value, 0) == CURLUE_OK && value != nullptr) text = value;
  curl().free(value);
  return text;
}

bool has_part(CURLU* handle, CURLUPart which) {
  char* value = nullptr;
  const bool present = curl().url_get(handle, which, &value, 0) == CURLUE_OK && value != nullptr;
  curl().free(value);
  return present;
}

/// curl's words for a parse error, as a detail ("bad hostname").
std::string parse_problem(CURLUcode code) {
  std::string text = curl().url_strerror(code);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' && (text.size() < 2 || text[1] > 'Z')) {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

bool is_loopback_v4(const in_addr& address) {
  return (ntohl(address.s_addr) >> 24) == 127;
}

}  // namespace

Result<Url> parse_url(std::string_view url) {
  const Error invalid{"invalid URL", "", ""};
  // The C API stops at a NUL: it would check a shorter URL than the one given.
  if (url.find('\0') != std::string_view::npos) {
    return Error{invalid.what, "it contains a NUL byte", ""};
  }
  if (Result<const CurlLibrary*> library = load_curl(); !library) return library.error();
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl().url());
  if (!handle) return Error{invalid.what, "out of memory", ""};
  const std::string text(url);
  const CURLUcode code = curl().url_set(handle.get(), CURLUPART_URL, text.c_str(),
                                        CURLU_DEFAULT_SCHEME | CURLU_NON_SUPPORT_SCHEME);
  if (code != CURLUE_OK) return Error{invalid.what, parse_problem(code), ""};
  Url parsed;
  parsed.text = part(handle.get(), CURLUPART_URL);
  parsed.scheme = part(handle.get(), CURLUPART_SCHEME);
  parsed.host = part(handle.get(), CURLUPART_HOST);
  parsed.port = part(handle.get(), CURLUPART_PORT);
  parsed.has_credentials =
      has_part(handle.get(), CURLUPART_USER) || has_part(handle.get(), CURLUPART_PASSWORD);
  return parsed;
}

std::string url_host(std::string_view url) {
  Result<Url> parsed = parse_url(url);
  return parsed ? parsed->host : std::string();
}

bool is_loopback_host(std::string_view host) {
  if (ascii::equals_ignoring_case(host, "localhost")) return true;
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return is_loopback_v4(v4);
  if (host.size() < 2 || host.front() != '[' || host.back() != ']') return false;
  const std::string inner = text.substr(1, text.size() - 2);
  in6_addr v6{};
  if (inet_pton(AF_INET6, inner.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  if (!IN6_IS_ADDR_V4MAPPED(&v6)) return false;
  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d: on Linux it reaches 127/8 over loopback.
  in_addr mapped{};
  std::memcpy(&mapped.s_addr, &v6.s6_addr[12], sizeof mapped.s_addr);
  return is_loopback_v4(mapped);
}

}  // namespace devops_monitor
