// What `history` prints: the human summary (sections Overall, Keys, System, Forecasts; sparklines
// on a TTY) and the --json shape of docs/history.md. Text from report files goes through
// printable(); error messages from the reports are never shown.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "devops_monitor/text.hpp"
#include "history/forecast.hpp"
#include "history/history.hpp"

namespace devops_monitor::history {
namespace {

using std::chrono::seconds;

constexpr std::size_t kSparkWidth = 60;        // fits 80 columns after the indent
constexpr std::size_t kShownTransitions = 10;  // the newest; older ones are counted
constexpr const char* kSparkBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};

/// "2026-12-01 10:00" in the given offset.
std::string history_short_time(SystemTime time, seconds offset) {
  const std::string full = format_rfc3339(time, offset);  // 2026-12-01T10:00:00.000+01:00
  return full.substr(0, 10) + " " + full.substr(11, 5);
}

/// "6d 20h", "4h 5m", "12m", "30s": the two largest units.
std::string history_span_text(seconds d) {
  const std::int64_t s = d.count();
  const std::int64_t days = s / 86400, hours = s % 86400 / 3600, minutes = s % 3600 / 60;
  if (days > 0) return hours > 0 ? fmt::format("{}d {}h", days, hours) : fmt::format("{}d", days);
  if (hours > 0) {
    return minutes > 0 ? fmt::format("{}h {}m", hours, minutes) : fmt::format("{}h", hours);
  }
  if (minutes > 0) return fmt::format("{}m", minutes);
  return fmt::format("{}s", s);
}

/// How bad a key state is for a sparkline bucket (the worst check of a bucket is shown).
int history_key_badness(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return 0;
    case KeyState::missing:
    case KeyState::unsupported:
      return 1;
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
      return 2;
    case KeyState::unknown:
      return 3;
    case KeyState::invalid:
    case KeyState::restricted:
      return 4;
  }
  return 3;
}

/// One mark per key state: the height says it without colour (full: valid, low: invalid).
std::string history_key_mark(KeyState state, bool color) {
  const char* block = "·";
  const char* ansi = "";
  switch (state) {
    case KeyState::valid:
      block = kSparkBlocks[7], ansi = "32";
      break;
    case KeyState::rate_limited:
    case KeyState::quota_exhausted:
      block = kSparkBlocks[4], ansi = "33";
      break;
    case KeyState::unknown:
      block = kSparkBlocks[2], ansi = "90";
      break;
    case KeyState::invalid:
    case KeyState::restricted:
      block = kSparkBlocks[0], ansi = "31";
      break;
    case KeyState::missing:
    case KeyState::unsupported:
      break;
  }
  if (!color || ansi[0] == '\0') return block;
  return fmt::format("\033[{}m{}\033[0m", ansi, block);
}

/// `values` in at most kSparkWidth buckets: bucket i holds values [begin(i), begin(i+1)).
std::size_t spark_bucket_begin(std::size_t i, std::size_t n, std::size_t buckets) {
  return i * n / buckets;
}

std::string history_key_sparkline(const std::vector<KeyState>& states, bool color) {
  const std::size_t buckets = std::min(states.size(), kSparkWidth);
  std::string line;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t from = spark_bucket_begin(b, states.size(), buckets);
    const std::size_t to = spark_bucket_begin(b + 1, states.size(), buckets);
    KeyState worst = states[from];
    for (std::size_t i = from; i < to; ++i) {
      if (history_key_badness(states[i]) > history_key_badness(worst)) worst = states[i];
    }
    line += history_key_mark(worst, color);
  }
  return line;
}

