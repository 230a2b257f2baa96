// Telling people about a check: open a GitHub issue when a report (or a secret scan) is bad,
// comment only when it changes, close it when it recovers. One issue per alert key, found
// again by a hidden marker, so an hourly job leaves one issue, not 24.
//
//   devops_monitor::GithubNotifyOptions options;
//   options.repository = "octo-org/infra";
//   options.input = "monitoring_reports/latest_report.json";
//   options.token = token_from_somewhere;  // never logged, never in a URL
//   auto outcome = devops_monitor::notify_github(options);
//   if (outcome) std::puts(outcome->summary.c_str());  // "opened #12"
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/status.hpp"

namespace devops_monitor {

enum class AlertInput {
  report,  // a report JSON file (latest_report.json)
  scan,    // the JSON of `devops-monitor scan --json`: findings are critical
};

struct GithubNotifyOptions {
  std::string repository;  // OWNER/NAME
  AlertInput input_kind = AlertInput::report;
  std::filesystem::path input;  // the report or scan file; read as untrusted input
  /// False when `input` was found rather than named (the report directory's
  /// latest_report.json): a symlink there is then not followed. Named or not, only a regular
  /// file is read (a FIFO or device is refused at once), a report up to 4 MiB, a scan 32 MiB.
  bool input_named = true;
  Status min_status = Status::warning;  // at or above it an issue is opened (kept open)
  std::string alert_key;                // empty: "health" for reports, "exposed-keys" for scans
  bool dry_run = false;                 // no write request; open issues are read if a token is set
  std::string token;                    // required unless dry_run
  std::string api_url = "https://api.github.com";
  std::string run_url;          // the workflow run to link, or empty
  std::string ca_bundle;        // empty: the system CA store
  Milliseconds timeout{30000};  // per request
  /// The report directory whose silences.json also counts (besides the silences the report
  /// lists): what is silenced now. Empty: only the report's.
  std::filesystem::path silences_dir;
};

struct GithubNotifyOutcome {
  std::string action;  // "opened", "commented", "unchanged", "closed", "none"
  std::optional<int> issue;
  Status status = Status::healthy;
  std::optional<Status> previous_status;  // from the open issue's state marker
  std::string alert_key;
  bool dry_run = false;
  bool looked_up = false;  // open issues were read (a dry run without a token reads none)
  std::string summary;     // one line: "opened #12", "no change; #12 left open", ...
  // What was (or, in a dry run, would be) written.
  std::string title;
  std::string body;
  std::string comment;
  std::vector<std::string> labels;
  std::vector<Error> warnings;  // e.g. the new issue did not get its labels
};

/// OWNER/NAME as GitHub allows them: owner letters, digits and '-' (1-39), name letters,
/// digits, '.', '_' and '-' (1-100, not "." or "..").
bool valid_github_repository(std::string_view repository);
/// Letters, digits, '.', '_' and '-', 1 to 64 characters.
bool valid_github_alert_key(std::string_view key);

/// Reads the input, finds the open issue carrying the alert's marker and opens, comments on
/// or closes it as needed. Fails (nothing half-explained) on unreadable input, a missing
/// token, or any GitHub or network failure; never throws.
Result<GithubNotifyOutcome> notify_github(const GithubNotifyOptions& options);

}  // namespace devops_monitor
