#include "serve/listen_socket.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "util/file_io.hpp"

namespace devops_monitor::serve {

namespace {

constexpr int kListenBacklog = 64;

/// A socket bound to `where` and listening, or errno.
int bind_and_listen(const addrinfo& where) {
  const int fd = ::socket(where.ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -errno;
  // SO_REUSEADDR, so that a restart binds while the old connections linger in TIME_WAIT; not
  // SO_REUSEPORT, with which a second serve on the same port would start and take half the
  // scrapes.
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (where.ai_family == AF_INET6) {
    // IPv6 sockets take IPv4 connections too, whatever the system's default: "::" (every
    // address) then really is every address.
    const int off = 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd, where.ai_addr, where.ai_addrlen) != 0 || ::listen(fd, kListenBacklog) != 0) {
    const int error = errno;
    ::close(fd);
    return -error;
  }
  return fd;
}

}  // namespace

std::string shown_listen_address(const ListenAddress& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" + std::to_string(address.port);
}

Result<int> open_listen_socket(const ListenAddress& address) {
  const std::string where = shown_listen_address(address);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (address.host.empty()) {
    if (const int rc = ::getaddrinfo("::", port.c_str(), &hints, &found); rc == 0) {
      const int fd = bind_and_listen(*found);
      ::freeaddrinfo(found);
      if (fd >= 0) return fd;
    }
    found = nullptr;
  }
  const char* host = address.host.empty() ? "0.0.0.0" : address.host.c_str();
  if (const int rc = ::getaddrinfo(host, port.c_str(), &hints, &found); rc != 0) {
    return Error{"cannot listen", ::gai_strerror(rc), where};
  }
  int result = -EADDRNOTAVAIL;
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    result = bind_and_listen(*candidate);
    if (result >= 0) break;
  }
  ::freeaddrinfo(found);
  if (result < 0) return Error{"cannot listen", errno_text(-result), where};
  return result;
}

int bound_port(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

}  // namespace devops_monitor::serve
