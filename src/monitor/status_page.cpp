// Monitor::status_page: the status page of the report directory, for `report --html`.
#include "devops_monitor/monitor.hpp"
#include "page/page_input.hpp"
#include "page/page_sources.hpp"
#include "util/guard.hpp"

namespace devops_monitor {

Result<std::string> Monitor::status_page(PageRange shown, CheckNotes* notes) const {
  return guarded<std::string>("cannot make the status page", [&]() -> Result<std::string> {
    const SystemTime now = std::chrono::system_clock::now();
    Result<page::PageSources> sources = page::load_page_sources(settings_.report_dir, now);
    if (!sources) return sources.error();
    if (notes != nullptr) {
      for (const std::string& warning : sources->warnings) {
        notes->warnings.push_back(Error{warning, "", ""});
      }
    }
    const std::vector<PageRange> ranges(std::begin(kPageRanges), std::end(kPageRanges));
    return page::render_status_page(
        page::page_input(std::move(sources->latest), sources->samples, ranges, shown, now, false));
  });
}

}  // namespace devops_monitor
