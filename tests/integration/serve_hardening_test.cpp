// serve's embedded server against what an attacker on the network can send, in this process on
// 127.0.0.1 (other loopback addresses play other clients): Range ignored, slow clients that
// lose their slots to a scraper (also on the scraper's own address), a deadline for each
// request's line and headers over plain HTTP, TLS and basic auth, headers two parsers could read
// two ways refused, no body ever read, nosniff on every answer, and basic auth that neither a
// long password nor a user name can shortcut. Limits are shortened through ServerLimits.
#include <crypt.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "serve/http_server.hpp"
#include "support/process.hpp"
#include "support/raw_http.hpp"

namespace devops_monitor::serve {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::header_count;
using testing::http_status_of;
using testing::RawConnection;
using testing::TempDir;

const std::string kHardenedBody = "# hardened\nhardened_metric 1\n";

HttpAnswer hardened_handler(std::string_view path, std::string_view /*query*/) {
  if (path == "/metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", kHardenedBody};
  if (path == "/slow") {
    std::this_thread::sleep_for(milliseconds(700));
    return {200, "text/plain; charset=utf-8", "slow\n"};
  }
  return {404, "text/plain; charset=utf-8", "not found\n"};
}

std::unique_ptr<HttpServer> start_hardened_server(const WebConfig& web = {},
                                                  ServerLimits limits = {}) {
  auto started = HttpServer::start(ListenAddress{"127.0.0.1", 0}, web, hardened_handler, limits);
  if (!started) ADD_FAILURE() << started.error().message();
  return started ? std::move(started.value()) : nullptr;
}

httplib::Client hardened_client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(3));
  client.set_read_timeout(std::chrono::seconds(3));
  return client;
}

const std::string kGetMetrics = "GET /metrics HTTP/1.1\r\nHost: x\r\n";

// The start of a request that a slow client never finishes.
const std::string kSlowStart = kGetMetrics + "X-Slow: ";

/// Short limits for the deadline tests: each byte comes well within the idle timeout, and the
/// deadline comes well before it.
ServerLimits deadline_limits() {
  ServerLimits limits;
  limits.request_deadline = milliseconds(1000);
  limits.idle_timeout = std::chrono::seconds(3);
  return limits;
}

/// Sends `text` one byte every `pace` (and then nothing) until the peer closes or `give_up`
/// passes: how long after the first byte it was closed; nullopt when it never was.
template <typename SendByte, typename ClosedWithin>
std::optional<milliseconds> trickle(const std::string& text, milliseconds pace,
                                    milliseconds give_up, SendByte send_byte,
                                    ClosedWithin closed_within) {
  const auto began = steady_clock::now();
  for (std::size_t i = 0; steady_clock::now() - began < give_up; ++i) {
    if ((i < text.size() && !send_byte(text[i])) || closed_within(pace)) {
      return std::chrono::duration_cast<milliseconds>(steady_clock::now() - began);
    }
  }
  return std::nullopt;
}

std::optional<milliseconds> trickle_plain(RawConnection& raw, const std::string& text) {
  return trickle(
      text, milliseconds(250), milliseconds(4000),
      [&](char c) { return raw.send_text(std::string(1, c)); },
      [&](milliseconds pace) { return raw.closed_within(pace); });
}

// ---- Range -----------------------------------------------------------------------------------

TEST(ServeRange, IsIgnoredAndTheWholeBodyComesOnce) {
  auto server = start_hardened_server();
  ASSERT_TRUE(server);
  std::string ranges = "bytes=";
  for (int i = 0; i < 1300; ++i) ranges += i == 0 ? "0-" : ",0-";
  for (const std::string& range : {ranges, std::string("bytes=5-10"), std::string("bytes=-3")}) {
    for (const char* method : {"GET", "HEAD"}) {
      RawConnection raw(server->port());
      ASSERT_TRUE(raw.send_text(std::string(method) +
                                " /metrics HTTP/1.1\r\nHost: x\r\nRange: " + range + "\r\n\r\n"));
      const std::string answer =
          std::string(method) == "GET" ? raw.receive_response() : raw.receive(1);
      EXPECT_EQ(http_status_of(answer), 200) << method << " " << range.substr(0, 20);
      EXPECT_NE(answer.find("\r\nContent-Length: " + std::to_string(kHardenedBody.size()) + "\r\n"),
                std::string::npos)
          << answer;
      EXPECT_EQ(header_count(answer, "Content-Range"), 0u) << answer;
      EXPECT_EQ(header_count(answer, "Accept-Ranges"), 0u) << answer;
      EXPECT_EQ(answer.find("multipart"), std::string::npos) << answer;
      if (std::string(method) == "GET") {
        EXPECT_EQ(answer.substr(answer.size() - kHardenedBody.size()), kHardenedBody);
      }
    }
  }
}

