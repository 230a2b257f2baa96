// serve's embedded HTTP(S) server, in this process on 127.0.0.1 with a test handler: methods,
// TLS with a certificate made at test time, basic auth (answers and timing), and the limits
// that keep one client from costing the others. Every server here is stopped by its destructor,
// within a second, also when an assertion fails first; every raw socket has a receive timeout.
#include <arpa/inet.h>
#include <crypt.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "serve/http_server.hpp"
#include "support/must_run.hpp"
#include "support/process.hpp"
#include "support/raw_http.hpp"

namespace devops_monitor::serve {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::http_status_of;
using testing::RawConnection;
using testing::RunOptions;
using testing::TempDir;

const std::string kServeMetricsBody = "# a body\nserve_test_metric 1\n";

// A response header far longer than any the server writes itself.
const std::string kLongHeaderValue(1500, 'h');

HttpAnswer serve_test_handler(std::string_view path, std::string_view /*query*/) {
  if (path == "/metrics")
    return {200, "text/plain; version=0.0.4; charset=utf-8", kServeMetricsBody};
  if (path == "/long-header")
    return {200, "text/plain; charset=utf-8", kServeMetricsBody, {{"X-Long", kLongHeaderValue}}};
  return {404, "text/plain; charset=utf-8", "not found\n"};
}

std::unique_ptr<HttpServer> start_serve_test_server(const WebConfig& web = {},
                                                    ServerLimits limits = {}) {
  auto started = HttpServer::start(ListenAddress{"127.0.0.1", 0}, web, serve_test_handler, limits);
  if (!started) ADD_FAILURE() << started.error().message();
  return started ? std::move(started.value()) : nullptr;
}

httplib::Client serve_test_client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(3));
  client.set_read_timeout(std::chrono::seconds(3));
  return client;
}

TEST(ServeHttp, GetHeadAndOtherMethods) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  ASSERT_GT(server->port(), 0);
  auto client = serve_test_client(server->port());

  auto get = client.Get("/metrics");
  ASSERT_TRUE(get) << httplib::to_string(get.error());
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, kServeMetricsBody);
  EXPECT_EQ(get->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(get->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(get->has_header("Accept-Ranges")) << "no Range support, none announced";

  auto head = client.Head("/metrics");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(kServeMetricsBody.size()));
  EXPECT_EQ(head->get_header_value("Content-Type"), get->get_header_value("Content-Type"));
  EXPECT_EQ(head->get_header_value("X-Content-Type-Options"), "nosniff");

  auto unknown = client.Get("/nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << "the handler decides";
  EXPECT_EQ(unknown->get_header_value("X-Content-Type-Options"), "nosniff");

  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    RawConnection raw(server->port());
    ASSERT_TRUE(raw.connected());
    ASSERT_TRUE(raw.send_text(std::string(method) +
                              " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"));
    const std::string answer = raw.receive();
    EXPECT_EQ(answer.rfind("HTTP/1.1 405 ", 0), 0u) << method << ": " << answer;
    EXPECT_NE(answer.find("Allow: GET, HEAD\r\n"), std::string::npos) << answer;
    EXPECT_NE(answer.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos) << answer;
    EXPECT_TRUE(raw.closed_by_peer()) << "the unread body ends the connection";
  }
}

TEST(ServeHttp, KeepAliveServesManyRequestsOnOneConnection) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  RawConnection raw(server->port());
  ASSERT_TRUE(raw.connected());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(raw.send_text("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string answer = raw.receive_response();
    ASSERT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << i << ": " << answer;
    EXPECT_NE(answer.find(kServeMetricsBody), std::string::npos);
  }
}

