#include "store/report_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

#include "devops_monitor/report_json.hpp"
#include "util/atomic_file.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {

Result<void> prepare_report_dir(const std::filesystem::path& dir) {
  return make_directories(dir, "report directory");
}

std::string report_file_name(SystemTime time, int duplicate) {
  std::string name = "monitoring_report_" + utc_file_stamp(time);
  if (duplicate > 1) name += "_" + std::to_string(duplicate);
  return name + ".json";
}

Result<SavedReport> save_report(const std::filesystem::path& dir, std::string_view json,
                                SystemTime time) {
  SavedReport saved;
  {
    Result<TempFile> temp = TempFile::create(dir, json);
    if (!temp) return Error{"cannot save report", temp.error().detail, dir.string()};
    // link() never replaces an existing name, so concurrent checks each get their own file,
    // and the name only ever appears for a complete, fsynced file.
    for (int duplicate = 1;; ++duplicate) {
      saved.report = dir / report_file_name(time, duplicate);
      if (::link(temp->path().c_str(), saved.report.c_str()) == 0) break;
      if (errno != EEXIST) {
        return Error{"cannot save report", errno_text(errno), saved.report.string()};
      }
    }
  }  // the temporary name goes away here
  // latest_report.json is a file of its own, not a second name of the report: editing or
  // truncating one must never change the other.
  Result<void> latest = write_file_atomically(dir / kLatestReportName, json);
  if (!latest) {
    saved.latest_error =
        Error{"latest_report.json not updated", latest.error().detail, latest.error().where};
  }
  sync_directory(dir);
  return saved;
}

Result<std::optional<Report>> read_latest_report(const std::filesystem::path& dir) {
  const std::filesystem::path latest = dir / kLatestReportName;
  std::error_code ec;
  // symlink_status: a symlink is there (and refused below) even when it points nowhere.
  if (std::filesystem::symlink_status(latest, ec).type() == std::filesystem::file_type::not_found) {
    return std::optional<Report>();
  }
  Result<RegularFileText> text = read_regular_file(
      latest, "cannot read report",
      {.max_bytes = kMaxReportBytes, .symlinks = Symlinks::refuse, .kind = "report"});
  if (!text) return text.error();
  Result<Report> report = parse_report(text->text, latest.string());
  if (!report) return report.error();
  return std::optional<Report>(std::move(*report));
}

}  // namespace devops_monitor
