#include "http/url.hpp"

#include <curl/curl.h>

#include <memory>

namespace devops_monitor {
namespace {

struct CurlUrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

}  // namespace

UrlParts parse_url(const std::string& url) {
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  UrlParts parts;
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return parts;
  }
  auto get = [&](CURLUPart part) {
    char* value = nullptr;
    std::string text;
    if (curl_url_get(handle.get(), part, &value, 0) == CURLUE_OK && value != nullptr) text = value;
    curl_free(value);
    return text;
  };
  parts.scheme = get(CURLUPART_SCHEME);
  parts.host = get(CURLUPART_HOST);
  return parts;
}

std::string url_host(const std::string& url) {
  return parse_url(url).host;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8 written as a dotted quad.
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

}  // namespace devops_monitor