TEST(ServeHttp, LongRequestLinesAndHeadersAreReadAndAnsweredWhole) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  RawConnection raw(server->port());
  ASSERT_TRUE(raw.connected());
  // A 1.5 kB request line and a 3 kB header: far beyond what Prometheus sends, within the limits.
  ASSERT_TRUE(raw.send_text("GET /metrics?" + std::string(1500, 'q') +
                            " HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(3000, 'p') +
                            "\r\n\r\n"));
  const std::string answer = raw.receive_response();
  ASSERT_EQ(answer.rfind("HTTP/1.1 200 ", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find(kServeMetricsBody), std::string::npos);

  ASSERT_TRUE(raw.send_text("GET /long-header HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string long_header = raw.receive_response();
  ASSERT_EQ(long_header.rfind("HTTP/1.1 200 ", 0), 0u) << long_header.substr(0, 200);
  EXPECT_NE(long_header.find("\r\nX-Long: " + kLongHeaderValue + "\r\n"), std::string::npos)
      << "the response header is written whole";
  EXPECT_NE(long_header.find(kServeMetricsBody), std::string::npos);
}

TEST(ServeHttp, OversizeRequestsGet4xxAndLoseTheConnection) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  const auto expect_refused = [&](const std::string& request, int status, const char* why) {
    RawConnection raw(server->port());
    ASSERT_TRUE(raw.connected()) << why;
    raw.send_text(request);
    const std::string answer = raw.receive();
    EXPECT_EQ(http_status_of(answer), status) << why << ": " << answer.substr(0, 200);
    EXPECT_TRUE(raw.closed_by_peer()) << why << ": the rest must not be read as the next request";
  };
  std::string many;
  for (int i = 0; i < 100; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  expect_refused("GET /metrics HTTP/1.1\r\nHost: x\r\n" + many + "\r\n", 431,
                 "more headers than max_header_count");
  // Beyond max_request_bytes (16 kB): one header, or headers each of a few kB.
  expect_refused(
      "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431,
      "one header larger than the request may be");
  std::string lots;
  for (int i = 0; i < 8; ++i)
    lots += "X-L" + std::to_string(i) + ": " + std::string(3000, 'b') + "\r\n";
  expect_refused("GET /metrics HTTP/1.1\r\nHost: x\r\n" + lots + "\r\n", 431,
                 "headers of a few kB each, too many bytes in all");
  // A request line without an end: cut off at the budget, never buffered without bound.
  expect_refused("GET /" + std::string(64 * 1024, 'c'), 414, "an endless request line");
  auto client = serve_test_client(server->port());
  auto after = client.Get("/metrics");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST(ServeHttp, StalledClientsDoNotBlockOthers) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  RawConnection silent(server->port());
  RawConnection half(server->port());
  ASSERT_TRUE(silent.connected());
  ASSERT_TRUE(half.connected());
  ASSERT_TRUE(half.send_text("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Half: "));
  auto client = serve_test_client(server->port());
  auto get = client.Get("/metrics");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  // Answered while both still stall: neither was answered or closed to make way (the client's
  // 3 s read timeout is below the 5 s idle timeout that would close them).
  EXPECT_FALSE(silent.readable_now()) << "the silent connection was closed first";
  EXPECT_FALSE(half.readable_now()) << "the half request was closed first";
}

TEST(ServeHttp, StopReturnsWithinASecondWhileClientsStall) {
  auto server = start_serve_test_server();
  ASSERT_TRUE(server);
  RawConnection silent(server->port());
  RawConnection half(server->port());
  ASSERT_TRUE(half.send_text("GET /metrics HTTP/1.1\r\nHo"));
  RawConnection kept(server->port());
  ASSERT_TRUE(kept.send_text("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(kept.receive_response().rfind("HTTP/1.1 200 ", 0), 0u);  // now idle, kept alive
  std::this_thread::sleep_for(milliseconds(100));
  const auto began = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
  server.reset();
  EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
}

TEST(ServeHttp, CannotBindNamesTheAddress) {
  auto first = start_serve_test_server();
  ASSERT_TRUE(first);
  auto second =
      HttpServer::start(ListenAddress{"127.0.0.1", first->port()}, {}, serve_test_handler);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().where, "127.0.0.1:" + std::to_string(first->port()));
}

TEST(ServeHttp, ListensOnIpv6Loopback) {
  auto started = HttpServer::start(ListenAddress{"::1", 0}, {}, serve_test_handler);
  if (!started && started.error().detail == "Cannot assign requested address") {
    DEVOPS_MONITOR_SKIP_OR_FAIL("no IPv6 loopback here");
  }
  ASSERT_TRUE(started) << started.error().message();
  const int port = (*started)->port();
  ASSERT_GT(port, 0);
  httplib::Client client("::1", port);
  client.set_read_timeout(std::chrono::seconds(3));
  auto get = client.Get("/metrics");
  ASSERT_TRUE(get) << httplib::to_string(get.error());
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, kServeMetricsBody);
}

// ---- TLS -------------------------------------------------------------------------------------

class ServeTls : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto made = testing::make_loopback_certificate(dir.path());
    ASSERT_EQ(made.exit_code, 0) << made.err;
    web.tls = TlsFiles{dir / "cert.pem", dir / "key.pem", "", ""};
  }
  TempDir dir;
  WebConfig web;
};

