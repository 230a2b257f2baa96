#include "page/page_sources.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "devops_monitor/status_page.hpp"
#include "store/report_files.hpp"

namespace devops_monitor::page {

Result<PageSources> load_page_sources(const std::filesystem::path& dir, SystemTime now) {
  Result<history::LoadedHistory> loaded =
      history::load_history(dir, now - range_length(PageRange::quarter));
  if (!loaded) return loaded.error();
  PageSources sources{.samples = std::move(loaded->samples),
                      .warnings = std::move(loaded->warnings)};
  Result<std::optional<Report>> latest = read_latest_report(dir);
  if (latest) {
    sources.latest = std::move(*latest);
  } else {
    sources.warnings.push_back("latest report not shown: " + latest.error().message());
  }
  if (!sources.latest) {
    // The history's newest report says what latest_report.json would (it is its copy), so a
    // directory without one never shows "no report yet" above its history.
    Result<std::optional<Report>> newest = read_newest_report(dir);
    if (newest) sources.latest = std::move(*newest);
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
