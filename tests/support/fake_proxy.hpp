// A fake HTTP proxy: a raw socket server on 127.0.0.1 that records everything it receives
// and answers every request (a CONNECT, a plain GET) with one fixed answer, then hangs up.
// It stops when destroyed, and on its own after a bounded lifetime, even if a test hangs.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace devops_monitor::testing {

class FakeProxy {
 public:
  /// `answer` is sent as is, e.g. "HTTP/1.1 407 Proxy Authentication Required\r\n...".
  explicit FakeProxy(std::string answer,
                     std::chrono::milliseconds lifetime = std::chrono::seconds(60));
  ~FakeProxy();
  FakeProxy(const FakeProxy&) = delete;
  FakeProxy& operator=(const FakeProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// "http://127.0.0.1:PORT", for https_proxy and friends.
  [[nodiscard]] std::string url() const;
  /// Every byte every client sent, in order.
  [[nodiscard]] std::string received() const;
  [[nodiscard]] int connections() const { return connections_.load(); }

  void stop();

 private:
  void serve(std::chrono::steady_clock::time_point end);
  void handle(int client, std::chrono::steady_clock::time_point end);

  std::string answer_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::string received_;
  std::thread thread_;
};

/// The answer of a proxy that wants credentials.
inline const std::string kProxyAuthRequired =
    "HTTP/1.1 407 Proxy Authentication Required\r\n"
    "Proxy-Authenticate: Basic realm=\"fake\"\r\n"
    "Content-Length: 0\r\n"
    "Connection: close\r\n\r\n";

}  // namespace devops_monitor::testing