TEST_F(ServeTls, ServesHttpsWithTheConfiguredCertificate) {
  auto server = start_serve_test_server(web);
  ASSERT_TRUE(server);
  httplib::SSLClient client("127.0.0.1", server->port());
  client.set_ca_cert_path((dir / "cert.pem").c_str());
  client.enable_server_certificate_verification(true);
  client.set_read_timeout(std::chrono::seconds(3));
  for (int i = 0; i < 3; ++i) {
    auto get = client.Get("/metrics");
    ASSERT_TRUE(get) << httplib::to_string(get.error());
    EXPECT_EQ(get->status, 200);
    EXPECT_EQ(get->body, kServeMetricsBody);
  }
  auto plain = serve_test_client(server->port());
  plain.set_read_timeout(std::chrono::seconds(1));
  auto refused = plain.Get("/metrics");
  EXPECT_TRUE(!refused || refused->status == 400) << "plain HTTP on the TLS port";
  // A client that connects and never starts the handshake blocks no one.
  RawConnection silent(server->port());
  auto again = client.Get("/metrics");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  const auto began = steady_clock::now();
  server.reset();
  EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
}

TEST_F(ServeTls, UnloadableFilesNameTheFile) {
  testing::write_text(dir / "bad.pem", "not a certificate\n");
  WebConfig bad = web;
  bad.tls->cert_file = dir / "bad.pem";
  auto started = HttpServer::start(ListenAddress{"127.0.0.1", 0}, bad, serve_test_handler);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().what, "cannot load TLS certificate");
  EXPECT_EQ(started.error().where, (dir / "bad.pem").string());
  bad = web;
  bad.tls->key_file = dir / "bad.pem";
  started = HttpServer::start(ListenAddress{"127.0.0.1", 0}, bad, serve_test_handler);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().what, "cannot load TLS private key");
  EXPECT_EQ(started.error().where, (dir / "bad.pem").string());
  TempDir other;
  ASSERT_EQ(testing::make_loopback_certificate(other.path()).exit_code, 0);
  bad = web;
  bad.tls->key_file = other / "key.pem";
  started = HttpServer::start(ListenAddress{"127.0.0.1", 0}, bad, serve_test_handler);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().what, "TLS private key does not match the certificate");
  EXPECT_EQ(started.error().where, (other / "key.pem").string());
}

/// Whether `openssl s_client` completes a handshake with `version_flag` ("-tls1_2").
bool serve_test_handshake(int port, const std::string& version_flag) {
  RunOptions openssl;
  // SECLEVEL=0: OpenSSL 3 refuses TLS 1.0 and 1.1 itself otherwise.
  openssl.args = {"-c", "/usr/bin/openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                            " " + version_flag + " -cipher DEFAULT@SECLEVEL=0 < /dev/null"};
  openssl.env = {{"PATH", "/usr/bin:/bin"}};
  openssl.timeout = milliseconds(10000);
  return testing::run_process("/bin/sh", openssl).exit_code == 0;
}

TEST_F(ServeTls, ProtocolVersionsFollowMinAndMaxVersion) {
  {
    auto server = start_serve_test_server(web);  // the default: TLS 1.2 and 1.3
    ASSERT_TRUE(server);
    EXPECT_TRUE(serve_test_handshake(server->port(), "-tls1_3"));
    EXPECT_TRUE(serve_test_handshake(server->port(), "-tls1_2"));
    EXPECT_FALSE(serve_test_handshake(server->port(), "-tls1_1"));
  }
  {
    WebConfig newest = web;
    newest.tls->min_version = "TLS13";
    auto server = start_serve_test_server(newest);
    ASSERT_TRUE(server);
    EXPECT_TRUE(serve_test_handshake(server->port(), "-tls1_3"));
    EXPECT_FALSE(serve_test_handshake(server->port(), "-tls1_2"));
  }
  {
    WebConfig oldest = web;
    oldest.tls->min_version = "TLS10";
    oldest.tls->max_version = "TLS11";
    auto server = start_serve_test_server(oldest);
    ASSERT_TRUE(server);
    EXPECT_TRUE(serve_test_handshake(server->port(), "-tls1_1"));
    EXPECT_TRUE(serve_test_handshake(server->port(), "-tls1"));
    EXPECT_FALSE(serve_test_handshake(server->port(), "-tls1_2"));
  }
  WebConfig crossed = web;
  crossed.tls->min_version = "TLS13";
  crossed.tls->max_version = "TLS12";
  auto refused = HttpServer::start(ListenAddress{"127.0.0.1", 0}, crossed, serve_test_handler);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("min_version"), std::string::npos)
      << refused.error().message();
}