// ---- slow clients and the connection slots ---------------------------------------------------

/// `count` connections from `source` that begin a request and go quiet (well within the idle
/// timeout here); each is given time to be seen by the server before the next.
std::vector<std::unique_ptr<RawConnection>> open_slow_clients(int port, int count,
                                                              const char* source = nullptr) {
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < count; ++i) {
    slow.push_back(std::make_unique<RawConnection>(port, source));
    EXPECT_TRUE(slow.back()->connected());
    slow.back()->send_text(kSlowStart);
    std::this_thread::sleep_for(milliseconds(50));
  }
  return slow;
}

ServerLimits small_slots() {
  ServerLimits limits;
  limits.max_connections = 4;
  limits.max_connections_per_client = 2;
  return limits;
}

TEST(ServeSlowClients, AScraperGetsInBesideSlowClientsOnItsOwnAddress) {
  auto server = start_hardened_server({}, small_slots());
  ASSERT_TRUE(server);
  // Four from 127.0.0.1, the scraper's own address (NAT, a proxy, loopback): beyond two, each
  // ends the oldest of that address's connections still waiting for a request.
  auto slow = open_slow_clients(server->port(), 4);
  auto client = hardened_client(server->port());
  const auto began = steady_clock::now();
  auto got = client.Get("/metrics");
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, kHardenedBody);
  EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
  EXPECT_TRUE(slow[0]->closed_within(milliseconds(1000))) << "the oldest slow client made room";
  EXPECT_TRUE(slow[1]->closed_within(milliseconds(1000)));
  EXPECT_TRUE(slow[2]->closed_within(milliseconds(1000)));
  EXPECT_FALSE(slow[3]->closed_within(milliseconds(100))) << "the newest is still waiting";
}

TEST(ServeSlowClients, WhenEverySlotIsTakenTheLongestWaitingMakesRoom) {
  auto server = start_hardened_server({}, small_slots());
  ASSERT_TRUE(server);
  auto first = open_slow_clients(server->port(), 2, "127.0.0.2");
  auto second = open_slow_clients(server->port(), 2, "127.0.0.3");
  ASSERT_TRUE(first[0]->connected() && second[1]->connected());
  for (int round = 0; round < 3; ++round) {
    auto client = hardened_client(server->port());
    auto got = client.Get("/metrics");
    ASSERT_TRUE(got) << round << ": " << httplib::to_string(got.error());
    EXPECT_EQ(got->status, 200);
  }
  EXPECT_TRUE(first[0]->closed_within(milliseconds(1000))) << "the longest waiting went first";
  EXPECT_FALSE(second[1]->closed_within(milliseconds(100)));
}

