#include "notify/alert.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "devops_monitor/rules.hpp"
#include "devops_monitor/silences.hpp"
#include "util/ascii.hpp"
#include "util/sha256.hpp"

namespace devops_monitor::notify {
namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string one_decimal_percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", value);
  return text;
}

std::string gib(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024 * 1024));
  return text;
}

AlertSection list_section(std::string heading, const std::vector<std::string>& items) {
  return {.heading = std::move(heading), .items = items, .table = {}, .note = {}};
}

// A scan with many findings still makes a readable issue; the rest is counted.
constexpr std::size_t kMaxFindingRows = 200;

}  // namespace

bool valid_alert_key(std::string_view key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return ascii::is_alpha(c) || ascii::is_digit(c) || c == '.' || c == '_' || c == '-';
  });
}

std::string short_sha256(std::string_view text) {
  return sha256_hex_prefix(text, 8);
}

std::string issues_signature(const std::vector<std::string>& issues) {
  std::set<std::string> masked;
  for (const std::string& issue : issues) {
    std::string text;
    for (std::size_t i = 0; i < issue.size(); ++i) {
      if (!ascii::is_digit(issue[i])) {
        text += issue[i];
        continue;
      }
      // 85, 85.3 and 1,024 are all one number.
      while (i + 1 < issue.size() && (ascii::is_digit(issue[i + 1]) ||
                                      ((issue[i + 1] == '.' || issue[i + 1] == ',') &&
                                       i + 2 < issue.size() && ascii::is_digit(issue[i + 2])))) {
        ++i;
      }
      text += '#';
    }
    masked.insert(text);
  }
  std::string joined;
  for (const std::string& text : masked) joined += text + '\n';
  return short_sha256(joined);
}

Status status_outside_silences(const Report& report) {
  const std::vector<Silence>& silences = report.silences;
  if (silence_covering(silences, "overall") != nullptr) return Status::healthy;
  const SystemHealth& s = report.system_health;
  Status status = Status::healthy;
  if (silence_covering(silences, "cpu") == nullptr) status = worse(status, s.cpu_status);
  if (silence_covering(silences, "memory") == nullptr) status = worse(status, s.memory_status);
  if (s.disks.empty()) status = worse(status, s.disk_status);
  for (const DiskHealth& disk : s.disks) {
    if (silence_covering(silences, "disk:" + disk.path) == nullptr) {
      status = worse(status, disk.status);
    }
  }
  std::vector<ApiKeyStatus> keys;
  bool silenced_present = false;
  for (const ApiKeyStatus& key : report.api_keys) {
    if (silence_covering(silences, "key:" + key.id) != nullptr) {
      silenced_present = silenced_present || key.key_present;
      continue;
    }
    keys.push_back(key);
  }
  // Every key there is silenced: the missing ones left do not make "no key works" news.
  const bool present_left = std::any_of(keys.begin(), keys.end(),
                                        [](const ApiKeyStatus& key) { return key.key_present; });
  if (present_left || !silenced_present) status = worse(status, api_keys_status(keys));
  return status;
}

Alert alert_from_report(const Report& report, std::string key) {
  Alert alert;
  alert.key = std::move(key);
  alert.status = report.status;
  alert.unsilenced_status = report.status;
  if (!report.silences.empty()) {
    alert.silenced = silenced_components(report.silences);
    alert.unsilenced_status = status_outside_silences(report);
  }
  alert.host = report.host;
  alert.time = report.timestamp;
  alert.headline = upper(to_string(report.status));
  if (!report.host.empty()) alert.headline += " on " + report.host;
  alert.facts = {{"Status", std::string(to_string(report.status))},
                 {"Host", report.host.empty() ? "(not recorded)" : report.host},
                 {"Checked at", report.timestamp}};
  if (!report.version.empty()) alert.facts.emplace_back("devops-monitor", report.version);

  if (!report.issues_found.empty())
    alert.sections.push_back(list_section("Issues", report.issues_found));
  if (!report.recommendations.empty())
    alert.sections.push_back(list_section("Recommendations", report.recommendations));

  if (!report.api_keys.empty()) {
    AlertSection keys{.heading = "API keys", .items = {}, .table = {}, .note = {}};
    keys.table.columns = {"Provider", "State", "Latency"};
    for (const ApiKeyStatus& k : report.api_keys) {
      keys.table.rows.push_back({k.provider, std::string(to_string(k.state)),
                                 k.latency_ms ? std::to_string(*k.latency_ms) + " ms" : "-"});
    }
    alert.sections.push_back(std::move(keys));
  }

  const SystemHealth& s = report.system_health;
  AlertSection figures{.heading = "System", .items = {}, .table = {}, .note = {}};
  figures.table.columns = {"Metric", "Value", "Status"};
  figures.table.rows.push_back(
      {"CPU", one_decimal_percent(s.cpu_percent), std::string(to_string(s.cpu_status))});
  figures.table.rows.push_back(
      {"Memory", one_decimal_percent(s.memory_percent), std::string(to_string(s.memory_status))});
  if (s.disks.empty()) {
    figures.table.rows.push_back(
        {"Disk", one_decimal_percent(s.disk_percent), std::string(to_string(s.disk_status))});
  }
  for (const DiskHealth& d : s.disks) {
    const std::string value =
        d.error ? *d.error
                : one_decimal_percent(d.percent) + " (" + gib(d.available_bytes) + " free)";
    figures.table.rows.push_back({"Disk " + d.path, value, std::string(to_string(d.status))});
  }
  alert.sections.push_back(std::move(figures));

  alert.signature = issues_signature(report.issues_found);
  return alert;
}

Alert alert_from_scan(const ScanResults& scan, std::string key) {
  Alert alert;
  alert.key = std::move(key);
  alert.labels = {"security"};
  const std::size_t n = scan.findings.size();
  alert.status = n > 0 ? Status::critical : Status::healthy;
  alert.time = scan.scanned_at;
  alert.headline = n == 0   ? "no exposed credentials found"
                   : n == 1 ? "1 exposed credential found"
                            : std::to_string(n) + " exposed credentials found";
  alert.facts = {{"Status", std::string(to_string(alert.status))},
                 {"Scanned at", scan.scanned_at},
                 {"Files scanned", std::to_string(scan.files_scanned)}};
  if (!scan.version.empty()) alert.facts.emplace_back("devops-monitor", scan.version);

  std::set<std::string> places;
  for (const ScanFinding& f : scan.findings) {
    places.insert(f.fingerprint + ' ' + f.file + ':' + std::to_string(f.line) + ':' +
                  std::to_string(f.column));
  }
  std::string joined;
  for (const std::string& place : places) joined += place + '\n';
  alert.signature = short_sha256(joined);

  if (n > 0) {
    AlertSection table{.heading = "Findings", .items = {}, .table = {}, .note = {}};
    table.table.columns = {"Location", "Provider", "Match (redacted)", "Verification"};
    for (std::size_t i = 0; i < n && i < kMaxFindingRows; ++i) {
      const ScanFinding& f = scan.findings[i];
      table.table.rows.push_back(
          {f.file + ':' + std::to_string(f.line), f.provider, f.redacted, f.verification});
    }
    if (n > kMaxFindingRows) {
      table.note = "... and " + std::to_string(n - kMaxFindingRows) + " more findings";
    }
    alert.sections.push_back(std::move(table));
    alert.sections.push_back(list_section(
        "What to do",
        {"Revoke or rotate each credential marked live or unknown at its provider",
         "Remove the secret from the file and from the repository history",
         "Move keys to the environment, a .env file outside version control or a secret store"}));
  }
  return alert;
}

}  // namespace devops_monitor::notify
