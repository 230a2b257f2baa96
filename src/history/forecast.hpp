// Forecasts from the report history: when a disk is full and when a provider's credit runs
// out, by a least-squares line over recent reports. Pure functions over plain values; serve
// exports them and `history` shows them (docs/history.md, "Forecasts").
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devops_monitor/history.hpp"

namespace devops_monitor::history {

/// How far back a forecast looks from now: a week of reports, long enough to cover a
/// weekly cycle, short enough that last month's habits do not decide.
inline constexpr std::chrono::hours kForecastWindow{7 * 24};
/// The evidence a forecast needs in its segment: fewer points or a shorter span extrapolate
/// noise, and no forecast is better than a wrong one.
inline constexpr std::size_t kForecastMinPoints = 3;
inline constexpr std::chrono::seconds kForecastMinSpan{3600};
/// Free disk space that grows by more than this (percentage points) between two reports was
/// freed (a clean-up, a larger disk): the trend starts again there. Smaller rises are noise.
inline constexpr double kDiskFreedPoints = 1.0;

/// One figure of a quantity that runs out: free disk space, remaining credit.
struct TrendPoint {
  SystemTime time{};
  double value = 0.0;
};

/// A least-squares line through points: value = intercept + slope * seconds.
struct TrendLine {
  double slope = 0.0;      // per second
  double intercept = 0.0;  // at `origin`
};

/// Pure: the least-squares line through `points` (any order), time measured in seconds from
/// `origin`; nullopt when all points share one time or a figure is not finite.
std::optional<TrendLine> fit_line(const std::vector<TrendPoint>& points, SystemTime origin);

/// Pure: seconds from `now` until the quantity reaches zero, by a least-squares line over the
/// last segment of `points` (oldest first) within kForecastWindow before `now`. A rise of more
/// than `rise_tolerance` over the point before starts a new segment (a top-up, freed space),
/// so what came before never makes a negative burn. nullopt when the segment has fewer than
/// kForecastMinPoints points, spans less than kForecastMinSpan, or does not decline; 0 when
/// the line is already past zero. Any size otherwise: 200 days is an answer.
std::optional<double> seconds_until_zero(const std::vector<TrendPoint>& points,
                                         double rise_tolerance, SystemTime now);

/// What runs out, and when, seen at one moment.
struct Forecasts {
  SystemTime as_of{};
  std::map<std::string, double> disk_full_in_seconds;         // by disk path
  std::map<std::string, double> credit_exhausted_in_seconds;  // by provider id
};

/// Pure: the forecasts of `samples` (any order) at `now`, from those at or after `not_before`:
/// each disk's free percentage, and each provider's reported credit (any rise is a top-up).
Forecasts forecast(const std::vector<Sample>& samples, SystemTime now,
                   SystemTime not_before = SystemTime{});

/// The same forecasts seen from `later`: each reduced by the time since as_of, never below 0.
Forecasts seen_at(const Forecasts& forecasts, SystemTime later);

}  // namespace devops_monitor::history
