// Durations as people write them in flags and config: "1s", "500ms", "5m", "1h30m", "1.5s".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

using Milliseconds = std::chrono::milliseconds;

/// Parses a sequence of <number><unit> parts (units ms, s, m, h). A bare number is refused:
/// "10" could mean seconds or milliseconds, and guessing wrong is worse than asking.
Result<Milliseconds> parse_duration(std::string_view text);

/// parse_duration, and the value must lie within [min, max]; the error detail quotes the text
/// and the range (`"10m" is outside 100ms to 5m`). Flags and the config file both use it.
Result<Milliseconds> parse_duration_between(std::string_view text, Milliseconds min,
                                            Milliseconds max);

/// The shortest exact spelling: 1500ms -> "1.5s", 60000ms -> "1m", 250ms -> "250ms".
std::string format_duration(Milliseconds duration);

}  // namespace devops_monitor
