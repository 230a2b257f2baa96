// Durations as people write them in flags, config and history: "500ms", "10s", "5m", "1h30m",
// "7d". One grammar everywhere (src/model/duration.cpp).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

using Milliseconds = std::chrono::milliseconds;

/// Parses <number><unit> parts, largest unit first (units d, h, m, s, ms; "1h30m", "1d12h"); a
/// part may have decimals that come to whole milliseconds ("1.5s"). A bare number is refused:
/// "10" could mean seconds or milliseconds, and guessing wrong is worse than asking.
Result<Milliseconds> parse_duration(std::string_view text);

/// parse_duration, and the value must lie within [min, max]; the error detail quotes the text
/// and the range (`"10m" is outside 100ms to 5m`). Flags and the config file both use it.
Result<Milliseconds> parse_duration_between(std::string_view text, Milliseconds min,
                                            Milliseconds max);

/// Whole parts from days down: 90000ms -> "1m30s", 1500ms -> "1s500ms", 7 days -> "7d".
std::string format_duration(Milliseconds duration);

}  // namespace devops_monitor
