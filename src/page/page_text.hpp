// Text on the status page: everything that came from a report is outside text, escaped for
// HTML text and attributes alike; times are shown in UTC (the server cannot know the reader's
// time zone, and a CI artifact is read anywhere).
#pragma once

#include <string>
#include <string_view>

#include "util/time_format.hpp"

namespace devops_monitor::page {

/// `text` made printable (valid UTF-8, no control characters), then & < > " ' escaped: safe
/// both between tags and inside a quoted attribute value.
std::string html_escape(std::string_view text);

/// "2026-12-06 03:21 UTC".
std::string format_utc(SystemTime time);
/// "03:21" within a day's chart, "12-06" on longer ones.
std::string format_axis_time(SystemTime time, bool with_date);
/// "2026-12-06T03:21:00Z", for <time datetime=...>.
std::string format_iso_utc(SystemTime time);
/// "3 min", "2 h 5 min", "4 d 3 h": how long ago, for people.
std::string format_age(std::chrono::seconds age);
/// "99.2%", one decimal, from a 0..1 share.
std::string format_share(double share);
/// "12.5" with at most one decimal, no trailing ".0".
std::string format_number(double value);

}  // namespace devops_monitor::page
