#include "util/time_format.hpp"

#include <fmt/format.h>

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

std::chrono::seconds local_utc_offset(SystemTime time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm local{};
  localtime_r(&seconds, &local);
  return std::chrono::seconds(local.tm_gmtoff);
}

std::string utc_file_stamp(SystemTime time) {
  const std::tm f = utc_fields(std::chrono::system_clock::to_time_t(time));
  return fmt::format("{:04}{:02}{:02}_{:02}{:02}{:02}", f.tm_year + 1900, f.tm_mon + 1, f.tm_mday,
                     f.tm_hour, f.tm_min, f.tm_sec);
}

}  // namespace devops_monitor
