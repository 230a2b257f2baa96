// A fake AI provider: a real HTTP server on 127.0.0.1 that answers the way a test says.
// It stops when destroyed, and on its own after a bounded lifetime, even if a test hangs.
#pragma once

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// cpp-httplib stays inside fake_provider.cpp: it is one of the heaviest headers there is, and
// every integration test includes this one.
namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace devops_monitor::testing {

/// Header names compare without case, as in HTTP.
struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) <
             std::tolower(static_cast<unsigned char>(y));
    });
  }
};
using HeaderMap = std::multimap<std::string, std::string, CaseInsensitiveLess>;

using std::chrono::milliseconds;

struct FakeResponse {
  int status = 200;
  std::string body = R"({"object":"list","data":[]})";
  std::vector<std::pair<std::string, std::string>> headers{};  // e.g. {"Location", "..."}
  milliseconds delay{0};                                       // injected latency before the answer
  bool hang = false;           // never answer (until the server stops)
  bool cut_mid_body = false;   // announce the whole body, send half, drop the connection
  std::size_t body_bytes = 0;  // when > 0: stream this many bytes of filler instead of body
};

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string target;  // path with query string, as sent
  HeaderMap headers;
  std::string body;
  std::chrono::steady_clock::time_point received{};  // when the server started answering it
};

/// A certificate and key (PEM files) for an https fake.
struct TlsFiles {
  std::string cert;
  std::string key;
};

class FakeProviderServer {
 public:
  explicit FakeProviderServer(milliseconds lifetime = std::chrono::seconds(60),
                              std::optional<TlsFiles> tls = std::nullopt);
  ~FakeProviderServer();
  FakeProviderServer(const FakeProviderServer&) = delete;
  FakeProviderServer& operator=(const FakeProviderServer&) = delete;

  /// Every request to `path` gets `response`.
  void on(const std::string& path, FakeResponse response);
  /// The n-th request to `path` gets the n-th response; the last one repeats.
  void on_sequence(const std::string& path, std::vector<FakeResponse> responses);

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url(const std::string& path) const;
  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::size_t request_count(const std::string& path) const;
  /// The most requests the server was answering at one moment (one waiting out its `delay`
  /// counts): how concurrent the client was, seen from the server, not from a clock.
  [[nodiscard]] std::size_t max_in_flight() const;
  /// Bytes of `body_bytes` filler the server could hand to the connection before the client
  /// stopped reading.
  [[nodiscard]] std::size_t streamed_bytes() const { return streamed_bytes_; }

  void stop();

 private:
  void handle(const httplib::Request& request, httplib::Response& response);
  void wait_or_stop(milliseconds delay);

  std::unique_ptr<httplib::Server> server_;
  std::string scheme_ = "http";
  int port_ = 0;
  std::thread thread_;
  std::thread watchdog_;
  mutable std::mutex mutex_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;
  std::map<std::string, std::vector<FakeResponse>> routes_;
  std::map<std::string, std::size_t> served_;
  std::vector<RecordedRequest> requests_;
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_ = 0;
  std::atomic<std::size_t> streamed_bytes_{0};
};

/// A TCP port on 127.0.0.1 where nothing listens (connection refused).
int closed_port();

/// The path part of a provider's built-in test endpoint, e.g. "/v1/models".
std::string endpoint_path(const std::string& provider_id);

/// The body of tests/fixtures/providers/<provider>/<name>.json.
std::string provider_fixture(const std::string& provider_id, const std::string& name);

/// One line of tests/fixtures/providers/cases.tsv: a documented provider answer and the
/// verdict it must get.
struct ProviderCase {
  std::string provider;
  std::string fixture;
  int status = 0;
  std::string expected_state;
};
std::vector<ProviderCase> provider_cases();

}  // namespace devops_monitor::testing
