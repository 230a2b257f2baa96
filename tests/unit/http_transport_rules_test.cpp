// The rules every request obeys before anything is sent.
#include "http/transport_rules.hpp"

#include <gtest/gtest.h>

namespace devops_monitor {
namespace {

const std::string kRulesCanary = "CANARY-rules-key-not-real-7e6d5c4b";

TEST(HttpRules, OnlyHttpsAndHttpSchemes) {
  for (const std::string scheme : {"ftp", "gopher", "ssh", "ws", "smtp", "dict"}) {
    const Result<Url> url = check_url(scheme + "://example.test/" + kRulesCanary);
    ASSERT_FALSE(url.ok()) << scheme;
    EXPECT_EQ(url.error().message(),
              "invalid URL: scheme " + scheme + " is not allowed (only https and http)");
  }
  EXPECT_EQ(check_url("file:///etc/passwd").error().message(),
            "invalid URL: scheme file is not allowed (only https and http)");
  EXPECT_TRUE(check_url("https://example.test/").ok());
  EXPECT_TRUE(check_url("http://127.0.0.1/").ok());
}

TEST(HttpRules, NoUserOrPasswordInTheUrl) {
  for (const std::string& given : std::vector<std::string>{
           "https://user:" + kRulesCanary + "@example.test/",
           "https://" + kRulesCanary + "@example.test/", "http://:" + kRulesCanary + "@127.0.0.1/",
           "https://@example.test/"}) {
    const Result<Url> url = check_url(given);
    ASSERT_FALSE(url.ok()) << given;
    EXPECT_EQ(url.error().message(),
              "invalid URL: it carries a user name or password (send credentials in a header)");
  }
}

TEST(HttpRules, PlainHttpOnlyToLoopbackWhateverTheRequestCarries) {
  struct Case {
    std::string url;
    bool allowed;
  };
  for (const Case& c : std::vector<Case>{{"http://127.0.0.1:8080/v1", true},
                                         {"http://127.1/v1", true},
                                         {"http://LOCALHOST/v1", true},
                                         {"http://[::1]/v1", true},
                                         {"http://[::ffff:127.0.0.1]/v1", true},
                                         {"127.0.0.2:8080/v1", true},   // https, not http
                                         {"example.invalid/v1", true},  // https
                                         {"https://api.example.test/v1", true},
                                         {"http://localhost./v1", false},
                                         {"http://api.example.test/v1", false},
                                         {"http://10.0.0.1/v1", false},
                                         {"http://0.0.0.0/v1", false}}) {
    const Result<Url> url = check_url(c.url);
    ASSERT_TRUE(url.ok()) << c.url;
    EXPECT_EQ(check_plain_http(*url).ok(), c.allowed) << c.url;
  }
  EXPECT_EQ(check_plain_http(*check_url("http://api.example.test/v1")).error().message(),
            "refusing plain http to api.example.test: only loopback hosts are reached without "
            "TLS; use https");
}

TEST(HttpRules, RequestShape) {
  EXPECT_TRUE(check_request_shape({}).ok());
  for (const char* method : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) {
    EXPECT_TRUE(check_request_shape({.method = method}).ok()) << method;
  }
  EXPECT_EQ(check_request_shape({.method = "TRACE"}).error().message(),
            "invalid HTTP request: unsupported method TRACE (GET, HEAD, POST, PUT, PATCH or "
            "DELETE)");
  EXPECT_EQ(check_request_shape({.method = "get"}).error().detail.rfind("unsupported", 0), 0u)
      << "methods are case-sensitive";
  EXPECT_EQ(check_request_shape({.method = "GET", .body = "{}"}).error().message(),
            "invalid HTTP request: a GET request carries no body");
  EXPECT_FALSE(check_request_shape({.method = "HEAD", .body = "x"}).ok());
  EXPECT_TRUE(check_request_shape({.method = "DELETE", .body = "{}"}).ok());
}

TEST(HttpRules, HeadersCannotSmuggleLines) {
  const Result<void> crlf = check_request_shape(
      {.headers = {{"Authorization", "Bearer " + kRulesCanary + "\r\nX-Evil: 1"}}});
  ASSERT_FALSE(crlf.ok());
  EXPECT_EQ(crlf.error().message(),
            "invalid HTTP request: the value of header Authorization contains a line break or NUL");
  EXPECT_FALSE(check_request_shape({.headers = {{"X-Key", kRulesCanary + "\n"}}}).ok());
  EXPECT_FALSE(check_request_shape({.headers = {{"X-Key", std::string("a\0b", 3)}}}).ok());
  const Result<void> name = check_request_shape({.headers = {{"Bad Name", "x"}}});
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().message(), "invalid HTTP request: a header name is not a valid token");
  EXPECT_TRUE(check_request_shape({.headers = {{"x-api-key", kRulesCanary}}}).ok());
}

}  // namespace
}  // namespace devops_monitor
