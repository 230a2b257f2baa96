// serve's inputs: --listen addresses, node_exporter's web config file, and the pieces of basic
// auth that are pure (header parsing, base64, comparison).
#include <crypt.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "serve/basic_auth.hpp"
#include "serve/http_server.hpp"
#include "serve/request_checks.hpp"
#include "support/must_run.hpp"
#include "support/process.hpp"

namespace devops_monitor::serve {
namespace {

using testing::TempDir;
using testing::write_text;

// A syntactically valid bcrypt hash (not of any password anyone uses).
const std::string kWebConfigTestHash = "$2y$10$" + std::string(53, 'a');

// ---- --listen --------------------------------------------------------------------------------

TEST(ServeListenAddress, AcceptsHostPortForms) {
  const auto v4 = parse_listen_address("127.0.0.1:9877");
  ASSERT_TRUE(v4) << v4.error().message();
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 9877);
  EXPECT_TRUE(v4->loopback());
  const auto v6 = parse_listen_address("[::1]:0");
  ASSERT_TRUE(v6) << v6.error().message();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_TRUE(v6->loopback());
  const auto any = parse_listen_address("0.0.0.0:9100");
  ASSERT_TRUE(any);
  EXPECT_FALSE(any->loopback());
  const auto any6 = parse_listen_address("[::]:9100");
  ASSERT_TRUE(any6);
  EXPECT_FALSE(any6->loopback());
  const auto name = parse_listen_address("localhost:9877");
  ASSERT_TRUE(name);
  EXPECT_TRUE(name->loopback());
  EXPECT_TRUE(parse_listen_address("127.1.2.3:1")->loopback());
  EXPECT_FALSE(parse_listen_address("monitor.example.org:9877")->loopback());
}

TEST(ServeListenAddress, APortAloneIsEveryAddress) {
  const auto every = parse_listen_address(":9877");
  ASSERT_TRUE(every) << every.error().message();
  EXPECT_EQ(every->host, "") << "node_exporter's :9100 means every address, IPv4 and IPv6";
  EXPECT_EQ(every->port, 9877);
  EXPECT_FALSE(every->loopback());
}

TEST(ServeListenAddress, RefusesWhatIsNotHostPort) {
  for (const char* bad : {"", "9877", ":", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                          "127.0.0.1:-1", "127.0.0.1:98x", "::1:9877", "[::1]9877", "[::1:9877",
                          "[127.0.0.1]:9877", "bad_host:1", "a b:1", "-x:1"}) {
    const auto parsed = parse_listen_address(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().what.rfind("--listen: expected HOST:PORT", 0), 0u) << bad;
    EXPECT_EQ(parsed.error().where, "got '" + std::string(bad) + "'");
  }
}

// ---- web config ------------------------------------------------------------------------------

TEST(ServeWebConfig, ReadsTlsAndUsersWithRelativePathsFromTheFilesDirectory) {
  const std::string yaml =
      "# node_exporter's format\n"
      "tls_server_config:\n"
      "  cert_file: tls/server.crt\n"
      "  key_file: /etc/keys/server.key\n"
      "  min_version: TLS13\n"
      "http_server_config:\n"
      "  http2: false\n"
      "basic_auth_users:\n"
      "  prometheus: " +
      kWebConfigTestHash +
      "\n"
      "  \"other\": '" +
      kWebConfigTestHash + "'\n";
  const auto config = parse_web_config(yaml, "/etc/dm/web.yml", "/etc/dm");
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_TRUE(config->tls.has_value());
  EXPECT_EQ(config->tls->cert_file, "/etc/dm/tls/server.crt");
  EXPECT_EQ(config->tls->key_file, "/etc/keys/server.key");
  EXPECT_EQ(config->tls->min_version, "TLS13");
  EXPECT_EQ(config->basic_auth_users.size(), 2u);
  EXPECT_EQ(config->basic_auth_users.at("prometheus"), kWebConfigTestHash);
}

TEST(ServeWebConfig, AnEmptyFileIsRefusedNotPlainHttp) {
  // Empty would mean neither TLS nor auth: a file truncated by a failed deploy must not turn
  // both off. Without --web-config serve speaks plain HTTP, so nothing is lost by refusing.
  for (const char* empty : {"", "# nothing\n", "---\n", "\n\n# only comments\n# here\n"}) {
    const auto config = parse_web_config(empty, "web.yml", ".");
    ASSERT_FALSE(config) << empty;
    EXPECT_EQ(config.error().what, "invalid web config");
    EXPECT_EQ(config.error().where, "web.yml:1");
    EXPECT_NE(config.error().detail.find("the file holds no settings"), std::string::npos)
        << config.error().message();
  }
  // Found by fuzz/web_config_fuzz.cpp: yaml-cpp's LoadAll never returned on it.
  const char kEndlessDocuments[] =
      "# on\n,LLLLbasi#c_\0\nuth_\x1e"
      "erEs\xccus:\xb6";
  EXPECT_FALSE(parse_web_config(std::string(kEndlessDocuments, sizeof kEndlessDocuments - 1),
                                "web.yml", "."));
}

struct RefusedWebConfig {
  std::string yaml;
  std::string where;   // file:line:column
  std::string detail;  // a part of it
};

TEST(ServeWebConfig, RefusesWhatItDoesNotSupportNamingFileAndLine) {
  const std::vector<RefusedWebConfig> cases{
      {"tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  client_cert: x\n",
       "web.yml:4:3", "unknown key 'client_cert' in tls_server_config"},
      {"tls_server_config:\n  cert_file: a.crt\n  client_ca_file: ca.crt\n  key_file: a.key\n",
       "web.yml:3:3", "'client_ca_file' in tls_server_config is not supported"},
      {"tls_server_config:\n  key_file: a.key\n", "web.yml:1:1",
       "tls_server_config needs both cert_file and key_file"},
      {"tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n  min_version: TLS14\n",
       "web.yml:4:16", "must be TLS10, TLS11, TLS12 or TLS13"},
      {"\nbasic_auth_users:\n  admin: hunter2\n", "web.yml:3:10", "must be a bcrypt hash"},
      {"basic_auth_users:\n  'a:b': " + kWebConfigTestHash + "\n", "web.yml:2:3",
       "cannot contain ':'"},
      {"http_server_config:\n  headers:\n    X-Frame-Options: deny\n", "web.yml:2:3",
       "'headers' in http_server_config is not supported"},
      {"tls_config:\n  cert_file: a\n", "web.yml:1:1", "unknown key 'tls_config'"},
      {"- a\n- b\n", "web.yml:1:1", "expected a mapping"},
  };
  for (const RefusedWebConfig& refused : cases) {
    const auto config = parse_web_config(refused.yaml, "web.yml", "/d");
    ASSERT_FALSE(config) << refused.yaml;
    EXPECT_EQ(config.error().what, "invalid web config") << refused.yaml;
    EXPECT_EQ(config.error().where, refused.where) << config.error().message();
    EXPECT_NE(config.error().detail.find(refused.detail), std::string::npos)
        << config.error().message();
    EXPECT_EQ(config.error().message().find('\n'), std::string::npos);
  }
}

TEST(ServeWebConfig, RefusesWhatWouldTurnAuthOrTlsOffSilently) {
  const std::string users = "basic_auth_users:\n  prometheus: " + kWebConfigTestHash + "\n";
  const std::string tls = "tls_server_config:\n  cert_file: a.crt\n  key_file: a.key\n";
  const std::vector<RefusedWebConfig> cases{
      {users + "basic_auth_users:\n", "web.yml:3:1",
       "duplicate key 'basic_auth_users' (first on line 1)"},
      {users + "basic_auth_users: {}\n", "web.yml:3:1", "duplicate key 'basic_auth_users'"},
      {"basic_auth_users: {}\n", "web.yml:1:19", "basic_auth_users lists no users"},
      {"basic_auth_users: ~\n", "web.yml:1:1", "basic_auth_users lists no users"},
      {"basic_auth_users:\n", "web.yml:1:1", "basic_auth_users lists no users"},
      {"basic_auth_users:\n# nobody yet\n", "web.yml:1:1", "basic_auth_users lists no users"},
      {users + "  prometheus: " + kWebConfigTestHash + "\n", "web.yml:3:3",
       "duplicate key 'prometheus' (first on line 2)"},
      {tls + "  key_file: b.key\n", "web.yml:4:3", "duplicate key 'key_file' (first on line 3)"},
      {tls + "tls_server_config:\n  cert_file: b.crt\n  key_file: b.key\n", "web.yml:4:1",
       "duplicate key 'tls_server_config'"},
      {"http_server_config:\n  http2: true\n  http2: false\n", "web.yml:3:3",
       "duplicate key 'http2'"},
      {tls + "  min_version: TLS13\n  max_version: TLS12\n", "web.yml:5:16",
       "min_version TLS13 is newer than max_version TLS12"},
      {tls + "  max_version: TLS11\n", "web.yml:4:16",
       "min_version TLS12 (the default) is newer than max_version TLS11"},
      {users + "---\n" + tls, "web.yml:3:1", "more than one YAML document"},
  };
  for (const RefusedWebConfig& refused : cases) {
    const auto config = parse_web_config(refused.yaml, "web.yml", "/d");
    ASSERT_FALSE(config) << refused.yaml;
    EXPECT_EQ(config.error().what, "invalid web config") << refused.yaml;
    EXPECT_EQ(config.error().where, refused.where) << config.error().message();
    EXPECT_NE(config.error().detail.find(refused.detail), std::string::npos)
        << config.error().message();
    EXPECT_EQ(config.error().message().find('\n'), std::string::npos);
  }
  const auto crossed_but_fine = parse_web_config(
      tls + "  min_version: TLS10\n  max_version: TLS11\n" + users, "web.yml", "/d");
  EXPECT_TRUE(crossed_but_fine) << crossed_but_fine.error().message();
}

TEST(ServeWebConfig, RefusesBcryptCostsBelowTenAndMixedCosts) {
  const std::string cost4 = "$2b$04$" + std::string(53, 'b');
  const std::string cost12 = "$2b$12$" + std::string(53, 'c');
  const auto weak = parse_web_config("basic_auth_users:\n  ops: " + cost4 + "\n", "web.yml", ".");
  ASSERT_FALSE(weak);
  EXPECT_EQ(weak.error().where, "web.yml:2:8");
  EXPECT_NE(weak.error().detail.find("'ops' has cost 4, below 10"), std::string::npos)
      << weak.error().message();
  EXPECT_NE(weak.error().detail.find("htpasswd -nBC 10"), std::string::npos) << "says how";
  EXPECT_EQ(weak.error().message().find(cost4), std::string::npos) << "never the hash";
  const auto mixed = parse_web_config(
      "basic_auth_users:\n  a: " + kWebConfigTestHash + "\n  b: " + cost12 + "\n", "web.yml", ".");
  ASSERT_FALSE(mixed);
  EXPECT_EQ(mixed.error().where, "web.yml:3:6");
  EXPECT_NE(mixed.error().detail.find("'b' has cost 12 and that of 'a' 10"), std::string::npos)
      << mixed.error().message();
  const auto same = parse_web_config(
      "basic_auth_users:\n  a: " + cost12 + "\n  b: '" + cost12 + "'\n", "web.yml", ".");
  EXPECT_TRUE(same) << same.error().message();
}

TEST(ServeWebConfig, BadYamlNamesFileAndLine) {
  const auto config = parse_web_config("basic_auth_users:\n  a: [unclosed\n", "web.yml", ".");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().what, "web config syntax error");
  EXPECT_EQ(config.error().where.rfind("web.yml:", 0), 0u) << config.error().where;
  EXPECT_NE(config.error().where, "web.yml");
  EXPECT_EQ(config.error().message().find('\n'), std::string::npos);
  EXPECT_FALSE(parse_web_config(std::string(100, '['), "web.yml", "."));
}

