#include "page/line_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "page/page_text.hpp"

namespace devops_monitor::page {
namespace {

// The drawing's own coordinates; the SVG scales to the page width.
constexpr double kChartWidth = 480;  // about its width on the page: text stays ~12px
constexpr double kChartHeight = 170;
constexpr double kPlotRight = kChartWidth - 4;  // the plot runs to the right edge: no gutter
constexpr double kPlotTop = 12;
constexpr double kPlotBottom = 142;  // below: the time labels
constexpr double kTickFontPx = 12;   // .tick in page_css
constexpr double kLabelGap = 4;      // between a y label and the plot, and from the left edge
constexpr int kTimeTicks = 5;

using Seconds = std::chrono::duration<double>;

/// Points thinned to at most kMaxChartPoints: the highest of each time slot.
std::vector<ChartPoint> thinned(const LineChart& chart) {
  if (static_cast<int>(chart.points.size()) <= kMaxChartPoints) return chart.points;
  const double span = std::max(1.0, Seconds(chart.until - chart.since).count());
  std::vector<ChartPoint> out;
  int current_slot = -1;
  for (const ChartPoint& point : chart.points) {
    const double offset = Seconds(point.time - chart.since).count() / span;
    const int slot = std::clamp(static_cast<int>(offset * kMaxChartPoints), 0, kMaxChartPoints - 1);
    if (slot != current_slot || out.empty()) {
      out.push_back(point);
      current_slot = slot;
    } else if (point.value > out.back().value) {
      out.back() = point;
    }
  }
  return out;
}

/// The longest step between two points still joined by the line.
double gap_limit_seconds(const LineChart& chart) {
  std::vector<double> steps;
  for (std::size_t i = 1; i < chart.points.size(); ++i) {
    steps.push_back(Seconds(chart.points[i].time - chart.points[i - 1].time).count());
  }
  if (steps.empty()) return 0;
  auto middle = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 2);
  std::nth_element(steps.begin(), middle, steps.end());
  double limit = 3 * *middle;
  if (static_cast<int>(chart.points.size()) > kMaxChartPoints) {
    // Thinned: neighbouring slots may be two slot widths apart.
    const double slot = Seconds(chart.until - chart.since).count() / kMaxChartPoints;
    limit = std::max(limit, 2.5 * slot);
  }
  return limit;
}

/// A generous width of `text` at `font_px`: the advance widths of DejaVu Sans (the widest of
/// the page's fonts) rounded up, so a label measured here is never wider in a browser.
double text_width(std::string_view text, double font_px) {
  double em = 0;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      em += 0.64;
    } else if (c == ' ' || c == '.' || c == ',' || c == '-') {
      em += 0.33;
    } else if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%') {
      em += 1.0;
    } else {
      em += 0.72;
    }
  }
  return em * font_px;
}

}  // namespace