std::string history_percent_sparkline(const std::vector<double>& values) {
  const std::size_t buckets = std::min(values.size(), kSparkWidth);
  std::string line;
  for (std::size_t b = 0; b < buckets; ++b) {
    const std::size_t from = spark_bucket_begin(b, values.size(), buckets);
    const std::size_t to = spark_bucket_begin(b + 1, values.size(), buckets);
    double most = values[from];
    for (std::size_t i = from; i < to; ++i) most = std::max(most, values[i]);
    // Clamped as a double first: a report may claim 1e308%.
    const double scaled = most / 12.5;
    const int level = scaled >= 0.0 ? static_cast<int>(std::min(scaled, 7.0)) : 0;
    line += kSparkBlocks[level];
  }
  return line;
}

std::vector<double> history_resource_series(const std::vector<Sample>& samples,
                                            const std::string& name,
                                            const HistorySummary& summary) {
  std::vector<double> values;
  for (const Sample& s : samples) {
    if (s.time < summary.since || s.time > summary.until) continue;
    if (name == "cpu") {
      values.push_back(s.cpu_percent);
    } else if (name == "memory") {
      values.push_back(s.memory_percent);
    } else {
      for (const DiskSample& d : s.disks) {
        if ("disk " + d.path == name) values.push_back(d.percent);
      }
    }
  }
  return values;
}

std::vector<KeyState> history_key_series(const std::vector<Sample>& samples, const std::string& id,
                                         const HistorySummary& summary) {
  std::vector<KeyState> states;
  for (const Sample& s : samples) {
    if (s.time < summary.since || s.time > summary.until) continue;
    for (const KeySample& k : s.keys) {
      if (k.id == id && counts_as_check(k.state)) states.push_back(k.state);
    }
  }
  return states;
}

std::string history_percent_text(double fraction) {
  return fmt::format("{:.1f}%", fraction * 100.0);
}

void history_overall_section(std::string& out, const HistorySummary& summary, seconds offset) {
  out += "Overall\n";
  seconds total{0};
  for (const auto& [status, time] : summary.time_in_status) total += time;
  std::string line;
  for (const auto& [status, time] : summary.time_in_status) {
    if (!line.empty()) line += ", ";
    line += fmt::format("{} {}", to_string(status), history_span_text(time));
    if (total.count() > 0) {
      line += fmt::format(" ({:.1f}%)", 100.0 * static_cast<double>(time.count()) /
                                            static_cast<double>(total.count()));
    }
  }
  out += "  " + (line.empty() ? std::string("no time covered") : line) + "\n";
  const auto& changes = summary.transitions;
  if (changes.empty()) {
    out += "  no status changes\n";
    return;
  }
  const std::size_t first =
      changes.size() > kShownTransitions ? changes.size() - kShownTransitions : 0;
  if (first > 0) out += fmt::format("  ({} earlier changes not shown)\n", first);
  for (std::size_t i = first; i < changes.size(); ++i) {
    out += fmt::format("  {}  {} -> {}\n", history_short_time(changes[i].time, offset),
                       to_string(changes[i].from), to_string(changes[i].to));
  }
}

void history_keys_section(std::string& out, const HistorySummary& summary,
                          const std::vector<Sample>& samples, const HistoryRenderOptions& options) {
  out += "\nKeys\n";
  if (summary.providers.empty()) out += "  no keys in these reports\n";
  for (const ProviderSummary& p : summary.providers) {
    out += "  " + printable(p.provider.empty() ? p.id : p.provider) + "\n";
    if (p.checks == 0) {
      std::string states;
      for (const auto& [state, time] : p.time_in_state) {
        states += (states.empty() ? "" : ", ") + std::string(to_string(state));
      }
      out += "    no checks (key " + (states.empty() ? std::string("not checked") : states) + ")\n";
      continue;
    }
    out += fmt::format("    {} available ({} of {} checks usable)\n",
                       history_percent_text(p.availability), p.usable_checks, p.checks);
    std::string states;
    for (const auto& [state, time] : p.time_in_state) {
      states += fmt::format("{}{} {}", states.empty() ? "" : ", ", to_string(state),
                            history_span_text(time));
    }
    if (!states.empty()) out += "    " + states + "\n";
    if (p.latency) {
      out += fmt::format("    latency p50 {} ms, p95 {} ms, max {} ms\n", p.latency->p50_ms,
                         p.latency->p95_ms, p.latency->max_ms);
    }
    if (p.last_change) {
      out += fmt::format("    last change {}: {} -> {}\n",
                         history_short_time(p.last_change->time, options.utc_offset),
                         to_string(p.last_change->from), to_string(p.last_change->to));
    }
    if (options.sparklines) {
      const std::vector<KeyState> states_seen = history_key_series(samples, p.id, summary);
      if (!states_seen.empty())
        out += "    " + history_key_sparkline(states_seen, options.color) + "\n";
    }
  }
}

