#include "util/time_format.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace devops_monitor {
namespace {

std::tm utc_fields(std::time_t seconds) {
  std::tm fields{};
  gmtime_r(&seconds, &fields);
  return fields;
}

}  // namespace

std::string format_rfc3339(SystemTime time, std::chrono::seconds utc_offset) {
  using namespace std::chrono;
  const auto millis_since_epoch = duration_cast<milliseconds>(time.time_since_epoch()).count();
  const auto shifted_ms = millis_since_epoch + duration_cast<milliseconds>(utc_offset).count();
  // Floor division keeps instants before 1970 right too.
  long long seconds = shifted_ms / 1000;
  long long millis = shifted_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::tm f = utc_fields(static_cast<std::time_t>(seconds));
  const long long offset_minutes = utc_offset.count() / 60;
  const char sign = offset_minutes < 0 ? '-' : '+';
  const long long magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}", f.tm_year + 1900,
                     f.tm_mon + 1, f.tm_mday, f.tm_hour, f.tm_min, f.tm_sec, millis, sign,
                     magnitude / 60, magnitude % 60);
}

std::optional<SystemTime> parse_rfc3339(const std::string& text) {
  std::tm f{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &f.tm_year, &f.tm_mon, &f.tm_mday,
                  &f.tm_hour, &f.tm_min, &f.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  long long millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    long long scale = 100;
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
      millis += (text[pos] - '0') * scale;
      scale /= 10;
    }
  }
  long long offset_seconds = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int hours = 0;
    int minutes = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &hours, &minutes) != 2 ||
        text.size() != pos + 6) {
      return std::nullopt;
    }
    offset_seconds = (hours * 3600LL + minutes * 60LL) * (text[pos] == '-' ? -1 : 1);
  } else if (!(pos + 1 == text.size() && text[pos] == 'Z')) {
    return std::nullopt;
  }
  f.tm_year -= 1900;
  f.tm_mon -= 1;
  const std::time_t local_as_utc = timegm(&f);
  return SystemTime(std::chrono::seconds(local_as_utc - offset_seconds)) +
         std::chrono::milliseconds(millis);
}

std::chrono::seconds local_utc_offset(SystemTime time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm local{};
  localtime_r(&seconds, &local);
  return std::chrono::seconds(local.tm_gmtoff);
}

std::string format_rfc3339_utc(SystemTime time) {
  std::string stamp = format_rfc3339(time, std::chrono::seconds(0));
  if (stamp.ends_with("+00:00")) stamp.replace(stamp.size() - 6, 6, "Z");
  return stamp;
}

std::string utc_file_stamp(SystemTime time) {
  const std::tm f = utc_fields(std::chrono::system_clock::to_time_t(time));
  return fmt::format("{:04}{:02}{:02}_{:02}{:02}{:02}", f.tm_year + 1900, f.tm_mon + 1, f.tm_mday,
                     f.tm_hour, f.tm_min, f.tm_sec);
}

}  // namespace devops_monitor