TEST(ServeSlowClients, WhenEverySlotIsBusyAnsweringANewConnectionIsClosedAtOnce) {
  ServerLimits limits;
  limits.max_connections = 2;
  limits.threads = 3;  // two threads answer /slow, the third accepts
  auto server = start_hardened_server({}, limits);
  ASSERT_TRUE(server);
  // One at a time, so that each is taken by a thread that is free and answering it when the
  // third comes: none is waiting for its request.
  RawConnection first(server->port());
  ASSERT_TRUE(first.send_text("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds(100));
  RawConnection second(server->port());
  ASSERT_TRUE(second.send_text("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds(100));
  RawConnection third(server->port());
  const auto began = steady_clock::now();
  EXPECT_EQ(third.receive(), "");
  EXPECT_TRUE(third.closed_by_peer());
  EXPECT_LT(steady_clock::now() - began, milliseconds(500)) << "refused at once";
  EXPECT_EQ(http_status_of(first.receive_response()), 200) << "never ended while answered";
  EXPECT_EQ(http_status_of(second.receive_response()), 200);
}

// ---- the request deadline --------------------------------------------------------------------

TEST(ServeDeadline, ARequestTrickledWithinTheIdleTimeoutIsClosedAtTheDeadline) {
  auto server = start_hardened_server({}, deadline_limits());
  ASSERT_TRUE(server);
  RawConnection raw(server->port());
  ASSERT_TRUE(raw.connected());
  // A byte every 250 ms: the idle timeout (3 s) never comes; the deadline (1 s) does.
  const std::optional<milliseconds> closed = trickle_plain(raw, kSlowStart + std::string(40, 'p'));
  ASSERT_TRUE(closed) << "still open after 4 s";
  EXPECT_GE(*closed, milliseconds(800));
  EXPECT_LT(*closed, milliseconds(2000));
}

TEST(ServeDeadline, StartsAgainAfterEachAnswer) {
  auto server = start_hardened_server({}, deadline_limits());
  ASSERT_TRUE(server);
  RawConnection raw(server->port());
  // Five requests 400 ms apart on one connection: 2 s in all, each within its own deadline.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(milliseconds(400));
    ASSERT_TRUE(raw.send_text(kGetMetrics + "\r\n")) << i;
    ASSERT_EQ(http_status_of(raw.receive_response()), 200) << i;
  }
}

/// A TLS client over OpenSSL that can send one byte at a time (no certificate check: the test
/// is about time, not trust).
class TlsTrickler {
 public:
  explicit TlsTrickler(int port) : raw_(port), context_(SSL_CTX_new(TLS_client_method())) {
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, raw_.fd());
    handshaken_ = SSL_connect(ssl_) == 1;
    // From here on a read that finds only TLS 1.3 session tickets must not wait.
    ::fcntl(raw_.fd(), F_SETFL, ::fcntl(raw_.fd(), F_GETFL) | O_NONBLOCK);
  }
  ~TlsTrickler() {
    SSL_free(ssl_);
    SSL_CTX_free(context_);
  }
  TlsTrickler(const TlsTrickler&) = delete;
  TlsTrickler& operator=(const TlsTrickler&) = delete;

  [[nodiscard]] bool handshaken() const { return handshaken_; }
  bool send_byte(char c) { return SSL_write(ssl_, &c, 1) == 1; }
  /// Whether the server ended the connection within `timeout` (a close_notify, the end of the
  /// stream or a reset all count).
  bool closed_within(milliseconds timeout) {
    const auto until = steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(until - steady_clock::now());
      pollfd watched{raw_.fd(), POLLIN | POLLRDHUP, 0};
      if (left.count() <= 0 || ::poll(&watched, 1, static_cast<int>(left.count())) <= 0) {
        return false;
      }
      char buffer[256];
      const int n = SSL_read(ssl_, buffer, sizeof buffer);
      const int error = n > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, n);
      if (error != SSL_ERROR_NONE && error != SSL_ERROR_WANT_READ &&
          error != SSL_ERROR_WANT_WRITE) {
        return true;
      }
    }
  }

 private:
  RawConnection raw_;
  SSL_CTX* context_;
  SSL* ssl_ = nullptr;
  bool handshaken_ = false;
};

TEST(ServeDeadline, HoldsOverTls) {
  TempDir dir;
  ASSERT_EQ(testing::make_loopback_certificate(dir.path()).exit_code, 0);
  WebConfig web;
  web.tls = TlsFiles{dir / "cert.pem", dir / "key.pem", "", ""};
  auto server = start_hardened_server(web, deadline_limits());
  ASSERT_TRUE(server);
  TlsTrickler tls(server->port());
  ASSERT_TRUE(tls.handshaken());
  const std::optional<milliseconds> closed = trickle(
      kSlowStart + std::string(40, 'p'), milliseconds(250), milliseconds(4000),
      [&](char c) { return tls.send_byte(c); },
      [&](milliseconds pace) { return tls.closed_within(pace); });
  ASSERT_TRUE(closed) << "still open after 4 s";
  EXPECT_LT(*closed, milliseconds(2000));
  // The handshake is within the deadline too: a client that never finishes it is closed.
  RawConnection silent(server->port());
  ASSERT_TRUE(silent.send_text(std::string("\x16\x03\x01\x02\x00\x01", 6)));
  EXPECT_TRUE(silent.closed_within(milliseconds(2000)));
}

