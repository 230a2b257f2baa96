// Where a check's keys come from: the environment (or a given map), then the .env file.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "devops_monitor/check_notes.hpp"
#include "devops_monitor/settings.hpp"
#include "keys/key_source.hpp"

namespace devops_monitor {

/// Keys are read afresh for every check (and every serve round), so a rotated key in .env is
/// seen without a restart. Skipped .env lines become warnings in `notes`; an unreadable .env
/// file is an Error naming it.
Result<KeySource> load_keys(const Settings& settings,
                            const std::optional<std::map<std::string, std::string>>& environment,
                            CheckNotes* notes);

}  // namespace devops_monitor
