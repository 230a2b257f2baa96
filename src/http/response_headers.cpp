#include "http/response_headers.hpp"

#include <algorithm>
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxReason = 80;

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

/// "HTTP/1.1 407 Proxy Authentication Required" -> "Proxy Authentication Required", kept to
/// printable ASCII: the phrase is the peer's text and may end up on a terminal.
std::string reason_phrase(std::string_view status_line) {
  std::string_view rest = trim(status_line);
  for (int field = 0; field < 2; ++field) {
    const std::size_t space = rest.find(' ');
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  std::string out;
  for (char c : rest) {
    if (out.size() == kMaxReason) break;
    if (c >= 0x20 && c < 0x7f) out.push_back(c);
  }
  return out;
}

}  // namespace

void ResponseHeaders::add_line(std::string_view line) {
  if (line.rfind("HTTP/", 0) == 0) {
    headers_.clear();
    truncated_ = false;
    reason_ = reason_phrase(line);
    return;
  }
  // Folded continuation lines are obsolete (RFC 9110 5.5); nothing we read uses them.
  if (line.empty() || line.front() == ' ' || line.front() == '\t') return;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // the blank line that ends the block
  const std::string_view name = line.substr(0, colon);
  if (!ascii::is_http_token(name)) return;
  const std::string_view value = trim(line.substr(colon + 1));
  if (headers_.size() >= max_headers_ || name.size() + value.size() > max_header_bytes_) {
    truncated_ = true;
    return;
  }
  headers_.emplace_back(ascii::lowercase(name), std::string(value));
}

void ResponseHeaders::clear() {
  headers_.clear();
  truncated_ = false;
  reason_.clear();
}

}  // namespace devops_monitor
