// Parsing a config file's text with toml++, behind the guard of toml_guard.hpp.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "devops_monitor/error.hpp"

namespace devops_monitor {

/// The document, or Error{"config syntax error", what toml++ (or the guard) says,
/// "filename:line:column"} on one line.
Result<toml::table> parse_config_toml(std::string_view text, const std::string& filename);

}  // namespace devops_monitor
