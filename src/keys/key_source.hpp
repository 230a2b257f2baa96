// Where API keys come from: the environment first, then the .env file (python-dotenv's
// load_dotenv() without override).
#pragma once

#include <optional>
#include <string>

#include "keys/dotenv.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

/// What was found for one variable.
struct FoundKey {
  std::optional<std::string> key{};  // trimmed; nullopt when unset, empty or only blanks
  bool set_but_empty = false;        // the variable is set, but empty or only blanks
};

class KeySource {
 public:
  KeySource(EnvLookup environment, DotenvFile dotenv);

  /// The key for `env_var`. A variable set in the environment wins over the .env file even
  /// when it is empty, as with python-dotenv: the key is then missing, set but empty.
  [[nodiscard]] FoundKey find(const std::string& env_var) const;

  /// find(env_var).key
  [[nodiscard]] std::optional<std::string> key_for(const std::string& env_var) const;

 private:
  EnvLookup environment_;
  DotenvFile dotenv_;
};

}  // namespace devops_monitor
