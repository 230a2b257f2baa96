// Keys from the environment first, then the .env file: python-dotenv's load_dotenv() without
// override, which keeps every variable already in os.environ, even an empty one. So an
// exported but empty variable hides the file's value: `OPENAI_API_KEY= devops-monitor` means
// "no OpenAI key", as it does for the Python tools reading the same environment.
#include "keys/key_source.hpp"

#include <string_view>
#include <utility>

namespace devops_monitor {
namespace {

/// Surrounding blanks and line breaks are never part of a key; a stray one would only make
/// the provider answer 401.
FoundKey usable_key(const std::string& value) {
  constexpr std::string_view kBlanks = " \t\r\n\f\v";
  const std::size_t first = value.find_first_not_of(kBlanks);
  if (first == std::string::npos) return {.set_but_empty = true};
  const std::size_t last = value.find_last_not_of(kBlanks);
  return {.key = value.substr(first, last - first + 1)};
}

}  // namespace

KeySource::KeySource(EnvLookup environment, DotenvFile dotenv)
    : environment_(std::move(environment)), dotenv_(std::move(dotenv)) {}

FoundKey KeySource::find(const std::string& env_var) const {
  if (environment_) {
    if (std::optional<std::string> value = environment_(env_var)) return usable_key(*value);
  }
  if (std::optional<std::string> value = dotenv_.get(env_var)) return usable_key(*value);
  return {};
}

std::optional<std::string> KeySource::key_for(const std::string& env_var) const {
  return find(env_var).key;
}

}  // namespace devops_monitor
