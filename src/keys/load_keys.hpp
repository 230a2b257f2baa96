// Where a check's keys come from: the environment (or a given map), then the .env file.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/settings.hpp"
#include "keys/dotenv.hpp"
#include "keys/key_source.hpp"

namespace devops_monitor {

/// Keys are read afresh for every check (and every serve round), so a rotated key in .env is
/// seen without a restart. Skipped .env lines become warnings in `notes`. A named .env file
/// that cannot be read (missing, not a regular file, over 1 MiB) is an Error naming it; the
/// ./.env load_settings found is then skipped with one warning naming it.
Result<KeySource> load_keys(const Settings& settings,
                            const std::optional<std::map<std::string, std::string>>& environment,
                            CheckNotes* notes);

/// How far settings.env_file is trusted: named, or found in the working directory.
DotenvOrigin dotenv_origin(const Settings& settings);

}  // namespace devops_monitor
