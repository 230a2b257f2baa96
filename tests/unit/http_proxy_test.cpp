// Which proxy a request goes through, read from the environment the way libcurl reads it.
#include "http/proxy.hpp"

#include <gtest/gtest.h>

namespace devops_monitor {
namespace {

const std::string kProxyCanary = "CANARY-proxy-password-not-real-3a2b1c0d";

Url url(const std::string& text) {
  Result<Url> parsed = parse_url(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Url{};
}

/// The proxy address chosen for `target`, "" for none, or "error: <message>".
std::string chosen(const std::string& target, std::map<std::string, std::string> env) {
  const Result<std::optional<Proxy>> proxy = choose_proxy(url(target), environment_from(env));
  if (!proxy) return "error: " + proxy.error().message();
  return *proxy ? (*proxy)->address : "";
}

TEST(HttpProxy, HttpsReadsHttpsProxyThenAllProxy) {
  const std::string target = "https://api.example.test/v1";
  EXPECT_EQ(chosen(target, {}), "");
  EXPECT_EQ(chosen(target, {{"https_proxy", "http://p1.test:3128"}}), "p1.test:3128");
  EXPECT_EQ(chosen(target, {{"HTTPS_PROXY", "http://p2.test:3128"}}), "p2.test:3128");
  EXPECT_EQ(
      chosen(target, {{"https_proxy", "http://p1.test:1"}, {"HTTPS_PROXY", "http://p2.test:2"}}),
      "p1.test:1");
  EXPECT_EQ(chosen(target, {{"all_proxy", "http://p3.test:3"}}), "p3.test:3");
  EXPECT_EQ(chosen(target, {{"ALL_PROXY", "http://p4.test:4"}}), "p4.test:4");
  EXPECT_EQ(
      chosen(target, {{"https_proxy", "http://p1.test:1"}, {"all_proxy", "http://p3.test:3"}}),
      "p1.test:1");
  EXPECT_EQ(chosen(target, {{"http_proxy", "http://p5.test:5"}}), "")
      << "http_proxy is for http:// URLs";
  EXPECT_EQ(chosen(target, {{"https_proxy", ""}, {"all_proxy", "http://p3.test:3"}}), "p3.test:3")
      << "an empty variable is unset";
}

TEST(HttpProxy, HttpReadsOnlyLowercaseHttpProxy) {
  // HTTP_PROXY can be set by a web request's "Proxy:" header in CGI programs (httpoxy).
  const std::string target = "http://api.example.test/v1";
  EXPECT_EQ(chosen(target, {{"http_proxy", "http://p1.test:1"}}), "p1.test:1");
  EXPECT_EQ(chosen(target, {{"HTTP_PROXY", "http://p2.test:2"}}), "");
  EXPECT_EQ(chosen(target, {{"HTTP_PROXY", "http://p2.test:2"}, {"all_proxy", "http://p3.test:3"}}),
            "p3.test:3");
}

TEST(HttpProxy, LoopbackNeverGoesThroughAProxy) {
  const std::map<std::string, std::string> env = {{"http_proxy", "http://p.test:1"},
                                                  {"https_proxy", "http://p.test:1"},
                                                  {"all_proxy", "http://p.test:1"}};
  for (const char* target : {"http://127.0.0.1:8080/", "https://127.0.0.1/", "http://localhost/",
                             "https://LOCALHOST/", "http://[::1]/", "http://127.1/"}) {
    EXPECT_EQ(chosen(target, env), "") << target;
  }
  EXPECT_EQ(chosen("https://localhost./", env), "p.test:1") << "not loopback by our rule";
}

TEST(HttpProxy, NoProxyExcludesHosts) {
  const std::map<std::string, std::string> proxy = {{"https_proxy", "http://p.test:1"}};
  auto with = [&](const std::string& no_proxy, const char* name = "no_proxy") {
    auto env = proxy;
    env[name] = no_proxy;
    return env;
  };
  EXPECT_EQ(chosen("https://api.example.test/", with("example.test")), "");
  EXPECT_EQ(chosen("https://api.example.test/", with("example.test", "NO_PROXY")), "");
  EXPECT_EQ(chosen("https://api.example.test/", with("other.test")), "p.test:1");
  EXPECT_EQ(chosen("https://api.example.test/", with("*")), "");
  EXPECT_EQ(chosen("https://api.example.test/", with("")), "p.test:1");
}

TEST(HttpProxy, NoProxyMatchesLikeLibcurl) {
  struct Case {
    std::string host;
    std::string no_proxy;
    bool match;
  };
  for (const Case& c : std::vector<Case>{
           {"example.com", "example.com", true},
           {"www.example.com", "example.com", true},
           {"www.example.com", ".example.com", true},
           {"WWW.Example.COM", "example.com", true},
           {"example.com.", "example.com", true},
           {"example.com", "example.com.", true},
           {"nonexample.com", "example.com", false},
           {"example.com.evil.test", "example.com", false},
           {"a.test", "b.test, a.test", true},
           {"a.test", "b.test a.test", true},
           {"a.test", "b.test,,a.test", true},
           {"a.test", "  *  ", true},
           {"a.test", "b.test,*", false},  // as libcurl 7.88: "*" only as the whole list
           {"10.1.2.3", "10.0.0.0/8", true},
           {"11.1.2.3", "10.0.0.0/8", false},
           {"10.1.2.3", "10.1.2.3", true},
           {"10.1.2.3", "10.1.2.4", false},
           {"192.168.1.7", "192.168.1.0/24", true},
           {"10.1.2.3", "10.0.0.0", false},
           {"[fd00::1]", "fd00::/8", true},
           {"[fe80::1]", "fd00::/8", false},
           {"[::1]", "::1", true},
           {"10.1.2.3", "example.com", false},
           {"api.example.test", "10.0.0.0/8", false}}) {
    EXPECT_EQ(no_proxy_matches(c.host, c.no_proxy), c.match) << c.host << " / " << c.no_proxy;
  }
}

TEST(HttpProxy, AddressDefaultsLikeLibcurlAndNeverShowsCredentials) {
  const std::string target = "https://api.example.test/";
  EXPECT_EQ(chosen(target, {{"https_proxy", "p.test"}}), "p.test:1080");
  EXPECT_EQ(chosen(target, {{"https_proxy", "p.test:3128"}}), "p.test:3128");
  EXPECT_EQ(chosen(target, {{"https_proxy", "https://p.test"}}), "p.test:443");
  EXPECT_EQ(chosen(target, {{"https_proxy", "socks5h://p.test"}}), "p.test:1080");
  EXPECT_EQ(chosen(target, {{"https_proxy", "http://user:" + kProxyCanary + "@p.test:8080"}}),
            "p.test:8080");
  const Result<std::optional<Proxy>> proxy = choose_proxy(
      url(target), environment_from({{"https_proxy", "user:" + kProxyCanary + "@p.test:8080"}}));
  ASSERT_TRUE(proxy.ok() && proxy->has_value());
  EXPECT_EQ((*proxy)->url, "http://user:" + kProxyCanary + "@p.test:8080/")
      << "libcurl gets the credentials, with the scheme made explicit";
}

TEST(HttpProxy, BadSettingsNameTheVariableNeverTheValue) {
  const std::string target = "https://api.example.test/";
  EXPECT_EQ(
      chosen(target, {{"https_proxy", "http://user:" + kProxyCanary + "@exa mple.test:3128"}}),
      "error: invalid proxy setting: bad hostname (https_proxy)");
  EXPECT_EQ(chosen(target, {{"ALL_PROXY", "ftp://p.test:21"}}),
            "error: invalid proxy setting: scheme ftp is not a proxy scheme (http, https or "
            "socks) (ALL_PROXY)");
  EXPECT_EQ(chosen(target, {{"https_proxy", "http://p.test:99999"}}).rfind("error: ", 0), 0u);
}

}  // namespace
}  // namespace devops_monitor
