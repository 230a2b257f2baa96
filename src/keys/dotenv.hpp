// .env files as python-dotenv reads them, without ever executing anything.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devops_monitor/error.hpp"
#include "util/environment.hpp"

namespace devops_monitor {

struct DotenvEntry {
  std::string name;
  std::string value;
  int line = 0;
};

struct DotenvFile {
  std::vector<DotenvEntry> entries;  // in file order; a later duplicate wins in get()
  std::vector<Error> warnings;       // malformed lines (skipped) and ${VAR}s not expanded; never
                                     // quote a line's value, nor a name that is not upper-case

  /// The value of the last entry named `name`.
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
};

/// Where a .env file came from, which decides how far it is trusted (docs/design.md, "Trust").
enum class DotenvOrigin {
  /// --env-file, the config's env_file, or code: the user chose it. A symlink is followed, and
  /// ${VAR} may take API key variables from the environment.
  named,
  /// ./.env found in the working directory, which may be a checkout nobody reviewed: a symlink
  /// is not followed, and ${VAR} sees only earlier entries of the file itself, so the file
  /// cannot hand one provider's key to another.
  found,
};

/// Parses .env text. Accepted: `KEY=value`, `export KEY=value`, values in single quotes
/// (literal) or double quotes (escapes \n \t \" \\ and ${VAR} expansion), unquoted values
/// (trailing ` # comment` removed, surrounding blanks trimmed, ${VAR} expansion), `#` comment
/// lines and blank lines. ${VAR} and ${VAR:-default} look in `environment` (only for API key
/// variables, see config/key_variables.hpp, and never for a `found` file), then at earlier
/// entries of the file; a name the environment has but may not give gets its default or ""
/// and a warning naming filename:line. A malformed line becomes a warning naming filename:line.
DotenvFile parse_dotenv(std::string_view text, const std::string& filename,
                        const EnvLookup& environment, DotenvOrigin origin = DotenvOrigin::named);

/// Reads (a regular file of at most 1 MiB, a symlink only when `named`) and parses a .env
/// file; a file that cannot be read is an error naming it.
Result<DotenvFile> load_dotenv(const std::filesystem::path& file, const EnvLookup& environment,
                               DotenvOrigin origin = DotenvOrigin::named);

}  // namespace devops_monitor
