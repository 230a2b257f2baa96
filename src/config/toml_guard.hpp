// A guard in front of toml++ for the inputs it does not refuse cleanly.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace devops_monitor {

/// Where toml++ would stop on an assertion instead of a syntax error.
struct UnsafeTomlSpot {
  std::size_t offset = 0;  // in bytes
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in characters (as toml++ counts them)
  std::size_t length = 1;  // bytes of the offending character
  bool in_header = false;  // a table name, else an array element
  std::string problem;     // for the syntax error: what is wrong there
};

/// The first place toml++ 3.3 (Debian 12) checks only with an assertion (abort() in debug
/// builds, __builtin_assume, that is undefined behaviour, in optimised clang builds):
///   - a table header whose name starts with a character no key starts with ("[:x]",
///     "[[=", "[[[a]]]"; fixed upstream in marzer/tomlplusplus#301);
///   - an array element that starts with '}' ("x = [}", "[1, }") or with U+0085, U+2028 or
///     U+2029, which toml++ counts as whitespace but does not skip.
/// Both found by fuzz/config_fuzz.cpp. The scan knows strings and comments but not whether a
/// line is inside a multi-line value; either way the spot is a mistake in a config, where no
/// string may span lines and no array may nest.
std::optional<UnsafeTomlSpot> find_unsafe_toml(std::string_view toml_text);

/// `toml_text` with every such spot blanked out (a table name's first character becomes 'x',
/// an element's '}' or line break becomes blanks), for toml++ to find the mistakes before
/// the first spot. Empty if there are too many spots to blank out one by one.
std::string defuse_toml(std::string_view toml_text);

}  // namespace devops_monitor
