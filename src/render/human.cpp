// Everything printed here that came from outside (provider names and words from config and
// answers, paths, the host name, issues built from them) goes through printable(): a report can
// also be built by an application or read back from disk, so the summary does not trust it.
#include "devops_monitor/render.hpp"

#include <fmt/format.h>

#include <map>

#include "devops_monitor/text.hpp"

namespace devops_monitor {
namespace {

const char* state_icon(KeyState state) {
  switch (state) {
    case KeyState::valid:
      return "✅";
    case KeyState::invalid:
    case KeyState::quota_exhausted:
    case KeyState::restricted:
      return "❌";
    case KeyState::rate_limited:
    case KeyState::unknown:
    case KeyState::unsupported:
      return "⚠️";
    case KeyState::missing:
      return "➖";
  }
  return "⚠️";
}

/// A key that answers but lacks a required model cannot serve; low credit or rate-limit
/// headroom is a warning.
const char* key_icon(const ApiKeyStatus& key) {
  if (key.state == KeyState::valid || key.state == KeyState::rate_limited) {
    if (!key.missing_models.empty()) return "❌";
    if (key.credit_low || key.ratelimit_low) return "⚠️";
  }
  return state_icon(key.state);
}

const char* status_icon(Status status) {
  switch (status) {
    case Status::healthy:
      return "✅";
    case Status::warning:
      return "⚠️";
    case Status::critical:
      return "🚨";
    case Status::unknown:
      return "❔";
  }
  return "❔";
}

class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  [[nodiscard]] std::string status(Status s, std::string text) const {
    if (!enabled_) return text;
    const char* code = s == Status::healthy ? "32" : s == Status::warning ? "33" : "31";
    return fmt::format("\033[{}m{}\033[0m", code, text);
  }
  [[nodiscard]] std::string bold(std::string text) const {
    return enabled_ ? fmt::format("\033[1m{}\033[0m", text) : text;
  }

 private:
  bool enabled_;
};

std::string gib(std::uint64_t bytes) {
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
}

/// 4980 -> "4,980".
std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(at, ",");
  return value < 0 ? "-" + digits : digits;
}

/// " · 41 models · $12.40 left · 4,980/5,000 requests left": what the answer told beyond
/// the verdict (docs/provider-insight.md), empty when it told nothing.
std::string insight_line(const ApiKeyStatus& key) {
  std::string line;
  auto add = [&](const std::string& part) { line += " · " + part; };
  if (key.models_available) {
    const bool one = *key.models_available == 1 && !key.models_cut_short;
    add(fmt::format("{}{} {}{}", grouped(*key.models_available), key.models_cut_short ? "+" : "",
                    one ? "model" : "models", key.models_cut_short ? " (cut short)" : ""));
  }
  if (!key.missing_models.empty()) {
    add("missing " + printable(fmt::format("{}", fmt::join(key.missing_models, ", "))));
  }
  if (!key.models_not_seen.empty()) {
    add("not seen " + printable(fmt::format("{}", fmt::join(key.models_not_seen, ", "))));
  }
  if (key.credit_status == std::optional<std::string>("unlimited")) add("no credit cap");
  if (key.credit_status == std::optional<std::string>("unreadable")) add("credit unreadable");
  if (key.credit_remaining) {
    const std::string unit = printable(key.credit_unit.value_or(""));
    add(unit == "USD" ? fmt::format("${:.2f} left", *key.credit_remaining)
                      : fmt::format("{:.2f} {} left", *key.credit_remaining, unit));
  }
  if (key.ratelimit_limit && key.ratelimit_remaining) {
    add(fmt::format("{}/{} requests left", grouped(*key.ratelimit_remaining),
                    grouped(*key.ratelimit_limit)));
  }
  if (key.retry_after_seconds) add(fmt::format("retry after {:g} s", *key.retry_after_seconds));
  if (key.retry_after_at) add("retry after " + printable(*key.retry_after_at));
  return line;
}

