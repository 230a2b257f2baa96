#include "dashboard/screen_text.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace devops_monitor::dashboard {
namespace {

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// "%.1f" of a value, without the locale.
std::string one_decimal(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  return buffer;
}

}  // namespace

std::size_t columns(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string cut(std::string_view text, std::size_t width, bool unicode) {
  if (columns(text) <= width) return std::string(text);
  if (width == 0) return "";
  // Keep width - 1 code points, then the ellipsis.
  std::size_t kept = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    if (!is_continuation_byte(text[end])) {
      if (kept == width - 1) break;
      ++kept;
    }
    ++end;
  }
  return std::string(text.substr(0, end)) + (unicode ? "\u2026" : "~");
}

std::string fit(std::string_view text, std::size_t width, bool unicode, bool right) {
  std::string shown = cut(text, width, unicode);
  const std::string padding(width - columns(shown), ' ');
  return right ? padding + shown : shown + padding;
}

std::string state_words(const DashboardProvider& provider) {
  if (!provider.checked) return "checking";
  switch (provider.state) {
    case KeyState::missing:
      return "no key";
    case KeyState::quota_exhausted:
      return "quota exhausted";
    case KeyState::rate_limited:
      return "rate limited";
    default:
      return std::string(to_string(provider.state));
  }
}

std::vector<std::string> sparkline(const std::vector<DashboardCheck>& checks, std::size_t count,
                                   bool unicode) {
  static constexpr const char* kBlocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                            "\u2585", "\u2586", "\u2587", "\u2588"};
  static constexpr const char* kAsciiLevels[] = {"_", ".", "-", "=", "#"};
  const std::size_t first = checks.size() > count ? checks.size() - count : 0;
  std::int64_t slowest = 0;
  for (std::size_t i = first; i < checks.size(); ++i) {
    slowest = std::max(slowest, checks[i].latency_ms.value_or(0));
  }
  std::vector<std::string> glyphs;
  for (std::size_t i = first; i < checks.size(); ++i) {
    const DashboardCheck& check = checks[i];
    switch (check.state) {
      case KeyState::valid:
      case KeyState::rate_limited:
      case KeyState::quota_exhausted: {
        const std::size_t levels = unicode ? std::size(kBlocks) : std::size(kAsciiLevels);
        // The slowest shown check is the top level; no latency measured: the bottom one.
        std::size_t level = 0;
        if (slowest > 0 && check.latency_ms) {
          level = static_cast<std::size_t>(*check.latency_ms * static_cast<std::int64_t>(levels) /
                                           (slowest + 1));
        }
        level = std::min(level, levels - 1);
        glyphs.emplace_back(unicode ? kBlocks[level] : kAsciiLevels[level]);
        break;
      }
      case KeyState::invalid:
      case KeyState::restricted:
        glyphs.emplace_back("x");
        break;
      case KeyState::unknown:
        glyphs.emplace_back("?");
        break;
      default:  // missing, unsupported: nothing was checked
        glyphs.emplace_back(unicode ? "\u00b7" : " ");
        break;
    }
  }
  return glyphs;
}

std::string percent_text(std::optional<double> percent) {
  return percent ? one_decimal(*percent) + "%" : "-";
}

std::string latency_text(std::optional<std::int64_t> latency_ms) {
  if (!latency_ms) return "-";
  if (*latency_ms < 1000) return std::to_string(*latency_ms) + "ms";
  return one_decimal(static_cast<double>(*latency_ms) / 1000.0) + "s";
}

std::string load_text(const LoadAverage& load) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f %.2f %.2f", load.one, load.five, load.fifteen);
  return buffer;
}

std::string schedule_text(const DashboardView& view) {
  std::string text;
  if (view.checking) {
    text = "checking now";
  } else if (view.last_check) {
    text = "checked " + *view.last_check;
  } else {
    text = "not checked yet";
  }
  if (!view.checking && view.next_check) {
    text += ", next " + *view.next_check;
    if (view.next_check_in_s) text += " (in " + std::to_string(*view.next_check_in_s) + "s)";
  }
  return text + ", every " + view.key_interval;
}

}  // namespace devops_monitor::dashboard
