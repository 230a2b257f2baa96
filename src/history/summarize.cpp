// The history's statistics: pure, over plain samples. The rules (what "available" means, how
// long a sample's state lasts, when a disk forecast is shown) are in docs/history.md.
#include <algorithm>
#include <cmath>

#include "history/forecast.hpp"
#include "history/history.hpp"

namespace devops_monitor::history {
namespace {

using std::chrono::seconds;

constexpr seconds kDefaultGapLimit{3600};  // fewer than two samples: an hourly check
// A forecast needs this much evidence before it is shown: fewer points or a shorter span
// would extrapolate noise (one log rotation is not a trend).
constexpr int kSummaryForecastMinSamples = 6;
constexpr seconds kSummaryForecastMinSpan{6 * 3600};
// Further than this, "full in about 900 days" is a guess, not a forecast.
constexpr seconds kForecastHorizon{365 * 24 * 3600};

seconds history_whole_seconds(SystemTime::duration d) {
  return std::chrono::duration_cast<seconds>(d);
}

/// Nearest-rank percentile of sorted, non-empty values.
std::int64_t latency_nearest_rank(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

struct ProviderTally {
  ProviderSummary summary;
  std::optional<KeyState> previous;
  std::vector<std::int64_t> latencies;
};

struct ResourceTally {
  ResourceSummary summary;
  double sum = 0.0;
  std::vector<std::pair<double, double>> points;  // (seconds since `since`, percent)
};

void add_resource_value(ResourceTally& acc, double value, const Thresholds& t, seconds lasts,
                        double x) {
  ResourceSummary& r = acc.summary;
  if (r.samples == 0) {
    r.min = r.max = value;
  } else {
    r.min = std::min(r.min, value);
    r.max = std::max(r.max, value);
  }
  ++r.samples;
  acc.sum += value;
  // The status rule of the checks: warning from `warning` on, critical above `critical`.
  if (value >= t.warning) r.above_warning += lasts;
  if (value > t.critical) r.above_critical += lasts;
  acc.points.emplace_back(x, value);
}

/// The range's trend (percent_per_day) by a least-squares line, and full_at by the same
/// forecast serve exports (forecast.hpp: the last week, started again where space was freed),
/// so the page, `history` and the metric never disagree.
void fit_disk_forecast(ResourceTally& acc, SystemTime since, SystemTime now) {
  const auto& pts = acc.points;
  if (static_cast<int>(pts.size()) < kSummaryForecastMinSamples) return;
  if (pts.back().first - pts.front().first < static_cast<double>(kSummaryForecastMinSpan.count())) {
    return;
  }
  std::vector<TrendPoint> used;
  std::vector<TrendPoint> free;
  for (const auto& [x, percent] : pts) {
    const SystemTime at =
        since + std::chrono::duration_cast<SystemTime::duration>(std::chrono::duration<double>(x));
    used.push_back({at, percent});
    free.push_back({at, 100.0 - percent});
  }
  const std::optional<TrendLine> line = fit_line(used, since);
  if (!line || !std::isfinite(line->slope * 86400.0)) return;
  acc.summary.percent_per_day = line->slope * 86400.0;
  if (line->slope <= 0) return;
  const std::optional<double> ahead = seconds_until_zero(free, kDiskFreedPoints, now);
  if (!ahead || *ahead > static_cast<double>(kForecastHorizon.count())) return;
  acc.summary.full_at = now + seconds(static_cast<std::int64_t>(std::llround(*ahead)));
}

ResourceTally& resource_tally_named(std::vector<ResourceTally>& list, const std::string& name) {
  for (ResourceTally& acc : list) {
    if (acc.summary.name == name) return acc;
  }
  list.push_back({});
  list.back().summary.name = name;
  return list.back();
}

/// Samples in time order, by reference.
struct SampleRefs {
  const std::vector<const Sample*>& refs;
  [[nodiscard]] std::size_t size() const { return refs.size(); }
  [[nodiscard]] bool empty() const { return refs.empty(); }
  const Sample& operator[](std::size_t i) const { return *refs[i]; }
  [[nodiscard]] const Sample& back() const { return *refs.back(); }
};

template <class Samples>
seconds gap_limit_of(const Samples& samples) {
  if (samples.size() < 2) return kDefaultGapLimit;
  std::vector<SystemTime::duration> gaps;
  gaps.reserve(samples.size() - 1);
  for (std::size_t i = 1; i < samples.size(); ++i) {
    gaps.push_back(samples[i].time - samples[i - 1].time);
  }
  std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2),
                   gaps.end());
  const seconds median = history_whole_seconds(gaps[gaps.size() / 2]);
  // Two checks in the same second (a median of 0) still last a second each.
  return std::max(seconds(1), 2 * median);
}

}  // namespace

