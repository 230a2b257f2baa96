// The config file as one declared schema: each key is named once, with its type, accepted
// range, one line of documentation and where it is stored. Its default is read from a
// default-constructed target (Settings, WebhookSettings, ...), never written again here.
// SchemaReader (schema_reader.hpp) walks a TOML document against the tables, and the key
// reference in docs/configuration.md is rendered from them (key_reference.hpp), so the keys,
// their checks and their documentation cannot drift apart.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "devops_monitor/duration.hpp"
#include "devops_monitor/error.hpp"
#include "devops_monitor/settings.hpp"

namespace devops_monitor {

class SchemaReader;

/// What a key holds, as TOML writes it.
enum class KeyKind {
  text,      // a string
  path,      // a string naming a file or directory, taken as written; never empty
  duration,  // a string such as "1h30m" (devops_monitor/duration.hpp); a bare number is refused
  whole,     // an integer
  number,    // an integer or a float
  flag,      // true or false
  list,      // an array of strings (with KeyType::lone_text, also a single string)
  headers,   // a table of HTTP headers: { X-Name = "value" }
  table,     // a table whose keys have a schema of their own
  tables,    // an array of such tables, written [[name]]
};

/// What a string must look like beyond being a string. `problem` words its refusal to follow
/// the key's label ("must be an http:// or https:// URL") and never quotes the text: people
/// paste keys into URLs, variable names and auth. `doc` is the accepted shape, for the
/// reference table.
struct TextRule {
  std::optional<std::string> (*problem)(std::string_view text) = nullptr;
  std::string_view doc{};
};

/// Whether an empty string is accepted (for a list: in which items).
enum class Emptiness { refused, allowed, allowed_after_first };

/// A key's type and accepted range; only the members of its kind mean anything.
struct KeyType {
  KeyKind kind = KeyKind::text;
  Emptiness empty = Emptiness::refused;  // text, path and list items
  const TextRule* rule = nullptr;        // text and list items
  Milliseconds min_duration{0};
  Milliseconds max_duration{0};
  std::int64_t min_whole = 0;
  std::int64_t max_whole = 0;
  /// What is counted or listed: "days" (whole: "a whole number of days"), "percent" (number),
  /// "paths" (list: "array of paths"); none: "integer", "number", "array of strings".
  std::string_view unit{};
  double min_number = 0;
  double max_number = 0;
  std::string_view shape{};       // list, headers, table, tables: "an array of paths like [...]"
  std::string_view when_empty{};  // a list that needs an item: "must list at least one path"
  bool lone_text = false;         // list: a single string counts as a list of one
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;
/// A value read from the document and checked against its KeyType.
using KeyValue = std::variant<bool, std::int64_t, double, Milliseconds, std::string,
                              std::vector<std::string>, HeaderList>;

/// Where a value was written: for the rules that weigh several keys against each other.
struct Origin {
  std::string label;  // "thresholds.cpu_warning"
  toml::source_region key{};
};

/// A value and where it was written.
template <class T>
struct Placed {
  T value{};
  Origin origin{};
};

/// How a key's value reaches its target, and how its default is read back for the reference
/// table (nullopt: unset by default).
template <class Target>
struct KeySlot {
  std::function<void(Target&, KeyValue&&, const Origin&)> store;
  std::function<std::optional<KeyValue>(const Target&)> load;
};

struct KeyRow;  // schema_doc.hpp

/// Where a table's keys are read: the label that prefixes its keys in messages ("thresholds",
/// "webhooks[0]", "" at the top) and its heading in "unknown key" messages ("[thresholds]").
struct TablePlace {
  std::string label;
  std::string heading;

  [[nodiscard]] std::string label_of(std::string_view key) const {
    return label.empty() ? std::string(key) : label + "." + std::string(key);
  }
};
/// A table or array of tables: read by a function of its own, which owns the rules that span
/// its keys, and documented by one that adds its keys' rows under `prefix`.
template <class Target>
struct KeySection {
  std::function<Result<void>(const SchemaReader&, const toml::node&, const TablePlace&, Target&)>
      read;
  std::function<void(const std::string& prefix, std::vector<KeyRow>& rows)> document;
};

template <class Target>
struct ConfigKey {
  std::string_view name;
  KeyType type;
  std::string_view doc{};
  KeySlot<Target> slot{};        // every kind but table and tables
  KeySection<Target> section{};  // table and tables
  /// Words for a default that is not a plain value ("`./.env` if it exists").
  std::string_view default_note{};
  /// A duration's example in its type error: its default, or the builder's example if unset.
  std::string example{};

  [[nodiscard]] ConfigKey noted(std::string_view note) && {
    default_note = note;
    return std::move(*this);
  }
};

template <class Target>
struct KeyTable {
  std::vector<ConfigKey<Target>> keys;

