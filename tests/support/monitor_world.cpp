#include "support/monitor_world.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>

#include "devops_monitor/provider.hpp"

namespace devops_monitor::testing {
namespace {

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "outside-test";
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

bool looks_like_report(const nlohmann::json& doc) {
  return doc.is_object() && doc.contains("api_keys") && doc.contains("system_health");
}

}  // namespace

const std::vector<std::string>& builtin_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (const Provider& p : builtin_providers()) out.push_back(p.id);
    return out;
  }();
  return ids;
}

std::string monitor_binary() {
  return DEVOPS_MONITOR_BINARY;
}

void keep_for_schema_validation(const std::string& json_text) {
  static std::atomic<int> counter{0};
  const std::filesystem::path dir = DEVOPS_MONITOR_TEST_REPORTS_DIR;
  std::filesystem::create_directories(dir);
  const std::string name = current_test_name() + "." + std::to_string(::getpid()) + "." +
                           std::to_string(counter++) + ".json";
  write_text(dir / name, json_text);
}

namespace {

bool is_report_name(const std::string& name) {
  return name == "latest_report.json" ||
         (name.rfind("monitoring_report_", 0) == 0 && name.size() > 5 &&
          name.compare(name.size() - 5, 5, ".json") == 0);
}

/// Report files in `dir` with an identity (inode and change time) to spot what a run wrote.
std::map<std::string, std::pair<ino_t, long long>> report_files(const std::filesystem::path& dir) {
  std::map<std::string, std::pair<ino_t, long long>> files;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    struct stat info {};
    if (!is_report_name(name) || ::stat(entry.path().c_str(), &info) != 0) continue;
    files[name] = {info.st_ino, info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec};
  }
  return files;
}

}  // namespace

RunResult run_scan(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                   std::map<std::string, std::string> env) {
  RunOptions options{.args = {"scan"}, .env = std::move(env), .cwd = cwd};
  options.args.insert(options.args.end(), args.begin(), args.end());
  return run_process(monitor_binary(), options);
}

RunResult run_monitor(const RunOptions& options, const std::filesystem::path& report_dir) {
  const auto before = report_files(report_dir);
  RunResult result = run_process(monitor_binary(), options);
  const nlohmann::json printed = nlohmann::json::parse(result.out, nullptr, false);
  if (looks_like_report(printed)) keep_for_schema_validation(result.out);
  // Only what this run wrote: tests also put hand-made files there.
  for (const auto& [name, identity] : report_files(report_dir)) {
    auto old = before.find(name);
    if (old == before.end() || old->second != identity) {
      keep_for_schema_validation(read_text(report_dir / name));
    }
  }
  return result;
}

std::vector<std::filesystem::path> timestamped_reports(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  const std::regex name(R"(monitoring_report_\d{8}_\d{6}(_\d+)?\.json)");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (std::regex_match(entry.path().filename().string(), name)) out.push_back(entry.path());
  }
  return out;
}

nlohmann::json stdout_json(const RunResult& run) {
  nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << "stdout is not JSON:\n"
                                   << run.out << "\nstderr:\n"
                                   << run.err;
  return doc.is_discarded() ? nlohmann::json() : doc;
}

MonitorWorld::MonitorWorld(const ProcfsValues& values)
    : procfs(values), report_dir(dir / "reports"), config_file(dir / "devops-monitor.toml") {
  // A clean environment: no proxies, no real keys, a private HOME and config dir.
  env = {{"PATH", "/usr/bin:/bin"},
         {"HOME", dir.path().string()},
         {"LANG", "C.UTF-8"},
         {"XDG_CONFIG_HOME", (dir / "xdg").string()}};
  // Google's valid.json is a first page with a next-page token; its last page ends the list.
  for (const std::string& id : builtin_ids()) {
    answer(id, {.body = provider_fixture(id, id == "google" ? "models_page2" : "valid")});
  }
  // Moonshot's balance request follows its test_endpoint onto this server.
  server.on(balance_route(), {.body = provider_fixture("moonshot", "balance_ok")});
  write_config();
}

void MonitorWorld::set_key(const std::string& provider_id, const std::string& key) {
  for (const Provider& p : builtin_providers()) {
    if (p.id == provider_id) env[p.env_var] = key;
  }
}

std::string MonitorWorld::route(const std::string& provider_id) const {
  return "/" + provider_id + endpoint_path(provider_id);
}

std::string MonitorWorld::balance_route() {
  return "/moonshot/v1/users/me/balance";
}

void MonitorWorld::answer(const std::string& provider_id, FakeResponse response) {
  server.on(route(provider_id), std::move(response));
}

void MonitorWorld::write_config(const std::string& extra_toml,
                                const std::map<std::string, std::string>& provider_lines) {
  // The extra TOML goes first: top-level keys must come before any [table].
  std::string toml = extra_toml + "\n";
  for (const std::string& id : builtin_ids()) {
    toml += "[providers." + id + "]\ntest_endpoint = \"" + server.url(route(id)) + "\"\n";
    if (auto it = provider_lines.find(id); it != provider_lines.end()) toml += it->second + "\n";
    toml += "\n";
  }
  write_text(config_file, toml);
}

RunResult MonitorWorld::check(const std::vector<std::string>& args) {
  RunOptions options = run_options(args);
  if (!command_prefix.empty()) {
    options.args.insert(options.args.begin(), monitor_binary());
    options.args.insert(options.args.begin(), command_prefix.begin() + 1, command_prefix.end());
    return run_process(command_prefix.front(), options);
  }
  return run_monitor(options, report_dir);
}

namespace {

/// The flags of the world a command accepts: each command takes only its own (`CMD --help`).
std::vector<std::string> world_flags_of(const std::vector<std::string>& args) {
  const std::string command = args.empty() || args[0].starts_with("-") ? "check" : args[0];
  if (command == "check") {
    return {"--config", "--procfs", "--report-dir", "--cpu-window", "--disk", "--timeout"};
  }
  if (command == "serve" || command == "watch" || command == "dashboard") {
    return {"--config", "--procfs", "--report-dir", "--disk", "--timeout"};
  }
  if (command == "providers" || command == "scan") return {"--config", "--timeout"};
  return {"--config", "--report-dir"};  // badge, prune, history, report, notify
}

}  // namespace

RunOptions MonitorWorld::run_options(const std::vector<std::string>& args) const {
  RunOptions options;
  options.args = args;
  const std::map<std::string, std::string> defaults = {
      {"--config", config_file.string()},    {"--procfs", procfs.root().string()},
      {"--report-dir", report_dir.string()}, {"--cpu-window", cpu_window},
      {"--disk", dir.path().string()},       {"--timeout", "5s"}};
  // A flag the test passes itself replaces the default.
  for (const std::string& flag : world_flags_of(args)) {
    const std::string& value = defaults.at(flag);
    if (std::find(args.begin(), args.end(), flag) == args.end()) {
      options.args.push_back(flag);
      options.args.push_back(value);
    }
  }
  options.env = env;
  options.timeout = run_timeout;
  options.cwd = dir.path();
  options.as_nobody = as_nobody;
  return options;
}

}  // namespace devops_monitor::testing