bool usable(KeyState state) {
  return state == KeyState::valid;
}

bool counts_as_check(KeyState state) {
  return state != KeyState::missing && state != KeyState::unsupported;
}

seconds gap_limit(const std::vector<Sample>& samples) {
  return gap_limit_of(samples);
}

HistorySummary summarize(const std::vector<Sample>& all, SystemTime since, SystemTime now) {
  HistorySummary out;
  out.since = since;
  out.until = now;
  // Pointers, not copies: a 90-day history is thousands of samples.
  std::vector<const Sample*> in_range;
  in_range.reserve(all.size());
  for (const Sample& s : all) {
    if (s.time >= since && s.time <= now) in_range.push_back(&s);
  }
  std::stable_sort(in_range.begin(), in_range.end(),
                   [](const Sample* a, const Sample* b) { return a->time < b->time; });
  const SampleRefs samples{in_range};
  out.reports = static_cast<int>(samples.size());
  if (samples.empty()) return out;

  const seconds limit = gap_limit_of(samples);
  std::vector<ProviderTally> providers;
  std::vector<ResourceTally> resources(2);
  resources[0].summary.name = "cpu";
  resources[1].summary.name = "memory";

  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    const SystemTime end = i + 1 < samples.size() ? samples[i + 1].time : now;
    const seconds lasts = std::clamp(history_whole_seconds(end - s.time), seconds(0), limit);
    const double x = std::chrono::duration<double>(s.time - since).count();

    out.time_in_status[s.status] += lasts;
    if (i > 0 && samples[i - 1].status != s.status) {
      out.transitions.push_back({s.time, samples[i - 1].status, s.status});
    }

    for (const KeySample& key : s.keys) {
      auto it = std::find_if(providers.begin(), providers.end(),
                             [&](const ProviderTally& p) { return p.summary.id == key.id; });
      if (it == providers.end()) {
        providers.push_back({});
        it = providers.end() - 1;
        it->summary.id = key.id;
      }
      ProviderSummary& p = it->summary;
      p.provider = key.provider;  // the newest name wins
      p.time_in_state[key.state] += lasts;
      if (counts_as_check(key.state)) {
        ++p.checks;
        if (usable(key.state)) ++p.usable_checks;
      }
      if (key.latency_ms) it->latencies.push_back(*key.latency_ms);
      if (it->previous && *it->previous != key.state) {
        p.last_change = StateChange{s.time, *it->previous, key.state};
      }
      it->previous = key.state;
    }

    add_resource_value(resources[0], s.cpu_percent, s.thresholds.cpu, lasts, x);
    add_resource_value(resources[1], s.memory_percent, s.thresholds.memory, lasts, x);
    for (const DiskSample& disk : s.disks) {
      add_resource_value(resource_tally_named(resources, "disk " + disk.path), disk.percent,
                         s.thresholds.disk, lasts, x);
    }
  }

  // Providers in the order of the newest report, then any that only older reports name.
  std::vector<std::string> order;
  auto add_once = [&order](const std::string& id) {
    if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
  };
  for (const KeySample& key : samples.back().keys) add_once(key.id);
  for (const ProviderTally& p : providers) add_once(p.summary.id);
  for (const std::string& id : order) {
    auto it = std::find_if(providers.begin(), providers.end(),
                           [&](const ProviderTally& p) { return p.summary.id == id; });
    if (it == providers.end()) continue;
    ProviderSummary p = std::move(it->summary);
    p.availability = p.checks > 0 ? static_cast<double>(p.usable_checks) / p.checks : 0.0;
    if (!it->latencies.empty()) {
      std::sort(it->latencies.begin(), it->latencies.end());
      p.latency = LatencyStats{latency_nearest_rank(it->latencies, 0.50),
                               latency_nearest_rank(it->latencies, 0.95), it->latencies.back(),
                               static_cast<int>(it->latencies.size())};
    }
    out.providers.push_back(std::move(p));
  }

  for (std::size_t r = 0; r < resources.size(); ++r) {
    ResourceTally& acc = resources[r];
    if (acc.summary.samples == 0) continue;
    acc.summary.avg = acc.sum / acc.summary.samples;
    if (r >= 2) fit_disk_forecast(acc, since, now);
    out.resources.push_back(std::move(acc.summary));
  }
  Forecasts foreseen = forecast(all, now, since);
  out.disk_full_in_seconds = std::move(foreseen.disk_full_in_seconds);
  out.credit_exhausted_in_seconds = std::move(foreseen.credit_exhausted_in_seconds);
  return out;
}

}  // namespace devops_monitor::history
