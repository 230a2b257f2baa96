#include "cli.hpp"

#include <CLI/CLI.hpp>

#include "notify_command.hpp"

namespace devops_monitor::cli {
namespace {

constexpr const char* kDescription =
    "devops-monitor: is this machine fit to run AI agents?\n"
    "Checks that the AI provider API keys are present and really work (one free, read-only\n"
    "request per provider, all at once) and that CPU, memory and disk are within bounds.\n"
    "Writes a JSON report per check and exits with the health as status.";

constexpr const char* kFooter =
    "Exit status (as Nagios plugins):\n"
    "  0 healthy, 1 warning, 2 critical,\n"
    "  3 the check could not run (bad flag or config, unreadable procfs, report dir not writable)\n"
    "  providers: the same for the keys alone; badge and prune: 0 done, 3 failed.\n"
    "\n"
    "Keys are read from the environment and from the .env file (a variable set in the\n"
    "  environment wins, even empty): TOGETHER_API_KEY OPENAI_API_KEY ANTHROPIC_API_KEY\n"
    "  OPENROUTER_API_KEY GOOGLE_API_KEY MOONSHOT_API_KEY, and env_var of custom providers.\n"
    "  .env: --env-file FILE, else env_file from the config, else ./.env if present.\n"
    "\n"
    "Config file (TOML): --config FILE, else $DEVOPS_MONITOR_CONFIG, else\n"
    "  $XDG_CONFIG_HOME/devops-monitor/config.toml (~/.config/...), else\n"
    "  /etc/devops-monitor/config.toml. ./devops-monitor.toml is read only when named\n"
    "  (--config ./devops-monitor.toml). A config file owned by another user, or writable\n"
    "  by others (itself or a directory above it), is refused: it decides where keys go.\n"
    "  Never name a file from an untrusted checkout. Flags win over the config file.\n"
    "  Durations are written like 500ms, 1s, 1m30s.\n"
    "\n"
    "Examples:\n"
    "  devops-monitor --check\n"
    "  devops-monitor --check --json > report.json\n"
    "  devops-monitor check --cpu-window 300ms --disk / --disk /var --report-dir /var/lib/dm\n"
    "  devops-monitor badge --format svg > status.svg\n"
    "  devops-monitor prune --retention-days 30 --dry-run\n"
    "  devops-monitor providers";

void add_text(CLI::App& app, const char* flag, std::optional<std::string>& target, const char* help,
              const char* type_name) {
  app.add_option_function<std::string>(
         flag, [&target](const std::string& v) { target = v; }, help)
      ->type_name(type_name);
}

}  // namespace

Result<CliOptions> parse_command_line(int argc, const char* const* argv) {
  CliOptions options;
  CLI::App app(kDescription, "devops-monitor");
  app.footer(kFooter);
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.get_formatter()->column_width(30);
  // A repeated single-value flag takes its last value, as in most Unix tools.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  bool check_flag = false;
  bool version = false;
  app.add_flag("--check", check_flag, "Run a health check (the default)");
  app.add_flag("--json", options.json,
               "Machine output: the report JSON on stdout and nothing else");
  add_text(app, "--report-dir", options.report_dir,
           "Where reports are written (default ./monitoring_reports, created with parents)", "DIR");
  app.add_flag("--no-save", options.no_save, "Do not write a report file");
  add_text(app, "--config", options.config, "TOML config file (see below for the default)", "FILE");
  add_text(app, "--env-file", options.env_file, "Read keys from FILE (default ./.env if present)",
           "FILE");
  add_text(app, "--procfs", options.procfs,
           "procfs root to read CPU, memory and load from (default /proc)", "DIR");
  app.add_option("--disk", options.disks,
                 "Path whose filesystem is checked; repeatable (default /)")
      ->type_name("PATH")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_text(app, "--cpu-window", options.cpu_window,
           "How long CPU use is sampled (default 1s, 100ms to 10m)", "DURATION");
  add_text(app, "--timeout", options.timeout,
           "Time allowed per provider, retry included (default 10s, 100ms to 5m)", "DURATION");
  add_text(app, "--mount-timeout", options.mount_timeout,
           "Time a disk may take to answer before it is reported as stuck (default 5s)",
           "DURATION");
  add_text(app, "--deadline", options.deadline,
           "The most a whole check may take, saving included (default cpu-window + timeout + 5s)",
           "DURATION");
  app.add_option_function<int>(
         "--retention-days", [&options](int days) { options.retention_days = days; },
         "Reports older than this are deleted after a check and by prune (default 90)")
      ->type_name("DAYS")
      ->check(CLI::Range(1, 36500));
  app.add_flag("--version", version, "Print the version and exit");

  CLI::App* check = app.add_subcommand("check", "Run a health check (the default)");
  CLI::App* badge = app.add_subcommand("badge", "Print a status badge for the latest report");
  badge->add_option("--format", options.badge_format, "markdown (default), svg or json")
      ->check(CLI::IsMember({"markdown", "svg", "json"}))
      ->type_name("FORMAT");
  CLI::App* prune = app.add_subcommand("prune", "Delete reports older than the retention period");
  prune->add_flag("--dry-run", options.dry_run, "Only list what would be deleted");
  prune->add_flag("--ignore-gaps", options.ignore_gaps,
                  "Also delete old reports from before a gap in the history (clock jump)");
  CLI::App* providers =
      app.add_subcommand("providers", "Check the keys only and print the provider fallback order");
  for (CLI::App* command : {check, badge, prune, providers}) {
    command->fallthrough();  // the general flags may come after the command name too
  }
  // ---- notify github (issue 7) --------------------------------------------------------------
  add_notify_command(app, options);
  // ---- end notify github --------------------------------------------------------------------
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    options.command = Command::help;
    options.help_text = app.help();
    for (CLI::App* command : {badge, prune, providers, check}) {
      if (command->parsed()) options.help_text = command->help();
    }
    return options;
  } catch (const CLI::ParseError& e) {
    return Error{"invalid command line", e.what(), "see devops-monitor --help"};
  }
  if (version) {
    options.command = Command::version;
  } else if (badge->parsed()) {
    options.command = Command::badge;
  } else if (prune->parsed()) {
    options.command = Command::prune;
  } else if (providers->parsed()) {
    options.command = Command::providers;
  }
  if (options.command == Command::badge && options.json) {
    return Error{"invalid command line", "badge takes --format json, not --json", "--json"};
  }
  return options;
}

}  // namespace devops_monitor::cli
