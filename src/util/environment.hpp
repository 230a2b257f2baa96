// Access to environment variables behind a function, so parsers stay pure and tests can pass
// a plain map instead of touching the process environment.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace devops_monitor {

/// Returns the value of a variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The real process environment (getenv).
EnvLookup process_environment();

/// A fixed set of variables, for tests and for embedding applications.
EnvLookup environment_from(std::map<std::string, std::string> variables);

}  // namespace devops_monitor