void history_system_section(std::string& out, const HistorySummary& summary,
                            const std::vector<Sample>& samples,
                            const HistoryRenderOptions& options) {
  out += "\nSystem\n";
  for (const ResourceSummary& r : summary.resources) {
    out += fmt::format(
        "  {:<10} min {:.1f}%, avg {:.1f}%, max {:.1f}%; above warning {}, above critical {}\n",
        printable(r.name), r.min, r.avg, r.max, history_span_text(r.above_warning),
        history_span_text(r.above_critical));
    if (r.full_at) {
      const seconds left = std::chrono::duration_cast<seconds>(*r.full_at - summary.until);
      const std::string path = printable(r.name.substr(r.name.find(' ') + 1));
      if (left.count() <= 0) {
        out += fmt::format("    {} is full by its trend\n", path);
      } else {
        out += fmt::format("    {} full in about {} (trend {:+.2f} points a day)\n", path,
                           left.count() >= 2 * 86400 ? fmt::format("{} days", left.count() / 86400)
                                                     : history_span_text(left),
                           r.percent_per_day.value_or(0.0));
      }
    } else if (r.percent_per_day) {
      out += fmt::format("    trend {:+.2f} points a day, no fill forecast\n", *r.percent_per_day);
    }
    if (options.sparklines) {
      const std::vector<double> values = history_resource_series(samples, r.name, summary);
      if (!values.empty()) out += "    " + history_percent_sparkline(values) + "\n";
    }
  }
}

/// "3 days", "20h 5m": how long until something runs out.
std::string history_eta_text(double eta_seconds) {
  constexpr double kDay = 86400;
  if (eta_seconds >= 2 * kDay) return fmt::format("{:.0f} days", std::floor(eta_seconds / kDay));
  return history_span_text(seconds(static_cast<std::int64_t>(eta_seconds)));
}

/// What runs out and when, by the last 7 days' trend; nothing when nothing is running out.
void history_forecast_section(std::string& out, const HistorySummary& summary) {
  if (summary.disk_full_in_seconds.empty() && summary.credit_exhausted_in_seconds.empty()) return;
  out += "\nForecasts (trend of the last 7 days)\n";
  for (const auto& [path, eta] : summary.disk_full_in_seconds) {
    out += eta <= 0 ? fmt::format("  disk {} is full by its trend\n", printable(path))
                    : fmt::format("  disk {} full in about {}\n", printable(path),
                                  history_eta_text(eta));
  }
  for (const auto& [provider, eta] : summary.credit_exhausted_in_seconds) {
    out += eta <= 0 ? fmt::format("  {} credit is used up by its trend\n", printable(provider))
                    : fmt::format("  {} credit runs out in about {}\n", printable(provider),
                                  history_eta_text(eta));
  }
}

using HistoryJson = nlohmann::ordered_json;

std::string history_json_time(SystemTime time) {
  return format_rfc3339(time, seconds(0));
}

}  // namespace

std::chrono::seconds local_offset_at(SystemTime time) {
  return local_utc_offset(time);
}