TEST(ServeDeadline, HoldsBeforeBasicAuth) {
  WebConfig web;
  web.basic_auth_users["prometheus"] = "$2b$10$" + std::string(53, 'a');
  auto server = start_hardened_server(web, deadline_limits());
  ASSERT_TRUE(server);
  RawConnection raw(server->port());
  // No credentials yet: they would come in the headers, which never end.
  const std::optional<milliseconds> closed = trickle_plain(raw, kSlowStart + std::string(40, 'p'));
  ASSERT_TRUE(closed) << "still open after 4 s";
  EXPECT_LT(*closed, milliseconds(2000));
}

// ---- header syntax, bodies and the headers of every answer -----------------------------------

TEST(ServeHeaders, WhatTwoParsersCouldReadTwoWaysGets400AndTheConnectionCloses) {
  auto server = start_hardened_server();
  ASSERT_TRUE(server);
  const std::vector<std::pair<std::string, const char*>> malformed{
      {kGetMetrics + "Content-Length : 40\r\n\r\n", "a space before the colon"},
      {kGetMetrics + "X-Folded: first\r\n second\r\n\r\n", "a folded line (obs-fold)"},
      {kGetMetrics + "X-Folded: first\r\n\tsecond part\r\n\r\n", "a folded line with a space"},
      {kGetMetrics + "Content-Length: 0\r\nContent-Length: 40\r\n\r\n", "two Content-Lengths"},
      {kGetMetrics + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "a chunked body"},
      {kGetMetrics + "Host: y\r\n\r\n", "two Hosts"},
  };
  for (const auto& [request, why] : malformed) {
    RawConnection raw(server->port());
    ASSERT_TRUE(raw.send_text(request)) << why;
    const std::string answer = raw.receive();
    EXPECT_EQ(http_status_of(answer), 400) << why << ": " << answer;
    EXPECT_EQ(header_count(answer, "X-Content-Type-Options"), 1u) << why;
    EXPECT_NE(answer.find("\r\nConnection: close\r\n"), std::string::npos) << why << answer;
    EXPECT_EQ(answer.find("hardened_metric"), std::string::npos) << why;
    EXPECT_TRUE(raw.closed_by_peer()) << why;
  }
}

TEST(ServeHeaders, ARequestWithABodyIsAnsweredWithoutWaitingForIt) {
  WebConfig auth;
  auth.basic_auth_users["prometheus"] = "$2b$10$" + std::string(53, 'a');
  for (const WebConfig& web : {WebConfig{}, auth}) {
    auto server = start_hardened_server(web);
    ASSERT_TRUE(server);
    RawConnection raw(server->port());
    const auto began = steady_clock::now();
    // The body never comes: the answer must not wait for it (nor, with auth, for credentials).
    ASSERT_TRUE(raw.send_text(kGetMetrics + "Content-Length: 100000\r\n\r\n"));
    const std::string answer = raw.receive();
    EXPECT_EQ(http_status_of(answer), 400) << answer;
    EXPECT_LT(steady_clock::now() - began, milliseconds(1000));
    EXPECT_TRUE(raw.closed_by_peer());
  }
}

