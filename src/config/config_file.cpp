// The config file's entry points: parse the TOML, then read it against the schema
// (schema.cpp) on top of the settings given.
#include "config/config_file.hpp"

#include <unistd.h>

#include <utility>
#include <vector>

#include "config/file_trust.hpp"
#include "config/schema_reader.hpp"
#include "config/toml_parse.hpp"
#include "util/guard.hpp"

namespace devops_monitor {

Result<Settings> apply_config_text(std::string_view toml_text, const std::string& filename,
                                   Settings base) {
  Result<toml::table> root = parse_config_toml(toml_text, filename);
  if (!root) return root.error();
  Result<std::vector<TomlMember>> read =
      SchemaReader(filename).read(*root, TablePlace{}, settings_keys(), base);
  if (!read) return read.error();
  return base;
}

Result<Settings> apply_trusted_config_file(const std::filesystem::path& file, Settings base,
                                           uid_t caller) {
  Result<std::string> text = read_trusted_file(file, caller);
  if (!text) return text.error();
  return apply_config_text(*text, file.string(), std::move(base));
}

Result<Settings> apply_config_file(const std::filesystem::path& file, Settings base) {
  return guarded<Settings>("cannot read config file", [&] {
    return apply_trusted_config_file(file, std::move(base), ::geteuid());
  });
}

}  // namespace devops_monitor
