// Where API keys come from: the environment first, then the .env file (python-dotenv's
// load_dotenv() without override).
#pragma once

#include <optional>
#include <string>

#include "keys/dotenv.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

class KeySource {
 public:
  KeySource(EnvLookup environment, DotenvFile dotenv);

  /// The key for `env_var`, or nullopt when unset, empty or only blanks.
  [[nodiscard]] std::optional<std::string> key_for(const std::string& env_var) const;

 private:
  EnvLookup environment_;
  DotenvFile dotenv_;
};

}  // namespace devops_monitor
