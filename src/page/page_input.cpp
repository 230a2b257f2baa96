#include "page/page_input.hpp"

#include "devops_monitor/render.hpp"
#include "devops_monitor/version.hpp"

namespace devops_monitor::page {

StatusPageInput page_input(std::optional<Report> latest,
                           const std::vector<history::Sample>& samples,
                           const std::vector<PageRange>& ranges, PageRange shown, SystemTime now,
                           bool live) {
  StatusPageInput input;
  input.badge_svg = render_badge(latest ? latest->status : Status::unknown, BadgeFormat::svg);
  input.latest = std::move(latest);
  input.samples = samples;
  input.shown = shown;
  input.now = now;
  input.live = live;
  input.version = kVersion;
  for (const PageRange range : ranges) {
    // summarize() takes the samples between since and now itself.
    const SystemTime since = now - range_length(range);
    input.ranges.push_back(
        RangeView{.range = range, .summary = history::summarize(samples, since, now)});
  }
  return input;
}

}  // namespace devops_monitor::page