TEST(ServeHeaders, EveryAnswerCarriesNosniffOnce) {
  WebConfig web;
  web.basic_auth_users["prometheus"] = "$2b$10$" + std::string(53, 'a');
  auto plain = start_hardened_server();
  auto guarded = start_hardened_server(web);
  ASSERT_TRUE(plain && guarded);
  std::string many;
  for (int i = 0; i < 70; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  const std::vector<std::tuple<int, std::string, int>> cases{
      {plain->port(), kGetMetrics + "\r\n", 200},
      {plain->port(), "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404},
      {plain->port(), "DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {plain->port(), kGetMetrics + "Bad Name: v\r\n\r\n", 400},
      {plain->port(), kGetMetrics + many + "\r\n", 431},
      {guarded->port(), kGetMetrics + "\r\n", 401},
  };
  for (const auto& [port, request, status] : cases) {
    RawConnection raw(port);
    ASSERT_TRUE(raw.send_text(request));
    const std::string answer = raw.receive_response();
    EXPECT_EQ(http_status_of(answer), status) << answer;
    EXPECT_EQ(header_count(answer, "X-Content-Type-Options"), 1u) << answer;
  }
}

// ---- basic auth ------------------------------------------------------------------------------

std::string hardened_bcrypt(const std::string& password, unsigned long cost) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  EXPECT_NE(crypt_gensalt_rn("$2b$", cost, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  const char* hash = crypt_rn(password.c_str(), salt, data.get(), sizeof *data);
  EXPECT_NE(hash, nullptr);
  return hash != nullptr ? hash : "";
}

TEST(ServeBasicAuthLimits, APasswordBeyondBcryptsSeventyTwoBytesNeverMatches) {
  const std::string password(72, 'A');
  WebConfig web;
  web.basic_auth_users["prometheus"] = hardened_bcrypt(password, 4);  // quick; the loader refuses 4
  auto server = start_hardened_server(web);
  ASSERT_TRUE(server);
  const auto status_with = [&](const std::string& pass) {
    auto client = hardened_client(server->port());
    client.set_basic_auth("prometheus", pass.c_str());
    auto got = client.Get("/metrics");
    return got ? got->status : -1;
  };
  EXPECT_EQ(status_with(password + "JUNK"), 401) << "bcrypt would have read the first 72 only";
  EXPECT_EQ(status_with(password), 200);
  EXPECT_EQ(status_with(password + "JUNK"), 401) << "not even after the right one was remembered";
}

TEST(ServeBasicAuthLimits, EveryFailedLoginCostsABcryptWhoeverTheUserIs) {
  // Through the real loader, at cost 10 (the least it takes), with two users.
  TempDir dir;
  const std::string password = "pw-" + std::to_string(::getpid()) + std::string(10, 'k');
  const std::string hash = hardened_bcrypt(password, 10);
  testing::write_text(dir / "web.yml", "basic_auth_users:\n  prometheus: " + hash +
                                           "\n  grafana: " + hardened_bcrypt(password + "g", 10) +
                                           "\n");
  auto web = load_web_config(dir / "web.yml");
  ASSERT_TRUE(web) << web.error().message();
  auto server = start_hardened_server(*web);
  ASSERT_TRUE(server);
  auto client = hardened_client(server->port());
  const auto timed = [&](const std::string& user, const std::string& pass, int& status) {
    const auto began = steady_clock::now();
    auto got = client.Get("/metrics", {httplib::make_basic_authentication_header(user, pass)});
    status = got ? got->status : -1;
    return steady_clock::now() - began;
  };
  int status = 0;
  (void)timed("prometheus", password, status);  // remembered from now on
  ASSERT_EQ(status, 200);
  // The fastest bcrypt of this cost seen here, before and beside the requests. On a busy
  // machine every sample may be slowed while the server's own bcrypt a moment later is not,
  // so the bound is a quarter of it: a failure that skipped bcrypt takes about 1 ms, 50 times
  // less than one bcrypt of cost 10.
  auto reference = std::chrono::steady_clock::duration::max();
  const auto sample_bcrypt = [&] {
    auto data = std::make_unique<crypt_data>();
    const auto began = steady_clock::now();
    ASSERT_NE(crypt_rn("x", hash.c_str(), data.get(), sizeof *data), nullptr);
    reference = std::min(reference, steady_clock::now() - began);
  };
  for (int i = 0; i < 3; ++i) sample_bcrypt();
  const std::vector<std::pair<std::string, std::string>> failures{
      {"prometheus", password + "!"},                   // known, remembered with another password
      {"prometheus", password + std::string(80, 'x')},  // beyond 72 bytes
      {"grafana", password},                            // known, never logged in
      {"nobody", password},                             // unknown: the dummy hash
  };
  for (int round = 0; round < 2; ++round) {
    for (const auto& [user, pass] : failures) {
      sample_bcrypt();
      const auto took = timed(user, pass, status);
      EXPECT_EQ(status, 401) << user;
      EXPECT_GE(took, reference / 4) << user << ": a failure answered without a bcrypt";
    }
  }
}

}  // namespace
}  // namespace devops_monitor::serve