TEST(ServeWebConfig, LoadResolvesPathsAndNeedsReadableTlsFiles) {
  TempDir dir;
  write_text(dir / "cert.pem", "x");
  write_text(dir / "key.pem", "x");
  write_text(dir / "web.yml", "tls_server_config:\n  cert_file: cert.pem\n  key_file: ./key.pem\n");
  const auto config = load_web_config(dir / "web.yml");
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->tls->cert_file, dir / "cert.pem");
  EXPECT_EQ(config->tls->key_file, dir / "key.pem");

  write_text(dir / "web.yml",
             "tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n");
  const auto missing = load_web_config(dir / "web.yml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().what, "cannot read TLS certificate file");
  EXPECT_EQ(missing.error().where, (dir / "missing.pem").string());
  EXPECT_NE(missing.error().detail.find("No such file"), std::string::npos);
}

TEST(ServeWebConfig, TlsFilesGetTheWebConfigsTrustRules) {
  TempDir dir;
  write_text(dir / "cert.pem", "x");
  write_text(dir / "key.pem", "x");
  ASSERT_EQ(chmod((dir / "key.pem").c_str(), 0600), 0);
  write_text(dir / "web.yml", "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
  ASSERT_TRUE(load_web_config(dir / "web.yml"));
  // Anyone who can write the key or the certificate can be this server.
  ASSERT_EQ(chmod((dir / "key.pem").c_str(), 0666), 0);
  const auto key = load_web_config(dir / "web.yml");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().what, "untrusted TLS key file");
  EXPECT_EQ(key.error().where, (dir / "key.pem").string());
  EXPECT_NE(key.error().detail.find("world-writable"), std::string::npos) << key.error().message();
  ASSERT_EQ(chmod((dir / "key.pem").c_str(), 0600), 0);
  ASSERT_EQ(chmod((dir / "cert.pem").c_str(), 0620), 0);
  const auto cert = load_web_config(dir / "web.yml");
  ASSERT_FALSE(cert);
  EXPECT_EQ(cert.error().what, "untrusted TLS certificate file");
  EXPECT_EQ(cert.error().where, (dir / "cert.pem").string());
  ASSERT_EQ(chmod((dir / "cert.pem").c_str(), 0644), 0);
  // A directory others may write is as bad: they could swap the key.
  std::filesystem::create_directory(dir / "open");
  write_text(dir / "open" / "key.pem", "x");
  ASSERT_EQ(chmod((dir / "open").c_str(), 0777), 0);
  write_text(dir / "web.yml",
             "tls_server_config:\n  cert_file: cert.pem\n  key_file: open/key.pem\n");
  const auto open = load_web_config(dir / "web.yml");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().what, "untrusted TLS key file");
  EXPECT_NE(open.error().detail.find("its directory"), std::string::npos) << open.error().message();
}

