// The page layout: header (overall status, last check, badge), range links, issues and
// recommendations, a row of uptime bars per provider, then one section per range with the
// latency and system charts. The pieces are drawn by line_chart, uptime_bar and page_css.
#include "page/status_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "page/line_chart.hpp"
#include "page/maintenance_html.hpp"
#include "page/page_css.hpp"
#include "page/page_text.hpp"
#include "page/uptime_bar.hpp"

namespace devops_monitor::page {
namespace {

struct ProviderRow {
  std::string id{};
  std::string name{};
  std::optional<KeyState> current{};  // from the newest report
  std::vector<UptimeCheck> checks{};  // oldest first
};

/// The providers of the newest report in its order, then any other the history knows.
std::vector<ProviderRow> page_provider_rows(const StatusPageInput& input) {
  std::vector<ProviderRow> rows;
  std::map<std::string, std::size_t> index;
  auto row_of = [&](const std::string& id, const std::string& name) -> ProviderRow& {
    auto [it, added] = index.try_emplace(id, rows.size());
    if (added) rows.push_back(ProviderRow{.id = id, .name = name});
    return rows[it->second];
  };
  if (input.latest) {
    for (const ApiKeyStatus& key : input.latest->api_keys) {
      row_of(key.id.empty() ? key.provider : key.id, key.provider).current = key.state;
    }
  }
  for (auto sample = input.samples.rbegin(); sample != input.samples.rend(); ++sample) {
    for (const history::KeySample& key : sample->keys) {
      row_of(key.id.empty() ? key.provider : key.id, key.provider);
    }
  }
  for (const history::Sample& sample : input.samples) {
    for (const history::KeySample& key : sample.keys) {
      rows[index.at(key.id.empty() ? key.provider : key.id)].checks.push_back(
          UptimeCheck{.time = sample.time, .state = key.state, .latency_ms = key.latency_ms});
    }
  }
  return rows;
}

std::string_view status_pill_class(Status status) {
  switch (status) {
    case Status::healthy:
      return "st-healthy";
    case Status::warning:
      return "st-warning";
    case Status::critical:
      return "st-critical";
    case Status::unknown:
      return "st-unknown";
  }
  return "st-unknown";
}

/// The status in words with a sign, so it never rests on colour alone.
std::string_view status_words(Status status) {
  switch (status) {
    case Status::healthy:
      return "✓ Healthy";
    case Status::warning:
      return "! Warning";
    case Status::critical:
      return "✕ Critical";
    case Status::unknown:
      return "? Unknown";
  }
  return "? Unknown";
}

std::string_view key_pill_class(KeyState state) {
  const std::string_view cls = state_class(state);
  if (cls == "s-up") return "st-healthy";
  if (cls == "s-degraded") return "st-warning";
  if (cls == "s-down") return "st-critical";
  return "st-unknown";
}

std::string_view range_title(PageRange range) {
  switch (range) {
    case PageRange::day:
      return "Last 24 hours";
    case PageRange::week:
      return "Last 7 days";
    case PageRange::month:
      return "Last 30 days";
    case PageRange::quarter:
      return "Last 90 days";
  }
  return "Last 7 days";
}

std::string range_href(PageRange range, bool live) {
  return live ? fmt::format("/?range={}", to_string(range))
              : fmt::format("#range-{}", to_string(range));
}

ThresholdSet page_thresholds(const StatusPageInput& input) {
  if (input.latest) return input.latest->system_health.thresholds;
  if (!input.samples.empty()) return input.samples.back().thresholds;
  return ThresholdSet{};
}

std::vector<ThresholdLine> threshold_lines(const Thresholds& t) {
  return {ThresholdLine{fmt::format("warning {}%", format_number(t.warning)), t.warning, false},
          ThresholdLine{fmt::format("critical {}%", format_number(t.critical)), t.critical, true}};
}

std::string header_html(const StatusPageInput& input) {
  const Status status = input.latest ? input.latest->status : Status::unknown;
  std::string host = input.latest ? input.latest->host : std::string();
  std::string out = "<header>";
  out += fmt::format("<h1>devops-monitor status{}</h1>",
                     host.empty() ? std::string() : " — " + html_escape(host));
  out += fmt::format(R"(<div class="overall"><span class="pill {}" id="overall-status">{}</span>)",
                     status_pill_class(status), status_words(status));
  out += fmt::format(R"(<span class="badge">{}</span></div>)", input.badge_svg);
  if (input.latest) {
    const std::optional<SystemTime> checked = parse_rfc3339(input.latest->timestamp);
    if (checked) {
      out += fmt::format(
          R"(<p id="last-checked">Last checked <time datetime="{}">{}</time> ({} before this page was made).</p>)",
          format_iso_utc(*checked), format_utc(*checked),
          format_age(std::chrono::duration_cast<std::chrono::seconds>(input.now - *checked)));
    } else {
      out += fmt::format(R"(<p id="last-checked">Last checked {}.</p>)",
                         html_escape(input.latest->timestamp));
    }
  } else {
    out += R"(<p id="last-checked">No report yet: nothing has been checked.</p>)";
  }
  return out + "</header>";
}

std::string nav_html(const StatusPageInput& input) {
  std::string out = R"(<nav aria-label="Chart range"><ul>)";
  for (const PageRange range : kPageRanges) {
    out += fmt::format(R"(<li><a href="{}"{}>{}</a></li>)", range_href(range, input.live),
                       range == input.shown ? R"( aria-current="true")" : "", to_string(range));
  }
  return out + "</ul></nav>";
}

std::string text_list(const std::vector<std::string>& items, std::string_view id,
                      std::string_view none) {
  if (items.empty()) return fmt::format(R"(<p id="{}" class="muted">{}</p>)", id, none);
  std::string out = fmt::format(R"(<ul id="{}">)", id);
  for (const std::string& item : items) out += "<li>" + html_escape(item) + "</li>";
  return out + "</ul>";
}

std::string findings_html(const StatusPageInput& input) {
  static const std::vector<std::string> kNothing;
  const std::vector<std::string>& issues = input.latest ? input.latest->issues_found : kNothing;
  const std::vector<std::string>& advice = input.latest ? input.latest->recommendations : kNothing;
  return R"(<section aria-labelledby="issues-h"><h2 id="issues-h">Issues</h2>)" +
         text_list(issues, "issues", "No issues in the latest report.") +
         R"(<h2 id="advice-h">Recommendations</h2>)" +
         text_list(advice, "recommendations", "No recommendations.") + "</section>";
}

std::string legend_html() {
  std::string out = R"(<ul class="legend" aria-label="Legend">)";
  for (const KeyState state : {KeyState::valid, KeyState::rate_limited, KeyState::invalid,
                               KeyState::restricted, KeyState::unknown, KeyState::missing}) {
    out += fmt::format(
        R"(<li><svg viewBox="0 0 12 12" aria-hidden="true"><rect width="12" height="12" class="{}"/></svg>{}</li>)",
        state_class(state), state_word(state));
  }
  return out + "</ul>";
}

std::string providers_html(const std::vector<ProviderRow>& rows) {
  std::string out = R"(<section aria-labelledby="keys-h"><h2 id="keys-h">API keys</h2>)";
  out += legend_html();
  if (rows.empty()) out += R"(<p class="muted">No provider in the reports.</p>)";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ProviderRow& row = rows[i];
    const std::string id = fmt::format("p{}", i);
    out += fmt::format(R"(<div class="provider" id="{}" data-provider="{}"><h3>{})", id,
                       html_escape(row.id), html_escape(row.name));
    if (row.current) {
      out += fmt::format(R"( <span class="state pill {}">{} ({})</span>)",
                         key_pill_class(*row.current), state_word(*row.current),
                         to_string(*row.current));
    }
    out += "</h3>";
    const std::size_t shown = std::min<std::size_t>(row.checks.size(), kUptimeBars);
    // As `history` counts: a report without a key (or without an endpoint) is no check.
    std::size_t checked = 0;
    std::size_t up = 0;
    for (std::size_t c = row.checks.size() - shown; c < row.checks.size(); ++c) {
      if (history::counts_as_check(row.checks[c].state)) ++checked;
      if (history::usable(row.checks[c].state)) ++up;
    }
    if (shown == 0) {
      out += R"(<p class="stats">No checks in the history.</p>)";
    } else if (checked == 0) {
      out +=
          fmt::format(R"(<p class="stats">No key was checked in its last {} reports.</p>)", shown);
    } else {
      out +=
          fmt::format(R"(<p class="stats">Up in {} of {} checks ({}) in its last {} reports.</p>)",
                      up, checked, format_share(static_cast<double>(up) / checked), shown);
    }
    out += render_uptime_bar(id + "-bars", row.name, row.checks);
    out += "</div>";
  }
  return out + "</section>";
}

const history::ProviderSummary* provider_summary(const history::HistorySummary& summary,
                                                 const std::string& id) {
  for (const history::ProviderSummary& p : summary.providers) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const history::ResourceSummary* resource_summary(const history::HistorySummary& summary,
                                                 const std::string& name) {
  for (const history::ResourceSummary& r : summary.resources) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

std::string latency_words(const history::ProviderSummary* summary) {
  if (summary == nullptr || summary->checks == 0) return "no checks in this range";
  std::string text = fmt::format("available in {} of {} checks ({})", summary->usable_checks,
                                 summary->checks, format_share(summary->availability));
  if (summary->latency) {
    text += fmt::format("; latency p50 {} ms, p95 {} ms, max {} ms", summary->latency->p50_ms,
                        summary->latency->p95_ms, summary->latency->max_ms);
  }
  return text;
}

std::string resource_words(const history::ResourceSummary* summary, const Thresholds& t) {
  std::string text = fmt::format("warning at {}%, critical at {}%", format_number(t.warning),
                                 format_number(t.critical));
  if (summary == nullptr) return "no samples in this range; " + text;
  text = fmt::format(
      "min {}%, average {}%, max {}%; {}; above warning for {}, above critical for {}",
      format_number(summary->min), format_number(summary->avg), format_number(summary->max), text,
      format_age(summary->above_warning), format_age(summary->above_critical));
  if (summary->full_at) text += "; full about " + format_utc(*summary->full_at) + " at this rate";
  return text;
}

std::string range_html(const StatusPageInput& input, const RangeView& view,
                       const std::vector<ProviderRow>& rows) {
  const std::string label(to_string(view.range));
  const SystemTime since = input.now - range_length(view.range);
  const bool is_default = view.range == input.shown;
  std::string out = fmt::format(
      R"(<section class="range{}" id="range-{}" aria-labelledby="range-{}-h"><h2 id="range-{}-h">{}</h2>)",
      is_default ? " default" : "", label, label, label, range_title(view.range));
  out += fmt::format(R"(<p class="stats">{} reports from {} to {}.</p>)", view.summary.reports,
                     format_utc(since), format_utc(input.now));
  auto in_range = [&](const history::Sample& s) { return s.time >= since && s.time <= input.now; };

  out += R"(<h3>Key check latency</h3><div class="charts">)";
  std::vector<std::string> unmeasured;  // named in one line rather than a block each
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ProviderRow& row = rows[i];
    LineChart chart{.id = fmt::format("c-{}-lat{}", label, i),
                    .title = fmt::format("{} latency, {}", row.name, label),
                    .unit = " ms",
                    .since = since,
                    .until = input.now};
    for (const history::Sample& sample : input.samples) {
      if (!in_range(sample)) continue;
      for (const history::KeySample& key : sample.keys) {
        if ((key.id.empty() ? key.provider : key.id) == row.id && key.latency_ms) {
          chart.points.push_back({sample.time, static_cast<double>(*key.latency_ms)});
        }
      }
    }
    if (chart.points.empty()) {
      unmeasured.push_back(row.name);
      continue;
    }
    const std::string words = latency_words(provider_summary(view.summary, row.id));
    chart.description = fmt::format("Latency of the {} key checks, {}: {}.", row.name,
                                    range_title(view.range), words);
    out +=
        fmt::format(R"(<div class="latency" data-provider="{}"><h4>{}</h4><p class="stats">{}</p>)",
                    html_escape(row.id), html_escape(row.name), html_escape(words));
    out += render_line_chart(chart) + "</div>";
  }
  out += "</div>";
  if (!unmeasured.empty()) {
    std::string names;
    for (const std::string& name : unmeasured) names += (names.empty() ? "" : ", ") + name;
    out += fmt::format(R"(<p class="muted unmeasured">No latency measured in this range: {}.</p>)",
                       html_escape(names));
  }

  out += R"(<h3>System</h3><div class="charts">)";
  const ThresholdSet thresholds = page_thresholds(input);
  struct Series {
    std::string name{};  // as the summary names it
    std::string title{};
    Thresholds thresholds;
    std::vector<ChartPoint> points{};
  };
  std::vector<Series> series{{"cpu", "CPU", thresholds.cpu, {}},
                             {"memory", "Memory", thresholds.memory, {}}};
  std::vector<std::string> disks;
  if (input.latest) {
    for (const DiskHealth& disk : input.latest->system_health.disks) disks.push_back(disk.path);
  }
  for (auto sample = input.samples.rbegin(); sample != input.samples.rend(); ++sample) {
    if (!in_range(*sample)) continue;
    for (const history::DiskSample& disk : sample->disks) {
      if (std::find(disks.begin(), disks.end(), disk.path) == disks.end()) {
        disks.push_back(disk.path);
      }
    }
  }
  for (const std::string& path : disks) {
    series.push_back({"disk " + path, "Disk " + path, thresholds.disk, {}});
  }
  for (const history::Sample& sample : input.samples) {
    if (!in_range(sample)) continue;
    series[0].points.push_back({sample.time, sample.cpu_percent});
    series[1].points.push_back({sample.time, sample.memory_percent});
    for (const history::DiskSample& disk : sample.disks) {
      const auto it = std::find(disks.begin(), disks.end(), disk.path);
      series[2 + static_cast<std::size_t>(it - disks.begin())].points.push_back(
          {sample.time, disk.percent});
    }
  }
  for (std::size_t i = 0; i < series.size(); ++i) {
    Series& s = series[i];
    const std::string words = resource_words(resource_summary(view.summary, s.name), s.thresholds);
    out += fmt::format(
        R"(<div class="resource" data-resource="{}"><h4>{}</h4><p class="stats">{}</p>)",
        html_escape(s.name), html_escape(s.title), html_escape(words));
    LineChart chart{.id = fmt::format("c-{}-sys{}", label, i),
                    .title = fmt::format("{} use, {}", s.title, label),
                    .description = fmt::format("{} use in percent, {}: {}.", s.title,
                                               range_title(view.range), words),
                    .unit = "%",
                    .since = since,
                    .until = input.now,
                    .points = std::move(s.points),
                    .y_max = 100.0,
                    .thresholds = threshold_lines(s.thresholds)};
    out += render_line_chart(chart) + "</div>";
  }
  return out + "</div></section>";
}

}  // namespace

std::string render_status_page(const StatusPageInput& input) {
  const Status status = input.latest ? input.latest->status : Status::unknown;
  const std::vector<ProviderRow> rows = page_provider_rows(input);
  std::string out = R"(<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">)";
  out += R"(<meta name="viewport" content="width=device-width, initial-scale=1">)";
  out += R"(<meta name="color-scheme" content="light dark">)";
  // Served pages refresh themselves every minute; no script needed for that.
  if (input.live) out += R"(<meta http-equiv="refresh" content="60">)";
  out += fmt::format("<title>{} — devops-monitor</title>", to_string(status));
  out += "<style>";
  out += kPageCss;
  out += "</style></head><body>";
  out += R"(<svg class="defs" aria-hidden="true" focusable="false"><defs>)" + uptime_patterns() +
         "</defs></svg>";
  out += R"(<div class="wrap">)";
  out += header_html(input);
  out += nav_html(input);
  out += "<main>";
  if (input.latest) out += maintenance_html(input.latest->silences, input.now);
  out += findings_html(input);
  out += providers_html(rows);
  for (const RangeView& view : input.ranges) out += range_html(input, view, rows);
  out += "</main>";
  out += fmt::format(
      "<footer>Made by devops-monitor {} at {}. Times are UTC. Each chart point is the highest "
      "value of its time slot. No key material is shown on this page.</footer>",
      html_escape(input.version), format_utc(input.now));
  out += "</div></body></html>\n";
  return out;
}

}  // namespace devops_monitor::page
