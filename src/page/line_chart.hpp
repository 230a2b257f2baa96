// A line chart as inline SVG, drawn on the server: time on x, one series, optional fixed
// y range and labelled threshold lines. Its own text alternative (<title>, <desc>) is part
// of it; the page's CSS colours it (light and dark).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/time_format.hpp"

namespace devops_monitor::page {

struct ChartPoint {
  SystemTime time{};
  double value = 0.0;
};

/// A horizontal line across the plot with its label at the right ("warning 80%"). Warning
/// lines are dashed and critical ones solid and thicker, so they differ without colour.
struct ThresholdLine {
  std::string label{};
  double value = 0.0;
  bool critical = false;
};

struct LineChart {
  std::string id{};           // unique in the page, [a-z0-9-] only (it names the aria ids)
  std::string title{};        // plain text; escaped here
  std::string description{};  // the text alternative: what the chart says, in words
  std::string unit{};         // after the numbers on the y axis: "%", " ms"
  SystemTime since{};
  SystemTime until{};
  std::vector<ChartPoint> points{};  // oldest first
  std::optional<double> y_max{};     // fixed top (100 for percentages); else from the data
  std::vector<ThresholdLine> thresholds{};
};

/// At most this many points are drawn; beyond, each slot of the range shows its highest
/// value, so a short spike over a threshold still shows on a 90-day chart.
inline constexpr int kMaxChartPoints = 240;

/// The line is broken where two points are further apart than three times the usual step
/// (a machine that was off draws no line across the night).
std::string render_line_chart(const LineChart& chart);

/// The smallest 1, 2 or 5 times a power of ten at or above `value` (at least 1).
double nice_ceiling(double value);

}  // namespace devops_monitor::page