std::string render_history_human(const HistorySummary& summary, const std::vector<Sample>& samples,
                                 const HistoryRenderOptions& options) {
  if (summary.reports == 0) {
    return fmt::format("no reports since {}{}\n",
                       history_short_time(summary.since, options.utc_offset),
                       options.range.empty() ? "" : " (" + printable(options.range) + ")");
  }
  std::string out =
      fmt::format("History since {}{}: {} reports, until {}\n\n",
                  history_short_time(summary.since, options.utc_offset),
                  options.range.empty() ? "" : " (" + printable(options.range) + ")",
                  summary.reports, history_short_time(summary.until, options.utc_offset));
  history_overall_section(out, summary, options.utc_offset);
  history_keys_section(out, summary, samples, options);
  history_system_section(out, summary, samples, options);
  history_forecast_section(out, summary);
  return out;
}

std::string render_history_json(const HistorySummary& summary, std::size_t skipped_files) {
  HistoryJson status_time = HistoryJson::object();
  for (const auto& [status, time] : summary.time_in_status) {
    status_time[std::string(to_string(status))] = time.count();
  }
  HistoryJson transitions = HistoryJson::array();
  for (const StatusChange& c : summary.transitions) {
    transitions.push_back({{"time", history_json_time(c.time)},
                           {"from", to_string(c.from)},
                           {"to", to_string(c.to)}});
  }
  HistoryJson providers = HistoryJson::array();
  for (const ProviderSummary& p : summary.providers) {
    HistoryJson states = HistoryJson::object();
    for (const auto& [state, time] : p.time_in_state) {
      states[std::string(to_string(state))] = time.count();
    }
    HistoryJson latency = nullptr;
    if (p.latency) {
      latency = {{"p50", p.latency->p50_ms},
                 {"p95", p.latency->p95_ms},
                 {"max", p.latency->max_ms},
                 {"measured", p.latency->measured}};
    }
    HistoryJson change = nullptr;
    if (p.last_change) {
      change = {{"time", history_json_time(p.last_change->time)},
                {"from", to_string(p.last_change->from)},
                {"to", to_string(p.last_change->to)}};
    }
    providers.push_back({{"id", printable(p.id)},
                         {"provider", printable(p.provider)},
                         {"checks", p.checks},
                         {"usable_checks", p.usable_checks},
                         {"availability", p.availability},
                         {"time_in_state_seconds", states},
                         {"latency_ms", latency},
                         {"last_change", change}});
  }
  HistoryJson resources = HistoryJson::array();
  for (const ResourceSummary& r : summary.resources) {
    resources.push_back(
        {{"name", printable(r.name)},
         {"samples", r.samples},
         {"min", r.min},
         {"avg", r.avg},
         {"max", r.max},
         {"above_warning_seconds", r.above_warning.count()},
         {"above_critical_seconds", r.above_critical.count()},
         {"percent_per_day", r.percent_per_day ? HistoryJson(*r.percent_per_day) : HistoryJson()},
         {"full_at", r.full_at ? HistoryJson(history_json_time(*r.full_at)) : HistoryJson()}});
  }
  HistoryJson disks_full = HistoryJson::array();
  for (const auto& [path, eta] : summary.disk_full_in_seconds) {
    disks_full.push_back({{"path", printable(path)}, {"eta_seconds", eta}});
  }
  HistoryJson credit_exhausted = HistoryJson::array();
  for (const auto& [provider, eta] : summary.credit_exhausted_in_seconds) {
    credit_exhausted.push_back({{"provider", printable(provider)}, {"eta_seconds", eta}});
  }
  const HistoryJson doc = {
      {"since", history_json_time(summary.since)},
      {"until", history_json_time(summary.until)},
      {"reports", summary.reports},
      {"skipped_files", skipped_files},
      {"overall", {{"time_in_status_seconds", status_time}, {"transitions", transitions}}},
      {"providers", providers},
      {"resources", resources},
      {"forecasts",
       {{"window_seconds", std::chrono::duration_cast<seconds>(kForecastWindow).count()},
        {"disk_full", disks_full},
        {"credit_exhausted", credit_exhausted}}}};
  return doc.dump(2, ' ', false, HistoryJson::error_handler_t::replace) + "\n";
}

}  // namespace devops_monitor::history