// ---- basic auth ------------------------------------------------------------------------------

// bcrypt at a low cost keeps the suite fast; timing is compared with a bcrypt of the same cost.
constexpr unsigned long kServeTestBcryptCost = 9;

std::string serve_test_bcrypt(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", kServeTestBcryptCost, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), salt, data.get(), sizeof *data);
  EXPECT_NE(hash, nullptr);
  return hash != nullptr ? hash : "";
}

// The password is made at run time: no credential-shaped literal in the repository.
std::string serve_test_password() {
  return "pw-" + std::to_string(::getpid()) + "-" + std::string(12, 'q');
}

milliseconds timed_get(httplib::Client& client, const httplib::Headers& headers, int& status) {
  const auto began = steady_clock::now();
  auto got = client.Get("/metrics", headers);
  status = got ? got->status : -1;
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - began);
}

TEST(ServeBasicAuthHttp, GoodWrongMissingAndUnknown) {
  const std::string password = serve_test_password();
  WebConfig web;
  web.basic_auth_users["prometheus"] = serve_test_bcrypt(password);
  auto server = start_serve_test_server(web);
  ASSERT_TRUE(server);
  auto client = serve_test_client(server->port());

  client.set_basic_auth("prometheus", password.c_str());
  auto good = client.Get("/metrics");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
  EXPECT_EQ(good->body, kServeMetricsBody);
  auto head = client.Head("/metrics");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);

  const auto expect_401 = [&](const char* user, const std::string& pass, const char* why) {
    auto c = serve_test_client(server->port());
    c.set_basic_auth(user, pass.c_str());
    auto got = c.Get("/metrics");
    ASSERT_TRUE(got) << why;
    EXPECT_EQ(got->status, 401) << why;
    EXPECT_EQ(got->get_header_value("WWW-Authenticate"), "Basic realm=\"devops-monitor\"") << why;
    EXPECT_EQ(got->body.find("serve_test_metric"), std::string::npos) << why;
  };
  expect_401("prometheus", password + "x", "wrong password");
  expect_401("prometheus", "", "empty password");
  expect_401("grafana", password, "unknown user");
  auto anonymous = serve_test_client(server->port());
  auto missing = anonymous.Get("/metrics");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  for (const char* malformed : {"Basic", "Basic !!!!", "Bearer abc", "Basic dXNlcg=="}) {
    auto got = anonymous.Get("/metrics", {{"Authorization", malformed}});
    ASSERT_TRUE(got);
    EXPECT_EQ(got->status, 401) << malformed;
  }
  auto unknown_path = client.Get("/nope");
  ASSERT_TRUE(unknown_path);
  EXPECT_EQ(unknown_path->status, 404) << "authenticated, then the handler decides";
}

