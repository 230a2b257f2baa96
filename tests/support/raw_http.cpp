#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace devops_monitor::testing {

RawConnection::RawConnection(int port, const char* source)
    : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
  timeval timeout{3, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (source != nullptr) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source, &from.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) return;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

RawConnection::~RawConnection() {
  ::close(fd_);
}

bool RawConnection::send_text(const std::string& text) {
  return ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(text.size());
}

std::string RawConnection::receive(std::size_t bytes) {
  std::string got;
  char buffer[4096];
  while (got.size() < bytes) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      // A reset closes too: a server that closes with unread request bytes sends one.
      closed_ = n == 0 || errno == ECONNRESET;
      break;
    }
    got.append(buffer, static_cast<std::size_t>(n));
    if (got.find("\r\n\r\n") != std::string::npos && got.size() >= bytes) break;
  }
  return got;
}

std::string RawConnection::receive_response() {
  std::string got;
  char c = 0;
  while (got.find("\r\n\r\n") == std::string::npos && ::recv(fd_, &c, 1, 0) == 1) got.push_back(c);
  const std::size_t length_at = got.find("Content-Length: ");
  if (length_at == std::string::npos) return got;
  std::size_t length = std::stoul(got.substr(length_at + 16));
  while (length > 0 && ::recv(fd_, &c, 1, 0) == 1) {
    got.push_back(c);
    --length;
  }
  return got;
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd watched{fd_, POLLIN | POLLRDHUP, 0};
    if (::poll(&watched, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) {
      closed_ = true;
      return true;
    }
  }
}

bool RawConnection::readable_now() const {
  pollfd watched{fd_, POLLIN | POLLRDHUP, 0};
  return ::poll(&watched, 1, 0) > 0;
}

int http_status_of(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::atoi(answer.c_str() + 9);
}

std::size_t header_count(const std::string& answer, const std::string& name) {
  const std::string head = answer.substr(0, answer.find("\r\n\r\n"));
  std::size_t count = 0;
  for (std::size_t at = head.find("\r\n" + name + ": "); at != std::string::npos;
       at = head.find("\r\n" + name + ": ", at + 2)) {
    ++count;
  }
  return count;
}

}  // namespace devops_monitor::testing