TEST(ServeWebConfig, UntrustedFileIsRefused) {
  TempDir dir;
  write_text(dir / "web.yml", "basic_auth_users:\n  p: " + kWebConfigTestHash + "\n");
  ASSERT_EQ(chmod((dir / "web.yml").c_str(), 0666), 0);
  const auto config = load_web_config(dir / "web.yml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().what, "untrusted web config file");
  EXPECT_NE(config.error().detail.find("world-writable"), std::string::npos)
      << config.error().message();
  if (geteuid() != 0) DEVOPS_MONITOR_SKIP_OR_FAIL("needs root to give the file to another user");
  {
    ASSERT_EQ(chmod((dir / "web.yml").c_str(), 0644), 0);
    ASSERT_EQ(chown((dir / "web.yml").c_str(), 4242, 4242), 0);
    const auto foreign = load_web_config(dir / "web.yml");
    ASSERT_FALSE(foreign);
    EXPECT_NE(foreign.error().detail.find("owned by uid 4242"), std::string::npos);
  }
}

// ---- basic auth, the pure parts --------------------------------------------------------------

TEST(ServeBasicAuth, ParsesTheAuthorizationHeader) {
  // "prometheus:s3cret:with:colons"
  const auto parsed = parse_basic_authorization("Basic cHJvbWV0aGV1czpzM2NyZXQ6d2l0aDpjb2xvbnM=");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "prometheus");
  EXPECT_EQ(parsed->second, "s3cret:with:colons");
  EXPECT_TRUE(parse_basic_authorization("basic dTpw"));  // "u:p", scheme without case
  EXPECT_FALSE(parse_basic_authorization(""));
  EXPECT_FALSE(parse_basic_authorization("Bearer dTpw"));
  EXPECT_FALSE(parse_basic_authorization("Basic dXNlcg=="));  // "user": no colon
  EXPECT_FALSE(parse_basic_authorization("Basic dTpw!"));
  EXPECT_FALSE(parse_basic_authorization("Basic dT=w"));
}

