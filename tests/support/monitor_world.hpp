// Everything an integration test needs to run the real devops-monitor binary: a temp dir,
// a fake procfs, a fake provider server that all built-in providers are routed to, a config
// file, and a run helper that keeps every report for JSON Schema validation.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/fake_procfs.hpp"
#include "support/fake_provider.hpp"
#include "support/process.hpp"

namespace devops_monitor::testing {

/// The six built-in provider ids, in default priority order.
const std::vector<std::string>& builtin_ids();

/// The binary under test.
std::string monitor_binary();

/// Copies a report (JSON text) into the collection validated against the schema at the end.
void keep_for_schema_validation(const std::string& json_text);

/// Runs the real binary; every report it prints (--json) or leaves in `report_dir` is kept
/// for schema validation.
RunResult run_monitor(const RunOptions& options, const std::filesystem::path& report_dir = {});

/// `devops-monitor scan ARGS...` in `cwd` with exactly `env` as its environment.
RunResult run_scan(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   std::map<std::string, std::string> env = {});

/// Parses a run's stdout as JSON; fails the test (and returns null) when it does not parse.
nlohmann::json stdout_json(const RunResult& run);

/// The monitoring_report_*.json files in `dir` (not latest_report.json).
std::vector<std::filesystem::path> timestamped_reports(const std::filesystem::path& dir);

class MonitorWorld {
 public:
  explicit MonitorWorld(const ProcfsValues& values = {});

  /// Sets a provider key in the child's environment.
  void set_key(const std::string& provider_id, const std::string& key);
  /// The route of a built-in provider on the fake server ("/openai/v1/models").
  [[nodiscard]] std::string route(const std::string& provider_id) const;
  /// The route of Moonshot's balance request (it follows test_endpoint onto the fake).
  [[nodiscard]] static std::string balance_route();
  /// What the fake answers for a provider (default: its "valid" fixture; Google's last
  /// model page, which holds no next-page token).
  void answer(const std::string& provider_id, FakeResponse response);

  /// Writes the config file: `extra_toml`, then every built-in provider pointed at the fake
  /// server (plus any `provider_lines` for its table).
  void write_config(const std::string& extra_toml = "",
                    const std::map<std::string, std::string>& provider_lines = {});

  /// Runs `devops-monitor <args> --config ... --procfs ... --report-dir ... --disk ...`
  /// with a short CPU window; defaults can be overridden by passing the flag again.
  RunResult check(const std::vector<std::string>& args = {"--check"});

  /// The RunOptions check() runs the binary with (args plus the default flags), for a test
  /// that starts the process itself (a daemon it signals).
  [[nodiscard]] RunOptions run_options(const std::vector<std::string>& args) const;

  TempDir dir;
  FakeProcfs procfs;
  FakeProviderServer server;
  std::map<std::string, std::string> env;
  std::filesystem::path report_dir;
  std::filesystem::path config_file;
  std::string cpu_window = "200ms";
  bool as_nobody = false;
  /// A command the check runs under, e.g. on_full_disk(...) (the binary and its arguments
  /// follow it); empty: the binary runs directly.
  std::vector<std::string> command_prefix;
  std::chrono::milliseconds run_timeout{60000};  // then the run is killed (RunResult::timed_out)
};

}  // namespace devops_monitor::testing
