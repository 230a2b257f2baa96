// Two scans. Table headers are checked at every line start, mirroring toml++ 3.3's
// parse_table_header() up to its call of parse_key(). Everything else is checked by one pass
// that knows strings and comments and remembers the last character that mattered: it does
// not know whether a line is inside a multi-line value, and does not need to.
#include "config/toml_guard.hpp"

#include <algorithm>
#include <vector>
#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

enum class Kind { table_name, closing_brace, non_ascii, escaped_non_ascii };

struct Spot {
  std::size_t offset = 0;
  std::size_t length = 1;
  Kind kind = Kind::table_name;
};

bool is_ascii(char c) {
  return static_cast<unsigned char>(c) < 0x80;
}

/// TOML's bare key characters and string delimiters: what parse_key() may start with.
bool can_start_key(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '"' || c == '\'';
}

/// The bytes of the UTF-8 character that starts at `at` (1 for a stray byte).
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return std::min(length, text.size() - at);
}

std::size_t start_of_text(std::string_view text) {
  return text.starts_with(kByteOrderMark) ? kByteOrderMark.size() : 0;  // toml++ skips it
}

std::size_t skip_blanks(std::string_view text, std::size_t at) {
  while (at < text.size() && ascii::is_space_or_tab(text[at])) ++at;
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

void find_header_spots(std::string_view text, std::vector<Spot>& spots) {
  std::size_t line_start = start_of_text(text);
  while (true) {
    const std::optional<std::size_t> name = header_name_start(text, line_start);
    if (name && !can_start_key(text[*name])) spots.push_back({*name, 1, Kind::table_name});
    const std::size_t end = text.find('\n', line_start);
    if (end == std::string_view::npos) return;
    line_start = end + 1;
  }
}

/// Skips the string that opens at `at` and returns the offset after it (or after its line,
/// when it never closes: toml++ reports that). In a multi-line basic string, toml++ asks
/// whether the character after a backslash, and after the blanks and line breaks that
/// follow, is whitespace.
std::size_t skip_string(std::string_view text, std::size_t at, std::vector<Spot>& spots) {
  const char quote = text[at];
  const bool escapes = quote == '"';
  const std::string_view triple = quote == '"' ? "\"\"\"" : "'''";
  if (text.substr(at, 3) != triple) {
    std::size_t i = at + 1;
    while (i < text.size() && text[i] != '\n') {
      if (escapes && text[i] == '\\') {
        i += 2;
      } else if (text[i] == quote) {
        return i + 1;
      } else {
        ++i;
      }
    }
    return std::min(i, text.size());
  }
  std::size_t i = at + 3;
  while (i < text.size()) {
    if (escapes && text[i] == '\\') {
      std::size_t next = i + 1;
      while (next < text.size() &&
             (ascii::is_space_or_tab(text[next]) || text[next] == '\n' || text[next] == '\r'))
        ++next;
      if (next < text.size() && !is_ascii(text[next])) {
        spots.push_back({next, utf8_length(text, next), Kind::escaped_non_ascii});
      }
      i = next == i + 1 ? i + 2 : next;  // an ordinary escape, or what follows the blanks
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

/// Where the scan is: reading keys or values, and inside a bare value (a number, boolean or
/// date), which toml++ reads up to the next blank, ']', '}', ',' or '#' whatever comes
/// before: `x = 1"ω"` is not a string to it (found by config fuzzer).
struct ScanState {
  bool value = false;            // after '=', or inside an array
  bool in_bare_value = false;    // inside a number, boolean or date
  std::vector<char> containers;  // '[' arrays and '{' inline tables, innermost last
  char last = '\n';              // the last character outside strings, comments and blanks

  void closed_container() {
    containers.pop_back();
    value = true;  // a closed array or table is a value of what holds it
  }
};

bool ends_bare_value(char c) {
  return ascii::is_space_or_tab(c) || c == '\n' || c == '\r' || c == ']' || c == '}' || c == ',' ||
         c == '#';
}

void find_value_spots(std::string_view text, std::vector<Spot>& spots) {
  ScanState scan;
  std::size_t i = start_of_text(text);
  while (i < text.size()) {
    const char c = text[i];
    if (!is_ascii(c)) {
      spots.push_back({i, utf8_length(text, i), Kind::non_ascii});
      i += utf8_length(text, i);
      continue;
    }
    if (scan.in_bare_value && !ends_bare_value(c)) {  // quotes included
      ++i;
      continue;
    }
    scan.in_bare_value = false;
    if (c == '#') {
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end;
      continue;
    }
    if (c == '"' || c == '\'') {
      i = skip_string(text, i, spots);
      scan.last = 'v';  // a value
      continue;
    }
    if (c == '}' && (scan.last == '[' || scan.last == ',')) {
      spots.push_back({i, 1, Kind::closing_brace});
      ++i;
      continue;
    }
    const bool in_array = !scan.containers.empty() && scan.containers.back() == '[';
    const bool in_table = !scan.containers.empty() && scan.containers.back() == '{';
    if (c == '\n') {
      if (scan.containers.empty()) scan.value = false;  // the next statement starts
    } else if (c == '=') {
      scan.value = true;
    } else if (c == '[') {
      if (scan.value) scan.containers.push_back('[');  // else a table header
    } else if (c == ']') {
      if (in_array) scan.closed_container();
    } else if (c == '{') {
      if (scan.value) {
        scan.containers.push_back('{');
        scan.value = false;  // its keys come first
      }
    } else if (c == '}') {
      if (in_table) scan.closed_container();
    } else if (c == ',') {
      scan.value = in_array;  // the next element, or the inline table's next key
    } else if (scan.value && !ascii::is_space_or_tab(c) && c != '\r') {
      scan.in_bare_value = true;
    }
    if (!ascii::is_space_or_tab(c) && c != '\n' && c != '\r') scan.last = c;
    ++i;
  }
}

std::vector<Spot> all_spots(std::string_view text) {
  std::vector<Spot> spots;
  find_header_spots(text, spots);
  find_value_spots(text, spots);
  // At the same offset a table name explains more than "non-ASCII" does.
  std::stable_sort(spots.begin(), spots.end(),
                   [](const Spot& a, const Spot& b) { return a.offset < b.offset; });
  return spots;
}

std::string problem_of(Kind kind) {
  switch (kind) {
    case Kind::table_name:
      return "a table name must start with a letter, a digit, '_', '-' or a quote";
    case Kind::closing_brace:
      return "expected a value, found '}'";
    case Kind::non_ascii:
      return "non-ASCII characters are only allowed in strings and comments";
    case Kind::escaped_non_ascii:
      break;
  }
  return "in a multi-line string, a backslash must not be followed by a non-ASCII character";
}

}  // namespace

std::optional<UnsafeTomlSpot> find_unsafe_toml(std::string_view toml_text) {
  const std::vector<Spot> spots = all_spots(toml_text);
  if (spots.empty()) return std::nullopt;
  const Spot& first = spots.front();
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = start_of_text(toml_text); i < first.offset; ++i) {
    if (toml_text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(toml_text[i]) & 0xC0) != 0x80) {
      ++column;  // UTF-8 continuation bytes do not count
    }
  }
  return UnsafeTomlSpot{first.offset, line, column, problem_of(first.kind)};
}

std::string defuse_toml(std::string_view toml_text) {
  // Blanking out can uncover more ("[}}", a line that now starts with '['), so the scan
  // runs again; a file that keeps going is not worth a better message.
  constexpr int kMaxRounds = 8;
  std::string text(toml_text);
  for (int round = 0; round < kMaxRounds; ++round) {
    const std::vector<Spot> spots = all_spots(text);
    if (spots.empty()) return text;
    for (const Spot& spot : spots) {
      // A name stays a name ('x'), an escape stays an escape ("\n"), the rest becomes blanks.
      const char with = spot.kind == Kind::table_name          ? 'x'
                        : spot.kind == Kind::escaped_non_ascii ? 'n'
                                                               : ' ';
      text.replace(spot.offset, spot.length, spot.length, with);
    }
  }
  return {};
}

}  // namespace devops_monitor
