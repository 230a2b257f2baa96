#include "store/report_files.hpp"

#include <unistd.h>

#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

#include "devops_monitor/report_json.hpp"
#include "store/report_listing.hpp"
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

namespace {

/// A report file found in the directory, not named: a regular file of at most 4 MiB.
Result<Report> read_found_report(const std::filesystem::path& file) {
  Result<RegularFileText> text = read_regular_file(
      file, "cannot read report",
      {.max_bytes = kMaxReportBytes, .symlinks = Symlinks::refuse, .kind = "report"});
  if (!text) return text.error();
  return parse_report(text->text, file.string());
}

}  // namespace

Result<std::optional<Report>> read_latest_report(const std::filesystem::path& dir) {
  const std::filesystem::path latest = dir / kLatestReportName;
  std::error_code ec;
  // symlink_status: a symlink is there (and refused below) even when it points nowhere.
  if (std::filesystem::symlink_status(latest, ec).type() == std::filesystem::file_type::not_found) {
    return std::optional<Report>();
  }
  Result<Report> report = read_found_report(latest);
  if (!report) return report.error();
  return std::optional<Report>(std::move(*report));
}

Result<std::optional<Report>> read_newest_report(const std::filesystem::path& dir) {
  Result<std::vector<StoredReport>> listed = list_reports(dir);
  if (!listed) return listed.error();
  int tried = 0;
  for (auto stored = listed->rbegin(); stored != listed->rend() && tried < kNewestReportTries;
       ++stored, ++tried) {
    Result<Report> report = read_found_report(stored->path);
    if (report) return std::optional<Report>(std::move(*report));
  }
  return std::optional<Report>();
}

}  // namespace devops_monitor
