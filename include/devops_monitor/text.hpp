// Text that came from outside (provider answers, config files, reports and paths on disk)
// made safe to show on a terminal or to keep in a report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace devops_monitor {

/// `text` as one line that cannot drive a terminal nor be shown in another order than it is
/// read: C0 and C1 control characters (U+0000 to U+001F, U+007F to U+009F) and bidirectional
/// controls (U+202A to U+202E, U+2066 to U+2069, and the marks U+200E, U+200F, U+061C) are
/// removed, except that tab, newline, vertical tab, form feed, carriage return and the line
/// and paragraph separators U+2028 and U+2029 become a space; every ill-formed UTF-8 sequence
/// (a stray 0x9B is CSI on an 8-bit terminal) becomes one U+FFFD. Other valid UTF-8 (accents,
/// CJK, right-to-left letters, emoji, zero-width joiners) is kept as is. The result is valid
/// UTF-8 without those characters, and printable(printable(x)) == printable(x).
std::string printable(std::string_view text);

/// The candidate `word` most likely misspells, for "did you mean": within one edit per three
/// characters (at most two; insertions, deletions and substitutions), or a prefix of at least
/// three characters ("--rep" for "--report-dir"). None when nothing is that close.
std::optional<std::string> closest_word(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace devops_monitor
