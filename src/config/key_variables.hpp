// Which environment variables count as API key variables. A file the user did not write
// (a config file's env_var, a .env file's ${VAR}) may only point at these without an explicit
// opt-in, so that no file can turn AWS_SECRET_ACCESS_KEY or GITHUB_TOKEN into a "key" and
// send it to an endpoint. Pure.
#pragma once

#include <string_view>

namespace devops_monitor {

/// A built-in provider's variable (OPENAI_API_KEY, ...) or a name matching
/// ^[A-Z][A-Z0-9_]*_API_KEY$.
bool is_key_variable(std::string_view name);

}  // namespace devops_monitor
