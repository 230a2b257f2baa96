// serve's inputs: --listen addresses, node_exporter's web config file, and the pieces of basic
// auth that are pure (header parsing, base64, comparison).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "serve/basic_auth.hpp"
#include "serve/http_server.hpp"
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

TEST(ServeWebConfig, EmptyFileMeansPlainHttpWithoutAuth) {
  for (const char* empty : {"", "# nothing\n", "---\n"}) {
    const auto config = parse_web_config(empty, "web.yml", ".");
    ASSERT_TRUE(config) << config.error().message();
    EXPECT_FALSE(config->tls.has_value());
    EXPECT_TRUE(config->basic_auth_users.empty());
  }
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
  EXPECT_EQ(missing.error().where, (dir / "missing.pem").string());
  EXPECT_NE(missing.error().detail.find("No such file"), std::string::npos);
}

TEST(ServeWebConfig, UntrustedFileIsRefused) {
  TempDir dir;
  write_text(dir / "web.yml", "basic_auth_users:\n  p: " + kWebConfigTestHash + "\n");
  ASSERT_EQ(chmod((dir / "web.yml").c_str(), 0666), 0);
  const auto config = load_web_config(dir / "web.yml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().what, "untrusted config file");
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

}  // namespace
}  // namespace devops_monitor::serve
