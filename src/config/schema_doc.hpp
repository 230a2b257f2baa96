// The rows of the key reference, taken from the schema: name, type, range, default, meaning.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.hpp"
#include "config/type_words.hpp"

namespace devops_monitor {

struct KeyRow {
  std::string key;  // "providers.<id>.auth", "webhooks[].url"
  std::string type;
  std::string range;
  std::string default_value;
  std::string doc;
};

/// A default as the reference table shows it: a TOML literal (`"1s"`, `["/"]`, `true`), or
/// "none" for an unset or empty one.
std::string key_default_text(const std::optional<KeyValue>& value);

/// One row per key of `table`, under `prefix` ("" at the top), each section's keys after it.
template <class Target>
void document_keys(const KeyTable<Target>& table, const std::string& prefix,
                   std::vector<KeyRow>& rows) {
  static const Target defaults{};
  for (const ConfigKey<Target>& key : table.keys) {
    const std::string name =
        prefix.empty() ? std::string(key.name) : prefix + "." + std::string(key.name);
    std::string shown;
    if (!key.default_note.empty()) {
      shown = key.default_note;
    } else if (key.slot.load) {
      shown = key_default_text(key.slot.load(defaults));
    }
    rows.push_back(KeyRow{name, key_type_name(key.type), key_range_text(key.type), shown,
                          std::string(key.doc)});
    if (key.section.document) key.section.document(name, rows);
  }
}

}  // namespace devops_monitor
