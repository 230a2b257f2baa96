// --since: the durations of flags and config, with days in front (a history is measured in
// days; parse_duration itself refuses "d" on purpose, where a day is never meant).
#include <cstdint>

#include "devops_monitor/duration.hpp"
#include "history/history.hpp"

namespace devops_monitor::history {
namespace {

constexpr std::int64_t kMaxRangeDays = 3650;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

Error bad_history_range(std::string_view text, const std::string& why) {
  return Error{"invalid duration", "\"" + std::string(text) + "\" " + why, ""};
}

}  // namespace

Result<std::chrono::milliseconds> parse_history_range(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::int64_t days = 0;
  std::string_view rest = text;
  if (digits > 0 && digits < text.size() && text[digits] == 'd') {
    if (digits > 5) return bad_history_range(text, "is more than 3650 days");
    for (std::size_t i = 0; i < digits; ++i) days = days * 10 + (text[i] - '0');
    rest = text.substr(digits + 1);
  }
  std::int64_t ms = days * kDayMs;
  if (!rest.empty()) {
    Result<Milliseconds> part = parse_duration(rest);
    if (!part) {
      return bad_history_range(
          text, "is not a duration; write days, hours or minutes, like 7d, 36h, 1d12h");
    }
    if (part->count() > kMaxRangeDays * kDayMs)
      return bad_history_range(text, "is more than 3650 days");
    ms += part->count();
  }
  if (ms <= 0) return bad_history_range(text, "is not a positive duration");
  if (ms > kMaxRangeDays * kDayMs) return bad_history_range(text, "is more than 3650 days");
  return std::chrono::milliseconds(ms);
}

}  // namespace devops_monitor::history