double nice_ceiling(double value) {
  if (!std::isfinite(value) || value <= 1) return 1;
  const double power = std::pow(10.0, std::floor(std::log10(value)));
  for (const double step : {1.0, 2.0, 5.0, 10.0}) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

std::string render_line_chart(const LineChart& chart) {
  const std::vector<ChartPoint> points = thinned(chart);
  double top = 0;
  if (chart.y_max) {
    top = *chart.y_max;
  } else {
    for (const ChartPoint& p : points) top = std::max(top, p.value);
    for (const ThresholdLine& t : chart.thresholds) top = std::max(top, t.value);
    top = nice_ceiling(top * 1.1);
  }
  if (!(top > 0)) top = 1;
  const std::vector<double> y_ticks{0.0, top / 2, top};  // the y grid: 0, half and top
  std::vector<std::string> y_labels;
  // The plot starts right of the widest y label, so "20000 ms" is never cut at the left edge.
  double plot_left = 0;
  for (const double v : y_ticks) {
    y_labels.push_back(format_number(v) + chart.unit);
    plot_left = std::max(plot_left, 2 * kLabelGap + text_width(y_labels.back(), kTickFontPx));
  }
  plot_left = std::ceil(plot_left);
  const double span = std::max(1.0, Seconds(chart.until - chart.since).count());
  auto x_of = [&](SystemTime t) {
    const double share = std::clamp(Seconds(t - chart.since).count() / span, 0.0, 1.0);
    return plot_left + share * (kPlotRight - plot_left);
  };
  auto y_of = [&](double v) {
    return kPlotBottom - std::clamp(v / top, 0.0, 1.0) * (kPlotBottom - kPlotTop);
  };

  std::string svg = fmt::format(
      R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{id}-t {id}-d">)"
      R"(<title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>)",
      kChartWidth, kChartHeight, html_escape(chart.title), html_escape(chart.description),
      fmt::arg("id", chart.id));

  svg += R"(<g class="grid">)";
  for (std::size_t i = 0; i < y_ticks.size(); ++i) {
    const double y = y_of(y_ticks[i]);
    svg += fmt::format(R"(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)"
                       R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)",
                       plot_left, y, kPlotRight, y, plot_left - kLabelGap, y + 4,
                       html_escape(y_labels[i]));
  }
  // The time axis: evenly spaced labels, dates when the range is longer than a day and a half.
  const bool with_date = span > 36 * 3600;
  for (int i = 0; i < kTimeTicks; ++i) {
    const double share = static_cast<double>(i) / (kTimeTicks - 1);
    const SystemTime t =
        chart.since + std::chrono::duration_cast<SystemTime::duration>(Seconds(share * span));
    const char* anchor = i == 0 ? "start" : (i == kTimeTicks - 1 ? "end" : "middle");
    svg += fmt::format(R"(<text class="tick" x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>)",
                       x_of(t), kPlotBottom + 18, anchor, format_axis_time(t, with_date));
  }
  svg += "</g>";

  // Threshold labels sit inside the plot at its left (the oldest end, not the newest): a
  // critical label above its line, a warning label below, so the two never overlap.
  for (const ThresholdLine& threshold : chart.thresholds) {
    const double y = y_of(threshold.value);
    const char* kind = threshold.critical ? "critical" : "warning";
    const double label_y = threshold.critical ? std::max(y - 4, kPlotTop + 2)
                                              : std::min(y + 4 + kTickFontPx, kPlotBottom - 3);
    svg += fmt::format(
        R"(<g class="threshold {kind}"><line x1="{:.1f}" y1="{y:.1f}" x2="{:.1f}" y2="{y:.1f}"/>)"
        R"(<text x="{:.1f}" y="{:.1f}">{}</text></g>)",
        plot_left, kPlotRight, plot_left + kLabelGap, label_y, html_escape(threshold.label),
        fmt::arg("kind", kind), fmt::arg("y", y));
  }

  if (points.empty()) {
    svg += fmt::format(R"(<text class="empty" x="{:.1f}" y="{:.1f}" text-anchor="middle">)"
                       "no data in this range</text>",
                       (plot_left + kPlotRight) / 2, (kPlotTop + kPlotBottom) / 2);
    return svg + "</svg>";
  }
  const double gap = gap_limit_seconds(chart);
  std::string path;
  std::string dots;  // points with no neighbour on either side would draw nothing as a line
  for (std::size_t i = 0; i < points.size(); ++i) {
    const bool joined_before = i > 0 && Seconds(points[i].time - points[i - 1].time).count() <= gap;
    const bool joined_after =
        i + 1 < points.size() && Seconds(points[i + 1].time - points[i].time).count() <= gap;
    const double x = x_of(points[i].time);
    const double y = y_of(points[i].value);
    path += fmt::format("{}{:.1f} {:.1f}", joined_before ? "L" : "M", x, y);
    if (!joined_before && !joined_after) {
      dots += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="2"/>)", x, y);
    }
  }
  svg += fmt::format(R"(<path class="series" d="{}"/>)", path);
  if (!dots.empty()) svg += R"(<g class="dots">)" + dots + "</g>";
  return svg + "</svg>";
}

}  // namespace devops_monitor::page
