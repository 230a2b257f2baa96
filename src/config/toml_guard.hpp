// A guard in front of toml++ for the inputs it does not refuse cleanly.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace devops_monitor {

/// A place where toml++ would stop on an assertion or reach __builtin_unreachable() instead
/// of reporting a syntax error.
struct UnsafeTomlSpot {
  std::size_t offset = 0;  // in bytes
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in characters (as toml++ counts them)
  std::string problem;     // for the syntax error: what is wrong there
};

/// The first such place for toml++ 3.3 (Debian 12). Each was found by fuzz/config_fuzz.cpp;
/// each is a mistake in a config anyway (only the last could be valid TOML, and no value of
/// ours looks like it):
///   - a table header whose name starts with a character no key starts with ("[:x]",
///     "[[=", "[[[a]]]"): an assertion (abort() in debug builds, __builtin_assume in
///     optimised clang builds); fixed upstream in marzer/tomlplusplus#301;
///   - an array element that starts with '}' ("x = [}", "[1, }"): an assertion;
///   - a non-ASCII character outside strings and comments ("é = 1", "x = 1 ω", and
///     "x = 1\"ω\"", where the quote does not open a string: toml++ reads a number up to the
///     next blank or bracket): its whitespace tables end in __builtin_unreachable() for
///     U+00A1 to U+0499, in every build;
///   - in a multi-line basic string, a non-ASCII character right after a backslash and any
///     blanks or line breaks ("""a\<newline>é"""): the same tables.
std::optional<UnsafeTomlSpot> find_unsafe_toml(std::string_view toml_text);

/// `toml_text` with every such place blanked out (replaced by ASCII that toml++ reads
/// safely), for toml++ to find the mistakes that come before the first one. Empty if blanking
/// out keeps uncovering new ones.
std::string defuse_toml(std::string_view toml_text);

}  // namespace devops_monitor
