// devops-monitor: command-line wiring only, a thin client of the library's public API.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.hpp"
#include "dashboard_command.hpp"
#include "devops_monitor/monitor.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/report_json.hpp"
#include "devops_monitor/rules.hpp"
#include "devops_monitor/status_page.hpp"
#include "devops_monitor/text.hpp"
#include "devops_monitor/version.hpp"
#include "notify_command.hpp"
#include "settings_from_cli.hpp"
#include "watch_command.hpp"

namespace devops_monitor::cli {
namespace {

constexpr int kCannotRun = 3;  // Nagios UNKNOWN: the command itself could not run

// Errors and warnings quote outside text (config values, procfs contents, paths, .env names):
// printable() keeps it from driving the terminal.
int fail(const Error& error) {
  std::fprintf(stderr, "devops-monitor: %s\n", printable(error.message()).c_str());
  return kCannotRun;
}

void print_warnings(const std::vector<Error>& warnings) {
  for (const Error& warning : warnings) {
    std::fprintf(stderr, "devops-monitor: warning: %s\n", printable(warning.message()).c_str());
  }
}

void print_warnings(const CheckNotes& notes) {
  print_warnings(notes.warnings);
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

bool use_color() {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || no_color[0] == '\0');
}

/// The textfile sink: a failure to write it is one line on stderr and changes nothing else.
void write_textfile_or_warn(const CliOptions& options, const std::string& exposition) {
  if (!options.textfile_dir) return;
  Result<void> written = write_textfile(*options.textfile_dir, exposition);
  if (!written) {
    std::fprintf(stderr, "devops-monitor: textfile not written: %s\n",
                 printable(written.error().message()).c_str());
  }
}

/// A check that produced no report: the error on stderr, exit 3; a Nagios plugin still owes
/// its one line, and the exposition still says that this check failed.
int check_failed(const CliOptions& options, const Error& error) {
  const MetricFacts failed{.check_errors_total = 1};
  const std::string exposition =
      render_prometheus_failure(std::chrono::system_clock::now(), failed);
  write_textfile_or_warn(options, exposition);
  if (options.format == OutputFormat::nagios) {
    print(render_nagios_failure(error.message()));
  } else if (options.format == OutputFormat::prometheus) {
    print(exposition);
  }
  return fail(error);
}

/// Checking and keeping are separate steps: whatever happens to saving, the result is
/// printed, and a failure to save is one more line on stderr and one more issue in the report.
/// main picks the sinks from the flags; render() and write_textfile() do the formatting.
int run_check(const CliOptions& options, const Monitor& monitor) {
  CheckNotes notes;
  Result<Report> report = monitor.perform_health_check(&notes);
  print_warnings(notes);
  if (!report) return check_failed(options, report.error());
  RenderOptions render_options;
  render_options.human.color = use_color();
  render_options.human.pruned_reports = notes.pruned_reports.size();
  if (notes.report_file) render_options.human.report_path = notes.report_file->string();
  if (notes.keep_error) render_options.human.save_error = notes.keep_error->message();
  print(render(*report, options.format, render_options));
  if (notes.keep_error) {
    std::fprintf(stderr, "devops-monitor: report not saved: %s\n",
                 printable(notes.keep_error->message()).c_str());
  }
  if (options.textfile_dir) {
    write_textfile_or_warn(options, render(*report, OutputFormat::prometheus, render_options));
  }
  return exit_code(report->status);
}

int run_providers(const CliOptions& options, const Monitor& monitor) {
  CheckNotes notes;
  Result<std::vector<ApiKeyStatus>> keys = monitor.check_api_keys(&notes);
  print_warnings(notes);
  if (!keys) return fail(keys.error());
  const std::vector<std::string> order = fallback_order(*keys);
  if (options.json) {
    nlohmann::ordered_json doc = {{"provider_fallback_order", order},
                                  {"api_keys", nlohmann::ordered_json::array()}};
    for (const ApiKeyStatus& key : *keys)
      doc["api_keys"].push_back(nlohmann::ordered_json::parse(to_json(key)));
    print(doc.dump(2) + "\n");
  } else {
    print(render_providers(*keys, order));
  }
  return exit_code(api_keys_status(*keys));
}

int run_badge(const CliOptions& options, const Monitor& monitor) {
  CheckNotes notes;
  const std::string badge = monitor.status_badge(*parse_badge_format(options.badge_format), &notes);
  print_warnings(notes);
  print(badge);
  return 0;
}

int run_prune(const CliOptions& options, const Monitor& monitor) {
  Result<PruneSummary> pruned =
      monitor.prune({.dry_run = options.dry_run, .ignore_gaps = options.ignore_gaps});
  if (!pruned) return fail(pruned.error());
  const int days = monitor.settings().retention_days;
  if (options.json) {
    nlohmann::ordered_json doc = {{"dry_run", options.dry_run},
                                  {"retention_days", days},
                                  {"files", nlohmann::ordered_json::array()},
                                  {"held_back", nlohmann::ordered_json::array()},
                                  {"gap_days", pruned->gap_days}};
    for (const auto& file : pruned->deleted) doc["files"].push_back(file.string());
    for (const auto& file : pruned->held_back) doc["held_back"].push_back(file.string());
    print(doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    return 0;
  }
  std::string out;
  for (const auto& file : pruned->deleted)
    out += (options.dry_run ? "would delete " : "deleted ") + printable(file.string()) + "\n";
  out += std::to_string(pruned->deleted.size()) +
         (options.dry_run ? " reports would be deleted" : " reports deleted") + " (older than " +
         std::to_string(days) + " days)\n";
  if (!pruned->held_back.empty()) {
    out += std::to_string(pruned->held_back.size()) + " older reports kept: they come before a " +
           std::to_string(pruned->gap_days) +
           "-day gap in the history (a clock that jumped forward, or a machine that was off); "
           "--ignore-gaps deletes them\n";
  }
  print(out);
  return 0;
}

/// The status page sink: the page of the report directory, written atomically to the file.
int run_report(const CliOptions& options, const Monitor& monitor) {
  CheckNotes notes;
  Result<std::string> page = monitor.status_page(*parse_page_range(options.report.since), &notes);
  print_warnings(notes);
  if (!page) return fail(page.error());
  Result<void> written = write_page_file(*options.report.html, *page);
  if (!written) return fail(written.error());
  return 0;
}

}  // namespace
}  // namespace devops_monitor::cli

namespace devops_monitor::cli {
namespace {

int run(int argc, char** argv) {
  Result<CliOptions> options = parse_command_line(argc, argv);
  if (!options) return fail(options.error());
  if (options->command == Command::help) {
    print(options->help_text);
    return 0;
  }
  if (options->command == Command::version) {
    print(std::string("devops-monitor ") + kVersion + "\n");
    return 0;
  }
  // watch blocks its signals before anything else runs, and loads (and reloads) itself.
  if (options->command == Command::watch) return run_watch(*options);
  if (options->command == Command::dashboard) return run_dashboard(*options);
  std::vector<Error> warnings;
  Result<Settings> settings = settings_from_cli(*options, warnings);
  print_warnings(warnings);
  if (!settings) return fail(settings.error());
  const Monitor monitor(std::move(*settings));
  switch (options->command) {
    case Command::badge:
      return run_badge(*options, monitor);
    case Command::prune:
      return run_prune(*options, monitor);
    case Command::providers:
      return run_providers(*options, monitor);
    case Command::notify_github:
      return run_notify_github(*options, monitor.settings());
    case Command::scan:
      return run_scan(*options, monitor.settings());
    case Command::serve:
      return run_serve(*options, monitor.settings());
    case Command::history:
      return run_history(*options, monitor.settings());
    case Command::report:
      return run_report(*options, monitor);
    default:
      return run_check(*options, monitor);
  }
}

}  // namespace
}  // namespace devops_monitor::cli

/// The library never throws; CLI11, the standard library or an allocation still might. Any
/// such escape is one line and exit 3, never an abort with a core dump.
int main(int argc, char** argv) {
  try {
    return devops_monitor::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "devops-monitor: unexpected failure: %s\n",
                 devops_monitor::printable(e.what()).c_str());
  } catch (...) {
    std::fprintf(stderr, "devops-monitor: unexpected failure\n");
  }
  return 3;
}
