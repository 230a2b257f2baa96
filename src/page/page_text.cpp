#include "page/page_text.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "devops_monitor/text.hpp"

namespace devops_monitor::page {

std::string html_escape(std::string_view text) {
  const std::string clean = printable(text);
  std::string out;
  out.reserve(clean.size() + 16);
  for (const char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

struct UtcParts {
  int year;
  unsigned month, day;
  long long hour, minute, second;
};

UtcParts utc_parts(SystemTime time) {
  using namespace std::chrono;
  const auto day_start = floor<days>(time);
  const year_month_day date{day_start};
  const hh_mm_ss clock{floor<seconds>(time - day_start)};
  return {static_cast<int>(date.year()),     static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()), clock.hours().count(),
          clock.minutes().count(),           clock.seconds().count()};
}

}  // namespace

std::string format_utc(SystemTime time) {
  const UtcParts t = utc_parts(time);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year, t.month, t.day, t.hour, t.minute);
}

std::string format_axis_time(SystemTime time, bool with_date) {
  const UtcParts t = utc_parts(time);
  if (with_date) return fmt::format("{:02}-{:02}", t.month, t.day);
  return fmt::format("{:02}:{:02}", t.hour, t.minute);
}

std::string format_iso_utc(SystemTime time) {
  const UtcParts t = utc_parts(time);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year, t.month, t.day, t.hour,
                     t.minute, t.second);
}

std::string format_age(std::chrono::seconds age) {
  const long long s = std::max<long long>(0, age.count());
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min", s / 60);
  if (s < 86400) {
    const long long minutes = (s % 3600) / 60;
    return minutes ? fmt::format("{} h {} min", s / 3600, minutes) : fmt::format("{} h", s / 3600);
  }
  const long long hours = (s % 86400) / 3600;
  return hours ? fmt::format("{} d {} h", s / 86400, hours) : fmt::format("{} d", s / 86400);
}

std::string format_share(double share) {
  return fmt::format("{:.1f}%", std::clamp(share, 0.0, 1.0) * 100.0);
}

std::string format_number(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.1f}", value);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

}  // namespace devops_monitor::page
