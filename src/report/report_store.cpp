#include "report/report_store.hpp"

#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "util/atomic_file.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {

Result<void> prepare_report_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create report directory", ec.message(), dir.string()};
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error{"cannot use report directory", "not a directory", dir.string()};
  }
  return {};
}

std::string report_file_name(SystemTime time, int duplicate) {
  std::string name = "monitoring_report_" + utc_file_stamp(time);
  if (duplicate > 1) name += "_" + std::to_string(duplicate);
  return name + ".json";
}

Result<std::filesystem::path> save_report(const std::filesystem::path& dir, std::string_view json,
                                          SystemTime time) {
  Result<TempFile> temp = TempFile::create(dir, json);
  if (!temp) return Error{"cannot save report", temp.error().detail, dir.string()};

  // link() never replaces an existing name, so concurrent checks each get their own file.
  std::filesystem::path report;
  for (int duplicate = 1;; ++duplicate) {
    report = dir / report_file_name(time, duplicate);
    if (::link(temp->path().c_str(), report.c_str()) == 0) break;
    if (errno != EEXIST) return Error{"cannot save report", errno_text(errno), report.string()};
  }
  // The temp file is now a second name of the complete report: renaming it over
  // latest_report.json switches that name atomically.
  if (Result<void> latest = temp->rename_to(dir / kLatestReportName); !latest) {
    return Error{"cannot save report", latest.error().detail, latest.error().where};
  }
  sync_directory(dir);
  return report;
}

}  // namespace devops_monitor
