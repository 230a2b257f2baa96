// `devops-monitor check` (the default command, also `--check`): one health check, printed in
// the chosen format, kept in the report directory, optionally written for node_exporter's
// textfile collector. Checking and keeping are separate steps: whatever happens to saving,
// the result is printed, and a failure to save is one more line on stderr and one more issue.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "command.hpp"
#include "devops_monitor/monitor.hpp"
#include "devops_monitor/render.hpp"
#include "devops_monitor/text.hpp"
#include "flags.hpp"
#include "output.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kCheckFooter =
    "Checks that the AI provider API keys are present and really work (one free, read-only\n"
    "request per provider, all at once) and that CPU, memory and disk are within bounds.\n"
    "Writes a JSON report per check (unless --no-save) and exits with the health as status.\n"
    "\n"
    "Keys are read from the environment and from the .env file (a variable set in the\n"
    "environment wins, even empty): OPENAI_API_KEY ANTHROPIC_API_KEY GOOGLE_API_KEY\n"
    "OPENROUTER_API_KEY TOGETHER_API_KEY MOONSHOT_API_KEY, and env_var of custom providers.\n"
    "Flags win over the config file. Durations: 500ms, 10s, 5m, 1h30m, 7d.\n"
    "\n"
    "Exit status (as Nagios plugins): 0 healthy, 1 warning, 2 critical, 3 the check could not\n"
    "run (bad flag or config, unreadable procfs or .env, missing --disk path). A report that\n"
    "could not be saved is a warning (exit 1 at least), never a lost result.\n"
    "\n"
    "Examples:\n"
    "  devops-monitor --check\n"
    "  devops-monitor check --json > report.json\n"
    "  devops-monitor check --format nagios -w 85 -c 95        (a Nagios/Icinga plugin)\n"
    "  devops-monitor check --textfile-dir /var/lib/prometheus/node-exporter\n"
    "  devops-monitor check --cpu-window 300ms --disk / --disk /var --report-dir /var/lib/dm";

struct CheckFlags {
  SettingsFlags settings;
  bool check = false;  // --check: the old script's flag, the same as no command
  bool json = false;
  std::optional<std::string> format;
  std::optional<std::string> textfile_dir;
};

/// The textfile sink: a failure to write it is one line on stderr and changes nothing else.
void write_textfile_or_warn(const std::optional<std::string>& dir, const std::string& exposition) {
  if (!dir) return;
  Result<void> written = write_textfile(*dir, exposition);
  if (!written) {
    std::fprintf(stderr, "devops-monitor: textfile not written: %s\n",
                 printable(written.error().message()).c_str());
  }
}

/// A check that produced no report: the error on stderr, exit 3; a Nagios plugin still owes
/// its one line, and the exposition still says that this check failed.
int check_failed(OutputFormat format, const std::optional<std::string>& textfile_dir,
                 const Error& error) {
  const std::string exposition =
      render_prometheus_failure(std::chrono::system_clock::now(), {.check_errors_total = 1});
  write_textfile_or_warn(textfile_dir, exposition);
  if (format == OutputFormat::nagios) {
    print(render_nagios_failure(error.message()));
  } else if (format == OutputFormat::prometheus) {
    print(exposition);
  }
  return fail(error);
}

Result<OutputFormat> chosen_format(const CheckFlags& flags) {
  if (!flags.format) return flags.json ? OutputFormat::json : OutputFormat::human;
  const std::optional<OutputFormat> format = parse_output_format(*flags.format);
  if (!format) {
    return Error{"invalid command line",
                 "--format " + *flags.format + " is not one of human, json, nagios, prometheus",
                 "--format"};
  }
  if (flags.json && *format != OutputFormat::json) {
    return Error{"invalid command line",
                 "--json and --format " + *flags.format + " conflict (--json means --format json)",
                 "--json, --format"};
  }
  return *format;
}

/// One line on a terminal once a check has waited a second for providers; nothing when stderr
/// is not a terminal (a cron job's mail, a pipe).
CheckProgress waiting_line() {
  if (!stderr_is_terminal()) return {};
  return {.after = std::chrono::seconds(1), .waiting = [](const std::vector<std::string>& names) {
            std::string list;
            for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
            std::fprintf(stderr, "devops-monitor: waiting for %s...\n", printable(list).c_str());
          }};
}

int run_check(const CheckFlags& flags) {
  Result<OutputFormat> format = chosen_format(flags);
  if (!format) return check_failed(OutputFormat::human, flags.textfile_dir, format.error());
  Result<Settings> settings = settings_from_flags(flags.settings);
  if (!settings) return check_failed(*format, flags.textfile_dir, settings.error());
  const Monitor monitor(std::move(*settings));
  CheckNotes notes;
  Result<Report> report = monitor.perform_health_check(&notes, waiting_line());
  print_warnings(notes.warnings);
  if (!report) return check_failed(*format, flags.textfile_dir, report.error());
  RenderOptions render_options;
  render_options.human.color = use_color();
  render_options.human.pruned_reports = notes.pruned_reports.size();
  if (notes.report_file) render_options.human.report_path = notes.report_file->string();
  if (notes.keep_error) render_options.human.save_error = notes.keep_error->message();
  print(render(*report, *format, render_options));
  if (notes.keep_error) {
    std::fprintf(stderr, "devops-monitor: report not saved: %s\n",
                 printable(notes.keep_error->message()).c_str());
  }
  if (flags.textfile_dir) {
    write_textfile_or_warn(flags.textfile_dir,
                           render(*report, OutputFormat::prometheus, render_options));
  }
  return exit_code(report->status);
}

}  // namespace

Command check_command() {
  return {"check", "Run a health check (the default command; also --check)",
          [](CLI::App& app) -> Run {
            auto flags = std::make_shared<CheckFlags>();
            app.footer(kCheckFooter);
            switch_flag(app, "--check", flags->check, "Run a health check (the old script's flag)");
            switch_flag(app, "--json", flags->json,
                        "Machine output: the report JSON on stdout and nothing else");
            value_flag(app, "--format", flags->format, "FORMAT",
                       "human, json (as --json), nagios (one plugin line with perfdata) or "
                       "prometheus (text exposition format)",
                       "human");
            value_flag(app, "--textfile-dir", flags->textfile_dir, "DIR",
                       "Also write the exposition to DIR/devops_monitor.prom, atomically "
                       "(node_exporter's textfile collector; created with parents)",
                       "none");
            add_settings_flags(app, flags->settings,
                               kConfigFlag | kEnvFileFlag | kTimeoutFlag | kReportDirFlag |
                                   kNoSaveFlag | kRetentionFlag | kSystemFlags | kWindowFlags);
            return [flags] { return run_check(*flags); };
          }};
}

}  // namespace devops_monitor::cli