TEST(ServeBasicAuth, Base64AndConstantTimeCompare) {
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_EQ(decode_base64("Zg=="), "f");
  EXPECT_EQ(decode_base64("Zm8="), "fo");
  EXPECT_EQ(decode_base64("Zm9v"), "foo");
  EXPECT_FALSE(decode_base64("Zm9"));
  EXPECT_FALSE(decode_base64("Z==="));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

// ---- request headers ---------------------------------------------------------------------

TEST(ServeRequestChecks, PassesWhatClientsSend) {
  EXPECT_EQ(refused_header_reason({}), std::nullopt);
  EXPECT_EQ(refused_header_reason({{"Host", "127.0.0.1:9877"},
                                   {"User-Agent", "Prometheus/2.42.0"},
                                   {"Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1"},
                                   {"Authorization", "Basic dTpw"},
                                   {"X-Prometheus-Scrape-Timeout-Seconds", "10"},
                                   {"Content-Length", "0"},
                                   {"Range", "bytes=0-,0-"},
                                   {"X-Tab", "a\tb"}}),
            std::nullopt);
}

TEST(ServeRequestChecks, RefusesWhatTwoParsersCouldReadTwoWays) {
  const std::vector<std::vector<HeaderField>> refused{
      {{"Content-Length ", "40"}},          // "Content-Length : 40" as libmicrohttpd parses it
      {{"X-Folded second part", "first"}},  // a folded line, joined onto the name
      {{"", "v"}},
      {{"X(y)", "v"}},
      {{"X-A", "a\rb"}},
      {{"X-A", std::string_view("a\0b", 3)}},
      {{"Host", "a"}, {"host", "b"}},
      {{"Authorization", "Basic dTpw"}, {"Authorization", "Basic dTpx"}},
      {{"Content-Length", "0"}, {"Content-Length", "40"}},
      {{"Content-Length", "0"}, {"content-length", "0"}},
      {{"Content-Length", "40"}},
      {{"Transfer-Encoding", "chunked"}},
  };
  for (const auto& headers : refused) {
    const auto why = refused_header_reason(headers);
    const std::string name(headers.front().name);
    ASSERT_TRUE(why) << name << ": " << headers.front().value;
    if (!name.empty()) {
      EXPECT_EQ(why->find(name), std::string_view::npos) << "repeats nothing sent: " << *why;
    }
  }
}

// ---- basic auth, the pure parts --------------------------------------------------------------

std::string web_config_test_base64(const std::string& text) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, text.size() - i);
    unsigned bits = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      bits = (bits << 8) | (j < n ? static_cast<unsigned char>(text[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kDigits[(bits >> (18 - 6 * j)) & 63] : '=');
    }
  }
  return out;
}

