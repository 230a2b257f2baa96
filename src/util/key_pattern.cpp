#include "util/key_pattern.hpp"

#include <regex>

#include "util/ascii.hpp"

namespace devops_monitor {
namespace {

constexpr std::string_view kMetaCharacters = "\\^$.|?*+()[]{}";
constexpr std::string_view kQuantifiers = "?*+{";

bool is_meta(char c) {
  return kMetaCharacters.find(c) != std::string_view::npos;
}

/// `|` outside any group or class: `abc|x` would match an "x" that does not start with abc.
bool has_top_level_alternation(std::string_view pattern) {
  int depth = 0;
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == '|' && depth <= 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string key_pattern_prefix(std::string_view pattern) {
  std::string prefix;
  std::size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    std::size_t width = 1;
    if (c == '\\') {
      // Only escaped punctuation is a literal; \d, \w, \b, \x41... have meanings.
      if (i + 1 >= pattern.size()) break;
      const char next = pattern[i + 1];
      if (ascii::is_alpha(next) || ascii::is_digit(next)) break;
      c = next;
      width = 2;
    } else if (is_meta(c)) {
      break;
    }
    const std::size_t after = i + width;
    if (after < pattern.size() && kQuantifiers.find(pattern[after]) != std::string_view::npos) {
      break;  // "ab?" or "ab{2}": the last character may be missing or repeated
    }
    prefix += c;
    i = after;
  }
  return prefix;
}

std::optional<std::string> key_pattern_shape_problem(std::string_view pattern) {
  if (pattern.size() > kMaxKeyPatternLength) {
    return "is longer than " + std::to_string(kMaxKeyPatternLength) + " characters";
  }
  if (has_top_level_alternation(pattern)) {
    return "must not use | outside parentheses: every match has to start with the same "
           "literal characters";
  }
  if (key_pattern_prefix(pattern).size() < kMinKeyPrefix) {
    return "must start with at least " + std::to_string(kMinKeyPrefix) +
           " literal characters, like \"abc_[A-Za-z0-9]{32}\" (the scanner looks for them "
           "first)";
  }
  return std::nullopt;
}

std::optional<std::string> key_pattern_problem(std::string_view pattern) {
  if (std::optional<std::string> problem = key_pattern_shape_problem(pattern)) return problem;
  try {
    const std::regex compiled(pattern.begin(), pattern.end(), std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return std::string("is not a regular expression std::regex can compile: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace devops_monitor
