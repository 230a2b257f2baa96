// A provider's row of uptime bars: its last checks, one bar each, newest at the right. Each
// bar is focusable and carries a tooltip (<title>: time, state, latency); states differ by
// pattern and height as well as colour, and a legend on the page names them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/report.hpp"
#include "util/time_format.hpp"

namespace devops_monitor::page {

struct UptimeCheck {
  SystemTime time{};
  KeyState state = KeyState::missing;
  std::optional<std::int64_t> latency_ms{};
};

/// At most this many bars per row (the last checks).
inline constexpr int kUptimeBars = 90;

/// The class a state is drawn with ("s-up", "s-degraded", "s-down", "s-unknown", "s-none")
/// and the word shown for it ("up", "degraded", "down", "unknown", "no key").
std::string_view state_class(KeyState state);
std::string_view state_word(KeyState state);

/// The SVG row for `checks` (oldest first; only the last kUptimeBars are drawn). `id` is
/// unique in the page ([a-z0-9-]); `provider` is outside text (escaped here).
std::string render_uptime_bar(std::string_view id, std::string_view provider,
                              const std::vector<UptimeCheck>& checks);

/// The <defs> the bars' patterns come from: once per page.
std::string uptime_patterns();

}  // namespace devops_monitor::page
