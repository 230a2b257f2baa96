// The one way settings are built from files, for the command line and for applications:
// config file (named or installed, trusted), then which .env file holds the keys.
#include "config/load_settings.hpp"

#include <unistd.h>

#include <system_error>
#include <utility>

#include "config/config_file.hpp"
#include "util/guard.hpp"

namespace devops_monitor {
namespace {

constexpr const char* kWorkingDirConfig = "devops-monitor.toml";

void note(SettingsNotes* notes, Error warning) {
  if (notes != nullptr) notes->warnings.push_back(std::move(warning));
}

enum class Presence { absent, present, unknown };

/// Whether `file` exists, without throwing: a working directory we may not search is
/// "unknown", not an exception.
Presence presence_of(const std::filesystem::path& file, std::error_code& ec) {
  const std::filesystem::file_status status = std::filesystem::status(file, ec);
  if (status.type() == std::filesystem::file_type::not_found) return Presence::absent;
  if (ec) return Presence::unknown;
  return Presence::present;
}

/// A devops-monitor.toml in the working directory was the old tool's first choice; say once
/// that it is no longer read, and how to read it, rather than drop it without a word.
void warn_if_working_dir_config(const SettingsContext& context, SettingsNotes* notes) {
  const std::filesystem::path file = context.working_dir / kWorkingDirConfig;
  std::error_code ec;
  if (presence_of(file, ec) != Presence::present || std::filesystem::is_directory(file, ec)) {
    return;
  }
  const std::string shown = context.working_dir.empty() ? "./" + file.string() : file.string();
  note(notes, Error{"ignoring " + shown,
                    "a config file in the working directory is read only when named; to use "
                    "it, run with --config ./devops-monitor.toml",
                    ""});
}

/// --env-file, else the config's env_file, else ./.env when it exists.
std::optional<std::filesystem::path> env_file_to_read(const SettingsSources& sources,
                                                      const Settings& configured,
                                                      const SettingsContext& context,
                                                      SettingsNotes* notes) {
  if (sources.env_file) return sources.env_file;
  if (configured.env_file) return configured.env_file;
  const std::filesystem::path dotenv = context.working_dir / ".env";
  std::error_code ec;
  switch (presence_of(dotenv, ec)) {
    case Presence::present:
      return dotenv;
    case Presence::unknown:
      note(notes, Error{"cannot tell whether " + dotenv.string() + " exists",
                        ec.message() + "; keys come from the environment only", ""});
      return std::nullopt;
    case Presence::absent:
      break;
  }
  return std::nullopt;
}

}  // namespace

Result<Settings> load_settings_in(const SettingsSources& sources, const SettingsContext& context,
                                  SettingsNotes* notes) {
  std::optional<std::filesystem::path> config =
      named_config_file(sources.config_file, context.environment);
  if (!config) {
    warn_if_working_dir_config(context, notes);
    config = find_installed_config(context.environment, context.etc_dir);
  }
  Settings settings;
  if (config) {
    Result<Settings> configured = apply_trusted_config_file(*config, settings, context.caller);
    if (!configured) return configured.error();
    settings = std::move(*configured);
    if (notes != nullptr) notes->config_file = config;
  }
  const bool named = sources.env_file.has_value() || settings.env_file.has_value();
  settings.env_file = env_file_to_read(sources, settings, context, notes);
  settings.env_file_named = named;
  return settings;
}

Result<Settings> load_settings(const SettingsSources& sources, SettingsNotes* notes) {
  return guarded<Settings>("cannot load settings", [&] {
    return load_settings_in(sources, {.environment = process_environment(), .caller = ::geteuid()},
                            notes);
  });
}

}  // namespace devops_monitor
