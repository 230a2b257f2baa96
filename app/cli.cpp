#include "cli.hpp"

#include <CLI/CLI.hpp>

#include "devops_monitor/version.hpp"

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
    "\n"
    "Keys are read from the environment and from the .env file (the environment wins):\n"
    "  TOGETHER_API_KEY OPENAI_API_KEY ANTHROPIC_API_KEY OPENROUTER_API_KEY GOOGLE_API_KEY\n"
    "  MOONSHOT_API_KEY, and env_var of custom providers in the config file.\n"
    "\n"
    "Config file (TOML): --config FILE, else ./devops-monitor.toml, else\n"
    "  $XDG_CONFIG_HOME/devops-monitor/config.toml, else /etc/devops-monitor/config.toml.\n"
    "  Flags win over it. Durations are written like 500ms, 1s, 1m30s.\n"
    "\n"
    "Examples:\n"
    "  devops-monitor --check\n"
    "  devops-monitor --check --json > report.json\n"
    "  devops-monitor check --cpu-window 300ms --disk / --disk /var --report-dir /var/lib/dm";

void add_optional(CLI::App& app, const char* flag, std::optional<std::string>& target,
                  const char* help, const char* type_name) {
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
  // A repeated single-value flag takes its last value, as in most Unix tools.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.get_formatter()->column_width(30);

  bool check_flag = false;
  bool version = false;
  app.add_flag("--check", check_flag, "Run a health check (the default)");
  app.add_flag("--json", options.json, "Print the report JSON on stdout and nothing else");
  add_optional(app, "--report-dir", options.report_dir,
               "Where reports are written (default ./monitoring_reports, created with parents)",
               "DIR");
  app.add_flag("--no-save", options.no_save, "Do not write a report file");
  add_optional(app, "--config", options.config, "TOML config file (see below for the default)",
               "FILE");
  add_optional(app, "--env-file", options.env_file,
               "Read keys from FILE (default ./.env if present)", "FILE");
  add_optional(app, "--procfs", options.procfs,
               "procfs root to read CPU, memory and load from (default /proc)", "DIR");
  app.add_option("--disk", options.disks,
                 "Path whose filesystem is checked; repeatable (default /)")
      ->type_name("PATH")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_optional(app, "--cpu-window", options.cpu_window,
               "How long CPU use is sampled (default 1s, 100ms to 10m)", "DURATION");
  add_optional(app, "--timeout", options.timeout,
               "Time allowed per provider, retry included (default 10s, 100ms to 5m)", "DURATION");
  app.add_flag("--version", version, "Print the version and exit");

  CLI::App* check = app.add_subcommand("check", "Run a health check (the default)");
  check->fallthrough();  // flags may come after the command name too

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    options.command = Command::help;
    options.help_text = app.help();
    return options;
  } catch (const CLI::ParseError& e) {
    return Error{"invalid command line", e.what(), "see devops-monitor --help"};
  }
  if (version) options.command = Command::version;
  return options;
}

}  // namespace devops_monitor::cli
