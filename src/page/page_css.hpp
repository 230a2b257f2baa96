// The status page's one stylesheet, inline in the page (no file to fetch, nothing to host).
#pragma once

#include <string_view>

namespace devops_monitor::page {

/// Light and dark (prefers-color-scheme); text colours meet WCAG AA (4.5:1) on their
/// backgrounds, chart strokes and bars 3:1. In a page file, the range sections are shown by
/// :target, so switching ranges needs no script.
extern const std::string_view kPageCss;

}  // namespace devops_monitor::page
