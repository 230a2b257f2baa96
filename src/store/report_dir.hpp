// The report directory as a whole: who else may write to it. Every file a check reads back from
// it (latest_report.json, key_history.json, the reports, the history index) is only as
// trustworthy as the directory; the files are read with the bounded reader whatever the
// directory's mode, and a directory others may write to is worth one warning.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// Why a report directory with this mode (st_mode) deserves a warning, as words after "it":
/// "is group-writable (mode 0775)"; nullopt when only its owner may write to it. The sticky
/// bit does not help here: it keeps others from replacing our files, not from planting the
/// ones that are not there yet. Pure.
std::optional<std::string> report_dir_exposure(mode_t mode);

/// A warning naming `dir` when it is writable by its group or by others, the first time this
/// process asks about that directory (a daemon says it once, not every round); nullopt
/// otherwise, and when `dir` cannot be looked at (it may not exist yet).
std::optional<Error> report_dir_exposure_once(const std::filesystem::path& dir);

}  // namespace devops_monitor
