// What both dashboard renderers share: columns of UTF-8 text, the words for key states, the
// sparkline glyphs and number formats. Pure helpers over strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/dashboard.hpp"

namespace devops_monitor::dashboard {

/// Terminal columns of printable UTF-8 text: one per code point. (East Asian wide characters
/// take two on a terminal; names and messages are nearly always narrow, and a wide one only
/// shortens the padding of its own line.)
std::size_t columns(std::string_view text);

/// The first `width` columns of `text`; when it is cut, the last kept column is an ellipsis
/// ("…", or "~" in ASCII).
std::string cut(std::string_view text, std::size_t width, bool unicode);

/// `text` cut to `width` columns and padded with spaces to exactly `width` (left aligned), or
/// right aligned when `right`.
std::string fit(std::string_view text, std::size_t width, bool unicode, bool right = false);

/// "valid", "invalid", "no key", "quota exhausted", ... ("checking" before the first round).
std::string state_words(const DashboardProvider& provider);

/// One glyph per check, oldest first, the newest `count` at most: the latency's height among
/// the shown checks when the key authenticated (valid, rate limited, quota exhausted), "x"
/// invalid, "?" unknown, a dot or a space when there was no key or no endpoint.
std::vector<std::string> sparkline(const std::vector<DashboardCheck>& checks, std::size_t count,
                                   bool unicode);

/// "45.2%"; "-" when absent.
std::string percent_text(std::optional<double> percent);

/// "230ms", "1.2s"; "-" when absent.
std::string latency_text(std::optional<std::int64_t> latency_ms);

/// "0.52 0.40 0.33".
std::string load_text(const LoadAverage& load);

/// "checked 03:21:52, next 03:22:52 (in 34s), every 1m" and the like.
std::string schedule_text(const DashboardView& view);

}  // namespace devops_monitor::dashboard
