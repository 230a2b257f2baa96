// Raw HTTP over TCP for the server tests: what a well-behaved client would never send (a
// request in pieces, one byte at a time, malformed headers), from a chosen loopback source
// address, with the time the server closed the connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace devops_monitor::testing {

/// A TCP connection to 127.0.0.1:`port`, from `source` (another loopback address such as
/// "127.0.0.2" is another client to the server) or the kernel's choice; a 3 s receive timeout;
/// closed on destruction.
class RawConnection {
 public:
  explicit RawConnection(int port, const char* source = nullptr);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] int fd() const { return fd_; }
  bool send_text(const std::string& text);
  /// What arrives until the peer closes, `bytes` have come, or the timeout.
  std::string receive(std::size_t bytes = 1 << 20);
  /// One response (headers and a body of Content-Length bytes).
  std::string receive_response();
  /// Whether the peer closed the connection (or reset it) within `timeout`; data that arrives
  /// meanwhile is read and dropped.
  bool closed_within(std::chrono::milliseconds timeout);
  [[nodiscard]] bool closed_by_peer() const { return closed_; }
  /// Whether anything (an answer, or the peer's close) is waiting to be read right now.
  [[nodiscard]] bool readable_now() const;

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

/// The status code of an answer ("HTTP/1.1 431 ..." -> 431); 0 when there is none.
int http_status_of(const std::string& answer);

/// How many times a header line `name: ` starts a line of the answer's head.
std::size_t header_count(const std::string& answer, const std::string& name);

}  // namespace devops_monitor::testing