void render_keys(const Report& report, std::string& out) {
  out += "🔑 API keys\n";
  if (report.api_keys.empty()) out += "  (no providers enabled)\n";
  for (const ApiKeyStatus& key : report.api_keys) {
    std::string line = fmt::format("  {} {}: {}", key_icon(key), printable(key.provider),
                                   printable(key.error_message));
    if (key.latency_ms && key.state != KeyState::unknown)
      line += fmt::format(" ({} ms)", *key.latency_ms);
    out += line + insight_line(key) + "\n";
  }
}

void render_system(const SystemHealth& s, const Painter& paint, std::string& out) {
  out += fmt::format("\n💻 System health: {} {}\n", status_icon(s.status),
                     paint.status(s.status, std::string(to_string(s.status))));
  out += fmt::format("  {} CPU:    {:5.1f}%  ({} CPUs, load {:.2f} {:.2f} {:.2f})\n",
                     status_icon(s.cpu_status), s.cpu_percent, s.cpu_count, s.load_average.one,
                     s.load_average.five, s.load_average.fifteen);
  out += fmt::format("  {} Memory: {:5.1f}%  ({} of {} available)\n", status_icon(s.memory_status),
                     s.memory_percent, gib(s.memory_available_bytes), gib(s.memory_total_bytes));
  for (const DiskHealth& d : s.disks) {
    if (d.error) {
      out += fmt::format("  {} Disk:   not measured  ({}: {})\n", status_icon(d.status),
                         printable(d.path), printable(*d.error));
      continue;
    }
    out += fmt::format("  {} Disk:   {:5.1f}%  ({}: {} of {} available)\n", status_icon(d.status),
                       d.percent, printable(d.path), gib(d.available_bytes), gib(d.total_bytes));
  }
}

void render_list(const char* title, const std::vector<std::string>& items, std::string& out) {
  out += fmt::format("\n{}\n", title);
  for (const std::string& item : items) out += "  - " + printable(item) + "\n";
}

std::string fallback_line(const std::vector<ApiKeyStatus>& keys,
                          const std::vector<std::string>& order) {
  std::map<std::string, std::string> names;
  for (const ApiKeyStatus& key : keys) names[key.id] = key.provider;
  if (order.empty()) return "none available";
  std::string line;
  for (const std::string& id : order) {
    if (!line.empty()) line += " → ";
    line += printable(names.count(id) ? names[id] : id);
  }
  return line;
}

}  // namespace

std::string render_human(const Report& report, const HumanOptions& options) {
  const Painter paint(options.color);
  const std::string overall =
      fmt::format("{} {}", status_icon(report.status),
                  paint.status(report.status, std::string(to_string(report.status))));
  std::string out = paint.bold(fmt::format("🔍 DevOps health check - {} - {}",
                                           printable(report.host), printable(report.timestamp))) +
                    "\n" + fmt::format("Overall status: {}\n\n", paint.bold(overall));
  render_keys(report, out);
  render_system(report.system_health, paint, out);
  if (report.issues_found.empty()) {
    out += "\n✅ No issues found\n";
  } else {
    render_list("🚨 Issues found", report.issues_found, out);
  }
  render_list("💡 Recommendations", report.recommendations, out);
  if (!report.notices.empty()) render_list("🔄 Notices", report.notices, out);
  out += "\n";
  if (options.report_path) {
    out += fmt::format("📄 Report saved: {}\n", printable(*options.report_path));
  }
  if (options.save_error) {
    out += fmt::format("📄 Report not saved: {}\n", printable(*options.save_error));
  }
  if (options.pruned_reports > 0) {
    out += fmt::format("🧹 Old reports deleted: {}\n", options.pruned_reports);
  }
  out += fmt::format("🔀 Provider fallback order: {}\n",
                     fallback_line(report.api_keys, report.provider_fallback_order));
  return out;
}

std::string render_providers(const std::vector<ApiKeyStatus>& keys,
                             const std::vector<std::string>& fallback_order) {
  std::string out =
      fmt::format("🔀 Provider fallback order: {}\n\n", fallback_line(keys, fallback_order));
  for (const ApiKeyStatus& key : keys) {
    out += fmt::format("  {} {:<24} {:<16} {}{}\n", key_icon(key), printable(key.provider),
                       to_string(key.state), printable(key.error_message), insight_line(key));
  }
  return out;
}

}  // namespace devops_monitor
