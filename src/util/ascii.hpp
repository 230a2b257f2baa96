// ASCII character classes and case folding for protocol and config text. Deliberately not
// <cctype>: those depend on the C locale and take int, and every caller here means ASCII.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace devops_monitor::ascii {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_alpha(char c) {
  return is_upper(c) || (c >= 'a' && c <= 'z');
}
/// A space or a tab: the blanks of HTTP headers, proxy lists and TOML lines.
constexpr bool is_space_or_tab(char c) {
  return c == ' ' || c == '\t';
}
constexpr char to_lower(char c) {
  return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), to_lower);
  return out;
}

constexpr bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

/// RFC 9110 token: what an HTTP method or header name may be made of.
constexpr bool is_http_token(std::string_view text) {
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_alpha(c) && !is_digit(c) && kSpecials.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace devops_monitor::ascii
