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
    Result<DotenvFile> loaded = load_dotenv(*settings.env_file, lookup, dotenv_origin(settings));
    if (loaded) {
      dotenv = std::move(*loaded);
    } else if (settings.env_file_named) {
      return loaded.error();
    } else {
      // A ./.env nobody named may be anything a checkout planted: one warning, and the check
      // goes on with the environment's keys.
      const Error& why = loaded.error();
      note_warning(notes, Error{"ignoring env file",
                                why.detail + "; keys come from the environment only", why.where});
    }
  }
  for (const Error& warning : dotenv.warnings) note_warning(notes, warning);
  return KeySource(lookup, std::move(dotenv));
}

DotenvOrigin dotenv_origin(const Settings& settings) {
  return settings.env_file_named ? DotenvOrigin::named : DotenvOrigin::found;
}

}  // namespace devops_monitor
