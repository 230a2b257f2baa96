// Checks of Settings as a whole, whatever set them (flags, config file, code), made before a
// check starts so a mistake is one clear error instead of a wrong result.
#pragma once

#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

/// Fails, naming the setting, when the deadline leaves less than a second beyond the CPU
/// window, or ca_bundle names a file that cannot be read (every key would otherwise come out
/// `unknown` with a TLS error), or no disk is listed.
Result<void> check_settings(const Settings& settings);

}  // namespace devops_monitor
