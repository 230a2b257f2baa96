#include "history/forecast.hpp"

#include <algorithm>
#include <cmath>

namespace devops_monitor::history {
namespace {

double seconds_between(SystemTime from, SystemTime to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::optional<TrendLine> fit_line(const std::vector<TrendPoint>& points, SystemTime origin) {
  if (points.empty()) return std::nullopt;
  const auto n = static_cast<double>(points.size());
  double mean_x = 0, mean_y = 0;
  for (const TrendPoint& p : points) {
    mean_x += seconds_between(origin, p.time);
    mean_y += p.value;
  }
  mean_x /= n;
  mean_y /= n;
  double sxx = 0, sxy = 0;
  for (const TrendPoint& p : points) {
    const double dx = seconds_between(origin, p.time) - mean_x;
    sxx += dx * dx;
    sxy += dx * (p.value - mean_y);
  }
  if (sxx <= 0) return std::nullopt;
  TrendLine line{.slope = sxy / sxx, .intercept = 0.0};
  line.intercept = mean_y - line.slope * mean_x;
  // Absurd figures in a report (1e308) make no line at all.
  if (!std::isfinite(line.slope) || !std::isfinite(line.intercept)) return std::nullopt;
  return line;
}

std::optional<double> seconds_until_zero(const std::vector<TrendPoint>& points,
                                         double rise_tolerance, SystemTime now) {
  const SystemTime from = now - kForecastWindow;
  std::vector<TrendPoint> recent;
  for (const TrendPoint& p : points) {
    if (p.time >= from && p.time <= now && std::isfinite(p.value)) recent.push_back(p);
  }
  std::stable_sort(recent.begin(), recent.end(),
                   [](const TrendPoint& a, const TrendPoint& b) { return a.time < b.time; });
  std::size_t start = 0;
  for (std::size_t i = 1; i < recent.size(); ++i) {
    if (recent[i].value > recent[i - 1].value + rise_tolerance) start = i;
  }
  const std::size_t n = recent.size() - start;
  if (recent.empty() || n < kForecastMinPoints) return std::nullopt;
  const SystemTime origin = recent[start].time;
  if (seconds_between(origin, recent.back().time) < static_cast<double>(kForecastMinSpan.count())) {
    return std::nullopt;
  }
  const std::vector<TrendPoint> segment(recent.begin() + static_cast<std::ptrdiff_t>(start),
                                        recent.end());
  const std::optional<TrendLine> line = fit_line(segment, origin);
  if (!line) return std::nullopt;
  const double slope = line->slope;
  if (!std::isfinite(slope) || slope >= 0) return std::nullopt;
  const double zero_at = -line->intercept / slope;  // seconds after origin
  const double ahead = zero_at - seconds_between(origin, now);
  if (!std::isfinite(ahead)) return std::nullopt;
  return std::max(0.0, ahead);
}

Forecasts forecast(const std::vector<Sample>& samples, SystemTime now, SystemTime not_before) {
  std::map<std::string, std::vector<TrendPoint>> free_disk;
  std::map<std::string, std::vector<TrendPoint>> credit;
  for (const Sample& sample : samples) {
    if (sample.time < not_before) continue;
    for (const DiskSample& disk : sample.disks) {
      free_disk[disk.path].push_back({sample.time, 100.0 - disk.percent});
    }
    for (const KeySample& key : sample.keys) {
      if (key.credit_remaining) credit[key.id].push_back({sample.time, *key.credit_remaining});
    }
  }
  Forecasts out;
  out.as_of = now;
  for (const auto& [path, points] : free_disk) {
    if (auto eta = seconds_until_zero(points, kDiskFreedPoints, now)) {
      out.disk_full_in_seconds[path] = *eta;
    }
  }
  for (const auto& [provider, points] : credit) {
    if (auto eta = seconds_until_zero(points, 0.0, now)) {
      out.credit_exhausted_in_seconds[provider] = *eta;
    }
  }
  return out;
}

Forecasts seen_at(const Forecasts& forecasts, SystemTime later) {
  Forecasts out = forecasts;
  out.as_of = later;
  const double elapsed = std::max(0.0, seconds_between(forecasts.as_of, later));
  for (auto* series : {&out.disk_full_in_seconds, &out.credit_exhausted_in_seconds}) {
    for (auto& [name, eta] : *series) eta = std::max(0.0, eta - elapsed);
  }
  return out;
}

}  // namespace devops_monitor::history
