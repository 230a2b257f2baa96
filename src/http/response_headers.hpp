// Collecting an answer's headers as libcurl hands them over, one raw line at a time, within
// fixed bounds: a peer decides how many headers it sends and how long they are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace devops_monitor {

class ResponseHeaders {
 public:
  ResponseHeaders(std::size_t max_headers, std::size_t max_header_bytes)
      : max_headers_(max_headers), max_header_bytes_(max_header_bytes) {}

  /// One line as received ("Name: value\r\n", a status line, or the blank line ending a
  /// block). A status line starts a new block (an interim 1xx answer, the proxy's answer
  /// to CONNECT, then the real one), so only the last block's headers are kept.
  void add_line(std::string_view line);

  /// Name lowercased, value trimmed; not redacted yet.
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& headers() const {
    return headers_;
  }
  /// Headers were dropped because there were too many or one was too long.
  [[nodiscard]] bool truncated() const { return truncated_; }
  /// The reason phrase of the last status line ("Proxy Authentication Required"): printable
  /// ASCII only, at most 80 characters.
  [[nodiscard]] const std::string& reason() const { return reason_; }

  void clear();

 private:
  std::size_t max_headers_;
  std::size_t max_header_bytes_;
  std::vector<std::pair<std::string, std::string>> headers_;
  bool truncated_ = false;
  std::string reason_;
};

}  // namespace devops_monitor
