// Mirrors toml++ 3.3's parse_table_header() up to its call of parse_key(): '[', blanks,
// an optional second '[' (only right after the first), blanks, then the name. Whatever
// toml++ refuses with an error on the way (end of file, "[ [", "[]") is left to it.
#include "config/toml_guard.hpp"

namespace devops_monitor {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

/// TOML's bare key characters and string delimiters: what parse_key() may start with.
bool can_start_key(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '"' || c == '\'';
}

std::size_t skip_blanks(std::string_view text, std::size_t at) {
  while (at < text.size() && is_blank(text[at])) ++at;
  return at;
}

/// The offset of the character parse_key() would start at, when the line at `start` is a
/// table header that gets that far.
std::optional<std::size_t> header_name_start(std::string_view text, std::size_t start) {
  std::size_t at = skip_blanks(text, start);
  if (at >= text.size() || text[at] != '[') return std::nullopt;
  const std::size_t after_bracket = at + 1;
  at = skip_blanks(text, after_bracket);
  if (at >= text.size()) return std::nullopt;
  if (text[at] == '[') {
    if (at != after_bracket) return std::nullopt;  // "[ [": toml++ refuses it
    at = skip_blanks(text, at + 1);
    if (at >= text.size()) return std::nullopt;
  }
  if (text[at] == ']') return std::nullopt;  // blank name: toml++ refuses it
  return at;
}

}  // namespace

std::optional<UnsafeTableHeader> find_unsafe_table_header(std::string_view toml_text) {
  // toml++ skips a UTF-8 byte order mark before the first line.
  std::size_t line_start = toml_text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  for (std::size_t line = 1; line_start <= toml_text.size(); ++line) {
    const std::optional<std::size_t> name = header_name_start(toml_text, line_start);
    if (name && !can_start_key(toml_text[*name])) {
      return UnsafeTableHeader{line_start, line, *name - line_start + 1};
    }
    const std::size_t end = toml_text.find('\n', line_start);
    if (end == std::string_view::npos) break;
    line_start = end + 1;
  }
  return std::nullopt;
}

}  // namespace devops_monitor
