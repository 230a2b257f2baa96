#include "cli.hpp"

#include <CLI/CLI.hpp>

#include "devops_monitor/status_page.hpp"
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
    "  providers: the same for the keys alone; badge, prune, history and notify github: 0 done,\n"
    "  3 failed; scan: 0 nothing found, 1 credentials found, 3 the scan could not run;\n"
    "  serve: 0 stopped by SIGTERM or SIGINT, 3 could not start;\n"
    "  report --html: 0 written, 3 failed (no report directory, file not writable);\n"
    "  watch: 0 after SIGTERM or SIGINT, 3 when it cannot start (bad flag or config);\n"
    "  dashboard: 0 after q, SIGTERM or SIGINT, 3 when it cannot start.\n"
    "\n"
    "watch: checks every --interval (default [watch] interval in the config, else 1h),\n"
    "  counted from the start of each check, keeps reports, logs one line per check on\n"
    "  stderr, posts the changes to the [[webhooks]] and runs the [actions] of the config\n"
    "  when the overall status turns warning, critical or healthy again. SIGHUP reloads the\n"
    "  config (a bad one is logged and the old one kept); SIGTERM or SIGINT stop it.\n"
    "\n"
    "Output (check --format): human (default); json (the report, as --json); nagios (one\n"
    "  plugin line 'DEVOPS OK - ... | perfdata', then the issues); prometheus (the text\n"
    "  exposition format, metric names in the README). --textfile-dir DIR also\n"
    "  writes it to DIR/devops_monitor.prom (atomic; a failure is a warning on stderr).\n"
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
    "  devops-monitor check --format nagios              (a Nagios/Icinga plugin)\n"
    "  devops-monitor check --format prometheus --no-save\n"
    "  devops-monitor check --textfile-dir /var/lib/prometheus/node-exporter\n"
    "  devops-monitor check --cpu-window 300ms --disk / --disk /var --report-dir /var/lib/dm\n"
    "  devops-monitor badge --format svg > status.svg\n"
    "  devops-monitor prune --retention-days 30 --dry-run\n"
    "  devops-monitor history --since 30d               (availability, latency, disk trend)\n"
    "  devops-monitor providers\n"
    "  devops-monitor serve --listen 127.0.0.1:9877 --key-interval 5m   (Prometheus exporter)\n"
    "  devops-monitor watch --interval 5m --report-dir /var/lib/devops-monitor\n"
    "  devops-monitor report --html status.html --since 30d   (the status page as a file)\n"
    "  devops-monitor dashboard --interval 30s            (live view in the terminal; q quits)\n"
    "  devops-monitor scan --sarif > scan.sarif\n"
    "  devops-monitor notify github --repo octo-org/infra   (GITHUB_TOKEN in the environment)";

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
  std::optional<std::string> format;
  add_text(app, "--format", format,
           "The check's output: human (default), json (as --json), nagios (one plugin line with "
           "perfdata) or prometheus (text exposition format)",
           "FORMAT");
  add_text(
      app, "--textfile-dir", options.textfile_dir,
      "With check, also write the Prometheus exposition to DIR/devops_monitor.prom, atomically "
      "(node_exporter's textfile collector)",
      "DIR");
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
  CLI::App* watch = app.add_subcommand(
      "watch", "Check on a schedule; notify webhooks and run actions when the status changes");
  add_text(*watch, "--interval", options.interval,
           "Time between the starts of two checks (default [watch] interval, else 1h; 1s to 7d)",
           "DURATION");
  constexpr const char* kDashboardFooter =
      "A full-screen view, redrawn every second: the overall status, CPU, memory and each\n"
      "disk as bars with the warning and critical thresholds marked, the load, and a row per\n"
      "enabled provider (with or without a key) with its state, latency and its last checks\n"
      "as a sparkline (from the reports already in --report-dir, then this session's), the\n"
      "time of the next key check and the last error. System figures are measured every\n"
      "second; keys are checked at start and then every --interval on a thread of their own,\n"
      "so a slow provider never holds the screen. The dashboard writes no reports.\n"
      "Keys: q quits. A resize redraws at the new size. SIGTERM or SIGINT (Ctrl-C) end it and\n"
      "restore the terminal. Colours unless NO_COLOR is set; block characters in a UTF-8\n"
      "locale, ASCII otherwise.\n"
      "--simple (and stdout that is not a terminal, or TERM=dumb): a plain summary at start\n"
      "and after each key round, flushed, without escape codes.\n"
      "Exit status: 0 after q, SIGTERM or SIGINT; 3 could not start (bad flag or config,\n"
      "unreadable procfs).\n"
      "Examples:\n"
      "  devops-monitor dashboard\n"
      "  devops-monitor dashboard --interval 30s --disk / --disk /var\n"
      "  devops-monitor dashboard --simple --interval 5m >> dashboard.log";
  CLI::App* dashboard =
      app.add_subcommand("dashboard", "Live terminal view of the keys and the machine (q quits)");
  dashboard->footer(kDashboardFooter);
  add_text(*dashboard, "--interval", options.interval,
           "Time between the starts of two key check rounds (default 60s; 1s to 7d)", "DURATION");
  dashboard->add_flag("--simple", options.dashboard_simple,
                      "Print a plain summary after each key round instead of the full screen");
  constexpr const char* kScanFooter =
      "Finds the six built-in providers' key formats, custom providers' key_pattern, AWS\n"
      "access key ids, GitHub and Slack tokens and private key blocks. Prints one line per\n"
      "finding (file:line:column kind redacted-key+fingerprint); never the key itself.\n"
      "Skipped: .git directories, binary files (a NUL byte in the first 8 KiB), files over\n"
      "--max-file-size, --exclude matches, FIFOs and devices. Symlinks inside a tree are not\n"
      "followed (a path you name is). Placeholders and example keys are not findings; a line\n"
      "containing devops-monitor:allow is skipped.\n"
      "Exit status: 0 nothing found, 1 credentials found, 3 the scan could not run (a named\n"
      "path missing, bad flag or config). Unreadable files are warnings on stderr and do not\n"
      "change the status.\n"
      "Examples:\n"
      "  devops-monitor scan\n"
      "  devops-monitor scan src config --exclude 'vendor/*' --exclude '*.min.js'\n"
      "  devops-monitor scan --sarif > scan.sarif\n"
      "  devops-monitor scan --json --verify > scan.json";
  CLI::App* scan =
      app.add_subcommand("scan", "Look for exposed credentials (API keys, tokens) in files");
  scan->footer(kScanFooter);
  scan->set_help_flag();  // its own, below: the main --help would print the main page
  bool scan_help = false;
  scan->add_flag("-h,--help", scan_help, "Print this help and exit");
  scan->add_option("paths", options.scan.paths, "Files or directories to scan (default .)")
      ->type_name("PATH");
  scan->add_option_function<std::string>(
          "--max-file-size", [&options](const std::string& v) { options.scan.max_file_size = v; },
          "Skip larger files, with a warning (default 10M; 512K, 10M, 1G or bytes)")
      ->type_name("SIZE");
  scan->add_option("--exclude", options.scan.excludes,
                   "Skip paths matching GLOB (fnmatch on the path below the scanned directory "
                   "and on the name); repeatable")
      ->type_name("GLOB")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  scan->add_flag("--sarif", options.scan.sarif, "SARIF 2.1.0 on stdout (GitHub code scanning)");
  scan->add_flag("--verify", options.scan.verify,
                 "Check each provider key found with its provider (one read-only request)");
  scan->fallthrough();
  scan->callback([&options, &scan_help, scan] {
    options.command = scan_help ? Command::help : Command::scan;
    if (scan_help) options.help_text = scan->help();
  });
  constexpr const char* kServeFooter =
      "Endpoints: /metrics (Prometheus text format 0.0.4), /healthz (200 \"ok\"), /report (the\n"
      "latest key round's report JSON; 503 before the first), / and /?range=24h|7d|30d|90d (the\n"
      "HTML status page, as `report --html` writes it, from the report directory's last 90\n"
      "days read once at start plus each round), anything else 404; GET and HEAD.\n"
      "CPU, memory, load and disks are sampled every second in the background, so a scrape\n"
      "never waits. Key checks run at start and then every --key-interval (never per scrape);\n"
      "each round writes a report (unless --no-save) and prunes per --retention-days. A failed\n"
      "round is logged and counted in devops_monitor_check_errors_total; never fatal.\n"
      "Logs one line per event on stderr, first \"listening on HOST:PORT\" (port 0 asks the\n"
      "kernel; the line names the port it chose). SIGTERM or SIGINT: stops within a second,\n"
      "exit 0. SIGHUP: logged and ignored (serve does not reload; restart it).\n"
      "Exit status: 0 stopped by a signal, 3 could not start (bad flag or config, address in\n"
      "use, unreadable procfs or web config).\n"
      "Examples:\n"
      "  devops-monitor serve\n"
      "  devops-monitor serve --listen 0.0.0.0:9877 --web-config /etc/devops-monitor/web.yml\n"
      "  devops-monitor serve --listen 127.0.0.1:0 --no-save --key-interval 30s";
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Run as a Prometheus exporter: /metrics, /healthz, /report and the status page / over "
      "HTTP(S)");
  serve->footer(kServeFooter);
  serve
      ->add_option("--listen", options.serve.listen,
                   "HOST:PORT to listen on (default 127.0.0.1:9877; [::1]:PORT for IPv6; "
                   "beyond loopback only when named)")
      ->type_name("ADDR");
  add_text(*serve, "--web-config", options.serve.web_config,
           "node_exporter's web config file: TLS (tls_server_config) and basic auth "
           "(basic_auth_users, bcrypt)",
           "FILE");
  add_text(*serve, "--key-interval", options.serve.key_interval,
           "Time between key check rounds (default 5m, 1s to 7d; config [serve] key_interval)",
           "DURATION");
  constexpr const char* kHistoryFooter =
      "Reads the reports in --report-dir (ours and the old tool's) from --since ago until now:\n"
      "per provider the checks, availability (valid checks / checks), time per state, latency\n"
      "p50/p95/max and the last change; per resource min/avg/max and time above the warning\n"
      "and critical thresholds, with a fill forecast for disks; the overall time per status\n"
      "and its changes. Sparklines only on a terminal. Rules and the --json shape:\n"
      "docs/history.md. A file that cannot be read or is not a report is skipped with one\n"
      "warning line on stderr. Also takes the general flags, --json (the JSON form) and\n"
      "--report-dir DIR among them (see devops-monitor --help).\n"
      "Exit status: 0 shown (also when there are no reports), 3 could not run (bad flag,\n"
      "unreadable report directory).\n"
      "Examples:\n"
      "  devops-monitor history\n"
      "  devops-monitor history --since 90d --json > history.json\n"
      "  devops-monitor history --since 36h --report-dir /var/lib/devops-monitor";
  CLI::App* history = app.add_subcommand(
      "history", "Summarise the saved reports: availability, latency, resources, forecast");
  history->footer(kHistoryFooter);
  history->add_option("--since", options.since, "How far back (default 7d; like 90d, 36h, 1d12h)")
      ->type_name("DURATION");
  constexpr const char* kReportFooter =
      "Writes the status page that serve answers on / as one self-contained HTML file (inline\n"
      "CSS and SVG, no script, nothing fetched): the overall status and last check, each\n"
      "provider's last 90 checks and availability, latency, CPU, memory and disk charts with\n"
      "their thresholds, the issues and recommendations of latest_report.json, the badge.\n"
      "Read from --report-dir: the reports of the last 90 days (unreadable ones skipped with a\n"
      "warning each). All four ranges are in the file; links switch between them without\n"
      "script. The file is replaced atomically. No key and no fingerprint is on the page.\n"
      "Exit status: 0 written, 3 failed (report directory missing or unreadable, file not\n"
      "writable, bad flag).\n"
      "Examples:\n"
      "  devops-monitor report --html status.html\n"
      "  devops-monitor report --html public/index.html --since 30d --report-dir /var/lib/dm";
  CLI::App* report =
      app.add_subcommand("report", "Write the HTML status page of the report directory to a file");
  report->footer(kReportFooter);
  add_text(*report, "--html", options.report.html,
           "Write the status page to FILE (required; replaced atomically)", "FILE");
  report
      ->add_option("--since", options.report.since,
                   "The range shown first: 24h, 7d (default), 30d or 90d (the file has all four)")
      ->type_name("RANGE");
  for (CLI::App* command :
       {check, badge, prune, providers, serve, watch, dashboard, history, report}) {
    command->fallthrough();  // the general flags may come after the command name too
  }
  add_notify_command(app, options);
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    options.command = Command::help;
    options.help_text = app.help();
    for (CLI::App* command :
         {badge, prune, providers, check, serve, watch, dashboard, history, report}) {
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
  } else if (serve->parsed()) {
    options.command = Command::serve;
  } else if (watch->parsed()) {
    options.command = Command::watch;
  } else if (dashboard->parsed()) {
    options.command = Command::dashboard;
  } else if (history->parsed()) {
    options.command = Command::history;
  } else if (report->parsed()) {
    options.command = Command::report;
  }
  if (options.command == Command::report) {
    if (!options.report.html) {
      return Error{"invalid command line", "report needs --html FILE", "--html"};
    }
    if (!parse_page_range(options.report.since)) {
      return Error{"invalid command line",
                   "--since " + options.report.since + " is not one of 24h, 7d, 30d, 90d",
                   "--since"};
    }
    if (options.json) {
      return Error{"invalid command line", "report writes HTML and takes no --json", "--json"};
    }
  }
  if (options.command == Command::watch && options.json) {
    return Error{"invalid command line", "watch logs to stderr and takes no --json", "--json"};
  }
  if (options.command == Command::dashboard && options.json) {
    return Error{"invalid command line", "dashboard takes no --json (--simple is plain text)",
                 "--json"};
  }
  if (options.command == Command::badge && options.json) {
    return Error{"invalid command line", "badge takes --format json, not --json", "--json"};
  }
  if (format || options.textfile_dir) {
    const char* flag = format ? "--format" : "--textfile-dir";
    if (options.command != Command::check) {
      return Error{"invalid command line", std::string(flag) + " applies to check only", flag};
    }
  }
  if (format) {
    const std::optional<OutputFormat> chosen = parse_output_format(*format);
    if (!chosen) {
      return Error{"invalid command line",
                   "--format " + *format + " is not one of human, json, nagios, prometheus",
                   "--format"};
    }
    if (options.json && *chosen != OutputFormat::json) {
      return Error{"invalid command line",
                   "--json and --format " + *format + " conflict (--json means --format json)",
                   "--json, --format"};
    }
    options.format = *chosen;
  }
  if (options.json) options.format = OutputFormat::json;
  return options;
}

}  // namespace devops_monitor::cli
