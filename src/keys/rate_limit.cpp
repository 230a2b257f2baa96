#include "keys/rate_limit.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "util/time_format.hpp"

namespace devops_monitor {
namespace {

// Longer values are not a number of ours: a peer could send 8 KiB of digits.
constexpr std::size_t kMaxRateValue = 64;
// A reset or retry further away than a year is not a rate-limit window.
constexpr double kMaxSeconds = 366.0 * 24 * 3600;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// "4980" -> 4980; nullopt for signs, blanks, fractions, overflow.
std::optional<std::int64_t> parse_count(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  if (!is_digit(text.front())) return std::nullopt;
  return value;
}

/// "12.5" (digits, at most one point) -> 12.5.
std::optional<double> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > kMaxRateValue) return std::nullopt;
  if (!is_digit(text.front()) && text.front() != '.') return std::nullopt;
  double value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::fixed);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || value < 0 || value > kMaxSeconds) return std::nullopt;
  return value;
}

/// Seconds since the epoch of a civil UTC date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// Google's 429 body: details[] RetryInfo {"retryDelay": "23s"} (protobuf JSON duration).
std::optional<double> google_retry_delay(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("error") || !doc["error"].is_object()) return std::nullopt;
  const auto& error = doc["error"];
  if (!error.contains("details") || !error["details"].is_array()) return std::nullopt;
  for (const auto& detail : error["details"]) {
    if (!detail.is_object() || !detail.contains("retryDelay")) continue;
    const auto& delay = detail["retryDelay"];
    if (!delay.is_string()) return std::nullopt;
    std::string_view text = delay.get_ref<const std::string&>();
    if (text.empty() || text.back() != 's') return std::nullopt;
    text.remove_suffix(1);
    return parse_decimal(text);
  }
  return std::nullopt;
}

void read_retry_after(const Provider& provider, const HttpOutcome& outcome, RateLimitInfo& info) {
  if (const auto value = outcome.header("retry-after")) {
    if (auto seconds = parse_seconds(*value)) {
      info.retry_after_seconds = seconds;
    } else if (auto date = parse_http_date(*value)) {
      info.retry_after_at = std::move(date);
    }
    return;
  }
  if (provider.dialect == Dialect::google && outcome.http_status == 429) {
    info.retry_after_seconds = google_retry_delay(outcome.body);
  }
}

}  // namespace

std::optional<double> parse_seconds(std::string_view text) {
  return parse_decimal(text);
}

std::optional<double> parse_go_duration(std::string_view text) {
  if (text.empty() || text.size() > kMaxRateValue) return std::nullopt;
  if (text == "0") return 0.0;
  double total = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && (is_digit(text[digits]) || text[digits] == '.')) ++digits;
    if (digits == 0) return std::nullopt;
    const std::optional<double> number = parse_decimal(text.substr(0, digits));
    if (!number) return std::nullopt;
    text.remove_prefix(digits);
    double unit = 0;
    if (text.starts_with("ms")) {
      unit = 0.001;
      text.remove_prefix(2);
    } else if (text.starts_with("us") || text.starts_with("µs")) {
      unit = 0.000001;
      text.remove_prefix(text.starts_with("us") ? 2 : std::string_view("µs").size());
    } else if (text.starts_with("ns")) {
      unit = 0.000000001;
      text.remove_prefix(2);
    } else if (text.starts_with("h")) {
      unit = 3600;
      text.remove_prefix(1);
    } else if (text.starts_with("m")) {
      unit = 60;
      text.remove_prefix(1);
    } else if (text.starts_with("s")) {
      unit = 1;
      text.remove_prefix(1);
    } else {
      return std::nullopt;
    }
    total += *number * unit;
  }
  if (total > kMaxSeconds) return std::nullopt;
  return total;
}

std::optional<std::string> parse_http_date(std::string_view text) {
  // IMF-fixdate only: "Sun, 06 Nov 1994 08:49:37 GMT" (29 characters).
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int value = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (!is_digit(text[i])) return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const auto day = number(5, 2);
  const auto year = number(12, 4);
  const auto hour = number(17, 2);
  const auto minute = number(20, 2);
  const auto second = number(23, 2);
  if (!day || !year || !hour || !minute || !second || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return std::nullopt;
  }
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (text.substr(8, 3) == kMonths[i]) month = i + 1;
  }
  if (month == 0 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  // Round-trip through days so "31 Feb" is refused rather than rolled over.
  const std::int64_t days = days_from_civil(*year, month, static_cast<unsigned>(*day));
  if (days_from_civil(*year, month, 1) + *day - 1 != days ||
      (month < 12 ? days_from_civil(*year, month + 1, 1) : days_from_civil(*year + 1, 1, 1)) <=
          days) {
    return std::nullopt;
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", *year, month, *day, *hour, *minute,
                     *second);
}

RateLimitInfo read_rate_limit(const Provider& provider, const HttpOutcome& outcome) {
  RateLimitInfo info;
  if (outcome.failure != TransportFailure::none || !outcome.http_status) return info;
  read_retry_after(provider, outcome, info);

  // Which family this provider sends; the first one present wins.
  struct Family {
    const char* limit;
    const char* remaining;
    const char* reset;
    enum { go_duration, seconds, instant } reset_form;
  };
  static constexpr std::array<Family, 3> kFamilies = {{
      {"anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining",
       "anthropic-ratelimit-requests-reset", Family::instant},
      {"x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
       Family::go_duration},
      {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", Family::seconds},
  }};
  for (const Family& family : kFamilies) {
    const auto limit = outcome.header(family.limit);
    const auto remaining = outcome.header(family.remaining);
    const auto reset = outcome.header(family.reset);
    if (!limit && !remaining && !reset) continue;
    const auto limit_value = limit ? parse_count(*limit) : std::nullopt;
    const auto remaining_value = remaining ? parse_count(*remaining) : std::nullopt;
    const bool counts_ok = limit_value && remaining_value && *remaining_value <= *limit_value;
    if (counts_ok) {
      info.limit = limit_value;
      info.remaining = remaining_value;
    } else if (limit || remaining) {
      info.unreadable = true;  // one of them missing or malformed: report neither, never guess
    }
    if (reset) {
      switch (family.reset_form) {
        case Family::instant:
          if (parse_rfc3339(*reset)) info.reset_at = *reset;
          break;
        case Family::go_duration:
          // OpenAI documents durations; a bare number of seconds is read as well.
          info.reset_seconds = parse_go_duration(*reset);
          if (!info.reset_seconds) info.reset_seconds = parse_seconds(*reset);
          break;
        case Family::seconds:
          info.reset_seconds = parse_seconds(*reset);
          break;
      }
      if (!info.reset_at && !info.reset_seconds) info.unreadable = true;
    }
    break;
  }
  return info;
}

}  // namespace devops_monitor
