#include "http/response_headers.hpp"

#include <algorithm>

namespace devops_monitor {
namespace {

constexpr std::size_t kMaxReason = 80;

std::string_view trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

/// RFC 9110 token characters: anything else cannot be a header name.
bool is_token(std::string_view name) {
  static constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
           kSpecials.find(c) != std::string_view::npos;
  });
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
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
  if (!is_token(name)) return;
  const std::string_view value = trim(line.substr(colon + 1));
  if (headers_.size() >= max_headers_ || name.size() + value.size() > max_header_bytes_) {
    truncated_ = true;
    return;
  }
  headers_.emplace_back(lowercase(name), std::string(value));
}

void ResponseHeaders::clear() {
  headers_.clear();
  truncated_ = false;
  reason_.clear();
}

}  // namespace devops_monitor
