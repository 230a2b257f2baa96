// The notifier seam: an Alert is what any notifier (GitHub issue today; webhook and Slack
// next) is told, built from a Report or from scan results. It holds plain, unescaped text;
// each notifier escapes for its medium. Deciding *whether* to speak is the planner's job
// (github_plan), never the notifier's transport.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "devops_monitor/report.hpp"
#include "devops_monitor/status.hpp"
#include "notify/scan_results.hpp"

namespace devops_monitor::notify {

struct AlertTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

/// A heading with a list of items and/or a table.
struct AlertSection {
  std::string heading;
  std::vector<std::string> items;
  AlertTable table;
  std::string note;  // one line after the table ("and 12 more")
};

struct Alert {
  /// Which issue (or channel thread) this alert belongs to: several machines or jobs keep
  /// separate alerts by key. Never the host: CI runners have random names.
  std::string key;
  Status status = Status::healthy;
  std::string headline;  // "CRITICAL on build-host-3", "3 exposed credentials found"
  std::string host;      // may be empty (reports of the old tool)
  std::string time;      // when the state was observed, RFC 3339
  std::vector<std::pair<std::string, std::string>> facts;  // {"Status", "critical"}, ...
  std::vector<AlertSection> sections;
  /// What besides the status counts as a change: a hash of the sorted issue texts (numbers
  /// masked) or of the findings' fingerprints and places. Equal signatures and status: nothing
  /// new to say.
  std::string signature;
  std::vector<std::string> labels;  // labels of this kind of alert ("security")
  /// The status counting only what no maintenance silence covers (report.silences); equal to
  /// `status` when nothing is silenced. The plan speaks from it (github_plan).
  Status unsilenced_status = Status::healthy;
  /// The components silenced ("disk:/", "key:openai", "all"); empty when no silence applies.
  std::vector<std::string> silenced;
};

/// The worst status of the report's components that no silence of report.silences covers:
/// cpu, memory, each disk, each provider key (api_keys over the keys left). Pure.
Status status_outside_silences(const Report& report);

/// The alert key for reports unless --alert-key says otherwise.
inline constexpr const char* kHealthAlertKey = "health";
/// The alert key for scan results unless --alert-key says otherwise.
inline constexpr const char* kScanAlertKey = "exposed-keys";

/// Key names go into hidden Markdown markers: letters, digits, '.', '_' and '-', 1 to 64.
bool valid_alert_key(std::string_view key);

Alert alert_from_report(const Report& report, std::string key);
/// Findings make it critical; none make it healthy.
Alert alert_from_scan(const ScanResults& scan, std::string key);

/// The change signature of a set of issue texts: order does not matter, and runs of digits
/// count as one placeholder, so "High CPU usage: 85.3%" and "... 86.1%" are the same issue
/// (an hourly job must not comment because a figure moved).
std::string issues_signature(const std::vector<std::string>& issues);

/// First 16 hex digits of SHA-256.
std::string short_sha256(std::string_view text);

}  // namespace devops_monitor::notify
