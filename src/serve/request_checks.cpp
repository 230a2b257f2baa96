#include "serve/request_checks.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace devops_monitor::serve {

namespace {

// Headers that decide how a request is framed or who sent it: two of one are two answers to
// "which one counts", and a parser in front of serve may pick the other.
constexpr std::array<std::string_view, 4> kSingleHeaders{"Host", "Authorization", "Content-Length",
                                                         "Transfer-Encoding"};

bool same_header_name(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

bool is_header_token(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_token_char);
}

bool has_header_control_char(std::string_view value) {
  return std::any_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && byte != '\t') || byte == 0x7F;
  });
}

bool only_zero_digits(std::string_view digits) {
  return !digits.empty() && digits.find_first_not_of('0') == std::string_view::npos;
}

}  // namespace

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::optional<std::string_view> refused_header_reason(const std::vector<HeaderField>& headers) {
  std::array<std::size_t, kSingleHeaders.size()> seen{};
  for (const HeaderField& header : headers) {
    if (!is_header_token(header.name)) {
      return "a header name that is not a token (a space before the colon, a folded line)";
    }
    if (has_header_control_char(header.value)) return "a control character in a header value";
    for (std::size_t i = 0; i < kSingleHeaders.size(); ++i) {
      if (same_header_name(header.name, kSingleHeaders[i]) && ++seen[i] > 1) {
        return "a header that may appear once appears twice";
      }
    }
    if (same_header_name(header.name, "Transfer-Encoding"))
      return "a request body (none is read here)";
    if (same_header_name(header.name, "Content-Length") && !only_zero_digits(header.value)) {
      return "a request body (none is read here)";
    }
  }
  return std::nullopt;
}

}  // namespace devops_monitor::serve
