#include "store/report_listing.hpp"

#include <algorithm>
#include <ctime>
#include <regex>

namespace devops_monitor {

std::optional<SystemTime> report_time_from_name(std::string_view file_name) {
  static const std::regex kName(
      R"(monitoring_report_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(_\d+)?\.json)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(file_name.begin(), file_name.end(), m, kName)) return std::nullopt;
  auto number = [&](int group) { return std::stoi(m[group].str()); };  // digits only: no throw
  std::tm t{};
  t.tm_year = number(1) - 1900;
  t.tm_mon = number(2) - 1;
  t.tm_mday = number(3);
  t.tm_hour = number(4);
  t.tm_min = number(5);
  t.tm_sec = number(6);
  if (t.tm_mon > 11 || t.tm_mday < 1 || t.tm_mday > 31 || t.tm_hour > 23 || t.tm_min > 59 ||
      t.tm_sec > 60) {
    return std::nullopt;
  }
  return SystemTime(std::chrono::seconds(timegm(&t)));
}

Result<std::vector<StoredReport>> list_reports(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator entries(dir, ec);
  if (ec) return Error{"cannot list reports", ec.message(), dir.string()};
  std::vector<StoredReport> reports;
  // increment(ec), never operator++: a directory that vanishes or fails mid-listing must be
  // an Error, not an exception.
  for (; entries != std::filesystem::directory_iterator(); entries.increment(ec)) {
    const std::filesystem::path& path = entries->path();
    const std::optional<SystemTime> time = report_time_from_name(path.filename().string());
    std::error_code type_error;
    if (!time || !entries->is_regular_file(type_error)) continue;
    reports.push_back({path, *time});
  }
  if (ec) return Error{"cannot list reports", ec.message(), dir.string()};
  std::sort(reports.begin(), reports.end(), [](const StoredReport& a, const StoredReport& b) {
    return a.time != b.time ? a.time < b.time : a.path < b.path;
  });
  return reports;
}

}  // namespace devops_monitor
