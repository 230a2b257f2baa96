// Key patterns (Provider::key_patterns, `key_pattern` in the config): what the scanner needs
// from one, checked in one place so the config loader and the scanner agree.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace devops_monitor {

/// The scanner finds candidates by their literal start; shorter starts would make it test the
/// pattern at a large share of all positions.
inline constexpr std::size_t kMinKeyPrefix = 3;
/// Longer patterns are not keys but programs; std::regex compiles them slowly.
inline constexpr std::size_t kMaxKeyPatternLength = 300;

/// The literal characters an ECMAScript pattern starts with: up to the first character with a
/// meaning (`[`, `(`, `\d`, `.`, ...), minus a last one that a quantifier (`?`, `*`, `+`,
/// `{`) applies to. A backslash before punctuation (`\-`, `\.`) is that literal character.
std::string key_pattern_prefix(std::string_view pattern);

/// Why `pattern` cannot be a key pattern (fewer than kMinKeyPrefix literal characters at its
/// start, a top-level `|` that would let a match skip that start, std::regex cannot compile
/// it, too long), or nothing when it can. The text never quotes the pattern.
std::optional<std::string> key_pattern_problem(std::string_view pattern);

/// key_pattern_problem without compiling the pattern: for patterns known to compile.
std::optional<std::string> key_pattern_shape_problem(std::string_view pattern);

}  // namespace devops_monitor
