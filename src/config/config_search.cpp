// Where the config file comes from when --config does not name one. Never the working
// directory: a checkout may hold a devops-monitor.toml written by anyone who can open a pull
// request, and a config file decides where each key is sent.
#include <system_error>
#include <vector>

#include "config/config_file.hpp"

namespace devops_monitor {
namespace {

/// Exists and is not a directory. An unreadable file still counts: applying it then fails
/// with an error naming it, rather than a lower-priority file being used without a word.
bool candidate_exists(const std::filesystem::path& file) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(file, ec);
  return std::filesystem::exists(status) && !std::filesystem::is_directory(status);
}

/// $XDG_CONFIG_HOME, or $HOME/.config; the XDG spec says to ignore a relative XDG_CONFIG_HOME.
std::optional<std::filesystem::path> xdg_config_home(const EnvLookup& environment) {
  if (!environment) return std::nullopt;
  if (std::optional<std::string> xdg = environment("XDG_CONFIG_HOME"); xdg && !xdg->empty()) {
    if (std::filesystem::path(*xdg).is_absolute()) return std::filesystem::path(*xdg);
  }
  if (std::optional<std::string> home = environment("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".config";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::filesystem::path> named_config_file(
    const std::optional<std::filesystem::path>& flag, const EnvLookup& environment) {
  if (flag) return flag;
  if (!environment) return std::nullopt;
  if (std::optional<std::string> named = environment("DEVOPS_MONITOR_CONFIG");
      named && !named->empty()) {
    return std::filesystem::path(*named);
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> find_installed_config(const EnvLookup& environment,
                                                           const std::filesystem::path& etc_dir) {
  std::vector<std::filesystem::path> candidates;
  if (std::optional<std::filesystem::path> xdg = xdg_config_home(environment)) {
    candidates.push_back(*xdg / "devops-monitor" / "config.toml");
  }
  candidates.push_back(etc_dir / "devops-monitor" / "config.toml");
  for (const std::filesystem::path& candidate : candidates) {
    if (candidate_exists(candidate)) return candidate;
  }
  return std::nullopt;
}

std::optional<std::filesystem::path> default_config_file() {
  const EnvLookup environment = process_environment();
  if (std::optional<std::filesystem::path> named = named_config_file(std::nullopt, environment)) {
    return named;
  }
  return find_installed_config(environment);
}

}  // namespace devops_monitor
