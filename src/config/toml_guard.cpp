// Two scans: table headers are checked at every line start, mirroring toml++ 3.3's
// parse_table_header() up to its call of parse_key(); array elements are checked by a scan
// that skips strings and comments and remembers the last character that mattered.
#include "config/toml_guard.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

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
/// table header that gets that far: '[', blanks, an optional second '[' right after the
/// first, blanks, then the name. What toml++ refuses on the way (end of file, "[ [", "[]")
/// is left to it.
std::optional<std::size_t> header_name_start(std::string_view text, std::size_t start) {
  std::size_t at = skip_blanks(text, start);
  if (at >= text.size() || text[at] != '[') return std::nullopt;
  const std::size_t after_bracket = at + 1;
  at = skip_blanks(text, after_bracket);
  if (at >= text.size()) return std::nullopt;
  if (text[at] == '[') {
    if (at != after_bracket) return std::nullopt;
    at = skip_blanks(text, at + 1);
    if (at >= text.size()) return std::nullopt;
  }
  if (text[at] == ']') return std::nullopt;
  return at;
}

std::optional<std::size_t> first_bad_header(std::string_view text) {
  std::size_t line_start = text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;
  while (true) {
    const std::optional<std::size_t> name = header_name_start(text, line_start);
    if (name && !can_start_key(text[*name])) return name;
    const std::size_t end = text.find('\n', line_start);
    if (end == std::string_view::npos) return std::nullopt;
    line_start = end + 1;
  }
}

/// Line breaks toml++ counts as whitespace but does not consume (UTF-8 of U+0085, U+2028,
/// U+2029): never valid outside strings and comments.
std::size_t unicode_line_break_at(std::string_view text, std::size_t at) {
  for (const std::string_view mark : {"\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}) {
    if (text.substr(at, mark.size()) == mark) return mark.size();
  }
  return 0;
}

/// The end of the string that opens at `at` (one past its closing quote), or of its line
/// when it never closes: toml++ reports that itself.
std::size_t skip_string(std::string_view text, std::size_t at) {
  const char quote = text[at];
  const bool escapes = quote == '"';
  const std::string_view triple = quote == '"' ? "\"\"\"" : "'''";
  if (text.substr(at, 3) == triple) {
    std::size_t i = at + 3;
    while (i < text.size()) {
      if (escapes && text[i] == '\\') {
        i += 2;
      } else if (text.substr(i, 3) == triple) {
        i += 3;
        // Up to two more quotes right before the end belong to the string ("""a""""").
        for (int extra = 0; extra < 2 && i < text.size() && text[i] == quote; ++extra) ++i;
        return i;
      } else {
        ++i;
      }
    }
    return text.size();
  }
  std::size_t i = at + 1;
  while (i < text.size() && text[i] != '\n') {
    if (escapes && text[i] == '\\') {
      i += 2;
      continue;
    }
    if (text[i] == quote) return i + 1;
    ++i;
  }
  return std::min(i, text.size());
}

std::optional<std::size_t> first_bad_array_element(std::string_view text) {
  char last = '\n';  // the last character outside strings, comments and blanks
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '#') {
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end;
    } else if (c == '"' || c == '\'') {
      i = skip_string(text, i);
      last = 'v';  // a value
    } else if (const std::size_t length = unicode_line_break_at(text, i); length > 0) {
      return i;
    } else if (c == '}' && (last == '[' || last == ',')) {
      return i;
    } else {
      if (!is_blank(c) && c != '\n' && c != '\r') last = c;
      ++i;
    }
  }
  return std::nullopt;
}

UnsafeTomlSpot spot_at(std::string_view text, std::size_t offset, std::size_t length,
                       bool in_header, std::string problem) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80 && !(i == 0 && text.starts_with(kByteOrderMark))) {
      ++column;  // UTF-8 continuation bytes and the byte order mark do not count
    }
  }
  return {offset, line, column, length, in_header, std::move(problem)};
}

}  // namespace

std::optional<UnsafeTomlSpot> find_unsafe_toml(std::string_view toml_text) {
  const std::optional<std::size_t> header = first_bad_header(toml_text);
  const std::optional<std::size_t> element = first_bad_array_element(toml_text);
  if (header && (!element || *header <= *element)) {
    return spot_at(toml_text, *header, 1, true,
                   "a table name must start with a letter, a digit, '_', '-' or a quote");
  }
  if (!element) return std::nullopt;
  if (toml_text[*element] == '}') {
    return spot_at(toml_text, *element, 1, false, "expected a value, found '}'");
  }
  return spot_at(toml_text, *element, unicode_line_break_at(toml_text, *element), false,
                 "a Unicode line break (U+0085, U+2028, U+2029) outside a string");
}

std::string defuse_toml(std::string_view toml_text) {
  // Each round blanks out one spot and may uncover another ("[}}", or a line that now starts
  // with '['), so the scan runs again; a file with this many is not worth a better message.
  constexpr int kMaxSpots = 64;
  std::string text(toml_text);
  for (int round = 0; round < kMaxSpots; ++round) {
    const std::optional<UnsafeTomlSpot> spot = find_unsafe_toml(text);
    if (!spot) return text;
    if (spot->in_header) {
      text[spot->offset] = 'x';
    } else {
      text.replace(spot->offset, spot->length, spot->length, ' ');
    }
  }
  return {};
}

}  // namespace devops_monitor