  [[nodiscard]] const ConfigKey<Target>* find(std::string_view name) const {
    for (const ConfigKey<Target>& key : keys) {
      if (key.name == name) return &key;
    }
    return nullptr;
  }
  [[nodiscard]] std::vector<std::string_view> names() const {
    std::vector<std::string_view> out;
    for (const ConfigKey<Target>& key : keys) out.push_back(key.name);
    return out;
  }
};

// ---- storing a value into a field, and reading a default back --------------------------------
// One overload per field type the schema stores. Each builder below names the field types its
// kind may hold, so a key whose kind does not match its field does not compile.

inline void store_into(bool& out, KeyValue&& v) {
  out = std::get<bool>(v);
}
inline void store_into(int& out, KeyValue&& v) {
  out = static_cast<int>(std::get<std::int64_t>(v));
}
inline void store_into(double& out, KeyValue&& v) {
  out = std::get<double>(v);
}
inline void store_into(Milliseconds& out, KeyValue&& v) {
  out = std::get<Milliseconds>(v);
}
inline void store_into(std::string& out, KeyValue&& v) {
  out = std::get<std::string>(std::move(v));
}
inline void store_into(std::filesystem::path& out, KeyValue&& v) {
  out = std::get<std::string>(std::move(v));
}
inline void store_into(std::vector<std::string>& out, KeyValue&& v) {
  out = std::get<std::vector<std::string>>(std::move(v));
}
inline void store_into(std::vector<std::filesystem::path>& out, KeyValue&& v) {
  out.clear();
  for (std::string& item : std::get<std::vector<std::string>>(v)) out.emplace_back(std::move(item));
}
template <class T>
void store_into(std::optional<T>& out, KeyValue&& v) {
  T inner{};
  store_into(inner, std::move(v));
  out = std::move(inner);
}

inline std::optional<KeyValue> value_of(bool v) {
  return KeyValue(v);
}
inline std::optional<KeyValue> value_of(int v) {
  return KeyValue(std::int64_t{v});
}
inline std::optional<KeyValue> value_of(double v) {
  return KeyValue(v);
}
inline std::optional<KeyValue> value_of(Milliseconds v) {
  return KeyValue(v);
}
inline std::optional<KeyValue> value_of(const std::string& v) {
  return KeyValue(v);
}
inline std::optional<KeyValue> value_of(const std::filesystem::path& v) {
  return KeyValue(v.string());
}
inline std::optional<KeyValue> value_of(const std::vector<std::string>& v) {
  return KeyValue(v);
}
inline std::optional<KeyValue> value_of(const std::vector<std::filesystem::path>& v) {
  std::vector<std::string> out;
  for (const std::filesystem::path& item : v) out.push_back(item.string());
  return KeyValue(std::move(out));
}
template <class T>
std::optional<KeyValue> value_of(const std::optional<T>& v) {
  return v ? value_of(*v) : std::nullopt;
}

/// A Placed field keeps where its value was written.
template <class T>
void store_into(std::optional<Placed<T>>& out, KeyValue&& v, const Origin& origin) {
  Placed<T> placed{.origin = origin};
  store_into(placed.value, std::move(v));
  out = std::move(placed);
}
template <class T>
void store_into(T& out, KeyValue&& v, const Origin& /*origin*/) {
  store_into(out, std::move(v));
}
template <class T>
std::optional<KeyValue> value_of(const std::optional<Placed<T>>& v) {
  return v ? value_of(v->value) : std::nullopt;
}

template <class Field, class... Allowed>
inline constexpr bool kOneOf = (std::is_same_v<Field, Allowed> || ...);

// ---- building keys ---------------------------------------------------------------------------

/// The builders of a Target's keys. A field may belong to a base of Target (ProviderDraft's
/// fields are mostly Provider's).
template <class Target>
struct KeysOf {
  template <class Owner, class Field>
  static KeySlot<Target> member(Field Owner::*field) {
    static_assert(std::is_base_of_v<Owner, Target>);
    return {[field](Target& target, KeyValue&& v, const Origin& origin) {
              store_into(target.*field, std::move(v), origin);
            },
            [field](const Target& target) { return value_of(target.*field); }};
  }

  template <class Owner, class Field>
  static ConfigKey<Target> text(std::string_view name, Field Owner::*field, const TextRule* rule,
                                Emptiness empty, std::string_view doc) {
    static_assert(kOneOf<Field, std::string>);
    return text(name, member(field), rule, empty, doc);
  }
  static ConfigKey<Target> text(std::string_view name, KeySlot<Target> slot, const TextRule* rule,
                                Emptiness empty, std::string_view doc) {
    return {name, KeyType{.kind = KeyKind::text, .empty = empty, .rule = rule}, doc,
            std::move(slot)};
  }

  template <class Owner, class Field>
  static ConfigKey<Target> path(std::string_view name, Field Owner::*field, std::string_view doc) {
    static_assert(kOneOf<Field, std::filesystem::path, std::optional<std::filesystem::path>>);
    return {name, KeyType{.kind = KeyKind::path}, doc, member(field)};
  }

