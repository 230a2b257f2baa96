// URL normalisation with libcurl's own parser, and which hosts count as loopback.
#include "http/url.hpp"

#include <gtest/gtest.h>

namespace devops_monitor {
namespace {

const std::string kUrlCanary = "CANARY-url-key-not-real-4b3c2d1e";

TEST(HttpUrl, WithoutASchemeItIsHttpsNeverAGuessAtHttp) {
  for (const auto& [given, expected] : std::vector<std::pair<std::string, std::string>>{
           {"127.0.0.2:8080/v1/models", "https://127.0.0.2:8080/v1/models"},
           {"example.invalid/v1", "https://example.invalid/v1"},
           {"localhost:8080/v1", "https://localhost:8080/v1"},
           {"api.openai.com/v1/models", "https://api.openai.com/v1/models"}}) {
    const Result<Url> url = parse_url(given);
    ASSERT_TRUE(url.ok()) << given << ": " << url.error().message();
    EXPECT_EQ(url->text, expected);
    EXPECT_EQ(url->scheme, "https");
  }
}

TEST(HttpUrl, NumericHostsAreNormalisedTheWayLibcurlConnects) {
  for (const std::string given : {"http://127.1/x", "http://0x7f.1/x", "http://0177.0.0.1/x",
                                  "http://2130706433/x", "HTTP://127.0.0.1/x"}) {
    const Result<Url> url = parse_url(given);
    ASSERT_TRUE(url.ok()) << given;
    EXPECT_EQ(url->host, "127.0.0.1") << given;
    EXPECT_EQ(url->text, "http://127.0.0.1/x") << given;
  }
  EXPECT_EQ(parse_url("http://[0:0:0:0:0:0:0:1]:8/x")->text, "http://[::1]:8/x");
}

TEST(HttpUrl, CredentialsAreNoticedEvenWhenEmpty) {
  EXPECT_TRUE(parse_url("https://user:pw@example.test/")->has_credentials);
  EXPECT_TRUE(parse_url("https://user@example.test/")->has_credentials);
  EXPECT_TRUE(parse_url("https://@example.test/")->has_credentials);
  EXPECT_TRUE(parse_url("http://127.0.0.1%2f@example.test/")->has_credentials);
  EXPECT_FALSE(parse_url("https://example.test/a@b")->has_credentials);
}

TEST(HttpUrl, ParseErrorsNameTheProblemAndNeverQuoteTheUrl) {
  for (const std::string& given : std::vector<std::string>{
           "https://exa mple.test/?key=" + kUrlCanary, "https://example.test:99999/" + kUrlCanary,
           "https://", "https://example.test/" + kUrlCanary + "\n",
           " https://example.test/" + kUrlCanary,
           std::string("https://example.test/\0", 22) + kUrlCanary}) {
    const Result<Url> url = parse_url(given);
    ASSERT_FALSE(url.ok()) << given;
    const std::string message = url.error().message();
    EXPECT_EQ(message.rfind("invalid URL: ", 0), 0u) << message;
    EXPECT_GT(message.size(), std::string("invalid URL: ").size()) << "names the problem";
    EXPECT_EQ(message.find("CANARY"), std::string::npos) << message;
    EXPECT_EQ(message.find("example"), std::string::npos) << message;
  }
  EXPECT_EQ(parse_url("https://exa mple.test/").error().message(), "invalid URL: bad hostname");
}

TEST(HttpUrl, LoopbackIsDecidedOnTheNormalisedHost) {
  struct Case {
    std::string url;
    bool loopback;
  };
  for (const Case& c : std::vector<Case>{
           {"http://localhost/", true},
           {"http://LOCALHOST/", true},  // host names have no case; curl resolves it itself
           {"http://LocalHost:8080/", true},
           {"http://127.0.0.1/", true},
           {"http://127.255.255.254/", true},
           {"http://127.1/", true},  // curl connects to 127.0.0.1
           {"http://0x7f.1/", true},
           {"http://2130706433/", true},
           {"http://[::1]/", true},
           {"http://[0:0:0:0:0:0:0:1]/", true},
           {"http://[::ffff:127.0.0.1]/", true},  // IPv4-mapped 127.0.0.1
           {"http://[::ffff:7f00:2]/", true},
           {"http://localhost./", false},  // resolved by DNS, not fixed
           {"http://LOCALHOST./", false},
           {"http://foo.localhost/", false},  // kept out: the rule stays one name
           {"http://localhost.example.test/", false},
           {"http://127.0.0.1.nip.io/", false},
           {"http://0.0.0.0/", false},
           {"http://128.0.0.1/", false},
           {"http://[::127.0.0.1]/", false},  // IPv4-compatible: not loopback
           {"http://[::ffff:10.0.0.1]/", false},
           {"http://[::]/", false},
           {"http://[fe80::1%25lo]/", false},
           {"http://api.example.test/", false}}) {
    const Result<Url> url = parse_url(c.url);
    ASSERT_TRUE(url.ok()) << c.url << ": " << url.error().message();
    EXPECT_EQ(is_loopback_host(url->host), c.loopback) << c.url << " -> " << url->host;
  }
}

TEST(HttpUrl, HostOfALocationHeader) {
  EXPECT_EQ(url_host("https://login.example.test/next"), "login.example.test");
  EXPECT_EQ(url_host("/relative/path"), "");
}

}  // namespace
}  // namespace devops_monitor
