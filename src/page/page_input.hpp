// Gathering a status page's values: the summaries of each range over the samples (pure,
// through history::summarize) and the badge (the badge sink). serve and Monitor::status_page
// both come through here, so the served page and the file are the same page.
#pragma once

#include <optional>
#include <vector>

#include "page/status_page.hpp"

namespace devops_monitor::page {

/// The input for a page showing `ranges` (summarised over `samples`, oldest first) with
/// `shown` visible first. `samples` must outlive the returned input (it is a view).
StatusPageInput page_input(std::optional<Report> latest,
                           const std::vector<history::Sample>& samples,
                           const std::vector<PageRange>& ranges, PageRange shown, SystemTime now,
                           bool live);

}  // namespace devops_monitor::page
