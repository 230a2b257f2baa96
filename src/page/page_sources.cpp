#include "page/page_sources.hpp"

#include <algorithm>

#include "devops_monitor/report_json.hpp"
#include "devops_monitor/status_page.hpp"
#include "store/report_files.hpp"
#include "util/file_io.hpp"

namespace devops_monitor::page {

Result<PageSources> load_page_sources(const std::filesystem::path& dir, SystemTime now) {
  Result<history::LoadedHistory> loaded =
      history::load_history(dir, now - range_length(PageRange::quarter));
  if (!loaded) return loaded.error();
  PageSources sources{.samples = std::move(loaded->samples),
                      .warnings = std::move(loaded->warnings)};
  const std::filesystem::path latest = dir / kLatestReportName;
  std::error_code ec;
  if (std::filesystem::exists(latest, ec)) {
    Result<std::string> text = read_file(latest, "cannot read report");
    Result<Report> report =
        text ? parse_report(*text, latest.string()) : Result<Report>(text.error());
    if (report) {
      sources.latest = std::move(*report);
    } else {
      sources.warnings.push_back("latest report not shown: " + report.error().message());
    }
  }
  return sources;
}

void trim_to_page_ranges(std::vector<history::Sample>& samples, SystemTime now) {
  const SystemTime oldest = now - range_length(PageRange::quarter);
  const auto first = std::find_if(samples.begin(), samples.end(),
                                  [&](const history::Sample& s) { return s.time >= oldest; });
  samples.erase(samples.begin(), first);
}

}  // namespace devops_monitor::page
