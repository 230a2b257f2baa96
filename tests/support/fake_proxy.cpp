#include "support/fake_proxy.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace devops_monitor::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Each wait is short, so stop() and the lifetime take effect within this much.
constexpr int kPollMs = 50;
constexpr std::size_t kMaxRequestBytes = 64 * 1024;

}  // namespace

FakeProxy::FakeProxy(std::string answer, std::chrono::milliseconds lifetime)
    : answer_(std::move(answer)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    throw std::runtime_error("fake proxy: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(address.sin_port);
  const auto end = Clock::now() + lifetime;
  thread_ = std::thread([this, end] { serve(end); });
}

FakeProxy::~FakeProxy() {
  stop();
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void FakeProxy::stop() {
  stopping_ = true;
}

std::string FakeProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string FakeProxy::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void FakeProxy::serve(Clock::time_point end) {
  while (!stopping_ && Clock::now() < end) {
    pollfd listening{listen_fd_, POLLIN, 0};
    if (::poll(&listening, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    ++connections_;
    handle(client, end);
    ::close(client);
  }
}

/// Reads one request head (up to the blank line), records it, answers, and returns.
void FakeProxy::handle(int client, Clock::time_point end) {
  std::string head;
  std::array<char, 4096> buffer{};
  while (!stopping_ && Clock::now() < end && head.find("\r\n\r\n") == std::string::npos &&
         head.size() < kMaxRequestBytes) {
    pollfd readable{client, POLLIN, 0};
    if (::poll(&readable, 1, kPollMs) <= 0) continue;
    const ssize_t n = ::recv(client, buffer.data(), buffer.size(), 0);
    if (n <= 0) break;
    head.append(buffer.data(), static_cast<std::size_t>(n));
  }
  {
    std::lock_guard lock(mutex_);
    received_ += head;
  }
  std::size_t sent = 0;
  while (sent < answer_.size()) {
    const ssize_t n = ::send(client, answer_.data() + sent, answer_.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace devops_monitor::testing
