// load_settings over an explicit view of the process, so tests can give their own
// environment, working directory, /etc and caller.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "devops_monitor/config.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

/// The process as load_settings sees it.
struct SettingsContext {
  EnvLookup environment;
  std::filesystem::path working_dir{};  // where ./.env is looked for; empty: the process's
  std::filesystem::path etc_dir = "/etc";
  uid_t caller = 0;  // the effective uid config files must belong to (or root)
};

Result<Settings> load_settings_in(const SettingsSources& sources, const SettingsContext& context,
                                  SettingsNotes* notes);

}  // namespace devops_monitor
