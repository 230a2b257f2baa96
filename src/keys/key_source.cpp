// Keys from the environment first, then the .env file: python-dotenv's load_dotenv() without
// override. A blank value counts as unset at either level, so an exported but empty variable
// does not hide a real key in the file.
#include "keys/key_source.hpp"

#include <string_view>
#include <utility>

namespace devops_monitor {
namespace {

/// Surrounding blanks and line breaks are never part of a key; a stray one would only make
/// the provider answer 401.
std::optional<std::string> usable_key(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  constexpr std::string_view kBlanks = " \t\r\n\f\v";
  const std::size_t first = value->find_first_not_of(kBlanks);
  if (first == std::string::npos) return std::nullopt;
  const std::size_t last = value->find_last_not_of(kBlanks);
  return value->substr(first, last - first + 1);
}

}  // namespace

KeySource::KeySource(EnvLookup environment, DotenvFile dotenv)
    : environment_(std::move(environment)), dotenv_(std::move(dotenv)) {}

std::optional<std::string> KeySource::key_for(const std::string& env_var) const {
  if (environment_) {
    if (std::optional<std::string> key = usable_key(environment_(env_var))) return key;
  }
  return usable_key(dotenv_.get(env_var));
}

}  // namespace devops_monitor
