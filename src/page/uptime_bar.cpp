#include "page/uptime_bar.hpp"

#include <fmt/format.h>

#include <map>

#include "page/page_text.hpp"

namespace devops_monitor::page {
namespace {

constexpr int kBarWidth = 6;
constexpr int kBarStep = 8;  // bar and gap
constexpr int kRowHeight = 28;

/// Bars that are not "up" are shorter too (and patterned): the state reads without colour.
int bar_height(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return kRowHeight;
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
      return kRowHeight * 3 / 4;
    case KeyState::invalid:
    case KeyState::restricted:
    case KeyState::unknown:
      return kRowHeight / 2;
    case KeyState::missing:
    case KeyState::unsupported:
      return kRowHeight / 4;
  }
  return kRowHeight / 4;
}

}  // namespace

std::string_view state_class(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return "s-up";
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
      return "s-degraded";
    case KeyState::invalid:
    case KeyState::restricted:  // authenticates, but may not serve this use
      return "s-down";
    case KeyState::unknown:
      return "s-unknown";
    case KeyState::missing:
    case KeyState::unsupported:
      return "s-none";
  }
  return "s-none";
}

std::string_view state_word(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return "up";
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
      return "degraded";
    case KeyState::invalid:
      return "down";
    case KeyState::restricted:
      return "restricted";
    case KeyState::unknown:
      return "unknown";
    case KeyState::missing:
      return "no key";
    case KeyState::unsupported:
      return "not checked";
  }
  return "unknown";
}

std::string uptime_patterns() {
  // Stripes for degraded, cross-hatch for down, dots for unknown: visible in greyscale too.
  return R"(<pattern id="pat-degraded" width="4" height="4" patternUnits="userSpaceOnUse">)"
         R"(<rect width="4" height="4" class="pat-degraded-bg"/><rect width="4" height="1" class="pat-ink"/></pattern>)"
         R"(<pattern id="pat-down" width="4" height="4" patternUnits="userSpaceOnUse">)"
         R"(<rect width="4" height="4" class="pat-down-bg"/><path d="M0 4L4 0M0 0L4 4" class="pat-line"/></pattern>)"
         R"(<pattern id="pat-unknown" width="3" height="3" patternUnits="userSpaceOnUse">)"
         R"(<rect width="3" height="3" class="pat-unknown-bg"/><circle cx="1.5" cy="1.5" r=".7" class="pat-ink"/></pattern>)";
}

std::string render_uptime_bar(std::string_view id, std::string_view provider,
                              const std::vector<UptimeCheck>& checks) {
  const std::size_t first =
      checks.size() > static_cast<std::size_t>(kUptimeBars) ? checks.size() - kUptimeBars : 0;
  const int drawn = static_cast<int>(checks.size() - first);
  std::map<std::string_view, int> counts;
  for (std::size_t i = first; i < checks.size(); ++i) ++counts[state_word(checks[i].state)];
  std::string summary;
  for (const auto& [word, count] : counts) {
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", count, word);
  }
  const std::string name = html_escape(provider);
  std::string svg = fmt::format(
      R"(<svg class="uptime" viewBox="0 0 {} {}" role="img" aria-labelledby="{id}-t {id}-d">)"
      R"(<title id="{id}-t">{} — last {} checks</title><desc id="{id}-d">{}</desc>)",
      kUptimeBars * kBarStep, kRowHeight, name, drawn, fmt::arg("id", id),
      drawn == 0 ? std::string("no checks in the history")
                 : summary + " (oldest first, newest at the right)");
  // Empty slots first, so the newest check is always at the right edge.
  for (int slot = 0; slot < kUptimeBars - drawn; ++slot) {
    svg += fmt::format(R"(<rect class="slot" x="{}" y="0" width="{}" height="{}"/>)",
                       slot * kBarStep, kBarWidth, kRowHeight);
  }
  for (int i = 0; i < drawn; ++i) {
    const UptimeCheck& check = checks[first + static_cast<std::size_t>(i)];
    const int height = bar_height(check.state);
    const std::string latency =
        check.latency_ms ? fmt::format(", {} ms", *check.latency_ms) : std::string();
    svg += fmt::format(R"(<rect class="bar {}" tabindex="0" x="{}" y="{}" width="{}" height="{}">)"
                       R"(<title>{} — {} ({}){}</title></rect>)",
                       state_class(check.state), (kUptimeBars - drawn + i) * kBarStep,
                       kRowHeight - height, kBarWidth, height, format_utc(check.time),
                       state_word(check.state), to_string(check.state), latency);
  }
  return svg + "</svg>";
}

}  // namespace devops_monitor::page
