// The status page as one pure function: plain values in, one self-contained HTML document
// out (inline CSS and SVG, no script, no outside resource). serve and `report --html` gather
// the values (page_input.hpp); tests build them by hand.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "devops_monitor/report.hpp"
#include "devops_monitor/status_page.hpp"
#include "history/history.hpp"

namespace devops_monitor::page {

/// One range's section: its charts and its statistics.
struct RangeView {
  PageRange range = PageRange::week;
  history::HistorySummary summary{};  // over [now - range_length(range), now]
};

struct StatusPageInput {
  /// The newest report (status, issues, recommendations, key states); none yet: "no report".
  /// Its key_fingerprint is never read.
  std::optional<Report> latest{};
  /// The history, oldest first, covering at least the widest range drawn. The uptime bars
  /// take each provider's last checks from here, whatever the range.
  std::span<const history::Sample> samples{};
  /// The sections drawn: the one asked for on serve, all four in a page file.
  std::vector<RangeView> ranges{};
  PageRange shown = PageRange::week;  // the section visible first
  std::string badge_svg{};            // render_badge(status, svg), drawn by the badge sink
  SystemTime now{};
  /// Served live: range links are "/?range=7d" and the page reloads itself every minute
  /// (a meta refresh: no script). A file links "#range-7d" and switches with CSS :target.
  bool live = false;
  std::string version{};  // of the tool that made the page
};

/// The whole page. Everything taken from a report or a sample is escaped; no key material and
/// no fingerprint is ever on it.
std::string render_status_page(const StatusPageInput& input);

}  // namespace devops_monitor::page