  /// `example`: what a type error shows when the default is unset.
  template <class Owner, class Field>
  static ConfigKey<Target> duration(std::string_view name, Field Owner::*field, Milliseconds min,
                                    Milliseconds max, std::string_view doc,
                                    std::string_view example = {}) {
    static_assert(kOneOf<Field, Milliseconds, std::optional<Milliseconds>>);
    ConfigKey<Target> key{
        name, KeyType{.kind = KeyKind::duration, .min_duration = min, .max_duration = max}, doc,
        member(field)};
    const std::optional<KeyValue> default_value = key.slot.load(Target{});
    key.example = default_value ? format_duration(std::get<Milliseconds>(*default_value))
                                : std::string(example);
    return key;
  }

  template <class Owner, class Field>
  static ConfigKey<Target> whole(std::string_view name, Field Owner::*field, std::int64_t min,
                                 std::int64_t max, std::string_view unit, std::string_view doc) {
    static_assert(kOneOf<Field, int>);
    return {name, KeyType{.kind = KeyKind::whole, .min_whole = min, .max_whole = max, .unit = unit},
            doc, member(field)};
  }

  template <class Owner, class Field>
  static ConfigKey<Target> number(std::string_view name, Field Owner::*field, double min,
                                  double max, std::string_view doc) {
    static_assert(kOneOf<Field, double, std::optional<double>, std::optional<Placed<double>>>);
    return number(name, member(field), min, max, doc);
  }
  static ConfigKey<Target> number(std::string_view name, KeySlot<Target> slot, double min,
                                  double max, std::string_view doc) {
    return {name, KeyType{.kind = KeyKind::number, .min_number = min, .max_number = max}, doc,
            std::move(slot)};
  }

  /// A number from 0 to 100.
  template <class Owner, class Field>
  static ConfigKey<Target> percent(std::string_view name, Field Owner::*field,
                                   std::string_view doc) {
    static_assert(kOneOf<Field, double, std::optional<Placed<double>>>);
    return percent(name, member(field), doc);
  }
  static ConfigKey<Target> percent(std::string_view name, KeySlot<Target> slot,
                                   std::string_view doc) {
    ConfigKey<Target> key = number(name, std::move(slot), 0, 100, doc);
    key.type.unit = "percent";
    return key;
  }

  template <class Owner, class Field>
  static ConfigKey<Target> flag(std::string_view name, Field Owner::*field, std::string_view doc) {
    static_assert(kOneOf<Field, bool>);
    return {name, KeyType{.kind = KeyKind::flag}, doc, member(field)};
  }

  /// `type` gives the list's shape, rule and emptiness; its kind is set here.
  template <class Owner, class Field>
  static ConfigKey<Target> list(std::string_view name, Field Owner::*field, KeyType type,
                                std::string_view doc) {
    static_assert(kOneOf<Field, std::vector<std::string>, std::vector<std::filesystem::path>>);
    return list(name, member(field), std::move(type), doc);
  }
  static ConfigKey<Target> list(std::string_view name, KeySlot<Target> slot, KeyType type,
                                std::string_view doc) {
    type.kind = KeyKind::list;
    return {name, type, doc, std::move(slot)};
  }

  static ConfigKey<Target> headers(std::string_view name, KeySlot<Target> slot,
                                   std::string_view doc) {
    return {name,
            KeyType{.kind = KeyKind::headers, .shape = R"(a table like { X-Name = "value" })"}, doc,
            std::move(slot)};
  }

  /// A table; `shape` words its type error ("a table of [providers.<id>] sections").
  static ConfigKey<Target> table(std::string_view name, KeySection<Target> section,
                                 std::string_view doc, std::string_view shape = "a table") {
    return {name, KeyType{.kind = KeyKind::table, .shape = shape}, doc, {}, std::move(section)};
  }
  static ConfigKey<Target> tables(std::string_view name, KeySection<Target> section,
                                  std::string_view doc, std::string_view shape) {
    return {name, KeyType{.kind = KeyKind::tables, .shape = shape}, doc, {}, std::move(section)};
  }
};

// ---- the tables ------------------------------------------------------------------------------

/// [thresholds] as written, before the per-metric values are merged with the general ones.
struct ThresholdDraft {
  std::optional<Placed<double>> warning;
  std::optional<Placed<double>> critical;
  std::optional<Placed<double>> cpu_warning;
  std::optional<Placed<double>> cpu_critical;
  std::optional<Placed<double>> memory_warning;
  std::optional<Placed<double>> memory_critical;
  std::optional<Placed<double>> disk_warning;
  std::optional<Placed<double>> disk_critical;
};

/// A [providers.<id>] table as read: the provider, and the one key that is a rule of the
/// config file rather than a setting of the provider.
struct ProviderDraft : Provider {
  bool trust_env_var = false;
};

const KeyTable<Settings>& settings_keys();
const KeyTable<ThresholdDraft>& threshold_keys();
const KeyTable<ProviderDraft>& provider_keys();
const KeyTable<WebhookSettings>& webhook_keys();
const KeyTable<ActionSettings>& action_keys();

}  // namespace devops_monitor
