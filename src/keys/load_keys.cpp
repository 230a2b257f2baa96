#include "keys/load_keys.hpp"

#include "keys/dotenv.hpp"
#include "model/notes.hpp"

namespace devops_monitor {

Result<KeySource> load_keys(const Settings& settings,
                            const std::optional<std::map<std::string, std::string>>& environment,
                            CheckNotes* notes) {
  const EnvLookup lookup = environment ? environment_from(*environment) : process_environment();
  DotenvFile dotenv;
  if (settings.env_file) {
    Result<DotenvFile> loaded = load_dotenv(*settings.env_file, lookup);
    if (!loaded) return loaded.error();
    dotenv = std::move(*loaded);
  }
  for (const Error& warning : dotenv.warnings) note_warning(notes, warning);
  return KeySource(lookup, std::move(dotenv));
}

}  // namespace devops_monitor