TEST(ServeBasicAuthHttp, WrongUserAndWrongPasswordCostABcryptCachedGoodDoesNot) {
  const std::string password = serve_test_password();
  const std::string hash = serve_test_bcrypt(password);
  // One bcrypt of this cost on this machine: the fastest seen in the whole test, sampled
  // before the server starts and again beside every request (the machine may be busy while
  // one sample is taken; the server's bcrypt cannot be faster than the fastest).
  auto bcrypt_time = std::chrono::steady_clock::duration::max();
  const auto sample_bcrypt = [&] {
    auto data = std::make_unique<crypt_data>();
    const auto began = steady_clock::now();
    ASSERT_NE(crypt_rn("x", hash.c_str(), data.get(), sizeof *data), nullptr);
    bcrypt_time = std::min(bcrypt_time, steady_clock::now() - began);
  };
  for (int i = 0; i < 3; ++i) sample_bcrypt();
  WebConfig web;
  web.basic_auth_users["prometheus"] = hash;
  auto server = start_serve_test_server(web);
  ASSERT_TRUE(server);
  auto client = serve_test_client(server->port());
  int status = 0;
  (void)timed_get(client, {}, status);  // connection set up
  const auto auth = [](const std::string& user, const std::string& pass) {
    return httplib::Headers{httplib::make_basic_authentication_header(user, pass)};
  };
  std::vector<milliseconds> wrong_passwords;
  std::vector<milliseconds> wrong_users;
  for (int round = 0; round < 3; ++round) {
    sample_bcrypt();
    wrong_passwords.push_back(timed_get(client, auth("prometheus", password + "!"), status));
    EXPECT_EQ(status, 401);
    sample_bcrypt();
    wrong_users.push_back(timed_get(client, auth("nobody", password), status));
    EXPECT_EQ(status, 401);
  }
  // A quarter: every sample may have been slowed by a busy machine while the server's bcrypt
  // was not (seen with two test runs at once on two cores); a failure without a bcrypt takes
  // about a millisecond, far below.
  for (const milliseconds wrong_password : wrong_passwords)
    EXPECT_GE(wrong_password, bcrypt_time / 4) << "failures are never cached";
  for (const milliseconds wrong_user : wrong_users)
    EXPECT_GE(wrong_user, bcrypt_time / 4) << "an unknown user still pays a bcrypt";
  (void)timed_get(client, auth("prometheus", password), status);
  EXPECT_EQ(status, 200);
  milliseconds cached{0};
  for (int i = 0; i < 5; ++i) {
    cached += timed_get(client, auth("prometheus", password), status);
    EXPECT_EQ(status, 200);
  }
  EXPECT_LT(cached / 5, bcrypt_time / 3) << "a good password is checked by bcrypt once";
}

/// Wrong passwords for "prometheus", each sent on a connection of its own without waiting:
/// the server has that many bcrypts to run.
std::vector<std::unique_ptr<RawConnection>> send_wrong_passwords(int port, int count) {
  const auto header = httplib::make_basic_authentication_header("prometheus", "wrong");
  const std::string request =
      "GET /metrics HTTP/1.1\r\nHost: x\r\n" + header.first + ": " + header.second + "\r\n\r\n";
  std::vector<std::unique_ptr<RawConnection>> sent;
  for (int i = 0; i < count; ++i) {
    sent.push_back(std::make_unique<RawConnection>(port));
    EXPECT_TRUE(sent.back()->send_text(request));
  }
  return sent;
}

TEST(ServeBasicAuthHttp, WrongPasswordsBeingCheckedDelayNoRememberedUser) {
  const std::string password = serve_test_password();
  WebConfig web;
  web.basic_auth_users["prometheus"] = serve_test_bcrypt(password);
  auto server = start_serve_test_server(web);
  ASSERT_TRUE(server);
  auto client = serve_test_client(server->port());
  const httplib::Headers good{httplib::make_basic_authentication_header("prometheus", password)};
  int status = 0;
  (void)timed_get(client, good, status);  // checked once, remembered from now on
  ASSERT_EQ(status, 200);
  auto wrong = send_wrong_passwords(server->port(), 8);
  (void)timed_get(client, good, status);
  EXPECT_EQ(status, 200);
  // The eight bcrypts run one after the other, off the threads that serve connections: when
  // the remembered user has been answered, some wrong passwords are still waiting for theirs.
  std::size_t answered = 0;
  for (auto& connection : wrong) answered += connection->readable_now() ? 1 : 0;
  EXPECT_LT(answered, wrong.size()) << "a remembered user's scrape waited for every bcrypt";
  for (auto& connection : wrong) EXPECT_EQ(http_status_of(connection->receive_response()), 401);
}

TEST(ServeBasicAuthHttp, StopReturnsWhileChecksWait) {
  WebConfig web;
  web.basic_auth_users["prometheus"] = serve_test_bcrypt(serve_test_password());
  auto server = start_serve_test_server(web);
  ASSERT_TRUE(server);
  auto wrong = send_wrong_passwords(server->port(), 8);
  std::this_thread::sleep_for(milliseconds(20));  // the first checks started, the rest wait
  const auto began = steady_clock::now();
  server->stop();
  EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
  for (auto& connection : wrong) {
    const int status = http_status_of(connection->receive());
    EXPECT_TRUE(status == 0 || status == 401) << status;
    EXPECT_TRUE(connection->closed_by_peer());
  }
}

}  // namespace
}  // namespace devops_monitor::serve