TEST(ServeBasicAuth, APasswordLongerThanBcryptReadsNeverMatches) {
  // bcrypt reads 72 bytes: 'A' * 72 + "JUNK" would otherwise pass for 'A' * 72. Cost 4 keeps
  // this quick (the web config refuses it; BasicAuth takes what it is given).
  const std::string password(72, 'A');
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), salt, data.get(), sizeof *data);
  ASSERT_NE(hash, nullptr);
  BasicAuth auth(std::map<std::string, std::string>{{"ops", hash}});
  const auto basic = [](const std::string& credentials) {
    return "Basic " + web_config_test_base64(credentials);
  };
  EXPECT_FALSE(auth.allows(basic("ops:" + password + "JUNK")));
  EXPECT_FALSE(auth.allows(basic("ops:" + password + "A")));
  EXPECT_TRUE(auth.allows(basic("ops:" + password)));
  EXPECT_EQ(auth.quick_check(basic("ops:" + password)), BasicAuth::Quick::allowed);
  EXPECT_EQ(auth.quick_check(basic("ops:" + password + "JUNK")), BasicAuth::Quick::needs_bcrypt)
      << "never remembered as a success";
  EXPECT_FALSE(auth.allows(basic("nobody:" + password)));
}

}  // namespace
}  // namespace devops_monitor::serve
