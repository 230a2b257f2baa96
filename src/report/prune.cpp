#include "report/prune.hpp"

#include <algorithm>
#include <ctime>
#include <regex>

namespace devops_monitor {

std::optional<SystemTime> report_time_from_name(std::string_view file_name) {
  static const std::regex kName(
      R"(monitoring_report_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(_\d+)?\.json)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(file_name.begin(), file_name.end(), m, kName)) return std::nullopt;
  std::tm t{};
  t.tm_year = std::stoi(m[1].str()) - 1900;
  t.tm_mon = std::stoi(m[2].str()) - 1;
  t.tm_mday = std::stoi(m[3].str());
  t.tm_hour = std::stoi(m[4].str());
  t.tm_min = std::stoi(m[5].str());
  t.tm_sec = std::stoi(m[6].str());
  if (t.tm_mon > 11 || t.tm_mday < 1 || t.tm_mday > 31 || t.tm_hour > 23 || t.tm_min > 59 ||
      t.tm_sec > 60) {
    return std::nullopt;
  }
  return SystemTime(std::chrono::seconds(timegm(&t)));
}

bool past_retention(SystemTime report_time, SystemTime now, int retention_days) {
  return now - report_time > std::chrono::hours(24) * retention_days;
}

Result<std::vector<std::filesystem::path>> prune_reports(const std::filesystem::path& dir,
                                                         int retention_days, SystemTime now,
                                                         bool dry_run,
                                                         const std::filesystem::path& keep) {
  std::error_code ec;
  std::filesystem::directory_iterator entries(dir, ec);
  if (ec) return Error{"cannot prune reports", ec.message(), dir.string()};
  std::vector<std::filesystem::path> old;
  for (const auto& entry : entries) {
    const std::optional<SystemTime> time = report_time_from_name(entry.path().filename().string());
    if (!time || !past_retention(*time, now, retention_days)) continue;
    if (!keep.empty() && entry.path().filename() == keep.filename()) continue;
    if (!entry.is_regular_file(ec)) continue;
    old.push_back(entry.path());
  }
  std::sort(old.begin(), old.end());
  if (dry_run) return old;
  std::vector<std::filesystem::path> deleted;
  for (const auto& file : old) {
    if (!std::filesystem::remove(file, ec) && ec) {
      return Error{"cannot delete old report", ec.message(), file.string()};
    }
    deleted.push_back(file);
  }
  return deleted;
}

}  // namespace devops_monitor
